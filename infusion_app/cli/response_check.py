"""``infusion-app response-check``: the haematological response of one patient from CSV files,
without a record (issue 16), so an investigator or statistician can check the app's reading
of seed 004's criteria against their own:

``response-check --first-infusion T --last-infusion T --labs LABS.csv
[--transfusions TX.csv] [--at T] [--zone ZONE] [--json]``

The labs file has the columns ``time,hb,anc,plt`` (optionally ``wbc,lym``), the transfusions
file ``time,kind[,units]`` (:mod:`infusion_app.logic.labs`); both are read as every input file
is (:func:`infusion_app.file_guard.read_text_input_file`: a regular UTF-8 file, size capped,
never a database file). Local days (week 4 and 8, days to response) are counted in ``--zone``:
an IANA name or an offset; by default the offset written in ``--first-infusion``.

The JSON has exactly the issue's shape; lab values are strings (exact, as written), times ISO
8601 in the zone, null where nothing applies.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from infusion_app.cli.common import parse_time, parsed, print_json
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.file_guard import read_text_input_file
from infusion_app.logic.errors import InputError
from infusion_app.logic.haem_response import (
    CRITERIA_KEYS,
    RESPONSE_LINEAGES,
    Duration,
    HaemResponse,
    haematological_response,
)
from infusion_app.logic.labs import UNITS, parse_labs_csv, parse_transfusions_csv

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

MAX_CSV_BYTES = 2 * 1024 * 1024  # 10,000 rows of counts are about 600 KB
_OFFSET = re.compile(r"([+-])([0-9]{2}):?([0-9]{2})", re.ASCII)
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*", re.ASCII)


def add_response_check_command(commands: Sub) -> None:
    check = commands.add_parser(
        "response-check",
        help="haematological response (CR/PR at weeks 4 and 8) from lab and transfusion CSVs",
    )
    check.add_argument(
        "--first-infusion", required=True, help="ISO 8601 with offset, e.g. 2026-03-02T08:00+08:00"
    )
    check.add_argument("--last-infusion", required=True, help="ISO 8601 with offset")
    check.add_argument(
        "--labs", required=True, type=Path, help="CSV: time,hb,anc,plt[,wbc,lym] (g/L, ×10^9/L)"
    )
    check.add_argument(
        "--transfusions", type=Path, help="CSV: time,kind[,units]; kind rbc|platelets"
    )
    check.add_argument("--at", help="count only tests and transfusions up to this time")
    check.add_argument(
        "--zone",
        help="time zone of the local days: an IANA name (Asia/Shanghai) or an offset "
        "(+08:00); default: the offset of --first-infusion",
    )
    check.add_argument("--json", action="store_true", help="print one JSON object")


@dataclass(frozen=True)
class ResponseCheckCommand:
    first_infusion: str
    last_infusion: str
    labs: Path
    transfusions: Path | None
    at: str | None
    zone: str | None
    json: bool


def parse_zone(field: str, text: str) -> tzinfo:
    """``UTC``, an offset (``+08:00``, ``-0330``) or an IANA zone name this machine knows."""
    raw = text.strip()
    if raw.upper() in {"UTC", "Z"}:
        return UTC
    offset = _OFFSET.fullmatch(raw)
    if offset:
        sign, hours, minutes = offset.groups()
        if int(hours) > 14 or int(minutes) > 59:
            raise InputError(field, f"offset {raw} is not a UTC offset (-14:00 to +14:00)")
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        return timezone(-delta if sign == "-" else delta)
    if len(raw) <= 64 and _ZONE_NAME.fullmatch(raw):
        try:
            return ZoneInfo(raw)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    shown = repr(raw[:40])
    raise InputError(
        field, f"{shown} is not a time zone: give an IANA name (Asia/Shanghai) or +08:00"
    )


def written_offset(text: str) -> tzinfo:
    """The offset a (checked) ISO 8601 time was written with."""
    offset = datetime.fromisoformat(text.strip()).utcoffset()
    assert offset is not None  # parse_time refused a time without one
    return UTC if not offset else timezone(offset)


def run_response_check(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(ResponseCheckCommand, args)
    first = parse_time("--first-infusion", command.first_infusion)
    last = parse_time("--last-infusion", command.last_infusion)
    at = parse_time("--at", command.at) if command.at is not None else None
    if last < first:
        raise InputError("--last-infusion", "is before --first-infusion")
    zone = (
        parse_zone("--zone", command.zone)
        if command.zone is not None
        else written_offset(command.first_infusion)
    )
    labs = parse_labs_csv(
        read_text_input_file(command.labs, "--labs", max_bytes=MAX_CSV_BYTES),
        source=str(command.labs),
    )
    transfusions = (
        parse_transfusions_csv(
            read_text_input_file(command.transfusions, "--transfusions", max_bytes=MAX_CSV_BYTES),
            source=str(command.transfusions),
        )
        if command.transfusions is not None
        else ()
    )
    result = haematological_response(
        labs, transfusions, first_infusion=first, last_infusion=last, zone=zone, at=at
    )
    summary = response_summary(result, zone)
    if command.json:
        print_json(summary)
    else:
        print_response(summary)
    return EXIT_OK


def _value(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _time(moment: datetime | None, zone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat()


def _duration(duration: Duration, zone: tzinfo) -> dict[str, Any]:
    return {
        "start": _time(duration.start, zone),
        "end": _time(duration.end, zone),
        "days": duration.days,
        "event": duration.event,
    }


def response_summary(result: HaemResponse, zone: tzinfo) -> dict[str, Any]:
    """The issue's JSON shape: baseline, week_4, week_8, time_to_response_days and
    duration_of_response (the overall response's: the CR's, else the earliest PR's)."""
    summary: dict[str, Any] = {
        "baseline": {
            lineage.value: _value(result.baseline[lineage]) for lineage in RESPONSE_LINEAGES
        }
    }
    for week in result.weeks:
        summary[f"week_{week.week}"] = {
            "date": week.day.isoformat(),
            "status": week.status.value,
            "best": week.best.value,
        }
    summary["time_to_response_days"] = {
        key: result.time_to_response_days[key] for key in CRITERIA_KEYS
    }
    summary["duration_of_response"] = _duration(result.duration, zone)
    return summary


_NAMES = {"hb": "Hb", "anc": "ANC", "plt": "PLT", "cr": "CR"}


def print_response(summary: dict[str, Any]) -> None:
    baseline = ", ".join(
        f"{_NAMES[lineage.value]} "
        + (
            f"{summary['baseline'][lineage.value]} {UNITS[lineage]}"
            if summary["baseline"][lineage.value] is not None
            else "not measured"
        )
        for lineage in RESPONSE_LINEAGES
    )
    print(f"baseline: {baseline}")
    for key, status in summary.items():
        if key.startswith("week_"):
            week = key.removeprefix("week_")
            print(f"week {week} ({status['date']}): {status['status']} (best {status['best']})")
    days = summary["time_to_response_days"]
    print(
        "time to response: "
        + ", ".join(
            f"{_NAMES[key]} " + (f"{days[key]} days" if days[key] is not None else "none")
            for key in CRITERIA_KEYS
        )
    )
    duration = summary["duration_of_response"]
    if duration["start"] is None:
        print("duration of response: no response")
    else:
        how = "ended" if duration["event"] else "censored"
        print(
            f"duration of response: {duration['days']} days, {duration['start']} to "
            f"{duration['end']} ({how})"
        )
