"""Which bedside actions are allowed now, and why not: for buttons disabled with a reason.

The answer comes from the rule book itself: each action's event is tried on the current
state with :func:`infusion_app.logic.transitions.apply`, so the window can never disagree
with what the service will accept. Warnings that only need a reason (a late start, an end
outside the window) do not disable anything; the service asks for the reason.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from infusion_app.logic.errors import DomainError
from infusion_app.logic.event_types import EventType
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


def _probe(
    action: BedsideAction, state: InfusionState, protocol: Protocol
) -> tuple[EventType, dict[str, Any]]:
    dose = state.dose
    match action:
        case BedsideAction.VERIFY_DOSE:
            return EventType.DOSE_VERIFIED, {"calculation_seq": dose.seq if dose else 0}
        case BedsideAction.CHECK:
            return EventType.IDENTITY_CHECKED, {}
        case BedsideAction.PREMEDICATION:
            return EventType.PREMEDICATION_GIVEN, {}
        case BedsideAction.THAW:
            return EventType.PRODUCT_THAWED, {}
        case BedsideAction.START:
            factor = dose.drop_factor_gtt_per_ml if dose else 0
            return EventType.INFUSION_STARTED, {
                "drop_factor_gtt_per_ml": factor,
                "override_reason": PROBE_REASON,
            }
        case BedsideAction.RATE_STEP:
            rate = (dose.phase2_rate_gtt_per_min if dose else None) or (
                protocol.infusion.phase2_rate_min_gtt_per_min.value
            )
            return EventType.RATE_CHANGED, {"rate_gtt_per_min": rate, "no_discomfort": True}
        case BedsideAction.HOLD:
            return EventType.SLOW_RATE_HELD, {"reason": PROBE_REASON}
        case BedsideAction.PAUSE:
            return EventType.INFUSION_PAUSED, {"reason": PROBE_REASON}
        case BedsideAction.RESUME:
            return EventType.INFUSION_RESUMED, {}
        case BedsideAction.STOP:
            return EventType.INFUSION_STOPPED, {"reason": PROBE_REASON, "volume_given_ml": "0"}
        case BedsideAction.END:
            bag = str(dose.bag_volume_ml) if dose else "0"
            return EventType.INFUSION_ENDED, {
                "volume_infused_ml": bag,
                "override_reason": PROBE_REASON,
            }
        case BedsideAction.OBSERVATION_END:
            return EventType.OBSERVATION_ENDED, {}
        case BedsideAction.VITALS | BedsideAction.ADVERSE_EVENT:
            return EventType.NOTE_ADDED, {"text": PROBE_REASON}  # always allowed once created
    raise AssertionError(action)


def blocked_reasons(
    state: InfusionState, protocol: Protocol, now: datetime, user: str | None = None
) -> dict[BedsideAction, Message | None]:
    """For every action: None when allowed at ``now`` for ``user``, else the reason (one line
    when rendered). The dose calculation's only state rule is "before the start", asked
    directly."""
    reasons: dict[BedsideAction, Message | None] = {}
    for action in BedsideAction:
        if action is BedsideAction.DOSE:
            reasons[action] = not_started_reason(state, act_dose())
            continue
        type_, payload = _probe(action, state, protocol)
        event = RecordedEvent(state.last_seq + 1, type_, payload, now, now, user)
        try:
            apply(state, event, protocol)
        except ActionRefused as refused:
            reasons[action] = refused.message
        except DomainError as refused:
            reasons[action] = text(str(refused))
        else:
            reasons[action] = None
    return reasons
