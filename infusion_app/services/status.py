"""Reading an infusion back: its events, its state and what is due, at any ``now``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol as Protocol_

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import InfusionCreated, UndecodableEvent, decode
from infusion_app.logic.identity import parse_infusion_reference
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent, Step
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.schedule import DueItem, due_items
from infusion_app.logic.transitions import InconsistentRecord
from infusion_app.services.context import AppContext
from infusion_app.services.stream_cache import Head, protocol_key
from infusion_app.store.models import Event, Infusion, Patient, Stream, User
from infusion_app.store.projections import check_infusion


class InfusionRef(Protocol_):
    """What the protocol checks and the stream cache read of an infusion: its row as the ORM
    loads it, or the few columns a list of thousands reads without building ORM objects."""

    @property
    def id(self) -> int: ...

    @property
    def number(self) -> int: ...

    @property
    def stream_id(self) -> int: ...

    @property
    def patient_id(self) -> int: ...

    @property
    def protocol_id(self) -> str: ...

    @property
    def protocol_version(self) -> str: ...


@dataclass(frozen=True, slots=True)
class InfusionColumns:
    """An infusion row's columns, read as plain values (:class:`InfusionRef`)."""

    id: int
    number: int
    stream_id: int
    patient_id: int
    protocol_id: str
    protocol_version: str


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
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None
        state = infusion_state(ctx, session, infusion, protocol)
        opens = _plan_opens(ctx, session, infusion, state, moment)
    due = due_items(state, protocol, moment, plan_opens=opens)
    return InfusionStatus(infusion_id, stream.name, state, protocol, moment, tuple(due))


def _plan_opens(
    ctx: AppContext, session: Session, infusion: Infusion, state: InfusionState, now: datetime
) -> datetime | None:
    """From when the patient's plan lets this infusion start (None: started, or no plan), so
    the due items say what the start will be allowed (issue 14)."""
    # here, not at the top: the bedside module reads this one
    from infusion_app.services.bedside import start_plan

    plan = start_plan(ctx, session, infusion, state)
    return plan.opens(now) if plan is not None else None


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
    check_infusion(session, infusion)
    return infusion


def protocol_of(ctx: AppContext, infusion: Infusion) -> Protocol:
    """The protocol an infusion was created under; a changed file is not silently swapped in.

    The version must match, and so must the content: the SHA-256 of the protocol file is
    pinned in the infusion's first event (chained, so it cannot be edited unseen). A file with
    the same id and version but widened alert limits once removed a high alarm silently.
    Infusions created before the pin existed carry none and are checked by version only.
    """
    protocol = ctx.protocol_version(infusion.protocol_id, infusion.protocol_version)
    _check_version(protocol, infusion)
    pinned, reference = _pinned_protocol(ctx, infusion)
    _check_pin(protocol, pinned, reference)
    return protocol


class ProtocolReader:
    """The protocol files one list reads, each read once per list (a list of a site's
    infusions or courses names a few versions, thousands of times), each infusion's pin
    checked against its cached creation event: :func:`protocol_of` without a query a row."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.current: dict[str, Protocol] = {}
        self.versions: dict[tuple[str, str], Protocol] = {}
        self.contents: dict[tuple[str, str], tuple[str, str, str] | None] = {}

    def of_patient(self, patient: Patient) -> Protocol:
        if patient.protocol_id not in self.current:
            self.current[patient.protocol_id] = self.ctx.protocol(patient.protocol_id)
        return self.current[patient.protocol_id]

    def version_of(self, infusion: InfusionRef) -> Protocol:
        """The file of the infusion's version, unchecked (:meth:`of_infusion` checks it)."""
        key = (infusion.protocol_id, infusion.protocol_version)
        if key not in self.versions:
            self.versions[key] = self.ctx.protocol_version(*key)
            self.contents[key] = protocol_key(self.versions[key])
        return self.versions[key]

    def content_of(self, infusion: InfusionRef) -> tuple[str, str, str] | None:
        """What names the content of the infusion's version file (None: nothing does)."""
        self.version_of(infusion)
        return self.contents[(infusion.protocol_id, infusion.protocol_version)]

    def of_infusion(
        self, infusion: InfusionRef, stream: str, events: tuple[RecordedEvent, ...]
    ) -> Protocol:
        return pinned_protocol_of(self.version_of(infusion), infusion, stream, events)


def pinned_protocol_of(
    protocol: Protocol, infusion: InfusionRef, stream: str, events: tuple[RecordedEvent, ...]
) -> Protocol:
    """:func:`protocol_of` for a caller that holds the infusion's events and stream name (a
    list of courses): the pin is read from the creation event among them, not queried."""
    _check_version(protocol, infusion)
    created = next((e.data for e in events if e.type is EventType.INFUSION_CREATED), None)
    if isinstance(created, InfusionCreated):
        _check_pin(protocol, created.protocol_sha256, stream.removeprefix("infusion:"))
    return protocol


def _check_version(protocol: Protocol, infusion: InfusionRef) -> None:
    if protocol.version != infusion.protocol_version:
        raise InputError(
            "protocol",
            f"infusion {infusion.id} was created under {infusion.protocol_id} "
            f"v{infusion.protocol_version}, but the installed file is {protocol.label}: "
            "finish it with that version's file (--protocols-dir)",
        )


def _check_pin(protocol: Protocol, pinned: str | None, reference: str) -> None:
    if pinned is not None and protocol.content_sha256 != pinned:
        raise InputError(
            "protocol",
            f"protocol {protocol.label} changed since infusion {reference} began "
            f"(sha256 {pinned[:16]}…, the file now {(protocol.content_sha256 or 'none')[:16]}…); "
            "restore the file or finish the infusion with the original (--protocols-dir)",
        )


def _pinned_protocol(ctx: AppContext, infusion: Infusion) -> tuple[str | None, str]:
    """The protocol SHA-256 the infusion's creation event recorded, and the infusion's name."""
    query = (
        select(Event.payload, Stream.name)
        .join(Stream, Stream.id == Event.stream_id)
        .where(
            Event.stream_id == infusion.stream_id,
            Event.type == EventType.INFUSION_CREATED.value,
        )
        .order_by(Event.seq)
        .limit(1)
    )
    session = object_session(infusion)
    if session is not None:
        row = session.execute(query).first()
    else:
        with ctx.db.read() as reading:
            row = reading.execute(query).first()
    if row is None:
        return None, str(infusion.id)
    payload, stream_name = row
    created = decode(EventType.INFUSION_CREATED, payload)
    assert isinstance(created, InfusionCreated)  # decode() gives the type's model
    return created.protocol_sha256, stream_name.removeprefix("infusion:")


def load_events(session: Session, stream_id: int) -> list[RecordedEvent]:
    """Every stored event of the stream, decoded from its row: the plain read, uncached (the
    cached one, :func:`stream_events`, is checked against this)."""
    events, _, _ = load_event_rows(session, stream_id)
    return events


# what a RecordedEvent is made of, in its order (the author's username by the outer join)
_RECORDED = (
    Event.seq,
    Event.type,
    Event.payload,
    Event.occurred_at,
    Event.recorded_at,
    User.username,
    Event.reason,
)


def load_event_rows(
    session: Session, stream_id: int, *, after: int = 0, upto: int | None = None
) -> tuple[list[RecordedEvent], str | None, str | None]:
    """The stream's events with ``after < seq <= upto``, decoded, with the first one's
    ``prev_hash`` and the last one's ``hash`` (how the cache proves they continue its chain)."""
    query = (
        select(*_RECORDED, Event.prev_hash, Event.hash)
        .outerjoin(User, User.id == Event.user_id)
        .where(Event.stream_id == stream_id, Event.seq > after)
        .order_by(Event.seq)
    )
    if upto is not None:
        query = query.where(Event.seq <= upto)
    events = []
    first_prev: str | None = None
    last_hash: str | None = None
    for seq, type_, payload, occurred, recorded, user, reason, prev_hash, hash_ in session.execute(
        query
    ):
        try:
            data = decode(type_, payload)
        except UndecodableEvent as problem:
            raise InconsistentRecord(f"event {seq} ({type_}): {problem}") from None
        events.append(RecordedEvent(seq, data.TYPE, data, occurred, recorded, user, reason))
        if first_prev is None:
            first_prev = prev_hash
        last_hash = hash_
    return events, first_prev, last_hash


def load_streams_rows(
    session: Session, stream_ids: list[int]
) -> dict[int, tuple[list[RecordedEvent], str | None]]:
    """Several streams' events in one query, decoded as :func:`load_event_rows` decodes them,
    with each stream's last hash. A stream with an event that does not decode is left out:
    its own read raises what it always raised."""
    query = (
        select(Event.stream_id, *_RECORDED, Event.hash)
        .outerjoin(User, User.id == Event.user_id)
        .where(Event.stream_id.in_(stream_ids))
        .order_by(Event.stream_id, Event.seq)
    )
    found: dict[int, tuple[list[RecordedEvent], str | None]] = {}
    broken: set[int] = set()
    for stream_id, seq, type_, payload, occurred, recorded, user, reason, hash_ in session.execute(
        query
    ):
        if stream_id in broken:
            continue
        try:
            data = decode(type_, payload)
        except UndecodableEvent:
            broken.add(stream_id)
            found.pop(stream_id, None)
            continue
        events = found[stream_id][0] if stream_id in found else []
        events.append(RecordedEvent(seq, data.TYPE, data, occurred, recorded, user, reason))
        found[stream_id] = (events, hash_)
    return found


def stream_events(
    ctx: AppContext, session: Session, stream_id: int, head: Head | None = None
) -> tuple[RecordedEvent, ...]:
    """The stream's events as :func:`load_events` reads them, decoded once per process while
    the stream's head is unchanged (services/stream_cache.py)."""
    return ctx.streams.events(session, stream_id, head)


def infusion_state(
    ctx: AppContext,
    session: Session,
    infusion: InfusionRef,
    protocol: Protocol,
    head: Head | None = None,
) -> InfusionState:
    """``fold(load_events(...), protocol)``, folded once per (stream head, protocol content)."""
    return ctx.streams.state(session, infusion.stream_id, protocol, head)
