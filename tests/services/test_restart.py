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
