"""Reading an infusion back: its events, its state and what is due, at any ``now``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.identity import parse_infusion_reference
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent, Step
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.schedule import DueItem, due_items
from infusion_app.logic.transitions import fold
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event, Infusion, Patient, Stream, User


@dataclass(frozen=True)
class InfusionStatus:
    infusion_id: int
    stream: str
    state: InfusionState
    protocol: Protocol
    now: datetime
    due: tuple[DueItem, ...]

    @property
    def step(self) -> Step:
        return self.state.step


def infusion_status(
    ctx: AppContext, infusion_id: int, now: datetime | None = None
) -> InfusionStatus:
    """State and due items recomputed from the stored log: what a restart shows."""
    moment = now or ctx.now()
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        protocol = protocol_of(ctx, infusion)
        events = load_events(session, infusion.stream_id)
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None
    state = fold(events, protocol)
    return InfusionStatus(
        infusion_id, stream.name, state, protocol, moment, tuple(due_items(state, protocol, moment))
    )


def find_infusion(ctx: AppContext, reference: str) -> int:
    """An infusion by its number ID ("12") or by patient and number ("P001/1")."""
    trial_id, number = parse_infusion_reference(reference)
    with ctx.db.read() as session:
        if trial_id is None:
            return get_infusion(session, number).id
        found = session.execute(
            select(Infusion.id)
            .join(Patient, Patient.id == Infusion.patient_id)
            .where(Patient.trial_id == trial_id, Infusion.number == number)
        ).scalar_one_or_none()
        if found is None:
            raise InputError("infusion", f"patient {trial_id} has no infusion {number}")
        return found


def get_infusion(session: Session, infusion_id: int) -> Infusion:
    infusion = session.get(Infusion, infusion_id)
    if infusion is None:
        raise InputError("infusion", f"no infusion {infusion_id}")
    return infusion


def protocol_of(ctx: AppContext, infusion: Infusion) -> Protocol:
    """The protocol an infusion was created under; a changed file is not silently swapped in."""
    protocol = ctx.protocol(infusion.protocol_id)
    if protocol.version != infusion.protocol_version:
        raise InputError(
            "protocol",
            f"infusion {infusion.id} was created under {infusion.protocol_id} "
            f"v{infusion.protocol_version}, but the installed file is {protocol.label}: "
            "finish it with that version's file (--protocols-dir)",
        )
    return protocol


def load_events(session: Session, stream_id: int) -> list[RecordedEvent]:
    rows = session.execute(
        select(
            Event.seq,
            Event.type,
            Event.payload,
            Event.occurred_at,
            Event.recorded_at,
            User.username,
            Event.reason,
        )
        .outerjoin(User, User.id == Event.user_id)
        .where(Event.stream_id == stream_id)
        .order_by(Event.seq)
    )
    return [
        RecordedEvent(seq, EventType(type_), json.loads(payload), occurred, recorded, user, reason)
        for seq, type_, payload, occurred, recorded, user, reason in rows
    ]
