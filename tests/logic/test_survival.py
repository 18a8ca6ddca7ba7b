"""Kaplan-Meier by hand (issue 16): a ten-patient set worked in the comments, the median on a
plateau at exactly 1/2, the log-log interval with Greenwood's variance, and a property test
against scipy (``scipy.stats.ecdf``, log-log interval; in the test extra only)."""

from __future__ import annotations

import math
import warnings
from datetime import date
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import CensoredData, ecdf

from infusion_app.logic.errors import InputError
from infusion_app.logic.survival import (
    KaplanMeier,
    KmStep,
    SurvivalTime,
    kaplan_meier,
    os_time,
    pfs_time,
)

F = Fraction
Z95 = 1.959963984540054  # the normal quantile for 95 %: NormalDist().inv_cdf(0.975)

# Ten patients, days from the first dose (e = progression or death, c = censored):
#   60e  90c 90c 90c  120e 120c  150c  180e  270e  360c
# t     at risk  d  c   S                                  Greenwood sum d/(n(n-d))
# 60      10     1  0   9/10                               1/90
# 90       9     0  3   9/10
# 120      6     1  1   9/10 * 5/6 = 3/4  (the patient censored at 120 was at risk at 120:
#                                          events before censorings; else n = 5, S = 18/25)
#                                                          1/90 + 1/30 = 4/90
# 150      4     0  1   3/4
# 180      3     1  0   3/4 * 2/3 = 1/2   (exactly 1/2)    4/90 + 1/6 = 19/90
# 270      2     1  0   1/2 * 1/2 = 1/4                    19/90 + 1/2 = 64/90
# 360      1     0  1   1/4
# S(100) = 9/10, S(200) = 1/2, S(300) = 1/4.
# Median: S = 1/2 exactly on the plateau 180..270: the midpoint to the next event time,
# (180 + 270) / 2 = 225 (R's rule).
# Interval at 60: log S = log 0.9 = -0.1053605, sqrt(1/90) = 0.1054093;
#   z sqrt(v) / log S = 1.959964 * 0.1054093 / -0.1053605 = -1.960872;
#   lower = 0.9 ^ exp(1.960872) = 0.9 ^ 7.10496 = 0.47301, upper = 0.9 ^ exp(-1.960872)
#   = 0.9 ^ 0.140746 = 0.98528.
# Interval at 180: sqrt(19/90) = 0.4594683; 1.959964 * 0.4594683 / log 0.5 = -1.299213;
#   lower = 0.5 ^ exp(1.299213) = 0.5 ^ 3.66632 = 0.07876, upper = 0.5 ^ 0.272751 = 0.82774.
# The median's interval: the lower curve is <= 1/2 first at 60 (0.47301): lower limit 60;
# the upper curve never reaches 1/2 (0.65652 at the end): no upper limit.
TEN = [
    SurvivalTime(60, True),
    *[SurvivalTime(90, False)] * 3,
    SurvivalTime(120, True),
    SurvivalTime(120, False),
    SurvivalTime(150, False),
    SurvivalTime(180, True),
    SurvivalTime(270, True),
    SurvivalTime(360, False),
]


def test_ten_patients_by_hand() -> None:
    km = kaplan_meier(TEN)
    assert (km.n, km.events) == (10, 4)
    rows = [(s.time, s.at_risk, s.events, s.censored, s.survival) for s in km.steps]
    assert rows == [
        (60, 10, 1, 0, F(9, 10)),
        (90, 9, 0, 3, F(9, 10)),
        (120, 6, 1, 1, F(3, 4)),
        (150, 4, 0, 1, F(3, 4)),
        (180, 3, 1, 0, F(1, 2)),
        (270, 2, 1, 0, F(1, 4)),
        (360, 1, 0, 1, F(1, 4)),
    ]
    assert [km.survival_at(t) for t in (0, 59, 60, 100, 179, 180, 200, 300, 999)] == [
        1, 1, F(9, 10), F(9, 10), F(3, 4), F(1, 2), F(1, 2), F(1, 4), F(1, 4),
    ]  # fmt: skip
    assert km.median == 225
    assert (km.median_lower, km.median_upper) == (60, None)
    first, at_180 = km.steps[0], km.steps[4]
    assert (round(first.lower or 0, 5), round(first.upper or 0, 5)) == (0.47301, 0.98528)
    assert (round(at_180.lower or 0, 5), round(at_180.upper or 0, 5)) == (0.07876, 0.82774)


def test_the_interval_formula_at_180_step_by_step() -> None:
    v = 1 / 90 + 1 / 30 + 1 / 6
    assert math.isclose(v, 19 / 90)
    spread = Z95 * math.sqrt(v) / math.log(0.5)
    step = kaplan_meier(TEN).steps[4]
    assert step.lower is not None and step.upper is not None
    assert math.isclose(step.lower, 0.5 ** math.exp(-spread))
    assert math.isclose(step.upper, 0.5 ** math.exp(spread))


def test_median_below_half_without_a_plateau_and_the_full_interval() -> None:
    # 10 events at 1..10, no censoring: S(t) = (10 - t)/10; S(5) = 1/2 exactly, the next
    # event is at 6: median (5 + 6) / 2 = 11/2.
    km = kaplan_meier([SurvivalTime(t, True) for t in range(1, 11)])
    assert km.median == F(11, 2)
    # S drops past 1/2 with no plateau: events 1, 2, 3 of 5 -> S = 4/5, 3/5, 2/5: median 3
    km5 = kaplan_meier([SurvivalTime(t, True) for t in (1, 2, 3, 4, 5)])
    assert km5.median == 3
    # the last event takes S to 0: the interval is undefined there (None), as R's NA
    assert km5.steps[-1].survival == 0 and km5.steps[-1].lower is None
    assert km.median_lower is not None and km.median_upper is not None
    assert km.median_lower <= km.median <= km.median_upper


def test_a_plateau_at_half_to_the_end_takes_the_last_time() -> None:
    # 1e 1e 5c 9c: S(1) = 1/2 and no event follows: R takes the midpoint to the last
    # observed time, (1 + 9) / 2 = 5.
    times = [(1, True), (1, True), (5, False), (9, False)]
    km = kaplan_meier([SurvivalTime(days, event) for days, event in times])
    assert km.survival_at(1) == F(1, 2)
    assert km.median == 5


def test_no_median_when_s_stays_above_half_and_no_interval_at_1() -> None:
    km = kaplan_meier([SurvivalTime(3, False), SurvivalTime(5, True), SurvivalTime(7, False)])
    assert km.steps[0] == KmStep(3, 3, 0, 1, F(1), None, None)  # S = 1: no interval
    assert km.survival_at(5) == F(1, 2)  # 2 at risk, 1 event
    assert km.median == 6  # plateau at 1/2 to the end: (5 + 7) / 2
    times = [(3, False), (5, True), (7, False), (8, False)]
    none = kaplan_meier([SurvivalTime(days, event) for days, event in times])
    assert none.survival_at(99) == F(2, 3)
    # S = 2/3 stays above 1/2: no median; its lower curve is already below 1/2 at 5
    # (3 at risk), so the interval has a lower limit and no upper one, as in R.
    assert (none.median, none.median_lower, none.median_upper) == (None, 5, None)


def test_empty_and_bad_input() -> None:
    assert kaplan_meier([]) == KaplanMeier(0, 0, (), None, None, None)
    with pytest.raises(InputError, match="days: must be 0 or more"):
        kaplan_meier([SurvivalTime(-1, True)])
    with pytest.raises(InputError, match="confidence"):
        kaplan_meier(TEN, confidence=F(1))


def test_a_90_percent_interval_is_narrower() -> None:
    wide, narrow = kaplan_meier(TEN).steps[4], kaplan_meier(TEN, F(9, 10)).steps[4]
    assert narrow.lower and wide.lower and narrow.upper and wide.upper
    assert wide.lower < narrow.lower < 0.5 < narrow.upper < wide.upper


# --- PFS and OS times -----------------------------------------------------------------------

DOSE = date(2026, 1, 10)


def test_pfs_time() -> None:
    # progression on day 40, death on day 70: the earlier, an event at 40
    assert pfs_time(
        DOSE, progression=date(2026, 2, 19), death=date(2026, 3, 21), last_assessment=None
    ) == SurvivalTime(40, True)
    # death without progression is an event too
    assert pfs_time(
        DOSE, progression=None, death=date(2026, 1, 20), last_assessment=date(2026, 1, 15)
    ) == SurvivalTime(10, True)
    # neither: censored at the last adequate assessment
    assert pfs_time(
        DOSE, progression=None, death=None, last_assessment=date(2026, 3, 11)
    ) == SurvivalTime(60, False)
    assert pfs_time(DOSE, progression=None, death=None, last_assessment=None) is None


def test_os_time() -> None:
    assert os_time(DOSE, death=date(2026, 1, 10), last_contact=None) == SurvivalTime(0, True)
    assert os_time(DOSE, death=None, last_contact=date(2026, 2, 9)) == SurvivalTime(30, False)
    assert os_time(DOSE, death=None, last_contact=None) is None
    with pytest.raises(InputError, match="death: 2026-01-09 is before the first dose"):
        os_time(DOSE, death=date(2026, 1, 9), last_contact=None)
    with pytest.raises(InputError, match="progression"):
        pfs_time(DOSE, progression=date(2025, 1, 1), death=None, last_assessment=None)


# --- properties -----------------------------------------------------------------------------

TIMES = st.lists(
    st.builds(SurvivalTime, st.integers(min_value=0, max_value=60), st.booleans()),
    min_size=1,
    max_size=40,
)


@given(TIMES)
def test_survival_is_non_increasing_within_0_and_1(times: list[SurvivalTime]) -> None:
    km = kaplan_meier(times)
    previous = F(1)
    for step in km.steps:
        assert 0 <= step.survival <= previous <= 1
        previous = step.survival
        if step.lower is not None and step.upper is not None:
            assert 0 <= step.lower <= float(step.survival) <= step.upper <= 1
        else:
            assert step.survival in (0, 1)
    assert sum(s.events + s.censored for s in km.steps) == km.n == len(times)
    if km.median is not None:
        assert km.survival_at(math.floor(km.median)) <= F(1, 2)


@settings(max_examples=200, deadline=None)
@given(TIMES.filter(lambda times: any(t.event for t in times)))
def test_matches_scipy(times: list[SurvivalTime]) -> None:
    km = kaplan_meier(times)
    days = np.array([t.days for t in times], dtype=float)
    events = np.array([t.event for t in times])
    result = ecdf(CensoredData(uncensored=days[events], right=days[~events]))
    assert list(result.sf.quantiles) == [s.time for s in km.steps]
    assert np.allclose(result.sf.probabilities, [float(s.survival) for s in km.steps])
    with warnings.catch_warnings():  # scipy warns where S is 0 or 1 (there ours is None)
        warnings.simplefilter("ignore", RuntimeWarning)
        interval = result.sf.confidence_interval(0.95, method="log-log")
    lows, highs = interval.low.probabilities, interval.high.probabilities
    for step, low, high in zip(km.steps, lows, highs, strict=True):
        if step.lower is not None and step.upper is not None:
            assert math.isclose(step.lower, low, rel_tol=1e-9, abs_tol=1e-12)
            assert math.isclose(step.upper, high, rel_tol=1e-9, abs_tol=1e-12)
