"""The nurse's list is the site's day: what is to be done today for every patient of the site.

Three kinds of row, read in one transaction:

- **today's infusions**, exactly as the worklist showed them before (an entry today, or not
  finished; ``station`` narrows them to one station's);
- **calendar items** of every enrolled patient: due now (their window is open), opening later
  today (the protocol's local day), or overdue: their window closed and nothing was recorded,
  kept on the list for as long as the protocol's back-entry limit still lets them be entered
  late with a reason. The 24-hour acute check is overdue at its window's end;
- **every open SAE report**, from infusion streams and from the patient's own stream, whatever
  happened to the infusion (ended, observed, days ago), until the report is recorded.

Nothing is stored about the day: it is recomputed from the log and ``now``, so two stations
and a restart show the same list.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select

from infusion_app.logic.backentry import back_entry_limit
from infusion_app.logic.course import (
    CalendarStatus,
    Dated,
    day_start,
    follow_up_end,
    local_date,
    status_depends_on_time,
    with_status,
)
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import AdverseEventRecorded, SaeReported
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import effective_events
from infusion_app.services.context import AppContext
from infusion_app.services.course_index import ALWAYS, courses_in_play
from infusion_app.services.course_read import LoadedCourse
from infusion_app.services.views import InfusionRow, list_infusions
from infusion_app.store.models import Patient


@dataclass(frozen=True)
class CalendarRow:
    """A visit, check, assessment or sample of a patient's calendar to be done today."""

    trial_id: str
    initials: str
    key: str  # what ``visit record`` / ``sample collect`` take
    label: Message  # "Follow-up visit, week 4"
    kind: str  # visit, check, assessment, sample
    opens: datetime | None  # None: a before-the-anchor item, due from enrolment
    closes: datetime | None  # exclusive
    status: CalendarStatus  # due, upcoming (opens later today) or missed (overdue)

    @property
    def is_sample(self) -> bool:
        return self.kind == "sample"

    @property
    def overdue(self) -> bool:
        return self.status is CalendarStatus.MISSED


@dataclass(frozen=True)
class SaeReportRow:
    """A serious adverse event whose report is not recorded yet, with its deadline."""

    trial_id: str
    initials: str
    stream: str  # "infusion:P001/1" or "patient:P001"
    infusion_id: int | None  # None: recorded against the patient
    infusion_number: int | None
    adverse_event_seq: int
    term: str
    grade: int
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class SiteDay:
    now: datetime
    infusions: tuple[InfusionRow, ...]
    calendar: tuple[CalendarRow, ...]
    sae_reports: tuple[SaeReportRow, ...]


def site_day(
    ctx: AppContext,
    now: datetime | None = None,
    *,
    station: str | None = None,
    trial_id: str = "",
) -> SiteDay:
    """The site's day at ``now``; ``trial_id`` (a fragment) narrows every list to the
    matching patients, ``station`` only the infusions."""
    moment = now or ctx.now()
    # the station's day (its time_zone setting), not the machine's: a host left at UTC would
    # start "today" at 08:00 in Shanghai
    midnight = moment.astimezone(ctx.time_zone).replace(hour=0, minute=0, second=0, microsecond=0)
    infusions = list_infusions(
        ctx,
        since=midnight,
        until=midnight + timedelta(days=1),
        trial_id=trial_id,
        station=station,
        open_ones=True,
        now=moment,
    )
    items: list[CalendarRow] = []
    reports: list[SaeReportRow] = []
    with ctx.db.read() as session:
        query = select(Patient)
        if trial_id.strip():
            query = query.where(Patient.trial_id.ilike(f"%{trial_id.strip()}%"))
        # only the courses that can have a row at this moment (services/course_index.py)
        for course in courses_in_play(
            ctx, session, kind="day", bound=day_bound, since=moment, patients=query
        ):
            items.extend(calendar_rows(course, moment))
            reports.extend(open_reports(course, moment))
    calendar_items, open_sae_reports = in_day_order(items, reports, moment)
    return SiteDay(moment, tuple(infusions), calendar_items, open_sae_reports)


def in_day_order(
    items: list[CalendarRow], reports: list[SaeReportRow], now: datetime
) -> tuple[tuple[CalendarRow, ...], tuple[SaeReportRow, ...]]:
    """The overdue items first, then by the end of their window; reports by deadline. The
    ward board (services/ward_board.py) lists them in the same order as the worklist."""
    far = datetime.max.replace(tzinfo=now.tzinfo)
    items = sorted(items, key=lambda r: (not r.overdue, r.closes or far, r.trial_id, r.key))
    reports = sorted(reports, key=lambda r: (r.due_at, r.trial_id, r.adverse_event_seq))
    return tuple(items), tuple(reports)


def calendar_rows(course: LoadedCourse, now: datetime) -> list[CalendarRow]:
    """The patient's calendar items of the day; none before enrolment (no course yet) nor
    for a protocol that plans no course (an infusion begun under 1.1.0).

    An item is on the day when it is due, opens before tomorrow, or was missed but may still
    be recorded late (within the back-entry limit): for an item with a window, opens before
    tomorrow and ``now`` at most the limit past its close. The course's :class:`_DayIndex`
    (kept while the course is unchanged) sorts those by that last moment, so a patient whose
    follow-up ended years ago costs one bisection, not a walk through their calendar."""
    protocol, facts = course.protocol, course.facts
    if facts.enrolment is None or not protocol.plans_courses:
        return []
    tomorrow = _tomorrow(protocol, now)
    index = _kept_index(course)
    live = index.timed[bisect_left(index.last_moments, now) :]
    chosen = sorted([*index.always, *((p, d) for p, d in live if d.opens and d.opens < tomorrow)])
    ended = follow_up_end(facts)
    rows = []
    for _, dated in chosen:
        o = with_status(dated, ended, now)
        rows.append(
            CalendarRow(
                course.patient.trial_id,
                course.patient.initials,
                o.key,
                o.label,
                o.item.kind,
                o.opens,
                o.closes,
                o.status,
            )
        )
    return rows


@dataclass(frozen=True)
class _DayIndex:
    always: tuple[tuple[int, Dated], ...]  # (calendar position, item): due whatever the time
    timed: tuple[tuple[int, Dated], ...]  # items with a window, by their last moment
    last_moments: tuple[datetime, ...]  # each timed item's close + the back-entry limit


def day_bound(course: LoadedCourse) -> datetime | None:
    """The last moment :func:`calendar_rows` or :func:`open_reports` can give a row of the
    course: none after the last timed item's window and back-entry limit, unless an item is
    due whatever the time or an SAE report is still open (those stay until someone acts)."""
    if _kept_reports(course):
        return ALWAYS
    if course.facts.enrolment is None or not course.protocol.plans_courses:
        return None
    index = _kept_index(course)
    if index.always:
        return ALWAYS
    return index.last_moments[-1] if index.last_moments else None


def _kept_index(course: LoadedCourse) -> _DayIndex:
    """The course's day index, found once while the course is unchanged."""
    return course.memo.get("day-index", lambda: _day_index(course))


def _day_index(course: LoadedCourse) -> _DayIndex:
    limit = back_entry_limit(course.protocol)
    ended = follow_up_end(course.facts)
    always = []
    timed = []
    for position, dated in enumerate(course.dated()):
        if status_depends_on_time(dated, ended):
            assert dated.closes is not None  # a window, by status_depends_on_time
            timed.append((dated.closes + limit, position, dated))
        elif with_status(dated, ended, course.facts.starts_at).status is CalendarStatus.DUE:
            always.append((position, dated))  # a before-the-anchor item: due from enrolment
    timed.sort(key=lambda t: (t[0], t[1]))
    return _DayIndex(
        tuple(always),
        tuple((position, dated) for _, position, dated in timed),
        tuple(last for last, _, _ in timed),
    )


def _tomorrow(protocol: Protocol, now: datetime) -> datetime:
    zone = protocol.zone
    return day_start(local_date(now, zone) + timedelta(days=1), zone)


def open_reports(course: LoadedCourse, now: datetime) -> list[SaeReportRow]:
    """Every SAE of the patient whose report is not recorded, from each infusion's folded
    state and from the patient's own stream (found once while the course is unchanged; only
    whether each is overdue moves with ``now``)."""
    found = _kept_reports(course)
    return [replace(row, overdue=now >= row.due_at) for row in found]


def _kept_reports(course: LoadedCourse) -> list[SaeReportRow]:
    """The course's open SAE reports, found once while the course is unchanged."""
    return course.memo.get("open-reports", lambda: _open_reports(course))


def _open_reports(course: LoadedCourse) -> list[SaeReportRow]:
    patient = course.patient
    rows = []
    for infusion in course.infusions:
        for entry in infusion.state.adverse_events:
            if entry.report_due_at is None or entry.reported_at is not None:
                continue
            rows.append(
                SaeReportRow(
                    patient.trial_id,
                    patient.initials,
                    infusion.stream,
                    infusion.infusion_id,
                    infusion.number,
                    entry.seq,
                    entry.event.name,
                    entry.event.grade,
                    entry.report_due_at,
                    False,
                )
            )
    for seq, data in _patient_reports_open(course.events):
        assert data.report_due_at is not None
        rows.append(
            SaeReportRow(
                patient.trial_id,
                patient.initials,
                patient_stream(patient.trial_id),
                None,
                None,
                seq,
                data.other_term or data.term,
                data.grade,
                data.report_due_at,
                False,
            )
        )
    return rows


def _patient_reports_open(
    events: tuple[RecordedEvent, ...],
) -> list[tuple[int, AdverseEventRecorded]]:
    """The patient stream's serious AEs (as corrected) with no ``sae_reported`` for them."""
    effective = effective_events(list(events))
    reported = {e.data.adverse_event_seq for e in effective if isinstance(e.data, SaeReported)}
    return [
        (e.seq, e.data)
        for e in effective
        if isinstance(e.data, AdverseEventRecorded)
        and e.data.report_due_at is not None
        and e.seq not in reported
    ]


__all__ = [
    "CalendarRow",
    "SaeReportRow",
    "SiteDay",
    "calendar_rows",
    "day_bound",
    "in_day_order",
    "open_reports",
    "site_day",
]
