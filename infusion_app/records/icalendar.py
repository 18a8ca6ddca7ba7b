"""An iCalendar file (RFC 5545), written by hand: a site's calendar program imports it.

Only what a calendar of dated windows needs: one ``VCALENDAR`` (``VERSION:2.0``, a
``PRODID``) holding one ``VEVENT`` per entry, each with a ``UID`` that stays the same from one
export to the next (so a re-import updates an entry instead of adding a copy), ``DTSTAMP``,
``DTSTART``/``DTEND``, ``SUMMARY`` and ``DESCRIPTION``, and ``STATUS:CANCELLED`` for what is
no longer expected.

The rules of the format that matter here (RFC 5545 section numbers):

- 3.1: lines end with CRLF and are folded so that no line is longer than 75 octets (UTF-8
  bytes, never splitting a character); a continuation line starts with one space.
- 3.3.11: in TEXT values a backslash, semicolon and comma are escaped with a backslash and a
  line break is written ``\\n``.
- 3.3.4 / 3.3.5: a whole-day window is a ``DATE`` (``VALUE=DATE``, ``YYYYMMDD``) and its
  ``DTEND`` is the day after its last day (exclusive, like the windows it shows); any other
  time is written in UTC (``YYYYMMDDTHHMMSSZ``), so no ``VTIMEZONE`` is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

PRODID = "-//Infusion assistant//Patient course calendar//EN"
LINE_OCTETS = 75


@dataclass(frozen=True)
class CalendarEntry:
    """One event: a whole-day window (``date`` values) or an exact one (aware datetimes)."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None  # exclusive; None: a moment (a start with no length)
    description: str = ""
    cancelled: bool = False


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """One content line, folded at 75 octets without splitting a UTF-8 character, CRLF-ended."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, LINE_OCTETS  # the space counts toward the 75
        current += char
        size += width
    pieces.append(current)
    return "".join(f"{piece}\r\n" for piece in pieces)


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("iCalendar times are written in UTC: give an aware time")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc(value)}"
    return f"{name};VALUE=DATE:{value.strftime('%Y%m%d')}"


def _event(entry: CalendarEntry, stamp: datetime) -> list[str]:
    if entry.end is not None and isinstance(entry.start, datetime) != isinstance(
        entry.end, datetime
    ):
        raise ValueError(f"{entry.uid}: start and end must both be dates or both times")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(entry.uid)}",
        f"DTSTAMP:{_utc(stamp)}",
        _when("DTSTART", entry.start),
    ]
    if entry.end is not None:
        lines.append(_when("DTEND", entry.end))
    lines.append(f"SUMMARY:{escape_text(entry.summary)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape_text(entry.description)}")
    lines.append("STATUS:CANCELLED" if entry.cancelled else "STATUS:CONFIRMED")
    lines.append("TRANSP:TRANSPARENT")  # a window to keep in mind, not a busy slot
    lines.append("END:VEVENT")
    return lines


def icalendar(entries: Iterable[CalendarEntry], *, stamp: datetime, name: str = "") -> bytes:
    """The file's bytes (UTF-8). ``stamp`` is the export's time (every ``DTSTAMP``)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for entry in entries:
        lines.extend(_event(entry, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines).encode("utf-8")
