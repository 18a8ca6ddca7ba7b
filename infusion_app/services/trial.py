"""The trial's dose finding: the tracker, the signed safety review, the enrolment rule.

Everything is read from the log: each enrolled patient's course (level, infusions, DLT window,
flagged DLTs and their adjudication) and the trial's own stream (``trial:<protocol id>``) of
signed decisions. :func:`trial_status` is one read; :func:`review_decision` is one signed
transaction that re-reads the state under the trial stream's lock and refuses when what the
investigator saw is no longer what the rule says. :func:`check_enrolment` is called by the
enrolment itself, inside its transaction and under the same lock, so two stations cannot both
fill the last place of a cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.boin import BoinBoundaries, boundaries
from infusion_app.logic.course import CourseRefused, dlt_window
from infusion_app.logic.dlt_review import FlaggedDlt, PatientFlags, ReviewState
from infusion_app.logic.dose_finding import (
    SELECT,
    PatientDlt,
    Phase,
    SignedReview,
    TrialState,
    cutoff_of,
    enrolment_refusal,
    target_of,
    trial_state,
)
from infusion_app.logic.event_types import trial_stream
from infusion_app.logic.events import LevelCounts, TrialDecisionReviewed
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import DOSE_LEVEL_MAX, check_text, optional_free_text
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_index import kept_or_read
from infusion_app.services.course_read import LoadedCourse
from infusion_app.services.dlt_review import course_dlts
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.services.status import load_events
from infusion_app.store.eventlog import append_event, ensure_stream, lock_stream
from infusion_app.store.models import Patient, Stream, User


class TrialRefused(CourseRefused):
    """A dose-finding act the rule does not allow now (input: the person can wait or ask)."""


@dataclass(frozen=True)
class TrialView:
    """What the Trial tab, ``trial status`` and the safety-review record show."""

    protocol: Protocol
    state: TrialState
    dlts: tuple[PatientFlags, ...]
    table: BoinBoundaries | None  # BOIN: the decision table for n = 1 .. max per level

    @property
    def awaiting_adjudication(self) -> tuple[tuple[str, FlaggedDlt], ...]:
        return tuple(
            (p.trial_id, d) for p in self.dlts for d in p.flagged if d.state is ReviewState.PENDING
        )


def dose_finding_protocols(ctx: AppContext) -> tuple[str, ...]:
    """The installed protocols that have a dose-finding rule (those the Trial tab offers),
    the one whose patient was registered last first: a site runs its own trial."""
    ids = [p.id for p in load_catalog(ctx.protocols).protocols if p.design.dose_finding]
    with ctx.db.read() as session:
        rows = session.execute(
            select(Patient.protocol_id, func.max(Patient.id)).group_by(Patient.protocol_id)
        ).all()
    latest = {protocol_id: newest for protocol_id, newest in rows}
    return tuple(sorted(ids, key=lambda i: (-latest.get(i, 0), i)))


def trial_status(ctx: AppContext, protocol_id: str) -> TrialView:
    """One read: the tracker of ``protocol_id`` now."""
    with ctx.db.read() as session:
        return read_view(ctx, session, protocol_id, ctx.now())


def read_view(ctx: AppContext, session: Session, protocol_id: str, now: datetime) -> TrialView:
    protocol = _dose_finding_protocol(ctx, protocol_id)
    enrolled = _enrolled(ctx, session, protocol.id)
    state = trial_state(protocol, (dlt for dlt, _ in enrolled), _reviews(session, protocol.id), now)
    dlts = tuple(flags for _, flags in enrolled)
    rule = protocol.design.dose_finding
    assert rule is not None  # _dose_finding_protocol checked it
    table = None
    if rule.method.value == "boin":
        assert rule.max_per_level is not None  # the protocol model requires it for BOIN
        table = boundaries(target_of(protocol), rule.max_per_level.value, cutoff_of(rule))
    return TrialView(protocol, state, dlts, table)


def read_state(ctx: AppContext, session: Session, protocol: Protocol, now: datetime) -> TrialState:
    enrolled = _enrolled(ctx, session, protocol.id)
    return trial_state(protocol, (dlt for dlt, _ in enrolled), _reviews(session, protocol.id), now)


def check_enrolment(
    ctx: AppContext, session: Session, protocol: Protocol, level: str, now: datetime
) -> m.Message | None:
    """Inside an enrolment's transaction: take the trial's lock and say why the dose-finding
    rule refuses ``level`` now (None when it allows it, or the protocol has no such rule)."""
    if protocol.design.dose_finding is None:
        return None
    name = trial_stream(protocol.id)
    ensure_stream(session, name)
    lock_stream(session, name)
    return enrolment_refusal(read_state(ctx, session, protocol, now), level)


def review_decision(
    ctx: AppContext,
    actor: CurrentUser,
    protocol_id: str,
    *,
    expected_decision: str,
    password: str,
    chosen_level: str | None = None,
    choice_reason: str | None = None,
    comment: str | None = None,
) -> int:
    """Sign the decision the rule gives now (signed "reviewed"), with the counts it came from.

    ``expected_decision`` is the decision the investigator was shown ("escalate", "expand",
    ... or "select"): if the record changed meanwhile the signature is refused rather than
    bound to a decision nobody read. At the end of BOIN's dose finding, when BOIN's
    select.mtd and the seed's "largest dose ... equal or closest" pick different levels,
    ``chosen_level`` says which one the investigator chose, and ``choice_reason`` why.
    Returns the review's number in the trial's stream.
    """
    expected_decision = check_text("decision", expected_decision, 20)
    if chosen_level is not None:
        chosen_level = check_text("level", chosen_level, DOSE_LEVEL_MAX)
    choice_reason = optional_free_text("reason", choice_reason)
    comment = optional_free_text("comment", comment)
    protocol = _dose_finding_protocol(ctx, protocol_id)

    def act(session: Session, user: User, now: datetime) -> int:
        name = trial_stream(protocol.id)
        ensure_stream(session, name)
        lock_stream(session, name)
        state = read_state(ctx, session, protocol, now)
        model = _review_model(protocol, state, expected_decision, chosen_level, choice_reason)
        if comment is not None:
            model = model.model_copy(update={"comment": comment})
        appended = append_event(
            session, name, model.TYPE, model, user=user, station=ctx.station, recorded_at=now
        )
        chain = session.execute(select(Stream).where(Stream.name == name)).scalar_one()
        sign_event(ctx, session, user, chain, appended, SignatureMeaning.REVIEWED, now)
        return appended.seq

    return signed_act(ctx, actor, Action.REVIEW_TRIAL, password, act)


def _review_model(
    protocol: Protocol,
    state: TrialState,
    expected: str,
    chosen: str | None,
    choice_reason: str | None,
) -> TrialDecisionReviewed:
    """The signed payload, or the refusal: nothing due, another decision, a bad choice."""
    if state.phase is Phase.SELECTION_DUE:
        decided = SELECT
    elif state.phase is Phase.DECISION_DUE and state.decision is not None:
        decided = state.decision.kind.value
    else:
        raise TrialRefused(
            m.trial_nothing_to_review(protocol=protocol.label, waiting=state.waiting)
        )
    if expected != decided:
        raise TrialRefused(
            m.trial_decision_changed(
                expected=m.value_of("decision", expected), now=m.value_of("decision", decided)
            )
        )
    assert state.current is not None  # a decision is due only at a current level
    common = {
        "protocol": protocol.label,
        "method": state.method,
        "decision": decided,
        "level": state.levels[state.current],
        "counts": [LevelCounts(**vars(c)) for c in state.counts],
        "patients": [p.trial_id for p in (*state.patients, *state.expansion)],
    }
    if decided != SELECT:
        decision = state.decision
        assert decision is not None
        if chosen is not None or choice_reason is not None:
            raise TrialRefused(m.trial_choice_not_asked(decision=m.value_of("decision", decided)))
        return TrialDecisionReviewed(
            **common,
            next_level=state.level_id(decision.next_level),
            mtd=state.level_id(decision.mtd),
            eliminated=[state.levels[i] for i in decision.eliminated],
        )
    selection = state.selection
    assert selection is not None  # set with the phase
    boin_pick = state.level_id(selection.selected)
    seed_pick = state.level_id(selection.selected_largest_on_tie)
    if boin_pick is None:
        raise TrialRefused(m.trial_no_dose_to_select(protocol=protocol.label))
    if boin_pick == seed_pick:
        if chosen not in (None, boin_pick):
            raise TrialRefused(m.trial_choice_not_offered(level=chosen, offered=(boin_pick,)))
        picked = boin_pick
    else:
        offered = tuple(x for x in (boin_pick, seed_pick) if x is not None)
        if chosen is None or choice_reason is None:
            raise TrialRefused(m.trial_choice_needed(boin=boin_pick, seed=seed_pick or ""))
        if chosen not in offered:
            raise TrialRefused(m.trial_choice_not_offered(level=chosen, offered=offered))
        picked = chosen
    return TrialDecisionReviewed(
        **common,
        next_level=picked,
        mtd=None,
        eliminated=[state.levels[i] for i in selection.eliminated],
        selected=boin_pick,
        selected_largest_on_tie=seed_pick,
        choice_reason=choice_reason,
    )


# --- reading ------------------------------------------------------------------------------


def _dose_finding_protocol(ctx: AppContext, protocol_id: str) -> Protocol:
    protocol_id = check_text("protocol", protocol_id, 64)
    protocol = ctx.protocol(protocol_id)
    if protocol.design.dose_finding is None:
        raise TrialRefused(m.trial_no_rule(protocol=protocol.label))
    return protocol


Enrolled = tuple[PatientDlt, PatientFlags]


def _enrolled(ctx: AppContext, session: Session, protocol_id: str) -> list[Enrolled]:
    """What the dose finding and the adjudication list need of each enrolled patient of the
    trial, in the order of enrolment's registration (patient ID). Each is a pure function of
    the course, kept with the streams and protocol files it came from
    (services/course_index.py): a refresh of the Trial tab reads only the courses that moved
    since, not every patient the trial ever had."""
    values, _ = kept_or_read(
        ctx,
        session,
        kind=f"trial:{protocol_id}",
        value=_of_enrolled,
        patients=select(Patient).where(Patient.protocol_id == protocol_id),
        fixed_query=True,
    )
    return [value for _, value in sorted(values.items()) if isinstance(value, tuple)]


def _of_enrolled(course: LoadedCourse) -> Enrolled | None:
    enrolment = course.facts.enrolment
    if enrolment is None:
        return None
    flags = PatientFlags(course.patient.trial_id, enrolment.dose_level, course_dlts(course))
    return patient_dlt(course), flags


def patient_dlt(course: LoadedCourse) -> PatientDlt:
    """What the dose finding needs of an enrolled patient (the trial summary counts it too)."""
    facts = course.facts
    enrolment = facts.enrolment
    assert enrolment is not None  # only enrolled patients are asked for
    window = dlt_window(course.protocol, facts)
    flagged = course_dlts(course)
    end = facts.end
    return PatientDlt(
        trial_id=facts.trial_id,
        level=enrolment.dose_level,
        enrolled_at=enrolment.at,
        treated=bool(facts.given),
        window_closes=window.closes if window is not None else None,
        confirmed=sum(d.state is ReviewState.CONFIRMED for d in flagged),
        awaiting_review=sum(d.state is ReviewState.PENDING for d in flagged),
        left_at=end.at if end is not None and end.reason.ends_follow_up else None,
        deviation=enrolment.deviation is not None,
    )


def _reviews(session: Session, protocol_id: str) -> tuple[SignedReview, ...]:
    stream = session.execute(
        select(Stream).where(Stream.name == trial_stream(protocol_id))
    ).scalar_one_or_none()
    if stream is None:
        return ()
    found = []
    for event in load_events(session, stream.id):
        data = event.data
        if isinstance(data, TrialDecisionReviewed):
            found.append(
                SignedReview(
                    seq=event.seq,
                    at=event.occurred_at,
                    by=event.user,
                    decision=data.decision,
                    level=data.level,
                    next_level=data.next_level,
                    mtd=data.mtd,
                    patients=frozenset(data.patients),
                    complete=data.decision in (SELECT, "stop"),
                    eliminated=frozenset(data.eliminated),
                )
            )
    return tuple(found)


__all__ = [
    "TrialRefused",
    "TrialView",
    "check_enrolment",
    "dose_finding_protocols",
    "patient_dlt",
    "read_state",
    "review_decision",
    "trial_status",
]
