"""The bedside "note": a free-text nursing note with its time, declared like every bedside
action (services/bedside.py NOTE), on SQLite and on PostgreSQL.

The test clock starts at 08:00 UTC; the infusion record exists from then on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.services import bedside
from infusion_app.services.context import NotAuthorised
from tests.records.scenario import full_infusion
from tests.stored import stored_events


def notes(ctx, infusion_id):
    return [e for e in stored_events(ctx, infusion_id) if e.type == "note_added"]


def test_a_note_is_allowed_as_soon_as_the_infusion_exists(ctx, staff, infusion_id, clock):
    outcome = bedside.NOTE(ctx, staff.nurse, infusion_id, text="  pale, comfortable, consented ")
    # stored as one entry with the text stripped (free-text rule), at the clock's time 08:00
    (stored,) = notes(ctx, infusion_id)
    assert stored.seq == outcome.seq == 2  # 1 is the infusion's creation
    assert stored.payload == '{"text":"pale, comfortable, consented"}'
    assert stored.occurred_at == stored.recorded_at == clock.now
    assert stored.reason is None
    assert outcome.state.notes == ("pale, comfortable, consented",)


def test_a_back_entered_note_needs_a_reason_like_every_bedside_entry(
    ctx, staff, infusion_id, clock
):
    clock.advance(minutes=20)  # 08:20
    ten_minutes_ago = clock.now - timedelta(minutes=10)  # 08:10: more than 5 min back
    with pytest.raises(InputError, match="reason"):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text="vomited once", at=ten_minutes_ago)
    assert notes(ctx, infusion_id) == []  # refused: nothing written
    bedside.NOTE(
        ctx,
        staff.nurse,
        infusion_id,
        text="vomited once",
        at=ten_minutes_ago,
        late_reason="written after the bed change",
    )
    (stored,) = notes(ctx, infusion_id)
    assert stored.occurred_at == ten_minutes_ago
    assert stored.recorded_at == clock.now
    assert stored.reason == "written after the bed change"
    with pytest.raises(InputError, match="future"):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text="x", at=clock.now + timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "rule"),
    [("   ", "text: is required"), ("two\nlines", "text: must be one line")],
)
def test_the_note_follows_the_free_text_rules(ctx, staff, infusion_id, text, rule):
    with pytest.raises(InputError, match=rule):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text=text)
    assert notes(ctx, infusion_id) == []


def test_a_late_note_after_the_observation_ended_is_still_allowed(ctx, staff, infusion_id, clock):
    full_infusion(ctx, staff, infusion_id, clock)  # observation ended at 11:25
    clock.advance(minutes=30)  # 11:55
    outcome = bedside.NOTE(ctx, staff.nurse, infusion_id, text="went home well, 11:50")
    assert outcome.state.observation_ended_at is not None  # the note changes nothing else
    assert [e.type for e in stored_events(ctx, infusion_id)][-1] == (EventType.NOTE_ADDED.value)


def test_only_a_nurse_writes_a_note(ctx, staff, infusion_id):
    for who in (staff.monitor, staff.pharmacist):
        with pytest.raises(NotAuthorised):
            bedside.NOTE(ctx, who, infusion_id, text="not mine to write")
    assert notes(ctx, infusion_id) == []
