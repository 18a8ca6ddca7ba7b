"""The bedside actions: one function per thing a nurse does, one transaction each.

Every action follows the same path (:func:`_act`): authorise against the account as stored
now, take the infusion's stream lock, fold the stored log into the current state, build the
event, let the rule book (:func:`infusion_app.logic.transitions.apply`) accept or refuse it,
append it, and sign it where the protocol's record needs a signature (start, stop, end,
corrections). A refused action writes nothing; the exception's message says why.

``at`` is the bedside time of the action (default: now). A time more than 5 minutes back
needs ``late_reason`` (back-entry after downtime); a time in the future is refused.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.adverse_events import fever_grade
from infusion_app.logic.alarms import Alarm
from infusion_app.logic.backentry import (
    ABSOLUTE_BACK_LIMIT,
    CLOCK_SKEW,
    back_entry_limit,
    check_moment,
    check_times,
)
from infusion_app.logic.coa import coa_from_mapping, is_expired
from infusion_app.logic.corrections import adverse_event_payload, correction_payload
from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.entered_time import parse_iso_time, plausible_utc
from infusion_app.logic.errors import DomainError, DoseError, InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.identity import GivenIdentity, PatientFacts, identity_problems
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.roles import Action
from infusion_app.logic.summaries import calculation_summary
from infusion_app.logic.text_rules import (
    PRODUCT_ID_MAX,
    SHORT_TEXT_MAX,
    TRIAL_ID_MAX,
    check_payload_text,
    check_text,
    free_text,
    optional_free_text,
    optional_text,
)
from infusion_app.logic.transitions import (
    ActionRefused,
    InconsistentRecord,
    apply,
    effective_events,
    fold,
)
from infusion_app.logic.vitals import parse_vitals, vitals_alarms, vitals_payload
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.services.products import (
    ADMINISTERED,
    DISPENSED,
    IN_USE,
    RELEASED,
    follow_infusion,
)
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.services.status import get_infusion, load_events, protocol_of
from infusion_app.store.eventlog import append_event, canonical_json, jsonable, lock_stream
from infusion_app.store.models import Event, Infusion, Patient, Product, Stream, User
from infusion_app.store.projections import check_patient, check_product


class HardStop(DomainError):
    """A pre-infusion check failed: wrong patient, wrong bag, product not released or expired.

    No one can override it. The failed check itself is recorded before this is raised.
    """


@dataclass(frozen=True)
class Outcome:
    """What an action leaves behind: the new state, the event's number, alarms it raised."""

    state: InfusionState
    seq: int
    alarms: tuple[Alarm, ...] = ()


@dataclass
class _Scope:
    """What an action's builder may look at, inside the action's transaction."""

    session: Session
    infusion: Infusion
    protocol: Protocol
    state: InfusionState
    events: list[RecordedEvent]
    at: datetime
    now: datetime
    user: User

    def patient(self) -> Patient:
        patient = self.session.get(Patient, self.infusion.patient_id)
        assert patient is not None  # foreign key
        check_patient(self.session, patient)  # the weight, dose level ... the log says
        return patient

    def product(self) -> Product:
        product = self.session.get(Product, self.infusion.product_id)
        assert product is not None  # foreign key
        check_product(self.session, product)  # the status and CoA the log says
        return product

    def known_since(self) -> datetime:
        return patient_known_since(self.session, self.patient())

    def check_moment(self, field: str, moment: datetime) -> datetime:
        """A time given for this infusion: not in the future, not before the patient was
        registered, not beyond the protocol's back-entry limit."""
        return check_moment(
            field,
            plausible_utc(field, moment),
            self.now,
            not_before=self.known_since(),
            limit=back_entry_limit(self.protocol),
        )


@dataclass
class _Draft:
    type: EventType
    payload: dict[str, Any]
    meaning: SignatureMeaning | None = None
    alarms: tuple[Alarm, ...] = ()
    refold: bool = False  # a correction: the whole corrected log must still replay


def _act(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    action: Action,
    build: Callable[[_Scope], _Draft],
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
    password: str | None = None,
) -> Outcome:
    reason = optional_free_text("reason", late_reason)

    def body(session: Session, user: User, now: datetime) -> Outcome:
        infusion = get_infusion(session, infusion_id)
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None
        lock_stream(session, stream.name)
        protocol = protocol_of(ctx, infusion)
        events = load_events(session, infusion.stream_id)
        state = fold(events, protocol)
        occurred = plausible_utc("occurred_at", _aware(at)) if at is not None else now
        scope = _Scope(session, infusion, protocol, state, events, occurred, now, user)
        if at is not None:
            scope.check_moment("occurred_at", occurred)
        draft = build(scope)
        check_times(occurred, now, reason, draft.type)
        check_payload_text(draft.payload)
        payload = json.loads(canonical_json(jsonable(draft.payload)))
        candidate = RecordedEvent(
            state.last_seq + 1, draft.type, payload, occurred, now, user.username, reason
        )
        if draft.refold:
            try:
                new_state = fold([*events, candidate], protocol)
            except InconsistentRecord as broken:
                raise ActionRefused(
                    f"correct: the corrected record would not hold: {broken}"
                ) from None
        else:
            new_state = apply(state, candidate, protocol)
        appended = append_event(
            session,
            stream.name,
            draft.type,
            payload,
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=occurred,
            reason=reason,
        )
        if draft.meaning is not None:
            signature = sign_event(ctx, session, user, stream, appended, draft.meaning, now)
            signed = RecordedEvent(
                signature.signature_seq,
                EventType.SIGNATURE,
                {
                    "meaning": signature.meaning,
                    "printed_name": signature.printed_name,
                    "signed_seq": signature.signed_seq,
                },
                now,
                now,
                user.username,
            )
            new_state = apply(new_state, signed, protocol)
        product = session.get(Product, infusion.product_id)
        assert product is not None  # foreign key
        follow_infusion(ctx, session, user, product, draft.type, state.started_at is not None, now)
        return Outcome(new_state, appended.seq, draft.alarms)

    if password is not None:
        return signed_act(ctx, actor, action, password, body)
    now = ctx.now()
    with transaction(ctx) as session:
        user = require(session, actor, action, now)
        return body(session, user, now)


def patient_known_since(session: Session, patient: Patient) -> datetime:
    """The earliest time an entry about this patient may carry: their registration, or the
    weighing it recorded when that was earlier (a registration entered after downtime)."""
    first = session.execute(
        select(Event).where(Event.stream_id == patient.stream_id).order_by(Event.seq).limit(1)
    ).scalar_one_or_none()
    if first is None:
        return patient.weight_measured_at
    since = first.occurred_at
    weighed = json.loads(first.payload).get("weight_measured_at")
    if isinstance(weighed, str):
        with contextlib.suppress(ValueError, TypeError):  # else the registration's time
            since = min(since, datetime.fromisoformat(weighed))
    return since


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InputError("at", "give the time with its time zone (e.g. 2026-11-21T08:35+08:00)")
    return moment


# --- dose ---------------------------------------------------------------------------------


def calculate_infusion_dose(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    final_volume_ml: Decimal | int | str | None = None,
    drop_factor_gtt_per_ml: Decimal | int | str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """Dose and drip plan from today's weight and this product's CoA, for a second person
    to verify. A plan that cannot meet the protocol (an error advisory) is not recorded.
    ``at``: when it was calculated (back-entry after downtime, with ``late_reason``); the
    weight must then have been measured within the protocol's hours before ``at``."""

    def build(scope: _Scope) -> _Draft:
        patient, product, protocol = scope.patient(), scope.product(), scope.protocol
        max_age = protocol.dosing.weight_max_age_h.value
        if patient.weight_measured_at > scope.at + CLOCK_SKEW:
            raise InputError(
                "at",
                f"the dose cannot be calculated before the weight it uses was measured "
                f"({patient.weight_measured_at.isoformat(timespec='minutes')})",
            )
        if scope.at - patient.weight_measured_at > timedelta(hours=max_age):
            raise InputError(
                "weight_kg",
                f"the weight on record was measured "
                f"{patient.weight_measured_at.isoformat(timespec='minutes')}, more than "
                f"{max_age} h ago: record today's weight first",
            )
        coa = coa_from_mapping(json.loads(product.coa))
        if coa.viability_pct is None:
            raise InputError("coa.viability_pct", "is pending: the dose needs a viability result")
        dose = calculate_dose(
            protocol,
            patient.dose_level,
            weight_kg=patient.weight_kg,
            total_cells_per_ml=coa.total_cells_per_ml,
            viability_pct=coa.viability_pct,
            bag_volume_ml=coa.volume_ml,
            final_volume_ml=final_volume_ml,
        )
        plan = plan_drip(protocol.infusion, dose.final_volume_ml, drop_factor_gtt_per_ml)
        for advisory in plan.warnings:
            if advisory.level == "error":
                raise DoseError(advisory.field, str(advisory.message))
        payload = {
            **calculation_summary(dose, plan),
            "weight_measured_at": patient.weight_measured_at,
            "product": product.product_id,
        }
        return _Draft(EventType.DOSE_CALCULATED, payload)

    return _act(
        ctx, actor, infusion_id, Action.CALCULATE_DOSE, build, at=at, late_reason=late_reason
    )


def verify_dose(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    password: str,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """A second person (not the one who calculated) signs the calculation "verified"."""

    def build(scope: _Scope) -> _Draft:
        if scope.state.dose is None:
            raise ActionRefused("verify dose: no dose has been calculated")
        payload = {"calculation_seq": scope.state.dose.seq}
        return _Draft(EventType.DOSE_VERIFIED, payload, meaning=SignatureMeaning.VERIFIED)

    return _act(
        ctx,
        actor,
        infusion_id,
        Action.VERIFY_DOSE,
        build,
        at=at,
        late_reason=late_reason,
        password=password,
    )


# --- pre-infusion checks ------------------------------------------------------------------


def check_identity(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    product_id: str,
    trial_id: str | None = None,
    initials: str | None = None,
    date_of_birth: date | None = None,
    wristband: str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """Patient by two identifiers or wristband, bag by product ID, product released and in date.

    A mismatch is recorded (a near miss the record must show) and raised as HardStop.
    """
    product_id = check_text("product_id", product_id, PRODUCT_ID_MAX, required=False)
    given = GivenIdentity(
        optional_text("trial_id", trial_id, TRIAL_ID_MAX),
        optional_text("initials", initials, SHORT_TEXT_MAX),
        date_of_birth,
        optional_text("wristband", wristband, SHORT_TEXT_MAX),
    )
    failure: list[str] = []

    def build(scope: _Scope) -> _Draft:
        patient, product = scope.patient(), scope.product()
        scanned_owner = scope.session.execute(
            select(Patient.trial_id)
            .join(Product, Product.patient_id == Patient.id)
            .where(Product.product_id == product_id.strip())
        ).scalar_one_or_none()
        found = identity_problems(
            PatientFacts(patient.trial_id, patient.initials, patient.date_of_birth),
            given,
            infusion_product=product.product_id,
            product_owner=scanned_owner,
            scanned_product=product_id,
        )
        problems = [str(problem) for problem in found]  # stored as their English lines
        problems += _product_problems(product, scope.at, started=scope.state.started_at is not None)
        details = {
            "method": given.method(),
            "trial_id": patient.trial_id,
            "product": product_id.strip(),
        }
        if problems:
            failure.extend(problems)
            return _Draft(EventType.CHECK_FAILED, {**details, "problems": problems})
        return _Draft(EventType.IDENTITY_CHECKED, {**details, "product_status": product.status})

    outcome = _bedside(ctx, actor, infusion_id, build, at, late_reason)
    if failure:
        raise HardStop("hard stop: " + "; ".join(failure))
    return outcome


def _product_problems(product: Product, at: datetime, *, started: bool = False) -> list[str]:
    problems = []
    # once this infusion has started, its bag is in use (then administered) by this infusion:
    # the rule book, not the hard stop, refuses a second check or start
    usable = (RELEASED, DISPENSED, IN_USE, ADMINISTERED) if started else (RELEASED, DISPENSED)
    if product.status not in usable:
        problems.append(
            f"product {product.product_id} is {product.status}, not released by a pharmacist"
        )
    if is_expired(coa_from_mapping(json.loads(product.coa)), at):
        problems.append(f"product {product.product_id} is past its expiry")
    return problems


def give_premedication(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """The protocol's premedication (drug, dose and route from the protocol file)."""

    def build(scope: _Scope) -> _Draft:
        premed = scope.protocol.premedication
        payload = {
            "drug": premed.drug.value,
            "dose_mg": premed.dose_mg.value,
            "route": premed.route.value,
        }
        return _Draft(EventType.PREMEDICATION_GIVEN, payload)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason)


def record_thaw(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    def build(scope: _Scope) -> _Draft:
        limit = scope.protocol.infusion.post_thaw_limit_min.value
        return _Draft(EventType.PRODUCT_THAWED, {"post_thaw_limit_min": limit})

    return _bedside(ctx, actor, infusion_id, build, at, late_reason)


# --- the infusion -------------------------------------------------------------------------


def start_infusion(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    password: str,
    *,
    drop_factor_gtt_per_ml: int,
    override_reason: str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """Start at the slow rate, signed "administered". The product and the weight the dose
    was calculated from are checked again at the moment of the start."""

    def build(scope: _Scope) -> _Draft:
        product, patient, dose = scope.product(), scope.patient(), scope.state.dose
        problems = _product_problems(product, scope.at, started=scope.state.started_at is not None)
        if problems:
            raise HardStop("hard stop: " + "; ".join(problems))
        if dose is not None and (
            patient.weight_measured_at != dose.weight_measured_at
            or patient.weight_kg != dose.weight_kg
        ):
            raise ActionRefused(
                f"start blocked: the dose was calculated for {dose.weight_kg} kg, but a new "
                f"weight ({patient.weight_kg} kg) was recorded since: recalculate and verify"
            )
        payload: dict[str, Any] = {
            "drop_factor_gtt_per_ml": drop_factor_gtt_per_ml,
            "rate_gtt_per_min": dose.phase1_rate_gtt_per_min if dose else None,
        }
        if override_reason:
            payload["override_reason"] = override_reason
        return _Draft(EventType.INFUSION_STARTED, payload, meaning=SignatureMeaning.ADMINISTERED)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason, password=password)


def change_rate(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    no_discomfort: bool,
    rate_gtt_per_min: int | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """The rate step after the slow phase (the plan's rate unless another in range is given),
    or a change of rate within the fast phase."""

    def build(scope: _Scope) -> _Draft:
        dose = scope.state.dose
        rate = rate_gtt_per_min
        if rate is None:
            rate = dose.phase2_rate_gtt_per_min if dose else None
        if rate is None:
            raise InputError("rate_gtt_per_min", "is required")
        payload = {"rate_gtt_per_min": int(rate), "no_discomfort": bool(no_discomfort)}
        return _Draft(EventType.RATE_CHANGED, payload)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason)


def hold_slow_rate(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    why: str,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """Discomfort at the rate step: stay at the slow rate (record the reaction separately)."""
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.SLOW_RATE_HELD, {"reason": free_text("why", why)}),
        at,
        late_reason,
    )


def record_vitals(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    values: Mapping[str, Any],
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """One set of vital signs with its NEWS2; values outside the alert limits are saved and
    come back as alarms."""
    vitals = parse_vitals(values)

    def build(scope: _Scope) -> _Draft:
        payload = vitals_payload(vitals, scope.protocol.vital_alert_limits)
        alarms = tuple(vitals_alarms(vitals, scope.protocol.vital_alert_limits))
        return _Draft(EventType.VITALS_RECORDED, payload, alarms=alarms)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason)


def record_adverse_event(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    term: str,
    attribution: str,
    serious: bool,
    grade: int | str | None = None,
    started_at: datetime | None = None,
    aware_at: datetime | None = None,
    action_taken: str = "none",
    outcome: str = "not recovered / ongoing",
    other_term: str | None = None,
    description: str | None = None,
    temperature_c: Decimal | str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """A CTCAE v5.0 adverse event. For fever the grade is suggested from the temperature
    (given, or the highest recorded in this infusion) and used when no grade is given."""

    term = check_text("term", term, SHORT_TEXT_MAX)
    other_term = optional_text("other_term", other_term, SHORT_TEXT_MAX)
    attribution = check_text("attribution", attribution, SHORT_TEXT_MAX)
    action_taken = check_text("action_taken", action_taken, SHORT_TEXT_MAX)
    outcome = check_text("outcome", outcome, SHORT_TEXT_MAX)
    description = optional_free_text("description", description)

    def build(scope: _Scope) -> _Draft:
        suggested = None
        if term.strip().lower() == "fever":
            peak: Decimal | None
            if temperature_c is not None:
                peak = parse_decimal("temperature_c", temperature_c)
            else:
                peak = max((v.vitals.temperature_c for v in scope.state.vitals), default=None)
            suggested = fever_grade(peak) if peak is not None else None
        chosen = grade if grade is not None else suggested
        if chosen is None:
            raise InputError(
                "grade", "is required (no temperature of 38.0 °C or more to suggest one)"
            )
        raw = {
            "term": term,
            "other_term": other_term,
            "grade": chosen,
            "started_at": scope.check_moment("started_at", started_at) if started_at else scope.at,
            "aware_at": scope.check_moment("aware_at", aware_at) if aware_at else scope.at,
            "attribution": attribution,
            "serious": serious,
            "action_taken": action_taken,
            "outcome": outcome,
            "description": description,
            "fever_grade_suggested": suggested,
        }
        first_dose = first_dose_at(scope)
        return _Draft(
            EventType.ADVERSE_EVENT_RECORDED,
            adverse_event_payload(raw, scope.protocol, first_dose),
        )

    return _bedside(ctx, actor, infusion_id, build, at, late_reason)


def first_dose_at(scope: _Scope) -> datetime | None:
    """The patient's first infusion start over all their infusions: the DLT window's origin."""
    starts = []
    for other in scope.session.execute(
        select(Infusion).where(Infusion.patient_id == scope.infusion.patient_id)
    ).scalars():
        if other.id == scope.infusion.id:
            state = scope.state
        else:
            state = fold(load_events(scope.session, other.stream_id), scope.protocol)
        if state.started_at is not None:
            starts.append(state.started_at)
    return min(starts, default=None)


def report_sae(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    adverse_event_seq: int,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """The serious adverse event was reported (ends its 24-hour countdown)."""
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.SAE_REPORTED, {"adverse_event_seq": adverse_event_seq}),
        at,
        late_reason,
    )


def pause_infusion(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    why: str,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.INFUSION_PAUSED, {"reason": free_text("why", why)}),
        at,
        late_reason,
    )


def resume_infusion(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.INFUSION_RESUMED, {}),
        at,
        late_reason,
    )


def stop_infusion(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    password: str,
    *,
    why: str,
    volume_given_ml: Decimal | int | str,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """Stop for good, with the volume given; observation still follows. Signed."""
    volume = parse_decimal("volume_given_ml", volume_given_ml)

    def build(scope: _Scope) -> _Draft:
        payload = {"reason": free_text("why", why), "volume_given_ml": volume}
        return _Draft(EventType.INFUSION_STOPPED, payload, meaning=SignatureMeaning.ADMINISTERED)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason, password=password)


def end_infusion(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    password: str,
    *,
    volume_infused_ml: Decimal | int | str,
    override_reason: str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """The bag has run through; outside the 30-60 min window or short of the bag needs
    ``override_reason``. Signed "administered"."""
    volume = parse_decimal("volume_infused_ml", volume_infused_ml)

    def build(scope: _Scope) -> _Draft:
        payload: dict[str, Any] = {"volume_infused_ml": volume}
        if override_reason:
            payload["override_reason"] = override_reason
        return _Draft(EventType.INFUSION_ENDED, payload, meaning=SignatureMeaning.ADMINISTERED)

    return _bedside(ctx, actor, infusion_id, build, at, late_reason, password=password)


def end_observation(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.OBSERVATION_ENDED, {}),
        at,
        late_reason,
    )


def record_follow_up(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    check: str,
    *,
    finding: str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """The 24-hour acute-reaction check or a delayed-reaction visit (week 4, 8, ...) done."""
    payload = {
        "check": check_text("check", check, SHORT_TEXT_MAX),
        "finding": optional_free_text("finding", finding),
    }
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.FOLLOW_UP_DONE, payload),
        at,
        late_reason,
    )


def correct_event(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    seq: int,
    password: str,
    *,
    reason: str,
    occurred_at: datetime | None = None,
    changes: Mapping[str, Any] | None = None,
) -> Outcome:
    """A signed correction of an earlier entry: the original stays, the record shows both."""

    def build(scope: _Scope) -> _Draft:
        target = next((e for e in scope.events if e.seq == seq), None)
        if target is None:
            raise InputError("seq", f"infusion {infusion_id} has no event {seq}")
        effective = next((e for e in effective_events(scope.events) if e.seq == seq), target)
        values = dict(changes or {})
        for name in _TIME_FIELDS & values.keys():
            values[name] = _corrected_time(scope, target, name, values[name])
        for name in _VOLUME_FIELDS & values.keys():
            values[name] = parse_decimal(name, values[name])
        payload = correction_payload(
            effective,
            occurred_at=(
                _corrected_time(scope, target, "time", occurred_at) if occurred_at else None
            ),
            changes=values,
            protocol=scope.protocol,
            first_dose_at=first_dose_at(scope),
        )
        return _Draft(
            EventType.CORRECTION, payload, meaning=SignatureMeaning.CORRECTED, refold=True
        )

    return _bedside(ctx, actor, infusion_id, build, None, reason, password=password)


_TIME_FIELDS = frozenset({"started_at", "aware_at"})
_VOLUME_FIELDS = frozenset({"volume_infused_ml", "volume_given_ml"})


def _corrected_time(scope: _Scope, target: RecordedEvent, field: str, value: Any) -> datetime:
    """A corrected time obeys the rules the entry obeyed when it was made: not in the future,
    not before the patient was registered, not beyond the back-entry limit before the entry
    was recorded."""
    if isinstance(value, datetime):
        moment = plausible_utc(field, value)
    elif isinstance(value, str):
        moment = parse_iso_time(field, value)
    else:
        raise InputError(field, "must be an ISO 8601 time with its UTC offset")
    since = scope.known_since()
    earliest = target.recorded_at - back_entry_limit(scope.protocol)
    return check_moment(
        field,
        moment,
        scope.now,
        not_before=max(since, earliest),
        not_before_what=(
            "the patient was registered"
            if since >= earliest
            else "the back-entry limit before the entry was recorded"
        ),
        limit=ABSOLUTE_BACK_LIMIT,
    )


def acknowledge_alarm(
    ctx: AppContext, actor: CurrentUser, infusion_id: int, key: str, message: str
) -> Outcome:
    """Someone at the bedside saw the alarm: recorded with who and when; the banner drops it."""
    payload = {
        "alarm": check_text("alarm", key, SHORT_TEXT_MAX),
        "message": free_text("message", message, required=False),
    }
    return _bedside(
        ctx,
        actor,
        infusion_id,
        lambda scope: _Draft(EventType.ALARM_ACKNOWLEDGED, payload),
        None,
        None,
    )


def _bedside(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    build: Callable[[_Scope], _Draft],
    at: datetime | None,
    late_reason: str | None,
    *,
    password: str | None = None,
) -> Outcome:
    """A nurse's bedside action; with ``password`` it is also signed."""
    return _act(
        ctx,
        actor,
        infusion_id,
        Action.RECORD_INFUSION_EVENT,
        build,
        at=at,
        late_reason=late_reason,
        password=password,
    )
