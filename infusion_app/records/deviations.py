"""What departed from the plan, with the reason given: the record lists them, the monitor's log
counts them.

Overrides of a protocol warning, failed identity checks, a slow rate held, pauses, a stop, a
start after the plan's window closed (a schedule deviation), and entries made late
(back-entered); each is a departure a monitor must be able to see at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    Event,
    InfusionPaused,
    InfusionStarted,
    InfusionStopped,
    SlowRateHeld,
    stored_form,
)
from infusion_app.records.source import RecordSource

_KINDS = {
    EventType.CHECK_FAILED: "Check failed",
    EventType.SLOW_RATE_HELD: "Slow rate held",
    EventType.INFUSION_PAUSED: "Paused",
    EventType.INFUSION_STOPPED: "Stopped",
}


@dataclass(frozen=True)
class Deviation:
    seq: int
    at: datetime
    kind: str  # an English label: "Override", "Paused", "Back-entered", ...
    reason: str
    recorded_at: datetime | None = None  # for a back-entry: when it was stored


def deviations(source: RecordSource) -> list[Deviation]:
    found: list[Deviation] = []
    overrides = {o.seq: o for o in source.state.overrides}
    for event in source.events:
        if event.seq in overrides:
            override = overrides[event.seq]
            found.append(
                Deviation(
                    event.seq, event.occurred_at, "Override", f"{override.what}: {override.reason}"
                )
            )
        if isinstance(event.data, InfusionStarted) and event.data.schedule_deviation:
            found.append(
                Deviation(
                    event.seq,
                    event.occurred_at,
                    "Started after its window",
                    event.data.schedule_deviation,
                )
            )
        if event.type in _KINDS:
            found.append(
                Deviation(event.seq, event.occurred_at, _KINDS[event.type], _reason(event.data))
            )
        if is_back_entered(event.occurred_at, event.recorded_at) and event.reason:
            found.append(
                Deviation(
                    event.seq, event.occurred_at, "Back-entered", event.reason, event.recorded_at
                )
            )
    return found


def _reason(data: Event) -> str:
    if isinstance(data, SlowRateHeld | InfusionPaused | InfusionStopped) and data.reason:
        return data.reason
    # a failed check: what was found, as stored
    stored = stored_form(data)
    return "; ".join(f"{k}: {v}" for k, v in stored.items() if v not in (None, "", [], {}))
