"""A patient's course: the treatment plan, the visit calendar and the DLT window.

Everything here is recomputed from what is stored (:class:`CourseFacts`, folded from the
patient's stream and the summaries of their infusions) and ``now``: nothing about the plan is
stored, so a restart, another station or a printout shows exactly the same plan.

Dates. Day windows are whole local calendar days of the protocol's time zone (``Asia/Shanghai``
for both trials): an infusion due on Monday 7 December with a -1/+2 day window may start from
Sunday 00:00 to Wednesday 23:59:59 local time. Hour and minute windows are exact. A window's
``closes`` is exclusive: at that instant it has closed.

Targets. Infusion 1 has none: it is due from enrolment. Infusion n > 1 is due ``interval`` days
after the previous infusion's actual (local) start date, or, if that one was never given, after
the latest given infusion before it, ``interval`` days per infusion between (``rolling``); or
``interval`` days per cycle after infusion 1 (``fixed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.errors import DomainError, InputError
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol, Schedule, VisitItem


class CourseRefused(DomainError):
    """An act the course does not allow now (a 5th infusion of group C, a visit before its
    window); ``message`` says why, ``str()`` is its English line."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message)


class EndReason(StrEnum):
    COMPLETED = "completed"
    TOXICITY = "toxicity"
    PROGRESSION = "progression"
    WITHDRAWAL = "withdrawal"
    DEATH = "death"
    OTHER = "other"

    @property
    def ends_follow_up(self) -> bool:
        """After death or withdrawal no visit is expected; after the others follow-up goes on."""
        return self in (EndReason.WITHDRAWAL, EndReason.DEATH)


# --- the facts the course is computed from -------------------------------------------------


@dataclass(frozen=True)
class InfusionFacts:
    """What the course needs of one infusion record."""

    number: int
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None  # its end, or its stop after it started
    stopped_before_start: bool = False
    stop_reason: str | None = None
    schedule_deviation: str | None = None  # why it started after its window closed

    @property
    def given(self) -> bool:
        return self.started_at is not None


@dataclass(frozen=True)
class Enrolment:
    at: datetime
    protocol: str  # "<id> v<version>"
    dose_level: str
    by: str | None
    seq: int
    deviation: str | None = None  # why the dose-finding rule was overridden, if it was


@dataclass(frozen=True)
class LevelChange:
    at: datetime
    from_level: str
    to_level: str
    from_infusion: int
    reason: str
    by: str | None
    seq: int


@dataclass(frozen=True)
class TreatmentEnd:
    at: datetime
    reason: EndReason
    details: str | None
    by: str | None
    seq: int


@dataclass(frozen=True)
class CalendarRecord:
    """A visit, check, assessment or sample recorded against a calendar occurrence."""

    key: str
    at: datetime  # when it was done (the event's occurred time)
    recorded_at: datetime
    by: str | None
    reason: str | None  # why late (after its window), or why back-entered
    note: str | None = None
    sample_id: str | None = None
    seq: int = 0
    stream: str = ""  # the patient's stream, or an infusion's for a follow-up recorded there


@dataclass(frozen=True)
class CourseFacts:
    trial_id: str
    registered_at: datetime
    registered_level: str
    enrolment: Enrolment | None = None
    level_changes: tuple[LevelChange, ...] = ()
    end: TreatmentEnd | None = None
    infusions: tuple[InfusionFacts, ...] = ()
    records: tuple[CalendarRecord, ...] = ()

    @property
    def starts_at(self) -> datetime:
        """When the course began: enrolment, or registration for a record from before it."""
        return self.enrolment.at if self.enrolment is not None else self.registered_at

    def infusion(self, number: int) -> InfusionFacts | None:
        return next((i for i in self.infusions if i.number == number), None)

    @property
    def given(self) -> tuple[InfusionFacts, ...]:
        return tuple(sorted((i for i in self.infusions if i.given), key=lambda i: i.number))

    def level_for(self, number: int) -> str:
        """The dose level infusion ``number`` is given at: the enrolment's, then each change
        from its infusion on (a change never reaches back to infusions before it)."""
        level = self.enrolment.dose_level if self.enrolment is not None else self.registered_level
        for change in sorted(self.level_changes, key=lambda c: c.seq):
            if number >= change.from_infusion:
                level = change.to_level
        return level


# --- local days -------------------------------------------------------------------------------


def local_date(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def day_start(day: date, zone: tzinfo) -> datetime:
    """Local midnight at the start of ``day``, as an aware time in ``zone``."""
    return datetime.combine(day, time(), tzinfo=zone)


# --- the treatment plan ------------------------------------------------------------------------


class PlanStatus(StrEnum):
    PLANNED = "planned"  # its window has not opened
    DUE = "due"  # its window is open
    GIVEN = "given"  # it started (ended, stopped or still running)
    MISSED = "missed"  # its window closed and it was not given (may still start, with a reason)
    NOT_GIVEN = "not given"  # stopped before it started, or treatment ended before it


@dataclass(frozen=True)
class PlannedInfusion:
    number: int
    level: str
    target: date | None  # local date; None for infusion 1 and while the base is not given
    opens: datetime | None
    closes: datetime | None  # exclusive
    status: PlanStatus
    started_at: datetime | None = None
    deviation: str | None = None  # the reason given for starting after the window closed
    not_given_reason: Message | None = None


@dataclass(frozen=True)
class Plan:
    infusions: tuple[PlannedInfusion, ...]
    planned_total: int | None  # N for a fixed count; None for "at least min_infusions"
    min_infusions: int | None

    def infusion(self, number: int) -> PlannedInfusion | None:
        return next((p for p in self.infusions if p.number == number), None)

    @property
    def next_due(self) -> PlannedInfusion | None:
        return next(
            (
                p
                for p in self.infusions
                if p.status in (PlanStatus.PLANNED, PlanStatus.DUE, PlanStatus.MISSED)
            ),
            None,
        )

    def of_text(self, number: int) -> Message:
        """ "infusion 2 of 4", "cycle 7 (at least 6)"."""
        if self.planned_total is not None:
            return m.course_n_of_total(number=number, total=self.planned_total)
        return m.course_n_of_at_least(number=number, least=self.min_infusions or 0)


def schedule_of(protocol: Protocol, level: str) -> Schedule:
    return protocol.schedule_for(protocol.dose_level(level))


def planned_count(protocol: Protocol, facts: CourseFacts, number: int) -> int | None:
    """The fixed number of infusions the level of infusion ``number`` plans, or None."""
    infusions = schedule_of(protocol, facts.level_for(number)).infusions
    return infusions.value if infusions is not None else None


def _window(protocol: Protocol, schedule: Schedule, target: date) -> tuple[datetime, datetime]:
    assert schedule.window_days is not None  # Protocol.plans_courses, checked by the caller
    zone = protocol.zone
    window = schedule.window_days.value
    opens = day_start(target - timedelta(days=window.before), zone)
    closes = day_start(target + timedelta(days=window.after + 1), zone)
    return opens, closes


def _target(protocol: Protocol, facts: CourseFacts, number: int) -> date | None:
    if number == 1:
        return None
    schedule = schedule_of(protocol, facts.level_for(number))
    interval = schedule.interval_days.value
    zone = protocol.zone
    assert schedule.target is not None
    if schedule.target.value == "fixed":
        first = facts.infusion(1)
        if first is None or first.started_at is None:
            return None
        return local_date(first.started_at, zone) + timedelta(days=interval * (number - 1))
    earlier = [i for i in facts.given if i.number < number]
    if not earlier:
        return None
    base = earlier[-1]
    assert base.started_at is not None
    return local_date(base.started_at, zone) + timedelta(days=interval * (number - base.number))


def treatment_plan(protocol: Protocol, facts: CourseFacts, now: datetime) -> Plan:
    """Infusions 1..N with their target dates, windows and status at ``now``."""
    require_course_rules(protocol)
    first_level = facts.level_for(1)
    minimum = schedule_of(protocol, first_level).min_infusions
    highest = max((i.number for i in facts.infusions), default=0)
    numbers: list[int] = []
    number = 1
    while True:
        count = planned_count(protocol, facts, number)
        if count is not None:
            if number > count and number > highest:
                break
        else:
            least = schedule_of(protocol, facts.level_for(number)).min_infusions
            floor = least.value if least is not None else 1
            # open-ended: the plan shows every recorded one, the minimum, and the next
            last_given = max((i.number for i in facts.given), default=0)
            if number > max(floor, highest, last_given + (0 if facts.end else 1)):
                break
        numbers.append(number)
        number += 1
    planned = tuple(_planned(protocol, facts, n, now) for n in numbers)
    total = planned_count(protocol, facts, numbers[-1] if numbers else 1)
    return Plan(
        planned,
        total,
        minimum.value if minimum is not None else None,
    )


def _planned(protocol: Protocol, facts: CourseFacts, number: int, now: datetime) -> PlannedInfusion:
    level = facts.level_for(number)
    target = _target(protocol, facts, number)
    if number == 1:
        opens: datetime | None = facts.starts_at
        closes: datetime | None = None
    elif target is not None:
        opens, closes = _window(protocol, schedule_of(protocol, level), target)
    else:
        opens = closes = None
    record = facts.infusion(number)
    if record is not None and record.given:
        status = PlanStatus.GIVEN
        return PlannedInfusion(
            number,
            level,
            target,
            opens,
            closes,
            status,
            record.started_at,
            record.schedule_deviation,
        )
    if record is not None and record.stopped_before_start:
        return PlannedInfusion(
            number,
            level,
            target,
            opens,
            closes,
            PlanStatus.NOT_GIVEN,
            not_given_reason=m.course_stopped_before_start(reason=record.stop_reason or ""),
        )
    if facts.end is not None:
        return PlannedInfusion(
            number,
            level,
            target,
            opens,
            closes,
            PlanStatus.NOT_GIVEN,
            not_given_reason=m.course_treatment_ended(
                reason=m.value_of("end_reason", facts.end.reason), at=facts.end.at
            ),
        )
    if closes is not None and now >= closes:
        status = PlanStatus.MISSED
    elif opens is not None and now >= opens:
        status = PlanStatus.DUE
    else:
        status = PlanStatus.PLANNED
    return PlannedInfusion(number, level, target, opens, closes, status)


def require_course_rules(protocol: Protocol) -> None:
    if not protocol.plans_courses:
        raise CourseRefused(m.course_protocol_without_plan(protocol=protocol.label))


def check_new_infusion(protocol: Protocol, facts: CourseFacts, number: int) -> None:
    """Refuses an infusion record the plan has no place for: before enrolment, after the end
    of treatment, out of order (no 99), or beyond the level's number of infusions."""
    require_course_rules(protocol)
    if facts.enrolment is None:
        raise CourseRefused(m.course_not_enrolled(patient=facts.trial_id))
    if facts.end is not None:
        raise CourseRefused(
            m.course_ended_no_more(
                patient=facts.trial_id,
                reason=m.value_of("end_reason", facts.end.reason),
                at=facts.end.at,
            )
        )
    expected = max((i.number for i in facts.infusions), default=0) + 1
    count = planned_count(protocol, facts, number)
    if count is not None and number > count:
        level = protocol.dose_level(facts.level_for(number))
        raise CourseRefused(
            m.course_beyond_plan(
                level=level.id,
                planned=count,
                noun=m.noun_infusion() if count == 1 else m.noun_infusions(),
                would_be=m.ordinal(number),
                patient=facts.trial_id,
            )
        )
    if number != expected:
        raise CourseRefused(
            m.course_next_number(patient=facts.trial_id, expected=expected, number=number)
        )


def check_level_change(
    protocol: Protocol, facts: CourseFacts, to_level: str, from_infusion: int, now: datetime
) -> str:
    """Whether infusions ``from_infusion`` on may be given at ``to_level``; returns the level
    they would have had. Refused: before enrolment or after the end of treatment; an unknown
    level; a change reaching back to an infusion that exists (never retroactive) or reaching
    past the next one (a change is decided for the next infusion, not one further on: nothing
    is signed that cannot apply yet); the level they have already; once every planned
    infusion exists; and a group whose number of infusions stops before ``from_infusion``
    (group B plans 2: from infusion 3 it could give none, and the course would never reach
    its last infusion, so the DLT window and follow-up would never close; to give no more,
    the investigator ends the treatment)."""
    require_course_rules(protocol)
    patient = facts.trial_id
    if facts.enrolment is None:
        raise CourseRefused(m.course_not_enrolled(patient=patient))
    if facts.end is not None:
        raise CourseRefused(
            m.course_ended_no_more(
                patient=patient,
                reason=m.value_of("end_reason", facts.end.reason),
                at=facts.end.at,
            )
        )
    level = protocol.dose_level(to_level)  # an unknown level names the known ones
    highest = max((i.number for i in facts.infusions), default=0)
    if from_infusion <= highest:  # never retroactive
        raise CourseRefused(
            m.course_change_not_retroactive(
                patient=patient,
                highest=highest,
                next_number=highest + 1,
                from_infusion=from_infusion,
            )
        )
    if from_infusion > highest + 1:
        raise CourseRefused(
            m.course_change_not_next(
                patient=patient, next_number=highest + 1, from_infusion=from_infusion
            )
        )
    current = facts.level_for(from_infusion)
    if to_level == current:
        raise InputError("to_level", f"infusion {from_infusion} is at level {current} already")
    plan = treatment_plan(protocol, facts, now)
    if plan.planned_total is not None and highest >= plan.planned_total:
        raise CourseRefused(m.course_change_after_plan(patient=patient, planned=plan.planned_total))
    count = protocol.schedule_for(level).infusions
    if count is not None and from_infusion > count.value:
        raise CourseRefused(
            m.course_change_beyond_level(
                level=level.id,
                planned=count.value,
                noun=m.noun_infusion() if count.value == 1 else m.noun_infusions(),
                from_infusion=from_infusion,
                patient=patient,
            )
        )
    return current


def check_start(
    protocol: Protocol, facts: CourseFacts, number: int, at: datetime, reason: str | None
) -> str | None:
    """Whether infusion ``number`` may start at ``at``: refused before its window opens (a
    hard stop); after it closed only with a reason, which comes back as the deviation."""
    plan = treatment_plan(protocol, facts, at)
    planned = plan.infusion(number)
    if planned is None:
        raise CourseRefused(m.course_not_in_plan(patient=facts.trial_id, number=number))
    if number > 1 and planned.opens is None:
        raise CourseRefused(m.course_previous_not_given(number=number))
    if planned.opens is not None and at < planned.opens and planned.target is None:
        # infusion 1 has no target: it is due from the enrolment on
        raise CourseRefused(m.course_start_before_enrolment(number=number, enrolled=planned.opens))
    if planned.opens is not None and at < planned.opens:
        raise CourseRefused(
            m.course_window_not_open(number=number, opens=planned.opens, target=_day(planned))
        )
    if planned.closes is not None and at >= planned.closes:
        if not reason:
            raise CourseRefused(
                m.course_window_closed(number=number, closed=planned.closes, target=_day(planned))
            )
        return reason
    return None


def start_opens(
    protocol: Protocol, facts: CourseFacts, number: int, now: datetime
) -> datetime | None:
    """From when :func:`check_start` lets infusion ``number`` start: the enrolment for
    infusion 1, its window's opening for a later one (read from the same plan); None when the
    plan has no place or no date for it (the start is refused whenever it is tried)."""
    planned = treatment_plan(protocol, facts, now).infusion(number)
    return planned.opens if planned is not None else None


def _day(planned: PlannedInfusion) -> str:
    return planned.target.isoformat() if planned.target is not None else ""


# --- anchors and the DLT window -------------------------------------------------------


def first_infusion(facts: CourseFacts) -> InfusionFacts | None:
    given = facts.given
    return given[0] if given else None


def last_infusion(protocol: Protocol, facts: CourseFacts) -> InfusionFacts | None:
    """The course's last infusion, once known: the last planned one when given, or the last
    given one when treatment ended; None while more are planned."""
    given = facts.given
    if not given:
        return None
    last = given[-1]
    if facts.end is not None:
        return last
    count = planned_count(protocol, facts, last.number)
    if count is not None and last.number >= count:
        return last
    return None


@dataclass(frozen=True)
class Span:
    """A time span; ``closes`` None means still open (its end is not known yet)."""

    opens: datetime
    closes: datetime | None

    def holds(self, moment: datetime) -> bool:
        """Inclusive at both ends: an AE at the window's last minute is inside."""
        return self.opens <= moment and (self.closes is None or moment <= self.closes)


def dlt_window(protocol: Protocol, facts: CourseFacts) -> Span | None:
    """From the first infusion's start to ``dlt_window_days`` after the anchor's start;
    None before any infusion (nothing before a dose is a DLT)."""
    first = first_infusion(facts)
    if first is None or first.started_at is None:
        return None
    days = timedelta(days=protocol.design.dlt_window_days.value)
    anchor = protocol.design.dlt_window_anchor
    if anchor is None or anchor.value == "first_infusion":
        return Span(first.started_at, first.started_at + days)
    last = last_infusion(protocol, facts)
    if last is None or last.started_at is None:
        return Span(first.started_at, None)
    return Span(first.started_at, last.started_at + days)


def follow_up_span(protocol: Protocol, facts: CourseFacts) -> Span:
    """When AEs may be recorded against the patient: enrolment to the end of follow-up."""
    follow = protocol.follow_up
    if follow is None:
        return Span(facts.starts_at, None)
    days = timedelta(days=follow.days.value)
    if follow.anchor.value == "first_infusion":
        anchor = first_infusion(facts)
    else:
        anchor = last_infusion(protocol, facts)
    if anchor is None or anchor.started_at is None:
        return Span(facts.starts_at, None)
    return Span(facts.starts_at, anchor.started_at + days)


# --- the visit calendar ---------------------------------------------------------------


class CalendarStatus(StrEnum):
    WAITING = "waiting"  # its anchor has not happened yet (no date)
    UPCOMING = "upcoming"
    DUE = "due"
    DONE = "done"
    LATE = "late"  # recorded after its window closed, with a reason
    OUT_OF_WINDOW = "out of window"  # a before-the-anchor item recorded earlier than its window
    MISSED = "missed"  # its window closed and nothing was recorded
    CANCELLED = "cancelled"  # not expected any more: the patient died or withdrew


_UNIT = {"days": "d", "hours": "h", "minutes": "m"}


@dataclass(frozen=True)
class Occurrence:
    key: str
    item: VisitItem
    offset: int
    infusion: int | None  # for an item repeated after each infusion
    target: datetime | None
    opens: datetime | None
    closes: datetime | None  # exclusive
    status: CalendarStatus
    record: CalendarRecord | None = None

    @property
    def label(self) -> Message:
        return occurrence_label(self.item, self.offset, self.infusion)

    @property
    def before_anchor(self) -> bool:
        return _before_anchor(self.item, self.offset)

    @property
    def is_sample(self) -> bool:
        return self.item.kind == "sample"


def occurrence_key(item: VisitItem, offset: int, infusion: int | None = None) -> str:
    tail = f"{offset}{_UNIT[item.unit]}"
    return f"{item.id}:{infusion}:{tail}" if infusion is not None else f"{item.id}:{tail}"


def occurrence_label(item: VisitItem, offset: int, infusion: int | None) -> Message:
    """ "Follow-up visit, week 4", "24-hour acute-reaction check, infusion 2"."""
    name = m.protocol_names(item.name, item.name_zh)  # the protocol's name in each language
    if infusion is not None:
        return m.occurrence_after_infusion(name=name, number=infusion)
    if item.unit == "days" and offset > 0 and offset % 7 == 0:
        return m.occurrence_week(name=name, week=offset // 7)
    if item.unit == "days" and offset > 0:
        return m.occurrence_day(name=name, day=offset)
    return m.occurrence_plain(name=name)


def _before_anchor(item: VisitItem, offset: int) -> bool:
    """An item that belongs before its anchor (a baseline or pre-dose sample): it may be
    recorded from enrolment on, before the anchor's time is known."""
    return offset + item.window.value.after <= 0


def _step(item: VisitItem) -> timedelta:
    return {
        "days": timedelta(days=1),
        "hours": timedelta(hours=1),
        "minutes": timedelta(minutes=1),
    }[item.unit]


def _occurrence_window(
    protocol: Protocol, item: VisitItem, offset: int, anchor: datetime
) -> tuple[datetime, datetime, datetime]:
    window = item.window.value
    if item.unit == "days":
        zone = protocol.zone
        day = local_date(anchor, zone) + timedelta(days=offset)
        target = day_start(day, zone)
        opens = day_start(day - timedelta(days=window.before), zone)
        closes = day_start(day + timedelta(days=window.after + 1), zone)
        return target, opens, closes
    unit = _step(item)
    target = anchor + unit * offset
    return target, target - unit * window.before, target + unit * window.after


def _anchors(
    protocol: Protocol, facts: CourseFacts, item: VisitItem
) -> list[tuple[int | None, datetime | None]]:
    anchor = item.anchor.value
    first = first_infusion(facts)
    if anchor == "enrolment":
        return [(None, facts.starts_at)]
    if anchor == "first_infusion":
        return [(None, first.started_at if first else None)]
    if anchor == "first_infusion_end":
        return [(None, first.ended_at if first else None)]
    if anchor == "last_infusion":
        last = last_infusion(protocol, facts)
        return [(None, last.started_at if last else None)]
    # each_infusion_end: one set per infusion that ended (or stopped after it started)
    return [(i.number, i.ended_at) for i in facts.given if i.ended_at is not None]


@dataclass(frozen=True)
class Dated:
    """An occurrence with its window and record, before ``now`` gives it a status: all of
    the calendar that depends on the course alone (a list of many courses keeps it)."""

    key: str
    item: VisitItem
    offset: int
    infusion: int | None
    target: datetime | None
    opens: datetime | None
    closes: datetime | None  # exclusive
    record: CalendarRecord | None


def dated_occurrences(protocol: Protocol, facts: CourseFacts) -> tuple[Dated, ...]:
    """Every occurrence of the visit schedule with its window, in the order they fall due
    (the undated ones last)."""
    records = {r.key: r for r in sorted(facts.records, key=lambda r: r.seq, reverse=True)}
    out: list[Dated] = []
    for item in protocol.visits:
        for infusion, anchor in _anchors(protocol, facts, item):
            for offset in item.offsets.value:
                key = occurrence_key(item, offset, infusion)
                if anchor is None:
                    target = opens = closes = None
                else:
                    target, opens, closes = _occurrence_window(protocol, item, offset, anchor)
                out.append(
                    Dated(key, item, offset, infusion, target, opens, closes, records.get(key))
                )
    far = datetime.max.replace(tzinfo=UTC)
    order = {item.id: index for index, item in enumerate(protocol.visits)}
    # undated ones in the protocol's order and by offset (the keys' text would put week 24
    # before week 12)
    return tuple(
        sorted(
            out,
            key=lambda o: (
                o.opens or far,
                o.target or far,
                order[o.item.id],
                o.infusion or 0,
                o.offset,
            ),
        )
    )


def follow_up_end(facts: CourseFacts) -> TreatmentEnd | None:
    """The end of treatment that also ends the follow-up (death, withdrawal), if any."""
    return facts.end if facts.end is not None and facts.end.reason.ends_follow_up else None


def with_status(dated: Dated, ended: TreatmentEnd | None, now: datetime) -> Occurrence:
    status = _status(dated.item, dated.offset, dated.opens, dated.closes, dated.record, ended, now)
    return Occurrence(
        dated.key,
        dated.item,
        dated.offset,
        dated.infusion,
        dated.target,
        dated.opens,
        dated.closes,
        status,
        dated.record,
    )


def calendar(protocol: Protocol, facts: CourseFacts, now: datetime) -> tuple[Occurrence, ...]:
    """Every occurrence of the visit schedule with its window and status at ``now``, in the
    order they fall due (the undated ones last)."""
    ended = follow_up_end(facts)
    return tuple(with_status(d, ended, now) for d in dated_occurrences(protocol, facts))


def status_depends_on_time(dated: Dated, ended: TreatmentEnd | None) -> bool:
    """Whether :func:`_status` reads ``now`` for this occurrence (it has a window, no record
    and is not cancelled); every other status is fixed until the course changes."""
    if dated.record is not None or dated.opens is None or dated.closes is None:
        return False
    return not (ended is not None and dated.opens >= ended.at)


def _status(
    item: VisitItem,
    offset: int,
    opens: datetime | None,
    closes: datetime | None,
    record: CalendarRecord | None,
    ended: TreatmentEnd | None,
    now: datetime,
) -> CalendarStatus:
    if record is not None:
        if opens is None or closes is None:
            return CalendarStatus.DONE  # a before-the-anchor item, the anchor still to come
        if record.at < opens:
            return CalendarStatus.OUT_OF_WINDOW
        if record.at >= closes:
            return CalendarStatus.LATE
        return CalendarStatus.DONE
    if ended is not None and (opens is None or opens >= ended.at):
        return CalendarStatus.CANCELLED
    if opens is None or closes is None:
        return CalendarStatus.DUE if _before_anchor(item, offset) else CalendarStatus.WAITING
    if now >= closes:
        return CalendarStatus.MISSED
    if now >= opens:
        return CalendarStatus.DUE
    return CalendarStatus.UPCOMING


def find_occurrence(occurrences: Iterable[Occurrence], key: str, *, patient: str) -> Occurrence:
    found = next((o for o in occurrences if o.key == key), None)
    if found is None:
        raise CourseRefused(m.calendar_unknown_item(patient=patient, key=key))
    return found


def check_record(
    protocol: Protocol,
    facts: CourseFacts,
    key: str,
    at: datetime,
    reason: str | None,
    *,
    sample: bool,
) -> Occurrence:
    """Whether the calendar item ``key`` may be recorded as done at ``at``: not twice, not
    before its window opens (nor before its anchor is known, unless it belongs before the
    anchor), and after its window closed only with a reason."""
    require_course_rules(protocol)
    if facts.enrolment is None:
        raise CourseRefused(m.course_not_enrolled(patient=facts.trial_id))
    occurrence = find_occurrence(calendar(protocol, facts, at), key, patient=facts.trial_id)
    if occurrence.is_sample != sample:
        raise CourseRefused(
            m.calendar_wrong_act(
                key=key, kind=m.value_of("visit_kind", occurrence.item.kind), sample=sample
            )
        )
    if occurrence.record is not None:
        raise CourseRefused(m.calendar_recorded_already(key=key, at=occurrence.record.at))
    if occurrence.status is CalendarStatus.CANCELLED:
        raise CourseRefused(m.calendar_cancelled(key=key))
    if at < facts.starts_at:
        raise CourseRefused(m.calendar_before_enrolment(key=key, enrolled=facts.starts_at))
    if occurrence.opens is None:
        if not occurrence.before_anchor:
            raise CourseRefused(
                m.calendar_anchor_unknown(
                    key=key, anchor=m.value_of("anchor", occurrence.item.anchor.value)
                )
            )
        return occurrence
    if at < occurrence.opens:
        raise CourseRefused(m.calendar_window_not_open(key=key, opens=occurrence.opens))
    assert occurrence.closes is not None
    if at >= occurrence.closes and not reason:
        raise CourseRefused(m.calendar_window_closed(key=key, closed=occurrence.closes))
    return occurrence


def legacy_follow_up_key(protocol: Protocol, check: str, infusion: int) -> str | None:
    """The calendar occurrence an infusion's old ``follow_up_done`` check now stands for:
    ``acute_24h`` -> that infusion's 24-hour check, ``week_N`` -> the patient's week-N check."""
    if check == "acute_24h":
        for item in protocol.visits:
            if item.anchor.value == "each_infusion_end" and item.kind == "check":
                return occurrence_key(item, item.offsets.value[0], infusion)
        return None
    if check.startswith("week_") and check[5:].isdigit():
        days = 7 * int(check[5:])
        for item in protocol.visits:
            if (
                item.kind == "check"
                and item.anchor.value == "first_infusion"
                and item.unit == "days"
                and days in item.offsets.value
            ):
                return occurrence_key(item, days)
    return None
