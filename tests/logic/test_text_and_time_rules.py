"""The rules for stored text and entered times (issue 12, section 4), at the logic level."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import String

from infusion_app.logic import text_rules
from infusion_app.logic.backentry import (
    ABSOLUTE_BACK_LIMIT,
    back_entry_limit,
    check_date_of_birth,
    check_moment,
    check_times,
)
from infusion_app.logic.entered_time import parse_entered_time, parse_iso_date, parse_iso_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.identity import parse_count, parse_infusion_reference
from infusion_app.logic.protocol import SITE_DEFAULT
from infusion_app.logic.text_rules import bad_character, check_payload_text, check_text
from infusion_app.store import models

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


# --- text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a\nb",
        "a\r\nb",
        "a\rb",
        "a\x00b",
        "a\tb",
        "a\x1bb",
        "a\x7fb",
        "a\x85b",
        "a\u2028b",
        "a\u2029b",
        "a\u202eb",
        "a\u2066b",
        "a\udcffb",
        "a\ufffeb",
        "a\ufdd0b",
    ],
)
def test_control_characters_are_refused_by_name(text):
    with pytest.raises(
        InputError, match=r"^note: must be one line of printable text \(it contains U\+"
    ):
        check_text("note", text, 100)


@pytest.mark.parametrize("text", ["Ning Wang 王宁", "O'Brien-Smith", "Zoë Ødegård", "Ω ≥ 5 µL"])
def test_printable_text_of_any_script_is_kept(text):
    assert check_text("name", f"  {text} ", 100) == text


def test_lengths_are_bounded_and_required_text_is_required():
    assert check_text("f", "x" * 10, 10) == "x" * 10
    with pytest.raises(InputError, match=r"^f: must be at most 10 characters, got 11$"):
        check_text("f", "x" * 11, 10)
    with pytest.raises(InputError, match=r"^f: is required$"):
        check_text("f", "   ", 10)
    assert text_rules.optional_text("f", "  ", 10) is None
    with pytest.raises(InputError, match="must be text"):
        check_text("station", 5, 64)  # type: ignore[arg-type]


def test_every_string_of_a_payload_is_checked_with_its_path():
    check_payload_text({"a": "fine", "b": [1, "ok"], "c": {"d": None}})
    with pytest.raises(InputError, match=r"^c\.d\.1: must be one line"):
        check_payload_text({"c": {"d": ["ok", "x\ny"]}})
    with pytest.raises(InputError, match=r"^reason: must be at most 2000"):
        check_payload_text({"reason": "x" * 120_000})


@given(st.text(max_size=50))
def test_accepted_text_never_holds_a_line_break_or_nul(text):
    try:
        kept = check_text("f", text, 64, required=False)
    except InputError:
        return
    assert bad_character(kept) is None
    assert len(kept.splitlines() or [""]) == 1
    assert "\x00" not in kept
    kept.encode("utf-8")  # storable in PostgreSQL and SQLite: no lone surrogates


@pytest.mark.parametrize(
    ("limit", "column"),
    [
        (text_rules.USERNAME_MAX, models.User.__table__.c.username),
        (text_rules.PRINTED_NAME_MAX, models.User.__table__.c.printed_name),
        (text_rules.TRIAL_ID_MAX, models.Patient.__table__.c.trial_id),
        (text_rules.INITIALS_MAX, models.Patient.__table__.c.initials),
        (text_rules.DOSE_LEVEL_MAX, models.Patient.__table__.c.dose_level),
        (text_rules.PROTOCOL_ID_MAX, models.Patient.__table__.c.protocol_id),
        (text_rules.PRODUCT_ID_MAX, models.Product.__table__.c.product_id),
        (text_rules.LOT_MAX, models.Product.__table__.c.lot),
        (text_rules.STATION_MAX, models.Event.__table__.c.station),
    ],
)
def test_the_limits_match_the_column_sizes(limit, column):
    assert isinstance(column.type, String)
    assert column.type.length == limit


# --- times -----------------------------------------------------------------------------


def test_a_moment_in_the_future_is_refused():
    with pytest.raises(InputError, match=r"^at: .* is in the future"):
        check_moment("at", NOW + timedelta(minutes=2), NOW)
    assert check_moment("at", NOW + timedelta(seconds=30), NOW)  # clock skew between stations


def test_a_moment_beyond_the_back_entry_limit_or_before_registration_is_refused():
    with pytest.raises(InputError, match="more than 7 days back"):
        check_moment("at", NOW - timedelta(days=7, minutes=1), NOW)
    check_moment("at", NOW - timedelta(days=6), NOW)
    with pytest.raises(InputError, match="before the patient was registered"):
        check_moment("at", NOW - timedelta(hours=2), NOW, not_before=NOW - timedelta(hours=1))
    with pytest.raises(InputError, match="366 days"):  # whatever a protocol says
        check_moment("at", NOW - timedelta(days=400), NOW, limit=timedelta(days=1000))


def test_check_times_bounds_every_caller_and_still_wants_reasons():
    with pytest.raises(InputError, match="occurred_at"):
        check_times(NOW - ABSOLUTE_BACK_LIMIT - timedelta(days=1), NOW, "x", EventType.NOTE_ADDED)
    with pytest.raises(InputError, match=r"^reason: is required"):
        check_times(NOW - timedelta(minutes=6), NOW, None, EventType.NOTE_ADDED)
    check_times(NOW - timedelta(minutes=6), NOW, "downtime", EventType.NOTE_ADDED)


def test_the_protocols_carry_the_back_entry_limit_with_provenance(cart, crc):
    for protocol in (cart, crc):
        assert back_entry_limit(protocol) == timedelta(days=7)
        assert protocol.monitoring.back_entry_limit_days.source == SITE_DEFAULT


def test_dates_of_birth_are_plausible():
    assert check_date_of_birth(date(1970, 5, 1), NOW) == date(1970, 5, 1)
    with pytest.raises(InputError, match=r"^date_of_birth: .* is in the future"):
        check_date_of_birth(date(2026, 12, 1), NOW)
    with pytest.raises(InputError, match="more than 130 years back"):
        check_date_of_birth(date(1890, 1, 1), NOW)
    check_date_of_birth(date(1897, 1, 1), NOW)
    check_date_of_birth(date(1898, 3, 1), datetime(2028, 2, 29, tzinfo=UTC))  # a leap day


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59-12:00",
        "0001-01-01T00:00+00:00",
        "2026-11-21T08:00",
        "2026-11-21T08:00+08:00\n",
        "２０２６-11-21T08:00+08:00",
        "x" * 500,
        "2026-13-01T00:00+00:00",
    ],
)
def test_iso_times_are_plausible_utc_or_one_input_error(text):
    if text.endswith("\n") and not text.strip().endswith("\n"):
        assert parse_iso_time("at", text) == datetime(2026, 11, 21, 0, 0, tzinfo=UTC)
        return
    with pytest.raises(InputError, match=r"^at: "):
        parse_iso_time("at", text)


def test_iso_times_come_back_in_utc():
    assert parse_iso_time("at", "2026-11-21T08:00+08:00") == datetime(2026, 11, 21, 0, tzinfo=UTC)


@given(
    st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=h)) for h in (-12, 0, 14)]))
)
def test_any_iso_time_is_a_value_or_an_input_error(moment):
    try:
        value = parse_iso_time("at", moment.isoformat())
    except InputError:
        return
    assert value.tzinfo is UTC and 1900 <= value.year < 2200


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "", "2026-02-30", "٢٠٢٦-01-01"])
def test_dates_outside_the_plausible_years_are_refused(text):
    with pytest.raises(InputError, match=r"^from: "):
        parse_iso_date("from", text)


def test_entered_times_at_the_calendars_edge_are_input_errors():
    local = NOW.astimezone(timezone(timedelta(hours=14)))
    with pytest.raises(InputError, match=r"^time: "):
        parse_entered_time("time", "0001-01-01 00:00", local)
    with pytest.raises(InputError, match=r"^time: "):
        parse_entered_time("time", "25:00", local)
    assert parse_entered_time("time", "08:35", local).tzinfo is UTC


# --- references and counts -------------------------------------------------------------


def test_infusion_references():
    assert parse_infusion_reference("12") == (None, 12)
    assert parse_infusion_reference(" P001/1 ") == ("P001", 1)
    assert parse_infusion_reference("SITE/P001/3") == ("SITE/P001", 3)


@pytest.mark.parametrize(
    "text",
    [
        "P001/²",
        "²",
        "9" * 25,
        "P001/" + "9" * 25,
        "/1",
        "P001/",
        "",
        "P001/1_0",
        "P001/٣",
        "P0\n01/1",
        "P001/-1",
        "P001/0",
    ],
)
def test_bad_infusion_references_name_the_field(text):
    with pytest.raises(InputError, match=r"^infusion: "):
        parse_infusion_reference(text)


@pytest.mark.parametrize("text", ["²", "1_000", "٣", "-1", "0", "1e3", "9" * 25, " "])
def test_counts_are_ascii_whole_numbers_in_range(text):
    with pytest.raises(InputError, match=r"^seq: must be a whole number"):
        parse_count("seq", text)
