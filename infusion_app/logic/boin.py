"""BOIN (Liu & Yuan 2015) for ``msc-l-crc``: the boundaries, elimination and the next level.

φ1 = 0.6 φ and φ2 = 1.4 φ (BOIN's defaults), and

    λe = ln((1-φ1)/(1-φ)) / ln(φ(1-φ1) / (φ1(1-φ)))
    λd = ln((1-φ)/(1-φ2)) / ln(φ2(1-φ) / (φ(1-φ2)))

At the current level with n evaluable patients and y DLTs: escalate if y/n <= λe, de-escalate
if y/n > λd, else stay. A level and every higher one are eliminated when n >= 3 and
P(p > φ | y, n) > cutoff under a Beta(1, 1) prior.

Everything is decided in exact arithmetic: the target is a Fraction (read from its decimal
text), and since λe = ln A / ln B with A, B > 1 rational, y/n <= λe is the same as B^y <= A^n,
a comparison of whole numbers; likewise y/n > λd is D^y > C^n. A boundary therefore never
slips because n·λe came out as 1.9999999 in floating point; the λ values themselves are floats
only for display. P(p > φ | y, n) = P(Binomial(n+1, φ) <= y), an exact finite sum.

Where this differs from the R package BOIN (``get.boundary``, ``get.oc``, ``select.mtd``):
the table's elimination count is the smallest y that the rule eliminates, searched from 0 DLTs
(R's table searches from 1, which differs only where 0 DLTs already eliminate: a very low
target or cutoff, never at R's own target range 0.05-0.6 with cutoff 0.95); R's de-escalation
count ceiling(n·λd) equals floor(n·λd) + 1 here because n·λd is never a whole number for a
rational target, and is capped at the elimination count as R caps it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.escalation import (
    Decision,
    DecisionKind,
    LevelTally,
    check_level,
    dlt_count,
    percent,
)
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import MAX_DOSE_FINDING_PATIENTS

DEFAULT_CUTOFF = Fraction(95, 100)
MIN_FOR_ELIMINATION = 3  # patients treated at a level before it may be eliminated
SAFE_FACTOR = Fraction(3, 5)  # φ1 = 0.6 φ: below it the level is deemed subtherapeutic
TOXIC_FACTOR = Fraction(7, 5)  # φ2 = 1.4 φ: above it the level is deemed overly toxic
# φ2 = 1.4 φ must stay below 1 for λd to exist
MAX_TARGET = 1 / TOXIC_FACTOR


@dataclass(frozen=True)
class BoundaryRow:
    """One row of the decision table: with ``n`` evaluable patients at the level, escalate if
    its DLTs are at most ``escalate_if_dlt_le``, de-escalate if at least
    ``deescalate_if_dlt_ge``, eliminate it and every higher level if at least
    ``eliminate_if_dlt_ge`` (None where no count up to n does it)."""

    n: int
    escalate_if_dlt_le: int | None
    deescalate_if_dlt_ge: int | None
    eliminate_if_dlt_ge: int | None


@dataclass(frozen=True)
class BoinBoundaries:
    target: Fraction
    lambda_e: float
    lambda_d: float
    rows: tuple[BoundaryRow, ...]
    cutoff: Fraction = DEFAULT_CUTOFF


def check_target(target: Fraction, field: str = "target") -> Fraction:
    """The target DLT rate φ, if BOIN is defined for it: 0 < φ and 1.4 φ < 1 (φ < 5/7)."""
    if not 0 < target < MAX_TARGET:
        raise InputError(
            field,
            f"must be above 0 and below 5/7 (about 0.714, so that 1.4 × target < 1), got "
            f"{float(target):g}",
        )
    return target


def check_cutoff(cutoff: Fraction, field: str = "cutoff") -> Fraction:
    """The elimination cutoff: a probability strictly between 0 and 1."""
    if not 0 < cutoff < 1:
        raise InputError(field, f"must be above 0 and below 1, got {float(cutoff):g}")
    return cutoff


def _escalation_ratio(target: Fraction) -> tuple[Fraction, Fraction]:
    """(A, B) with λe = ln A / ln B, both > 1."""
    safe = SAFE_FACTOR * target
    return (1 - safe) / (1 - target), target * (1 - safe) / (safe * (1 - target))


def _deescalation_ratio(target: Fraction) -> tuple[Fraction, Fraction]:
    """(C, D) with λd = ln C / ln D, both > 1."""
    toxic = TOXIC_FACTOR * target
    return (1 - target) / (1 - toxic), toxic * (1 - target) / (target * (1 - toxic))


def lambdas(target: Fraction) -> tuple[float, float]:
    """(λe, λd) as floats, for display: decisions never use them (see the module's note)."""
    check_target(target)
    a, b = _escalation_ratio(target)
    c, d = _deescalation_ratio(target)
    return math.log(a) / math.log(b), math.log(c) / math.log(d)


def escalates(dlts: int, n: int, target: Fraction) -> bool:
    """y/n <= λe, exactly: B^y <= A^n (n >= 1)."""
    _check_counts(dlts, n)
    if n < 1:
        raise ValueError("BOIN decides on at least 1 evaluable patient")
    a, b = _escalation_ratio(check_target(target))
    return b**dlts <= a**n


def deescalates(dlts: int, n: int, target: Fraction) -> bool:
    """y/n > λd, exactly: D^y > C^n (n >= 1)."""
    _check_counts(dlts, n)
    if n < 1:
        raise ValueError("BOIN decides on at least 1 evaluable patient")
    c, d = _deescalation_ratio(check_target(target))
    return d**dlts > c**n


def elimination_probability(dlts: int, n: int, target: Fraction) -> Fraction:
    """P(p > φ | y DLTs in n) under a Beta(1, 1) prior, exactly.

    The posterior is Beta(y + 1, n - y + 1), and P(Beta(y+1, n-y+1) > φ) = P(Binomial(n+1, φ)
    <= y): the sum over k = 0..y of C(n+1, k) φ^k (1-φ)^(n+1-k), added as whole numbers over
    the one denominator b^(n+1) (φ = a/b).
    """
    _check_counts(dlts, n)
    check_target(target)
    *_, total = _cumulative_numerators(n, target, dlts)
    return Fraction(total, target.denominator ** (n + 1))


def _cumulative_numerators(n: int, target: Fraction, last: int) -> Iterator[int]:
    """b^(n+1) · P(Binomial(n+1, a/b) <= y) for y = 0..``last``, as whole numbers.

    Each term C(n+1, k) a^k (b-a)^(n+1-k) comes from the one before by × (n+1-k) a and an
    exact ÷ (k+1)(b-a), so no power is recomputed and no fraction is reduced on the way: a
    level of a thousand patients stays quick.
    """
    a, b = target.numerator, target.denominator
    trials = n + 1
    term = (b - a) ** trials
    total = term
    yield total
    for k in range(last):
        term = term * (trials - k) * a // ((k + 1) * (b - a))
        total += term
        yield total


def _check_counts(dlts: int, n: int) -> None:
    if not 0 <= dlts <= n:
        raise ValueError(f"need 0 <= DLTs <= patients, got {dlts} DLTs in {n}")


def boundaries(target: Fraction, max_n: int, cutoff: Fraction = DEFAULT_CUTOFF) -> BoinBoundaries:
    """The decision table for n = 1..``max_n`` (at most 100, the protocol's bound)."""
    check_target(target)
    check_cutoff(cutoff)
    if not 1 <= max_n <= MAX_DOSE_FINDING_PATIENTS:
        raise ValueError(f"max_n must be 1..{MAX_DOSE_FINDING_PATIENTS}, got {max_n}")
    lambda_e, lambda_d = lambdas(target)
    rows = []
    for n in range(1, max_n + 1):
        eliminate = _elimination_count(n, target, cutoff)
        deescalate = _deescalation_count(n, target, lambda_d)
        if eliminate is not None and deescalate is not None:
            deescalate = min(deescalate, eliminate)  # as R's get.boundary caps it
        rows.append(
            BoundaryRow(
                n=n,
                escalate_if_dlt_le=_escalation_count(n, target, lambda_e),
                deescalate_if_dlt_ge=deescalate,
                eliminate_if_dlt_ge=eliminate,
            )
        )
    return BoinBoundaries(
        target=target, lambda_e=lambda_e, lambda_d=lambda_d, rows=tuple(rows), cutoff=cutoff
    )


def _escalation_count(n: int, target: Fraction, lambda_e: float) -> int:
    """The largest y in 0..n with y/n <= λe: the float's floor(n·λe), corrected exactly."""
    y = min(max(math.floor(n * lambda_e), 0), n)
    while y < n and escalates(y + 1, n, target):
        y += 1
    while y > 0 and not escalates(y, n, target):
        y -= 1
    return y  # 0 always escalates: B^0 = 1 <= A^n


def _deescalation_count(n: int, target: Fraction, lambda_d: float) -> int | None:
    """The smallest y in 0..n with y/n > λd (floor(n·λd) + 1, corrected exactly), or None."""
    y = min(max(math.floor(n * lambda_d) + 1, 0), n + 1)
    while y > 0 and deescalates(y - 1, n, target):
        y -= 1
    while y <= n and not deescalates(y, n, target):
        y += 1
    return y if y <= n else None


def _elimination_count(n: int, target: Fraction, cutoff: Fraction) -> int | None:
    """The smallest y whose P(p > φ | y, n) exceeds the cutoff (n >= 3), or None."""
    if n < MIN_FOR_ELIMINATION:
        return None
    # total / b^(n+1) > p / q  <=>  total · q > p · b^(n+1)
    bound = cutoff.numerator * target.denominator ** (n + 1)
    for y, total in enumerate(_cumulative_numerators(n, target, n)):
        if total * cutoff.denominator > bound:
            return y
    return None


def is_eliminating(tally: LevelTally, target: Fraction, cutoff: Fraction) -> bool:
    """Whether this level's own data eliminates it (and every higher level)."""
    return (
        tally.evaluable >= MIN_FOR_ELIMINATION
        and elimination_probability(tally.dlts, tally.evaluable, target) > cutoff
    )


def eliminated_levels(
    tallies: Sequence[LevelTally], target: Fraction, cutoff: Fraction = DEFAULT_CUTOFF
) -> tuple[int, ...]:
    """The lowest level (0-based) whose data eliminates it, and every higher level; () if none.

    Higher levels go with it because toxicity is assumed to rise with the dose: a level more
    toxic than the target makes every level above it so too, whatever their own few patients
    showed.
    """
    check_target(target)
    check_cutoff(cutoff)
    for index, tally in enumerate(tallies):
        if is_eliminating(tally, target, cutoff):
            return tuple(range(index, len(tallies)))
    return ()


def boin_decision(
    tallies: Sequence[LevelTally],
    current: int,
    target: Fraction,
    cutoff: Fraction = DEFAULT_CUTOFF,
) -> Decision:
    """The BOIN decision at level ``current`` (0-based), which must have an evaluable patient.

    Elimination comes first: the lowest level eliminated stops the trial; the current level
    eliminated de-escalates to the highest level left below it. Otherwise the interval rule
    decides, except that it never escalates into an eliminated level or above the top, nor
    de-escalates below the lowest: those are "stay". So ``next_level`` is never eliminated.
    """
    check_level(len(tallies), current)
    tally = tallies[current]
    n, y = tally.evaluable, tally.dlts
    if n < 1:
        raise ValueError(f"BOIN decides at a level with evaluable patients; level {current} has 0")
    eliminated = eliminated_levels(tallies, target, cutoff)
    level = current + 1
    target_pct, cutoff_pct = percent(target, 1), percent(cutoff, 1)

    def decided(kind: DecisionKind, next_level: int | None, reason: Message) -> Decision:
        return Decision(
            kind=kind,
            level=current,
            next_level=next_level,
            eliminated=eliminated,
            mtd=None,
            complete=kind is DecisionKind.STOP,
            reason=reason,
        )

    if eliminated and eliminated[0] == 0:
        lowest = tallies[0]
        return decided(
            DecisionKind.STOP,
            None,
            m.boin_stop(
                dlts=dlt_count(lowest.dlts),
                evaluable=lowest.evaluable,
                level=1,
                target_pct=target_pct,
                cutoff_pct=cutoff_pct,
            ),
        )
    if current in eliminated:
        below = eliminated[0] - 1
        return decided(
            DecisionKind.DEESCALATE,
            below,
            m.boin_eliminated_deescalate(
                first=eliminated[0] + 1,
                target_pct=target_pct,
                cutoff_pct=cutoff_pct,
                level=level,
                next_level=below + 1,
            ),
        )
    dlts, rate_pct = dlt_count(y), percent(Fraction(y, n))
    top = len(tallies) - 1
    if escalates(y, n, target):
        if current == top:
            return decided(
                DecisionKind.STAY,
                current,
                m.boin_stay_top(dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level),
            )
        if current + 1 in eliminated:
            return decided(
                DecisionKind.STAY,
                current,
                m.boin_stay_next_eliminated(
                    dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level, blocked_level=level + 1
                ),
            )
        return decided(
            DecisionKind.ESCALATE,
            current + 1,
            m.boin_escalate(
                dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level, next_level=level + 1
            ),
        )
    if deescalates(y, n, target):
        if current == 0:
            return decided(
                DecisionKind.STAY,
                current,
                m.boin_stay_lowest(dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level),
            )
        return decided(
            DecisionKind.DEESCALATE,
            current - 1,
            m.boin_deescalate(
                dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level, next_level=level - 1
            ),
        )
    return decided(
        DecisionKind.STAY,
        current,
        m.boin_stay(dlts=dlts, evaluable=n, rate_pct=rate_pct, level=level),
    )
