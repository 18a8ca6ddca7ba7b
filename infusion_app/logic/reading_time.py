"""How a person reads a stored time: local time in the station's zone, ``2026-11-30 09:05``.

Stored times stay UTC (DESIGN.md, Time). Every screen, printout and human-readable CLI line
shows them in the *station's* zone (the ``time_zone`` setting, default ``Asia/Shanghai``, the
zone of both trial sites) as ``YYYY-MM-DD HH:MM``: no ``T``, no offset, no seconds, no
microseconds. The zone is named once, where the reader looks for it (a page's header, the
window's status line), e.g. ``Asia/Shanghai (UTC+08:00)``.

The station's zone and a protocol's ``time_zone`` answer different questions. The protocol's
zone is the trial site's calendar: which local day a day window opens and closes, what
"nothing after a death" and a report's day count mean; the rules always count days there, so
two stations in different zones agree on every window. The station's zone is only how a person
reads a moment. When they differ (a monitor reading a Shanghai trial from another city), the
moment is shown in the station's zone and a window's *days* stay the protocol's dates. One
exception: the patient's course page and ``patient show`` are about the protocol's days, so
their times read in the protocol's zone, which their heading names (services/patient_view).

Pure: no Qt, no database. ``zoneinfo`` reads the IANA database this machine has.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infusion_app.logic.errors import InputError

DEFAULT_TIME_ZONE = "Asia/Shanghai"  # both trial sites (Shanghai and Tianjin)
MINUTES = "%Y-%m-%d %H:%M"


def station_zone(field: str, name: str) -> ZoneInfo:
    """The zone named ``name`` (an IANA name this machine knows), or one line saying why not.

    An offset ("+08:00") or an abbreviation ("CST": China, Cuba or US Central?) is refused: a
    named zone keeps daylight saving right if a station ever runs where it applies."""
    # repr: a space or a control character shows, and the line stays one line
    rule = f"must be an IANA time zone name such as {DEFAULT_TIME_ZONE}, got {name[:60]!r}"
    if not name.strip() or name.strip() != name or ("/" not in name and name != "UTC"):
        raise InputError(field, rule)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(field, rule) from None


def default_zone() -> ZoneInfo:
    return ZoneInfo(DEFAULT_TIME_ZONE)


def read_at(moment: datetime, zone: tzinfo, *, with_date: bool = True) -> str:
    """``2026-11-30 09:05`` (or ``09:05`` where the date is obvious) in ``zone``."""
    return moment.astimezone(zone).strftime(MINUTES if with_date else "%H:%M")


def offset_name(zone: tzinfo, at: datetime) -> str:
    """ "UTC+08:00": an offset reads the same in every language and on every machine."""
    offset = at.astimezone(zone).utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def zone_label(zone: tzinfo, at: datetime) -> str:
    """ "Asia/Shanghai (UTC+08:00)": the zone's name and its offset at ``at``, for a header.
    A zone without a name (a fixed offset) is its offset alone."""
    key = getattr(zone, "key", None)
    offset = offset_name(zone, at)
    return f"{key} ({offset})" if key and key != "UTC" else offset


def utc_label(moment: datetime) -> str:
    """A moment when no reader's zone is known (a log file, an exception's text): the time in
    the zone it carries, with that zone said, so it is never mistaken for local time."""
    zone = moment.tzinfo or UTC
    offset = moment.utcoffset()
    named = "UTC" if not offset else offset_name(zone, moment)
    return f"{read_at(moment, zone)} {named}"


# An ISO 8601 time with its offset inside a text the rules or the store made ("2026-11-21T
# 08:35:00+00:00 is in the future", a release check's "after 2026-11-21T08:00+00:00").
_ISO_TIME = re.compile(
    r"(?<![\w.:+-])(?<!e\.g\. )"  # not inside a longer token, not a format's example
    r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?)(Z|[+-]\d\d:\d\d)(?![\w:])"
)


def local_times_in(text: str, zone: tzinfo) -> str:
    """``text`` with each ISO time that carries its offset read as local minutes in ``zone``.

    For texts made before anyone knew who would read them: a refusal's rule and a stored
    release criterion say their times in UTC. A format's example ("e.g. 2026-11-21T08:35+08:00",
    what to type) is left as written; a time without an offset is not a moment and stays."""

    def local(match: re.Match[str]) -> str:
        try:
            moment = datetime.fromisoformat(f"{match[1]}T{match[2]}{match[3]}")
        except ValueError:
            return match[0]
        return read_at(moment, zone)

    return _ISO_TIME.sub(local, text)
