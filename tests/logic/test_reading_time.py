"""How a person reads a stored time (issue 17 §2): local minutes in the station's zone, the
zone named once, stored UTC untouched. Shanghai is UTC+8 all year; New York is UTC-5 in
November and UTC-4 in July."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.logic.reading_time import (
    local_times_in,
    read_at,
    station_zone,
    utc_label,
    zone_label,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
AT = datetime(2026, 11, 30, 1, 5, 42, 123456, tzinfo=UTC)  # 09:05:42 in Shanghai


def test_a_moment_reads_as_local_minutes() -> None:
    assert read_at(AT, SHANGHAI) == "2026-11-30 09:05"  # 01:05 + 8 h; seconds dropped
    assert read_at(AT, SHANGHAI, with_date=False) == "09:05"
    assert read_at(AT, NEW_YORK) == "2026-11-29 20:05"  # 01:05 - 5 h, the day before


def test_the_header_names_the_zone_and_its_offset_at_that_moment() -> None:
    assert zone_label(SHANGHAI, AT) == "Asia/Shanghai (UTC+08:00)"
    assert zone_label(NEW_YORK, AT) == "America/New_York (UTC-05:00)"
    assert zone_label(NEW_YORK, AT.replace(month=7)) == "America/New_York (UTC-04:00)"  # DST
    assert zone_label(ZoneInfo("UTC"), AT) == "UTC+00:00"
    assert zone_label(timezone(timedelta(hours=8)), AT) == "UTC+08:00"  # no name to give


def test_without_a_reader_zone_a_time_says_its_own() -> None:
    assert utc_label(AT) == "2026-11-30 01:05 UTC"
    assert utc_label(AT.astimezone(SHANGHAI)) == "2026-11-30 09:05 UTC+08:00"


@pytest.mark.parametrize(
    "name", ["Asia/Shanghai", "Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC"]
)
def test_iana_names_are_zones(name: str) -> None:
    assert station_zone("time_zone", name) == ZoneInfo(name)


@pytest.mark.parametrize(
    "name", ["", " ", "CST", "+08:00", "Beijing", "asia/shanghai", "Asia/Shanghai ", "../x/y",
             "/etc/localtime", "Asia/Shanghai\n"],
)  # fmt: skip
def test_anything_else_is_one_line_naming_the_field_and_the_rule(name: str) -> None:
    with pytest.raises(InputError) as refused:
        station_zone("time_zone", name)
    line = str(refused.value)
    assert line.startswith("time_zone: must be an IANA time zone name such as Asia/Shanghai")
    assert repr(name) in line and "\n" not in line


def test_times_inside_a_text_read_local_and_examples_stay() -> None:
    rule = "2026-11-21T08:35:00+00:00 is in the future (now 2026-11-21T08:00:00+00:00)"
    assert local_times_in(rule, SHANGHAI) == (
        "2026-11-21 16:35 is in the future (now 2026-11-21 16:00)"
    )
    assert local_times_in("after 2026-11-21T08:00Z", SHANGHAI) == "after 2026-11-21 16:00"
    # a format's example is what to type: left as written
    hint = "give an ISO 8601 time with its UTC offset, e.g. 2026-11-21T08:35+08:00"
    assert local_times_in(hint, SHANGHAI) == hint
    # a time without an offset is not a moment; part of a longer token is not a time
    for text in ("2026-11-21T08:35 as typed", "bag2026-11-21T08:35+00:00", "2026-13-45T08:35Z"):
        assert local_times_in(text, SHANGHAI) == text
