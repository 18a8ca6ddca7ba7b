"""The infusion record a monitor uses as source document: one PDF per infusion.

Everything on it comes from the stored events (as recorded, with corrections beside the entry
they correct) and the state folded from them; nothing is computed here that the bedside did not
see. The last section carries the chain's head hash, so a later copy or the live database can be
compared with this paper (``infusion-app verify-log --infusion ID --expect-head HASH``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Spacer

from infusion_app.logic import messages as m
from infusion_app.logic.event_log import LogRow, log_rows
from infusion_app.logic.events import DoseVerified, ProductReleased, Signature
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import event_name
from infusion_app.logic.numbers import format_cells
from infusion_app.logic.reading_time import local_times_in
from infusion_app.logic.release import check_release, criterion_text
from infusion_app.records.deviations import deviations
from infusion_app.records.labels import Labels
from infusion_app.records.pages import (
    HEADING,
    MONO,
    NOTE,
    SMALL,
    TITLE,
    PageHeader,
    build_pdf,
    facts,
    para,
    table,
    text_width,
)
from infusion_app.records.source import RecordSource
from infusion_app.records.times import local, zone_label, zone_name
from infusion_app.records.vitals_chart import vitals_chart


def render_infusion_record(
    source: RecordSource,
    *,
    printed_at: datetime,
    printed_by: str,
    zone: tzinfo,
    paper: str = "a4",
    language: str = "en",
) -> bytes:
    """The record as PDF bytes. Same source, same paper: the same pages, the print time aside."""
    tr = Labels(language, zone)
    width = text_width(paper)
    story: list[Flowable] = []
    story += _title(source, tr, zone, printed_at)
    story += _patient(source, tr, zone, width)
    story += _product(source, tr, zone, width, printed_at)
    story += _dose(source, tr, zone, width)
    story += _timeline(source, tr, zone, width)
    story += _vitals(source, tr, zone, width)
    story += _adverse_events(source, tr, zone, width)
    story += _deviations(source, tr, zone, width)
    story += _signatures(source, tr, zone, width)
    story += _verification(source, tr, width)
    header = PageHeader(
        lines=(
            f"{tr('Infusion record')}: {source.protocol.id} v{source.protocol.version}",
            f"{tr('Site')}: {tr.protocol(source.protocol.site.value)}",
            f"{tr('Patient')} {source.patient.trial_id} ({source.patient.initials}), "
            f"{infusion_name(source, tr)}",
            f"{tr('Printed')} {local(printed_at, zone)} {zone_name(zone, printed_at)} "
            f"{tr('by')} {printed_by}",
        ),
        page_text=tr("Page {page} of {pages}"),
        footer=f"{tr('Head hash')} {source.chain.head_hash} (#{source.head_seq})",
    )
    return build_pdf(
        story,
        header,
        paper=paper,
        title=f"Infusion record {source.patient.trial_id} {source.number}",
        author=printed_by,
    )


def infusion_name(source: RecordSource, tr: Labels) -> str:
    return f"{tr('Cycle') if source.counts_cycles else tr('Dose')} {source.number}"


def _heading(text: str) -> Flowable:
    return para(text, HEADING)


def _title(source: RecordSource, tr: Labels, zone: tzinfo, at: datetime) -> list[Flowable]:
    state = source.state
    return [
        para(f"{tr('Infusion record')}: {infusion_name(source, tr)}", TITLE),
        para(f"{tr.protocol(source.protocol.title)} ({source.protocol.label})"),
        para(
            f"{tr('Status')}: {tr(state.status.value)}. {tr('Record created at station')} "
            f"{source.station}. {tr('All times are local')}, {zone_label(zone, at)}.",
            SMALL,
        ),
        Spacer(0, 4),
    ]


def _patient(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    patient = source.patient
    dose = source.dose_event
    rows = [
        (tr("Trial ID"), patient.trial_id),
        (tr("Initials"), patient.initials),
        (tr("Sex"), tr(patient.sex)),
        (tr("Dose level / group"), tr.protocol(source.dose_level_label)),
    ]
    if dose is not None:
        measured = dose.weight_measured_at
        rows.append(
            (
                tr("Weight used for the dose"),
                f"{dose.weight_kg} kg, {tr('measured')} {local(measured, zone)}",
            )
        )
    if dose is None or dose.weight_kg != patient.weight_kg:
        rows.append(
            (
                tr("Weight on record"),
                f"{patient.weight_kg} kg, {tr('measured')} "
                f"{local(patient.weight_measured_at, zone)}",
            )
        )
    return [_heading(tr("Patient")), facts(rows, width)]


def _product(
    source: RecordSource, tr: Labels, zone: tzinfo, width: float, printed_at: datetime
) -> list[Flowable]:
    product = source.product
    coa = product.coa
    rows = [
        (tr("Product ID"), product.product_id),
        (tr("Lot"), product.lot or "-"),
        (tr("Status"), tr.message(m.value_of("product_status", product.status))),
        (tr("Expires"), local(coa.expires_at, zone) or "-"),
        (tr("Concentration (CoA)"), f"{format_cells(coa.total_cells_per_ml)}/mL"),
        (tr("Bag volume (CoA)"), f"{coa.volume_ml} mL"),
    ]
    release = product.release
    signatures = _signatures_of(source.product.events)
    if release is not None:
        assert isinstance(release.data, ProductReleased)  # ProductFacts.release's type
        # the stored check names each criterion in English; its key names the same criterion
        # in the printout's language (the value, limit and result stay as stored)
        names = {
            c.key: tr.message(c.name)
            for c in check_release(source.protocol, coa, printed_at).criteria
        }
        criteria = [
            {  # stored as the check said it: its expiry's times in UTC, read in the page's zone
                "name": names.get(c.key, c.name) if tr.language != "en" else c.name,
                "value": local_times_in(criterion_text(c.value, tr.message), zone),
                "limit": local_times_in(criterion_text(c.limit, tr.message), zone),
                "result": c.result,
            }
            for c in release.data.release_check.criteria
        ]
        evaluated = (
            f"{tr('Release criteria as checked at release')}, {local(release.occurred_at, zone)}"
        )
        signed = signatures.get(release.seq, [])
        rows.append(
            (
                tr("Release signature"),
                "; ".join(
                    f"{tr(p.meaning.value)} {tr('by')} {p.printed_name}, {local(at, zone)}"
                    for p, at in signed
                )
                or tr("missing"),
            )
        )
    else:
        check = check_release(source.protocol, coa, printed_at)
        criteria = [
            {
                "name": tr.message(c.name),
                "value": local_times_in(criterion_text(c.value, tr.message), zone),
                "limit": local_times_in(criterion_text(c.limit, tr.message), zone),
                "result": c.result.value,
            }
            for c in check.criteria
        ]
        evaluated = f"{tr('Not released')}: {tr('criteria evaluated at printing')}"
        rows.append((tr("Release signature"), tr("not released")))
    criteria_table = table(
        [tr("Criterion"), tr("CoA value"), tr("Limit"), tr("Result")],
        [
            [str(c["name"]), str(c["value"]), str(c["limit"]), tr(str(c["result"])).upper()]
            for c in criteria
        ],
        [width * 0.3, width * 0.3, width * 0.28, width * 0.12],
    )
    return [
        _heading(tr("Product and certificate of analysis")),
        facts(rows, width),
        Spacer(0, 4),
        para(evaluated, SMALL),
        criteria_table,
    ]


def _dose(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Dose calculation"))]
    dose = source.dose_event
    plan = source.state.dose
    if dose is None or plan is None:
        return [*out, para(tr("No dose was calculated."), SMALL)]
    per_kg = format_cells(dose.dose_cells_per_kg).removesuffix(" cells")
    concentration = format_cells(dose.total_cells_per_ml)
    dosing = format_cells(dose.dosing_concentration_cells_per_ml)
    calculated = next((e for e in source.events if e.seq == plan.seq), None)
    verified = _verification_of(source, plan.seq)
    rows = [
        (
            tr("Target dose"),
            f"{per_kg} cells/kg × {dose.weight_kg} kg = {dose.target_cells_text}",
        ),
        (
            tr("Concentration"),
            f"{concentration}/mL × {dose.viability_pct}% {tr('viable')} = {dosing}/mL "
            f"({tr(dose.dose_basis)} {tr('basis')})",
        ),
        (tr("Viability"), f"{dose.viability_pct}%"),
        (tr("Product volume"), f"{dose.product_volume_ml} mL"),
        (tr("Delivered cells"), dose.delivered_cells_text),
        (
            tr("Deviation from target"),
            f"{dose.dose_deviation_pct:+}% ({tr('tolerance')} ±{dose.tolerance_pct}%)",
        ),
        (
            tr("Final volume"),
            f"{dose.final_volume_ml} mL ({dose.diluent_volume_ml} mL {tr('diluent')})",
        ),
        (
            tr("Drip plan"),
            f"{tr('drop factor')} {dose.drop_factor_gtt_per_ml} gtt/mL, "
            f"{tr('expected')} {dose.expected_duration_min} min",
        ),
        (
            tr("Calculated by"),
            f"{source.name_of(plan.calculated_by)}, "
            f"{local(calculated.occurred_at, zone) if calculated else ''}",
        ),
        (tr("Verified by"), verified or tr("not verified")),
    ]
    phases = table(
        [tr("Phase"), tr("Minutes"), "gtt/min", "mL/min", "mL/h", tr("Volume") + " mL"],
        [
            [
                str(p.phase),
                f"{p.start_min}–{_sum(p.start_min, p.duration_min)}",
                str(p.rate_gtt_per_min),
                str(p.rate_ml_per_min),
                str(p.rate_ml_per_h),
                str(p.volume_ml),
            ]
            for p in dose.drip_plan
        ],
        [width / 6] * 6,
    )
    return [*out, facts(rows, width), Spacer(0, 4), phases]


def _verification_of(source: RecordSource, calculation_seq: int) -> str:
    for event in source.events:
        if isinstance(event.data, DoseVerified) and event.data.calculation_seq == calculation_seq:
            names = [s.printed_name for s in source.state.signatures if s.signed_seq == event.seq]
            return ", ".join(names) or source.name_of(event.user)
    return ""


def _timeline(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    rows = [_timeline_row(row, tr, zone) for row in log_rows(source.events, source.state)]
    widths = [0.05, 0.14, 0.14, 0.1, 0.15, 0.42]
    return [
        _heading(tr("Timeline")),
        para(
            tr(
                "Every entry as recorded. A correction is its own entry and is also named "
                "beside the entry it corrects; the original stays readable."
            ),
            SMALL,
        ),
        table(
            ["#", tr("Occurred"), tr("Recorded"), tr("By"), tr("Entry"), tr("Details")],
            rows,
            [width * w for w in widths],
        ),
    ]


def _timeline_row(row: LogRow, tr: Labels, zone: tzinfo) -> list[str]:
    details = [tr.message(row.details)]
    if row.back_entered:
        details.append(f"{tr('Back-entered')}: {row.back_entry_reason or tr('no reason given')}")
    details += [f"{tr('Signed')}: {tr.message(s)}" for s in row.signed]
    details += [f"{tr('Corrected by')} {tr.message(c)}" for c in row.corrected_by]
    recorded = local(row.recorded_at, zone) if row.back_entered else tr("same")
    return [
        str(row.seq),
        local(row.occurred_at, zone),
        recorded,
        row.user,
        tr.message(row.what),
        "\n".join(d for d in details if d),
    ]


def _vitals(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    entries = sorted(source.state.vitals, key=lambda v: (v.at, v.seq))
    out: list[Flowable] = [_heading(tr("Vital signs"))]
    if not entries:
        return [*out, para(tr("No vital signs were recorded."), SMALL)]
    corrected = {c.corrects_seq: c.seq for c in source.state.corrections}
    rows = []
    for v in entries:
        s = v.vitals
        note = (
            f" (#{v.seq}, {tr('corrected by')} #{corrected[v.seq]})" if v.seq in corrected else ""
        )
        rows.append(
            [
                local(v.at, zone) + note,
                tr(source.state.vitals_phase(v.at)),
                str(s.temperature_c),
                str(s.heart_rate_bpm),
                f"{s.systolic_mmhg}/{s.diastolic_mmhg}",
                str(s.respiratory_rate_per_min),
                str(s.spo2_pct),
                tr("oxygen") if s.on_oxygen else tr("air"),
                s.avpu,
                f"{v.news2} ({tr(v.band)})",
            ]
        )
    widths = [0.2, 0.1, 0.06, 0.06, 0.09, 0.06, 0.07, 0.08, 0.06, 0.12]
    vitals_table = table(
        [
            tr("Time"),
            tr("Phase"),
            tr("T °C"),
            tr("HR"),
            tr("BP"),
            tr("RR"),
            "SpO2 %",
            tr("O2"),
            "AVPU",
            "NEWS2",
        ],  # SpO2, AVPU and NEWS2: read as they are, in either language
        rows,
        [width * w for w in widths],
    )
    chart = vitals_chart(entries, zone, width, tr("Trend of the vital signs"), tr)
    return [*out, vitals_table, Spacer(0, 6), KeepTogether([chart])]


def _adverse_events(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Adverse events (CTCAE v5.0)"))]
    events = source.state.adverse_events
    if not events:
        return [*out, para(tr("No adverse events were recorded."), SMALL)]
    rows = []
    for entry in events:
        ae = entry.event
        report = ""
        if entry.report_due_at is not None:
            report = (
                f"{tr('reported')} {local(entry.reported_at, zone)}"
                if entry.reported_at
                else f"{tr('report due')} {local(entry.report_due_at, zone)}"
            )
        rows.append(
            [
                str(entry.seq),
                tr.term(ae.name) + (f"\n{ae.description}" if ae.description else ""),
                str(ae.grade),
                tr(ae.attribution.value),
                (tr("yes") if ae.serious else tr("no")) + (f"\n{report}" if report else ""),
                tr("yes") if entry.dlt else tr("no"),
                tr(ae.outcome.value),
                tr(ae.action_taken.value),
                local(ae.started_at, zone),
            ]
        )
    widths = [0.05, 0.2, 0.06, 0.1, 0.12, 0.06, 0.14, 0.13, 0.14]
    return [
        *out,
        table(
            [
                "#",
                tr("Term"),
                tr("Grade"),
                tr("Attribution"),
                tr("Serious"),
                "DLT",
                tr("Outcome"),
                tr("Action taken"),
                tr("Started"),
            ],
            rows,
            [width * w for w in widths],
        ),
    ]


def _deviations(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    rows = [
        [
            str(d.seq),
            local(d.at, zone),
            tr(d.kind),
            f"{tr('recorded')} {local(d.recorded_at, zone)}: {d.reason}"
            if d.recorded_at
            else d.reason,
        ]
        for d in deviations(source)
    ]
    out: list[Flowable] = [_heading(tr("Deviations and overrides"))]
    if not rows:
        return [*out, para(tr("None recorded."), SMALL)]
    widths = [0.06, 0.16, 0.16, 0.62]
    return [
        *out,
        table(["#", tr("Time"), tr("Kind"), tr("Reason")], rows, [width * w for w in widths]),
    ]


def _signatures_of(
    events: Iterable[RecordedEvent],
) -> dict[int, list[tuple[Signature, datetime]]]:
    signed: dict[int, list[tuple[Signature, datetime]]] = {}
    for event in events:
        if isinstance(event.data, Signature):
            signed.setdefault(event.data.signed_seq, []).append((event.data, event.occurred_at))
    return signed


def _signatures(source: RecordSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    """21 CFR 11.50: each signature's printed name, date and time, and meaning."""
    rows: list[list[str]] = []
    for label, events in (
        (tr("Product"), source.product.events),
        (tr("Infusion"), source.events),
    ):
        by_seq = {e.seq: e for e in events}
        for signed_seq, signatures in _signatures_of(events).items():
            signed = by_seq.get(signed_seq)
            # the event's name as the log names it, in the printout's language
            what = tr.message(event_name(signed.type)) if signed else "?"
            for signature, at in signatures:
                rows.append(
                    [
                        signature.printed_name,
                        local(at, zone, seconds=True),
                        tr(signature.meaning.value),
                        f"{label} #{signed_seq}: {what}",
                    ]
                )
    out: list[Flowable] = [
        _heading(tr("Signatures")),
        para(
            tr("Electronic signatures (21 CFR 11.50): printed name, date and time, meaning."), SMALL
        ),
    ]
    if not rows:
        return [*out, para(tr("None recorded."), SMALL)]
    widths = [0.3, 0.2, 0.15, 0.35]
    return [
        *out,
        table(
            [tr("Printed name"), tr("Date and time"), tr("Meaning"), tr("Signs")],
            rows,
            [width * w for w in widths],
        ),
    ]


def _verification(source: RecordSource, tr: Labels, width: float) -> list[Flowable]:
    chain = source.chain
    result = tr("intact") if chain.ok else f"{tr('BROKEN')}: {chain.problem}"
    rows = [
        (tr("Log verification"), result),
        (tr("Events in this infusion's chain"), str(chain.events)),
        (tr("Head entry"), f"#{source.head_seq}"),
    ]
    return [
        _heading(tr("Log verification")),
        facts(rows, width),
        Spacer(0, 3),
        para(tr("Head hash of this infusion's chain"), SMALL),
        para(chain.head_hash, MONO),
        para(
            tr("To compare a later copy with this paper") + ": infusion-app verify-log "
            f"--infusion {source.infusion_id} --expect-head {chain.head_hash}",
            NOTE,
        ),
    ]


def _sum(*values: Any) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))
