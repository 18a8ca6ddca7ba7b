"""The ward board's rules: who is at the bedside, and the order of the board."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from infusion_app.logic import messages as m
from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from infusion_app.logic.event_types import EventType
from infusion_app.logic.schedule import DueItem
from infusion_app.logic.ward_board import (
    Entry,
    Presence,
    Urgency,
    at_the_bedside,
    board_order,
    next_change,
    urgency,
)

T = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def entry(seq: int, type_: EventType, user: str | None, minutes: int) -> Entry:
    return Entry(seq, type_, user, f"bed-{seq}", T + timedelta(minutes=minutes))


def due(kind: str, minutes: int, *, overdue: bool = False) -> DueItem:
    at = T + timedelta(minutes=minutes)
    return DueItem(kind, at, at + timedelta(minutes=5), Priority.LOW, overdue, m.due_vitals())


def alarm(priority: Priority) -> BoardAlarm:
    return BoardAlarm(f"x@{priority.value}", priority, m.board_product_expired())


def test_the_latest_entry_made_at_the_bed_by_a_person() -> None:
    entries = [
        entry(1, EventType.INFUSION_CREATED, "Nora Nurse", 0),
        entry(2, EventType.VITALS_RECORDED, "Ning Wang", 5),
        entry(3, EventType.DOSE_CALCULATED, "Phil Pharmacist", 9),  # in the pharmacy
        entry(4, EventType.NOTE_ADDED, None, 10),  # no person (a migration)
    ]
    assert at_the_bedside(entries) == Presence("Ning Wang", "bed-2", T + timedelta(minutes=5))
    assert at_the_bedside(entries[:1]) is None  # created at a desk: nobody at the bed yet
    assert at_the_bedside([]) is None


def test_high_alarm_then_overdue_then_soonest_then_nothing_timed() -> None:
    rows = {
        "timed late": board_order([], [due("vitals", 30)], T + timedelta(minutes=30), ("P1", 1)),
        "nothing timed": board_order([], [], None, ("P0", 1)),
        "timed soon": board_order([], [due("vitals", 10)], T + timedelta(minutes=10), ("P2", 1)),
        "overdue": board_order(
            [], [due("vitals", -20, overdue=True)], T - timedelta(minutes=20), ("P3", 1)
        ),
        "high": board_order([alarm(Priority.HIGH)], [], T + timedelta(hours=1), ("P4", 1)),
    }
    assert sorted(rows, key=rows.__getitem__) == [
        "high",
        "overdue",
        "timed soon",
        "timed late",
        "nothing timed",
    ]
    assert urgency([alarm(Priority.MEDIUM)], []) is Urgency.OVERDUE
    assert urgency([alarm(Priority.LOW)], []) is Urgency.TIMED


def test_the_next_change_is_the_next_due_or_overdue_moment_to_come() -> None:
    items = [due("vitals", -1), due("rate_step", 3)]
    # the vitals came due a minute ago: overdue at +4; the rate step due at +3
    assert next_change(items, T) == T + timedelta(minutes=3)
    assert next_change(items, T + timedelta(minutes=3)) == T + timedelta(minutes=4)
    assert next_change([], T) is None
