"""Creating an infusion record and finding its stream of events."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.course import check_new_infusion
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType, infusion_stream, patient_stream
from infusion_app.logic.events import InfusionCreated
from infusion_app.logic.roles import Action
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import load_course
from infusion_app.services.integrity import transaction
from infusion_app.services.patients import find_patient
from infusion_app.services.products import bind_to_infusion, find_product
from infusion_app.services.status import get_infusion
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.eventlog import append_event, create_stream, lock_stream
from infusion_app.store.models import Infusion, Stream


def create_infusion(
    ctx: AppContext, actor: CurrentUser, trial_id: str, product_id: str, number: int
) -> int:
    """A new infusion record (cycle or dose ``number``) for a patient's own product, in the
    place the patient's plan has for it (logic.course.check_new_infusion)."""
    now = ctx.now()
    if number < 1:
        raise InputError("number", f"must be 1 or more, got {number}")
    with transaction(ctx) as session:
        user = require(session, actor, Action.CREATE_INFUSION, now)
        patient = find_patient(session, trial_id)
        # the patient's stream lock first: two stations adding an infusion to one course (or
        # an investigator ending it) take their turns, and each checks the plan it joins
        lock_stream(session, patient_stream(trial_id))
        product = find_product(session, product_id)
        if product.patient_id != patient.id:
            raise InputError(
                "product_id", f"product {product_id} does not belong to patient {trial_id}"
            )
        if session.execute(
            select(Infusion.id).where(Infusion.patient_id == patient.id, Infusion.number == number)
        ).first():
            raise InputError("number", f"patient {trial_id} has an infusion {number} already")
        if session.execute(
            select(Stream.id).where(Stream.name == infusion_stream(trial_id, number))
        ).first():
            raise RecordIntegrityError(
                f"infusion {trial_id}/{number}",
                "row",
                problem="is in the log but its row was deleted",
            )
        course = load_course(ctx, session, patient)
        protocol = course.protocol
        # the plan decides: enrolled, not ended, the next number, not beyond the level's count
        check_new_infusion(protocol, course.facts, number)
        bind_to_infusion(ctx, session, user, product, f"{trial_id}/{number}", now)
        stream = create_stream(session, infusion_stream(trial_id, number))
        infusion = Infusion(
            patient_id=patient.id,
            product_id=product.id,
            number=number,
            protocol_id=protocol.id,
            protocol_version=protocol.version,
            created_at=now,
            stream_id=stream.id,
        )
        session.add(infusion)
        session.flush()
        append_event(
            session,
            stream.name,
            EventType.INFUSION_CREATED,
            InfusionCreated(
                patient=trial_id,
                product=product_id,
                number=number,
                protocol=protocol.label,
                dose_level=course.facts.level_for(number),
                # pinned in the chained log: status.protocol_of refuses other content later
                protocol_sha256=protocol.content_sha256,
            ),
            user=user,
            station=ctx.station,
            recorded_at=now,
        )
        return infusion.id


def infusion_stream_of(session: Session, infusion_id: int) -> Stream:
    stream = session.get(Stream, get_infusion(session, infusion_id).stream_id)
    assert stream is not None  # a foreign key guarantees it
    return stream
