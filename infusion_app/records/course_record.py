"""The patient's course record: one PDF per patient, the plan against what was given.

A monitor compares a patient's course with the protocol on this paper: the enrolment and every
level change with its signed reason, each planned infusion with its target date, window and
actual start, every departure from the schedule with the reason given, the visit and sample
calendar, and the adverse events of the whole course with their DLT flags.

Nothing here reads a database: the service gathers a :class:`CourseSource` (the folded facts,
the plan and calendar computed at the print time, the stored events) and this module lays it
out. Day windows are whole local days of the protocol's time zone, as the plan counts them;
times are printed in the station's zone, which the page names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from reportlab.platypus import Flowable, Spacer

from infusion_app.logic import messages as m
from infusion_app.logic.course import (
    CalendarStatus,
    CourseFacts,
    Occurrence,
    Plan,
    PlannedInfusion,
    PlanStatus,
    occurrence_label,
)
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import (
    AdverseEventRecorded,
    DltReviewed,
    SaeReported,
    Signature,
)
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import effective_events
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
    text_width,
)
from infusion_app.records.source import PatientFacts, PrintedSource
from infusion_app.records.times import local, zone_label, zone_name


@dataclass(frozen=True)
class CourseInfusion:
    """One infusion record of the course: its number, chain and stored events."""

    number: int
    stream: str  # "infusion:P001/2"
    events: tuple[RecordedEvent, ...]


@dataclass(frozen=True)
class CourseSource(PrintedSource):
    """Everything the course record is made from, read in one transaction.

    ``plan`` and ``calendar`` are computed at the print time (None and empty when the
    patient's protocol plans no course)."""

    protocol: Protocol
    patient: PatientFacts
    facts: CourseFacts
    plan: Plan | None
    calendar: tuple[Occurrence, ...]
    events: tuple[RecordedEvent, ...]  # the patient's own stream
    infusions: tuple[CourseInfusion, ...]
    head_hash: str  # of the patient's stream
    printed_names: dict[str, str] = field(default_factory=dict)

    @property
    def stream(self) -> str:
        return patient_stream(self.patient.trial_id)


# --- what departed from the schedule ---------------------------------------------------------


@dataclass(frozen=True)
class ScheduleDeviation:
    """A departure from the plan or the calendar, with the reason given if any."""

    kind: str  # an English label: "Late infusion", "Missed visit", ...
    what: Message  # "infusion 2 of 4", "Follow-up visit, week 1"
    opens: datetime | None
    closes: datetime | None  # exclusive
    in_days: bool  # a window of whole local days (else exact times)
    at: datetime | None  # when it was done; None when it was not
    reason: str | None
    occurrence: Occurrence | None = None  # the calendar item, for its name in each language


# by the calendar item's kind: visit, sample, check, assessment
_LATE = {k: f"Late {k}" for k in ("visit", "sample", "check", "assessment")}
_MISSED = {k: f"Missed {k}" for k in ("visit", "sample", "check", "assessment")}
_EARLY = {k: f"Early {k}" for k in ("visit", "sample", "check", "assessment")}


def schedule_deviations(source: CourseSource) -> list[ScheduleDeviation]:
    """Infusions started after their window closed or missed, then calendar items recorded
    late, recorded out of their window, or missed; in the order they fall due."""
    found = _plan_deviations(source.plan) if source.plan is not None else []
    enrolment = source.facts.enrolment
    if enrolment is not None and enrolment.deviation is not None:
        # enrolled although the trial's dose-finding rule refused it (two signatures)
        found.insert(
            0,
            ScheduleDeviation(
                "Enrolment against the dose-finding rule",
                m.view_enrolled_at(level=enrolment.dose_level),
                None,
                None,
                False,
                enrolment.at,
                enrolment.deviation,
            ),
        )
    for occurrence in source.calendar:
        kinds = {
            CalendarStatus.LATE: _LATE,
            CalendarStatus.MISSED: _MISSED,
            CalendarStatus.OUT_OF_WINDOW: _EARLY,
        }.get(occurrence.status)
        if kinds is None:
            continue
        record = occurrence.record
        found.append(
            ScheduleDeviation(
                kinds[occurrence.item.kind],
                occurrence.label,
                occurrence.opens,
                occurrence.closes,
                occurrence.item.unit == "days",
                record.at if record is not None else None,
                record.reason if record is not None else None,
                occurrence,
            )
        )
    return found


def _plan_deviations(plan: Plan) -> list[ScheduleDeviation]:
    found = []
    for planned in plan.infusions:
        if planned.deviation or _started_late(planned):
            kind = "Late infusion"
        elif planned.status is PlanStatus.MISSED:
            kind = "Missed infusion"
        else:
            continue
        found.append(
            ScheduleDeviation(
                kind,
                plan.of_text(planned.number),
                planned.opens,
                planned.closes,
                True,
                planned.started_at,
                planned.deviation,
            )
        )
    return found


def _started_late(planned: PlannedInfusion) -> bool:
    return (
        planned.started_at is not None
        and planned.closes is not None
        and planned.started_at >= planned.closes
    )


# --- the adverse events of the whole course ------------------------------------------------


@dataclass(frozen=True)
class CourseAdverseEvent:
    stream: str  # where it is recorded: the patient's stream or an infusion's
    infusion: int | None  # the infusion's number, None for one recorded against the patient
    seq: int
    event: AdverseEventRecorded  # as corrections make it read
    reported_at: datetime | None
    review: tuple[bool, str, str | None, datetime] | None  # confirmed, reason, by, when


def course_adverse_events(source: CourseSource) -> list[CourseAdverseEvent]:
    """The AEs of the patient's stream and of every infusion, each with its SAE report and the
    investigator's DLT review (the latest, if any)."""
    reviews: dict[tuple[str, int], tuple[bool, str, str | None, datetime]] = {}
    for event in source.events:
        if isinstance(event.data, DltReviewed):
            key = (event.data.stream, event.data.adverse_event_seq)
            reviews[key] = (event.data.confirmed, event.data.reason, event.user, event.occurred_at)
    streams: list[tuple[str, int | None, tuple[RecordedEvent, ...]]] = [
        (source.stream, None, source.events),
        *((i.stream, i.number, i.events) for i in source.infusions),
    ]
    found: list[CourseAdverseEvent] = []
    for stream, number, events in streams:
        reported = {
            e.data.adverse_event_seq: e.occurred_at
            for e in events
            if isinstance(e.data, SaeReported)
        }
        for event in effective_events(list(events)):
            if isinstance(event.data, AdverseEventRecorded):
                found.append(
                    CourseAdverseEvent(
                        stream,
                        number,
                        event.seq,
                        event.data,
                        reported.get(event.seq),
                        reviews.get((stream, event.seq)),
                    )
                )
    return sorted(found, key=lambda a: (a.event.started_at, a.stream, a.seq))


# --- the paper -------------------------------------------------------------------------------


def render_course_record(
    source: CourseSource,
    *,
    printed_at: datetime,
    printed_by: str,
    zone: tzinfo,
    paper: str = "a4",
    language: str = "en",
) -> bytes:
    """The record as PDF bytes (landscape: the plan and calendar tables are wide)."""
    tr = Labels(language, zone)
    width = text_width(paper, wide=True)
    patient = source.patient
    story: list[Flowable] = [
        para(f"{tr('Patient course record')}: {patient.trial_id} ({patient.initials})", TITLE),
        para(f"{tr.protocol(source.protocol.title)} ({source.protocol.label})"),
        para(
            f"{tr('All times are local')}, {zone_label(zone, printed_at)}. "
            + tr("Windows are whole local days of {zone}.").format(zone=source.protocol.zone),
            SMALL,
        ),
        Spacer(0, 4),
    ]
    story += _header(source, tr, zone, width)
    story += _plan(source, tr, zone, width)
    story += _deviations(source, tr, zone, width)
    story += _calendar(source, tr, zone, width)
    story += _adverse_events(source, tr, zone, width)
    header = PageHeader(
        lines=(
            f"{tr('Patient course record')}: {source.protocol.label}",
            f"{tr('Site')}: {tr.protocol(source.protocol.site.value)}",
            f"{tr('Patient')} {patient.trial_id} ({patient.initials})",
            f"{tr('Printed')} {local(printed_at, zone)} {zone_name(zone, printed_at)} "
            f"{tr('by')} {printed_by}",
        ),
        page_text=tr("Page {page} of {pages}"),
        footer=f"{tr('Head hash')} {source.head_hash} (#{source.head_seq})",
    )
    return build_pdf(
        story,
        header,
        paper=paper,
        wide=True,
        title=f"Patient course record {patient.trial_id}",
        author=printed_by,
    )


def _heading(text: str) -> Flowable:
    return para(text, HEADING)


def _signatures(source: CourseSource) -> dict[int, list[tuple[Signature, datetime]]]:
    signed: dict[int, list[tuple[Signature, datetime]]] = {}
    for event in source.events:
        if isinstance(event.data, Signature):
            signed.setdefault(event.data.signed_seq, []).append((event.data, event.occurred_at))
    return signed


def _signed(
    signatures: dict[int, list[tuple[Signature, datetime]]], seq: int, tr: Labels, zone: tzinfo
) -> str:
    """ "signed (enrolled) by Ivan Investigator, 2026-11-21 16:00", or that it is missing."""
    found = signatures.get(seq, [])
    if not found:
        return f"{tr('signature')}: {tr('missing')}"
    return "; ".join(
        f"{tr('signed')} ({tr(s.meaning.value)}) {tr('by')} {s.printed_name}, {local(at, zone)}"
        for s, at in found
    )


def _level_label(source: CourseSource, level: str) -> str:
    return next((d.label for d in source.protocol.dose_levels if d.id == level), level)


def _header(source: CourseSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    patient, course = source.patient, source.facts
    signatures = _signatures(source)
    enrolment = course.enrolment
    level = enrolment.dose_level if enrolment is not None else course.registered_level
    rows = [
        (tr("Trial ID"), patient.trial_id),
        (tr("Initials"), patient.initials),
        (tr("Sex"), tr(patient.sex)),
        (tr("Trial protocol"), f"{source.protocol.label}: {tr.protocol(source.protocol.title)}"),
        (tr("Dose level / group"), tr.protocol(_level_label(source, level))),
    ]
    if enrolment is not None:
        rows.append(
            (
                tr("Enrolled"),
                f"{local(enrolment.at, zone)} {tr('by')} {source.name_of(enrolment.by)} "
                f"({enrolment.protocol}); {_signed(signatures, enrolment.seq, tr, zone)}",
            )
        )
    else:
        rows.append((tr("Enrolled"), tr("not enrolled")))
    for change in course.level_changes:
        rows.append(
            (
                tr("Level changed"),
                f"{change.from_level} → {change.to_level} "
                + tr("from infusion {number}").format(number=change.from_infusion)
                + f", {local(change.at, zone)} {tr('by')} "
                f"{source.name_of(change.by)}: {change.reason}; "
                f"{_signed(signatures, change.seq, tr, zone)}",
            )
        )
    end = course.end
    if end is not None:
        details = f" ({end.details})" if end.details else ""
        rows.append(
            (
                tr("End of treatment"),
                f"{local(end.at, zone)}, {tr(end.reason.value)}{details}, {tr('by')} "
                f"{source.name_of(end.by)}; {_signed(signatures, end.seq, tr, zone)}",
            )
        )
    else:
        rows.append((tr("End of treatment"), tr("treatment not ended")))
    return [_heading(tr("Patient and enrolment")), facts(rows, width, label_share=0.2)]


def _window(
    opens: datetime | None,
    closes: datetime | None,
    in_days: bool,
    protocol_zone: tzinfo,
    zone: tzinfo,
    tr: Labels,
) -> str:
    """ "2026-11-27 – 2026-11-30" (local days, both included), or exact times; "from ..."
    while a window has no end."""
    if opens is None:
        return ""
    if closes is None:
        return f"{tr('from')} {local(opens, zone)}"
    if in_days:
        first = opens.astimezone(protocol_zone).date()
        last = closes.astimezone(protocol_zone).date() - timedelta(days=1)
        return f"{first} – {last}"
    return f"{local(opens, zone)} – {local(closes, zone)}"


def _day(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def _plan(source: CourseSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Treatment plan and infusions given"))]
    plan = source.plan
    if plan is None:
        return [*out, para(tr("This protocol version plans no course."), SMALL)]
    rows = [_plan_row(source, plan, p, tr, zone) for p in plan.infusions]
    widths = [0.14, 0.06, 0.09, 0.15, 0.12, 0.09, 0.35]
    header = [
        tr("Infusion"),
        tr("Level"),
        tr("Target date"),
        tr("Window"),
        tr("Actual start"),
        tr("Status"),
        tr("Deviation and reason"),
    ]
    return [*out, long_table(header, rows, [width * w for w in widths])]


def _plan_row(
    source: CourseSource, plan: Plan, planned: PlannedInfusion, tr: Labels, zone: tzinfo
) -> list[str]:
    if planned.deviation:
        note = f"{tr('started after its window closed')}: {planned.deviation}"
    elif _started_late(planned):  # a start from before the plan was checked
        note = f"{tr('started after its window closed')}: {tr('no reason recorded')}"
    elif planned.not_given_reason is not None:
        note = tr.message(planned.not_given_reason)
    else:
        note = ""
    return [
        tr.message(plan.of_text(planned.number)),
        planned.level,
        _day(planned.target),
        _window(planned.opens, planned.closes, True, source.protocol.zone, zone, tr),
        local(planned.started_at, zone),
        tr(planned.status.value),
        note,
    ]


def _deviations(source: CourseSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Deviations from the schedule"))]
    found = schedule_deviations(source)
    if not found:
        return [*out, para(tr("None recorded."), SMALL)]
    rows = [
        [
            tr(d.kind),
            tr.message(_item_name(d.occurrence, tr.language) if d.occurrence else d.what),
            _window(d.opens, d.closes, d.in_days, source.protocol.zone, zone, tr),
            local(d.at, zone) if d.at is not None else tr("not done"),
            d.reason or (tr("no reason recorded") if d.at is not None else ""),
        ]
        for d in found
    ]
    widths = [0.12, 0.22, 0.2, 0.12, 0.34]
    header = [tr("Kind"), tr("Item"), tr("Window"), tr("Done at"), tr("Reason")]
    return [*out, long_table(header, rows, [width * w for w in widths])]


def _item_name(occurrence: Occurrence, language: str) -> Message:
    """The occurrence's label, with the protocol file's Chinese name where it has one."""
    item = occurrence.item
    if language == "zh_CN" and item.name_zh:
        item = item.model_copy(update={"name": item.name_zh})
    return occurrence_label(item, occurrence.offset, occurrence.infusion)


def _calendar(source: CourseSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Visits, checks and samples"))]
    if not source.calendar:
        return [*out, para(tr("None planned."), SMALL)]
    rows = []
    for o in source.calendar:
        record = o.record
        target = ""
        if o.target is not None:
            in_days = o.item.unit == "days"
            target = (
                _day(o.target.astimezone(source.protocol.zone).date())
                if in_days
                else local(o.target, zone)
            )
        done = by = sample = said = ""
        if record is not None:
            done = local(record.at, zone)
            by = source.name_of(record.by)
            sample = record.sample_id or ""
            said = "; ".join(
                text
                for text in (
                    f"{tr('Reason')}: {record.reason}" if record.reason else "",
                    record.note or "",
                )
                if text
            )
        rows.append(
            [
                tr.message(_item_name(o, tr.language)),
                tr(o.item.kind),
                target,
                _window(o.opens, o.closes, o.item.unit == "days", source.protocol.zone, zone, tr),
                tr(o.status.value),
                done,
                by,
                sample,
                said,
            ]
        )
    widths = [0.18, 0.07, 0.09, 0.17, 0.07, 0.1, 0.1, 0.08, 0.14]
    header = [
        tr("Item"),
        tr("Kind"),
        tr("Target"),
        tr("Window"),
        tr("Status"),
        tr("Done at"),
        tr("By"),
        tr("Sample ID"),
        tr("Reason / note"),
    ]
    return [*out, long_table(header, rows, [width * w for w in widths])]


def _adverse_events(source: CourseSource, tr: Labels, zone: tzinfo, width: float) -> list[Flowable]:
    out: list[Flowable] = [_heading(tr("Adverse events of the course (CTCAE v5.0)"))]
    found = course_adverse_events(source)
    if not found:
        return [*out, para(tr("No adverse events were recorded."), SMALL)]
    rows = [_ae_row(source, a, tr, zone) for a in found]
    widths = [0.1, 0.2, 0.05, 0.1, 0.14, 0.17, 0.12, 0.12]
    header = [
        tr("Recorded in"),
        tr("Term"),
        tr("Grade"),
        tr("Attribution"),
        tr("Serious"),
        "DLT",
        tr("Outcome"),
        tr("Started"),
    ]
    return [*out, long_table(header, rows, [width * w for w in widths])]


def _ae_row(source: CourseSource, found: CourseAdverseEvent, tr: Labels, zone: tzinfo) -> list[str]:
    ae = found.event
    where = tr("Patient") if found.infusion is None else f"{tr('Infusion')} {found.infusion}"
    term = tr.term(ae.other_term or ae.term)
    serious = tr("yes") if ae.serious else tr("no")
    if ae.report_due_at is not None:
        serious += "\n" + (
            f"{tr('reported')} {local(found.reported_at, zone)}"
            if found.reported_at is not None
            else f"{tr('report due')} {local(ae.report_due_at, zone)}"
        )
    dlt = tr("yes") if ae.dlt else tr("no")
    if found.review is not None:
        confirmed, reason, by, at = found.review
        verdict = tr("confirmed") if confirmed else tr("rejected")
        dlt += f"\n{verdict} {tr('by')} {source.name_of(by)}, {local(at, zone)}: {reason}"
    elif ae.dlt:
        dlt += f"\n{tr('review pending')}"
    return [
        f"{where} #{found.seq}",
        term + (f"\n{ae.description}" if ae.description else ""),
        str(ae.grade),
        tr(ae.attribution),
        serious,
        dlt,
        tr(ae.outcome),
        local(ae.started_at, zone),
    ]
