"""The trial summary (issue 16): what a protocol's patients add up to, per level and overall.

Pure: the service folds each enrolled patient's course into a :class:`SummaryPatient` (one
read, see :mod:`infusion_app.services.trial_summary`) and this module counts. Every count is a
whole number and every rate a :class:`Rate` (count over a denominator, exact as a
``Fraction``), so a printed 33.3 % can always be traced back to 1 of 3 patients.

How each number is read:

- **Level**: the level the patient was enrolled at (where the dose finding counts them), even
  if a later infusion was given at another; "all" sums every level.
- **Infusions planned against given**: planned is the patient's treatment plan (the level's
  fixed count, or for an open-ended schedule the infusions the plan shows now: each recorded,
  the minimum, and the next); given is the infusions begun.
- **DLT**: evaluable and DLT as the dose-finding tracker says at the data cut (a confirmed DLT;
  or the window closed with none confirmed and none awaiting review). The rate is patients
  with a confirmed DLT over evaluable patients.
- **Adverse events**: every AE of the patient's stream and of their infusions. A patient
  counts once per row ("any AE", "grade >= 3", "serious"). The treatment-related table (an
  attribution of possible, probable or definite) counts, per CTCAE term (the "other" term's
  own words), each patient once at their worst grade of that term.
- **Haematological response** (a protocol with ``outcomes.haematological_response``): at each
  assessment week, CR, PR (a PR without a CR) and OR = CR + PR over the treated patients
  whose status that week is final: a week not yet reached at the data cut, or counted from a
  last infusion not known yet, is *pending*, not "no response" (it could still be either).
- **Median time to response** per lineage (hb, anc, plt, and cr): over the patients who
  achieved it, the middle value of their days; with an even count the midpoint of the two
  middle values (the usual median; 2, 3, 5, 8 gives 4). None when nobody achieved it.
- **Duration of response**: the responders' durations (the overall response's: the CR's, else
  the first lineage PR's) as Kaplan-Meier times, ended (an event) or censored; the median is
  the Kaplan-Meier one (:mod:`.survival`), since half the durations may still be running.
- **Tumour response** (a protocol with ``outcomes.tumour_response``): DCR is
  :func:`.tumour.disease_control` (CR, PR or SD over patients with an assessment); PFS and OS
  the Kaplan-Meier estimates of the patients with a time (:func:`.survival.kaplan_meier`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from infusion_app.logic import messages as m
from infusion_app.logic.dose_finding import DltStatus
from infusion_app.logic.haem_response import CRITERIA_KEYS, HaemResponse, Response
from infusion_app.logic.survival import KaplanMeier, SurvivalTime, kaplan_meier
from infusion_app.logic.tumour import OverallResponse, disease_control

ALL_LEVELS = "all"  # the level id of the whole trial's row
HIGH_GRADE = 3  # "grade >= 3": severe or worse (CTCAE)
MAX_GRADE = 5


@dataclass(frozen=True)
class SummaryAe:
    """One adverse event as the summary counts it."""

    term: str  # the CTCAE term, or the "other" term's own words
    grade: int
    related: bool  # attribution possible, probable or definite
    serious: bool


@dataclass(frozen=True)
class SummaryPatient:
    """What the summary needs of one enrolled patient, folded from their course at the cut."""

    trial_id: str
    level: str
    treated: bool
    planned: int
    given: int
    dlt_status: DltStatus
    adverse_events: tuple[SummaryAe, ...] = ()
    response: HaemResponse | None = None
    response_final: bool = True  # False while the course's last infusion is not known
    best_response: OverallResponse | None = None
    pfs: SurvivalTime | None = None
    os: SurvivalTime | None = None


@dataclass(frozen=True)
class Rate:
    """``count`` of ``of``; ``value`` is exact, None when nobody is in the denominator."""

    count: int
    of: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.count, self.of) if self.of else None


@dataclass(frozen=True)
class TermRow:
    """A treatment-related term: patients with it, and how many had each worst grade."""

    term: str
    patients: int
    by_worst_grade: tuple[int, ...]  # patients whose worst grade of the term is 1 .. 5

    @property
    def worst_grade(self) -> int:
        return max(g for g, n in enumerate(self.by_worst_grade, start=1) if n)


@dataclass(frozen=True)
class Safety:
    enrolled: int
    treated: int
    infusions_planned: int
    infusions_given: int
    evaluable: int
    dlt: Rate  # patients with a confirmed DLT over evaluable patients
    any_ae: int
    grade_3_or_more: int
    serious: int
    related: tuple[TermRow, ...]  # most patients first, then by term


@dataclass(frozen=True)
class WeekCounts:
    """The response status at one assessment week."""

    week: int
    assessed: int  # treated patients whose status that week is final
    pending: int  # treated patients whose week is not reached (or not final) at the cut
    cr: Rate
    pr: Rate
    overall: Rate  # CR + PR


@dataclass(frozen=True)
class MedianDays:
    achieved: int
    median: Fraction | None


@dataclass(frozen=True)
class ResponseDuration:
    responders: int
    events: int
    censored: int
    km: KaplanMeier  # days from the achieved day; its median is the median duration


@dataclass(frozen=True)
class HaemSummary:
    treated: int  # treated patients with a response computed
    weeks: tuple[WeekCounts, ...]
    time_to_response: dict[str, MedianDays]  # "hb", "anc", "plt", "cr"
    duration: ResponseDuration


@dataclass(frozen=True)
class TumourSummary:
    dcr: Rate
    pfs: KaplanMeier
    os: KaplanMeier


@dataclass(frozen=True)
class GroupSummary:
    """The numbers of one level (or ``ALL_LEVELS``)."""

    level: str
    safety: Safety
    haem: HaemSummary | None  # the cytopenia trial's
    tumour: TumourSummary | None  # the colorectal trial's


@dataclass(frozen=True)
class SummaryNumbers:
    levels: tuple[GroupSummary, ...]  # in protocol order
    overall: GroupSummary

    @property
    def groups(self) -> tuple[GroupSummary, ...]:
        return (*self.levels, self.overall)


def summarise(
    levels: Sequence[str],
    patients: Iterable[SummaryPatient],
    *,
    haematological: bool,
    tumour: bool,
    weeks: Sequence[int] = (4, 8),
) -> SummaryNumbers:
    """The numbers of each level in ``levels`` (protocol order) and of all of them.

    A patient at a level not in ``levels`` (a level removed from a later protocol file) is
    given a row of its own after them, so nobody drops out of the totals."""
    everyone = tuple(patients)
    known = list(levels)
    known += sorted({p.level for p in everyone} - set(known))

    def group(level: str, members: Sequence[SummaryPatient]) -> GroupSummary:
        return GroupSummary(
            level=level,
            safety=safety(members),
            haem=haem_summary(members, weeks) if haematological else None,
            tumour=tumour_summary(members) if tumour else None,
        )

    return SummaryNumbers(
        levels=tuple(group(lv, [p for p in everyone if p.level == lv]) for lv in known),
        overall=group(ALL_LEVELS, everyone),
    )


def safety(patients: Sequence[SummaryPatient]) -> Safety:
    statuses = [p.dlt_status for p in patients]
    evaluable = sum(s in (DltStatus.DLT, DltStatus.NO_DLT) for s in statuses)
    return Safety(
        enrolled=len(patients),
        treated=sum(p.treated for p in patients),
        infusions_planned=sum(p.planned for p in patients),
        infusions_given=sum(p.given for p in patients),
        evaluable=evaluable,
        dlt=Rate(statuses.count(DltStatus.DLT), evaluable),
        any_ae=sum(bool(p.adverse_events) for p in patients),
        grade_3_or_more=sum(
            any(ae.grade >= HIGH_GRADE for ae in p.adverse_events) for p in patients
        ),
        serious=sum(any(ae.serious for ae in p.adverse_events) for p in patients),
        related=related_terms(patients),
    )


def related_terms(patients: Sequence[SummaryPatient]) -> tuple[TermRow, ...]:
    """Per treatment-related term, each patient once at their worst grade of it."""
    worst: dict[str, dict[str, int]] = {}  # term -> patient -> worst grade
    for patient in patients:
        for ae in patient.adverse_events:
            if ae.related:
                seen = worst.setdefault(ae.term, {})
                seen[patient.trial_id] = max(seen.get(patient.trial_id, 0), ae.grade)
    rows = [
        TermRow(
            term=term,
            patients=len(grades),
            by_worst_grade=tuple(
                sum(1 for g in grades.values() if g == grade) for grade in range(1, MAX_GRADE + 1)
            ),
        )
        for term, grades in worst.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.patients, r.term)))


def median(values: Iterable[int]) -> Fraction | None:
    """The middle value; with an even count the midpoint of the two middle ones (exact)."""
    ordered = sorted(values)
    if not ordered:
        return None
    half = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[half])
    return Fraction(ordered[half - 1] + ordered[half], 2)


def haem_summary(patients: Sequence[SummaryPatient], weeks: Sequence[int]) -> HaemSummary:
    with_response = [
        (p.response, p.response_final) for p in patients if p.treated and p.response is not None
    ]
    rows = []
    for week in weeks:
        final: list[Response] = []
        pending = 0
        for response, course_final in with_response:
            status = response.week(week)
            if status is None or status.provisional or not course_final:
                pending += 1
            else:
                final.append(status.status)
        cr, pr = final.count(Response.CR), final.count(Response.PR)
        n = len(final)
        rows.append(WeekCounts(week, n, pending, Rate(cr, n), Rate(pr, n), Rate(cr + pr, n)))
    times = {
        key: [
            days
            for response, _ in with_response
            if (days := response.time_to_response_days.get(key)) is not None
        ]
        for key in CRITERIA_KEYS
    }
    durations = [
        SurvivalTime(r.duration.days, bool(r.duration.event))
        for r, _ in with_response
        if r.duration.days is not None
    ]
    km = kaplan_meier(durations)
    return HaemSummary(
        treated=len(with_response),
        weeks=tuple(rows),
        time_to_response={k: MedianDays(len(v), median(v)) for k, v in times.items()},
        duration=ResponseDuration(
            responders=len(durations),
            events=km.events,
            censored=len(durations) - km.events,
            km=km,
        ),
    )


def tumour_summary(patients: Sequence[SummaryPatient]) -> TumourSummary:
    controlled, assessed = disease_control([p.best_response for p in patients])
    return TumourSummary(
        dcr=Rate(controlled, assessed),
        pfs=kaplan_meier([p.pfs for p in patients if p.pfs is not None]),
        os=kaplan_meier([p.os for p in patients if p.os is not None]),
    )


# --- the outcome lines ------------------------------------------------------------------------


def percent(rate: Rate) -> Decimal | None:
    """The rate in percent to one decimal place, halves rounded up (1/3 -> 33.3, 1/8 ->
    12.5, 1/16 -> 6.3), exactly: no binary float on the way."""
    value = rate.value
    return None if value is None else rounded(value * 100, 1)


def rounded(value: Fraction, places: int) -> Decimal:
    """``value`` to ``places`` decimal places, halves up, computed exactly."""
    units = math.floor(value * 10**places + Fraction(1, 2))
    return Decimal(units).scaleb(-places)


def rate_message(rate: Rate) -> m.Message:
    shown = percent(rate)
    if shown is None:
        return m.summary_rate_empty(count=rate.count, of=rate.of)
    return m.summary_rate(count=rate.count, of=rate.of, percent=shown)


def days_param(value: Fraction | None) -> m.Message:
    """A median in days as a message parameter: whole days as they are, a half as .5 (every
    median here is a whole or a half day), "not reached" for None."""
    if value is None:
        return m.summary_not_reached()
    return m.summary_days(days=exact_days(value))


def exact_days(value: Fraction) -> Decimal:
    if value.denominator == 1:
        return Decimal(value.numerator)
    return rounded(value, 1)


def summary_lines(group: GroupSummary) -> tuple[m.Message, ...]:
    """The outcome lines of one group, as the screen and the CLI show them."""
    lines: list[m.Message] = []
    haem, tumour = group.haem, group.tumour
    level = m.value_of("summary_level", group.level)  # a dose level's ID, or the whole trial
    if haem is not None:
        for week in haem.weeks:
            lines.append(
                m.summary_week(
                    level=level,
                    week=week.week,
                    cr=rate_message(week.cr),
                    pr=rate_message(week.pr),
                    overall=rate_message(week.overall),
                    pending=week.pending,
                )
            )
        for key, value in haem.time_to_response.items():
            lines.append(
                m.summary_time_to_response(
                    level=level,
                    lineage=m.value_of("lineage", key),
                    median=days_param(value.median),
                    achieved=value.achieved,
                )
            )
        duration = haem.duration
        lines.append(
            m.summary_duration(
                level=level,
                median=days_param(duration.km.median),
                responders=duration.responders,
                events=duration.events,
                censored=duration.censored,
            )
        )
    if tumour is not None:
        lines.append(m.summary_dcr(level=level, rate=rate_message(tumour.dcr)))
        for endpoint, km in (("PFS", tumour.pfs), ("OS", tumour.os)):
            lines.append(
                m.summary_survival(
                    level=level,
                    endpoint=endpoint,
                    median=days_param(km.median),
                    lower=days_param(km.median_lower),
                    upper=days_param(km.median_upper),
                    n=km.n,
                    events=km.events,
                )
            )
    return tuple(lines)


__all__ = [
    "ALL_LEVELS",
    "GroupSummary",
    "HaemSummary",
    "MedianDays",
    "Rate",
    "ResponseDuration",
    "Safety",
    "SummaryAe",
    "SummaryNumbers",
    "SummaryPatient",
    "TermRow",
    "TumourSummary",
    "WeekCounts",
    "days_param",
    "exact_days",
    "median",
    "percent",
    "rate_message",
    "rounded",
    "summarise",
    "summary_lines",
]
