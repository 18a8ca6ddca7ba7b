"""The append-only, hash-chained event log.

Every event belongs to one stream (``system``, ``patient:…``, ``product:…``, ``infusion:…``)
with its own gap-free sequence. Its hash is ``sha256(prev_hash + canonical JSON)`` where the
canonical JSON holds every field that matters (stream name, seq, type, payload, both times,
user, station, reason) with sorted keys and no spaces. Changing any stored byte, removing or
reordering an event breaks the chain; recomputing the whole chain changes the head hash, which
the printed record carries, so comparing with the paper exposes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from itertools import groupby
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Connection, Dialect, bindparam, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from infusion_app.logic.backentry import check_times
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Event as EventModel
from infusion_app.logic.events import Signature as SignatureEvent
from infusion_app.logic.events import UndecodableEvent, decode, encode
from infusion_app.store.models import GENESIS_HASH, Event, Signature, Stream, User
from infusion_app.store.projections import table_differences

KNOWN_TYPES = frozenset(t.value for t in EventType)


def jsonable(value: Any) -> Any:
    """Payload values as canonical JSON can hold them: Decimals and times as exact text."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


# One encoder for the whole process: json.dumps with options builds a new one per call,
# which is most of the cost of verifying a long chain.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
_encode = _ENCODER.encode


def _text(value: str | None) -> str:
    """A JSON string or null, through the C encoder that ``_encode`` would end up in."""
    return "null" if value is None else encode_basestring(value)


def canonical_json(value: Any) -> str:
    return _encode(value)


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with microseconds: digits, '-', ':', '.', '+' only (safe in JSON)."""
    if moment.tzinfo is not UTC:
        if moment.tzinfo is None:
            raise ValueError("naive datetime in the event log")
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")


def event_hash(
    prev_hash: str,
    *,
    stream: str,
    seq: int,
    type: str,
    payload_text: str,
    occurred_at: datetime,
    recorded_at: datetime,
    user: str | None,
    station: str,
    reason: str | None,
) -> str:
    """``sha256(prev_hash + canonical JSON of the event)``.

    The canonical JSON is what ``json.dumps(event, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)`` gives for the event with its payload object. It is assembled here
    field by field in that sorted order, with ``payload_text`` (already canonical) spliced in
    unparsed; tests/store/test_eventlog.py checks the two agree byte for byte.
    """
    canonical = (
        f'{{"occurred_at":"{utc_text(occurred_at)}","payload":{payload_text}'
        f',"reason":{_text(reason)},"recorded_at":"{utc_text(recorded_at)}"'
        f',"seq":{int(seq)},"station":{_text(station)},"stream":{_text(stream)}'
        f',"type":{_text(type)},"user":{_text(user)}}}'
    )
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def create_stream(session: Session, name: str) -> Stream:
    stream = Stream(name=name, head_seq=0, head_hash=GENESIS_HASH)
    session.add(stream)
    session.flush()
    return stream


def ensure_stream(session: Session, name: str) -> None:
    """Create stream ``name`` unless it exists: for a chain that begins with its first event
    rather than with a record (a trial's decisions). Two PostgreSQL stations may both try;
    the unique name makes the second wait for the first and then find its row."""
    if session.execute(select(Stream.id).where(Stream.name == name)).first() is not None:
        return
    try:
        with session.begin_nested():
            create_stream(session, name)
    except IntegrityError:
        pass  # created by another station meanwhile: its row is there now


@dataclass(frozen=True)
class Appended:
    """What a caller needs of an event it just appended: where it is and its hash."""

    stream_id: int
    seq: int
    hash: str


_LOCK_HEAD = (
    select(Stream.id, Stream.head_seq, Stream.head_hash)
    .where(Stream.name == bindparam("name"))
    .with_for_update()
)
_INSERT_EVENT = insert(Event)
_EVENT_COLUMNS = (
    "stream_id",
    "seq",
    "type",
    "payload",
    "occurred_at",
    "recorded_at",
    "user_id",
    "station",
    "reason",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class _DriverStatements:
    """The append's two statements as SQLAlchemy compiles them for the dialect, run straight
    on the driver's connection inside the session's transaction: SQLAlchemy's execution
    machinery (cache lookup, execution context, result wrapping) was most of a durable
    append's own time (issue 18). The SQL text, the parameters (positional for SQLite's
    ``?``, named for psycopg's ``%(name)s``) and the time columns' bind processor are
    SQLAlchemy's own, so the row stored is byte for byte the same. A driver error is wrapped
    as SQLAlchemy wraps it (``DBAPIError``, the connection invalidated when the driver says
    it is lost), so ``translate_errors`` reads it by its code as before."""

    lock_head: str
    insert: str
    order: tuple[str, ...] | None  # positional parameters' order; None: named
    stored_time: Callable[[datetime], Any]

    def lock_params(self, stream_name: str) -> tuple[str] | dict[str, str]:
        return (stream_name,) if self.order is not None else {"name": stream_name}

    def insert_params(self, row: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        return tuple(row[name] for name in self.order) if self.order is not None else row


_DRIVERS = {("sqlite", "pysqlite", "qmark"), ("postgresql", "psycopg", "pyformat")}
_PREPARED: dict[tuple[str, str, str], _DriverStatements] = {}


def _driver_statements(dialect: Dialect) -> _DriverStatements | None:
    """The statements for this dialect and driver, compiled once; None for another driver
    (the Core path)."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    if key not in _DRIVERS:
        return None
    prepared = _PREPARED.get(key)
    if prepared is None:
        lock = _LOCK_HEAD.compile(dialect=dialect)
        insert_event = _INSERT_EVENT.compile(dialect=dialect, column_keys=list(_EVENT_COLUMNS))
        positional = dialect.paramstyle == "qmark"
        if positional:
            assert lock.positiontup == ["name"], lock.positiontup
        time_type = Event.__table__.c.occurred_at.type
        process = time_type.dialect_impl(dialect).bind_processor(dialect)
        assert process is not None  # UTCDateTime's own, at least
        order = tuple(insert_event.positiontup or ()) if positional else None
        prepared = _PREPARED[key] = _DriverStatements(str(lock), str(insert_event), order, process)
    return prepared


def _on_driver(connection: Connection, statement: str, params: Any) -> Any:
    """``statement`` run on the connection's driver; its error as SQLAlchemy raises it."""
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        return driver.execute(statement, params)
    except connection.dialect.loaded_dbapi.Error as exc:
        lost = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            statement,
            params,
            exc,
            connection.dialect.loaded_dbapi.Error,
            hide_parameters=True,  # patient free text stays out of logs and messages
            connection_invalidated=lost,
            dialect=connection.dialect,
        ) from exc


def lock_stream(session: Session, stream_name: str) -> tuple[int, str]:
    """Take the stream's write lock before reading the events a decision depends on, and
    give its head (seq, hash) as the locked row says.

    Without it two PostgreSQL stations could both decide from the same state and append one
    after the other (SQLite's BEGIN IMMEDIATE already serialises every writer).
    """
    head = session.connection().execute(_LOCK_HEAD, {"name": stream_name}).first()
    if head is None:
        raise InputError("stream", f"no record {stream_name!r} exists")
    return int(head.head_seq), str(head.head_hash)


def append_event(
    session: Session,
    stream_name: str,
    type: EventType,
    payload: EventModel | Mapping[str, Any],
    *,
    user: User | None,
    station: str,
    recorded_at: datetime,
    occurred_at: datetime | None = None,
    reason: str | None = None,
) -> Appended:
    """Append one event inside the caller's write transaction.

    ``payload`` is the event's model (:mod:`infusion_app.logic.events`), which must be of
    ``type``; a plain mapping is taken only from migration 0003, kept as it was written
    (every service builds a model).

    The stream row is locked first (FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE has
    already serialised all writers), so two stations appending to one infusion get
    consecutive sequence numbers and one unbroken chain. Inserting the event moves the
    stream's head (a trigger, see migration 0002), which also refuses an event that does not
    continue the chain. Core statements, not ORM (their compiled text run on the driver,
    :class:`_DriverStatements`): the append is the hot path of every bedside action, and the
    head is always read from the database, never from an ORM object loaded earlier in the
    session.
    """
    occurred = occurred_at or recorded_at
    check_times(occurred, recorded_at, reason, type)
    connection = session.connection()
    statements = _driver_statements(connection.dialect)
    if statements is not None:
        locked = _on_driver(connection, statements.lock_head, statements.lock_params(stream_name))
        head = locked.fetchone()
    else:
        head = connection.execute(_LOCK_HEAD, {"name": stream_name}).one_or_none()
    if head is None:
        raise InputError("stream", f"no record {stream_name!r} exists")
    stream_id, head_seq, head_hash = head
    if isinstance(payload, EventModel):
        if payload.TYPE is not type:
            raise ValueError(f"a {payload.TYPE.value} payload appended as {type.value}")
        payload = encode(payload)
    payload_text = canonical_json(jsonable(payload))
    seq = head_seq + 1
    digest = event_hash(
        head_hash,
        stream=stream_name,
        seq=seq,
        type=type.value,
        payload_text=payload_text,
        occurred_at=occurred,
        recorded_at=recorded_at,
        user=user.username if user else None,
        station=station,
        reason=reason,
    )
    row = {
        "stream_id": stream_id,
        "seq": seq,
        "type": type.value,
        "payload": payload_text,
        "occurred_at": occurred,
        "recorded_at": recorded_at,
        "user_id": user.id if user else None,
        "station": station,
        "reason": reason,
        "prev_hash": head_hash,
        "hash": digest,
    }
    if statements is not None:
        stored = statements.stored_time
        row["occurred_at"], row["recorded_at"] = stored(occurred), stored(recorded_at)
        _on_driver(connection, statements.insert, statements.insert_params(row))
    else:
        connection.execute(_INSERT_EVENT, row)
    return Appended(stream_id, seq, digest)


@dataclass(frozen=True)
class StreamReport:
    stream: str
    events: int
    head_hash: str
    problem: str | None = None
    broken_seq: int | None = None
    # rows of the projected tables (users, patients, products, infusions, signatures) that
    # disagree with this stream's events; the first is also ``problem`` when the chain holds
    differences: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.problem is None and not self.differences


@dataclass(frozen=True)
class VerifyReport:
    streams: tuple[StreamReport, ...]

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.streams)

    @property
    def events(self) -> int:
        return sum(s.events for s in self.streams)

    @property
    def first_problem(self) -> StreamReport | None:
        return next((s for s in self.streams if not s.ok), None)

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem found, one line each, stream by stream."""
        lines: list[str] = []
        for stream in self.streams:
            if stream.problem is not None:
                lines.append(stream.problem)
            lines.extend(d for d in stream.differences if d != stream.problem)
        return tuple(lines)


_ROWS = (
    select(
        Stream.name,
        Event.seq,
        Event.type,
        Event.payload,
        Event.occurred_at,
        Event.recorded_at,
        User.username,
        Event.station,
        Event.reason,
        Event.prev_hash,
        Event.hash,
    )
    .join(Stream, Stream.id == Event.stream_id)
    .outerjoin(User, User.id == Event.user_id)
)


def verify(
    connection: Connection, stream_name: str | None = None, *, expected_head: str | None = None
) -> VerifyReport:
    """Walk the chain(s): sequence, prev_hash, payload and hash of every event, the stream's
    recorded head, and every signature's binding to the event it signs."""
    streams_query = select(Stream.id, Stream.name, Stream.head_seq, Stream.head_hash).order_by(
        Stream.id
    )
    if stream_name is not None:
        streams_query = streams_query.where(Stream.name == stream_name)
    streams = connection.execute(streams_query).all()
    if stream_name is not None and not streams:
        raise InputError("stream", f"no record {stream_name!r} exists")
    rows = connection.execution_options(yield_per=5000).execute(
        _ROWS.where(Stream.id.in_([s.id for s in streams])).order_by(Event.stream_id, Event.seq)
        if stream_name is not None
        else _ROWS.order_by(Event.stream_id, Event.seq)
    )
    # Rows arrive stream by stream in the streams' order: walk each chain as it streams
    # past, so verifying a whole site's log never holds it all in memory.
    chains = groupby(rows, key=lambda row: row[0])
    current = next(chains, None)
    walked = []
    for stream in streams:
        events: Iterable[Any] = ()
        if current is not None and current[0] == stream.name:
            events, current = current[1], None
        walked.append(_verify_stream(stream.name, events, stream))
        if current is None:
            current = next(chains, None)
    differences = table_differences(
        connection, [s.id for s in streams] if stream_name is not None else None
    )
    reports = []
    for stream, report in zip(streams, walked, strict=True):
        if report.ok:
            report = _verify_signatures(connection, stream.id, report)
        differing = tuple(differences.get(stream.id, ()))
        if differing:
            report = replace(report, problem=report.problem or differing[0], differences=differing)
        if report.ok and expected_head is not None and report.head_hash != expected_head:
            report = StreamReport(
                report.stream,
                report.events,
                report.head_hash,
                f"head hash {report.head_hash} differs from the expected {expected_head}: "
                "events were removed, added or the chain was recomputed",
            )
        reports.append(report)
    return VerifyReport(tuple(reports))


def _verify_stream(name: str, rows: Iterable[Any], stream: Any) -> StreamReport:
    expected_seq, prev = 1, GENESIS_HASH
    for row in rows:
        problem, digest = _row_problem(name, row, expected_seq, prev)
        if problem is not None:
            return StreamReport(
                name, expected_seq - 1, prev, f"event {name}#{row.seq}: {problem}", row.seq
            )
        prev, expected_seq = digest, expected_seq + 1
    count = expected_seq - 1
    if stream.head_seq != count or stream.head_hash != prev:
        return StreamReport(
            name,
            count,
            prev,
            f"stream {name} records {stream.head_seq} events ending in {stream.head_hash[:12]}… "
            f"but the log holds {count} ending in {prev[:12]}… (events removed?)",
            count + 1,
        )
    return StreamReport(name, count, prev)


def _row_problem(name: str, row: Any, expected_seq: int, prev: str) -> tuple[str | None, str]:
    """What is wrong with one event given the one before it, and its recomputed hash."""
    (
        _,
        seq,
        type_,
        payload,
        occurred_at,
        recorded_at,
        user,
        station,
        reason,
        prev_hash,
        stored_hash,
    ) = row
    if seq != expected_seq:
        return f"expected sequence number {expected_seq} (a gap or reordering)", prev
    if prev_hash != prev:
        return "prev_hash does not match the hash of the event before it", prev
    if type_ not in KNOWN_TYPES:
        return f"unknown event type {type_!r}", prev
    problem = _payload_problem(payload)
    if problem is not None:
        return problem, prev
    digest = event_hash(
        prev,
        stream=name,
        seq=seq,
        type=type_,
        payload_text=payload,
        occurred_at=occurred_at,
        recorded_at=recorded_at,
        user=user,
        station=station,
        reason=reason,
    )
    if digest != stored_hash:
        return "hash does not match the event's content (the event was altered)", prev
    return None, digest


def _payload_problem(text: str) -> str | None:
    try:
        payload = json.loads(text)
    except ValueError:
        return "payload is not valid JSON"
    if not isinstance(payload, dict):
        return "payload is not a JSON object"
    if canonical_json(payload) != text:
        return "payload is not in canonical form"
    return None


def _verify_signatures(
    connection: Connection, stream_id: int, report: StreamReport
) -> StreamReport:
    """A signature row must point at the event it signed (same hash) and at its own
    signature event, whose payload names the same signer, meaning and signed hash."""
    signatures = connection.execute(
        select(
            Signature.id,
            Signature.meaning,
            Signature.printed_name,
            Signature.signed_seq,
            Signature.signed_hash,
            Signature.signature_seq,
            User.username,
        )
        .join(User, User.id == Signature.user_id)
        .where(Signature.stream_id == stream_id)
        .order_by(Signature.id)
    ).all()
    if not signatures:
        return report
    wanted = {s.signed_seq for s in signatures} | {s.signature_seq for s in signatures}
    events = {
        row.seq: row
        for row in connection.execute(
            select(Event.seq, Event.hash, Event.type, Event.payload).where(
                Event.stream_id == stream_id, Event.seq.in_(wanted)
            )
        )
    }
    for signature in signatures:
        signed = events.get(signature.signed_seq)
        own = events.get(signature.signature_seq)
        problem = None
        if signed is None or signed.hash != signature.signed_hash:
            problem = "does not match the event it claims to sign"
        elif own is None or own.type != EventType.SIGNATURE.value:
            problem = "has no signature event in the log"
        elif _signature_event(own.payload) != (
            signature.meaning,
            signature.printed_name,
            signature.signed_hash,
            signature.signed_seq,
            signature.username,
        ):
            problem = "differs from its signature event in the log"
        if problem is not None:
            return StreamReport(
                report.stream,
                report.events,
                report.head_hash,
                f"signature {signature.id} ({signature.meaning}, {signature.printed_name}) "
                f"{problem}",
                signature.signed_seq,
            )
    return report


def _signature_event(payload: str) -> tuple[str, str, str, int, str] | None:
    """What a signature event says: meaning, printed name, signed hash and seq, username."""
    try:
        event = decode(EventType.SIGNATURE, payload)
    except UndecodableEvent:
        return None
    assert isinstance(event, SignatureEvent)  # decode() gives the type's model
    return (
        event.meaning.value,
        event.printed_name,
        event.signed_hash,
        event.signed_seq,
        event.username,
    )
