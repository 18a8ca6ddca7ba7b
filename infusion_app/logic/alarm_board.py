"""The alarm banner's content: what a person must see now and has not acknowledged yet.

Every alarm has a key made of what raised it and when (``vitals@2026-11-21T08:50+00:00@medium``),
so acknowledging it is an event in the record (who saw it, when) and a new occurrence of the
same condition (the next set of vitals overdue, a new abnormal set) raises a new alarm. An
acknowledged alarm leaves the banner; its condition stays visible in the due list until the
record clears it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from infusion_app.logic import messages as m
from infusion_app.logic.alarms import Priority
from infusion_app.logic.infusion_state import InfusionState
from infusion_app.logic.messages import Message
from infusion_app.logic.schedule import DueItem


@dataclass(frozen=True)
class BoardAlarm:
    key: str
    priority: Priority
    message: Message


def alarm_key(kind: str, at: datetime, priority: Priority) -> str:
    return f"{kind}@{at.isoformat()}@{priority.value}"


def board_alarms(
    state: InfusionState,
    due: tuple[DueItem, ...] | list[DueItem],
    now: datetime,
    *,
    product_expires_at: datetime | None = None,
) -> list[BoardAlarm]:
    """High first, then by time. High: abnormal vitals, post-thaw limit passed, SAE to report,
    product expired before the end; medium: an overdue item; low: an item that has come due."""
    alarms: list[tuple[datetime, BoardAlarm]] = []
    latest = max(state.vitals, key=lambda v: (v.at, v.seq)) if state.vitals else None
    for item in due:
        arrived = now >= item.due_at
        if item.priority is Priority.HIGH or item.overdue or arrived:
            kind = item.kind
            if kind.startswith("alarm:") and latest is not None:
                kind += f"#{latest.seq}"  # a recheck in the same minute is a new alarm
            key = alarm_key(kind, item.due_at, item.priority)
            alarms.append((item.due_at, BoardAlarm(key, item.priority, _text(item))))
    finished = state.ended_at is not None or state.stopped
    if product_expires_at is not None and now >= product_expires_at and not finished:
        key = alarm_key("product_expired", product_expires_at, Priority.HIGH)
        message = m.board_product_expired()
        alarms.append((product_expires_at, BoardAlarm(key, Priority.HIGH, message)))
    shown = [a for _, a in alarms if a.key not in state.acknowledged_alarms]
    order = {a.key: at for at, a in alarms}
    return sorted(shown, key=lambda a: (a.priority.rank, order[a.key]))


def _text(item: DueItem) -> Message:
    if item.overdue and item.priority is not Priority.HIGH:
        return m.board_overdue(item=item.message)
    return m.board_due(item=item.message)
