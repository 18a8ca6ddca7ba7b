"""Closing everything mid-infusion and reopening later loses nothing: the same state, the
same due and overdue items as if the app had kept running."""

from __future__ import annotations

from datetime import timedelta

from infusion_app.logic.schedule import due_items
from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.services.status import infusion_status
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import run_to_fast_phase


def test_reopening_later_gives_the_same_due_and_overdue_items(
    ctx, staff, infusion_id, clock, database_url
):
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # last vitals 08:52
    in_memory = bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS).state
    protocol = infusion_status(ctx, infusion_id).protocol
    ctx.db.dispose()  # the app closes (or crashes) at 08:52

    later = clock.now + timedelta(minutes=28)  # 09:20
    reopened_db = open_database(database_url, later)
    try:
        reopened = AppContext(
            db=reopened_db, station=ctx.station, clock=FakeClock(later), hasher=FAST_HASHER
        )
        status = infusion_status(reopened, infusion_id)
    finally:
        reopened_db.dispose()

    assert status.state == in_memory
    assert list(status.due) == due_items(in_memory, protocol, later)
    vitals = next(item for item in status.due if item.kind == "vitals")
    # last set 08:52 -> due 09:07, overdue from 09:12; at 09:20 overdue, priority medium
    assert (vitals.due_at, vitals.overdue, vitals.priority) == (
        clock.now + timedelta(minutes=15),
        True,
        "medium",
    )


def test_the_patients_course_rebuilt_by_a_fresh_context_equals_the_running_one(
    ctx, staff, clock, database_url
):
    """After each act of a course (enrolment, infusions, a level change, a late start with
    its deviation, the end of treatment), a fresh context opened on the stored log computes
    the same facts and the same plan as the running app, at the same moment."""
    from infusion_app.services import course_acts
    from tests.conftest import PASSWORD
    from tests.services.course_steps import course_of, enrolled, give, local

    def same_after_restart() -> None:
        running = course_of(ctx, "P001")
        fresh_db = open_database(database_url, clock())
        try:
            fresh = AppContext(
                db=fresh_db, station="another-station", clock=FakeClock(clock()), hasher=FAST_HASHER
            )
            assert course_of(fresh, "P001") == running
        finally:
            fresh_db.dispose()

    clock.now = local(2026, 11, 23, 8, 30)  # a Monday
    enrolled(ctx, staff, "P001", "ucmsc-cart-cytopenia", "C")
    same_after_restart()
    give(ctx, staff, clock, "P001", 1)  # 23 Nov 09:05 local
    same_after_restart()
    course_acts.change_dose_level(
        ctx,
        staff.investigator,
        "P001",
        to_level="B",
        from_infusion=2,
        reason="two infusions are enough after the marrow recovered",
        password=PASSWORD,
    )
    same_after_restart()
    # infusion 2's window (30 Nov, -1/+2 days) closed on 3 Dec 00:00 local: late, with reason
    clock.now = local(2026, 12, 4, 8, 30)
    give(ctx, staff, clock, "P001", 2, deviation_reason="bed shortage on the ward")
    same_after_restart()
    course_acts.end_treatment(
        ctx, staff.investigator, "P001", reason="completed", password=PASSWORD
    )
    same_after_restart()
    facts, plan = course_of(ctx, "P001")
    assert plan.planned_total == 2  # group B from infusion 2 on
    assert plan.infusion(2).deviation == "bed shortage on the ward"
    assert facts.end is not None and facts.end.reason.value == "completed"
