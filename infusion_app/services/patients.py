"""Registering a patient and recording a new weight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.advisories import Advisory
from infusion_app.logic.backentry import back_entry_limit, check_date_of_birth, check_moment
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType, patient_stream
from infusion_app.logic.events import PatientRegistered, WeightRecorded
from infusion_app.logic.patient import validate_patient
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import (
    DOSE_LEVEL_MAX,
    INITIALS_MAX,
    TRIAL_ID_MAX,
    check_text,
    optional_free_text,
)
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.eventlog import append_event, create_stream
from infusion_app.store.models import Patient, Stream
from infusion_app.store.projections import check_patient


def register_patient(
    ctx: AppContext,
    actor: CurrentUser,
    *,
    trial_id: str,
    initials: str,
    sex: str,
    weight_kg: Decimal | int | str,
    weight_measured_at: datetime,
    protocol_id: str,
    dose_level: str,
    date_of_birth: date | None = None,
    age_years: int | None = None,
) -> list[Advisory]:
    """Returns the warnings the person acknowledged by registering (e.g. unusual weight)."""
    now = ctx.now()
    trial_id = check_text("trial_id", trial_id, TRIAL_ID_MAX)
    initials = check_text("initials", initials, INITIALS_MAX)
    dose_level = check_text("dose_level", dose_level, DOSE_LEVEL_MAX)
    protocol = ctx.protocol(protocol_id)
    weight_measured_at = _weighed(weight_measured_at, now, back_entry_limit(protocol))
    if date_of_birth is not None:
        check_date_of_birth(date_of_birth, now)
    details, warnings = validate_patient(
        protocol,
        trial_id=trial_id,
        initials=initials,
        sex=sex,
        weight_kg=weight_kg,
        weight_measured_at=weight_measured_at,
        dose_level=dose_level,
        now=now,
        date_of_birth=date_of_birth,
        age_years=age_years,
    )
    with transaction(ctx) as session:
        user = require(session, actor, Action.REGISTER_PATIENT, now)
        if session.execute(select(Patient.id).where(Patient.trial_id == trial_id)).first():
            raise InputError("trial_id", f"patient {trial_id!r} is registered already")
        if session.execute(
            select(Stream.id).where(Stream.name == patient_stream(trial_id))
        ).first():
            raise RecordIntegrityError(
                f"patient {trial_id}", "row", problem="is in the log but its row was deleted"
            )
        stream = create_stream(session, patient_stream(trial_id))
        session.add(
            Patient(
                trial_id=details.trial_id,
                initials=details.initials,
                date_of_birth=details.date_of_birth,
                age_years=details.age_years,
                sex=details.sex.value,
                weight_kg=details.weight_kg,
                weight_measured_at=details.weight_measured_at,
                protocol_id=protocol.id,
                dose_level=details.dose_level,
                stream_id=stream.id,
            )
        )
        append_event(
            session,
            stream.name,
            EventType.PATIENT_REGISTERED,
            PatientRegistered(
                trial_id=details.trial_id,
                initials=details.initials,
                date_of_birth=details.date_of_birth,
                age_years=details.age_years,
                sex=details.sex.value,
                protocol=protocol.label,
                dose_level=details.dose_level,
                weight_kg=details.weight_kg,
                weight_measured_at=details.weight_measured_at,
                warnings_acknowledged=tuple(str(w.message) for w in warnings),  # English, stored
            ),
            user=user,
            station=ctx.station,
            recorded_at=now,
        )
    return warnings


def record_weight(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    weight_kg: Decimal | int | str,
    measured_at: datetime,
    *,
    reason: str | None = None,
) -> list[Advisory]:
    now = ctx.now()
    reason = optional_free_text("reason", reason)
    with transaction(ctx) as session:
        user = require(session, actor, Action.RECORD_WEIGHT, now)
        patient = find_patient(session, trial_id)
        protocol = ctx.protocol(patient.protocol_id)
        measured_at = _weighed(
            measured_at,
            now,
            back_entry_limit(protocol),
            not_before=patient.weight_measured_at,
        )
        details, warnings = validate_patient(
            protocol,
            trial_id=patient.trial_id,
            initials=patient.initials,
            sex=patient.sex,
            weight_kg=weight_kg,
            weight_measured_at=measured_at,
            dose_level=patient.dose_level,
            now=now,
            date_of_birth=patient.date_of_birth,
            age_years=patient.age_years,
        )
        patient.weight_kg = details.weight_kg
        patient.weight_measured_at = measured_at
        append_event(
            session,
            patient_stream(trial_id),
            EventType.WEIGHT_RECORDED,
            WeightRecorded(
                weight_kg=details.weight_kg,
                warnings_acknowledged=tuple(str(w.message) for w in warnings),  # English, stored
            ),
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=measured_at,
            reason=reason,
        )
    return warnings


def _weighed(
    moment: datetime, now: datetime, limit: timedelta, *, not_before: datetime | None = None
) -> datetime:
    """When a weight was measured: not in the future, within the back-entry limit, and not
    before the weight on record (an older weight must not replace a newer one)."""
    return check_moment(
        "weight_measured_at",
        plausible_utc("weight_measured_at", moment),
        now,
        not_before=not_before,
        not_before_what=m.since_weighed(),
        limit=limit,
    )


def find_patient(session: Session, trial_id: str) -> Patient:
    trial_id = check_text("trial_id", trial_id, TRIAL_ID_MAX)
    patient = session.execute(
        select(Patient).where(Patient.trial_id == trial_id)
    ).scalar_one_or_none()
    if patient is None:
        if session.execute(
            select(Stream.id).where(Stream.name == patient_stream(trial_id))
        ).first():
            raise RecordIntegrityError(
                f"patient {trial_id}", "row", problem="is in the log but its row was deleted"
            )
        raise InputError("trial_id", f"no patient {trial_id!r}")
    check_patient(session, patient)
    return patient
