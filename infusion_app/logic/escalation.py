"""What every dose-finding rule (3+3, BOIN) takes and gives: a level's DLT tally and a decision.

The rules are pure functions of these values, so the tracker (which folds them from the log),
the CLI calculators (which read them from outcome strings) and the tests share one set of
rules. Levels are 0-based indices in protocol order here; a decision's reason is a
:class:`~infusion_app.logic.messages.Message` whose level numbers are 1-based, as people count
them (the tracker may render them with the protocol's level ids).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from infusion_app.logic import messages as m
from infusion_app.logic.messages import Message


class DecisionKind(StrEnum):
    ESCALATE = "escalate"
    STAY = "stay"
    DEESCALATE = "de-escalate"
    EXPAND = "expand"
    STOP = "stop"


@dataclass(frozen=True)
class LevelTally:
    """One dose level's DLT data, as the rules see it.

    ``evaluable`` (n) counts the patients evaluable for DLT, ``dlts`` (y) the confirmed DLTs
    among them, ``pending`` the patients enrolled whose DLT window is still open. The tracker
    builds these from the log, so a tally that breaks the invariants is a bug, not input:
    ValueError.
    """

    evaluable: int
    dlts: int
    pending: int = 0

    def __post_init__(self) -> None:
        for name in ("evaluable", "dlts", "pending"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"LevelTally.{name} must be a whole number >= 0, got {value!r}")
        if self.dlts > self.evaluable:
            raise ValueError(
                f"LevelTally: {self.dlts} DLTs in {self.evaluable} evaluable patients: a DLT "
                "makes its patient evaluable, so DLTs cannot exceed the evaluable patients"
            )


@dataclass(frozen=True)
class Decision:
    """What a rule says at ``level`` (0-based) and why.

    ``next_level`` is the level for the next cohort (None once dose finding stops);
    ``eliminated`` the levels BOIN has eliminated (sorted; always () for 3+3); ``mtd`` the
    maximum tolerated level once 3+3 knows it (BOIN's optimal dose is chosen at the end by
    :func:`infusion_app.logic.dose_selection.select_dose`, so it is None there); ``complete``
    says dose finding is over (a stop, or the top level tolerated).
    """

    kind: DecisionKind
    level: int
    next_level: int | None
    eliminated: tuple[int, ...]
    mtd: int | None
    complete: bool
    reason: Message


def dlt_count(count: int) -> Message:
    """ "1 DLT", "0 DLTs", "2 DLTs": a count with its noun as a nested message, so each language
    says its own plural (Chinese has none) instead of the rule building words."""
    return m.dlts_one() if count == 1 else m.dlts_many(count=count)


def percent(value: Fraction, places: int = 0) -> Decimal:
    """``value`` as a percentage rounded half-up to ``places`` decimals, without a trailing
    ".0": 1/3 -> 33, 7/20 -> 35 (and 33.3 with ``places=1``). Messages carry Decimals."""
    scaled = value * 100 * 10**places
    whole = math.floor(scaled + Fraction(1, 2))  # half-up, exactly (values here are >= 0)
    shown = Decimal(whole).scaleb(-places)
    if shown == shown.to_integral_value():
        return shown.quantize(Decimal(1))
    return shown.normalize()


def check_level(tallies_count: int, current: int) -> None:
    """``current`` must name one of the levels: a wrong index is the caller's bug."""
    if tallies_count < 1:
        raise ValueError("a dose-finding rule needs at least one level")
    if isinstance(current, bool) or not 0 <= current < tallies_count:
        raise ValueError(f"current level {current!r} is not one of 0..{tallies_count - 1}")
