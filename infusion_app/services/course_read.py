"""Reading a patient's course back from the log: one read for the plan, calendar and DLTs.

Every screen, printout and act of the course starts here, so the plan a nurse sees, the one
the CLI prints and the one a refusal is based on are the same computation on the same events.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.course import CalendarRecord, CourseFacts
from infusion_app.logic.course_fold import (
    fold_patient_course,
    infusion_facts,
    legacy_follow_ups,
    with_infusions,
)
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import fold
from infusion_app.services.context import AppContext
from infusion_app.services.status import load_events, protocol_of
from infusion_app.store.models import Infusion, Patient, Stream


@dataclass(frozen=True)
class InfusionOfCourse:
    infusion_id: int
    number: int
    stream: str
    state: InfusionState
    events: tuple[RecordedEvent, ...]
    protocol: Protocol  # the version it was begun under


@dataclass(frozen=True)
class LoadedCourse:
    """A patient's course as stored: the current protocol (which plans the course), the
    folded facts, the patient's own events and each infusion with its state."""

    patient: Patient
    protocol: Protocol
    facts: CourseFacts
    events: tuple[RecordedEvent, ...]
    infusions: tuple[InfusionOfCourse, ...]


def load_course(ctx: AppContext, session: Session, patient: Patient) -> LoadedCourse:
    """Inside the caller's transaction, so an act checks the plan it then writes to."""
    protocol = ctx.protocol(patient.protocol_id)
    events = tuple(load_events(session, patient.stream_id))
    facts = fold_patient_course(patient.trial_id, events)
    of_course = []
    legacy: list[CalendarRecord] = []
    for infusion in session.execute(
        select(Infusion).where(Infusion.patient_id == patient.id).order_by(Infusion.number)
    ).scalars():
        own = protocol_of(ctx, infusion)
        infusion_events = tuple(load_events(session, infusion.stream_id))
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None  # a foreign key guarantees it
        state = fold(infusion_events, own)
        of_course.append(
            InfusionOfCourse(infusion.id, infusion.number, stream.name, state, infusion_events, own)
        )
        legacy.extend(legacy_follow_ups(protocol, infusion.number, stream.name, infusion_events))
    facts = with_infusions(
        facts,
        (infusion_facts(i.number, i.state, i.events) for i in of_course),
        legacy,
    )
    return LoadedCourse(patient, protocol, facts, events, tuple(of_course))
