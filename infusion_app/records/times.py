"""Times on paper: stored UTC, printed in the station's zone, which the page names once."""

from __future__ import annotations

from datetime import datetime, tzinfo


def local(moment: datetime | None, zone: tzinfo, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def clock(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M")


def zone_name(zone: tzinfo, at: datetime) -> str:
    """ "UTC+08:00": an offset reads the same in every language and on every machine."""
    offset = at.astimezone(zone).utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
