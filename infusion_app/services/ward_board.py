"""The ward board: every infusion of the site in progress on any station, and the site's day,
in one read transaction.

For a charge nurse or a central station (the central monitoring screen of an infusion-pump
system): each infusion that is running, paused, or in its observation (and the ones being
prepared today) with the patient's trial ID and initials (never a name: the board hangs
where visitors pass), the station, the step, the next due item with its due time (the
screen counts down from it without reading again), its active alarms high first, and who
made the latest entry at the bedside; below them today's visits and samples and the open
SAE reports, exactly as the worklist lists them (services/site_day.py).

The alarms are the bedside banner's (logic/alarm_board.py): the ones not acknowledged
yet, so the board and the bed agree on what still needs someone. Nothing here writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.alarm_board import BoardAlarm, board_alarms
from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.countdown import next_item
from infusion_app.logic.course import start_opens
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import Step
from infusion_app.logic.schedule import DueItem, due_items
from infusion_app.logic.ward_board import (
    Entry,
    Presence,
    Urgency,
    at_the_bedside,
    board_order,
    next_change,
    on_the_board,
    on_the_board_until,
    urgency,
)
from infusion_app.services.context import AppContext
from infusion_app.services.course_index import courses_in_play, latest
from infusion_app.services.course_read import InfusionOfCourse, LoadedCourse
from infusion_app.services.site_day import (
    CalendarRow,
    SaeReportRow,
    calendar_rows,
    day_bound,
    in_day_order,
    open_reports,
)
from infusion_app.store.models import Event, Infusion, Patient, Product, User


@dataclass(frozen=True)
class BoardRow:
    """One infusion on the board."""

    infusion_id: int
    trial_id: str
    initials: str  # only the initials: the board is read from across a ward
    number: int
    station: str  # where it was created: its bed
    step: Step
    status: str
    next_due: DueItem | None  # what is timed next, with its due time
    alarms: tuple[BoardAlarm, ...]  # high first
    at_bedside: Presence | None
    urgency: Urgency

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due.overdue


@dataclass(frozen=True)
class WardBoard:
    now: datetime
    infusions: tuple[BoardRow, ...]  # the most urgent first
    calendar: tuple[CalendarRow, ...]
    sae_reports: tuple[SaeReportRow, ...]
    next_change: datetime | None  # read again then: something comes due or overdue


def ward_board(ctx: AppContext, now: datetime | None = None, *, prepared: bool = True) -> WardBoard:
    """The board at ``now``, for every station of the site; ``prepared`` also lists the
    infusions not started yet that have an entry today."""
    moment = now or ctx.now()
    # the station's day (its time_zone setting), never the machine's zone
    midnight = moment.astimezone(ctx.time_zone).replace(hour=0, minute=0, second=0, microsecond=0)
    day = (midnight, midnight + timedelta(days=1))
    rows: list[tuple[tuple[Urgency, bool, float, tuple[str, int]], BoardRow]] = []
    items: list[CalendarRow] = []
    reports: list[SaeReportRow] = []
    changes: list[datetime] = []
    with ctx.db.read() as session:
        # only the courses that can have a row today (services/course_index.py)
        for course in courses_in_play(
            ctx, session, kind="board", bound=board_bound, since=midnight, patients=select(Patient)
        ):
            patient = course.patient
            items.extend(calendar_rows(course, moment))
            reports.extend(open_reports(course, moment))
            for infusion in course.infusions:
                if not on_the_board(infusion.state, infusion.events, day, prepared=prepared):
                    continue
                row, due = _row(session, patient, infusion, moment, _plan_opens(course, infusion))
                tie = (row.trial_id, row.number)
                rows.append((board_order(row.alarms, due, _due_at(row), tie), row))
                if (change := next_change(due, moment)) is not None:
                    changes.append(change)
        for report in reports:
            if report.due_at > moment:
                changes.append(report.due_at)
    rows.sort(key=lambda pair: pair[0])
    calendar, sae_reports = in_day_order(items, reports, moment)
    return WardBoard(
        moment, tuple(row for _, row in rows), calendar, sae_reports, min(changes, default=None)
    )


def board_bound(course: LoadedCourse) -> datetime | None:
    """The last moment the course can put a row on the board: its day list's (calendar items
    and SAE reports), an infusion under way or in its observation (until someone ends it),
    and an infusion not started yet on the day of its last entry."""
    return latest(
        day_bound(course),
        *(on_the_board_until(i.state, i.events) for i in course.infusions),
    )


def _due_at(row: BoardRow) -> datetime | None:
    return row.next_due.due_at if row.next_due is not None else None


def _plan_opens(course: LoadedCourse, infusion: InfusionOfCourse) -> datetime | None:
    """From when the plan lets an infusion not yet started start (issue 14): its countdown
    says what the start will be allowed."""
    state = infusion.state
    if state.started_at is not None or state.stopped or not course.protocol.plans_courses:
        return None
    return start_opens(course.protocol, course.facts, infusion.number, course.facts.starts_at)


def _row(
    session: Session,
    patient: Patient,
    infusion: InfusionOfCourse,
    now: datetime,
    plan_opens: datetime | None,
) -> tuple[BoardRow, list[DueItem]]:
    stored = session.get(Infusion, infusion.infusion_id)
    assert stored is not None  # load_course read it in this transaction
    product = session.get(Product, stored.product_id)
    assert product is not None  # a foreign key
    expires_at = coa_from_mapping(json.loads(product.coa)).expires_at
    state = infusion.state
    due = due_items(state, infusion.protocol, now, plan_opens=plan_opens)
    alarms = tuple(board_alarms(state, due, now, product_expires_at=expires_at))
    entries = _entries(session, stored.stream_id)
    station = next((e.station for e in entries if e.seq == 1), "")
    row = BoardRow(
        infusion.infusion_id,
        patient.trial_id,
        patient.initials,
        infusion.number,
        station,
        state.step,
        state.status.value,
        next_item(due, now),
        alarms,
        at_the_bedside(entries),
        urgency(alarms, due),
    )
    return row, due


def _entries(session: Session, stream_id: int) -> list[Entry]:
    found = session.execute(
        select(Event.seq, Event.type, User.printed_name, Event.station, Event.recorded_at)
        .outerjoin(User, User.id == Event.user_id)
        .where(Event.stream_id == stream_id)
        .order_by(Event.seq)
    )
    return [
        Entry(seq, EventType(type_), user, station, recorded)
        for seq, type_, user, station, recorded in found
    ]


__all__ = ["BoardRow", "WardBoard", "ward_board"]
