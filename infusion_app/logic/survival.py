"""Progression-free and overall survival (``msc-l-crc``; issue 16): the times, and a
Kaplan-Meier estimate written by hand so the app needs no statistics package.

- Survival S(t) is exact (``Fraction``): the product of (1 - d/n) over the event times <= t.
  At a tied time events come before censorings (a patient censored at t was at risk at t).
- The confidence interval is the log-log one with Greenwood's variance, as R's
  ``survfit(conf.type = "log-log")`` gives it: with v = sum d / (n (n - d)) and
  z the normal quantile, lower = S^exp(-z sqrt(v) / log S), upper = S^exp(z sqrt(v) / log S).
  It is a float (a square root and logarithms) and None where S is 0 or 1, where it is
  not defined.
- The median is the smallest time with S(t) <= 1/2; when S sits exactly at 1/2 on a plateau,
  the midpoint between that time and the next event time, or the last observed time when no
  event follows (R's ``quantile.survfit``); None when S never reaches 1/2. Its interval is
  read off the interval's curves the way R's ``quantile.survfit`` does: the lower limit is
  the first time the *lower* curve is <= 1/2 (it falls first), the upper limit the first
  time the *upper* curve is; None where not reached (or where the curve is undefined, as R
  skips its NAs). The other pairing would put the lower limit after the median.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from statistics import NormalDist

from infusion_app.logic.errors import InputError


@dataclass(frozen=True)
class SurvivalTime:
    """Days from the first dose; ``event`` True for progression or death, False censored."""

    days: int
    event: bool


@dataclass(frozen=True)
class KmStep:
    """The curve at one observed time (an event or a censoring): S just after it."""

    time: int
    at_risk: int
    events: int
    censored: int
    survival: Fraction
    lower: float | None
    upper: float | None


@dataclass(frozen=True)
class KaplanMeier:
    n: int
    events: int
    steps: tuple[KmStep, ...]
    median: Fraction | None
    median_lower: Fraction | None
    median_upper: Fraction | None

    def survival_at(self, t: int) -> Fraction:
        """S(t): right-continuous, 1 before the first event."""
        survival = Fraction(1)
        for step in self.steps:
            if step.time > t:
                break
            survival = step.survival
        return survival


HALF = Fraction(1, 2)


def kaplan_meier(
    times: Sequence[SurvivalTime], confidence: Fraction = Fraction(95, 100)
) -> KaplanMeier:
    """The Kaplan-Meier estimate of ``times`` (see the module's docstring for each rule)."""
    if not 0 < confidence < 1:
        raise InputError("confidence", f"must be between 0 and 1, got {confidence}")
    for time in times:
        if time.days < 0:
            raise InputError("days", f"must be 0 or more, got {time.days}")
    z = NormalDist().inv_cdf(float(1 - (1 - confidence) / 2))
    at_risk = len(times)
    survival = Fraction(1)
    greenwood = 0.0  # sum of d / (n (n - d)) over the event times so far
    steps: list[KmStep] = []
    events_at = Counter(time.days for time in times if time.event)
    censored_at = Counter(time.days for time in times if not time.event)
    for moment in sorted(events_at.keys() | censored_at.keys()):
        events, censored = events_at[moment], censored_at[moment]
        if events:
            survival *= 1 - Fraction(events, at_risk)
            if events < at_risk:
                greenwood += events / (at_risk * (at_risk - events))
        lower = upper = None
        if 0 < survival < 1:
            spread = z * math.sqrt(greenwood) / math.log(survival)
            lower, upper = float(survival) ** math.exp(-spread), float(survival) ** math.exp(spread)
        steps.append(KmStep(moment, at_risk, events, censored, survival, lower, upper))
        at_risk -= events + censored
    last = steps[-1].time if steps else 0
    return KaplanMeier(
        n=len(times),
        events=sum(1 for time in times if time.event),
        steps=tuple(steps),
        median=_median(steps, last),
        median_lower=_first_at_or_below_half([(s.time, s.lower) for s in steps]),
        median_upper=_first_at_or_below_half([(s.time, s.upper) for s in steps]),
    )


def _median(steps: Sequence[KmStep], last: int) -> Fraction | None:
    for index, step in enumerate(steps):
        if step.survival < HALF:
            return Fraction(step.time)
        if step.survival == HALF:
            later = [s.time for s in steps[index + 1 :] if s.events]
            return Fraction(step.time + (later[0] if later else last), 2)
    return None


def _first_at_or_below_half(curve: Sequence[tuple[int, float | None]]) -> Fraction | None:
    """The first time a confidence curve (None where undefined) is at or below 1/2."""
    for time, value in curve:
        if value is not None and value <= 0.5:
            return Fraction(time)
    return None


def _days(field: str, first_dose: date, when: date) -> int:
    days = (when - first_dose).days
    if days < 0:
        raise InputError(field, f"{when.isoformat()} is before the first dose")
    return days


def pfs_time(
    first_dose: date, *, progression: date | None, death: date | None, last_assessment: date | None
) -> SurvivalTime | None:
    """Progression-free survival: days from the first dose to progression or death,
    whichever came first (an event); else censored at the last adequate tumour assessment;
    None when none of them is known (the patient is not in the PFS analysis yet)."""
    events = [
        _days(name, first_dose, when)
        for name, when in (("progression", progression), ("death", death))
        if when is not None
    ]
    if events:
        return SurvivalTime(min(events), event=True)
    if last_assessment is not None:
        return SurvivalTime(_days("last_assessment", first_dose, last_assessment), event=False)
    return None


def os_time(
    first_dose: date, *, death: date | None, last_contact: date | None
) -> SurvivalTime | None:
    """Overall survival: days from the first dose to death (an event); else censored at the
    last contact; None when neither is known."""
    if death is not None:
        return SurvivalTime(_days("death", first_dose, death), event=True)
    if last_contact is not None:
        return SurvivalTime(_days("last_contact", first_dose, last_contact), event=False)
    return None
