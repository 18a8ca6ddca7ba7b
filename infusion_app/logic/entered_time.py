"""Times typed at the bedside: "08:35" (today, station time), "2026-11-21 08:35" (station
time), or ISO 8601 with an offset. Stored as UTC by the services; the station's zone comes
from ``now``, which the caller passes already converted to local time.

Whatever is typed, the result is a UTC time within :data:`EARLIEST`..:data:`LATEST`: a
time at the calendar's edge with an offset (0001-01-01T00:00+14:00) cannot be converted to
UTC at all, and no clinical time lies outside those years. Whether a time is allowed for
an entry (not in the future, not too far back) is :mod:`infusion_app.logic.backentry`'s job.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_TEXT = 64
ISO_HINT = "an ISO 8601 time with its UTC offset, e.g. 2026-11-21T08:35+08:00"


def plausible_utc(field: str, value: datetime) -> datetime:
    """``value`` (timezone-aware) in UTC, or InputError when it is outside 1900-2199."""
    if value.tzinfo is None:
        raise InputError(field, f"must include a UTC offset: give {ISO_HINT}")
    try:
        moment = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InputError(field, f"{value.isoformat()} is outside the calendar in UTC") from None
    if not EARLIEST <= moment < LATEST:
        raise InputError(
            field, m.rule_time_implausible(at=moment, first=EARLIEST.year, last=LATEST.year - 1)
        )
    return moment


def parse_iso_time(field: str, text: str) -> datetime:
    """ISO 8601 with an offset, as the CLI and files give it; in UTC."""
    raw = text.strip()
    if not raw:
        raise InputError(field, f"is empty: give {ISO_HINT} (leave the option out for now)")
    if len(raw) > MAX_TEXT or not raw.isascii():
        raise InputError(field, f"must be {ISO_HINT}, got {_shown(text)}")
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(field, f"must be {ISO_HINT}, got {_shown(text)}") from None
    if value.tzinfo is None:
        raise InputError(field, f"must include a UTC offset, e.g. {raw}+08:00")
    return plausible_utc(field, value)


def parse_iso_date(field: str, text: str) -> date:
    """A date YYYY-MM-DD within the plausible years."""
    raw = text.strip()
    if not raw or len(raw) > MAX_TEXT or not raw.isascii():
        raise InputError(field, f"must be a date YYYY-MM-DD, got {_shown(text)}")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise InputError(field, f"must be a date YYYY-MM-DD, got {_shown(text)}") from None
    if not EARLIEST.date() <= value < LATEST.date():
        raise InputError(
            field,
            f"{value.isoformat()} is not a plausible date "
            f"(years {EARLIEST.year}-{LATEST.year - 1})",
        )
    return value


def _shown(text: str) -> str:
    """The typed text for a message: quoted, control characters escaped, cut at 40."""
    shown = repr(text[:40])
    return shown + ("…" if len(text) > 40 else "")


def parse_entered_time(field: str, text: str, now: datetime) -> datetime:
    if now.tzinfo is None:
        raise ValueError("now must carry the station's time zone")
    raw = text.strip()
    if not raw:
        raise InputError(field, m.rule_time_required())
    hint = m.rule_time_form(got=_shown(text))
    if len(raw) > MAX_TEXT or not raw.isascii():
        raise InputError(field, hint)
    try:
        if len(raw) <= 5 and ":" in raw:
            hours, minutes = (int(part) for part in raw.split(":"))
            value = now.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        else:
            value = datetime.fromisoformat(raw)
    except ValueError:
        raise InputError(field, hint) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=now.tzinfo)
    return plausible_utc(field, value)
