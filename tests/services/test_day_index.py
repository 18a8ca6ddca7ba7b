"""Issue 18: the site's day reads each course's calendar through an index kept with the course
(the items whose status moves with time, sorted by the last moment they can be on a day's
list). At every moment it must give exactly what the plain rule gives: every occurrence of
the calendar with its status at ``now``, kept when due, upcoming before tomorrow, or missed
but still recordable late within the back-entry limit.

The courses cover what changes a calendar: enrolled only (baseline items due from
enrolment), infusions given (item windows anchored on them), visits recorded, on time and
late, a treatment ended by withdrawal (later items cancelled), and the other trial.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from infusion_app.logic.backentry import back_entry_limit
from infusion_app.logic.course import CalendarStatus, Occurrence, calendar
from infusion_app.services import calendar_acts, course_acts
from infusion_app.services.course_read import LoadedCourse, load_courses
from infusion_app.services.site_day import CalendarRow, _tomorrow, calendar_rows
from infusion_app.store.models import Patient
from tests.conftest import PASSWORD
from tests.services.course_steps import enrolled, give, local

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


def _plain_on_the_day(o: Occurrence, now: datetime, tomorrow: datetime, limit: timedelta) -> bool:
    """The rule as site_day applied it to the whole calendar before the index (issue 17)."""
    if o.status is CalendarStatus.DUE:
        return True
    if o.status is CalendarStatus.UPCOMING:
        return o.opens is not None and o.opens < tomorrow
    if o.status is CalendarStatus.MISSED:
        return o.closes is not None and now - o.closes <= limit
    return False


def plain_rows(course: LoadedCourse, now: datetime) -> list[CalendarRow]:
    protocol, facts = course.protocol, course.facts
    if facts.enrolment is None or not protocol.plans_courses:
        return []
    tomorrow, limit = _tomorrow(protocol, now), back_entry_limit(protocol)
    return [
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
        for o in calendar(protocol, facts, now)
        if _plain_on_the_day(o, now, tomorrow, limit)
    ]


def test_the_indexed_day_equals_the_plain_rule_at_every_moment(ctx, staff, clock):
    clock.now = local(2026, 11, 23, 8, 30)  # Monday 23 November
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")  # enrolled only
    enrolled(ctx, staff, "P003", CART, "A")
    enrolled(ctx, staff, "P004", CRC, "1")
    give(ctx, staff, clock, "P001", 1)  # 23 Nov
    give(ctx, staff, clock, "P003", 1)
    give(ctx, staff, clock, "P004", 1)
    clock.now = local(2026, 11, 30, 9, 0)  # the week-1 visit's day
    give(ctx, staff, clock, "P001", 2)
    calendar_acts.record_visit(ctx, staff.nurse, "P001", "follow_up_weekly:7d")
    clock.now = local(2026, 12, 9, 10, 0)  # P003's week-2 visit (7 Dec, -1/+1) closed on the 9th
    calendar_acts.record_visit(
        ctx, staff.nurse, "P003", "follow_up_weekly:14d", reason="came a day late"
    )
    course_acts.end_treatment(
        ctx, staff.investigator, "P003", reason="withdrawal", password=PASSWORD
    )
    with ctx.db.read() as session:
        patients = session.execute(select(Patient).order_by(Patient.trial_id)).scalars().all()
        courses = load_courses(ctx, session, patients)
    shown = 0
    moment = local(2026, 11, 22)
    while moment < local(2027, 6, 30):  # every 5 hours to week 30 and beyond
        for course in courses:
            rows = calendar_rows(course, moment)
            assert rows == plain_rows(course, moment), (course.patient.trial_id, moment)
            shown += len(rows)
        moment += timedelta(hours=5)
    assert shown > 1000  # the comparison saw the lists, not only empty days
