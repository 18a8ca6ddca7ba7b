"""The iCalendar export (RFC 5545), read back with the ``icalendar`` package: every event is
compared with the plan and the calendar of the patient view it was made from."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from infusion_app.logic.course import CalendarStatus, PlanStatus
from infusion_app.records.icalendar import CalendarEntry, escape_text, fold
from infusion_app.records.icalendar import icalendar as write_icalendar
from infusion_app.services import course_acts
from infusion_app.services.calendar_export import calendar_document, entry_uid
from tests.conftest import PASSWORD, register_p001
from tests.services.patient_course import give_infusion

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
STAMP = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def events_of(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_lines_are_crlf_folded_at_75_octets_and_text_is_escaped() -> None:
    # 40 Chinese characters are 120 octets: folded into lines of at most 75 octets, never
    # inside a character; the comma, semicolon, backslash and line break come back as written
    summary = "随访" * 20 + ", week 4; room 3\\B\nbring the tubes"
    entry = CalendarEntry("P001/x@infusion-app", summary, date(2026, 12, 4), date(2026, 12, 8))
    data = write_icalendar([entry], stamp=STAMP, name="P001")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # a continuation line
    for line in lines:
        line.decode("utf-8")  # no character split across lines
    (event,) = events_of(data).values()
    assert str(event["SUMMARY"]) == summary
    assert event.decoded("DTSTART") == date(2026, 12, 4)
    assert event.decoded("DTEND") == date(2026, 12, 8)
    assert event.decoded("DTSTAMP") == STAMP


def test_the_pieces_of_the_format() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("X" * 80)
    # 75 octets, then a space and the other 5
    assert folded == "X" * 75 + "\r\n " + "X" * 5 + "\r\n"
    with pytest.raises(ValueError, match="aware"):
        write_icalendar([CalendarEntry("u", "s", datetime(2026, 12, 1, 8), None)], stamp=STAMP)


@SQLITE_ONLY
def test_the_file_says_what_the_view_says(ctx, staff, clock):
    # group C: infusion 1 on 21 Nov, infusion 2 on 28 Nov, treatment ended by withdrawal on
    # 1 Dec 02:00 UTC (10:00 local): infusions 3 and 4 will not be given, visits from then on
    # are cancelled
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    give_infusion(ctx, staff, clock, 1)
    clock.now = datetime(2026, 11, 28, 8, tzinfo=UTC)
    give_infusion(ctx, staff, clock, 2)
    clock.now = datetime(2026, 12, 1, 2, tzinfo=UTC)
    course_acts.end_treatment(
        ctx, staff.investigator, "P001", reason="withdrawal", password=PASSWORD
    )
    view, document = calendar_document(ctx, "P001", STAMP)
    assert (document.what, document.subject) == ("course calendar", "patient P001")
    assert document.file_name == "calendar-P001.ics" and document.head_seq is not None
    events = events_of(document.data)

    expected = set()
    for row in view.plan:
        uid = entry_uid("P001", f"infusion:{row.number}")
        if row.started_at is None and row.target is None:
            assert uid not in events  # nothing to date yet
            continue
        expected.add(uid)
        event = events[uid]
        assert str(event["SUMMARY"]) == f"P001: {row.of_text} (C)"
        if row.status is PlanStatus.GIVEN:
            # a given infusion is its start, in UTC
            assert event.decoded("DTSTART") == row.started_at
            assert "DTEND" not in event
        else:
            # a window of whole local days: from its first day to the day after its last
            assert row.opens is not None and row.closes is not None
            assert event.decoded("DTSTART") == row.opens.astimezone(view.zone).date()
            assert event.decoded("DTEND") == row.closes.astimezone(view.zone).date()
            assert str(event["STATUS"]) == "CANCELLED"
    # infusion 3: 28 Nov + 7 = 5 Dec, window 4-7 Dec: DTEND is 8 Dec (exclusive)
    third = events[entry_uid("P001", "infusion:3")]
    assert (third.decoded("DTSTART"), third.decoded("DTEND")) == (
        date(2026, 12, 4),
        date(2026, 12, 8),
    )
    for row in view.calendar:
        uid = entry_uid("P001", row.key)
        if row.opens is None:
            assert uid not in events
            continue
        expected.add(uid)
        event = events[uid]
        assert str(event["SUMMARY"]) == f"P001: {row.label}"
        assert row.closes is not None
        if row.all_day:
            assert event.decoded("DTSTART") == row.opens.astimezone(view.zone).date()
            assert event.decoded("DTEND") == row.closes.astimezone(view.zone).date()
        else:
            assert event.decoded("DTSTART") == row.opens
            assert event.decoded("DTEND") == row.closes
        cancelled = row.status is CalendarStatus.CANCELLED
        assert str(event["STATUS"]) == ("CANCELLED" if cancelled else "CONFIRMED")
        assert f"status: {row.status.value}" in str(event["DESCRIPTION"])
        assert event.decoded("DTSTAMP") == STAMP
    assert set(events) == expected
    # the 24-hour check of infusion 2: its end 28 Nov 09:25 UTC + 24 h, -2 h/+4 h, in UTC
    acute = events[entry_uid("P001", "acute_check:2:24h")]
    assert acute.decoded("DTSTART") == datetime(2026, 11, 29, 7, 25, tzinfo=UTC)
    assert acute.decoded("DTEND") == datetime(2026, 11, 29, 13, 25, tzinfo=UTC)
    # the week-4 visit (21 Nov + 28 = 19 Dec, 18-20 Dec) is no longer expected
    week4 = events[entry_uid("P001", "follow_up_weekly:28d")]
    assert str(week4["STATUS"]) == "CANCELLED"
    assert week4.decoded("DTEND") - week4.decoded("DTSTART") == timedelta(days=3)
    # the same export again keeps every UID (a calendar re-import updates, never duplicates)
    _, again = calendar_document(ctx, "P001", STAMP + timedelta(hours=1))
    assert set(events_of(again.data)) == set(events)
