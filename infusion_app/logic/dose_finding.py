"""The trial's dose finding as it stands: who counts where, what the rule says, who signed.

The rules themselves (:mod:`.three_plus_three`, :mod:`.boin`, :mod:`.dose_selection`) take
per-level tallies; this module makes the tallies from the patients and the signed reviews,
and says which phase the trial is in:

- the **current level** is where the last signed review sent the next patients (the lowest
  level before any review: both designs start there);
- the **cohort** is whoever was enrolled at the current level since the last review (a review
  lists the patients it saw, so the next cohort is everyone else; no clock comparison);
- a decision is **due** when the rule's outcome is certain (3+3: the 2nd DLT at a level stops
  escalation at once) and otherwise when every patient of the cohort is evaluable;
- BOIN's dose finding ends when ``dose_finding_patients`` are evaluable, or when the current
  level has ``max_per_level`` evaluable patients and the rule says stay (BOIN's
  ``n.earlystop``); the optimal dose is then selected, signed, and later patients receive it.

A patient is evaluable when a DLT is confirmed, or when the DLT window has closed with no
confirmed DLT and no flag still awaiting the investigator; a patient who leaves (withdrawal,
death) before the window closes without a DLT is not evaluable and is replaced: they do not
fill a cohort place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from fractions import Fraction

from infusion_app.logic import messages as m
from infusion_app.logic.boin import boin_decision, eliminated_levels
from infusion_app.logic.dose_selection import DoseSelection, select_dose
from infusion_app.logic.escalation import Decision, DecisionKind, LevelTally, dlt_count
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import DoseFinding, Protocol
from infusion_app.logic.three_plus_three import three_plus_three

SELECT = "select"  # the decision name of the signed choice of the optimal dose (BOIN)


class DltStatus(StrEnum):
    PENDING = "pending"  # not infused yet, window open, or a flag awaits adjudication
    DLT = "dlt"  # evaluable, with a confirmed DLT
    NO_DLT = "no_dlt"  # evaluable: the window closed without a confirmed DLT
    NOT_EVALUABLE = "not_evaluable"  # left before the window closed without a DLT: replace


@dataclass(frozen=True)
class PatientDlt:
    """What the dose finding needs of one enrolled patient, folded from their course."""

    trial_id: str
    level: str  # the level they were enrolled at: where they count
    enrolled_at: datetime
    treated: bool  # at least one infusion begun
    window_closes: datetime | None  # None: not infused yet, or the last dose not known yet
    confirmed: int  # confirmed DLTs
    awaiting_review: int  # flagged DLTs the investigator has not reviewed
    left_at: datetime | None  # follow-up ended (withdrawal, death)
    deviation: bool = False  # enrolled against the rule with a second signature

    def status(self, now: datetime) -> DltStatus:
        if self.confirmed:
            return DltStatus.DLT
        if self.awaiting_review:
            return DltStatus.PENDING
        closes = self.window_closes
        if self.treated and closes is not None and closes < now:
            return DltStatus.NO_DLT
        if self.left_at is not None:
            return DltStatus.NOT_EVALUABLE
        return DltStatus.PENDING

    def evaluable(self, now: datetime) -> bool:
        return self.status(now) in (DltStatus.DLT, DltStatus.NO_DLT)


@dataclass(frozen=True)
class SignedReview:
    """A signed dose-finding decision, as the trial's stream holds it."""

    seq: int
    at: datetime
    by: str | None
    decision: str  # a DecisionKind value, or SELECT
    level: str
    next_level: str | None
    mtd: str | None
    patients: frozenset[str]
    complete: bool  # dose finding (3+3: escalation) is over
    eliminated: frozenset[str] = frozenset()  # BOIN: the levels eliminated when it was signed


class Phase(StrEnum):
    WAITING = "waiting"  # the cohort is filling or being observed
    DECISION_DUE = "decision_due"  # the rule has decided; the investigator has not signed
    SELECTION_DUE = "selection_due"  # BOIN: dose finding over; the optimal dose to sign
    EXPANSION = "expansion"  # BOIN: the optimal dose is signed; later patients receive it
    COMPLETE = "complete"  # escalation over or stopped, signed: the rule enrols no one


@dataclass(frozen=True)
class LevelCount:
    level: str
    enrolled: int
    treated: int
    evaluable: int
    pending: int
    dlts: int
    not_evaluable: int

    @property
    def tally(self) -> LevelTally:
        return LevelTally(evaluable=self.evaluable, dlts=self.dlts, pending=self.pending)


@dataclass(frozen=True)
class TrialState:
    protocol: str  # the protocol's label
    method: str  # "3+3" or "boin"
    levels: tuple[str, ...]  # level ids in protocol order
    patients: tuple[PatientDlt, ...]  # dose-finding patients, in enrolment order
    expansion: tuple[PatientDlt, ...]  # BOIN: enrolled after the optimal dose was signed
    counts: tuple[LevelCount, ...]
    reviews: tuple[SignedReview, ...]
    current: int | None  # index of the level the next patients go to; None once complete
    cohort: tuple[PatientDlt, ...]  # the current cohort (not-evaluable patients left out)
    cohort_size: int
    phase: Phase
    decision: Decision | None  # the rule's decision when one is due
    selection: DoseSelection | None  # BOIN's optimal dose when the selection is due
    waiting: tuple[Message, ...]  # what the decision waits for
    now: datetime
    eliminated: tuple[int, ...] = ()  # BOIN: levels the data show too toxic, and those above

    def level_id(self, index: int | None) -> str | None:
        return None if index is None else self.levels[index]

    @property
    def last_review(self) -> SignedReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def to_replace(self) -> tuple[PatientDlt, ...]:
        return tuple(p for p in self.patients if p.status(self.now) is DltStatus.NOT_EVALUABLE)


def dose_finding_of(protocol: Protocol) -> DoseFinding | None:
    return protocol.design.dose_finding


def target_of(protocol: Protocol) -> Fraction:
    level = protocol.design.target_toxicity_level
    if level is None:
        raise ValueError(f"{protocol.label} has no target toxicity level")
    return Fraction(level.value)


def cutoff_of(rule: DoseFinding) -> Fraction:
    cutoff = rule.elimination_cutoff
    return Fraction(cutoff.value) if cutoff is not None else Fraction(95, 100)


def trial_state(
    protocol: Protocol,
    patients: Iterable[PatientDlt],
    reviews: Sequence[SignedReview],
    now: datetime,
) -> TrialState:
    """Where the dose finding of ``protocol`` stands at ``now``."""
    rule = protocol.design.dose_finding
    if rule is None:
        raise ValueError(f"{protocol.label} has no dose-finding rule")
    levels = tuple(level.id for level in protocol.dose_levels)
    ordered = tuple(sorted(patients, key=lambda p: (p.enrolled_at, p.trial_id)))
    last = reviews[-1] if reviews else None
    selected_at = next((i for i, r in enumerate(reviews) if r.decision == SELECT), None)
    if selected_at is not None:  # after the selection, new patients are the expansion
        seen = reviews[selected_at].patients
        finding = tuple(p for p in ordered if p.trial_id in seen)
        expansion = tuple(p for p in ordered if p.trial_id not in seen)
    else:
        finding, expansion = ordered, ()
    counts = tuple(_count(level, finding, now) for level in levels)
    eliminated: tuple[int, ...] = ()
    if rule.method.value == "boin":
        tallies_now = [c.tally for c in counts]
        found = eliminated_levels(tallies_now, target_of(protocol), cutoff_of(rule))
        eliminated = _once_eliminated(found, reviews, levels)
    common = {
        "protocol": protocol.label,
        "method": rule.method.value,
        "levels": levels,
        "patients": finding,
        "expansion": expansion,
        "counts": counts,
        "reviews": tuple(reviews),
        "cohort_size": rule.cohort_size.value,
        "now": now,
        "eliminated": eliminated,
    }
    if last is not None and (last.complete or last.next_level is None):
        phase = Phase.EXPANSION if last.decision == SELECT else Phase.COMPLETE
        current = levels.index(last.next_level) if last.next_level in levels else None
        return TrialState(
            **common,  # type: ignore[arg-type]
            current=current if phase is Phase.EXPANSION else None,
            cohort=(),
            phase=phase,
            decision=None,
            selection=None,
            waiting=(),
        )
    current = levels.index(last.next_level) if last and last.next_level in levels else 0
    seen_before = frozenset().union(*(r.patients for r in reviews))
    cohort_all = tuple(
        p for p in finding if p.level == levels[current] and p.trial_id not in seen_before
    )
    cohort = tuple(p for p in cohort_all if p.status(now) is not DltStatus.NOT_EVALUABLE)
    tallies = tuple(c.tally for c in counts)
    settled = len(cohort) >= rule.cohort_size.value and all(p.evaluable(now) for p in cohort)
    decision: Decision | None = None
    selection: DoseSelection | None = None
    phase = Phase.WAITING
    if rule.method.value == "3+3":
        expanded = any(
            r.decision == DecisionKind.EXPAND.value and r.level == levels[current] for r in reviews
        )
        certain = three_plus_three(tallies, current, expanded=expanded)
        if certain is not None and (tallies[current].dlts >= 2 or settled):
            decision, phase = certain, Phase.DECISION_DUE
    elif settled:
        target, cutoff = target_of(protocol), cutoff_of(rule)
        decision = _never_into(boin_decision(tallies, current, target, cutoff), eliminated)
        evaluable = sum(c.evaluable for c in counts)
        assert rule.dose_finding_patients is not None and rule.max_per_level is not None
        full = evaluable >= rule.dose_finding_patients.value
        early = (
            decision.kind is DecisionKind.STAY
            and tallies[current].evaluable >= rule.max_per_level.value
        )
        if decision.kind is not DecisionKind.STOP and (full or early):
            # a level eliminated once stays out of the choice, as if never treated
            kept = tuple(LevelTally(0, 0) if i in eliminated else t for i, t in enumerate(tallies))
            chosen = select_dose(kept, target, cutoff)
            selection = replace(chosen, eliminated=eliminated)
            phase = Phase.SELECTION_DUE
        else:
            phase = Phase.DECISION_DUE
    waiting = () if phase is not Phase.WAITING else _waiting(cohort, rule.cohort_size.value, now)
    return TrialState(
        **common,  # type: ignore[arg-type]
        current=current,
        cohort=cohort,
        phase=phase,
        decision=decision,
        selection=selection,
        waiting=waiting,
    )


def _once_eliminated(
    found: Sequence[int], reviews: Sequence[SignedReview], levels: Sequence[str]
) -> tuple[int, ...]:
    """The levels eliminated now or in any signed decision, with every level above the lowest.

    As in R's BOIN, a level stays eliminated: patients enrolled at it later (only as a
    deviation) do not bring it back, however their outcomes lower its posterior."""
    signed = [levels.index(level) for r in reviews for level in r.eliminated if level in levels]
    lowest = min([*found, *signed], default=None)
    return () if lowest is None else tuple(range(lowest, len(levels)))


def _never_into(decision: Decision, eliminated: Sequence[int]) -> Decision:
    """BOIN's decision, kept out of the levels eliminated once (its own check sees only the
    current tallies): stay below them, step down out of them, stop if the lowest is out."""
    if not eliminated or decision.kind is DecisionKind.STOP:
        return replace(decision, eliminated=tuple(eliminated)) if eliminated else decision
    lowest = min(eliminated)
    gone = tuple(eliminated)
    if lowest == 0:
        return replace(
            decision, kind=DecisionKind.STOP, next_level=None, complete=True, eliminated=gone
        )
    nxt = decision.next_level
    if nxt is None or nxt < lowest:
        return replace(decision, eliminated=gone)
    if decision.level < lowest:
        return replace(decision, kind=DecisionKind.STAY, next_level=decision.level, eliminated=gone)
    return replace(decision, kind=DecisionKind.DEESCALATE, next_level=lowest - 1, eliminated=gone)


def _count(level: str, patients: Sequence[PatientDlt], now: datetime) -> LevelCount:
    at_level = [p for p in patients if p.level == level]
    statuses = [p.status(now) for p in at_level]
    return LevelCount(
        level=level,
        enrolled=len(at_level),
        treated=sum(p.treated for p in at_level),
        evaluable=sum(s in (DltStatus.DLT, DltStatus.NO_DLT) for s in statuses),
        pending=statuses.count(DltStatus.PENDING),
        dlts=statuses.count(DltStatus.DLT),
        not_evaluable=statuses.count(DltStatus.NOT_EVALUABLE),
    )


def _waiting(cohort: Sequence[PatientDlt], size: int, now: datetime) -> tuple[Message, ...]:
    """What the cohort still needs, in the order it will come: places, windows, reviews."""
    found: list[Message] = []
    if len(cohort) < size:
        found.append(m.trial_waiting_enrolment(enrolled=len(cohort), needed=size))
    evaluable = sum(p.evaluable(now) for p in cohort)
    open_windows = sorted(
        p.window_closes
        for p in cohort
        if not p.evaluable(now) and p.window_closes is not None and p.window_closes >= now
    )
    if cohort:
        needed = max(size, len(cohort))
        found.append(m.trial_waiting_evaluable(evaluable=evaluable, needed=needed))
        if open_windows:
            found.append(m.trial_waiting_window(closes=open_windows[0]))
    awaiting = sum(p.awaiting_review for p in cohort if not p.confirmed)
    if awaiting:
        found.append(m.trial_waiting_adjudication(dlts=dlt_count(awaiting)))
    not_infused = sum(not p.treated for p in cohort)
    if not_infused:
        found.append(m.trial_waiting_infusion(count=not_infused))
    return tuple(found)


# --- enrolment -----------------------------------------------------------------------------


def enrolment_refusal(state: TrialState, level: str) -> Message | None:
    """Why the rule refuses to enrol a new patient at ``level`` now, or None if it allows it.

    The rule enrols only into the current level, only while its cohort has a place, never
    while a decision awaits its signature and never after the rule has said stop; a refused
    enrolment may still be made as a deviation, with a second investigator's signature.
    """
    if state.phase is Phase.COMPLETE:
        return m.trial_enrol_complete(protocol=state.protocol)
    if state.phase in (Phase.DECISION_DUE, Phase.SELECTION_DUE):
        return m.trial_enrol_decision_due(protocol=state.protocol)
    expected = state.level_id(state.current)
    if expected is not None and level != expected:
        return m.trial_enrol_wrong_level(level=level, expected=expected)
    if state.phase is Phase.WAITING and len(state.cohort) >= state.cohort_size:
        return m.trial_enrol_cohort_full(level=level, size=state.cohort_size)
    return None


# --- the decision in words -------------------------------------------------------------------


def decision_reason(state: TrialState) -> Message | None:
    """Why the rule decides what it does now, with the level IDs of the protocol ("1 DLT in 3
    evaluable at B: expand B to 6"); None while it waits."""
    if state.phase is Phase.SELECTION_DUE and state.selection is not None:
        boin = state.level_id(state.selection.selected)
        seed = state.level_id(state.selection.selected_largest_on_tie)
        if boin is None:
            return m.trial_reason_nothing_selected()
        if boin == seed or seed is None:
            return m.trial_reason_select(level=boin)
        return m.trial_reason_select_differ(boin=boin, seed=seed)
    decision = state.decision
    if state.phase is not Phase.DECISION_DUE or decision is None:
        return None
    count = state.counts[decision.level]
    y, n, at = dlt_count(count.dlts), count.evaluable, count.level
    kind = decision.kind
    to = state.level_id(decision.next_level)
    if kind is DecisionKind.EXPAND:
        return m.trial_reason_expand(dlts=y, evaluable=n, level=at, size=2 * state.cohort_size)
    if kind is DecisionKind.ESCALATE and to is not None:
        return m.trial_reason_escalate(dlts=y, evaluable=n, level=at, next_level=to)
    if kind is DecisionKind.DEESCALATE and to is not None:
        return m.trial_reason_deescalate(dlts=y, evaluable=n, level=at, next_level=to)
    if kind is DecisionKind.STAY:
        return m.trial_reason_stay(dlts=y, evaluable=n, level=at)
    if state.method == "boin":
        return m.trial_reason_lowest_eliminated(level=state.levels[0])
    mtd = state.level_id(decision.mtd)
    if mtd == at:
        return m.trial_reason_tolerated(dlts=y, evaluable=n, level=at)
    if mtd is None:
        return m.trial_reason_stop_none(dlts=y, evaluable=n, level=at)
    return m.trial_reason_stop(dlts=y, evaluable=n, level=at, mtd=mtd)
