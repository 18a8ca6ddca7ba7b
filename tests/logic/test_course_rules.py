"""The course rules on their own (logic.course): local-day windows, targets, anchors.

Asia/Shanghai is UTC+8 all year (no daylight saving), so local midnight is 16:00 UTC of the
day before; every expected instant below is worked out from that.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic.course import (
    CalendarRecord,
    CalendarStatus,
    CourseFacts,
    CourseRefused,
    EndReason,
    Enrolment,
    InfusionFacts,
    LevelChange,
    PlanStatus,
    TreatmentEnd,
    calendar,
    check_level_change,
    check_new_infusion,
    check_record,
    check_start,
    dlt_window,
    follow_up_span,
    last_infusion,
    legacy_follow_up_key,
    treatment_plan,
)
from infusion_app.logic.errors import ProtocolFileError
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_protocol_file, load_protocol_version

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 7 December 2026, 09:00 local = 01:00 UTC
MONDAY_9 = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)


def local(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def facts(level: str, *infusions: InfusionFacts, enrolled: datetime | None = None) -> CourseFacts:
    at = enrolled or MONDAY_9 - timedelta(days=3)
    return CourseFacts(
        "P001",
        at - timedelta(hours=1),
        level,
        Enrolment(at, "x", level, "inv", 2),
        infusions=infusions,
    )


def given(number: int, start: datetime, minutes: int = 60) -> InfusionFacts:
    return InfusionFacts(
        number, start - timedelta(hours=2), start, start + timedelta(minutes=minutes)
    )


def test_group_c_targets_and_windows_are_local_days(cart: Protocol) -> None:
    course = facts("C", given(1, MONDAY_9))
    plan = treatment_plan(cart, course, MONDAY_9 + timedelta(hours=2))
    assert plan.planned_total == 4
    assert [p.number for p in plan.infusions] == [1, 2, 3, 4]
    # rolling: infusion 2 is due 7 days after infusion 1's local date (Mon 7 Dec) = Mon 14
    # Dec; window -1/+2 days: from Sun 13 Dec 00:00 to the end of Wed 16 Dec local.
    two = plan.infusion(2)
    assert two is not None
    assert two.target is not None and two.target.isoformat() == "2026-12-14"
    assert two.opens == local(2026, 12, 13)
    assert two.closes == local(2026, 12, 17)
    # infusions 3 and 4 roll from infusion 1 too while 2 is not given: +14 and +21 days
    assert [str(p.target) for p in plan.infusions[2:]] == ["2026-12-21", "2026-12-28"]
    assert [p.status for p in plan.infusions] == [
        PlanStatus.GIVEN,
        PlanStatus.PLANNED,
        PlanStatus.PLANNED,
        PlanStatus.PLANNED,
    ]


def test_a_start_late_in_the_utc_day_counts_from_its_local_date(cart: Protocol) -> None:
    # 23:30 UTC on Sunday 6 Dec is 07:30 local on Monday 7 Dec: the local date counts
    start = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
    plan = treatment_plan(cart, facts("B", given(1, start)), start + timedelta(hours=3))
    two = plan.infusion(2)
    assert two is not None and str(two.target) == "2026-12-14"


def test_the_window_boundaries_to_the_minute(cart: Protocol) -> None:
    course = facts("C", given(1, MONDAY_9))
    # opens Sun 13 Dec 00:00 local: 23:59 the day before is refused, 00:00 allowed
    with pytest.raises(CourseRefused, match="may not start before its window opens"):
        check_start(cart, course, 2, local(2026, 12, 12, 23, 59), None)
    assert check_start(cart, course, 2, local(2026, 12, 13, 0, 0), None) is None
    # closes at the end of Wed 16 Dec: 23:59 allowed without a reason, 00:00 Thu needs one
    assert check_start(cart, course, 2, local(2026, 12, 16, 23, 59), None) is None
    with pytest.raises(CourseRefused, match="give the reason"):
        check_start(cart, course, 2, local(2026, 12, 17, 0, 0), None)
    assert check_start(cart, course, 2, local(2026, 12, 17, 0, 0), "flu") == "flu"


def test_a_missed_infusion_and_the_roll_over_it(cart: Protocol) -> None:
    # infusion 2 never given; on Thu 17 Dec its window has closed: missed
    course = facts("C", given(1, MONDAY_9))
    plan = treatment_plan(cart, course, local(2026, 12, 17, 9))
    assert plan.infusion(2) is not None
    assert plan.infusion(2).status is PlanStatus.MISSED  # type: ignore[union-attr]
    # given late on Fri 18 Dec (a deviation): infusion 3 rolls from it, Fri 25 Dec
    late = replace(given(2, local(2026, 12, 18, 9)), schedule_deviation="fever")
    plan = treatment_plan(cart, facts("C", given(1, MONDAY_9), late), local(2026, 12, 18, 12))
    three = plan.infusion(3)
    assert three is not None and str(three.target) == "2026-12-25"
    assert plan.infusion(2).deviation == "fever"  # type: ignore[union-attr]


def test_the_plan_refuses_what_it_has_no_place_for(cart: Protocol, crc: Protocol) -> None:
    group_c = facts("C", *(given(n, MONDAY_9 + timedelta(days=7 * (n - 1))) for n in (1, 2, 3, 4)))
    with pytest.raises(CourseRefused, match="group C plans 4 infusions; this would be the 5th"):
        check_new_infusion(cart, group_c, 5)
    group_a = facts("A", given(1, MONDAY_9))
    with pytest.raises(CourseRefused, match="group A plans 1 infusion; this would be the 2nd"):
        check_new_infusion(cart, group_a, 2)
    with pytest.raises(CourseRefused, match="is number 2, not 99"):
        check_new_infusion(crc, facts("1", given(1, MONDAY_9)), 99)
    not_enrolled = replace(facts("C"), enrolment=None)
    with pytest.raises(CourseRefused, match="not enrolled"):
        check_new_infusion(cart, not_enrolled, 1)
    ended = replace(
        group_a, end=TreatmentEnd(MONDAY_9 + timedelta(days=1), EndReason.TOXICITY, None, "i", 9)
    )
    with pytest.raises(CourseRefused, match="ended"):
        check_new_infusion(cart, ended, 2)


def test_crc_has_no_maximum_and_a_level_change_reaches_forward_only(crc: Protocol) -> None:
    # 7 cycles, each on its target day (21 days apart): the plan shows 1-7 given and cycle 8
    cycles = [given(n, MONDAY_9 + timedelta(days=21 * (n - 1))) for n in range(1, 8)]
    change = LevelChange(MONDAY_9 + timedelta(days=30), "1", "2", 3, "tolerated", "inv", 5)
    course = replace(facts("1", *cycles), level_changes=(change,))
    plan = treatment_plan(crc, course, MONDAY_9 + timedelta(days=21 * 6 + 1))
    assert plan.planned_total is None and plan.min_infusions == 6
    assert [p.number for p in plan.infusions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [p.level for p in plan.infusions] == ["1", "1", "2", "2", "2", "2", "2", "2"]
    # cycle 8: 21 days after cycle 7 (Mon 7 Dec + 126 d = Mon 12 Apr 2027) = Mon 3 May 2027
    eight = plan.infusion(8)
    assert eight is not None and str(eight.target) == "2027-05-03"
    assert eight.opens == local(2027, 4, 30) and eight.closes == local(2027, 5, 7)
    assert str(plan.of_text(8)) == "cycle 8 (at least 6)"


def test_a_level_change_reaches_the_next_infusion_only_and_never_past_the_new_count(
    cart: Protocol, crc: Protocol
) -> None:
    """A change applies from the next infusion to be created (never one that exists, never
    one further on), and the new group must plan that infusion: a group C patient with 2
    infusions given cannot go to B "from 3" (B plans 2) nor to A (A plans 1); to give no
    more, the investigator ends the treatment."""
    now = MONDAY_9 + timedelta(days=8)
    two = facts("C", given(1, MONDAY_9), given(2, MONDAY_9 + timedelta(days=7)))
    with pytest.raises(CourseRefused) as beyond:
        check_level_change(cart, two, "B", 3, now)
    assert beyond.value.message.code == "course_change_beyond_level"
    assert str(beyond.value) == (
        "group B plans 2 infusions: infusion 3 of patient P001 cannot be given at it "
        "(to give no more infusions, end the treatment)"
    )
    with pytest.raises(CourseRefused, match="group A plans 1 infusion: infusion 3"):
        check_level_change(cart, two, "A", 3, now)
    # further than the next one (3): 4, or 999, which no group plans
    for further in (4, 999):
        with pytest.raises(CourseRefused) as far:
            check_level_change(cart, two, "B", further, now)
        assert str(far.value) == (
            "the next infusion of patient P001 is number 3: a level change applies from it, "
            f"not from infusion {further}"
        )
    with pytest.raises(CourseRefused, match="exists already"):  # never retroactive
        check_level_change(cart, two, "B", 2, now)

    # one given: C -> A from 2 refused (A plans 1), C -> B from 2 allowed (B plans 2)
    one = facts("C", given(1, MONDAY_9))
    with pytest.raises(CourseRefused, match="group A plans 1 infusion: infusion 2"):
        check_level_change(cart, one, "A", 2, MONDAY_9 + timedelta(days=1))
    assert check_level_change(cart, one, "B", 2, MONDAY_9 + timedelta(days=1)) == "C"
    # an infusion created and not yet started counts as existing: the next is 3
    created = replace(one, infusions=(*one.infusions, InfusionFacts(2, now)))
    with pytest.raises(CourseRefused, match="group B plans 2 infusions: infusion 3"):
        check_level_change(cart, created, "B", 3, now)

    # the allowed change C -> B from 2, then infusion 2 given on Mon 14 Dec 09:00 local: the
    # plan is 2 infusions, "2 of 2", the last one is known, and the DLT window closes 28 days
    # after it (Mon 11 Jan 2027 09:00 local), the follow-up 168 days after it (31 May 2027)
    change = LevelChange(MONDAY_9 + timedelta(days=1), "C", "B", 2, "platelets", "inv", 5)
    second = given(2, MONDAY_9 + timedelta(days=7))
    changed = replace(one, level_changes=(change,), infusions=(*one.infusions, second))
    plan = treatment_plan(cart, changed, now)
    assert plan.planned_total == 2 and [p.number for p in plan.infusions] == [1, 2]
    assert [p.level for p in plan.infusions] == ["C", "B"]
    assert [str(plan.of_text(n)) for n in (1, 2)] == ["infusion 1 of 2", "infusion 2 of 2"]
    assert last_infusion(cart, changed) == second
    window = dlt_window(cart, changed)
    assert window is not None and window.closes == local(2027, 1, 11, 9)
    assert follow_up_span(cart, changed).closes == local(2027, 5, 31, 9)
    # the haematological assessments count from it: week 4 = Mon 11 Jan 2027
    haem = next(o for o in calendar(cart, changed, now) if o.key == "haem_response:28d")
    assert haem.target == local(2027, 1, 11)
    with pytest.raises(CourseRefused, match="has had all 2 planned infusions"):
        check_level_change(cart, changed, "C", 3, now)

    # msc-l-crc plans no maximum: any level from the next cycle; not from a later one
    cycles = facts("1", given(1, MONDAY_9), given(2, MONDAY_9 + timedelta(days=21)))
    assert check_level_change(crc, cycles, "2", 3, MONDAY_9 + timedelta(days=22)) == "1"
    with pytest.raises(CourseRefused, match="is number 3: a level change applies from it"):
        check_level_change(crc, cycles, "2", 4, MONDAY_9 + timedelta(days=22))


def test_the_dlt_window_anchors(cart: Protocol, crc: Protocol) -> None:
    # group C: 28 days from the start of infusion 4; open while 4 is not given
    three = facts("C", *(given(n, MONDAY_9 + timedelta(days=7 * (n - 1))) for n in (1, 2, 3)))
    window = dlt_window(cart, three)
    assert (
        window is not None and window.closes is None and window.holds(MONDAY_9 + timedelta(days=90))
    )
    four_at = MONDAY_9 + timedelta(days=21)
    four = replace(three, infusions=(*three.infusions, given(4, four_at)))
    window = dlt_window(cart, four)
    assert window is not None and window.closes == four_at + timedelta(days=28)
    assert window.holds(four_at + timedelta(days=28))
    assert not window.holds(four_at + timedelta(days=28, minutes=1))
    assert not window.holds(MONDAY_9 - timedelta(minutes=1))  # before the first dose
    # msc-l-crc: 120 days from the first infusion's start, whatever follows
    crc_window = dlt_window(
        crc, facts("1", given(1, MONDAY_9), given(2, MONDAY_9 + timedelta(days=21)))
    )
    assert crc_window is not None and crc_window.closes == MONDAY_9 + timedelta(days=120)
    assert dlt_window(crc, facts("1")) is None  # nothing before a dose is a DLT


def test_the_follow_up_span(cart: Protocol, crc: Protocol) -> None:
    # ucmsc group A: 168 days (24 weeks) after the last (only) infusion; crc: 120 days from 1
    course = facts("A", given(1, MONDAY_9))
    assert follow_up_span(cart, course).closes == MONDAY_9 + timedelta(days=168)
    assert follow_up_span(crc, facts("2", given(1, MONDAY_9))).closes == MONDAY_9 + timedelta(
        days=120
    )
    assert follow_up_span(cart, facts("C", given(1, MONDAY_9))).closes is None  # 3 to come


def test_the_acute_check_window_and_its_statuses(cart: Protocol) -> None:
    # infusion 1 ended 10:00 local (02:00 UTC): the 24 h check is due 10:00 the next day,
    # window -2/+4 h: 08:00 to 14:00 local Tue 8 Dec
    course = facts("A", given(1, MONDAY_9))
    end = MONDAY_9 + timedelta(hours=1)

    def acute(now: datetime):  # type: ignore[no-untyped-def]
        return next(o for o in calendar(cart, course, now) if o.key == "acute_check:1:24h")

    assert acute(end).status is CalendarStatus.UPCOMING
    assert acute(end).opens == local(2026, 12, 8, 8) and acute(end).closes == local(2026, 12, 8, 14)
    assert acute(local(2026, 12, 8, 8)).status is CalendarStatus.DUE
    assert acute(local(2026, 12, 8, 14)).status is CalendarStatus.MISSED
    with pytest.raises(CourseRefused, match="its window opens"):
        check_record(
            cart, course, "acute_check:1:24h", local(2026, 12, 8, 7, 59), None, sample=False
        )
    with pytest.raises(CourseRefused, match="give the reason"):
        check_record(cart, course, "acute_check:1:24h", local(2026, 12, 8, 14), None, sample=False)
    with pytest.raises(CourseRefused, match="is a check"):
        check_record(cart, course, "acute_check:1:24h", local(2026, 12, 8, 9), None, sample=True)
    done = replace(
        course,
        records=(
            CalendarRecord(
                "acute_check:1:24h", local(2026, 12, 8, 9), local(2026, 12, 8, 9), "n", None
            ),
        ),
    )
    assert next(o for o in calendar(cart, done, end) if o.key == "acute_check:1:24h").status is (
        CalendarStatus.DONE
    )
    with pytest.raises(CourseRefused, match="recorded already"):
        check_record(cart, done, "acute_check:1:24h", local(2026, 12, 8, 10), None, sample=False)


def test_a_baseline_sample_may_be_taken_before_its_anchor(cart: Protocol) -> None:
    # before any infusion the baseline immunology sample is due (it belongs before its anchor);
    # the week-1 sample waits for the first infusion
    course = facts("B")
    now = MONDAY_9 - timedelta(days=2)
    occurrences = {o.key: o for o in calendar(cart, course, now)}
    assert occurrences["immunology_baseline:0d"].status is CalendarStatus.DUE
    assert occurrences["immunology:7d"].status is CalendarStatus.WAITING
    check_record(cart, course, "immunology_baseline:0d", now, None, sample=True)
    with pytest.raises(CourseRefused, match="has not happened"):
        check_record(cart, course, "immunology:7d", now, None, sample=True)


def test_death_cancels_what_is_still_to_come(cart: Protocol) -> None:
    course = replace(
        facts("A", given(1, MONDAY_9)),
        end=TreatmentEnd(local(2026, 12, 20), EndReason.DEATH, "sepsis", "inv", 7),
    )
    statuses = {o.key: o.status for o in calendar(cart, course, local(2026, 12, 21))}
    assert statuses["follow_up_weekly:7d"] is CalendarStatus.MISSED  # was due before the death
    assert statuses["follow_up_weekly:14d"] is CalendarStatus.CANCELLED


def test_old_follow_up_checks_map_onto_the_calendar(cart: Protocol) -> None:
    assert legacy_follow_up_key(cart, "acute_24h", 2) == "acute_check:2:24h"
    assert legacy_follow_up_key(cart, "week_4", 1) == "delayed_check:28d"
    assert legacy_follow_up_key(cart, "week_12", 1) == "delayed_check_monthly:84d"
    assert legacy_follow_up_key(cart, "week_5", 1) is None


def test_an_infusion_begun_under_1_1_0_keeps_that_file(shipped_protocols_dir: Path) -> None:
    old = load_protocol_version("ucmsc-cart-cytopenia", "1.1.0", shipped_protocols_dir)
    assert old.label == "ucmsc-cart-cytopenia v1.1.0" and not old.plans_courses
    current = load_protocol_version("ucmsc-cart-cytopenia", "1.5.0", shipped_protocols_dir)
    assert current.plans_courses
    # an unknown version gives the installed file back: the caller names the version needed
    assert load_protocol_version("ucmsc-cart-cytopenia", "0.9", shipped_protocols_dir) == current
    with pytest.raises(CourseRefused, match="gives no treatment plan"):
        treatment_plan(old, facts("A"), MONDAY_9)


def test_an_archived_file_must_be_the_version_it_is_named(
    tmp_path: Path, shipped_protocols_dir: Path
) -> None:
    folder = tmp_path / "protocols"
    (folder / "archive").mkdir(parents=True)
    current = (shipped_protocols_dir / "msc-l-crc.toml").read_text(encoding="utf-8")
    (folder / "msc-l-crc.toml").write_text(current, encoding="utf-8")
    # a 1.2.0 file saved under the 1.0.0 name
    (folder / "archive" / "msc-l-crc-1.0.0.toml").write_text(current, encoding="utf-8")
    with pytest.raises(
        ProtocolFileError, match=r"must match the file name|must be msc-l-crc v1\.0\.0"
    ):
        load_protocol_version("msc-l-crc", "1.0.0", folder)


def test_a_visit_schedule_with_repeated_offsets_or_a_bad_zone_is_refused(protocol_variant) -> None:
    path = protocol_variant(
        "msc-l-crc", ("offsets = { value = [7, 14, 21]", "offsets = { value = [7, 14, 14]")
    )
    with pytest.raises(ProtocolFileError, match="offsets must not repeat"):
        load_protocol_file(path)
    path = protocol_variant("msc-l-crc", ('"Asia/Shanghai"', '"Asia/Atlantis"'), name="msc-l-crc")
    with pytest.raises(ProtocolFileError, match="not a known time zone"):
        load_protocol_file(path)


def test_an_infusion_begun_under_1_2_0_keeps_that_file(dose_finding_rules: Path) -> None:
    """1.3.0 added only the dose-finding rule: the 1.2.0 file is archived for the infusions
    that pinned it, and plans their course as before."""
    old = load_protocol_version("msc-l-crc", "1.2.0", dose_finding_rules)
    current = load_protocol_version("msc-l-crc", "1.3.0", dose_finding_rules)
    assert old.label == "msc-l-crc v1.2.0" and old.plans_courses
    assert old.design.dose_finding is None
    assert current.design.dose_finding is not None
    assert current.design.dose_finding.method.value == "boin"
    assert old.visits == current.visits and old.schedule == current.schedule


def test_an_infusion_begun_under_1_3_0_keeps_that_file(dose_finding_rules: Path) -> None:
    """1.4.0 added only the outcomes: the 1.3.0 file is archived for the infusions that
    pinned it, byte for byte, and plans their course and doses as before."""
    for protocol_id in ("msc-l-crc", "ucmsc-cart-cytopenia"):
        old = load_protocol_version(protocol_id, "1.3.0", dose_finding_rules)
        current = load_protocol_version(protocol_id, "1.4.0", dose_finding_rules)
        assert old.version == "1.3.0" and old.outcomes is None
        assert current.outcomes is not None
        assert old.content_sha256 != current.content_sha256
        same_but_outcomes = old.model_dump() | {"version": "1.4.0"}
        assert same_but_outcomes == current.model_dump() | {"outcomes": None}


# The SHA-256 of the 1.4.0 files as shipped, which the infusions begun under 1.4.0 pinned.
SHIPPED_1_4_0 = {
    "msc-l-crc": "a6b896eac86289d6b4585a1660c7289f5fb5916a576c31b87b6088c071c3a852",
    "ucmsc-cart-cytopenia": "0df4bfdcb6e31e3231e88ff6eea6117a16a434fb409c525092b8724eb7f456d7",
}


def _without_notes(node: object) -> object:
    if isinstance(node, dict):
        return {k: _without_notes(v) for k, v in node.items() if k != "note"}
    if isinstance(node, list):
        return [_without_notes(v) for v in node]
    return node


def test_an_infusion_begun_under_1_4_0_keeps_that_file(dose_finding_rules: Path) -> None:
    """1.5.0 added only notes: the 1.4.0 file is archived byte for byte for the infusions
    that pinned it, and every value of 1.5.0 is the one 1.4.0 had."""
    for protocol_id, pinned in SHIPPED_1_4_0.items():
        old = load_protocol_version(protocol_id, "1.4.0", dose_finding_rules)
        current = load_protocol_version(protocol_id, "1.5.0", dose_finding_rules)
        assert old.version == "1.4.0" and old.content_sha256 == pinned
        assert current.content_sha256 != pinned
        assert _without_notes(old.model_dump() | {"version": "1.5.0"}) == _without_notes(
            current.model_dump()
        )


@pytest.mark.parametrize("protocol_id", ["ucmsc-cart-cytopenia", "msc-l-crc"])
def test_every_course_value_the_summary_does_not_give_says_why(
    protocol_id: str, shipped_protocols_dir: Path
) -> None:
    """Issue 14: "Put a note on every value the registry summary does not give": each value
    of the plan, the visit schedule, the DLT window's anchor and the follow-up marked "site
    default" carries a note."""
    protocol = load_protocol_version(protocol_id, "1.5.0", shipped_protocols_dir)
    values: list[tuple[str, object]] = [
        ("design.dlt_window_anchor", protocol.design.dlt_window_anchor),
        ("design.dlt_window_days", protocol.design.dlt_window_days),
    ]
    if protocol.follow_up is not None:
        values += [
            ("follow_up.anchor", protocol.follow_up.anchor),
            ("follow_up.days", protocol.follow_up.days),
        ]
    schedules = [("schedule", protocol.schedule)] + [
        (f"dose_levels.{level.id}.schedule", level.schedule) for level in protocol.dose_levels
    ]
    for where, schedule in schedules:
        if schedule is not None:
            for name in ("interval_days", "infusions", "min_infusions", "target", "window_days"):
                values.append((f"{where}.{name}", getattr(schedule, name)))
    for item in protocol.visits:
        for name in ("anchor", "offsets", "window", "holds"):
            values.append((f"visits.{item.id}.{name}", getattr(item, name)))
    assert len(values) > 20
    silent = [
        where
        for where, value in values
        if value is not None
        and getattr(value, "source", None) == "site default"
        and not getattr(value, "note", None)
    ]
    assert silent == []
