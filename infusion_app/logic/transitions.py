"""The infusion state machine: ``state = fold(events)``, one transition per event.

``apply`` is both the rule book and the fold step. A service builds the event it is about to
append and runs ``apply`` on the current state first: if the rule book refuses, nothing is
written and the person sees why ("start blocked: 12 min left of the 30 min after
dexamethasone"). The same function then rebuilds the state from the stored log, so what was
allowed when it was recorded is exactly what the fold accepts.

Times compared here are the bedside times (``occurred_at``), so a back-entered event is held
to the same rules as a live one; whether a time may be recorded at all (not in the future,
late only with a reason) is :mod:`infusion_app.logic.backentry`'s job.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from infusion_app.logic.adverse_events import parse_adverse_event
from infusion_app.logic.alarms import Alarm
from infusion_app.logic.errors import DomainError, InputError, IntegrityProblem
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    AdverseEventRecorded,
    AlarmAcknowledged,
    Correction,
    DoseCalculated,
    DoseVerified,
    Event,
    FollowUpDone,
    InfusionCreated,
    InfusionEnded,
    InfusionPaused,
    InfusionStarted,
    InfusionStopped,
    NoteAdded,
    RateChanged,
    SaeReported,
    Signature,
    SlowRateHeld,
    VitalsRecorded,
    with_changes,
)
from infusion_app.logic.infusion_state import (
    AdverseEventEntry,
    CorrectionEntry,
    DosePlan,
    InfusionState,
    Override,
    Pause,
    RecordedEvent,
    SignatureEntry,
    VitalsEntry,
)
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.vitals import VitalSigns


class ActionRefused(DomainError):
    """The action is not allowed in the infusion's current state; the message says why."""


class InconsistentRecord(IntegrityProblem):
    """A stored log the rule book cannot replay: a bug or a record altered outside the app."""


def fold(events: Iterable[RecordedEvent], protocol: Protocol) -> InfusionState:
    """The state of an infusion from its whole log, corrections applied."""
    stored = list(events)
    state = InfusionState()
    try:
        effective = effective_events(stored)
    except InputError as broken:
        raise InconsistentRecord(f"a stored correction does not fit its event: {broken}") from None
    for event in effective:
        try:
            state = apply(state, event, protocol)
        except ActionRefused as refused:
            raise InconsistentRecord(f"event {event.seq} ({event.type.value}): {refused}") from None
    return state


def effective_events(events: list[RecordedEvent]) -> list[RecordedEvent]:
    """Each event as its latest correction says it should read; the original stays stored."""
    changes: dict[int, RecordedEvent] = {}
    by_seq = {event.seq: event for event in events}
    for event in events:
        if not isinstance(event.data, Correction):
            continue
        target_seq = event.data.corrects_seq
        target = changes.get(target_seq) or by_seq.get(target_seq)
        if target is None:
            continue  # apply() refuses the correction itself
        changes[target_seq] = corrected(target, event.data.changes, event.data.occurred_at)
    return [changes.get(event.seq, event) for event in events]


def corrected(
    target: RecordedEvent, changes: Mapping[str, Any], occurred_at: datetime | None = None
) -> RecordedEvent:
    """``target`` as a correction says it should read: its model with the changed values
    (validated again: a value that does not fit is InputError naming the field)."""
    return replace(
        target,
        data=with_changes(target.data, changes) if changes else target.data,
        occurred_at=occurred_at or target.occurred_at,
    )


def apply(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    """The state after ``event``, or ActionRefused naming the rule it breaks."""
    if state.last_seq and event.type is EventType.INFUSION_CREATED:
        raise ActionRefused("create: this infusion exists already")
    if not state.last_seq and event.type is not EventType.INFUSION_CREATED:
        raise ActionRefused(f"{event.type.value}: the infusion record has not been created")
    handler = _HANDLERS.get(event.type)
    if handler is None:
        raise ActionRefused(f"{event.type.value} is not an infusion event")
    new_state = handler(state, event, protocol)
    return replace(new_state, last_seq=event.seq)


# --- helpers ------------------------------------------------------------------------------


_E = TypeVar("_E", bound=Event)


def _data(event: RecordedEvent, model: type[_E]) -> _E:
    """The event's typed payload; the handlers are looked up by type, so this always holds
    unless a RecordedEvent was built with another type's model."""
    if not isinstance(event.data, model):
        raise ActionRefused(f"{event.type.value}: its payload is a {type(event.data).__name__}")
    return event.data


def _hm(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes still to wait, rounded up: "1 min left" until the moment itself."""
    return max(0, math.ceil((until - now).total_seconds() / 60))


def _minutes(delta: timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / 60).quantize(Decimal("0.1"))


def _reason(text: str | None) -> str | None:
    return text.strip() if text is not None and text.strip() else None


def _not_started(state: InfusionState, action: str) -> None:
    if state.stopped:
        raise ActionRefused(f"{action}: the infusion was stopped")
    if state.started_at is not None:
        raise ActionRefused(f"{action}: the infusion started at {_hm(state.started_at)}")


def not_started_reason(state: InfusionState, action: str) -> str | None:
    """Why an action that belongs before the start (a dose calculation) is refused now."""
    try:
        _not_started(state, action)
    except ActionRefused as refused:
        return str(refused)
    return None


def _running(state: InfusionState, action: str, at: datetime) -> None:
    if state.started_at is None:
        raise ActionRefused(f"{action}: the infusion has not started")
    if state.ended_at is not None:
        what = "stopped" if state.stopped else "ended"
        raise ActionRefused(f"{action}: the infusion {what} at {_hm(state.ended_at)}")
    if at < state.started_at:
        raise ActionRefused(f"{action}: {_hm(at)} is before the start at {_hm(state.started_at)}")
    if state.pauses:
        last = state.pauses[-1]
        latest = last.ended_at or last.started_at
        if at < latest:
            raise ActionRefused(f"{action}: {_hm(at)} is before the last pause or resume")


def _premed_name(protocol: Protocol) -> str:
    premed = protocol.premedication
    return f"{premed.drug.value} {premed.dose_mg.value} mg {premed.route.value}"


# --- handlers -----------------------------------------------------------------------------


def _created(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, InfusionCreated)
    return replace(
        state,
        patient=p.patient,
        product=p.product,
        number=p.number,
        protocol=p.protocol,
        dose_level=p.dose_level,
    )


def _dose_calculated(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    _not_started(state, "dose")
    p = _data(event, DoseCalculated)
    if not p.drip_plan:
        raise ActionRefused("dose: the drip plan has no phase")
    first = p.drip_plan[0]
    second = p.drip_plan[1] if len(p.drip_plan) > 1 else None
    plan = DosePlan(
        seq=event.seq,
        calculated_by=event.user,
        weight_kg=p.weight_kg,
        weight_measured_at=p.weight_measured_at,
        target_cells=p.target_cells,
        delivered_cells=p.delivered_cells,
        bag_volume_ml=p.final_volume_ml,
        drop_factor_gtt_per_ml=p.drop_factor_gtt_per_ml,
        phase1_rate_gtt_per_min=first.rate_gtt_per_min,
        phase1_volume_ml=first.volume_ml,
        phase2_rate_gtt_per_min=second.rate_gtt_per_min if second else None,
        phase2_volume_ml=second.volume_ml if second else Decimal(0),
        expected_duration_min=p.expected_duration_min,
    )
    return replace(state, dose=plan)


def _dose_verified(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _not_started(state, "verify dose")
    if state.dose is None:
        raise ActionRefused("verify dose: no dose has been calculated")
    if _data(event, DoseVerified).calculation_seq != state.dose.seq:
        raise ActionRefused("verify dose: the calculation was replaced; verify the current one")
    if state.dose.verified_by is not None:
        raise ActionRefused(f"verify dose: already verified by {state.dose.verified_by}")
    if event.user is not None and event.user == state.dose.calculated_by:
        raise ActionRefused(
            f"verify dose: a second person must verify; {event.user} calculated this dose"
        )
    return replace(state, dose=replace(state.dose, verified_by=event.user))


def _identity_checked(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    _not_started(state, "identity check")
    return replace(state, identity_checked_at=event.occurred_at)


def _check_failed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    return replace(state, failed_checks=state.failed_checks + 1)


def _premedication(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _not_started(state, "premedication")
    if state.identity_checked_at is None:
        raise ActionRefused(
            "premedication blocked: check the patient's and the product's identity first"
        )
    if state.premedication_at is not None:
        raise ActionRefused(
            f"premedication: already given at {_hm(state.premedication_at)}; "
            "correct that entry instead"
        )
    return replace(state, premedication_at=event.occurred_at)


def _thawed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _not_started(state, "thaw")
    if state.identity_checked_at is None:
        raise ActionRefused("thaw blocked: check the patient's and the product's identity first")
    if state.thawed_at is not None:
        raise ActionRefused(
            f"thaw: already recorded at {_hm(state.thawed_at)}; correct that entry instead"
        )
    return replace(state, thawed_at=event.occurred_at)


def start_blocker(state: InfusionState, protocol: Protocol, at: datetime) -> str | None:
    """Why the infusion may not start at ``at`` (a hard stop), or None."""
    if state.stopped:
        return "start: the infusion was stopped"
    if state.started_at is not None:
        return f"start: the infusion started at {_hm(state.started_at)}"
    if state.identity_checked_at is None:
        return "start blocked: check the patient's and the product's identity first"
    if state.dose is None:
        return "start blocked: no dose has been calculated for this infusion"
    if state.dose.verified_by is None:
        return "start blocked: the dose calculation is not verified by a second person"
    if not any(v.at <= at for v in state.vitals):
        return "start blocked: record the baseline vital signs first"
    premed = protocol.premedication
    if state.premedication_at is None:
        return f"start blocked: give {_premed_name(protocol)} first"
    allowed = state.premedication_at + timedelta(minutes=premed.minutes_before.value)
    if at < allowed:
        return (
            f"start blocked: {minutes_left(allowed, at)} min left of the "
            f"{premed.minutes_before.value} min after {premed.drug.value}"
        )
    if state.thawed_at is None:
        return "start blocked: record the thaw of the product first"
    if at < state.thawed_at:
        return f"start: {_hm(at)} is before the thaw at {_hm(state.thawed_at)}"
    limit = protocol.infusion.post_thaw_limit_min.value
    if at > state.thawed_at + timedelta(minutes=limit):
        return (
            f"start blocked: the product was thawed at {_hm(state.thawed_at)}, more than "
            f"{limit} min before; past its post-thaw limit, do not infuse"
        )
    return None


def late_start_warning(state: InfusionState, protocol: Protocol, at: datetime) -> str | None:
    """A start later than the protocol's window after premedication needs a reason."""
    if state.premedication_at is None:
        return None
    latest = protocol.premedication.latest_start_after_min.value
    waited = at - state.premedication_at
    if waited <= timedelta(minutes=latest):
        return None
    return (
        f"start {int(waited.total_seconds() // 60)} min after {protocol.premedication.drug.value},"
        f" later than the protocol's {latest} min"
    )


def _started(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    blocker = start_blocker(state, protocol, at)
    if blocker:
        raise ActionRefused(blocker)
    assert state.dose is not None
    p = _data(event, InfusionStarted)
    drop_factor = p.drop_factor_gtt_per_ml
    if drop_factor != state.dose.drop_factor_gtt_per_ml:
        raise ActionRefused(
            f"drop_factor_gtt_per_ml: the set in use ({drop_factor} gtt/mL) differs from the "
            f"drip plan's ({state.dose.drop_factor_gtt_per_ml} gtt/mL): recalculate the plan"
        )
    overrides = state.overrides
    warning = late_start_warning(state, protocol, at)
    if warning:
        reason = _reason(p.override_reason)
        if reason is None:
            raise ActionRefused(f"{warning}: give a reason")
        overrides = (*overrides, Override(event.seq, warning, reason))
    return replace(
        state,
        started_at=at,
        rate_gtt_per_min=state.dose.phase1_rate_gtt_per_min,
        overrides=overrides,
    )


def rate_step_due(state: InfusionState, protocol: Protocol, now: datetime) -> datetime | None:
    """When the slow phase is over: start + phase-1 time + time paused so far."""
    if not state.in_slow_phase or state.dose is None or state.dose.phase2_rate_gtt_per_min is None:
        return None
    assert state.started_at is not None
    phase1 = timedelta(minutes=protocol.infusion.phase1_duration_min.value)
    base = state.slow_rate_held_at + phase1 if state.slow_rate_held_at else None
    due = state.started_at + phase1 + state.paused_time(now)
    return max(due, base) if base else due


def _rate_changed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    _running(state, "rate", at)
    if state.paused:
        raise ActionRefused("rate: the infusion is paused; resume it first")
    assert state.dose is not None
    steps = protocol.infusion
    p = _data(event, RateChanged)
    rate = p.rate_gtt_per_min
    low, high = steps.phase2_rate_min_gtt_per_min.value, steps.phase2_rate_max_gtt_per_min.value
    if state.rate_step_at is None:
        if state.dose.phase2_rate_gtt_per_min is None:
            raise ActionRefused("rate: this bag runs at the slow rate to the end (one phase)")
        phase1 = timedelta(minutes=steps.phase1_duration_min.value)
        active = state.active_time(at)
        if active < phase1:
            return_left = minutes_left(at + (phase1 - active), at)
            raise ActionRefused(
                f"rate step blocked: {return_left} min left of the "
                f"{steps.phase1_duration_min.value} min slow phase"
            )
        if not p.no_discomfort:
            raise ActionRefused(
                "rate step blocked: confirm that the patient has no discomfort; otherwise hold "
                "the slow rate, pause or stop, and record the reaction"
            )
    if not low <= rate <= high:
        raise ActionRefused(
            f"rate_gtt_per_min: must be {low}-{high} gtt/min in the fast phase, got {rate}"
        )
    return replace(
        state,
        rate_gtt_per_min=rate,
        rate_step_at=state.rate_step_at or at,
    )


def _slow_rate_held(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    at = event.occurred_at
    _running(state, "hold slow rate", at)
    if state.rate_step_at is not None:
        raise ActionRefused("hold slow rate: the rate was already stepped up")
    if _reason(_data(event, SlowRateHeld).reason) is None:
        raise ActionRefused("reason: holding the slow rate needs a reason")
    return replace(state, slow_rate_held_at=at)


def _vitals(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, VitalsRecorded)
    entry = VitalsEntry(
        seq=event.seq,
        at=event.occurred_at,
        vitals=VitalSigns(
            temperature_c=p.temperature_c,
            heart_rate_bpm=p.heart_rate_bpm,
            systolic_mmhg=p.systolic_mmhg,
            diastolic_mmhg=p.diastolic_mmhg,
            respiratory_rate_per_min=p.respiratory_rate_per_min,
            spo2_pct=p.spo2_pct,
            on_oxygen=p.on_oxygen,
            avpu=p.avpu,
        ),
        news2=p.news2,
        band=p.news2_band,
        alarms=tuple(Alarm(a.priority, a.code, a.message, a.suggested_action) for a in p.alarms),
    )
    return replace(state, vitals=(*state.vitals, entry))


def _adverse_event(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, AdverseEventRecorded)
    ae = parse_adverse_event(
        term=p.term,
        other_term=p.other_term,
        grade=p.grade,
        started_at=p.started_at,
        attribution=p.attribution,
        serious=p.serious,
        action_taken=p.action_taken,
        outcome=p.outcome,
        aware_at=p.aware_at,
        description=p.description,
    )
    entry = AdverseEventEntry(
        seq=event.seq,
        event=ae,
        dlt=p.dlt,
        fever_grade_suggested=p.fever_grade_suggested,
        report_due_at=p.report_due_at,
    )
    return replace(state, adverse_events=(*state.adverse_events, entry))


def _sae_reported(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    target = _data(event, SaeReported).adverse_event_seq
    entries = list(state.adverse_events)
    for index, entry in enumerate(entries):
        if entry.seq == target:
            if not entry.event.serious:
                raise ActionRefused(f"sae report: adverse event {target} is not serious")
            if entry.reported_at is not None:
                raise ActionRefused(f"sae report: event {target} was reported already")
            entries[index] = replace(entry, reported_at=event.occurred_at)
            return replace(state, adverse_events=tuple(entries))
    raise ActionRefused(f"sae report: no adverse event {target} in this infusion")


def _paused(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _running(state, "pause", event.occurred_at)
    if state.paused:
        raise ActionRefused("pause: the infusion is paused already")
    reason = _reason(_data(event, InfusionPaused).reason)
    if reason is None:
        raise ActionRefused("reason: a pause needs a reason")
    return replace(state, pauses=(*state.pauses, Pause(event.occurred_at, reason)))


def _resumed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    if not state.paused or state.ended_at is not None:
        raise ActionRefused("resume: the infusion is not paused")
    last = state.pauses[-1]
    if event.occurred_at < last.started_at:
        raise ActionRefused(f"resume: {_hm(event.occurred_at)} is before the pause")
    return replace(state, pauses=(*state.pauses[:-1], replace(last, ended_at=event.occurred_at)))


def _close_pause(state: InfusionState, at: datetime) -> tuple[Pause, ...]:
    if not state.paused:
        return state.pauses
    return (*state.pauses[:-1], replace(state.pauses[-1], ended_at=at))


def _volume(state: InfusionState, volume: Decimal, field: str) -> Decimal:
    bag = state.dose.bag_volume_ml if state.dose else Decimal(0)
    if volume < 0 or volume > bag:
        raise ActionRefused(f"{field}: must be 0-{bag} mL (the bag), got {volume}")
    return volume


def _stopped(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    if state.ended_at is not None or state.stopped:
        raise ActionRefused("stop: the infusion is over already")
    p = _data(event, InfusionStopped)
    if _reason(p.reason) is None:
        raise ActionRefused("reason: stopping an infusion needs a reason")
    if state.started_at is None:
        if p.volume_given_ml != 0:
            raise ActionRefused("volume_given_ml: nothing was given before the start; give 0")
        return replace(state, stopped=True, volume_infused_ml=Decimal(0))
    _running(state, "stop", at)
    volume = _volume(state, p.volume_given_ml, "volume_given_ml")
    return replace(
        state,
        stopped=True,
        ended_at=at,
        volume_infused_ml=volume,
        pauses=_close_pause(state, at),
    )


def end_window_warning(state: InfusionState, protocol: Protocol, at: datetime) -> str | None:
    steps = protocol.infusion
    active = state.active_time(at)
    low = timedelta(minutes=steps.duration_min_min.value)
    high = timedelta(minutes=steps.duration_max_min.value)
    if low <= active <= high:
        return None
    return (
        f"infusion ran {_minutes(active)} min, outside the protocol's "
        f"{steps.duration_min_min.value}-{steps.duration_max_min.value} min"
    )


def _ended(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    _running(state, "end", at)
    assert state.dose is not None
    p = _data(event, InfusionEnded)
    volume = _volume(state, p.volume_infused_ml, "volume_infused_ml")
    warnings = []
    window = end_window_warning(state, protocol, at)
    if window:
        warnings.append(window)
    if volume < state.dose.bag_volume_ml:
        warnings.append(f"{volume} mL infused of a {state.dose.bag_volume_ml} mL bag")
    overrides = state.overrides
    if warnings:
        reason = _reason(p.override_reason)
        if reason is None:
            raise ActionRefused(f"end: {'; '.join(warnings)}: give a reason")
        overrides = (*overrides, *(Override(event.seq, w, reason) for w in warnings))
    return replace(
        state,
        ended_at=at,
        volume_infused_ml=volume,
        pauses=_close_pause(state, at),
        overrides=overrides,
    )


def observation_blocker(state: InfusionState, protocol: Protocol, at: datetime) -> str | None:
    if state.observation_ended_at is not None:
        return "observation end: recorded already"
    if state.ended_at is None:
        return "observation end: the infusion has not ended"
    observation = protocol.monitoring.observation_min.value
    until = state.ended_at + timedelta(minutes=observation)
    if at < until:
        return (
            f"observation end blocked: {minutes_left(until, at)} min left of the "
            f"{observation} min observation"
        )
    if state.end_vitals is None:
        return "observation end blocked: record the vital signs at the end of the infusion"
    return None


def _observation_ended(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    if state.stopped and state.started_at is None:
        raise ActionRefused("observation end: the infusion was stopped before it started")
    blocker = observation_blocker(state, protocol, event.occurred_at)
    if blocker:
        raise ActionRefused(blocker)
    return replace(state, observation_ended_at=event.occurred_at)


def follow_up_checks(state: InfusionState, protocol: Protocol) -> dict[str, datetime]:
    """The acute-reaction check and the delayed-reaction visits, timed from the end."""
    if state.ended_at is None or state.started_at is None:
        return {}
    checks = {
        "acute_24h": state.ended_at + timedelta(hours=protocol.monitoring.acute_monitoring_h.value)
    }
    for week in protocol.monitoring.delayed_check_weeks.value:
        checks[f"week_{week}"] = state.ended_at + timedelta(weeks=week)
    return checks


def _follow_up(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    check = _data(event, FollowUpDone).check
    known = follow_up_checks(state, protocol)
    if not known:
        raise ActionRefused("follow-up: the infusion has not ended")
    if check not in known:
        raise ActionRefused(f"check: must be one of {', '.join(known)}, got {check!r}")
    if check in state.follow_ups_done:
        raise ActionRefused(f"follow-up: {check} was recorded already")
    return replace(state, follow_ups_done=(*state.follow_ups_done, check))


def _note(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    return replace(state, notes=(*state.notes, _data(event, NoteAdded).text))


def _alarm_acknowledged(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    """Someone saw the alarm; the condition itself clears only when the record says so."""
    key = _data(event, AlarmAcknowledged).alarm
    return replace(state, acknowledged_alarms=state.acknowledged_alarms | {key})


def _correction(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, Correction)
    target = p.corrects_seq
    if not 1 <= target < event.seq:
        raise ActionRefused(f"correct: no earlier event {target}")
    entry = CorrectionEntry(event.seq, target, event.reason or "", dict(p.changes))
    return replace(state, corrections=(*state.corrections, entry))


def _signature(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, Signature)
    entry = SignatureEntry(
        event.seq, p.signed_seq, p.meaning.value, p.printed_name, event.recorded_at
    )
    return replace(state, signatures=(*state.signatures, entry))


_HANDLERS = {
    EventType.INFUSION_CREATED: _created,
    EventType.DOSE_CALCULATED: _dose_calculated,
    EventType.DOSE_VERIFIED: _dose_verified,
    EventType.IDENTITY_CHECKED: _identity_checked,
    EventType.CHECK_FAILED: _check_failed,
    EventType.PREMEDICATION_GIVEN: _premedication,
    EventType.PRODUCT_THAWED: _thawed,
    EventType.INFUSION_STARTED: _started,
    EventType.RATE_CHANGED: _rate_changed,
    EventType.SLOW_RATE_HELD: _slow_rate_held,
    EventType.VITALS_RECORDED: _vitals,
    EventType.ADVERSE_EVENT_RECORDED: _adverse_event,
    EventType.SAE_REPORTED: _sae_reported,
    EventType.INFUSION_PAUSED: _paused,
    EventType.INFUSION_RESUMED: _resumed,
    EventType.INFUSION_STOPPED: _stopped,
    EventType.INFUSION_ENDED: _ended,
    EventType.OBSERVATION_ENDED: _observation_ended,
    EventType.FOLLOW_UP_DONE: _follow_up,
    EventType.NOTE_ADDED: _note,  # any time once created, after observation too
    EventType.ALARM_ACKNOWLEDGED: _alarm_acknowledged,
    EventType.CORRECTION: _correction,
    EventType.SIGNATURE: _signature,
}
