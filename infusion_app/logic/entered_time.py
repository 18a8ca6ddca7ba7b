"""Times typed at the bedside: "08:35" (today, station time), "2026-11-21 08:35" (station
time), or ISO 8601 with an offset. Stored as UTC by the services; the station's zone comes
from ``now``, which the caller passes already converted to local time."""

from __future__ import annotations

from datetime import datetime

from infusion_app.logic.errors import InputError


def parse_entered_time(field: str, text: str, now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must carry the station's time zone")
    raw = text.strip()
    if not raw:
        raise InputError(field, "is required (HH:MM, or YYYY-MM-DD HH:MM)")
    try:
        if len(raw) <= 5 and ":" in raw:
            hours, minutes = (int(part) for part in raw.split(":"))
            return now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(
            field, f"give HH:MM or YYYY-MM-DD HH:MM (station time), got {text!r}"
        ) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=now.tzinfo)
