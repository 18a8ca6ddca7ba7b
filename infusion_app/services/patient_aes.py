"""Adverse events recorded against the patient, and the report of a serious one.

An AE found between infusions (at a visit, by phone, from a lab result) is the treatment's as
a whole: it goes on the patient's own stream, with the same fields, grading, DLT flag (the
protocol's DLT window, as the course stands) and 24-hour report deadline as a reaction
recorded at the bedside. Nurses and investigators record them (Action.RECORD_ADVERSE_EVENT);
one call is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from infusion_app.logic import events as ev
from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import check_adverse_event_text, entered_adverse_event
from infusion_app.logic.backentry import (
    ABSOLUTE_BACK_LIMIT,
    back_entry_limit,
    check_moment,
    check_times,
)
from infusion_app.logic.corrections import adverse_event_payload
from infusion_app.logic.course import dlt_window
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.patient_aes import (
    check_onset,
    check_sae_report,
    patient_adverse_events,
    require_enrolled,
)
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import check_payload_text, optional_free_text
from infusion_app.services.authorisation import require
from infusion_app.services.bedside import ADVERSE_EVENT
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course
from infusion_app.services.integrity import transaction
from infusion_app.services.patients import find_patient
from infusion_app.store.eventlog import append_event, lock_stream
from infusion_app.store.models import User

# The fields of an AE are the bedside reaction's (its declaration gives names and defaults).
_FIELDS = {p.name: p.default for p in ADVERSE_EVENT.params}
_REQUIRED = frozenset(p.name for p in ADVERSE_EVENT.params if p.required)


@dataclass(frozen=True)
class PatientAe:
    """What recording it left: its number in the patient's stream, the flag and deadline."""

    seq: int
    dlt: bool
    report_due_at: datetime | None


def record_patient_ae(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    raw_values: Mapping[str, Any],
    *,
    at: datetime | None = None,
    reason: str | None = None,
) -> PatientAe:
    """An adverse event of the patient (the reaction's fields: term, grade, attribution,
    serious, started_at, aware_at, ...). It must begin between enrolment and the end of
    follow-up; ``at`` is when it is recorded as known (default now; back-entry rules)."""
    unknown = sorted(raw_values.keys() - _FIELDS.keys())
    missing = sorted(n for n in _REQUIRED if raw_values.get(n) is None)
    if unknown or missing:
        raise TypeError(f"record_patient_ae: unexpected {unknown} or missing {missing} fields")
    values = check_adverse_event_text({**_FIELDS, **raw_values})
    reason = optional_free_text("reason", reason)
    now = ctx.now()
    with transaction(ctx) as session:
        user, course = _open(ctx, session, actor, trial_id, now)
        when = _entry_time(course, at, now, reason)

        def onset(field: str, moment: datetime) -> datetime:
            # an onset may lie further back than an entry's back-entry limit (a fever at home
            # told at the week-4 visit): it is bounded by the course, checked below
            return check_moment(field, plausible_utc(field, moment), now, limit=ABSOLUTE_BACK_LIMIT)

        raw = entered_adverse_event(values, at=when, check_time=onset)
        window = dlt_window(course.protocol, course.facts)
        model = ev.AdverseEventRecorded.model_validate(
            adverse_event_payload(raw, course.protocol, window)
        )
        check_onset(course.protocol, course.facts, model.started_at)
        seq = _append(ctx, session, user, course, model, now, when, reason)
    return PatientAe(seq, model.dlt, model.report_due_at)


def report_patient_sae(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    adverse_event_seq: int,
    *,
    at: datetime | None = None,
    reason: str | None = None,
) -> int:
    """The serious AE ``adverse_event_seq`` of the patient's stream was reported (to the
    sponsor and the ethics committee): its countdown ends. Returns the report's number."""
    reason = optional_free_text("reason", reason)
    now = ctx.now()
    with transaction(ctx) as session:
        user, course = _open(ctx, session, actor, trial_id, now)
        check_sae_report(patient_adverse_events(course.events), adverse_event_seq, patient=trial_id)
        when = _entry_time(course, at, now, reason)
        model = ev.SaeReported(adverse_event_seq=adverse_event_seq)
        return _append(ctx, session, user, course, model, now, when, reason)


def _open(
    ctx: AppContext, session: Session, actor: CurrentUser, trial_id: str, now: datetime
) -> tuple[User, LoadedCourse]:
    """Authorised, the patient's stream locked, the course read: an enrolled patient."""
    user = require(session, actor, Action.RECORD_ADVERSE_EVENT, now)
    patient = find_patient(session, trial_id)
    lock_stream(session, patient_stream(patient.trial_id))
    course = load_course(ctx, session, patient)
    require_enrolled(course.facts)
    return user, course


def _entry_time(
    course: LoadedCourse, at: datetime | None, now: datetime, reason: str | None
) -> datetime:
    """When the entry happened: now, or a back-entered time (not before enrolment, within
    the protocol's back-entry limit, more than 5 min back only with a reason)."""
    if at is None:
        return now
    when = check_moment(
        "at",
        plausible_utc("at", at),
        now,
        not_before=course.facts.starts_at,
        not_before_what=m.since_enrolled(),
        limit=back_entry_limit(course.protocol),
    )
    check_times(when, now, reason, ev.AdverseEventRecorded.TYPE)
    return when


def _append(
    ctx: AppContext,
    session: Session,
    user: User,
    course: LoadedCourse,
    model: ev.AdverseEventRecorded | ev.SaeReported,
    now: datetime,
    when: datetime,
    reason: str | None,
) -> int:
    check_payload_text(ev.encode(model))
    appended = append_event(
        session,
        patient_stream(course.patient.trial_id),
        model.TYPE,
        model,
        user=user,
        station=ctx.station,
        recorded_at=now,
        occurred_at=when,
        reason=reason,
    )
    return appended.seq


__all__ = ["PatientAe", "record_patient_ae", "report_patient_sae"]
