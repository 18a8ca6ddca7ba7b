"""When an event may be recorded: never in the future, and late only with a reason.

A nurse may back-enter what happened during downtime; the record must then say why. Two
stations' clocks may differ a little, so "future" allows a small skew.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType

BACK_ENTRY_AFTER = timedelta(minutes=5)
CLOCK_SKEW = timedelta(minutes=1)


def check_times(
    occurred_at: datetime, recorded_at: datetime, reason: str | None, type: EventType
) -> None:
    """Back-entered events and corrections must say why; the future cannot be recorded."""
    if occurred_at > recorded_at + CLOCK_SKEW:
        raise InputError(
            "occurred_at",
            f"{occurred_at.isoformat(timespec='seconds')} is in the future "
            f"(now {recorded_at.isoformat(timespec='seconds')})",
        )
    has_reason = bool(reason and reason.strip())
    if recorded_at - occurred_at > BACK_ENTRY_AFTER and not has_reason:
        minutes = int(BACK_ENTRY_AFTER.total_seconds() // 60)
        raise InputError(
            "reason", f"is required for an event entered more than {minutes} min after it happened"
        )
    if type is EventType.CORRECTION and not has_reason:
        raise InputError("reason", "is required for a correction")
