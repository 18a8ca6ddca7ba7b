"""The optimal dose at the end of BOIN dose finding (R package BOIN's ``select.mtd``), exactly.

On the admissible levels (treated, and not eliminated): estimate each DLT rate as
(y + 0.05)/(n + 0.1); make the estimates non-decreasing with dose by pool-adjacent-violators,
weighting each level by the inverse of the variance of Beta(y + 0.05, n - y + 0.05),

    var = a b / ((a + b)^2 (a + b + 1)),  a = y + 0.05,  b = n - y + 0.05,

not by n (a level whose rate is near 0 or 1 is known more precisely than its n says); then
choose the level whose estimate is closest to the target φ. All of it in Fractions, so a tie
is a tie and not a float's accident.

Ties. BOIN adds 1e-10 × (the level's rank) to each estimate before taking the closest, so
among levels at the same distance from φ: equal estimates below φ go to the higher level (its
nudged estimate is nearer φ), equal estimates at or above φ to the lower, and one estimate
below and one above φ to the one below (the lower level, since the estimates are monotone).
``selected`` applies that rule exactly. The seed's wording for ``msc-l-crc``, "the largest dose
that has an estimated risk of causing DLT equal or closest to the target", takes the highest
of the tied levels in every case: ``selected_largest_on_tie``. Where the two differ the
investigator is shown both and chooses, signed, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from infusion_app.logic.boin import DEFAULT_CUTOFF, check_target, eliminated_levels
from infusion_app.logic.escalation import LevelTally

PRIOR_DLT = Fraction(1, 20)  # the 0.05 added to y (and to n - y)
PRIOR_N = Fraction(1, 10)  # the 0.1 added to n


@dataclass(frozen=True)
class DoseSelection:
    """Levels are 0-based; ``estimates`` has one entry per level, None where the level was not
    used (untreated or eliminated)."""

    selected: int | None
    selected_largest_on_tie: int | None
    estimates: tuple[Fraction | None, ...]
    eliminated: tuple[int, ...]


def raw_estimate(tally: LevelTally) -> Fraction:
    """(y + 0.05)/(n + 0.1): the DLT rate with a little prior weight, defined at y = 0 or n."""
    return (tally.dlts + PRIOR_DLT) / (tally.evaluable + PRIOR_N)


def estimate_weight(tally: LevelTally) -> Fraction:
    """1 / var of Beta(y + 0.05, n - y + 0.05): the level's weight in pooling."""
    a = tally.dlts + PRIOR_DLT
    b = tally.evaluable - tally.dlts + PRIOR_DLT
    total = a + b
    return total * total * (total + 1) / (a * b)


def pool_adjacent_violators(
    values: Sequence[Fraction], weights: Sequence[Fraction]
) -> tuple[Fraction, ...]:
    """The weighted least-squares non-decreasing fit: wherever a value exceeds the next, the
    two (and whatever they were pooled with) are replaced by their weighted mean."""
    if len(values) != len(weights):
        raise ValueError("one weight per value")
    blocks: list[tuple[Fraction, Fraction, int]] = []  # (weighted sum, weight, members)
    for value, weight in zip(values, weights, strict=True):
        if weight <= 0:
            raise ValueError(f"weights must be positive, got {weight}")
        block = (value * weight, weight, 1)
        while blocks and blocks[-1][0] / blocks[-1][1] > block[0] / block[1]:
            total, mass, members = blocks.pop()
            block = (total + block[0], mass + block[1], members + block[2])
        blocks.append(block)
    fitted: list[Fraction] = []
    for total, mass, members in blocks:
        fitted.extend([total / mass] * members)
    return tuple(fitted)


def select_dose(
    tallies: Sequence[LevelTally], target: Fraction, cutoff: Fraction = DEFAULT_CUTOFF
) -> DoseSelection:
    """BOIN's optimal dose (0-based levels); both selections None when the lowest level is
    eliminated or no level is admissible."""
    check_target(target)
    eliminated = eliminated_levels(tallies, target, cutoff)
    admissible = [
        index
        for index, tally in enumerate(tallies)
        if tally.evaluable > 0 and index not in eliminated
    ]
    estimates: list[Fraction | None] = [None] * len(tallies)
    if not admissible or (eliminated and eliminated[0] == 0):
        return DoseSelection(None, None, tuple(estimates), eliminated)
    fitted = pool_adjacent_violators(
        [raw_estimate(tallies[i]) for i in admissible],
        [estimate_weight(tallies[i]) for i in admissible],
    )
    for index, value in zip(admissible, fitted, strict=True):
        estimates[index] = value
    distance = {index: abs(value - target) for index, value in zip(admissible, fitted, strict=True)}
    closest = min(distance.values())
    tied = [index for index in admissible if distance[index] == closest]
    below = [index for index in tied if fitted[admissible.index(index)] < target]
    selected = max(below) if below else min(tied)
    return DoseSelection(selected, max(tied), tuple(estimates), eliminated)
