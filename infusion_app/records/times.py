"""Times on paper: stored UTC, printed in the station's zone, which the page names once.

The format is :mod:`infusion_app.logic.reading_time`'s, the same as on screen and in the CLI's
lines: ``2026-11-30 09:05``, no ``T``, no offset in the body; the header says
``Asia/Shanghai (UTC+08:00)``."""

from __future__ import annotations

from datetime import datetime, tzinfo

from infusion_app.logic.reading_time import MINUTES, offset_name, read_at, zone_label


def local(moment: datetime | None, zone: tzinfo, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime(MINUTES + ":%S" if seconds else MINUTES)


def clock(moment: datetime, zone: tzinfo) -> str:
    return read_at(moment, zone, with_date=False)


def zone_name(zone: tzinfo, at: datetime) -> str:
    """ "UTC+08:00": an offset reads the same in every language and on every machine."""
    return offset_name(zone, at)


__all__ = ["clock", "local", "zone_label", "zone_name"]
