"""Haematological response (``ucmsc-cart-cytopenia``, seed 004; issue 16).

The seed's words: CR is Hb >= 100 g/L, ANC >= 1.5 and PLT >= 100 ×10^9/L; PR is any one of
ANC >= baseline + 0.5, PLT >= baseline + 10, Hb >= baseline + 15 g/L; each "in two consecutive
tests (an interval of >= 48 hours)" with "no red blood cell/platelet transfusion for at least
7 days"; counted at weeks 4 and 8. How each phrase is read (issue 16):

- **Baseline**: each lineage's last value before the first infusion. A sample drawn at the
  very time of the first infusion is the pre-dose sample: it is baseline, and only tests drawn
  after the first infusion can respond. A lineage without a baseline has no PR criterion.
- **Two consecutive tests**: a qualifying test and a later qualifying test at least
  ``pair_gap`` (48 h; exactly 48 h counts) after it, every test drawn between them also
  qualifying; a qualifying test less than 48 h later neither confirms nor breaks the pair, a
  failing one breaks it. A test that lacks a criterion's value (no Hb measured) is no test of
  that criterion: it neither qualifies nor breaks (for CR it must hold all three).
- **7 days without transfusion**: no red-cell or platelet transfusion in the window from
  ``transfusion_free`` (7 × 24 h) before the first test of the pair through the second test:
  a transfusion exactly 7 days before counts as free, one at the second test's time voids.
  Any such transfusion voids every lineage (the summary's literal reading);
  ``lineage_specific_transfusions`` is the protocol option where red cells void only Hb (and
  CR), platelets only PLT (and CR), and nothing voids ANC.
- **Achieved** at the first test of the earliest valid pair; **confirmed** at its second test
  (the earliest one that makes it valid: a later one could only see more transfusions).
- **Ongoing / duration**: a response lasts until the first later test that no longer meets
  its criterion, or the first relevant transfusion after confirmation (an event, ended at
  that time); else it is censored at the criterion's last test, at most first infusion +
  ``follow_up``. Only what happens within the follow-up counts (pairs and events after it
  are not looked at). A CR's duration ends when any lineage drops below its CR limit, while
  the patient may stay in PR on a lineage's own criterion.
- **After a loss**: a lineage may respond again with a new valid pair whose first test comes
  after the end; the week status says whether a response is ongoing on that day, so a
  re-confirmed response counts there. ``achieved``, the time to response and the duration are
  the first response's.
- **Week W status** (W in ``weeks``, 4 and 8): assessed on the local day (``zone``) last
  infusion + 7W days from the tests and transfusions up to the end of that day only (so a
  later test never changes it): CR if a confirmed CR is ongoing, else PR if some lineage's
  confirmed PR is ongoing, else none; ``best`` is the best confirmed by that day, even if lost.
- **Time to response**: calendar days in ``zone`` from the first infusion's day to the
  achieved day; a duration's days likewise, from the achieved day to its end's day.
- With ``at``, only tests drawn and transfusions given up to ``at`` count: the record as it
  stood then. A week day after ``at`` is assessed on what is known and marked provisional.

Exact throughout: values and limits are ``Decimal`` (0.2 + 0.5 is 0.7, not 0.69999...).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from enum import StrEnum

from infusion_app.logic.errors import InputError
from infusion_app.logic.labs import LabTest, Lineage, Transfusion, TransfusionKind

RESPONSE_LINEAGES: tuple[Lineage, ...] = (Lineage.HB, Lineage.ANC, Lineage.PLT)
CRITERIA_KEYS: tuple[str, ...] = ("hb", "anc", "plt", "cr")


@dataclass(frozen=True)
class ResponseCriteria:
    """The limits and windows; the defaults are seed 004's adult reading (the protocol file
    may give others, e.g. the age-adjusted Hb limit for a child)."""

    cr_hb: Decimal = Decimal(100)
    cr_anc: Decimal = Decimal("1.5")
    cr_plt: Decimal = Decimal(100)
    pr_hb_rise: Decimal = Decimal(15)
    pr_anc_rise: Decimal = Decimal("0.5")
    pr_plt_rise: Decimal = Decimal(10)
    pair_gap: timedelta = timedelta(hours=48)
    transfusion_free: timedelta = timedelta(days=7)
    lineage_specific_transfusions: bool = False
    follow_up: timedelta = timedelta(weeks=24)
    weeks: tuple[int, ...] = (4, 8)

    def voiding_kinds(self, key: str) -> frozenset[TransfusionKind]:
        """The transfusions that void (and end) the response of criterion ``key``."""
        every = frozenset(TransfusionKind)
        if not self.lineage_specific_transfusions:
            return every
        return {
            "hb": frozenset({TransfusionKind.RBC}),
            "plt": frozenset({TransfusionKind.PLATELETS}),
            "anc": frozenset(),
            "cr": every,
        }[key]


class Response(StrEnum):
    CR = "CR"
    PR = "PR"
    NONE = "none"


@dataclass(frozen=True)
class WeekStatus:
    """The status on ``day`` (last infusion + 7 × ``week`` days) and the best up to it;
    ``provisional`` when ``at`` was before that day ended (more tests may come)."""

    week: int
    day: date
    status: Response
    best: Response
    provisional: bool = False


@dataclass(frozen=True)
class Duration:
    """A response's duration: ``event`` True when it ended (a falling value or a
    transfusion), False when censored; all None when there was no response."""

    start: datetime | None
    end: datetime | None
    days: int | None
    event: bool | None


NO_DURATION = Duration(start=None, end=None, days=None, event=None)


@dataclass(frozen=True)
class HaemResponse:
    """The response of one patient.

    ``duration`` is the overall response's: the CR's when a CR was achieved, else that of the
    earliest achieved lineage PR (a tie taken in the order hb, anc, plt). ``durations`` has
    each criterion's ("hb", "anc", "plt", "cr"), ``confirmed`` the second test of each
    earliest valid pair, ``best`` the best response confirmed at all.
    """

    baseline: dict[Lineage, Decimal | None]
    weeks: tuple[WeekStatus, ...]
    achieved: dict[str, datetime | None]
    time_to_response_days: dict[str, int | None]
    duration: Duration
    durations: dict[str, Duration] = field(default_factory=dict)
    confirmed: dict[str, datetime | None] = field(default_factory=dict)
    best: Response = Response.NONE

    def week(self, week: int) -> WeekStatus | None:
        for status in self.weeks:
            if status.week == week:
                return status
        return None


@dataclass(frozen=True)
class _Episode:
    start: datetime  # first test of the pair: the response is achieved here
    confirmed: datetime  # second test of the pair
    end: datetime  # the event, or the censoring time
    event: bool


Qualifies = Callable[[LabTest], bool | None]  # None: the test cannot be judged (no value)


def _criteria_tests(
    baseline: dict[Lineage, Decimal | None], criteria: ResponseCriteria
) -> dict[str, Qualifies]:
    """For each criterion key, whether a test meets it (None when a needed value is absent)."""

    def rise(lineage: Lineage, amount: Decimal) -> Qualifies:
        base = baseline[lineage]

        def check(test: LabTest) -> bool | None:
            value = test.value(lineage)
            if value is None or base is None:
                return None
            return value >= base + amount

        return check

    def complete(test: LabTest) -> bool | None:
        if test.hb is None or test.anc is None or test.plt is None:
            return None
        return (
            test.hb >= criteria.cr_hb
            and test.anc >= criteria.cr_anc
            and (test.plt >= criteria.cr_plt)
        )

    return {
        "hb": rise(Lineage.HB, criteria.pr_hb_rise),
        "anc": rise(Lineage.ANC, criteria.pr_anc_rise),
        "plt": rise(Lineage.PLT, criteria.pr_plt_rise),
        "cr": complete,
    }


def _episodes(
    points: Sequence[tuple[datetime, bool]],
    transfusions: Sequence[datetime],
    *,
    criteria: ResponseCriteria,
    follow_up_end: datetime,
) -> list[_Episode]:
    """Every response of one criterion, in time order, from its judged tests (time, met) in
    time order (all after the first infusion) and the times of the transfusions that void it.
    """
    times = [moment for moment, _ in points]
    met = [ok for _, ok in points]
    n = len(points)
    last_test = min(times[-1], follow_up_end) if times else follow_up_end
    # next_fail[i]: index of the first failing test at or after i (n: none)
    next_fail = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        next_fail[i] = i if not met[i] else next_fail[i + 1]
    within = bisect_right(times, follow_up_end)  # pairs and events only within follow-up
    found: list[_Episode] = []
    i = 0
    while i < within:
        if not met[i]:
            i += 1
            continue
        j = bisect_left(times, times[i] + criteria.pair_gap, lo=i + 1)
        if j >= within:
            break  # no later test is far enough after this one, nor after any later one
        if next_fail[i] <= j:
            i = next_fail[i] + 1  # every start before the failing test is broken by it
            continue
        first_free = bisect_right(transfusions, times[i] - criteria.transfusion_free)
        if first_free < len(transfusions) and transfusions[first_free] <= times[j]:
            i += 1  # voided; a later first test may leave the transfusion 7 days behind
            continue
        ends: list[datetime] = []
        if next_fail[j] < within:
            ends.append(times[next_fail[j]])
        after = bisect_right(transfusions, times[j])
        if after < len(transfusions) and transfusions[after] <= follow_up_end:
            ends.append(transfusions[after])
        if not ends:
            found.append(_Episode(times[i], times[j], last_test, event=False))
            break
        end = min(ends)
        found.append(_Episode(times[i], times[j], end, event=True))
        i = bisect_right(times, end)  # a new response starts after this one ended
    return found


@dataclass(frozen=True)
class _Assessment:
    episodes: dict[str, list[_Episode]]

    def ongoing(self, key: str) -> bool:
        runs = self.episodes[key]
        return bool(runs) and not runs[-1].event

    def status(self) -> Response:
        if self.ongoing("cr"):
            return Response.CR
        if any(self.ongoing(lineage.value) for lineage in RESPONSE_LINEAGES):
            return Response.PR
        return Response.NONE

    def best(self) -> Response:
        if self.episodes["cr"]:
            return Response.CR
        if any(self.episodes[lineage.value] for lineage in RESPONSE_LINEAGES):
            return Response.PR
        return Response.NONE


def _assess(
    tests: Sequence[LabTest],
    transfusions: Sequence[Transfusion],
    baseline: dict[Lineage, Decimal | None],
    *,
    criteria: ResponseCriteria,
    follow_up_end: datetime,
) -> _Assessment:
    """Every criterion's responses from the on-treatment tests and the transfusions given."""
    episodes: dict[str, list[_Episode]] = {}
    for key, qualifies in _criteria_tests(baseline, criteria).items():
        points: list[tuple[datetime, bool]] = []
        for test in tests:
            met = qualifies(test)
            if met is not None:
                points.append((test.drawn_at, met))
        kinds = criteria.voiding_kinds(key)
        voiding = sorted(t.given_at for t in transfusions if t.kind in kinds)
        episodes[key] = _episodes(points, voiding, criteria=criteria, follow_up_end=follow_up_end)
    return _Assessment(episodes)


def _local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def _end_of_day(day: date, zone: tzinfo) -> datetime:
    """The first instant after ``day`` in ``zone`` (its next local midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def _aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def haematological_response(
    tests: Sequence[LabTest],
    transfusions: Sequence[Transfusion],
    *,
    first_infusion: datetime,
    last_infusion: datetime,
    zone: tzinfo,
    criteria: ResponseCriteria = ResponseCriteria(),
    at: datetime | None = None,
) -> HaemResponse:
    """The haematological response of one patient by the rules in this module's docstring.

    ``tests`` and ``transfusions`` may come in any order; times must be timezone-aware.
    A last infusion before the first is an InputError (``last_infusion``).
    """
    _aware("first_infusion", first_infusion)
    _aware("last_infusion", last_infusion)
    if at is not None:
        _aware("at", at)
    if last_infusion < first_infusion:
        raise InputError("last_infusion", "is before the first infusion")
    for test in tests:
        _aware("drawn_at", test.drawn_at)
    for transfusion in transfusions:
        _aware("given_at", transfusion.given_at)
    known = sorted((t for t in tests if at is None or t.drawn_at <= at), key=lambda t: t.drawn_at)
    given = sorted(
        (t for t in transfusions if at is None or t.given_at <= at), key=lambda t: t.given_at
    )
    baseline: dict[Lineage, Decimal | None] = {}
    for lineage in RESPONSE_LINEAGES:
        before = [
            t.value(lineage)
            for t in known
            if t.drawn_at <= first_infusion and t.value(lineage) is not None
        ]
        baseline[lineage] = before[-1] if before else None
    treated = [t for t in known if t.drawn_at > first_infusion]
    follow_up_end = first_infusion + criteria.follow_up

    def assess(until: datetime | None) -> _Assessment:
        return _assess(
            [t for t in treated if until is None or t.drawn_at < until],
            [t for t in given if until is None or t.given_at < until],
            baseline,
            criteria=criteria,
            follow_up_end=follow_up_end,
        )

    whole = assess(None)
    last_day = _local_day(last_infusion, zone)
    weeks: list[WeekStatus] = []
    for week in criteria.weeks:
        day = last_day + timedelta(days=7 * week)
        cutoff = _end_of_day(day, zone)
        seen = assess(cutoff)
        weeks.append(
            WeekStatus(
                week=week,
                day=day,
                status=seen.status(),
                best=seen.best(),
                provisional=at is not None and at < cutoff,
            )
        )
    start_day = _local_day(first_infusion, zone)
    achieved: dict[str, datetime | None] = {}
    confirmed: dict[str, datetime | None] = {}
    days: dict[str, int | None] = {}
    durations: dict[str, Duration] = {}
    for key in CRITERIA_KEYS:
        runs = whole.episodes[key]
        first = runs[0] if runs else None
        achieved[key] = first.start if first else None
        confirmed[key] = first.confirmed if first else None
        days[key] = (_local_day(first.start, zone) - start_day).days if first else None
        durations[key] = (
            Duration(
                start=first.start,
                end=first.end,
                days=(_local_day(first.end, zone) - _local_day(first.start, zone)).days,
                event=first.event,
            )
            if first
            else NO_DURATION
        )
    overall = _overall_key(achieved)
    return HaemResponse(
        baseline=baseline,
        weeks=tuple(weeks),
        achieved=achieved,
        time_to_response_days=days,
        duration=durations[overall] if overall else NO_DURATION,
        durations=durations,
        confirmed=confirmed,
        best=whole.best(),
    )


def _overall_key(achieved: dict[str, datetime | None]) -> str | None:
    """The response whose duration is the patient's: CR if achieved, else the earliest PR."""
    if achieved["cr"] is not None:
        return "cr"
    lineages = [
        (moment, order, lineage.value)
        for order, lineage in enumerate(RESPONSE_LINEAGES)
        if (moment := achieved[lineage.value]) is not None
    ]
    return min(lineages)[2] if lineages else None
