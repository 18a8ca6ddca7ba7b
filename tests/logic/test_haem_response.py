"""Haematological response (issue 16, seed 004), each case worked by hand in its comments.

The clock: the first infusion F is 2026-03-02 08:00 at +08:00 (the zone of every local day
here); "day n" is F + n days, 08:00 local. The baseline test (day -1) is Hb 70 g/L, ANC 0.2
and PLT 15 ×10^9/L, so the PR limits are Hb >= 85, ANC >= 0.7, PLT >= 25, and the CR limits
Hb >= 100, ANC >= 1.5, PLT >= 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic.errors import InputError
from infusion_app.logic.haem_response import (
    Duration,
    HaemResponse,
    Response,
    ResponseCriteria,
    WeekStatus,
    haematological_response,
)
from infusion_app.logic.labs import LabTest, Lineage, Transfusion, TransfusionKind

D = Decimal
Z = timezone(timedelta(hours=8))
F = datetime(2026, 3, 2, 8, 0, tzinfo=Z)
RBC, PLATELETS = TransfusionKind.RBC, TransfusionKind.PLATELETS

LOW = ("70", "0.2", "15")  # baseline values: no criterion met
CR = ("105", "1.6", "110")  # every CR limit met (and every PR rise)
HB_PR = ("85", "0.2", "15")  # Hb = 70 + 15 exactly: PR on Hb only
ANC_PR = ("70", "0.7", "15")  # ANC = 0.2 + 0.5 exactly (a float's 0.7 - 0.2 < 0.5)
PLT_PR = ("70", "0.2", "25")  # PLT = 15 + 10 exactly


def day(n: float, hours: float = 0) -> datetime:
    return F + timedelta(days=n, hours=hours)


def lab(when: datetime, values: tuple[str, str, str]) -> LabTest:
    hb, anc, plt = values
    return LabTest(when, D(hb), D(anc), D(plt))


BASE = lab(day(-1), LOW)
DEFAULT = ResponseCriteria()


def respond(
    tests: Sequence[LabTest],
    transfusions: Sequence[Transfusion] = (),
    *,
    last: datetime = F,
    criteria: ResponseCriteria = DEFAULT,
    at: datetime | None = None,
) -> HaemResponse:
    return haematological_response(
        [BASE, *tests],
        transfusions,
        first_infusion=F,
        last_infusion=last,
        zone=Z,
        criteria=criteria,
        at=at,
    )


def achieved(result: HaemResponse) -> dict[str, datetime | None]:
    return {key: value for key, value in result.achieved.items() if value is not None}


# --- baseline -------------------------------------------------------------------------------


def test_baseline_is_each_lineages_last_value_before_the_first_infusion() -> None:
    # day -10: 60/0.1/10; day -3: Hb not measured, ANC 0.3, PLT 12; at F itself (the
    # pre-dose sample): Hb 72, PLT not measured. Hb -> 72 (at F), ANC -> 0.3, PLT -> 12.
    # A test after F is never baseline.
    tests = [
        LabTest(day(-10), D(60), D("0.1"), D(10)),
        LabTest(day(-3), None, D("0.3"), D(12)),
        LabTest(F, D(72), None, None),
        lab(day(1), CR),
    ]
    result = haematological_response(
        tests, (), first_infusion=F, last_infusion=F, zone=Z
    )
    assert result.baseline == {Lineage.HB: D(72), Lineage.ANC: D("0.3"), Lineage.PLT: D(12)}


def test_without_a_baseline_a_lineage_has_no_pr_but_cr_still_counts() -> None:
    # no test before F: no rise can be measured; CR needs no baseline (days 3 and 5)
    tests = [lab(day(3), CR), lab(day(5), CR)]
    result = haematological_response(tests, (), first_infusion=F, last_infusion=F, zone=Z)
    assert result.baseline == {Lineage.HB: None, Lineage.ANC: None, Lineage.PLT: None}
    assert achieved(result) == {"cr": day(3)}


# --- CR and PR via each lineage -------------------------------------------------------------


def test_cr_needs_every_lineage_in_the_same_two_tests() -> None:
    # days 10 and 12 (48 h apart): 105/1.6/110 both times -> CR achieved day 10, and each
    # lineage's PR (85, 0.7, 25 exceeded) too. Time to response 10 days for each.
    result = respond([lab(day(10), CR), lab(day(12), CR)])
    assert achieved(result) == {"hb": day(10), "anc": day(10), "plt": day(10), "cr": day(10)}
    assert result.confirmed["cr"] == day(12)
    assert result.time_to_response_days == {"hb": 10, "anc": 10, "plt": 10, "cr": 10}
    assert result.best is Response.CR


@pytest.mark.parametrize(
    ("values", "lineage"),
    [
        (("99.9", "1.6", "110"), "hb"),  # Hb 99.9 < 100: no CR (PR on all three rises)
        (("105", "1.49", "110"), "anc"),  # ANC 1.49 < 1.5
        (("105", "1.6", "99"), "plt"),  # PLT 99 < 100
    ],
)
def test_cr_fails_on_each_lineage_by_itself(values: tuple[str, str, str], lineage: str) -> None:
    result = respond([lab(day(10), values), lab(day(12), values)])
    assert result.achieved["cr"] is None
    assert result.achieved[lineage] == day(10)  # still a PR on that lineage
    assert result.best is Response.PR


def test_cr_split_across_tests_is_no_cr() -> None:
    # day 10 has the Hb and ANC, day 12 the platelets: never all three in both tests
    result = respond([lab(day(10), ("105", "1.6", "20")), lab(day(12), ("105", "1.6", "110"))])
    assert result.achieved["cr"] is None


@pytest.mark.parametrize(
    ("values", "below", "key"),
    [
        (HB_PR, ("84.9", "0.2", "15"), "hb"),  # 70 + 15 = 85: 85 is PR, 84.9 is not
        (ANC_PR, ("70", "0.69", "15"), "anc"),  # 0.2 + 0.5 = 0.7 exactly: 0.7 PR, 0.69 not
        (PLT_PR, ("70", "0.2", "24.9"), "plt"),  # 15 + 10 = 25: 25 PR, 24.9 not
    ],
)
def test_pr_via_each_lineage_exactly_at_the_rise(
    values: tuple[str, str, str], below: tuple[str, str, str], key: str
) -> None:
    result = respond([lab(day(7), values), lab(day(9), values)])
    assert achieved(result) == {key: day(7)}
    assert result.best is Response.PR
    assert result.duration.start == day(7)  # the overall duration is this lineage's
    nothing = respond([lab(day(7), below), lab(day(9), below)])
    assert achieved(nothing) == {}
    assert nothing.best is Response.NONE
    assert nothing.duration == Duration(None, None, None, None)


def test_the_float_trap_is_not_fallen_into() -> None:
    assert 0.7 - 0.2 < 0.5  # in binary floats ANC 0.7 would not reach baseline 0.2 + 0.5
    assert D("0.7") - D("0.2") == D("0.5")


# --- two consecutive tests: 47 h and 48 h ---------------------------------------------------


def test_two_tests_47_hours_apart_do_not_count_and_48_hours_do() -> None:
    # day 10 08:00 and day 12 07:00 are 47 h apart: no pair; a third test at day 12 08:00
    # is 48 h after the first (exactly 48 h counts): the pair (day 10, day 12 08:00).
    first, at_47, at_48 = day(10), day(10, 47), day(10, 48)
    assert achieved(respond([lab(first, CR), lab(at_47, CR)])) == {}
    result = respond([lab(first, CR), lab(at_47, CR), lab(at_48, CR)])
    assert result.achieved["cr"] == first and result.confirmed["cr"] == at_48


def test_a_qualifying_test_under_48_h_neither_confirms_nor_breaks() -> None:
    # day 10 CR, day 11 CR (24 h: does not confirm), day 12 CR (48 h): CR achieved day 10
    result = respond([lab(day(10), CR), lab(day(11), CR), lab(day(12), CR)])
    assert result.achieved["cr"] == day(10)
    assert result.confirmed["cr"] == day(12)


def test_a_failing_test_between_the_pair_breaks_it() -> None:
    # day 10 CR, day 11 PLT 90 (fails CR), day 12 CR, day 14 CR: (10, 12) is broken by day
    # 11; day 11 itself fails; (12, 14) is the earliest valid pair: CR achieved day 12.
    # Platelets 90 still meet the PR rise (>= 25), so the PLT PR keeps day 10.
    plt_90 = ("105", "1.6", "90")
    tests = [lab(day(10), CR), lab(day(11), plt_90), lab(day(12), CR), lab(day(14), CR)]
    result = respond(tests)
    assert result.achieved["cr"] == day(12)
    assert result.achieved["plt"] == day(10)
    assert result.time_to_response_days["cr"] == 12


def test_a_test_without_the_value_neither_qualifies_nor_breaks() -> None:
    # day 10 Hb 90, day 11 Hb not measured, day 12 Hb 90: the Hb pair (10, 12) stands; CR
    # is judged only where all three are measured.
    tests = [
        lab(day(10), ("90", "0.2", "15")),
        LabTest(day(11), None, D("0.2"), D(15)),
        lab(day(12), ("90", "0.2", "15")),
    ]
    assert achieved(respond(tests)) == {"hb": day(10)}


# --- 7 days without transfusion --------------------------------------------------------------


def test_a_transfusion_6_days_23_hours_before_the_first_test_voids_and_7_days_count() -> None:
    # pair (day 10, day 12). The window runs from day 10 - 7 x 24 h = day 3 (exclusive)
    # through day 12. Red cells at day 3 + 1 h (6 d 23 h before): voided, no later pair
    # exists. At day 3 exactly (7 days before): the pair counts.
    tests = [lab(day(10), CR), lab(day(12), CR)]
    voided = respond(tests, [Transfusion(day(3, 1), RBC)])
    assert achieved(voided) == {}  # any transfusion voids every lineage (the literal reading)
    counted = respond(tests, [Transfusion(day(3), RBC)])
    assert achieved(counted) == {"hb": day(10), "anc": day(10), "plt": day(10), "cr": day(10)}


def test_a_transfusion_through_the_second_test_voids_and_a_later_pair_can_follow() -> None:
    # Tests at days 10, 12, 19, 21, all CR; platelets at day 12 08:00, the second test's
    # time: (10, 12) is voided, and so is (12, 19) (the transfusion is inside its window).
    # (19, 21) leaves them exactly 7 days behind (19 - 7 = day 12): counts.
    tests = [lab(day(n), CR) for n in (10, 12, 19, 21)]
    result = respond(tests, [Transfusion(day(12), PLATELETS)])
    assert result.achieved["cr"] == day(19)
    assert result.time_to_response_days["cr"] == 19


def test_lineage_specific_transfusions_void_only_their_lineage() -> None:
    # red cells at day 8 before the pair (10, 12): with the protocol option, only Hb and
    # CR are voided; ANC and PLT keep their PR at day 10. The literal reading voids all.
    tests = [lab(day(10), CR), lab(day(12), CR)]
    specific = ResponseCriteria(lineage_specific_transfusions=True)
    result = respond(tests, [Transfusion(day(8), RBC)], criteria=specific)
    assert achieved(result) == {"anc": day(10), "plt": day(10)}
    platelets = respond(tests, [Transfusion(day(8), PLATELETS)], criteria=specific)
    assert achieved(platelets) == {"hb": day(10), "anc": day(10)}
    assert achieved(respond(tests, [Transfusion(day(8), RBC)])) == {}


# --- week 4 and week 8 ----------------------------------------------------------------------
# One infusion (last = first = F): week 4 is assessed on 2026-03-30 (F's day + 28), week 8
# on 2026-04-27 (+ 56), each with the tests drawn up to 24:00 local that day.

WEEKLY_CR = [lab(day(n), CR) for n in (10, 12, 21, 28, 35, 42, 49, 56)]


def test_week_4_and_8_without_a_later_loss() -> None:
    result = respond(WEEKLY_CR)
    assert result.weeks == (
        WeekStatus(4, date(2026, 3, 30), Response.CR, Response.CR),
        WeekStatus(8, date(2026, 4, 27), Response.CR, Response.CR),
    )


def test_week_4_and_8_with_a_later_loss() -> None:
    # day 42: PLT 80 < 100 -> the CR ends (day 42) while PLT 80 >= 25 keeps the PR; every
    # later test is the same. Week 4 (day 28): CR. Week 8 (day 56): PR, best CR.
    tests = [*WEEKLY_CR[:5], *(lab(day(n), ("105", "1.6", "80")) for n in (42, 49, 56))]
    result = respond(tests)
    assert [(w.week, w.status, w.best) for w in result.weeks] == [
        (4, Response.CR, Response.CR),
        (8, Response.PR, Response.CR),
    ]
    assert result.durations["cr"] == Duration(day(10), day(42), 32, True)
    # the loss of everything: day 42 back to baseline -> week 8 none, best CR
    lost = respond([*WEEKLY_CR[:5], *(lab(day(n), LOW) for n in (42, 49, 56))])
    assert [(w.status, w.best) for w in lost.weeks] == [
        (Response.CR, Response.CR),
        (Response.NONE, Response.CR),
    ]
    # week 4 is the same with or without the later loss
    assert lost.weeks[0] == respond(WEEKLY_CR).weeks[0]


def test_a_week_counts_tests_up_to_the_end_of_its_local_day() -> None:
    # last infusion day 7 (2026-03-09): week 4 is 2026-04-06 = day 35. A pair confirmed at
    # 23:59 local that day counts; at 00:00 the next day it does not (status none, best none).
    last = day(7)
    late = respond([lab(day(33), CR), lab(day(35, 15 + 59 / 60), CR)], last=last)
    assert late.weeks[0] == WeekStatus(4, date(2026, 4, 6), Response.CR, Response.CR)
    early_next = respond([lab(day(33), CR), lab(day(35, 16), CR)], last=last)
    assert early_next.weeks[0] == WeekStatus(4, date(2026, 4, 6), Response.NONE, Response.NONE)
    assert early_next.achieved["cr"] == day(33)  # it counts in the end, not on that day


def test_a_response_lost_and_regained_is_ongoing_at_the_week() -> None:
    # Hb PR (10, 12), lost at day 14 (Hb 70), regained (21, 28): week 4 (day 28) PR. The
    # achieved date and duration are the first response's: day 10 to day 14, an event.
    plan = ((10, HB_PR), (12, HB_PR), (14, LOW), (21, HB_PR), (28, HB_PR))
    tests = [lab(day(n), values) for n, values in plan]
    result = respond(tests)
    assert result.weeks[0].status is Response.PR
    assert result.achieved["hb"] == day(10)
    assert result.durations["hb"] == Duration(day(10), day(14), 4, True)


def test_at_limits_what_is_known_and_marks_later_weeks_provisional() -> None:
    # at = day 20: the day-21+ tests are unknown; both weeks provisional, status from
    # the pair (10, 12) censored at the last known test, day 12.
    result = respond(WEEKLY_CR, at=day(20))
    assert all(w.provisional for w in result.weeks)
    assert result.durations["cr"] == Duration(day(10), day(12), 2, False)
    assert [w.status for w in result.weeks] == [Response.CR, Response.CR]
    assert not any(w.provisional for w in respond(WEEKLY_CR).weeks)


# --- time to response per lineage -----------------------------------------------------------


def test_time_to_response_per_lineage_in_calendar_days_of_the_zone() -> None:
    # F is 2026-03-02 (local). Tests at 01:00 local, i.e. 17:00Z the day before:
    #   2026-03-07 01:00+08 (= 03-06 17:00Z): ANC 0.7        local day 5 after F
    #   2026-03-09 01:00+08: ANC 0.7, Hb 85                  (48 h later)
    #   2026-03-11 01:00+08: ANC 0.7, Hb 85, PLT 25
    #   2026-03-13 01:00+08: ANC 0.7, Hb 85, PLT 25
    # ANC achieved 03-07 local: 5 days (in UTC it would be 4); Hb 03-09: 7; PLT 03-11: 9.
    t = [datetime(2026, 3, d, 1, 0, tzinfo=Z) for d in (7, 9, 11, 13)]
    tests = [
        lab(t[0], ("70", "0.7", "15")),
        lab(t[1], ("85", "0.7", "15")),
        lab(t[2], ("85", "0.7", "25")),
        lab(t[3], ("85", "0.7", "25")),
    ]
    result = respond(tests)
    assert result.time_to_response_days == {"hb": 7, "anc": 5, "plt": 9, "cr": None}
    assert result.duration.start == t[0]  # the earliest lineage PR: ANC's


# --- duration of response -------------------------------------------------------------------


def test_dor_ended_by_a_falling_value() -> None:
    # PLT PR (10, 12), day 19 still 25, day 26 PLT 24 < 25: ends day 26 (event), 16 days.
    tests = [lab(day(n), PLT_PR) for n in (10, 12, 19)] + [lab(day(26), ("70", "0.2", "24"))]
    assert respond(tests).duration == Duration(day(10), day(26), 16, True)


def test_dor_ended_by_a_transfusion_after_confirmation() -> None:
    # CR (10, 12); red cells on day 15 12:00 ends it there (5 days), though later tests
    # still meet CR. A transfusion before confirmation would have voided the pair instead.
    tests = [lab(day(n), CR) for n in (10, 12, 19, 26)]
    result = respond(tests, [Transfusion(day(15, 4), RBC)])
    assert result.duration == Duration(day(10), day(15, 4), 5, True)
    # lineage-specific: red cells end Hb and CR, not ANC or PLT (censored at day 26)
    specific = respond(
        tests,
        [Transfusion(day(15, 4), RBC)],
        criteria=ResponseCriteria(lineage_specific_transfusions=True),
    )
    assert specific.durations["hb"].event is True
    assert specific.durations["anc"] == Duration(day(10), day(26), 16, False)


def test_dor_censored_at_the_last_test_and_at_week_24() -> None:
    # CR (10, 12) and CR at day 100: censored at the last test, day 100 (90 days).
    short = respond([lab(day(n), CR) for n in (10, 12, 100)])
    assert short.duration == Duration(day(10), day(100), 90, False)
    # tests go on to day 200 and fail on day 190 (after week 24 = day 168): censored at
    # F + 24 weeks exactly (158 days from day 10); the fall after follow-up is not looked at.
    long = respond([lab(day(n), CR) for n in (10, 12, 100, 160, 175)] + [lab(day(190), LOW)])
    assert long.duration == Duration(day(10), day(168), 158, False)


def test_cr_duration_ends_while_the_patient_stays_in_pr() -> None:
    # CR (10, 12); day 20 ANC 1.4 < 1.5: CR ends day 20 (10 days, event); ANC 1.4 still
    # >= 0.7 so the ANC PR goes on, censored at day 27 (17 days).
    tests = [lab(day(n), CR) for n in (10, 12)] + [
        lab(day(n), ("105", "1.4", "110")) for n in (20, 27)
    ]
    result = respond(tests)
    assert result.duration == Duration(day(10), day(20), 10, True)  # the CR's
    assert result.durations["anc"] == Duration(day(10), day(27), 17, False)


# --- inputs ---------------------------------------------------------------------------------


def test_a_last_infusion_before_the_first_is_an_input_error() -> None:
    with pytest.raises(InputError, match="last_infusion: is before the first infusion"):
        respond([], last=day(-1))


def test_naive_times_are_a_bug_of_the_caller() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        haematological_response(
            [], (), first_infusion=F.replace(tzinfo=None), last_infusion=F, zone=Z
        )


# --- properties -----------------------------------------------------------------------------

VALUES = st.sampled_from([LOW, CR, HB_PR, ANC_PR, PLT_PR, ("105", "1.4", "110")])
TIMES = st.integers(min_value=1, max_value=80 * 24)  # hours after F
SCHEDULE = st.lists(st.tuples(TIMES, VALUES), max_size=14, unique_by=lambda item: item[0])
TRANSFUSIONS = st.lists(
    st.tuples(
        st.integers(min_value=-20 * 24, max_value=80 * 24), st.sampled_from([RBC, PLATELETS])
    ),
    max_size=3,
)


def _build(schedule, transfusions):
    tests = [lab(day(0, hours), values) for hours, values in schedule]
    given_ = [Transfusion(day(0, hours), kind) for hours, kind in transfusions]
    return tests, given_


@settings(max_examples=150, deadline=None)
@given(SCHEDULE, TRANSFUSIONS, TIMES, VALUES)
def test_a_later_test_never_changes_an_earlier_weeks_status(
    schedule, transfusions, extra, values
) -> None:
    tests, given_ = _build(schedule, transfusions)
    before = respond(tests, given_)
    moment = day(0, extra)
    if any(t.drawn_at == moment for t in tests):
        return
    after = respond([*tests, lab(moment, values)], given_)
    for old, new in zip(before.weeks, after.weeks, strict=True):
        cutoff = datetime.combine(old.day + timedelta(days=1), datetime.min.time(), tzinfo=Z)
        if moment >= cutoff:
            assert old == new


@settings(max_examples=150, deadline=None)
@given(SCHEDULE, TRANSFUSIONS)
def test_results_are_consistent(schedule, transfusions) -> None:
    tests, given_ = _build(schedule, transfusions)
    result = respond(tests, given_)
    for week in result.weeks:
        # the status is never better than the best, and a CR is a response of every lineage
        rank = {Response.NONE: 0, Response.PR: 1, Response.CR: 2}
        assert rank[week.status] <= rank[week.best] <= rank[result.best]
    for key, moment in result.achieved.items():
        duration = result.durations[key]
        if moment is None:
            assert duration == Duration(None, None, None, None)
            assert result.time_to_response_days[key] is None
        else:
            assert duration.start == moment and duration.end is not None
            assert duration.end >= moment and duration.days is not None and duration.days >= 0
            confirmed = result.confirmed[key]
            assert confirmed is not None and confirmed - moment >= timedelta(hours=48)
    assert (result.best is Response.CR) == (result.achieved["cr"] is not None)
