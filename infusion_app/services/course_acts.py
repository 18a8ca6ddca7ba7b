"""The investigator's acts on a patient's course: enrol, change the level, end treatment.

Each is one signed transaction (the investigator re-enters their password; the signature is
bound to the event in the patient's chain). A time may be given for an act done on paper
during a downtime (``at``, within the protocol's back-entry limit, with ``reason``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import back_entry_limit, check_moment
from infusion_app.logic.course import CourseRefused, EndReason, check_level_change
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import DoseLevelChanged, PatientEnrolled, TreatmentEnded
from infusion_app.logic.events import Event as EventModel
from infusion_app.logic.messages import Message
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action, Role, may
from infusion_app.logic.text_rules import (
    DOSE_LEVEL_MAX,
    USERNAME_MAX,
    check_text,
    free_text,
    optional_free_text,
)
from infusion_app.services.accounts import check_credentials
from infusion_app.services.bedside import patient_known_since
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course
from infusion_app.services.patients import find_patient
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.services.trial import TrialRefused, check_enrolment
from infusion_app.store.eventlog import Appended, append_event, lock_stream
from infusion_app.store.models import Patient, Stream, User


def enrol_patient(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    dose_level: str,
    password: str,
    at: datetime | None = None,
    reason: str | None = None,
    deviation_reason: str | None = None,
    second_user: str | None = None,
    second_password: str | None = None,
) -> None:
    """Enrol a registered patient into their protocol at ``dose_level`` (signed "enrolled").

    The enrolment opens the course: infusion 1 is due from it and the calendar's baseline
    items count from it. It is done once; a later level is a dose-level change.

    Where the protocol has a dose-finding rule, the rule decides where and when patients are
    enrolled (:func:`infusion_app.services.trial.check_enrolment`); an enrolment it refuses
    is made only as a deviation: with ``deviation_reason`` and a second investigator's
    signature (``second_user``, ``second_password``; signed "approved"). A wrong second
    password counts towards that account's lockout like any signature.
    """
    dose_level = check_text("dose_level", dose_level, DOSE_LEVEL_MAX)
    reason = optional_free_text("reason", reason)
    deviation_reason = optional_free_text("deviation_reason", deviation_reason)

    def act(session: Session, user: User, now: datetime) -> AuthenticationFailed | None:
        course = _course(ctx, session, trial_id)
        if course.facts.enrolment is not None:
            raise CourseRefused(
                m.course_enrolled_already(patient=trial_id, at=course.facts.enrolment.at)
            )
        course.protocol.dose_level(dose_level)  # an unknown level names the known ones
        # not before the patient was known: their registration, or the weighing it recorded
        # when the registration itself was entered after a downtime
        known = patient_known_since(session, course.patient)
        when = _when(course, at, now, not_before=known, what=m.since_registered())
        refusal = check_enrolment(ctx, session, course.protocol, dose_level, now)
        second: User | None = None
        if refusal is not None:
            if deviation_reason is None:
                raise TrialRefused(refusal)
            outcome = _second_signer(ctx, session, user, second_user, second_password, now)
            if isinstance(outcome, AuthenticationFailed):
                return outcome  # committed as a failed signature; nothing else is written
            second = outcome
        elif deviation_reason is not None:
            raise TrialRefused(m.trial_deviation_not_needed(level=dose_level))
        model = PatientEnrolled(
            protocol=course.protocol.label,
            dose_level=dose_level,
            deviation_of=refusal.code if refusal is not None else None,
            deviation_reason=deviation_reason if refusal is not None else None,
        )
        appended = _signed_event(
            ctx, session, user, course.patient, model, SignatureMeaning.ENROLLED, now, when, reason
        )
        if second is not None:
            chain = session.get(Stream, course.patient.stream_id)
            assert chain is not None  # a foreign key guarantees it
            sign_event(ctx, session, second, chain, appended, SignatureMeaning.APPROVED, now)
        course.patient.dose_level = dose_level
        return None

    failure = signed_act(ctx, actor, Action.ENROL_PATIENT, password, act)
    if failure is not None:
        raise failure


def _second_signer(
    ctx: AppContext,
    session: Session,
    first: User,
    username: str | None,
    password: str | None,
    now: datetime,
) -> User | AuthenticationFailed:
    """The second investigator of a deviation, whose password is checked like a signature."""
    if username is None or password is None:
        raise TrialRefused(m.trial_second_signer_needed())
    username = check_text("second_user", username, USERNAME_MAX)
    if username == first.username:
        raise TrialRefused(m.trial_second_signer_same())
    outcome = check_credentials(ctx, session, username, password, now, signing=True)
    if isinstance(outcome, AuthenticationFailed):
        return outcome
    if not may(Role(outcome.role), Action.ENROL_PATIENT):
        raise TrialRefused(m.trial_second_signer_not_allowed(username=username))
    return outcome


def change_dose_level(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    to_level: str,
    from_infusion: int,
    reason: str,
    password: str,
    at: datetime | None = None,
    back_entry_reason: str | None = None,
) -> None:
    """Give infusions ``from_infusion`` on at ``to_level`` (a dose modification or
    de-escalation), signed "approved", with the reason. Never retroactive: an infusion that
    exists already keeps its level; and it applies from the next infusion, which the new
    level must plan (:func:`infusion_app.logic.course.check_level_change`). A change decided
    on paper during a downtime (``at``) says why it is entered late (``back_entry_reason``),
    apart from the reason for the change."""
    to_level = check_text("to_level", to_level, DOSE_LEVEL_MAX)
    reason = free_text("reason", reason)
    back_entry_reason = optional_free_text("reason", back_entry_reason)

    def act(session: Session, user: User, now: datetime) -> None:
        course = _course(ctx, session, trial_id)
        facts = course.facts
        current = check_level_change(course.protocol, facts, to_level, from_infusion, now)
        when = _when(course, at, now, not_before=facts.starts_at)
        model = DoseLevelChanged(
            from_level=current, to_level=to_level, from_infusion=from_infusion, reason=reason
        )
        _signed_event(
            ctx,
            session,
            user,
            course.patient,
            model,
            SignatureMeaning.APPROVED,
            now,
            when,
            back_entry_reason,
        )

    signed_act(ctx, actor, Action.CHANGE_DOSE_LEVEL, password, act)


def end_treatment(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    reason: str,
    password: str,
    details: str | None = None,
    at: datetime | None = None,
    back_entry_reason: str | None = None,
) -> None:
    """No more infusions for this patient (signed "ended"). After death or withdrawal no
    further visit is expected; otherwise follow-up goes on."""
    try:
        why = EndReason(reason.strip().lower())
    except ValueError:
        raise InputError(
            "reason", f"must be one of {', '.join(r.value for r in EndReason)}, got {reason!r}"
        ) from None
    details = optional_free_text("details", details)
    if why is EndReason.OTHER and not details:
        raise InputError("details", "say what the other reason is")
    back_entry_reason = optional_free_text("reason", back_entry_reason)

    def act(session: Session, user: User, now: datetime) -> None:
        course = _course(ctx, session, trial_id)
        facts = course.facts
        if facts.enrolment is None:
            raise CourseRefused(m.course_not_enrolled(patient=trial_id))
        if facts.end is not None:
            raise CourseRefused(
                m.course_ended_already(
                    patient=trial_id,
                    reason=m.value_of("end_reason", facts.end.reason),
                    at=facts.end.at,
                )
            )
        running = [
            i.number
            for i in course.infusions
            if i.state.started_at is not None and i.state.ended_at is None and not i.state.stopped
        ]
        if running:
            raise CourseRefused(m.course_end_while_running(patient=trial_id, number=running[0]))
        when = _when(course, at, now, not_before=facts.starts_at)
        model = TreatmentEnded(reason=why.value, details=details)
        _signed_event(
            ctx,
            session,
            user,
            course.patient,
            model,
            SignatureMeaning.ENDED,
            now,
            when,
            back_entry_reason,
        )

    signed_act(ctx, actor, Action.END_TREATMENT, password, act)


def _course(ctx: AppContext, session: Session, trial_id: str) -> LoadedCourse:
    """The course as stored, read under the patient's stream lock: two stations acting on
    the same course (or a start checking the plan) take their turns."""
    patient = find_patient(session, trial_id)
    lock_stream(session, patient_stream(patient.trial_id))
    return load_course(ctx, session, patient)


def _when(
    course: LoadedCourse,
    at: datetime | None,
    now: datetime,
    *,
    not_before: datetime,
    what: Message | None = None,
) -> datetime:
    if at is None:
        return now
    return check_moment(
        "at",
        plausible_utc("at", at),
        now,
        not_before=not_before,
        not_before_what=what or m.since_course_began(),
        limit=back_entry_limit(course.protocol),
    )


def _signed_event(
    ctx: AppContext,
    session: Session,
    user: User,
    patient: Patient,
    model: EventModel,
    meaning: SignatureMeaning,
    now: datetime,
    when: datetime,
    reason: str | None,
) -> Appended:
    stream = session.get(Stream, patient.stream_id)
    assert stream is not None  # a foreign key guarantees it
    appended = append_event(
        session,
        patient_stream(patient.trial_id),
        model.TYPE,
        model,
        user=user,
        station=ctx.station,
        recorded_at=now,
        occurred_at=when,
        reason=reason,
    )
    sign_event(ctx, session, user, stream, appended, meaning, now)
    return appended


__all__ = ["change_dose_level", "end_treatment", "enrol_patient"]
