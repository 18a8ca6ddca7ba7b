"""BOIN (logic.boin): λe and λd, the decision table against the published one, elimination in
exact arithmetic, and the decision at the current level (issue 15).

Expected numbers are worked by hand in the comments (a pocket calculator's ln) or come from
the published BOIN table, never from the code under test.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic import boin
from infusion_app.logic.boin import (
    boin_decision,
    boundaries,
    deescalates,
    eliminated_levels,
    elimination_probability,
    escalates,
    lambdas,
)
from infusion_app.logic.errors import InputError
from infusion_app.logic.escalation import DecisionKind, LevelTally

T = LevelTally
PHI_30 = Fraction(3, 10)
PHI_35 = Fraction(7, 20)


# --- λe and λd ------------------------------------------------------------------------------
# φ1 = 0.6 φ, φ2 = 1.4 φ; λe = ln((1-φ1)/(1-φ)) / ln(φ(1-φ1)/(φ1(1-φ))),
#                       λd = ln((1-φ)/(1-φ2)) / ln(φ2(1-φ)/(φ(1-φ2))).
#
# φ = 0.25: φ1 = 0.15, φ2 = 0.35
#   λe = ln(0.85/0.75) / ln(0.25·0.85 / (0.15·0.75)) = ln(1.133333) / ln(0.2125/0.1125)
#      = 0.125163 / ln(1.888889) = 0.125163 / 0.635989 = 0.196801 -> 0.1968
#   λd = ln(0.75/0.65) / ln(0.35·0.75 / (0.25·0.65)) = ln(1.153846) / ln(0.2625/0.1625)
#      = 0.143101 / ln(1.615385) = 0.143101 / 0.479573 = 0.298392 -> 0.2984
# φ = 0.30: φ1 = 0.18, φ2 = 0.42
#   λe = ln(0.82/0.70) / ln(0.30·0.82 / (0.18·0.70)) = ln(1.171429) / ln(0.246/0.126)
#      = 0.158224 / ln(1.952381) = 0.158224 / 0.669050 = 0.236491 -> 0.2365
#   λd = ln(0.70/0.58) / ln(0.42·0.70 / (0.30·0.58)) = ln(1.206897) / ln(0.294/0.174)
#      = 0.188052 / ln(1.689655) = 0.188052 / 0.524524 = 0.358519 -> 0.3585
# φ = 0.35: φ1 = 0.21, φ2 = 0.49
#   λe = ln(0.79/0.65) / ln(0.35·0.79 / (0.21·0.65)) = ln(1.215385) / ln(0.2765/0.1365)
#      = 0.195061 / ln(2.025641) = 0.195061 / 0.705886 = 0.276334 -> 0.2763
#   λd = ln(0.65/0.51) / ln(0.49·0.65 / (0.35·0.51)) = ln(1.274510) / ln(0.3185/0.1785)
#      = 0.242562 / ln(1.784314) = 0.242562 / 0.579034 = 0.418908 -> 0.4189
# (BOIN's own table for 0.30 prints 0.236 and 0.359.)
@pytest.mark.parametrize(
    ("target", "lambda_e", "lambda_d"),
    [
        (Fraction(1, 4), 0.1968, 0.2984),
        (PHI_30, 0.2365, 0.3585),
        (PHI_35, 0.2763, 0.4189),
    ],
)
def test_lambdas_to_four_decimals(target: Fraction, lambda_e: float, lambda_d: float) -> None:
    e, d = lambdas(target)
    assert round(e, 4) == lambda_e
    assert round(d, 4) == lambda_d
    table = boundaries(target, 3)
    assert (round(table.lambda_e, 4), round(table.lambda_d, 4)) == (lambda_e, lambda_d)


# --- the table ------------------------------------------------------------------------------
# The published BOIN table for φ = 0.30 (Liu & Yuan 2015; R BOIN get.boundary(0.3, 10, 3)):
PUBLISHED_30 = {
    # n: (escalate if DLTs <=, de-escalate if >=, eliminate if >=)
    3: (0, 2, 3),
    6: (1, 3, 4),
    9: (2, 4, 5),
    12: (2, 5, 7),
    15: (3, 6, 8),
    18: (4, 7, 9),
    21: (4, 8, 10),
    24: (5, 9, 11),
    27: (6, 10, 12),
    30: (7, 11, 14),
}


def test_the_table_for_30_percent_is_the_published_one() -> None:
    table = boundaries(PHI_30, 30)
    assert [row.n for row in table.rows] == list(range(1, 31))
    got = {
        row.n: (row.escalate_if_dlt_le, row.deescalate_if_dlt_ge, row.eliminate_if_dlt_ge)
        for row in table.rows
        if row.n % 3 == 0
    }
    assert got == PUBLISHED_30


def test_the_first_rows_have_no_elimination() -> None:
    # n = 1: escalate if y <= floor(0.2365) = 0, de-escalate if y >= floor(0.3585) + 1 = 1;
    # n = 2: floor(0.473) = 0 and floor(0.717) + 1 = 1; elimination needs n >= 3.
    rows = boundaries(PHI_30, 2).rows
    assert [
        (r.escalate_if_dlt_le, r.deescalate_if_dlt_ge, r.eliminate_if_dlt_ge) for r in rows
    ] == [
        (0, 1, None),
        (0, 1, None),
    ]


def _lambda_precise(numerator_ratio: Decimal, denominator_ratio: Decimal) -> Decimal:
    return numerator_ratio.ln() / denominator_ratio.ln()


@pytest.mark.parametrize("hundredths", range(5, 61))
def test_every_row_agrees_with_60_digit_logarithms(hundredths: int) -> None:
    # An independent route to the same boundaries: λ from Decimal logarithms at 60 digits,
    # then floor(n·λe) and floor(n·λd) + 1 as the issue writes them (R's target range).
    with localcontext() as ctx:
        ctx.prec = 60
        phi = Decimal(hundredths) / 100
        phi1, phi2 = phi * Decimal("0.6"), phi * Decimal("1.4")
        lam_e = _lambda_precise((1 - phi1) / (1 - phi), phi * (1 - phi1) / (phi1 * (1 - phi)))
        lam_d = _lambda_precise((1 - phi) / (1 - phi2), phi2 * (1 - phi) / (phi * (1 - phi2)))
        expected = [
            (int((n * lam_e).to_integral_value(rounding="ROUND_FLOOR")),
             int((n * lam_d).to_integral_value(rounding="ROUND_FLOOR")) + 1)
            for n in range(1, 101)
        ]  # fmt: skip
    rows = boundaries(Fraction(hundredths, 100), 100).rows
    for row, (escalate, deescalate) in zip(rows, expected, strict=True):
        assert row.escalate_if_dlt_le == escalate, row
        if row.eliminate_if_dlt_ge is None or deescalate <= row.eliminate_if_dlt_ge:
            assert row.deescalate_if_dlt_ge == (deescalate if deescalate <= row.n else None), row
        else:  # R caps the de-escalation count at the elimination count
            assert row.deescalate_if_dlt_ge == row.eliminate_if_dlt_ge, row


@pytest.mark.parametrize("error", [-0.4, -1e-9, 1e-9, 0.4])
def test_a_wrong_float_guess_cannot_move_a_boundary(error: float) -> None:
    # The floor of n·λ is only a first guess, corrected by exact comparisons: a guess off by
    # a rounding error (or far more) gives the same counts. φ = 0.30, n = 30: 7 and 11.
    e, d = lambdas(PHI_30)
    assert boin._escalation_count(30, PHI_30, e + error / 30) == 7
    assert boin._deescalation_count(30, PHI_30, d + error / 30) == 11


def test_the_interval_rule_is_exact_at_the_boundary() -> None:
    # φ = 0.30, n = 30: 7/30 = 0.2333 <= λe = 0.2365 < 8/30 = 0.2667;
    # 10/30 = 0.3333 <= λd = 0.3585 < 11/30 = 0.3667.
    assert escalates(7, 30, PHI_30) and not escalates(8, 30, PHI_30)
    assert not deescalates(10, 30, PHI_30) and deescalates(11, 30, PHI_30)


def test_max_n_is_bounded_like_the_protocol() -> None:
    assert len(boundaries(PHI_30, 100).rows) == 100
    for bad in (0, 101):
        with pytest.raises(ValueError, match="max_n"):
            boundaries(PHI_30, bad)


@pytest.mark.parametrize("target", [Fraction(0), Fraction(1), Fraction(5, 7), Fraction(-1, 10)])
def test_a_target_outside_boins_range_is_input(target: Fraction) -> None:
    # φ2 = 1.4 φ must stay below 1, so φ < 5/7 (φ = 0.72 would take ln of a negative number)
    with pytest.raises(InputError, match="target"):
        boundaries(target, 3)


def test_the_largest_target_boin_allows() -> None:
    # just below 5/7 = 0.714285...: defined, and the table is printed
    assert len(boundaries(Fraction(714, 1000), 3).rows) == 3


# --- elimination, exactly -------------------------------------------------------------------


def _beta_tail(a: int, b: int, x: Fraction) -> Fraction:
    """P(Beta(a, b) > x) for whole a, b, by integrating the density's polynomial from x to 1:
    a route independent of the binomial sum the code uses."""
    # x^(a-1) (1-x)^(b-1) = sum_j C(b-1, j) (-1)^j x^(a-1+j)
    norm = Fraction(math.factorial(a + b - 1), math.factorial(a - 1) * math.factorial(b - 1))
    total = Fraction(0)
    for j in range(b):
        power = a + j  # the antiderivative's exponent
        term = Fraction(math.comb(b - 1, j) * (-1) ** j, power)
        total += term * (1 - x**power)
    return norm * total


def test_six_dlts_in_ten_at_35_percent_does_not_eliminate() -> None:
    # P(p > 0.35 | 6 of 10) = P(Binomial(11, 0.35) <= 6). Terms C(11,k) 0.35^k 0.65^(11-k):
    #   k=0 0.008751, 1 0.051832, 2 0.139547, 3 0.225421, 4 0.242761, 5 0.183005, 6 0.098541
    #   cumulative 0.949857: not above 0.95.
    # Exactly: 20^11 = 204800000000000, and the sum of C(11,k) 7^k 13^(11-k) for k <= 6 is
    # 194530772913490; 20 × 194530772913490 = 3890615458269800 < 19 × 20^11 = 3891200000000000.
    p6 = elimination_probability(6, 10, PHI_35)
    assert p6 == Fraction(194530772913490, 20**11)
    assert p6 == _beta_tail(7, 5, PHI_35)
    assert f"{float(p6):.4f}" == "0.9499" and p6 < Fraction(95, 100)
    # the next count does: + k=7 0.037900 -> 0.987758
    p7 = elimination_probability(7, 10, PHI_35)
    assert p7 == Fraction(202292772749080, 20**11)
    assert p7 > Fraction(95, 100)
    assert boundaries(PHI_35, 10).rows[9].eliminate_if_dlt_ge == 7
    assert eliminated_levels([T(10, 6), T(0, 0)], PHI_35) == ()
    assert eliminated_levels([T(10, 7), T(0, 0)], PHI_35) == (0, 1)


@pytest.mark.parametrize(("dlts", "n"), [(0, 3), (2, 3), (3, 3), (4, 9), (5, 9), (14, 30)])
def test_elimination_probability_is_the_beta_tail(dlts: int, n: int) -> None:
    assert elimination_probability(dlts, n, PHI_30) == _beta_tail(dlts + 1, n - dlts + 1, PHI_30)


def test_a_thousand_patients_stay_exact_and_quick() -> None:
    # P(Bin(m, φ) <= y) + P(Bin(m, 1-φ) <= m-1-y) = 1 (count the non-DLTs instead), with
    # m = n + 1: a check on sums of 300 and 700 terms over 3^1001 that needs no reference.
    third = Fraction(1, 3)
    low = elimination_probability(300, 1000, third)
    high = elimination_probability(700, 1000, 1 - third)
    assert low + high == 1
    # normal approximation: mean 1001/3 = 333.67, sd sqrt(1001 · 2/9) = 14.92,
    # z = (300.5 - 333.67) / 14.92 = -2.22, Φ(z) = 0.013
    assert 0.011 < float(low) < 0.015


def test_elimination_at_the_30_percent_boundaries() -> None:
    # n = 3: 2 DLTs: P(Bin(4, 0.3) <= 2) = 0.2401 + 0.4116 + 0.2646 = 0.9163, kept;
    #        3 DLTs: 1 - 0.3^4 = 0.9919, eliminated (the table's 3).
    assert elimination_probability(2, 3, PHI_30) == Fraction(9163, 10000)
    assert elimination_probability(3, 3, PHI_30) == Fraction(9919, 10000)
    assert eliminated_levels([T(3, 0), T(3, 2), T(0, 0)], PHI_30) == ()
    assert eliminated_levels([T(3, 0), T(3, 3), T(0, 0)], PHI_30) == (1, 2)


def test_fewer_than_three_patients_never_eliminate() -> None:
    # 2 DLTs in 2 would be P(Bin(3, 0.3) <= 2) = 1 - 0.027 = 0.973 > 0.95, but n < 3
    assert elimination_probability(2, 2, PHI_30) == Fraction(973, 1000)
    assert eliminated_levels([T(2, 2), T(0, 0)], PHI_30) == ()


def test_the_lowest_eliminating_level_takes_every_higher_one() -> None:
    # level 3 (3/3) eliminates levels 3 and 4 even though level 4 never had a DLT
    tallies = [T(3, 0), T(6, 1), T(3, 3), T(3, 0)]
    assert eliminated_levels(tallies, PHI_30) == (2, 3)


def test_a_cutoff_changes_elimination() -> None:
    # 2 of 3 at 0.30 is 0.9163: kept at 0.95, eliminated at 0.90
    assert eliminated_levels([T(3, 2)], PHI_30, Fraction(90, 100)) == (0,)


# --- the decision ---------------------------------------------------------------------------
# φ = 0.30: escalate if y/n <= 0.2365, de-escalate if y/n > 0.3585, else stay.


def test_escalate() -> None:
    decision = boin_decision([T(3, 0), T(0, 0), T(0, 0)], 0, PHI_30)
    assert (decision.kind, decision.level, decision.next_level) == (DecisionKind.ESCALATE, 0, 1)
    assert (decision.eliminated, decision.mtd, decision.complete) == ((), None, False)
    assert str(decision.reason) == (
        "BOIN: 0 DLTs in 3 (0 %) at level 1, at or below the escalation boundary: escalate to "
        "level 2"
    )


def test_stay_between_the_boundaries() -> None:
    # 1/3 = 0.333: above 0.2365, not above 0.3585
    decision = boin_decision([T(3, 0), T(3, 1), T(0, 0)], 1, PHI_30)
    assert (decision.kind, decision.next_level) == (DecisionKind.STAY, 1)
    assert str(decision.reason) == (
        "BOIN: 1 DLT in 3 (33 %) at level 2, between the boundaries: stay"
    )


def test_deescalate() -> None:
    # 2/3 = 0.667 > 0.3585; 2 of 3 is not eliminated (0.9163)
    decision = boin_decision([T(3, 0), T(3, 2), T(0, 0)], 1, PHI_30)
    assert (decision.kind, decision.next_level, decision.eliminated) == (
        DecisionKind.DEESCALATE,
        0,
        (),
    )
    assert "67 %" in str(decision.reason)


def test_escalate_at_the_top_is_stay() -> None:
    decision = boin_decision([T(3, 0), T(6, 1)], 1, PHI_30)  # 1/6 = 0.167 <= 0.2365
    assert (decision.kind, decision.next_level) == (DecisionKind.STAY, 1)
    assert "top level" in str(decision.reason)


def test_deescalate_at_the_lowest_is_stay() -> None:
    decision = boin_decision([T(3, 2), T(0, 0)], 0, PHI_30)
    assert (decision.kind, decision.next_level, decision.complete) == (DecisionKind.STAY, 0, False)
    assert "lowest" in str(decision.reason)


def test_never_escalate_into_an_eliminated_level() -> None:
    # back at level 1 after level 2 had 3 of 3: 0 of 6 at level 1 would escalate
    decision = boin_decision([T(6, 0), T(3, 3), T(0, 0)], 0, PHI_30)
    assert (decision.kind, decision.next_level, decision.eliminated) == (
        DecisionKind.STAY,
        0,
        (1, 2),
    )
    assert str(decision.reason).endswith("but level 2 is eliminated: stay")


def test_an_eliminated_current_level_deescalates_to_the_highest_level_left() -> None:
    decision = boin_decision([T(3, 0), T(6, 1), T(3, 3)], 2, PHI_30)
    assert (decision.kind, decision.next_level, decision.eliminated) == (
        DecisionKind.DEESCALATE,
        1,
        (2,),
    )
    assert str(decision.reason) == (
        "BOIN: level 3 and every higher level are eliminated (probability above 95 % that the "
        "DLT rate exceeds 30 %): de-escalate from level 3 to level 2"
    )
    # a lower level eliminating takes the current one with it: down below the first
    lower = boin_decision([T(3, 0), T(3, 3), T(3, 0)], 2, PHI_30)
    assert (lower.kind, lower.next_level, lower.eliminated) == (DecisionKind.DEESCALATE, 0, (1, 2))


def test_the_lowest_level_eliminated_stops_the_trial() -> None:
    decision = boin_decision([T(3, 3), T(0, 0)], 0, PHI_30)
    assert (decision.kind, decision.next_level, decision.complete) == (
        DecisionKind.STOP,
        None,
        True,
    )
    assert decision.eliminated == (0, 1) and decision.mtd is None
    assert "stop the trial" in str(decision.reason)


def test_the_current_level_needs_an_evaluable_patient() -> None:
    with pytest.raises(ValueError, match="evaluable"):
        boin_decision([T(3, 0), T(0, 0, pending=3)], 1, PHI_30)
    with pytest.raises(ValueError):
        boin_decision([T(3, 0)], 1, PHI_30)


def test_the_rule_at_35_percent_for_msc_l_crc() -> None:
    # λe 0.2763, λd 0.4189: 1/3 stay, 1/6 escalate, 3/6 (0.5) de-escalate, 0/3 escalate
    def kind(tallies: list[LevelTally], current: int) -> DecisionKind:
        return boin_decision(tallies, current, PHI_35).kind

    assert kind([T(3, 1), T(0, 0), T(0, 0)], 0) is DecisionKind.STAY
    assert kind([T(6, 1), T(0, 0), T(0, 0)], 0) is DecisionKind.ESCALATE
    assert kind([T(3, 0), T(6, 3), T(0, 0)], 1) is DecisionKind.DEESCALATE


# --- properties -----------------------------------------------------------------------------

targets = st.integers(min_value=5, max_value=60).map(lambda h: Fraction(h, 100))


@st.composite
def tallies_with_current(draw: st.DrawFn) -> tuple[list[LevelTally], int]:
    levels = draw(st.integers(min_value=1, max_value=6))
    tallies = []
    for _ in range(levels):
        n = draw(st.integers(min_value=0, max_value=15))
        tallies.append(T(n, draw(st.integers(min_value=0, max_value=n))))
    current = draw(st.integers(min_value=0, max_value=levels - 1))
    if tallies[current].evaluable == 0:
        n = draw(st.integers(min_value=1, max_value=15))
        tallies[current] = T(n, draw(st.integers(min_value=0, max_value=n)))
    return tallies, current


@settings(max_examples=300, deadline=None)
@given(tallies_with_current(), targets)
def test_no_decision_names_an_eliminated_level(
    case: tuple[list[LevelTally], int], target: Fraction
) -> None:
    tallies, current = case
    decision = boin_decision(tallies, current, target)
    assert decision.eliminated == eliminated_levels(tallies, target)
    if decision.kind is DecisionKind.STOP:
        assert decision.next_level is None and decision.eliminated[:1] == (0,)
    else:
        assert decision.next_level is not None
        assert 0 <= decision.next_level < len(tallies)
        assert decision.next_level not in decision.eliminated
        assert abs(decision.next_level - current) <= 1 or current in decision.eliminated
    if decision.kind is DecisionKind.ESCALATE:
        assert decision.next_level == current + 1


@settings(max_examples=100, deadline=None)
@given(targets, st.lists(st.booleans(), min_size=1, max_size=60), st.integers(2, 5))
def test_a_trial_run_by_the_rule_never_goes_to_an_eliminated_level(
    target: Fraction, outcomes: list[bool], levels: int
) -> None:
    # cohorts of 3 from level 1, each cohort at the level the previous decision named
    evaluable, dlts = [0] * levels, [0] * levels
    current = 0
    for start in range(0, len(outcomes), 3):
        cohort = outcomes[start : start + 3]
        evaluable[current] += len(cohort)
        dlts[current] += sum(cohort)
        tallies = [T(n, y) for n, y in zip(evaluable, dlts, strict=True)]
        decision = boin_decision(tallies, current, target)
        if decision.next_level is None:
            assert decision.complete and 0 in decision.eliminated
            return
        assert decision.next_level not in decision.eliminated
        current = decision.next_level


@settings(max_examples=300, deadline=None)
@given(targets, st.integers(1, 100), st.data())
def test_the_decision_agrees_with_the_table(target: Fraction, n: int, data: st.DataObject) -> None:
    y = data.draw(st.integers(0, n))
    row = boundaries(target, n).rows[-1]
    assert row.escalate_if_dlt_le is not None
    assert escalates(y, n, target) == (y <= row.escalate_if_dlt_le)
    if row.deescalate_if_dlt_ge is not None and (
        row.eliminate_if_dlt_ge is None or row.deescalate_if_dlt_ge < row.eliminate_if_dlt_ge
    ):
        assert deescalates(y, n, target) == (y >= row.deescalate_if_dlt_ge)
