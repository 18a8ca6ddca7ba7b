"""What the patient's page and ``patient show`` read: the whole course of one patient.

One read transaction through :func:`course_read.load_course`, so the plan shown is the very
computation the acts check against. Everything else (the rows below) is made from what that
read returned and ``now`` by pure code, and every text a person reads is a
:class:`~infusion_app.logic.messages.Message` or a stored value (a reason, a name), never
words made here.

Times stay aware (UTC as stored); the page and the CLI show them in the protocol's time zone
(``PatientView.zone``), where the day windows are counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import parse_adverse_event
from infusion_app.logic.course import (
    CalendarStatus,
    CourseFacts,
    EndReason,
    LevelChange,
    Occurrence,
    Plan,
    PlannedInfusion,
    PlanStatus,
    Span,
    calendar,
    dlt_window,
    follow_up_span,
    treatment_plan,
)
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import (
    AdverseEventRecorded,
    DltReviewed,
    PatientRegistered,
    SaeReported,
    Signature,
    WeightRecorded,
)
from infusion_app.logic.infusion_state import AdverseEventEntry, RecordedEvent
from infusion_app.logic.messages import Message
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import InfusionOfCourse, LoadedCourse, load_course
from infusion_app.services.patients import find_patient
from infusion_app.store.models import Stream

# --- the rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedAct:
    """An investigator's act on the course (enrolment, level change, end of treatment)."""

    at: datetime
    by: str | None  # the account that did it
    signed_by: str | None  # the printed name of its signature (None: not signed)
    seq: int

    @property
    def who(self) -> str:
        return self.signed_by or self.by or ""


@dataclass(frozen=True)
class EnrolmentView:
    act: SignedAct
    protocol: str  # "<id> v<version>" as enrolled
    dose_level: str


@dataclass(frozen=True)
class LevelChangeView:
    act: SignedAct
    from_level: str
    to_level: str
    from_infusion: int
    reason: str
    text: Message  # "from infusion 3 on: C to B (reason), signed by ..."


@dataclass(frozen=True)
class EndView:
    act: SignedAct
    reason: EndReason
    details: str | None
    text: Message  # "treatment ended ... (toxicity)"


@dataclass(frozen=True)
class PlanRow:
    number: int
    of_text: Message  # "infusion 2 of 4", "cycle 7 (at least 6)"
    level: str
    target: date | None  # local date of the protocol's zone
    opens: datetime | None
    closes: datetime | None  # exclusive
    status: PlanStatus
    started_at: datetime | None = None
    deviation: str | None = None  # why it started after its window closed
    not_given_reason: Message | None = None
    infusion_id: int | None = None  # its record, once created
    infusion_status: str | None = None  # the record's own status (running, ended ...)


@dataclass(frozen=True)
class CalendarRow:
    key: str
    label: Message
    kind: str  # visit, check, sample, assessment
    infusion: int | None  # for an item repeated after each infusion
    target: datetime | None
    opens: datetime | None
    closes: datetime | None  # exclusive
    all_day: bool  # a window of whole local days
    status: CalendarStatus
    done_at: datetime | None = None
    by: str | None = None
    recorded_at: datetime | None = None
    reason: str | None = None  # why late or back-entered
    note: str | None = None
    sample_id: str | None = None


class SaeState(StrEnum):
    NOT_SERIOUS = "not serious"
    DUE = "report due"
    OVERDUE = "report overdue"
    REPORTED = "reported"


@dataclass(frozen=True)
class DltReview:
    confirmed: bool
    reason: str
    at: datetime
    by: str | None
    signed_by: str | None
    text: Message  # "DLT confirmed by ... (reason)"


@dataclass(frozen=True)
class AdverseEventRow:
    stream: str  # "patient:P001" or "infusion:P001/2": with ``seq``, what a review names
    seq: int
    infusion: int | None  # recorded on that infusion's record; None: against the patient
    where: Message  # "patient", "infusion 2"
    term: str  # the CTCAE term, or the other term given
    grade: int
    started_at: datetime
    attribution: str
    serious: bool
    outcome: str
    dlt: bool  # flagged as a DLT when recorded
    report_due_at: datetime | None
    reported_at: datetime | None
    sae: SaeState
    sae_text: Message | None  # "SAE report due by ...", None when not serious
    review: DltReview | None = None  # the investigator's latest word on the DLT flag


@dataclass(frozen=True)
class WeightRow:
    weight_kg: Decimal
    measured_at: datetime
    recorded_at: datetime
    by: str | None
    seq: int


@dataclass(frozen=True)
class PatientView:
    now: datetime
    zone: tzinfo  # the protocol's: day windows are its local days
    zone_name: str
    trial_id: str
    initials: str
    sex: str
    age_years: int | None
    date_of_birth: date | None
    protocol: str  # the current protocol's label, "<id> v<version>"
    registered_at: datetime
    registered_level: str
    enrolment: EnrolmentView | None
    enrolment_text: Message  # "enrolled ... at C, signed by ..." or "not enrolled yet"
    enrolment_deviation: Message | None  # enrolled against the dose-finding rule: why
    current_level: str  # the level of the next infusion (or of the last, when none is next)
    current_level_label: str  # the protocol's words for it ("Group C: ...")
    dose_levels: tuple[tuple[str, str], ...]  # the protocol's (id, label): an act's choices
    level_changes: tuple[LevelChangeView, ...]
    planned_total: int | None  # N of a fixed course; None for "at least min_infusions"
    min_infusions: int | None
    plan: tuple[PlanRow, ...]
    next: PlanRow | None  # the next infusion to give, with its target and window
    calendar: tuple[CalendarRow, ...]
    adverse_events: tuple[AdverseEventRow, ...]
    weights: tuple[WeightRow, ...]
    end: EndView | None
    dlt_window: Span | None
    follow_up: Span

    @property
    def given_count(self) -> int:
        return sum(1 for row in self.plan if row.status is PlanStatus.GIVEN)

    @property
    def samples(self) -> tuple[CalendarRow, ...]:
        return tuple(row for row in self.calendar if row.kind == "sample")

    def local(self, moment: datetime | None) -> str:
        """A time as the site reads it: in the protocol's zone, to the minute."""
        return "" if moment is None else moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def window_text(
        self,
        opens: datetime | None,
        closes: datetime | None,
        *,
        all_day: bool,
        words: tuple[str, str] = ("from {0}", "{0} to {1}"),
    ) -> str:
        """ "2026-11-29 to 2026-12-02" for whole local days (the last day included), exact
        times otherwise ("2026-11-24 08:25 to 2026-11-24 14:25", the end excluded). ``words``
        are the two templates in the reader's language (the window passes its translation)."""
        open_ended, between = words
        if opens is None:
            return ""
        if closes is None:
            return open_ended.format(self.local(opens))
        if all_day:
            first = opens.astimezone(self.zone).date()
            last = closes.astimezone(self.zone).date() - timedelta(days=1)
            return between.format(first.isoformat(), last.isoformat())
        return between.format(self.local(opens), self.local(closes))


# --- reading ----------------------------------------------------------------------------------


def patient_view(ctx: AppContext, trial_id: str, now: datetime | None = None) -> PatientView:
    """The course of patient ``trial_id`` as it stands at ``now`` (default: the clock's)."""
    moment = now or ctx.now()
    course, _head = read_course(ctx, trial_id)
    return build_view(course, moment)


def read_course(ctx: AppContext, trial_id: str) -> tuple[LoadedCourse, str]:
    """The patient's course and the hash at the head of their stream, in one read."""
    with ctx.db.read() as session:
        patient = find_patient(session, trial_id)  # checked against the log
        course = load_course(ctx, session, patient)
        stream = session.get(Stream, patient.stream_id)
        assert stream is not None  # a foreign key guarantees it
        return course, stream.head_hash


def build_view(course: LoadedCourse, now: datetime) -> PatientView:
    """The view of a course read already (pure: no database, no clock). Times inside the
    messages are in the protocol's zone, as the page shows them."""
    protocol, facts, patient = course.protocol, course.facts, course.patient
    zone = protocol.zone
    plan = treatment_plan(protocol, facts, now)
    signers = _signers(course.events)
    by_number = {i.number: i for i in course.infusions}
    rows = tuple(_plan_row(plan, p, by_number.get(p.number), zone) for p in plan.infusions)
    upcoming = plan.next_due
    following = next((r for r in rows if upcoming and r.number == upcoming.number), None)
    level = facts.level_for(following.number if following else (rows[-1].number if rows else 1))
    enrolment = facts.enrolment
    enrolled = (
        EnrolmentView(
            _act(enrolment.at, enrolment.by, enrolment.seq, signers),
            enrolment.protocol,
            enrolment.dose_level,
        )
        if enrolment is not None
        else None
    )
    return PatientView(
        now=now,
        zone=zone,
        zone_name=protocol.time_zone.value if protocol.time_zone else "UTC",
        trial_id=patient.trial_id,
        initials=patient.initials,
        sex=patient.sex,
        age_years=patient.age_years,
        date_of_birth=patient.date_of_birth,
        protocol=protocol.label,
        registered_at=facts.registered_at,
        registered_level=facts.registered_level,
        enrolment=enrolled,
        enrolment_text=(
            m.view_enrolled(
                at=enrolled.act.at.astimezone(zone), level=enrolled.dose_level, by=enrolled.act.who
            )
            if enrolled is not None
            else m.view_not_enrolled(level=facts.registered_level)
        ),
        enrolment_deviation=(
            m.view_enrolment_deviation(reason=facts.enrolment.deviation)
            if facts.enrolment is not None and facts.enrolment.deviation is not None
            else None
        ),
        current_level=level,
        current_level_label=protocol.dose_level(level).label,
        dose_levels=tuple((d.id, d.label) for d in protocol.dose_levels),
        level_changes=tuple(
            _level_change(c, _act(c.at, c.by, c.seq, signers))
            for c in sorted(facts.level_changes, key=lambda c: c.seq)
        ),
        planned_total=plan.planned_total,
        min_infusions=plan.min_infusions,
        plan=rows,
        next=following,
        calendar=tuple(_calendar_row(o) for o in calendar(protocol, facts, now)),
        adverse_events=_adverse_events(course, signers, now, zone),
        weights=_weights(course.events),
        end=_end(facts, signers, zone),
        dlt_window=dlt_window(protocol, facts),
        follow_up=follow_up_span(protocol, facts),
    )


def _signers(events: Iterable[RecordedEvent]) -> dict[int, str]:
    """The printed name on the signature of each signed entry of the patient's stream."""
    return {e.data.signed_seq: e.data.printed_name for e in events if isinstance(e.data, Signature)}


def _act(at: datetime, by: str | None, seq: int, signers: dict[int, str]) -> SignedAct:
    return SignedAct(at, by, signers.get(seq), seq)


def _level_change(change: LevelChange, act: SignedAct) -> LevelChangeView:
    text = m.view_level_change(
        number=change.from_infusion,
        from_level=change.from_level,
        to_level=change.to_level,
        reason=change.reason,
        by=act.who,
    )
    return LevelChangeView(
        act, change.from_level, change.to_level, change.from_infusion, change.reason, text
    )


def _end(facts: CourseFacts, signers: dict[int, str], zone: tzinfo) -> EndView | None:
    end = facts.end
    if end is None:
        return None
    text = m.course_treatment_ended(
        reason=m.value_of("end_reason", end.reason), at=end.at.astimezone(zone)
    )
    return EndView(_act(end.at, end.by, end.seq, signers), end.reason, end.details, text)


def _localised(message: Message, zone: tzinfo) -> Message:
    """The message with its times in the site's zone (the rules make them in UTC)."""
    return Message(
        message.code,
        tuple(
            (name, value.astimezone(zone) if isinstance(value, datetime) else value)
            for name, value in message.params
        ),
    )


def _plan_row(
    plan: Plan, planned: PlannedInfusion, record: InfusionOfCourse | None, zone: tzinfo
) -> PlanRow:
    return PlanRow(
        number=planned.number,
        of_text=plan.of_text(planned.number),
        level=planned.level,
        target=planned.target,
        opens=planned.opens,
        closes=planned.closes,
        status=planned.status,
        started_at=planned.started_at,
        deviation=planned.deviation,
        not_given_reason=(
            _localised(planned.not_given_reason, zone)
            if planned.not_given_reason is not None
            else None
        ),
        infusion_id=record.infusion_id if record is not None else None,
        infusion_status=record.state.status.value if record is not None else None,
    )


def _calendar_row(o: Occurrence) -> CalendarRow:
    record = o.record
    return CalendarRow(
        key=o.key,
        label=o.label,
        kind=o.item.kind,
        infusion=o.infusion,
        target=o.target,
        opens=o.opens,
        closes=o.closes,
        all_day=o.item.unit == "days",
        status=o.status,
        done_at=record.at if record else None,
        by=record.by if record else None,
        recorded_at=record.recorded_at if record else None,
        reason=record.reason if record else None,
        note=record.note if record else None,
        sample_id=record.sample_id if record else None,
    )


# --- adverse events ---------------------------------------------------------------------------


def _adverse_events(
    course: LoadedCourse, signers: dict[int, str], now: datetime, zone: tzinfo
) -> tuple[AdverseEventRow, ...]:
    """The patient's own AEs and every infusion's, each with its SAE report and the latest
    DLT review (the reviews are in the patient's stream, naming the AE's stream and entry)."""
    reviews: dict[tuple[str, int], DltReview] = {}
    for event in course.events:
        if isinstance(event.data, DltReviewed):
            d = event.data
            signed = signers.get(event.seq)
            said = m.view_dlt_confirmed if d.confirmed else m.view_dlt_rejected
            reviews[(d.stream, d.adverse_event_seq)] = DltReview(
                d.confirmed,
                d.reason,
                event.occurred_at,
                event.user,
                signed,
                said(by=signed or event.user or "", reason=d.reason),
            )
    own = patient_stream(course.patient.trial_id)
    found: list[tuple[str, int | None, AdverseEventEntry]] = [
        (own, None, entry) for entry in _patient_adverse_events(course.events)
    ]
    for infusion in course.infusions:
        found.extend(
            (infusion.stream, infusion.number, entry) for entry in infusion.state.adverse_events
        )
    rows = [
        _ae_row(stream, number, entry, reviews.get((stream, entry.seq)), now, zone)
        for stream, number, entry in found
    ]
    return tuple(sorted(rows, key=lambda r: (r.started_at, r.stream, r.seq)))


def _patient_adverse_events(events: Iterable[RecordedEvent]) -> list[AdverseEventEntry]:
    """AEs recorded against the patient (not on an infusion), with their SAE reports."""
    entries: dict[int, AdverseEventEntry] = {}
    for event in events:
        data = event.data
        if isinstance(data, AdverseEventRecorded):
            # the stored fields are the rule's arguments, checked again as on an infusion
            ae = parse_adverse_event(
                **data.model_dump(exclude={"fever_grade_suggested", "dlt", "report_due_at"})
            )
            entries[event.seq] = AdverseEventEntry(
                event.seq, ae, data.dlt, data.fever_grade_suggested, data.report_due_at
            )
        elif isinstance(data, SaeReported) and data.adverse_event_seq in entries:
            entries[data.adverse_event_seq] = replace(
                entries[data.adverse_event_seq], reported_at=event.occurred_at
            )
    return list(entries.values())


def _ae_row(
    stream: str,
    infusion: int | None,
    entry: AdverseEventEntry,
    review: DltReview | None,
    now: datetime,
    zone: tzinfo,
) -> AdverseEventRow:
    ae = entry.event
    due = entry.report_due_at
    sae_text: Message | None = None
    if not ae.serious:
        sae = SaeState.NOT_SERIOUS
    elif entry.reported_at is not None:
        sae = SaeState.REPORTED
        sae_text = m.view_sae_reported(at=entry.reported_at.astimezone(zone))
    elif due is not None and now >= due:
        sae = SaeState.OVERDUE
        sae_text = m.view_sae_overdue(due=due.astimezone(zone))
    else:
        sae = SaeState.DUE
        sae_text = m.view_sae_due(due=due.astimezone(zone)) if due is not None else None
    return AdverseEventRow(
        stream=stream,
        seq=entry.seq,
        infusion=infusion,
        where=(
            m.view_ae_on_patient() if infusion is None else m.view_ae_on_infusion(number=infusion)
        ),
        term=ae.name,
        grade=ae.grade,
        started_at=ae.started_at,
        attribution=ae.attribution.value,
        serious=ae.serious,
        outcome=ae.outcome.value,
        dlt=entry.dlt,
        report_due_at=due,
        reported_at=entry.reported_at,
        sae=sae,
        sae_text=sae_text,
        review=review,
    )


# --- weights ----------------------------------------------------------------------------------


def _weights(events: Iterable[RecordedEvent]) -> tuple[WeightRow, ...]:
    """The weight at registration and each one recorded since, oldest first."""
    rows = []
    for event in events:
        data = event.data
        if isinstance(data, PatientRegistered):
            measured = data.weight_measured_at
            rows.append(
                WeightRow(data.weight_kg, measured, event.recorded_at, event.user, event.seq)
            )
        elif isinstance(data, WeightRecorded):
            measured = event.occurred_at
            rows.append(
                WeightRow(data.weight_kg, measured, event.recorded_at, event.user, event.seq)
            )
    return tuple(sorted(rows, key=lambda w: (w.measured_at, w.seq)))


__all__ = [
    "AdverseEventRow",
    "CalendarRow",
    "PatientView",
    "PlanRow",
    "SaeState",
    "build_view",
    "patient_view",
]
