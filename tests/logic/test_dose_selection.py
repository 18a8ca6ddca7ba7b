"""BOIN's optimal dose (logic.dose_selection, R BOIN ``select.mtd``): isotonic estimates with
inverse-variance weights, ties on either side of the target, untreated and eliminated levels.

Estimates: p = (y + 0.05)/(n + 0.1); weight = 1/var of Beta(a, b), a = y + 0.05,
b = n - y + 0.05, var = a b / ((a + b)^2 (a + b + 1)). Worked by hand in the comments.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic.boin import eliminated_levels
from infusion_app.logic.dose_selection import pool_adjacent_violators, select_dose
from infusion_app.logic.escalation import LevelTally

T = LevelTally
PHI_30 = Fraction(3, 10)


def test_boins_own_example() -> None:
    # select.mtd(target = 0.3, npts = c(3, 3, 15, 9, 0), ntox = c(0, 0, 4, 4, 0)):
    # p = 0.05/3.1 = 0.0161, 0.0161, 4.05/15.1 = 0.2682, 4.05/9.1 = 0.4451, untreated.
    # Already non-decreasing; distances to 0.3: 0.284, 0.284, 0.032, 0.145 -> level 3.
    selection = select_dose([T(3, 0), T(3, 0), T(15, 4), T(9, 4), T(0, 0)], PHI_30)
    assert (selection.selected, selection.selected_largest_on_tie) == (2, 2)
    assert selection.estimates[4] is None and selection.eliminated == ()
    shown = [None if e is None else round(float(e), 4) for e in selection.estimates]
    assert shown == [0.0161, 0.0161, 0.2682, 0.4451, None]


def test_inverse_variance_weights_choose_otherwise_than_n_weights() -> None:
    # Level 1: 2/3, level 2: 0/6 (a violation), level 3: 3/6; φ = 0.30.
    #   p1 = 2.05/3.1 = 0.66129   a = 2.05, b = 1.05: var = 2.1525 / (3.1² · 4.1 = 39.401)
    #        = 0.054631, weight 18.3048
    #   p2 = 0.05/6.1 = 0.0081967 a = 0.05, b = 6.05: var = 0.3025 / (6.1² · 7.1 = 264.191)
    #        = 0.0011450, weight 873.359 (a rate near 0 is known precisely: 48 × level 1's)
    #   p3 = 3.05/6.1 = 0.5
    # Pooled by inverse variance: (18.3048 · 0.66129 + 873.359 · 0.0081967) / 891.664
    #   = (12.1048 + 7.1587) / 891.664 = 0.021604 for levels 1 and 2; distances to 0.3:
    #   0.2784, 0.2784, 0.2 -> level 3.
    # Pooled by n: (3 · 0.66129 + 6 · 0.0081967) / 9 = 0.225895; distances 0.0741, 0.0741,
    #   0.2 -> levels 1 and 2 tie below 0.3 -> the higher, level 2.
    tallies = [T(3, 2), T(6, 0), T(6, 3)]
    selection = select_dose(tallies, PHI_30)
    assert selection.selected == 2
    assert selection.eliminated == ()  # 2/3: 0.9163, 3/6: 0.8740, both <= 0.95
    pooled = selection.estimates[0]
    assert pooled is not None and pooled == selection.estimates[1]
    assert round(float(pooled), 6) == 0.021604
    assert selection.estimates[2] == Fraction(1, 2)
    # the n-weighted fit, by hand from the same raw estimates, would have chosen level 2
    p1, p2 = Fraction(205, 310), Fraction(5, 610)
    by_n = (3 * p1 + 6 * p2) / 9
    assert round(float(by_n), 6) == 0.225895
    assert abs(by_n - PHI_30) < abs(Fraction(1, 2) - PHI_30)


def test_equal_estimates_below_the_target_go_to_the_higher_level() -> None:
    # 0/3 and 0/3: both 0.05/3.1 = 0.0161, below 0.3 -> the higher (BOIN and the seed agree)
    selection = select_dose([T(3, 0), T(3, 0)], PHI_30)
    assert (selection.selected, selection.selected_largest_on_tie) == (1, 1)


def test_equal_estimates_above_the_target_go_to_the_lower_level() -> None:
    # 2/3 and 1/3: p = 0.6613 and 0.3387, a violation; a and b swap between them, so their
    # variances and weights are equal and the pool is (2.05 + 1.05)/(2 · 3.1) = 1/2 each:
    # above 0.3 -> BOIN takes the lower; the seed's "largest dose equal or closest" the higher.
    selection = select_dose([T(3, 2), T(3, 1)], PHI_30)
    assert selection.estimates == (Fraction(1, 2), Fraction(1, 2))
    assert (selection.selected, selection.selected_largest_on_tie) == (0, 1)


def test_equal_estimates_at_the_target_go_to_the_lower_level() -> None:
    # the same pool of 1/2 with a target of 1/2: distance 0 for both; BOIN's +1e-10·rank puts
    # the higher level above the target, so the lower is nearer
    selection = select_dose([T(3, 2), T(3, 1)], Fraction(1, 2))
    assert (selection.selected, selection.selected_largest_on_tie) == (0, 1)


def test_estimates_at_equal_distance_on_both_sides_go_to_the_lower_level() -> None:
    # target 1/2: 1/3 -> 1.05/3.1 = 21/62, 2/3 -> 2.05/3.1 = 41/62; both 10/62 from 31/62.
    # BOIN's nudge adds 1e-10 to the lower (nearer) and 2e-10 to the higher (further).
    selection = select_dose([T(3, 1), T(3, 2)], Fraction(1, 2))
    assert selection.estimates == (Fraction(21, 62), Fraction(41, 62))
    assert (selection.selected, selection.selected_largest_on_tie) == (0, 1)


def test_untreated_levels_between_treated_ones_are_skipped() -> None:
    # levels 1 and 3 treated: 0.0161 and 1.05/6.1 = 0.1721; 2 and 4 untreated -> level 3
    selection = select_dose([T(3, 0), T(0, 0), T(6, 1), T(0, 0)], PHI_30)
    assert selection.selected == 2
    assert selection.estimates[1] is None and selection.estimates[3] is None
    assert selection.estimates[2] == Fraction(105, 610)


def test_an_eliminated_level_is_never_selected_even_when_closest() -> None:
    # 14 of 30 at level 2 eliminates it (the table's 14 at n = 30: P = 0.9761 > 0.95), though
    # its estimate 14.05/30.1 = 0.4668 (0.167 from 0.3) is nearer than level 1's 0.05/30.1
    # = 0.0017 (0.298 away): level 1 is chosen.
    selection = select_dose([T(30, 0), T(30, 14)], PHI_30)
    assert selection.eliminated == (1,)
    assert selection.estimates[1] is None
    assert (selection.selected, selection.selected_largest_on_tie) == (0, 0)
    # with 13 DLTs (P = 0.9466) level 2 stays, and is the one chosen
    assert select_dose([T(30, 0), T(30, 13)], PHI_30).selected == 1


def test_the_lowest_level_eliminated_selects_nothing() -> None:
    selection = select_dose([T(3, 3), T(3, 0)], PHI_30)
    assert (selection.selected, selection.selected_largest_on_tie) == (None, None)
    assert selection.eliminated == (0, 1)
    assert selection.estimates == (None, None)


def test_no_treated_level_selects_nothing() -> None:
    assert select_dose([T(0, 0), T(0, 0)], PHI_30).selected is None
    # the only treated level eliminated, the lowest untreated
    only = select_dose([T(0, 0), T(3, 3)], PHI_30)
    assert (only.selected, only.eliminated) == (None, (1,))


def test_pool_adjacent_violators() -> None:
    half = Fraction(1, 2)
    assert pool_adjacent_violators([Fraction(3), Fraction(1)], [half, half]) == (2, 2)
    # 1, 3, 2 with weights 1, 1, 3: 3 and 2 pool to (3 + 6)/4 = 9/4
    got = pool_adjacent_violators([Fraction(1), Fraction(3), Fraction(2)], [1, 1, 3])
    assert got == (1, Fraction(9, 4), Fraction(9, 4))
    # a later violation pools back through an earlier block: 2, 2, 0 (equal weights) -> 4/3
    got = pool_adjacent_violators([Fraction(2), Fraction(2), Fraction(0)], [1, 1, 1])
    assert got == (Fraction(4, 3),) * 3


# --- properties -----------------------------------------------------------------------------


@st.composite
def trials(draw: st.DrawFn) -> list[LevelTally]:
    tallies = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        n = draw(st.integers(min_value=0, max_value=20))
        tallies.append(T(n, draw(st.integers(min_value=0, max_value=n))))
    return tallies


@settings(max_examples=300, deadline=None)
@given(trials(), st.integers(min_value=5, max_value=60).map(lambda h: Fraction(h, 100)))
def test_never_an_eliminated_or_untreated_level(
    tallies: list[LevelTally], target: Fraction
) -> None:
    selection = select_dose(tallies, target)
    assert selection.eliminated == eliminated_levels(tallies, target)
    admissible = [
        i for i, t in enumerate(tallies) if t.evaluable > 0 and i not in selection.eliminated
    ]
    for chosen in (selection.selected, selection.selected_largest_on_tie):
        if chosen is not None:
            assert chosen in admissible
    if selection.selected is None:
        assert selection.selected_largest_on_tie is None
        assert not admissible or selection.eliminated[:1] == (0,)
    else:
        assert selection.selected_largest_on_tie is not None
        assert selection.selected <= selection.selected_largest_on_tie
    fitted = [selection.estimates[i] for i in admissible]
    if selection.selected is not None:
        assert all(
            a is not None and b is not None and a <= b for a, b in itertools.pairwise(fitted)
        )
    assert all(selection.estimates[i] is None for i in range(len(tallies)) if i not in admissible)
