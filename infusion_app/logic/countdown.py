"""The one big countdown of the bedside screen: the next thing to do and the time left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from infusion_app.logic.schedule import DueItem

# What the countdown says for each kind of item, before and after its time; at the same time
# the earlier kind here wins (the rate step before the vitals it coincides with).
_LABELS = {
    "start_allowed": ("Start allowed in", "Start allowed"),
    "window_opens": ("Plan window opens in", "Plan window open"),
    "rate_step": ("Rate step in", "Rate step due"),
    "vitals": ("Vitals due in", "Vitals due"),
    "expected_end": ("Expected end in", "Expected end reached"),
    "observation_end": ("Observation ends in", "Observation complete"),
    "post_thaw_limit": ("Post-thaw limit in", "Post-thaw limit passed"),
    "sae_report": ("SAE report due in", "SAE report overdue"),
}


# moments that, once come, need nothing done (the start button says the rest)
_PASSING = frozenset({"start_allowed", "window_opens"})


@dataclass(frozen=True)
class Countdown:
    kind: str
    label: str
    text: str  # "04:12", "1:12:45", or "" once the moment has come
    overdue: bool


def format_remaining(seconds: float) -> str:
    """MM:SS under an hour, H:MM:SS from an hour; whole seconds rounded up."""
    whole = max(0, int(-(-seconds // 1)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def next_countdown(due: list[DueItem] | tuple[DueItem, ...], now: datetime) -> Countdown | None:
    """What the nurse acts on next. Something already due (vitals, rate step) wins, oldest
    first; otherwise the nearest moment to come. "Start allowed" (or the plan's window) once
    passed is no longer a countdown (the start button says it), so the post-thaw limit takes
    its place."""
    item = next_item(due, now)
    return countdown_to(item, now) if item is not None else None


def next_item(due: list[DueItem] | tuple[DueItem, ...], now: datetime) -> DueItem | None:
    """The item :func:`next_countdown` counts down to, kept whole: a screen that shows many
    infusions (the ward board) stores its due time and recounts it every second itself."""
    candidates = [item for item in due if item.kind in _LABELS]
    arrived = [i for i in candidates if i.due_at <= now and i.kind not in _PASSING]
    coming = [i for i in candidates if i.due_at > now]
    if arrived:
        return min(arrived, key=_order)
    if coming:
        return min(coming, key=_order)
    return None


def countdown_to(item: DueItem, now: datetime) -> Countdown:
    """The countdown of one item at ``now``: its time left, or "" once its moment has come."""
    before, after = _LABELS.get(item.kind, (item.kind, item.kind))
    if item.due_at <= now:
        return Countdown(item.kind, after, "", item.overdue)
    remaining = format_remaining((item.due_at - now).total_seconds())
    return Countdown(item.kind, before, remaining, item.overdue)


def _order(item: DueItem) -> tuple[datetime, int]:
    return item.due_at, list(_LABELS).index(item.kind)
