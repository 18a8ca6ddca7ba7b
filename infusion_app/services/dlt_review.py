"""The investigator's review of a flagged DLT, and the patient's list of them.

A flag is the app's rule (grade, attribution, DLT window); whether the event is a DLT for the
dose decisions is the investigator's judgement, signed "reviewed" with its reason, once per
adverse event. The review is an entry of the patient's stream naming the AE by its stream
and number, so an AE of any of the patient's infusions and one of their own are reviewed alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from infusion_app.logic.dlt_review import FlaggedDlt, StreamAes, check_review, flagged_dlts
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import DltReviewed
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import SHORT_TEXT_MAX, check_text, free_text
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course
from infusion_app.services.patients import find_patient
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.store.eventlog import append_event, lock_stream
from infusion_app.store.models import Stream, User


def review_dlt(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    stream: str,
    adverse_event_seq: int,
    confirmed: bool,
    reason: str,
    password: str,
) -> int:
    """Confirm (``confirmed``) or reject the flagged DLT ``stream`` #``adverse_event_seq`` of
    patient ``trial_id``, signed "reviewed". Returns the review's number in the patient's
    stream."""
    stream = check_text("stream", stream, SHORT_TEXT_MAX)
    reason = free_text("reason", reason)

    def act(session: Session, user: User, now: datetime) -> int:
        patient = find_patient(session, trial_id)
        own = patient_stream(patient.trial_id)
        lock_stream(session, own)
        course = load_course(ctx, session, patient)
        check_review(
            patient.trial_id,
            own,
            course.events,
            _infusion_aes(course),
            stream=stream,
            seq=adverse_event_seq,
        )
        model = DltReviewed(
            stream=stream, adverse_event_seq=adverse_event_seq, confirmed=confirmed, reason=reason
        )
        appended = append_event(
            session, own, model.TYPE, model, user=user, station=ctx.station, recorded_at=now
        )
        chain = session.get(Stream, patient.stream_id)
        assert chain is not None  # a foreign key guarantees it
        sign_event(ctx, session, user, chain, appended, SignatureMeaning.REVIEWED, now)
        return appended.seq

    return signed_act(ctx, actor, Action.REVIEW_DLT, password, act)


def course_dlts(course: LoadedCourse) -> tuple[FlaggedDlt, ...]:
    """The patient's flagged DLTs with their review state, from a course already read (the
    patient view and the trial's decisions read the course once for everything)."""
    own = patient_stream(course.patient.trial_id)
    return flagged_dlts(own, course.events, _infusion_aes(course))


def patient_dlts(ctx: AppContext, trial_id: str) -> tuple[FlaggedDlt, ...]:
    """One read: the flagged DLTs of patient ``trial_id``."""
    with ctx.db.read() as session:
        return course_dlts(load_course(ctx, session, find_patient(session, trial_id)))


def _infusion_aes(course: LoadedCourse) -> tuple[StreamAes, ...]:
    return tuple((i.stream, i.state.adverse_events) for i in course.infusions)


__all__ = ["course_dlts", "patient_dlts", "review_dlt"]
