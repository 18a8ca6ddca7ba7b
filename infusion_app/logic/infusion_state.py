"""What an infusion is, at any moment: the value folded from its events.

Everything here is an immutable value, so two folds of the same events compare equal and a
state kept in memory can be checked against one rebuilt from the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from infusion_app.logic.adverse_events import AdverseEvent
from infusion_app.logic.alarms import Alarm
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Event, stored_form
from infusion_app.logic.messages import Message
from infusion_app.logic.vitals import VitalSigns


@dataclass(frozen=True)
class RecordedEvent:
    """One stored event as the logic sees it: its payload decoded into its typed model
    (:func:`infusion_app.logic.events.decode`, the one place that happens)."""

    seq: int
    type: EventType
    data: Event
    occurred_at: datetime
    recorded_at: datetime
    user: str | None
    reason: str | None = None

    @property
    def payload(self) -> dict[str, Any]:
        """The payload in its stored JSON form (Decimals and times as text), for what shows
        an entry as it was stored: the log's details, the CSV export. Rules read ``data``."""
        return stored_form(self.data)


class Step(StrEnum):
    """The bedside step strip, in order."""

    CHECKS = "checks"
    PREMEDICATION = "premedication"
    THAW = "thaw"
    SLOW_PHASE = "slow phase"
    FAST_PHASE = "fast phase"
    END = "end"
    OBSERVATION = "observation"
    DONE = "done"


class Status(StrEnum):
    NOT_STARTED = "not started"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"
    STOPPED = "stopped"
    OBSERVATION_COMPLETE = "observation complete"


@dataclass(frozen=True)
class DosePlan:
    """The verified calculation the bedside runs from: volumes, rates, expected duration."""

    seq: int
    calculated_by: str | None
    weight_kg: Decimal
    weight_measured_at: datetime
    target_cells: Decimal
    delivered_cells: Decimal
    bag_volume_ml: Decimal
    drop_factor_gtt_per_ml: int
    phase1_rate_gtt_per_min: int
    phase1_volume_ml: Decimal
    phase2_rate_gtt_per_min: int | None
    phase2_volume_ml: Decimal
    expected_duration_min: Decimal
    verified_by: str | None = None


@dataclass(frozen=True)
class VitalsEntry:
    seq: int
    at: datetime
    vitals: VitalSigns
    news2: int
    band: str
    alarms: tuple[Alarm, ...]


@dataclass(frozen=True)
class AdverseEventEntry:
    seq: int
    event: AdverseEvent
    dlt: bool
    fever_grade_suggested: int | None
    report_due_at: datetime | None
    reported_at: datetime | None = None


@dataclass(frozen=True)
class Pause:
    started_at: datetime
    reason: str
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Override:
    """A protocol warning a person chose to go past, with the reason they gave."""

    seq: int
    what: Message  # the warning gone past
    reason: str


@dataclass(frozen=True)
class CorrectionEntry:
    seq: int
    corrects_seq: int
    reason: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class SignatureEntry:
    seq: int
    signed_seq: int
    meaning: str
    printed_name: str
    at: datetime


@dataclass(frozen=True)
class InfusionState:
    last_seq: int = 0
    patient: str | None = None
    product: str | None = None
    number: int | None = None
    protocol: str | None = None
    dose_level: str | None = None
    dose: DosePlan | None = None
    identity_checked_at: datetime | None = None
    failed_checks: int = 0
    premedication_at: datetime | None = None
    thawed_at: datetime | None = None
    started_at: datetime | None = None
    rate_gtt_per_min: int | None = None
    rate_step_at: datetime | None = None
    slow_rate_held_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    ended_at: datetime | None = None
    stopped: bool = False
    volume_infused_ml: Decimal | None = None
    observation_ended_at: datetime | None = None
    vitals: tuple[VitalsEntry, ...] = ()
    adverse_events: tuple[AdverseEventEntry, ...] = ()
    follow_ups_done: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    corrections: tuple[CorrectionEntry, ...] = ()
    signatures: tuple[SignatureEntry, ...] = ()
    notes: tuple[str, ...] = field(default=())
    acknowledged_alarms: frozenset[str] = frozenset()

    # --- derived --------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].ended_at is None

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.ended_at is None

    @property
    def in_slow_phase(self) -> bool:
        return self.running and self.rate_step_at is None

    @property
    def status(self) -> Status:
        if self.observation_ended_at is not None:
            return Status.OBSERVATION_COMPLETE
        if self.stopped:
            return Status.STOPPED
        if self.ended_at is not None:
            return Status.ENDED
        if self.started_at is None:
            return Status.NOT_STARTED
        return Status.PAUSED if self.paused else Status.RUNNING

    @property
    def checks_done(self) -> bool:
        return (
            self.identity_checked_at is not None
            and self.dose is not None
            and self.dose.verified_by is not None
            and self.baseline_vitals is not None
        )

    @property
    def baseline_vitals(self) -> VitalsEntry | None:
        baseline = [v for v in self.vitals if self.vitals_phase(v.at) == "baseline"]
        return max(baseline, key=lambda v: v.at) if baseline else None

    def vitals_phase(self, at: datetime) -> str:
        """Which part of the procedure a set taken at ``at`` belongs to."""
        if self.started_at is None or at < self.started_at:
            return "baseline"
        if self.ended_at is None or at < self.ended_at:
            return "infusion"
        if self.observation_ended_at is None or at <= self.observation_ended_at:
            return "observation"
        return "follow-up"

    @property
    def step(self) -> Step:
        if self.observation_ended_at is not None or (self.stopped and self.started_at is None):
            return Step.DONE
        if self.ended_at is not None:
            return Step.OBSERVATION if self.end_vitals is not None else Step.END
        if self.started_at is not None:
            return Step.SLOW_PHASE if self.rate_step_at is None else Step.FAST_PHASE
        if not self.checks_done:
            return Step.CHECKS
        if self.premedication_at is None:
            return Step.PREMEDICATION
        if self.thawed_at is None:
            return Step.THAW
        return Step.SLOW_PHASE

    @property
    def end_vitals(self) -> VitalsEntry | None:
        """The first set taken at or after the end: the protocol's "one set at the end"."""
        if self.ended_at is None:
            return None
        after = [v for v in self.vitals if v.at >= self.ended_at]
        return min(after, key=lambda v: v.at) if after else None

    def paused_time(self, until: datetime) -> timedelta:
        """Time spent paused up to ``until``: it does not count toward a phase."""
        total = timedelta()
        for pause in self.pauses:
            end = pause.ended_at or until
            end = min(end, until)
            if end > pause.started_at:
                total += end - pause.started_at
        return total

    def active_time(self, until: datetime) -> timedelta:
        """Time the drip has been running since the start, pauses left out."""
        if self.started_at is None or until <= self.started_at:
            return timedelta()
        return until - self.started_at - self.paused_time(until)

    @property
    def open_alarms(self) -> tuple[Alarm, ...]:
        """The alarms of the latest set of vital signs stay until a later set clears them."""
        if not self.vitals:
            return ()
        return max(self.vitals, key=lambda v: (v.at, v.seq)).alarms
