"""Which bedside actions are allowed now, and why not: for buttons disabled with a reason.

The answer comes from the rule book itself: each action's event is tried on the current
state with :func:`infusion_app.logic.transitions.apply`, so the window can never disagree
with what the service will accept. Warnings that only need a reason (a late start, an end
outside the window) do not disable anything; the service asks for the reason.

After a downtime the nurse enters the paper record with its bedside times, so an action is
not disabled only because *now* is too late for it: a start past the post-thaw limit now may
have happened within it, at a time the nurse now enters. With ``back_to`` an action refused
at ``now`` is allowed when the rule book accepts it at one of the record's own moments (an
entry's bedside time, or the protocol's wait after one) between ``back_to`` and ``now``; the
service then judges the time entered, against the earlier entries' bedside times.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from infusion_app.logic.errors import DomainError
from infusion_app.logic.events import (
    DoseVerified,
    Event,
    IdentityChecked,
    InfusionEnded,
    InfusionPaused,
    InfusionResumed,
    InfusionStarted,
    InfusionStopped,
    NoteAdded,
    ObservationEnded,
    PremedicationGiven,
    ProductThawed,
    RateChanged,
    SlowRateHeld,
)
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.messages import Message, act_dose, text
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import ActionRefused, apply, not_started_reason

PROBE_REASON = "(probe)"


class BedsideAction(StrEnum):
    DOSE = "calculate dose"
    VERIFY_DOSE = "verify dose"
    CHECK = "check"
    PREMEDICATION = "premedication"
    THAW = "thaw"
    START = "start"
    RATE_STEP = "rate step"
    HOLD = "hold slow rate"
    VITALS = "vitals"
    ADVERSE_EVENT = "adverse event"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"
    END = "end"
    OBSERVATION_END = "observation end"
    NOTE = "note"


def _probe(action: BedsideAction, state: InfusionState, protocol: Protocol) -> Event:
    """The event the action would append, with values the rule book accepts where it can."""
    dose = state.dose
    premed = protocol.premedication
    match action:
        case BedsideAction.VERIFY_DOSE:
            return DoseVerified(calculation_seq=dose.seq if dose else 0)
        case BedsideAction.CHECK:
            return IdentityChecked(
                method=PROBE_REASON,
                trial_id=state.patient or "",
                product=state.product or "",
                product_status=PROBE_REASON,
            )
        case BedsideAction.PREMEDICATION:
            return PremedicationGiven(
                drug=premed.drug.value, dose_mg=premed.dose_mg.value, route=premed.route.value
            )
        case BedsideAction.THAW:
            return ProductThawed(post_thaw_limit_min=protocol.infusion.post_thaw_limit_min.value)
        case BedsideAction.START:
            return InfusionStarted(
                drop_factor_gtt_per_ml=dose.drop_factor_gtt_per_ml if dose else 0,
                rate_gtt_per_min=dose.phase1_rate_gtt_per_min if dose else None,
                override_reason=PROBE_REASON,
            )
        case BedsideAction.RATE_STEP:
            rate = (dose.phase2_rate_gtt_per_min if dose else None) or (
                protocol.infusion.phase2_rate_min_gtt_per_min.value
            )
            return RateChanged(rate_gtt_per_min=rate, no_discomfort=True)
        case BedsideAction.HOLD:
            return SlowRateHeld(reason=PROBE_REASON)
        case BedsideAction.PAUSE:
            return InfusionPaused(reason=PROBE_REASON)
        case BedsideAction.RESUME:
            return InfusionResumed()
        case BedsideAction.STOP:
            return InfusionStopped(reason=PROBE_REASON, volume_given_ml=Decimal(0))
        case BedsideAction.END:
            return InfusionEnded(
                volume_infused_ml=dose.bag_volume_ml if dose else Decimal(0),
                override_reason=PROBE_REASON,
            )
        case BedsideAction.OBSERVATION_END:
            return ObservationEnded()
        case BedsideAction.NOTE:
            return NoteAdded(text=PROBE_REASON)
        case BedsideAction.VITALS | BedsideAction.ADVERSE_EVENT:
            return NoteAdded(text=PROBE_REASON)  # always allowed once created
    raise AssertionError(action)


def blocked_reasons(
    state: InfusionState,
    protocol: Protocol,
    now: datetime,
    user: str | None = None,
    *,
    back_to: datetime | None = None,
) -> dict[BedsideAction, Message | None]:
    """For every action: None when allowed at ``now`` for ``user``, else the reason (one line
    when rendered). The dose calculation's only state rule is "before the start", asked
    directly. With ``back_to`` (the earliest time a back-entry may carry), an action refused
    at ``now`` but allowed at an earlier moment of the record since ``back_to`` is allowed:
    it may be entered with that earlier time."""
    reasons: dict[BedsideAction, Message | None] = {}
    earlier = [] if back_to is None else [m for m in moments(state, protocol) if back_to <= m < now]
    for action in BedsideAction:
        if action is BedsideAction.DOSE:
            reasons[action] = not_started_reason(state, act_dose())
            continue
        probe = _probe(action, state, protocol)
        reasons[action] = _refusal(state, protocol, probe, now, user)
        if reasons[action] is not None and any(
            _refusal(state, protocol, probe, moment, user) is None for moment in earlier
        ):
            reasons[action] = None
    return reasons


def _refusal(
    state: InfusionState, protocol: Protocol, probe: Event, at: datetime, user: str | None
) -> Message | None:
    """Why the rule book refuses ``probe`` at the bedside time ``at``, or None."""
    event = RecordedEvent(state.last_seq + 1, probe.TYPE, probe, at, at, user)
    try:
        apply(state, event, protocol)
    except ActionRefused as refused:
        return refused.message
    except DomainError as refused:
        return text(str(refused))
    return None


def moments(state: InfusionState, protocol: Protocol) -> list[datetime]:
    """The record's bedside times and the protocol's waits after them: where a rule's
    boundary lies, so an action allowed at any earlier time is allowed at one of these."""
    found = [
        state.identity_checked_at,
        state.premedication_at,
        state.thawed_at,
        state.started_at,
        state.rate_step_at,
        state.slow_rate_held_at,
        state.ended_at,
        *(v.at for v in state.vitals),
        *(p.started_at for p in state.pauses),
        *(p.ended_at for p in state.pauses),
    ]
    if state.premedication_at is not None:
        wait = timedelta(minutes=protocol.premedication.minutes_before.value)
        found.append(state.premedication_at + wait)
    if state.started_at is not None:
        phase1 = timedelta(minutes=protocol.infusion.phase1_duration_min.value)
        found.append(state.started_at + phase1 + state.paused_time(state.started_at + phase1))
    if state.ended_at is not None:
        observation = timedelta(minutes=protocol.monitoring.observation_min.value)
        found.append(state.ended_at + observation)
    return sorted({moment for moment in found if moment is not None})
