"""The trial summary on paper (PDF) and for the statistician's tools (CSV).

The PDF: the per-level tables (enrolment, infusions planned against given, DLTs, adverse
events, the treatment-related terms by worst grade), then the protocol's outcomes (the
haematological response at each assessment week with the times to response and the duration,
or disease control with PFS and OS and their Kaplan-Meier curves), then an appendix with the
data cut and the head of every stream the numbers came from, so a reader can reproduce them.
Every rate is printed as its count over its denominator beside the percent.

The CSV: one row per level and metric, every cell through :mod:`.csv_cells`; words English,
times UTC (ISO 8601), rates to 4 decimal places computed exactly, as the other exports.

Nothing here reads a database: the service hands a :class:`SummarySource` read in one
transaction.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from fractions import Fraction

from reportlab.platypus import Flowable, Spacer

from infusion_app.logic.protocol import Protocol
from infusion_app.logic.survival import KaplanMeier
from infusion_app.logic.trial_summary import (
    ALL_LEVELS,
    GroupSummary,
    Rate,
    SummaryNumbers,
    exact_days,
    percent,
    rounded,
)
from infusion_app.records.csv_cells import safe_row
from infusion_app.records.km_chart import ChartTexts, Curve, km_chart
from infusion_app.records.labels import Labels
from infusion_app.records.pages import (
    HEADING,
    SMALL,
    TITLE,
    PageHeader,
    build_pdf,
    facts,
    long_table,
    para,
    table,
    text_width,
)
from infusion_app.records.times import local, zone_label, zone_name

LINEAGES = ("hb", "anc", "plt", "cr")
LINEAGE_NAMES = {"hb": "Hb", "anc": "ANC", "plt": "PLT", "cr": "CR"}
HASH_SHOWN = 16  # characters of each stream's head hash in the appendix


@dataclass(frozen=True)
class StreamHead:
    """A stream the summary was computed from, up to entry ``seq`` whose hash is ``hash``."""

    name: str
    seq: int
    hash: str


@dataclass(frozen=True)
class SummarySource:
    protocol: Protocol
    at: datetime  # the data cut
    read_at: datetime
    numbers: SummaryNumbers
    patients: tuple[str, ...]
    heads: tuple[StreamHead, ...]
    digest: str  # sha256 over the heads


# --- cells ------------------------------------------------------------------------------------


def rate_text(rate: Rate) -> str:
    shown = percent(rate)
    return f"{rate.count}/{rate.of}" + (f" ({shown} %)" if shown is not None else "")


def days_text(value: Fraction | None, tr: Labels) -> str:
    return tr("not reached") if value is None else str(exact_days(value))


def km_text(km: KaplanMeier, tr: Labels) -> str:
    """ "260 (120 to not reached)": the median and its 95 % interval, in days."""
    if km.n == 0:
        return "–"
    lower, upper = days_text(km.median_lower, tr), days_text(km.median_upper, tr)
    return f"{days_text(km.median, tr)} ({lower} {tr('to')} {upper})"


def level_name(level: str, tr: Labels) -> str:
    return tr("All levels") if level == ALL_LEVELS else level


# --- the PDF ----------------------------------------------------------------------------------


def render_trial_summary(
    source: SummarySource,
    *,
    printed_at: datetime,
    printed_by: str,
    zone: tzinfo | None = None,
    paper: str = "a4",
    language: str = "en",
) -> bytes:
    where = zone or source.protocol.zone
    tr = Labels(language, where)
    width = text_width(paper)
    protocol = source.protocol
    cut = f"{local(source.at, where)} {zone_name(where, source.at)}"
    story: list[Flowable] = [
        para(f"{tr('Trial summary')}: {protocol.label}", TITLE),
        para(tr.protocol(protocol.title)),
        para(f"{tr('All times are local')}, {zone_label(where, source.at)}.", SMALL),
        Spacer(0, 4),
        facts(
            [
                (tr("Data cut"), cut),
                (tr("Patients counted"), _patients_counted(source.patients, tr)),
                (tr("Levels in order"), " → ".join(lv.id for lv in protocol.dose_levels)),
                (tr("Streams read"), f"{len(source.heads)} ({tr('see the appendix')})"),
            ],
            width,
            label_share=0.22,
        ),
    ]
    groups = source.numbers.groups
    story += _safety(groups, tr, width)
    story += _related(groups, tr, width)
    if any(g.haem is not None for g in groups):
        story += _haem(groups, tr, width)
    if any(g.tumour is not None for g in groups):
        story += _tumour(groups, tr, width)
    story += _appendix(source, tr, where, width)
    header = PageHeader(
        lines=(
            f"{tr('Trial summary')}: {protocol.label}",
            f"{tr('Site')}: {tr.protocol(protocol.site.value)}",
            f"{tr('Data cut')} {cut}",
            f"{tr('Printed')} {local(printed_at, where)} {zone_name(where, printed_at)} "
            f"{tr('by')} {printed_by}",
        ),
        page_text=tr("Page {page} of {pages}"),
        footer=f"{tr('Heads digest')} {source.digest}",
    )
    return build_pdf(
        story, header, paper=paper, title=f"Trial summary {protocol.label}", author=printed_by
    )


def _heading(text: str) -> Flowable:
    return para(text, HEADING)


def _safety(groups: Sequence[GroupSummary], tr: Labels, width: float) -> list[Flowable]:
    header = [
        tr("Level"),
        tr("Enrolled"),
        tr("Treated"),
        tr("Infusions planned"),
        tr("Infusions given"),
        tr("Evaluable for DLT"),
        tr("Confirmed DLTs (rate)"),
        tr("Any AE"),
        tr("AE grade ≥ 3"),
        tr("SAE"),
    ]
    rows = [
        [
            level_name(g.level, tr),
            str(s.enrolled),
            str(s.treated),
            str(s.infusions_planned),
            str(s.infusions_given),
            str(s.evaluable),
            rate_text(s.dlt),
            str(s.any_ae),
            str(s.grade_3_or_more),
            str(s.serious),
        ]
        for s, g in ((g.safety, g) for g in groups)
    ]
    shares = [0.12, 0.08, 0.08, 0.1, 0.1, 0.1, 0.16, 0.08, 0.1, 0.08]
    note = tr(
        "Patients are counted at the level they were enrolled at; each patient once per "
        "column. DLT rate: patients with a confirmed DLT over evaluable patients."
    )
    return [
        _heading(tr("Patients, infusions, DLTs and adverse events per level")),
        table(header, rows, [width * x for x in shares]),
        para(note, SMALL),
    ]


def _related(groups: Sequence[GroupSummary], tr: Labels, width: float) -> list[Flowable]:
    out: list[Flowable] = [
        _heading(tr("Treatment-related adverse events by CTCAE term and worst grade"))
    ]
    rows = [
        [
            level_name(g.level, tr),
            tr.term(row.term),
            str(row.patients),
            *(str(n) if n else "" for n in row.by_worst_grade),
        ]
        for g in groups
        for row in g.safety.related
    ]
    if not rows:
        return [*out, para(tr("No treatment-related adverse event."), SMALL)]
    header = [tr("Level"), tr("Term"), tr("Patients"), *(f"{tr('Grade')} {g}" for g in range(1, 6))]
    shares = [0.12, 0.34, 0.09, *(0.09,) * 5]
    note = tr(
        "Attribution possible, probable or definite. Each patient is counted once per term, "
        "at the worst grade of that term."
    )
    return [*out, table(header, rows, [width * x for x in shares]), para(note, SMALL)]


def _haem(groups: Sequence[GroupSummary], tr: Labels, width: float) -> list[Flowable]:
    weeks: list[list[str]] = []
    times: list[list[str]] = []
    for g in groups:
        haem = g.haem
        if haem is None:
            continue
        name = level_name(g.level, tr)
        for week in haem.weeks:
            weeks.append(
                [
                    name,
                    str(week.week),
                    str(week.assessed),
                    str(week.pending),
                    rate_text(week.cr),
                    rate_text(week.pr),
                    rate_text(week.overall),
                ]
            )
        duration = haem.duration
        times.append(
            [
                name,
                *(
                    _median_cell(
                        haem.time_to_response[k].median, haem.time_to_response[k].achieved, tr
                    )
                    for k in LINEAGES
                ),
                days_text(duration.km.median, tr) if duration.responders else "–",
                f"{duration.responders} / {duration.events} / {duration.censored}",
            ]
        )
    week_header = [
        tr("Level"),
        tr("Week"),
        tr("Assessed"),
        tr("Not assessable yet"),
        "CR",
        "PR",
        "OR (CR + PR)",
    ]
    time_header = [
        tr("Level"),
        *(f"{tr('Time to response')} {LINEAGE_NAMES[k]}" for k in LINEAGES),
        tr("Duration of response (median, Kaplan-Meier)"),
        tr("Responders / ended / censored"),
    ]
    return [
        _heading(tr("Haematological response")),
        table(week_header, weeks, [width * x for x in (0.14, 0.08, 0.1, 0.14, 0.18, 0.18, 0.18)]),
        para(
            tr(
                "Over the treated patients whose status that week is final; a week not reached "
                "at the data cut, or counted from a last infusion not known yet, is not "
                "assessable yet (not counted as no response)."
            ),
            SMALL,
        ),
        Spacer(0, 4),
        table(time_header, times, [width * x for x in (0.14, 0.12, 0.12, 0.12, 0.12, 0.2, 0.18)]),
        para(
            tr(
                "Median days from the first infusion to the response, over the patients who "
                "achieved it (n); with an even n, the midpoint of the two middle values."
            ),
            SMALL,
        ),
    ]


def _median_cell(value: Fraction | None, achieved: int, tr: Labels) -> str:
    return f"{days_text(value, tr)} (n = {achieved})" if achieved else "–"


def _tumour(groups: Sequence[GroupSummary], tr: Labels, width: float) -> list[Flowable]:
    rows: list[list[str]] = []
    pfs: list[Curve] = []
    overall: list[Curve] = []
    for g in groups:
        tumour = g.tumour
        if tumour is None:
            continue
        name = level_name(g.level, tr)
        rows.append(
            [
                name,
                rate_text(tumour.dcr),
                f"{tumour.pfs.n} / {tumour.pfs.events}",
                km_text(tumour.pfs, tr),
                f"{tumour.os.n} / {tumour.os.events}",
                km_text(tumour.os, tr),
            ]
        )
        everyone = g.level == ALL_LEVELS
        pfs.append(Curve(name, tumour.pfs, overall=everyone))
        overall.append(Curve(name, tumour.os, overall=everyone))
    header = [
        tr("Level"),
        tr("Disease control (CR, PR or SD)"),
        f"PFS: {tr('n / events')}",
        f"PFS: {tr('median, days (95 % CI)')}",
        f"OS: {tr('n / events')}",
        f"OS: {tr('median, days (95 % CI)')}",
    ]
    out: list[Flowable] = [
        _heading(tr("Tumour response and survival")),
        table(header, rows, [width * x for x in (0.14, 0.18, 0.12, 0.2, 0.12, 0.24)]),
        para(
            tr(
                "Disease control over the patients with a tumour assessment. Kaplan-Meier "
                "medians with the log-log 95 % interval (Greenwood); days from the first dose."
            ),
            SMALL,
        ),
    ]
    for endpoint, curves in (("PFS", pfs), ("OS", overall)):
        texts = ChartTexts(
            title=f"{endpoint}: {tr('Kaplan-Meier estimate')}",
            time_axis=tr("Days from the first dose"),
            survival_axis=tr("Probability"),
            at_risk=tr("Number at risk"),
        )
        if any(curve.km.n for curve in curves):
            out += [Spacer(0, 8), km_chart(curves, texts, width)]
        else:
            out += [para(f"{texts.title}: {tr('no patient has a time yet.')}", SMALL)]
    return out


# A site's summary counts hundreds of patients: their IDs in a table cell made it taller than
# a page (reportlab's LayoutError at 1,220 patients). Beyond this many the cell gives their
# number and the appendix lists them as text that flows over pages.
PATIENTS_INLINE = 30


def _patients_counted(patients: tuple[str, ...], tr: Labels) -> str:
    if len(patients) > PATIENTS_INLINE:
        return f"{len(patients)} ({tr('see the appendix')})"
    return f"{len(patients)}: {', '.join(patients) or tr('none')}"


def _appendix(source: SummarySource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    rows = [[h.name, f"#{h.seq}", h.hash[:HASH_SHOWN] + "…"] for h in source.heads]
    listed: list[Flowable] = []
    if len(source.patients) > PATIENTS_INLINE:
        listed = [para(f"{tr('Patients counted')}: {', '.join(source.patients)}", SMALL)]
    return [
        _heading(tr("Appendix: data cut and the streams read")),
        facts(
            [
                (
                    tr("Data cut"),
                    f"{local(source.at, zone, seconds=True)} {zone_name(zone, source.at)}",
                ),
                (
                    tr("Read at"),
                    f"{local(source.read_at, zone, seconds=True)} "
                    f"{zone_name(zone, source.read_at)}",
                ),
                (tr("Heads digest"), source.digest),
            ],
            width,
            label_share=0.22,
        ),
        *listed,
        para(
            tr(
                "Each stream up to the entry named, whose hash begins as shown. The heads "
                "digest is sha256 over one line per stream: its name, entry number and hash."
            ),
            SMALL,
        ),
        long_table(
            [tr("Stream"), tr("Last entry read"), tr("Head hash")],
            rows,
            [width * x for x in (0.4, 0.2, 0.4)],
        )
        if rows
        else para(tr("No stream: no patient is enrolled."), SMALL),
    ]


# --- the CSV ----------------------------------------------------------------------------------

COLUMNS = (
    "protocol",
    "level",
    "metric",
    "detail",
    "count",
    "of",
    "rate",
    "median_days",
    "ci_lower_days",
    "ci_upper_days",
    "events",
    "censored",
    "data_cut",
    "heads_digest",
)


@dataclass(frozen=True)
class _Row:
    metric: str
    detail: str = ""
    count: int | None = None
    of: int | None = None
    median: Fraction | None = None
    lower: Fraction | None = None
    upper: Fraction | None = None
    events: int | None = None
    censored: int | None = None


def trial_summary_csv(source: SummarySource) -> str:
    """One row per level (``all`` last) and metric."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for group in source.numbers.groups:
        for row in _rows(group):
            rate = Fraction(row.count, row.of) if row.count is not None and row.of else None
            writer.writerow(
                safe_row(
                    [
                        source.protocol.id,
                        group.level,
                        row.metric,
                        row.detail,
                        _blank(row.count),
                        _blank(row.of),
                        rounded(rate, 4) if rate is not None else "",
                        _days(row.median),
                        _days(row.lower),
                        _days(row.upper),
                        _blank(row.events),
                        _blank(row.censored),
                        source.at.isoformat(),
                        source.digest,
                    ]
                )
            )
    return out.getvalue()


def _rows(group: GroupSummary) -> Iterator[_Row]:
    s = group.safety
    for metric, value in (
        ("enrolled", s.enrolled),
        ("treated", s.treated),
        ("infusions_planned", s.infusions_planned),
        ("infusions_given", s.infusions_given),
        ("dlt_evaluable", s.evaluable),
    ):
        yield _Row(metric, count=value)
    yield _Row("dlt", count=s.dlt.count, of=s.dlt.of)
    yield _Row("any_ae", count=s.any_ae, of=s.enrolled)
    yield _Row("ae_grade_3_or_more", count=s.grade_3_or_more, of=s.enrolled)
    yield _Row("sae", count=s.serious, of=s.enrolled)
    for term in s.related:
        yield _Row("related_ae", term.term, count=term.patients, of=s.enrolled)
        for grade, n in enumerate(term.by_worst_grade, start=1):
            if n:
                yield _Row(f"related_ae_worst_grade_{grade}", term.term, count=n)
    haem = group.haem
    if haem is not None:
        for week in haem.weeks:
            prefix = f"week_{week.week}"
            yield _Row(f"{prefix}_cr", count=week.cr.count, of=week.cr.of)
            yield _Row(f"{prefix}_pr", count=week.pr.count, of=week.pr.of)
            yield _Row(f"{prefix}_or", count=week.overall.count, of=week.overall.of)
            yield _Row(f"{prefix}_not_assessable_yet", count=week.pending)
        for key in LINEAGES:
            median = haem.time_to_response[key]
            yield _Row(f"time_to_response_{key}", count=median.achieved, median=median.median)
        d = haem.duration
        yield _Row(
            "duration_of_response",
            count=d.responders,
            median=d.km.median,
            lower=d.km.median_lower,
            upper=d.km.median_upper,
            events=d.events,
            censored=d.censored,
        )
    tumour = group.tumour
    if tumour is not None:
        yield _Row("dcr", count=tumour.dcr.count, of=tumour.dcr.of)
        for metric, km in (("pfs", tumour.pfs), ("os", tumour.os)):
            yield _Row(
                metric,
                count=km.n,
                median=km.median,
                lower=km.median_lower,
                upper=km.median_upper,
                events=km.events,
                censored=km.n - km.events,
            )


def _blank(value: int | None) -> str:
    return "" if value is None else str(value)


def _days(value: Fraction | None) -> str:
    return "" if value is None else str(exact_days(value))


__all__ = [
    "COLUMNS",
    "StreamHead",
    "SummarySource",
    "render_trial_summary",
    "trial_summary_csv",
]
