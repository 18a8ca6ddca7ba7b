"""The ward board's rules: which infusions it shows, who is at each bedside, and which comes
first.

A charge nurse reads the board from across the room, so its order is the order of what to do:
an infusion with a high alarm (abnormal vitals, a possible reaction, a product past its
limit) first; then one with something overdue; then the soonest due; an infusion with
nothing timed last. The same rule on every station gives the same board.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum

from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent, Step
from infusion_app.logic.schedule import DueItem

# Entries made away from the bed: the pharmacist calculates the dose in the pharmacy, and an
# infusion is created at a desk. Whoever made them is not "at the bedside".
AWAY_FROM_THE_BED = frozenset({EventType.INFUSION_CREATED, EventType.DOSE_CALCULATED})


@dataclass(frozen=True)
class Entry:
    """One entry of an infusion's log, as far as presence goes: who, where and when stored."""

    seq: int
    type: EventType
    user: str | None  # the account's printed name; None: made by no person (a migration)
    station: str
    recorded_at: datetime


@dataclass(frozen=True)
class Presence:
    """Who last made an entry at the bedside, at which station and when it was stored."""

    user: str
    station: str
    at: datetime


def at_the_bedside(entries: Iterable[Entry]) -> Presence | None:
    """The person of the latest entry made at the bed. The stored time counts, not the
    bedside time: a back-entry after downtime is typed by someone at a station now."""
    made = [e for e in entries if e.user is not None and e.type not in AWAY_FROM_THE_BED]
    if not made:
        return None
    latest = max(made, key=lambda e: e.seq)
    assert latest.user is not None
    return Presence(latest.user, latest.station, latest.recorded_at)


def on_the_board(
    state: InfusionState,
    events: Sequence[RecordedEvent],
    day: tuple[datetime, datetime],
    *,
    prepared: bool = True,
) -> bool:
    """Running, paused, ended or stopped and still in its observation: on the board until
    the observation ends. With ``prepared``, one not started yet is shown too when it has an
    entry on ``day`` ([start, end)): the bags being got ready today, not last month's
    created-and-abandoned infusion."""
    if state.step is Step.DONE:
        return False
    if state.started_at is not None:
        return True
    start, end = day
    return prepared and any(start <= e.occurred_at < end for e in events)


# "Until someone acts": the bound of a row that stays whatever the time (also the site's day
# list's, services/course_index.py).
ALWAYS = datetime.max.replace(tzinfo=UTC)


def on_the_board_until(state: InfusionState, events: Sequence[RecordedEvent]) -> datetime | None:
    """The last moment :func:`on_the_board` (with ``prepared``) can show the infusion on any
    day's board: never once done; :data:`ALWAYS` while started and not done (until someone
    ends its observation); else the last of its entries, whose day is the last it shows on.
    The rule's bound beside the rule, so that the two change together."""
    if state.step is Step.DONE:
        return None
    if state.started_at is not None:
        return ALWAYS
    return max((e.occurred_at for e in events), default=None)


class Urgency(IntEnum):
    """The three bands of the board, most urgent first."""

    HIGH_ALARM = 0
    OVERDUE = 1
    TIMED = 2


def urgency(alarms: Sequence[BoardAlarm], due: Sequence[DueItem]) -> Urgency:
    if any(a.priority is Priority.HIGH for a in alarms):
        return Urgency.HIGH_ALARM
    if any(a.priority is Priority.MEDIUM for a in alarms) or any(i.overdue for i in due):
        return Urgency.OVERDUE
    return Urgency.TIMED


def board_order(
    alarms: Sequence[BoardAlarm],
    due: Sequence[DueItem],
    next_due_at: datetime | None,
    tie: tuple[str, int],
) -> tuple[Urgency, bool, float, tuple[str, int]]:
    """The sort key of an infusion: its band, then the soonest due (nothing timed last),
    then patient and infusion number so that equal rows never swap between refreshes."""
    when = next_due_at.timestamp() if next_due_at is not None else 0.0
    return (urgency(alarms, due), next_due_at is None, when, tie)


def next_change(due: Iterable[DueItem], now: datetime) -> datetime | None:
    """The next moment at which the board would read differently with no new entry: an item
    comes due or becomes overdue (a new alarm). The screen reads again then."""
    moments = [m for i in due for m in (i.due_at, i.overdue_at) if m is not None and m > now]
    return min(moments, default=None)
