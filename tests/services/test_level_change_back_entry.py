"""A dose-level change decided on paper during a downtime is entered later with its time and
the reason for the late entry (the level change used to pass no reason on, so the store
refused every back-entered change).

P001 in group C enrolled Sat 21 Nov 2026 08:00 UTC; the change is entered at 11:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from infusion_app.logic.errors import InputError
from infusion_app.services import course_acts
from infusion_app.store.models import Event
from tests.conftest import PASSWORD, register_p001


def level_changes(ctx) -> list[tuple[datetime, str | None]]:
    with ctx.db.read() as session:
        rows = session.scalars(select(Event).where(Event.type == "dose_level_changed")).all()
        return [(e.occurred_at, e.reason) for e in rows]


def change(ctx, who, **more) -> None:
    course_acts.change_dose_level(
        ctx,
        who,
        "P001",
        to_level="B",
        from_infusion=1,
        reason="platelets low at screening",
        password=PASSWORD,
        **more,
    )


def test_a_back_entered_level_change_keeps_its_time_and_why_it_is_late(ctx, staff, clock):
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    clock.now = datetime(2026, 11, 21, 11, tzinfo=UTC)
    decided = datetime(2026, 11, 21, 9, tzinfo=UTC)  # 2 h back: more than 5 min, late

    with pytest.raises(InputError) as refused:
        change(ctx, staff.investigator, at=decided)
    assert refused.value.field == "reason"
    assert level_changes(ctx) == []  # nothing half-saved

    change(ctx, staff.investigator, at=decided, back_entry_reason="system down on the ward")
    assert level_changes(ctx) == [(decided, "system down on the ward")]
