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
from dataclasses import fields
from dataclasses import replace as dataclass_replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar, cast

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import recorded_adverse_event
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
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.vitals import VitalSigns, vitals_alarms


class ActionRefused(DomainError):
    """The action is not allowed in the infusion's current state; ``message`` says why and
    ``str()`` is its English line."""

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else m.text(message)
        super().__init__(self.message)


class InconsistentRecord(IntegrityProblem):
    """A stored log the rule book cannot replay: a bug or a record altered outside the app."""

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else m.text(message)
        super().__init__(self.message)


def fold(events: Iterable[RecordedEvent], protocol: Protocol) -> InfusionState:
    """The state of an infusion from its whole log, corrections applied."""
    stored = list(events)
    state = InfusionState()
    try:
        effective = effective_events(stored)
    except InputError as broken:
        raise InconsistentRecord(f"a stored correction does not fit its event: {broken}") from None
    return replay(state, effective, protocol)


def replay(
    state: InfusionState, events: Iterable[RecordedEvent], protocol: Protocol
) -> InfusionState:
    """``state`` with ``events`` applied in order, as stored events are replayed: a refusal
    means the record does not hold (InconsistentRecord), never an act refused now."""
    for event in events:
        try:
            state = apply(state, event, protocol)
        except ActionRefused as refused:
            raise InconsistentRecord(
                m.replay_refused(
                    seq=event.seq, event_type=event.type.value, refusal=refused.message
                )
            ) from None
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


_T = TypeVar("_T")
_FIELD_NAMES: dict[type, frozenset[str]] = {}


def replace(obj: _T, /, **changes: Any) -> _T:
    """:func:`dataclasses.replace` for the fold's frozen dataclasses, without its per-field
    introspection: a fold replaces the whole state twice per event, and that was a third of
    a site's first read (issue 18). The same result: a new object with the fields given
    changed, a name that is not a field refused; a class with ``__slots__`` or a
    ``__post_init__`` goes through :func:`dataclasses.replace` itself."""
    cls = obj.__class__
    names = _FIELD_NAMES.get(cls)
    if names is None:
        every = fields(cast(Any, cls))
        plain = not hasattr(cls, "__slots__") and not hasattr(cls, "__post_init__")
        plain = plain and all(f.init for f in every)  # replace() resets the others
        names = frozenset(f.name for f in every) if plain else frozenset()
        _FIELD_NAMES[cls] = names
    if not names or not changes.keys() <= names:
        return dataclass_replace(obj, **changes)  # type: ignore[type-var]
    new = object.__new__(cls)
    state = new.__dict__
    state.update(obj.__dict__)
    state.update(changes)
    return new


def apply(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    """The state after ``event``, or ActionRefused naming the rule it breaks."""
    if state.last_seq and event.type is EventType.INFUSION_CREATED:
        raise ActionRefused(m.infusion_exists())
    if not state.last_seq and event.type is not EventType.INFUSION_CREATED:
        raise ActionRefused(m.infusion_not_created(event_type=event.type.value))
    handler = _HANDLERS.get(event.type)
    if handler is None:
        raise ActionRefused(m.not_an_infusion_event(event_type=event.type.value))
    new_state = handler(state, event, protocol)
    return replace(new_state, last_seq=event.seq)


# --- helpers ------------------------------------------------------------------------------


_E = TypeVar("_E", bound=Event)


def _data(event: RecordedEvent, model: type[_E]) -> _E:
    """The event's typed payload; the handlers are looked up by type, so this always holds
    unless a RecordedEvent was built with another type's model."""
    if not isinstance(event.data, model):
        raise ActionRefused(
            m.payload_of_other_type(event_type=event.type.value, model=type(event.data).__name__)
        )
    return event.data


def minutes_left(until: datetime, now: datetime) -> int:
    """Whole minutes still to wait, rounded up: "1 min left" until the moment itself."""
    return max(0, math.ceil((until - now).total_seconds() / 60))


def _minutes(delta: timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / 60).quantize(Decimal("0.1"))


def _reason(text: str | None) -> str | None:
    return text.strip() if text is not None and text.strip() else None


def _not_started(state: InfusionState, action: Message) -> None:
    if state.stopped:
        raise ActionRefused(m.infusion_was_stopped(action=action))
    if state.started_at is not None:
        raise ActionRefused(m.infusion_started_at(action=action, at=state.started_at))


def not_started_reason(state: InfusionState, action: Message) -> Message | None:
    """Why an action that belongs before the start (a dose calculation) is refused now."""
    try:
        _not_started(state, action)
    except ActionRefused as refused:
        return refused.message
    return None


def _running(state: InfusionState, action: Message, at: datetime) -> None:
    if state.started_at is None:
        raise ActionRefused(m.infusion_not_started(action=action))
    if state.ended_at is not None:
        ended = m.infusion_stopped_at if state.stopped else m.infusion_ended_at
        raise ActionRefused(ended(action=action, at=state.ended_at))
    if at < state.started_at:
        raise ActionRefused(m.before_start(action=action, at=at, started_at=state.started_at))
    if state.pauses:
        last = state.pauses[-1]
        latest = last.ended_at or last.started_at
        if at < latest:
            raise ActionRefused(m.before_last_pause(action=action, at=at))


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
    _not_started(state, m.act_dose())
    p = _data(event, DoseCalculated)
    if not p.drip_plan:
        raise ActionRefused(m.dose_no_phase())
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
    _not_started(state, m.act_verify_dose())
    if state.dose is None:
        raise ActionRefused(m.verify_no_dose())
    if _data(event, DoseVerified).calculation_seq != state.dose.seq:
        raise ActionRefused(m.verify_replaced())
    if state.dose.verified_by is not None:
        raise ActionRefused(m.verify_already(verified_by=state.dose.verified_by))
    if event.user is not None and event.user == state.dose.calculated_by:
        raise ActionRefused(m.verify_second_person(calculated_by=event.user))
    return replace(state, dose=replace(state.dose, verified_by=event.user))


def _identity_checked(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    _not_started(state, m.act_identity_check())
    return replace(state, identity_checked_at=event.occurred_at)


def _check_failed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    return replace(state, failed_checks=state.failed_checks + 1)


def _premedication(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _not_started(state, m.act_premedication())
    if state.identity_checked_at is None:
        raise ActionRefused(m.premedication_blocked_identity())
    if state.premedication_at is not None:
        raise ActionRefused(m.premedication_already(at=state.premedication_at))
    return replace(state, premedication_at=event.occurred_at)


def _thawed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _not_started(state, m.act_thaw())
    if state.identity_checked_at is None:
        raise ActionRefused(m.thaw_blocked_identity())
    if state.thawed_at is not None:
        raise ActionRefused(m.thaw_already(at=state.thawed_at))
    return replace(state, thawed_at=event.occurred_at)


def start_blocker(state: InfusionState, protocol: Protocol, at: datetime) -> Message | None:
    """Why the infusion may not start at ``at`` (a hard stop), or None."""
    if state.stopped:
        return m.infusion_was_stopped(action=m.act_start())
    if state.started_at is not None:
        return m.infusion_started_at(action=m.act_start(), at=state.started_at)
    if state.identity_checked_at is None:
        return m.start_blocked_identity()
    if state.dose is None:
        return m.start_blocked_no_dose()
    if state.dose.verified_by is None:
        return m.start_blocked_unverified()
    if not any(v.at <= at for v in state.vitals):
        return m.start_blocked_baseline_vitals()
    premed = protocol.premedication
    if state.premedication_at is None:
        return m.start_blocked_give_premed(
            drug=m.value_of("drug", premed.drug.value),
            dose_mg=premed.dose_mg.value,
            route=m.value_of("route", premed.route.value),
        )
    allowed = state.premedication_at + timedelta(minutes=premed.minutes_before.value)
    if at < allowed:
        return m.start_blocked_premed(
            minutes_left=minutes_left(allowed, at),
            wait_min=premed.minutes_before.value,
            drug=m.value_of("drug", premed.drug.value),
        )
    if state.thawed_at is None:
        return m.start_blocked_thaw()
    if at < state.thawed_at:
        return m.start_before_thaw(at=at, thawed_at=state.thawed_at)
    limit = protocol.infusion.post_thaw_limit_min.value
    if at > state.thawed_at + timedelta(minutes=limit):
        return m.start_blocked_post_thaw(thawed_at=state.thawed_at, limit_min=limit)
    return None


def late_start_warning(state: InfusionState, protocol: Protocol, at: datetime) -> Message | None:
    """A start later than the protocol's window after premedication needs a reason."""
    if state.premedication_at is None:
        return None
    latest = protocol.premedication.latest_start_after_min.value
    waited = at - state.premedication_at
    if waited <= timedelta(minutes=latest):
        return None
    return m.late_start(
        waited_min=int(waited.total_seconds() // 60),
        drug=m.value_of("drug", protocol.premedication.drug.value),
        latest_min=latest,
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
            m.drop_factor_differs(in_use=drop_factor, planned=state.dose.drop_factor_gtt_per_ml)
        )
    overrides = state.overrides
    warning = late_start_warning(state, protocol, at)
    if warning:
        reason = _reason(p.override_reason)
        if reason is None:
            raise ActionRefused(m.give_a_reason(warning=warning))
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
    _running(state, m.act_rate(), at)
    if state.paused:
        raise ActionRefused(m.rate_paused())
    assert state.dose is not None
    steps = protocol.infusion
    p = _data(event, RateChanged)
    rate = p.rate_gtt_per_min
    low, high = steps.phase2_rate_min_gtt_per_min.value, steps.phase2_rate_max_gtt_per_min.value
    if state.rate_step_at is None:
        if state.dose.phase2_rate_gtt_per_min is None:
            raise ActionRefused(m.rate_one_phase())
        phase1 = timedelta(minutes=steps.phase1_duration_min.value)
        active = state.active_time(at)
        if active < phase1:
            return_left = minutes_left(at + (phase1 - active), at)
            raise ActionRefused(
                m.rate_step_blocked_slow_phase(
                    minutes_left=return_left, phase_min=steps.phase1_duration_min.value
                )
            )
        if not p.no_discomfort:
            raise ActionRefused(m.rate_step_blocked_discomfort())
    if not low <= rate <= high:
        raise ActionRefused(m.rate_out_of_range(low=low, high=high, rate=rate))
    return replace(
        state,
        rate_gtt_per_min=rate,
        rate_step_at=state.rate_step_at or at,
    )


def _slow_rate_held(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    at = event.occurred_at
    _running(state, m.act_hold_slow_rate(), at)
    if state.rate_step_at is not None:
        raise ActionRefused(m.hold_already_stepped())
    if _reason(_data(event, SlowRateHeld).reason) is None:
        raise ActionRefused(m.hold_needs_reason())
    return replace(state, slow_rate_held_at=at)


def _vitals(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, VitalsRecorded)
    vitals = VitalSigns(
        temperature_c=p.temperature_c,
        heart_rate_bpm=p.heart_rate_bpm,
        systolic_mmhg=p.systolic_mmhg,
        diastolic_mmhg=p.diastolic_mmhg,
        respiratory_rate_per_min=p.respiratory_rate_per_min,
        spo2_pct=p.spo2_pct,
        on_oxygen=p.on_oxygen,
        avpu=p.avpu,
    )
    entry = VitalsEntry(
        seq=event.seq,
        at=event.occurred_at,
        vitals=vitals,
        news2=p.news2,
        band=p.news2_band,
        alarms=_stored_alarms(p, vitals, protocol),
    )
    return replace(state, vitals=(*state.vitals, entry))


def _stored_alarms(p: VitalsRecorded, vitals: VitalSigns, protocol: Protocol) -> tuple[Alarm, ...]:
    """The alarms as stored (their English lines are the record: what the nurse was shown),
    each as its message value where the protocol's limits today say exactly the stored lines,
    so a Chinese screen reads them in Chinese; a line the limits no longer give (a later
    protocol version moved a limit) is shown as stored."""
    if not p.alarms:  # most sets raise none: nothing to match, so nothing to recompute
        return ()
    now = {
        (a.priority, a.code, str(a.message), str(a.suggested_action)): a
        for a in vitals_alarms(vitals, protocol.vital_alert_limits)
    }
    return tuple(
        now.get(
            (a.priority, a.code, a.message, a.suggested_action),
            Alarm(a.priority, a.code, m.text(a.message), m.text(a.suggested_action)),
        )
        for a in p.alarms
    )


def _adverse_event(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    p = _data(event, AdverseEventRecorded)
    ae = recorded_adverse_event(p)
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
                raise ActionRefused(m.sae_not_serious(seq=target))
            if entry.reported_at is not None:
                raise ActionRefused(m.sae_reported_already(seq=target))
            entries[index] = replace(entry, reported_at=event.occurred_at)
            return replace(state, adverse_events=tuple(entries))
    raise ActionRefused(m.sae_no_such_event(seq=target))


def _paused(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    _running(state, m.act_pause(), event.occurred_at)
    if state.paused:
        raise ActionRefused(m.pause_already())
    reason = _reason(_data(event, InfusionPaused).reason)
    if reason is None:
        raise ActionRefused(m.pause_needs_reason())
    return replace(state, pauses=(*state.pauses, Pause(event.occurred_at, reason)))


def _resumed(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    if not state.paused or state.ended_at is not None:
        raise ActionRefused(m.resume_not_paused())
    last = state.pauses[-1]
    if event.occurred_at < last.started_at:
        raise ActionRefused(m.resume_before_pause(at=event.occurred_at))
    return replace(state, pauses=(*state.pauses[:-1], replace(last, ended_at=event.occurred_at)))


def _close_pause(state: InfusionState, at: datetime) -> tuple[Pause, ...]:
    if not state.paused:
        return state.pauses
    return (*state.pauses[:-1], replace(state.pauses[-1], ended_at=at))


def _volume(state: InfusionState, volume: Decimal, field: str) -> Decimal:
    bag = state.dose.bag_volume_ml if state.dose else Decimal(0)
    if volume < 0 or volume > bag:
        raise ActionRefused(m.volume_out_of_bag(field=m.label(field), bag_ml=bag, volume_ml=volume))
    return volume


def _stopped(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    if state.ended_at is not None or state.stopped:
        raise ActionRefused(m.stop_over_already())
    p = _data(event, InfusionStopped)
    if _reason(p.reason) is None:
        raise ActionRefused(m.stop_needs_reason())
    if state.started_at is None:
        if p.volume_given_ml != 0:
            raise ActionRefused(m.stop_before_start_volume())
        return replace(state, stopped=True, volume_infused_ml=Decimal(0))
    _running(state, m.act_stop(), at)
    volume = _volume(state, p.volume_given_ml, "volume_given_ml")
    return replace(
        state,
        stopped=True,
        ended_at=at,
        volume_infused_ml=volume,
        pauses=_close_pause(state, at),
    )


def end_window_warning(state: InfusionState, protocol: Protocol, at: datetime) -> Message | None:
    steps = protocol.infusion
    active = state.active_time(at)
    low = timedelta(minutes=steps.duration_min_min.value)
    high = timedelta(minutes=steps.duration_max_min.value)
    if low <= active <= high:
        return None
    return m.end_outside_window(
        ran_min=_minutes(active),
        low_min=steps.duration_min_min.value,
        high_min=steps.duration_max_min.value,
    )


def _ended(state: InfusionState, event: RecordedEvent, protocol: Protocol) -> InfusionState:
    at = event.occurred_at
    _running(state, m.act_end(), at)
    assert state.dose is not None
    p = _data(event, InfusionEnded)
    volume = _volume(state, p.volume_infused_ml, "volume_infused_ml")
    warnings: list[Message] = []
    window = end_window_warning(state, protocol, at)
    if window:
        warnings.append(window)
    if volume < state.dose.bag_volume_ml:
        warnings.append(m.end_part_of_bag(volume_ml=volume, bag_ml=state.dose.bag_volume_ml))
    overrides = state.overrides
    if warnings:
        reason = _reason(p.override_reason)
        if reason is None:
            raise ActionRefused(m.end_give_a_reason(warnings=tuple(warnings)))
        overrides = (*overrides, *(Override(event.seq, w, reason) for w in warnings))
    return replace(
        state,
        ended_at=at,
        volume_infused_ml=volume,
        pauses=_close_pause(state, at),
        overrides=overrides,
    )


def observation_blocker(state: InfusionState, protocol: Protocol, at: datetime) -> Message | None:
    if state.observation_ended_at is not None:
        return m.observation_recorded_already()
    if state.ended_at is None:
        return m.observation_not_ended()
    observation = protocol.monitoring.observation_min.value
    until = state.ended_at + timedelta(minutes=observation)
    if at < until:
        return m.observation_blocked_time(
            minutes_left=minutes_left(until, at), observation_min=observation
        )
    if state.end_vitals is None:
        return m.observation_blocked_end_vitals()
    return None


def _observation_ended(
    state: InfusionState, event: RecordedEvent, protocol: Protocol
) -> InfusionState:
    if state.stopped and state.started_at is None:
        raise ActionRefused(m.observation_stopped_before_start())
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
        raise ActionRefused(m.follow_up_not_ended())
    if check not in known:
        raise ActionRefused(m.follow_up_unknown(known=tuple(known), check=check))
    if check in state.follow_ups_done:
        raise ActionRefused(m.follow_up_already(check=check))
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
        raise ActionRefused(m.correct_no_earlier(seq=target))
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
