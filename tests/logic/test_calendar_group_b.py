"""The visit calendar of a group B patient of ucmsc-cart-cytopenia, from the first infusion to
week 24: every occurrence's key, date and window, worked out by hand from the protocol file's
offsets and windows (resources/protocols/ucmsc-cart-cytopenia.toml, 1.2.0).

The patient: enrolled Tuesday 1 December 2026; infusion 1 from Monday 7 December 09:00 to
10:00 Asia/Shanghai (01:00-02:00 UTC), infusion 2 (the last of group B's two) from Monday
14 December 09:00 to 10:00. Day windows are whole local days: an item on day D with window
-b/+a is open from D-b 00:00 to D+a+1 00:00 local (exclusive).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic.course import (
    CalendarRecord,
    CalendarStatus,
    CourseFacts,
    CourseRefused,
    Enrolment,
    InfusionFacts,
    calendar,
    check_record,
)
from infusion_app.texts.english import render

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: str, clock: str = "00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


FIRST_START = local("2026-12-07", "09:00")
FIRST_END = local("2026-12-07", "10:00")  # 02:00 UTC
SECOND_START = local("2026-12-14", "09:00")
SECOND_END = local("2026-12-14", "10:00")

FACTS = CourseFacts(
    trial_id="P001",
    registered_at=local("2026-12-01", "08:00"),
    registered_level="B",
    enrolment=Enrolment(
        local("2026-12-01", "09:00"), "ucmsc-cart-cytopenia v1.2.0", "B", "ivan", 3
    ),
    infusions=(
        InfusionFacts(1, local("2026-12-07", "08:00"), FIRST_START, FIRST_END),
        InfusionFacts(2, local("2026-12-14", "08:00"), SECOND_START, SECOND_END),
    ),
)

# key: (target day, opens day, closes day), all local; first infusion Mon 7 Dec, last 14 Dec.
# Dec has 31 days, Jan 31, Feb 28 (2027 is no leap year), Mar 31, Apr 30.
DAY_ITEMS = {
    # baseline: day 0 = 7 Dec, window -7/+0: 30 Nov 00:00 to 8 Dec 00:00
    "immunology_baseline:0d": ("2026-12-07", "2026-11-30", "2026-12-08"),
    # weekly visits, window -1/+1: D-1 00:00 to D+2 00:00
    "follow_up_weekly:7d": ("2026-12-14", "2026-12-13", "2026-12-16"),  # 7 + 7
    "follow_up_weekly:14d": ("2026-12-21", "2026-12-20", "2026-12-23"),
    "follow_up_weekly:21d": ("2026-12-28", "2026-12-27", "2026-12-30"),
    "follow_up_weekly:28d": ("2027-01-04", "2027-01-03", "2027-01-06"),  # 7 Dec + 24 = 31 Dec, +4
    "follow_up_weekly:35d": ("2027-01-11", "2027-01-10", "2027-01-13"),
    "follow_up_weekly:42d": ("2027-01-18", "2027-01-17", "2027-01-20"),
    "follow_up_weekly:49d": ("2027-01-25", "2027-01-24", "2027-01-27"),
    "follow_up_weekly:56d": ("2027-02-01", "2027-01-31", "2027-02-03"),  # 25 Jan + 7
    # every 4 weeks from week 12, window -3/+3: D-3 00:00 to D+4 00:00
    "follow_up_monthly:84d": ("2027-03-01", "2027-02-26", "2027-03-05"),  # 1 Feb + 28 (Feb)
    "follow_up_monthly:112d": ("2027-03-29", "2027-03-26", "2027-04-02"),
    "follow_up_monthly:140d": ("2027-04-26", "2027-04-23", "2027-04-30"),
    "follow_up_monthly:168d": ("2027-05-24", "2027-05-21", "2027-05-28"),  # 26 Apr + 4 + 24
    # the delayed-reaction checks of weeks 4 and 8 (-1/+1), 12 and 24 (-3/+3)
    "delayed_check:28d": ("2027-01-04", "2027-01-03", "2027-01-06"),
    "delayed_check:56d": ("2027-02-01", "2027-01-31", "2027-02-03"),
    "delayed_check_monthly:84d": ("2027-03-01", "2027-02-26", "2027-03-05"),
    "delayed_check_monthly:168d": ("2027-05-24", "2027-05-21", "2027-05-28"),
    # immunology samples of weeks 1, 4 and 8 (-1/+1)
    "immunology:7d": ("2026-12-14", "2026-12-13", "2026-12-16"),
    "immunology:28d": ("2027-01-04", "2027-01-03", "2027-01-06"),
    "immunology:56d": ("2027-02-01", "2027-01-31", "2027-02-03"),
    # haematological response at weeks 4 and 8 after the LAST infusion (14 Dec), -3/+3
    "haem_response:28d": ("2027-01-11", "2027-01-08", "2027-01-15"),  # 14 Dec + 17 = 31, + 11
    "haem_response:56d": ("2027-02-08", "2027-02-05", "2027-02-12"),
}

# the 24-hour acute check after each infusion's end, window -2/+4 hours (exact times):
# infusion 1 ended 7 Dec 10:00 local -> due 8 Dec 10:00, open 08:00 to 14:00
# infusion 2 ended 14 Dec 10:00 local -> due 15 Dec 10:00, open 08:00 to 14:00
HOUR_ITEMS = {
    "acute_check:1:24h": (local("2026-12-08", "10:00"), local("2026-12-08", "08:00"),
                          local("2026-12-08", "14:00")),
    "acute_check:2:24h": (local("2026-12-15", "10:00"), local("2026-12-15", "08:00"),
                          local("2026-12-15", "14:00")),
}  # fmt: skip


def test_every_occurrence_from_the_first_infusion_to_week_24(cart) -> None:
    occurrences = calendar(cart, FACTS, local("2026-12-07", "12:00"))
    assert len(occurrences) == 24  # 8 + 4 weekly/monthly visits, 4 checks, 4 samples, 2
    # haematological assessments and 2 acute checks
    found = {o.key: o for o in occurrences}
    assert set(found) == set(DAY_ITEMS) | set(HOUR_ITEMS)
    for key, (target, opens, closes) in DAY_ITEMS.items():
        o = found[key]
        assert o.target is not None and o.opens is not None and o.closes is not None
        assert o.target.astimezone(SHANGHAI) == local(target), key
        assert o.opens == local(opens) and o.closes == local(closes), key
    for key, (target, opens, closes) in HOUR_ITEMS.items():
        o = found[key]
        assert (o.target, o.opens, o.closes) == (target, opens, closes), key
    # in the order they fall due: the baseline first, the week-24 items last
    assert occurrences[0].key == "immunology_baseline:0d"
    assert {o.key for o in occurrences[-2:]} == {
        "follow_up_monthly:168d",
        "delayed_check_monthly:168d",
    }


def test_labels_name_the_week_and_the_infusion(cart) -> None:
    found = {o.key: o for o in calendar(cart, FACTS, FIRST_END)}
    assert render(found["follow_up_weekly:28d"].label) == "Follow-up visit, week 4"
    assert render(found["follow_up_monthly:168d"].label) == "Follow-up visit, week 24"
    assert render(found["acute_check:2:24h"].label) == "24-hour acute-reaction check, infusion 2"


def test_status_through_a_window(cart) -> None:
    """Week 1's visit (14 Dec, open 13 Dec 00:00 to 16 Dec 00:00 local)."""

    def status(at: datetime) -> CalendarStatus:
        found = {o.key: o for o in calendar(cart, FACTS, at)}
        return found["follow_up_weekly:7d"].status

    opens, closes = local("2026-12-13"), local("2026-12-16")
    assert status(opens - timedelta(seconds=1)) is CalendarStatus.UPCOMING
    assert status(opens) is CalendarStatus.DUE
    assert status(closes - timedelta(seconds=1)) is CalendarStatus.DUE
    assert status(closes) is CalendarStatus.MISSED
    late = CalendarRecord(
        "follow_up_weekly:7d", closes + timedelta(hours=3), closes, "nora", "patient came late"
    )
    facts = replace(FACTS, records=(late,))
    found = {o.key: o for o in calendar(cart, facts, closes + timedelta(hours=4))}
    assert found["follow_up_weekly:7d"].status is CalendarStatus.LATE


def test_the_last_infusion_is_known_only_once_given(cart) -> None:
    """Before infusion 2 is given the haematological assessments have no date (waiting)."""
    first_only = replace(FACTS, infusions=FACTS.infusions[:1])
    found = {o.key: o for o in calendar(cart, first_only, FIRST_END)}
    assert found["haem_response:28d"].status is CalendarStatus.WAITING
    assert found["haem_response:28d"].opens is None
    assert "acute_check:2:24h" not in found


@pytest.mark.parametrize(
    ("at", "reason", "refused"),
    [
        (local("2026-12-12", "23:59"), None, "its window opens at"),  # a minute before it opens
        (local("2026-12-13"), None, None),  # the first minute
        (local("2026-12-16"), None, "its window closed at"),  # closed: a reason is needed
        (local("2026-12-16"), "patient came a day late", None),
    ],
)
def test_recording_week_1(cart, at, reason, refused) -> None:
    if refused is None:
        check_record(cart, FACTS, "follow_up_weekly:7d", at, reason, sample=False)
    else:
        with pytest.raises(CourseRefused) as error:
            check_record(cart, FACTS, "follow_up_weekly:7d", at, reason, sample=False)
        assert refused in render(error.value.message)


def test_a_utc_day_is_not_the_local_day(cart) -> None:
    """The window opens at local midnight, 16:00 UTC the day before."""
    found = {o.key: o for o in calendar(cart, FACTS, FIRST_END)}
    assert found["follow_up_weekly:7d"].opens == datetime(2026, 12, 12, 16, 0, tzinfo=UTC)
    target = found["follow_up_weekly:7d"].target
    assert target is not None and target.astimezone(SHANGHAI).date() == date(2026, 12, 14)
