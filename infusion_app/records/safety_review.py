"""The safety-review decision record: the dose-finding decision on paper, beside its data.

The minute of a safety review must say what was decided, on which counts, by which rule, and
who signed it, so that a monitor can check the decision against the protocol without the app.
This module lays out one signed review (``TrialDecisionReviewed`` of the trial's stream): the
protocol's rule as its file writes it (value, source and note of each parameter), the decision
and its reason, the counts per level **as signed** (the event's own payload, never recomputed)
and, when the record has moved on since, the counts now; for BOIN the decision table with the
decided cell marked; each flagged DLT with its adverse event and adjudication; the review's
signatures. With no signed review yet it prints the tracker as it stands, titled a draft.

Nothing here reads a database: the service gathers a :class:`SafetyReviewSource` in one
transaction. Times print in the protocol's zone (where the trial's days are counted), named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from infusion_app.logic import messages as m
from infusion_app.logic.boin import BoinBoundaries
from infusion_app.logic.dlt_review import FlaggedDlt, PatientFlags, ReviewState
from infusion_app.logic.dose_finding import SELECT, Phase, TrialState, decision_reason
from infusion_app.logic.escalation import dlt_count
from infusion_app.logic.events import LevelCounts, Signature, TrialDecisionReviewed
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol, Sourced
from infusion_app.records.fonts import LATIN_BOLD, markup
from infusion_app.records.labels import Labels
from infusion_app.records.pages import (
    CELL,
    CELL_SIZE,
    HEADING,
    SMALL,
    TITLE,
    PageHeader,
    build_pdf,
    facts,
    para,
    table,
    text_width,
)
from infusion_app.records.source import PrintedSource
from infusion_app.records.times import local, zone_label, zone_name

COUNT_COLUMNS = ("enrolled", "treated", "evaluable", "pending", "dlts", "not_evaluable")
MARK = colors.HexColor("#ffe08a")  # the decided cell of the BOIN table
MARK_ROW = colors.HexColor("#fff4cc")

T = TypeVar("T")


@dataclass(frozen=True)
class SignedDecision:
    """A signed review as the trial's stream holds it: the entry and its signatures."""

    seq: int
    at: datetime
    by: str | None
    review: TrialDecisionReviewed
    signatures: tuple[tuple[Signature, datetime], ...]


@dataclass(frozen=True)
class SafetyReviewSource(PrintedSource):
    """Everything the record is made from, read in one transaction.

    ``events`` are the trial stream's (the signed reviews and their signatures); ``state`` and
    ``dlts`` are the tracker at the print time; ``chosen`` is the review printed, None for the
    draft of a trial with no signed review."""

    events: tuple[RecordedEvent, ...]  # the trial stream's
    protocol: Protocol
    state: TrialState
    dlts: tuple[PatientFlags, ...]
    table: BoinBoundaries | None
    chosen: SignedDecision | None
    head_hash: str | None  # of the trial stream; None before its first review
    printed_names: dict[str, str] = field(default_factory=dict)

    @property
    def reviews(self) -> tuple[SignedDecision, ...]:
        return signed_decisions(self.events)


def signed_decisions(events: Sequence[RecordedEvent]) -> tuple[SignedDecision, ...]:
    """The trial stream's signed reviews, in order, each with the signatures bound to it."""
    signatures: dict[int, list[tuple[Signature, datetime]]] = {}
    for event in events:
        if isinstance(event.data, Signature):
            signatures.setdefault(event.data.signed_seq, []).append((event.data, event.occurred_at))
    return tuple(
        SignedDecision(e.seq, e.occurred_at, e.user, e.data, tuple(signatures.get(e.seq, ())))
        for e in events
        if isinstance(e.data, TrialDecisionReviewed)
    )


def signed_reason(review: TrialDecisionReviewed, cohort_size: int) -> Message | None:
    """Why the rule decided what was signed, worded from the signed counts (the same words as
    the tracker's :func:`decision_reason`, which reads the counts of now)."""
    if review.decision == SELECT:
        boin, seed = review.selected, review.selected_largest_on_tie
        if boin is None:
            return m.trial_reason_nothing_selected()
        if seed is None or seed == boin:
            return m.trial_reason_select(level=boin)
        return m.trial_reason_select_differ(boin=boin, seed=seed)
    at = next((c for c in review.counts if c.level == review.level), None)
    if at is None:
        return None
    y, n, level = dlt_count(at.dlts), at.evaluable, review.level
    to = review.next_level
    if review.decision == "expand":
        return m.trial_reason_expand(dlts=y, evaluable=n, level=level, size=2 * cohort_size)
    if review.decision == "escalate" and to is not None:
        return m.trial_reason_escalate(dlts=y, evaluable=n, level=level, next_level=to)
    if review.decision == "de-escalate" and to is not None:
        return m.trial_reason_deescalate(dlts=y, evaluable=n, level=level, next_level=to)
    if review.decision == "stay":
        return m.trial_reason_stay(dlts=y, evaluable=n, level=level)
    if review.decision != "stop":
        return None
    if review.method == "boin":
        return m.trial_reason_lowest_eliminated(level=level)
    if review.mtd == level:
        return m.trial_reason_tolerated(dlts=y, evaluable=n, level=level)
    if review.mtd is None:
        return m.trial_reason_stop_none(dlts=y, evaluable=n, level=level)
    return m.trial_reason_stop(dlts=y, evaluable=n, level=level, mtd=review.mtd)


def counts_now(state: TrialState) -> tuple[LevelCounts, ...]:
    """The tracker's counts in the signed payload's shape, to compare with what was signed."""
    return tuple(LevelCounts(**vars(c)) for c in state.counts)


# --- the paper -------------------------------------------------------------------------------


def render_safety_review(
    source: SafetyReviewSource,
    *,
    printed_at: datetime,
    printed_by: str,
    zone: tzinfo | None = None,
    paper: str = "a4",
    language: str = "en",
) -> bytes:
    """The record as PDF bytes (portrait: its widest table has eleven narrow columns)."""
    where = zone or source.protocol.zone
    tr = Labels(language, where)
    width = text_width(paper)
    chosen = source.chosen
    title = tr("Safety review decision record")
    if chosen is None:
        title += f" ({tr('draft, not signed')})"
    zone_text = zone_label(where, printed_at)
    story: list[Flowable] = [
        para(f"{title}: {source.protocol.label}", TITLE),
        para(tr.protocol(source.protocol.title)),
        para(f"{tr('All times are local')}, {zone_text}.", SMALL),
        Spacer(0, 4),
    ]
    story += _rule(source, tr, width)
    if chosen is None:
        story += _draft(source, tr, where, width)
    else:
        story += _decision(source, chosen, tr, where, width)
    story += _counts(source, tr, where, width)
    if source.table is not None:
        story += _boin_table(source, source.table, tr, width)
    story += _dlts(source, tr, where, width)
    if chosen is not None:
        story += _signatures(chosen, tr, where, width)
    story += _history(source, tr, where, width)
    if chosen is None:
        which = tr("DRAFT: no signed review")
    else:
        which = tr("Review #{seq}, signed {at}").format(
            seq=chosen.seq, at=f"{local(chosen.at, where)} {zone_name(where, chosen.at)}"
        )
    header = PageHeader(
        lines=(
            f"{tr('Safety review decision record')}: {source.protocol.label}",
            f"{tr('Site')}: {tr.protocol(source.protocol.site.value)}",
            which,
            f"{tr('Printed')} {local(printed_at, where)} {zone_name(where, printed_at)} "
            f"{tr('by')} {printed_by}",
        ),
        page_text=tr("Page {page} of {pages}"),
        footer=(
            f"{tr('Head hash')} {source.head_hash} (#{source.head_seq})" if source.head_hash else ""
        ),
    )
    return build_pdf(
        story,
        header,
        paper=paper,
        title=f"Safety review decision record {source.protocol.label}",
        author=printed_by,
    )


def _heading(text: str) -> Flowable:
    return para(text, HEADING)


def _sourced(value: Sourced[T] | None, tr: Labels, shown: str | None = None) -> str:
    """ "3 (source: 004_….txt; note)": a protocol value, its source and note, in the
    printout's language (a text of the file from the catalogue beside it)."""
    if value is None:
        return tr("not set")
    said = f"{tr('source')}: {tr.protocol(value.source)}"
    if value.note:
        said += f"; {tr.protocol(value.note)}"
    if shown is None:
        shown = tr.protocol(value.value) if isinstance(value.value, str) else str(value.value)
    return f"{shown}\n({said})"


def _quoted(value: Sourced[T], tr: Labels) -> str | Flowable:
    """A rule whose English is the protocol's authoritative wording (the escalation rule, the
    DLT definition, how the registry's stop rule is read): in a Chinese printout the Chinese,
    and beneath it, smaller, the file's English as written. The investigator signs a decision
    against the protocol, and the protocol is the English file (its SHA-256 pinned): a reader
    who sees only a translation cannot tell a slip of the translator from the rule, and the
    sponsor's reviewer reads the English. The Chinese comes first because the site reads it."""
    said = _sourced(value, tr)
    english = _sourced(value, Labels("en"))
    if said == english:
        return said
    original = tr("The protocol's words") + f": {english}"
    return Paragraph(
        markup(said).replace("\n", "<br/>")
        + f'<br/><font size="{QUOTE_SIZE}" color="#444444">'
        + markup(original).replace("\n", " ")
        + "</font>",
        CELL,
    )


# the protocol's English beneath its Chinese: smaller than a cell's 7.5 pt, still legible
QUOTE_SIZE = 6.5


def _rule(source: SafetyReviewSource, tr: Labels, width: float) -> list[Flowable]:
    protocol = source.protocol
    design = protocol.design
    rule = design.dose_finding
    assert rule is not None  # the service prints only protocols with a rule
    levels = " → ".join(f"{d.id}" for d in protocol.dose_levels)
    rows = [
        (tr("Method"), _sourced(rule.method, tr)),
        (tr("Escalation (protocol)"), _quoted(design.escalation, tr)),
        (tr("Levels in order"), levels),
        *((f"{tr('Level')} {d.id}", tr.protocol(d.label)) for d in protocol.dose_levels),
        (tr("Cohort size"), _sourced(rule.cohort_size, tr)),
    ]
    if rule.dlt_count_scope is not None:
        rows.append((tr("DLTs counted"), _quoted(rule.dlt_count_scope, tr)))
    if rule.method.value == "boin":
        target = design.target_toxicity_level
        shown = f"{target.value:.0%}" if target is not None else None
        rows += [
            (tr("Target DLT rate"), _sourced(target, tr, shown)),
            (tr("Elimination cutoff"), _sourced(rule.elimination_cutoff, tr)),
            (tr("Dose-finding patients"), _sourced(rule.dose_finding_patients, tr)),
            (tr("Maximum per level"), _sourced(rule.max_per_level, tr)),
        ]
    rows += [
        (tr("DLT definition"), _quoted(design.dlt_definition, tr)),
        (tr("DLT minimum grade"), _sourced(design.dlt_min_grade, tr)),
        (tr("DLT window (days)"), _sourced(design.dlt_window_days, tr)),
    ]
    if design.dlt_window_anchor is not None:
        rows.append((tr("DLT window from"), _sourced(design.dlt_window_anchor, tr)))
    heading = tr("The dose-finding rule (protocol {label})").format(label=protocol.label)
    return [_heading(heading), facts(rows, width, label_share=0.22)]


def _decision(
    source: SafetyReviewSource, chosen: SignedDecision, tr: Labels, zone: tzinfo, width: float
) -> list[Flowable]:
    review = chosen.review
    total = len(source.reviews)
    rows = [
        (
            tr("Signed review"),
            tr("#{seq} of the trial's log ({index} of {total} signed reviews)").format(
                seq=chosen.seq,
                index=[r.seq for r in source.reviews].index(chosen.seq) + 1,
                total=total,
            )
            + f", {local(chosen.at, zone)} {tr('by')} {source.name_of(chosen.by)}",
        ),
        (tr("Protocol as signed"), f"{review.protocol} ({review.method})"),
        (tr("Decision"), tr(review.decision)),
        (tr("At level"), review.level),
        (tr("Next level"), review.next_level or tr("none: dose finding over")),
    ]
    if review.method == "3+3" or review.mtd is not None:
        rows.append((tr("Maximum tolerated level"), review.mtd or tr("not known yet")))
    rows.append((tr("Eliminated levels"), ", ".join(review.eliminated) or tr("none")))
    if review.decision == SELECT:
        rows += [
            (tr("BOIN select.mtd"), review.selected or tr("none")),
            (
                tr("Largest dose equal or closest to the target"),
                review.selected_largest_on_tie or review.selected or tr("none"),
            ),
            (tr("Chosen optimal dose"), review.next_level or tr("none")),
            (tr("Reason for the choice"), review.choice_reason or tr("no choice was needed")),
        ]
    reason = signed_reason(review, source.state.cohort_size)
    if reason is not None:
        rows.append((tr("Why (the rule, on the signed counts)"), tr.message(reason)))
    rows += [
        (tr("Comment"), review.comment or ""),
        (tr("Patients the review saw"), ", ".join(review.patients)),
    ]
    return [_heading(tr("The signed decision")), facts(rows, width, label_share=0.28)]


def _draft(source: SafetyReviewSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    state = source.state
    reason = decision_reason(state)
    if state.phase is Phase.SELECTION_DUE:
        due = tr(SELECT)
    elif state.decision is not None:
        due = tr(state.decision.kind.value)
    else:
        due = tr("none due yet")
    rows = [
        (tr("Status"), tr("not signed: the tracker as it stands at the print time")),
        (tr("Current level"), state.level_id(state.current) or tr("none")),
        (tr("Phase"), tr(state.phase.value)),
        (tr("The rule's decision now"), due),
    ]
    if reason is not None:
        rows.append((tr("Why"), tr.message(reason)))
    if state.waiting:
        waits = "; ".join(tr.message(w) for w in state.waiting)
        rows.append((tr("Waiting for"), waits))
    pending = [p for p in state.patients if p.status(state.now).value == "pending"]
    if pending:
        rows.append(
            (
                tr("DLT windows open"),
                "; ".join(
                    f"{p.trial_id} ({p.level}): {local(p.window_closes, zone) or tr('not known')}"
                    for p in pending
                ),
            )
        )
    if state.to_replace:
        rows.append(
            (tr("To be replaced"), ", ".join(f"{p.trial_id} ({p.level})" for p in state.to_replace))
        )
    return [_heading(tr("Draft: no decision is signed")), facts(rows, width, label_share=0.28)]


def _count_table(counts: Sequence[LevelCounts], tr: Labels, width: float) -> Table:
    header = [
        tr("Level"),
        tr("Enrolled"),
        tr("Treated"),
        tr("Evaluable"),
        tr("Pending"),
        "DLT",
        tr("Not evaluable"),
    ]
    rows = [[c.level, *(str(getattr(c, name)) for name in COUNT_COLUMNS)] for c in counts]
    shares = [0.16, *(0.14,) * 6]
    return table(header, rows, [width * s for s in shares])


def _counts(source: SafetyReviewSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    now = counts_now(source.state)
    at = f"{local(source.state.now, zone)}"
    if source.chosen is None:
        return [_heading(f"{tr('Counts per level now')} ({at})"), _count_table(now, tr, width)]
    signed = tuple(source.chosen.review.counts)
    out: list[Flowable] = [
        _heading(tr("Counts per level as signed")),
        _count_table(signed, tr, width),
    ]
    if signed != now:
        out += [
            _heading(f"{tr('Counts per level now')} ({at})"),
            para(tr("The record has changed since this review was signed."), SMALL),
            _count_table(now, tr, width),
        ]
    else:
        out.append(para(tr("The counts now are the same as signed."), SMALL))
    return out


def _decided_cell(source: SafetyReviewSource) -> tuple[str, int, int, str] | None:
    """(level, n, y, decision) of the table's marked cell: the decided level's signed counts,
    or in the draft the current level's counts now (None before anyone is evaluable there)."""
    chosen = source.chosen
    if chosen is not None:
        review = chosen.review
        at = next((c for c in review.counts if c.level == review.level), None)
        if at is None:
            return None
        return review.level, at.evaluable, at.dlts, review.decision
    state = source.state
    if state.current is None:
        return None
    count = state.counts[state.current]
    decided = state.decision.kind.value if state.decision is not None else ""
    return count.level, count.evaluable, count.dlts, decided


def _boin_table(
    source: SafetyReviewSource, boundaries: BoinBoundaries, tr: Labels, width: float
) -> list[Flowable]:
    cell = _decided_cell(source)
    title = tr("BOIN decision table (target {target}, lambda_e {e}, lambda_d {d})").format(
        target=f"{float(boundaries.target):.0%}",
        e=f"{boundaries.lambda_e:.4f}",
        d=f"{boundaries.lambda_d:.4f}",
    )
    header = [
        tr("Evaluable patients (n)"),
        tr("Escalate if DLTs ≤"),
        tr("De-escalate if DLTs ≥"),
        tr("Eliminate if DLTs ≥"),
        tr("Decided cell"),
    ]
    rows: list[list[str]] = []
    marked: int | None = None
    for index, row in enumerate(boundaries.rows, start=1):
        mark = ""
        if cell is not None and row.n == cell[1]:
            marked = index
            level, n, y, decided = cell
            mark = tr("→ level {level}: {y} DLT in {n}").format(level=level, y=y, n=n)
            if decided:
                mark += f": {tr(decided)}"
        rows.append(
            [
                str(row.n),
                _bound(row.escalate_if_dlt_le),
                _bound(row.deescalate_if_dlt_ge),
                _bound(row.eliminate_if_dlt_ge),
                mark,
            ]
        )
    shares = [0.16, 0.16, 0.16, 0.16, 0.36]
    grid = table(header, rows, [width * s for s in shares])
    if marked is not None:
        grid.setStyle(_marked(marked, cell[3] if cell is not None else ""))
    notes: list[Flowable] = []
    if cell is None or cell[1] == 0:
        notes.append(para(tr("No patient is evaluable at the decided level yet."), SMALL))
    elif marked is None:
        notes.append(para(tr("The decided level's n is beyond the table."), SMALL))
    else:
        notes.append(
            para(
                tr("The marked row is the decided level's n; the marked cell the rule applied.")
                + " "
                + tr("'-': no count of DLTs in n does it."),
                SMALL,
            )
        )
    return [_heading(title), grid, *notes]


def _marked(row: int, decided: str) -> TableStyle:
    """The decided row shaded, and within it the boundary the decision came from."""
    column = {"escalate": 1, "de-escalate": 2, "stop": 3}.get(decided)
    commands: list[Any] = [("BACKGROUND", (0, row), (-1, row), MARK_ROW)]
    commands.append(("FONT", (0, row), (-1, row), LATIN_BOLD, CELL_SIZE))
    if column is not None:
        commands.append(("BACKGROUND", (column, row), (column, row), MARK))
    commands.append(("BACKGROUND", (4, row), (4, row), MARK))
    return TableStyle(commands)


def _bound(value: int | None) -> str:
    return "-" if value is None else str(value)


def _dlts(source: SafetyReviewSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Flagged DLTs and their adjudication"))]
    found = [(p, d) for p in source.dlts for d in p.flagged]
    if not found:
        return [*out, para(tr("No adverse event was flagged as a DLT."), SMALL)]
    signed_at = source.chosen.at if source.chosen is not None else None
    rows = [_dlt_row(source, patient, flagged, signed_at, tr, zone) for patient, flagged in found]
    header = [
        tr("Patient"),
        tr("Adverse event"),
        tr("Started"),
        tr("Recorded as"),
        tr("Adjudication"),
        tr("By, when"),
        tr("Reason"),
    ]
    shares = [0.1, 0.2, 0.11, 0.14, 0.11, 0.16, 0.18]
    return [*out, table(header, rows, [width * s for s in shares])]


def _dlt_row(
    source: SafetyReviewSource,
    patient: PatientFlags,
    flagged: FlaggedDlt,
    signed_at: datetime | None,
    tr: Labels,
    zone: tzinfo,
) -> list[str]:
    ae = flagged.event
    review = flagged.review
    what = f"{tr.term(ae.name)}, {tr('grade')} {ae.grade}, {tr(ae.attribution)}"
    verdict = tr(flagged.state.value)
    by = reason = ""
    if review is not None:
        by = f"{source.name_of(review.by)}, {local(review.at, zone)}"
        reason = review.reason
        if signed_at is not None and review.at > signed_at:
            verdict += f"\n({tr('after this review')})"
    elif flagged.state is ReviewState.PENDING:
        verdict = tr("review pending")
    return [
        f"{patient.trial_id} ({patient.level})",
        what,
        local(ae.started_at, zone),
        f"{flagged.stream}#{flagged.seq}",
        verdict,
        by,
        reason,
    ]


def _signatures(chosen: SignedDecision, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [
        _heading(tr("Signatures")),
        para(
            tr("Electronic signatures (21 CFR 11.50): printed name, date and time, meaning."), SMALL
        ),
    ]
    if not chosen.signatures:
        return [*out, para(f"{tr('signature')}: {tr('missing')}", SMALL)]
    rows = [
        [
            signature.printed_name,
            tr(signature.meaning.value),
            f"{local(at, zone, seconds=True)} {zone_name(zone, at)}",
            at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
            f"#{signature.signed_seq} {signature.signed_hash[:16]}…",
        ]
        for signature, at in chosen.signatures
    ]
    header = [tr("Printed name"), tr("Meaning"), tr("Local time"), "UTC", tr("Signs")]
    shares = [0.22, 0.12, 0.22, 0.2, 0.24]
    return [*out, table(header, rows, [width * s for s in shares])]


def _history(source: SafetyReviewSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    reviews = source.reviews
    if not reviews:
        return []
    chosen = source.chosen.seq if source.chosen is not None else None
    rows = [
        [
            f"#{r.seq}" + (f" ({tr('printed')})" if r.seq == chosen else ""),
            local(r.at, zone),
            source.name_of(r.by),
            tr(r.review.decision),
            r.review.level,
            r.review.next_level or "-",
        ]
        for r in reviews
    ]
    header = [
        tr("Review no."),
        tr("Signed at"),
        tr("By"),
        tr("Decision"),
        tr("At level"),
        tr("Next"),
    ]
    shares = [0.1, 0.18, 0.24, 0.18, 0.15, 0.15]
    return [
        _heading(tr("All signed reviews of this trial")),
        table(header, rows, [width * s for s in shares]),
    ]
