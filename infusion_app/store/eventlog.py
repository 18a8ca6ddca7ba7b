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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from json.encoder import encode_basestring
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, bindparam, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from infusion_app.logic.backentry import check_times
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Event as EventModel
from infusion_app.logic.events import encode
from infusion_app.store.database import SQLITE_CONSTRAINT_TRIGGER, write_connection
from infusion_app.store.driver_rows import DRIVERS, DriverQuery, on_driver
from infusion_app.store.models import GENESIS_HASH, Event, Stream

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


# One encoder for the whole process: json.dumps with options builds a new one per call, and
# JSONEncoder.encode builds its C encoder again at every call (a tenth of a durable append's
# own time, issue 18). This is that C encoder, built once with JSONEncoder(sort_keys=True,
# separators=(",", ":"), ensure_ascii=False, allow_nan=False, check_circular=False)'s
# settings: the same text (tests/store/test_eventlog.py). A payload is a tree, never cyclic.
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)
try:
    from _json import make_encoder as _make_encoder
except ImportError:  # pragma: no cover - CPython has it
    _encode: Callable[[Any], str] = _ENCODER.encode
else:
    _c_encode = _make_encoder(
        None, _ENCODER.default, encode_basestring, None, ":", ",", True, False, False
    )

    def _encode(value: Any) -> str:
        return "".join(_c_encode(value, 0))


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
    occurred = utc_text(occurred_at)
    recorded = occurred if recorded_at == occurred_at else utc_text(recorded_at)  # mostly
    canonical = (
        f'{{"occurred_at":"{occurred}","payload":{payload_text}'
        f',"reason":{_text(reason)},"recorded_at":"{recorded}"'
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


class Author(Protocol):
    """Who an entry is recorded as by: an account's row, as the ORM loads it or as a bedside
    act reads it (``act_rows.UserRecord``)."""

    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


@dataclass(frozen=True)
class Appended:
    """What a caller needs of an event it just appended: where it is and its hash."""

    stream_id: int
    seq: int
    hash: str


# the head locks, run on the driver (driver_rows.DriverQuery: compiled once per dialect)
_LOCK_HEAD = DriverQuery(
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
    """The append's INSERT as SQLAlchemy compiles it for the dialect, run straight
    on the driver's connection inside the session's transaction: SQLAlchemy's execution
    machinery (cache lookup, execution context, result wrapping) was most of a durable
    append's own time (issue 18). The SQL text, the parameters (positional for SQLite's
    ``?``, named for psycopg's ``%(name)s``) and the time columns' bind processor are
    SQLAlchemy's own, so the row stored is byte for byte the same. A driver error is wrapped
    as SQLAlchemy wraps it (``DBAPIError``, the connection invalidated when the driver says
    it is lost), so ``translate_errors`` reads it by its code as before."""

    insert: str
    order: tuple[str, ...] | None  # positional parameters' order; None: named
    stored_time: Callable[[datetime], Any]
    head_kept: bool  # the last append's head tried first (SQLite; see _LAST_HEADS)

    def insert_params(self, row: dict[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        return tuple(row[name] for name in self.order) if self.order is not None else row


_PREPARED: dict[tuple[str, str, str], _DriverStatements] = {}


def _driver_statements(dialect: Dialect) -> _DriverStatements | None:
    """The statements for this dialect and driver, compiled once; None for another driver
    (the Core path)."""
    key = (dialect.name, dialect.driver, dialect.paramstyle)
    if key not in DRIVERS:
        return None
    prepared = _PREPARED.get(key)
    if prepared is None:
        insert_event = _INSERT_EVENT.compile(dialect=dialect, column_keys=list(_EVENT_COLUMNS))
        positional = dialect.paramstyle == "qmark"
        time_type = Event.__table__.c.occurred_at.type
        process = time_type.dialect_impl(dialect).bind_processor(dialect)
        assert process is not None  # UTCDateTime's own, at least
        order = tuple(insert_event.positiontup or ()) if positional else None
        prepared = _PREPARED[key] = _DriverStatements(
            str(insert_event), order, process, head_kept=dialect.name == "sqlite"
        )
    return prepared


def lock_stream(session: Session, stream_name: str) -> tuple[int, str]:
    """Take the stream's write lock before reading the events a decision depends on, and
    give its head (seq, hash) as the locked row says.

    Without it two PostgreSQL stations could both decide from the same state and append one
    after the other (SQLite's BEGIN IMMEDIATE already serialises every writer).
    """
    head = _LOCK_HEAD.first(write_connection(session), {"name": stream_name})
    if head is None:
        raise InputError("stream", f"no record {stream_name!r} exists")
    _stream_id, seq, digest = head
    return int(seq), str(digest)


@dataclass(frozen=True, slots=True)
class LockedHead:
    """A record's head as read under its lock, in the write transaction that holds it."""

    stream_id: int
    name: str
    seq: int
    hash: str


def append_event(
    session: Session,
    stream_name: str,
    type: EventType,
    payload: EventModel | Mapping[str, Any],
    *,
    user: Author | None,
    station: str,
    recorded_at: datetime,
    occurred_at: datetime | None = None,
    reason: str | None = None,
    locked: LockedHead | None = None,
    payload_text: str | None = None,
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
    :class:`_DriverStatements` and ``DriverQuery``): the append is the hot path of every
    bedside action. The head is read from the database, never from an ORM object loaded
    earlier in the session; on SQLite the head this process's last append to the record left
    is tried first, and the trigger's refusal of a stale one means it is read (``_LAST_HEADS``).

    A bedside act hands over what it already has (issue 18: each was a tenth of the act's
    own time): ``locked``, the head read under the lock earlier in this transaction
    (``act_rows.lock_infusion``), with nothing appended to the record since (were anything,
    the insert trigger would refuse the event: it must continue the head the database
    holds); and ``payload_text``, the canonical text the act decoded ``payload`` from to check
    its fold, stored as it is rather than encoded again, so what is stored is what was
    checked.
    """
    occurred = occurred_at or recorded_at
    check_times(occurred, recorded_at, reason, type)
    connection = write_connection(session)
    statements = _driver_statements(connection.dialect)
    heads = _last_heads(connection) if statements is not None and statements.head_kept else None
    tried = None  # a head this process's last append to the record left (SQLite only)
    if locked is not None:
        if locked.name != stream_name:
            raise ValueError(f"the head of {locked.name} handed over for {stream_name}")
        head = (locked.stream_id, locked.seq, locked.hash)
    else:
        tried = heads.get(stream_name) if heads is not None else None
        head = tried if tried is not None else _read_head(connection, stream_name)
    if isinstance(payload, EventModel):
        if payload.TYPE is not type:
            raise ValueError(f"a {payload.TYPE.value} payload appended as {type.value}")
        if payload_text is None:
            payload_text = canonical_json(jsonable(encode(payload)))
    elif payload_text is not None:
        raise ValueError("a payload's text is handed over only with its model")
    else:
        payload_text = canonical_json(jsonable(payload))
    row = {
        "type": type.value,
        "payload": payload_text,
        "occurred_at": occurred,
        "recorded_at": recorded_at,
        "user_id": user.id if user else None,
        "station": station,
        "reason": reason,
    }
    username = user.username if user else None
    try:
        appended = _insert(connection, statements, stream_name, head, row, username)
    except DBAPIError as refused:
        # the head tried was not the record's (another process appended, or the transaction
        # that left it rolled back): the trigger refused the row and SQLite backed out that
        # statement only, so the head is read, as without a kept one, and the row inserted
        if tried is None or not _refused_by_chain_trigger(refused):
            raise
        head = _read_head(connection, stream_name)
        appended = _insert(connection, statements, stream_name, head, row, username)
    if heads is not None:
        heads[stream_name] = (appended.stream_id, appended.seq, appended.hash)
    return appended


def _read_head(connection: Connection, stream_name: str) -> tuple[int, int, str]:
    head = _LOCK_HEAD.first(connection, {"name": stream_name})
    if head is None:
        raise InputError("stream", f"no record {stream_name!r} exists")
    stream_id, head_seq, head_hash = head
    return int(stream_id), int(head_seq), str(head_hash)


def _insert(
    connection: Connection,
    statements: _DriverStatements | None,
    stream_name: str,
    head: tuple[int, int, str],
    fields: dict[str, Any],
    username: str | None,
) -> Appended:
    """The event continuing ``head``: its seq and hash worked out, its row inserted."""
    stream_id, head_seq, head_hash = head
    seq = head_seq + 1
    occurred, recorded_at = fields["occurred_at"], fields["recorded_at"]
    digest = event_hash(
        head_hash,
        stream=stream_name,
        seq=seq,
        type=fields["type"],
        payload_text=fields["payload"],
        occurred_at=occurred,
        recorded_at=recorded_at,
        user=username,
        station=fields["station"],
        reason=fields["reason"],
    )
    row = {**fields, "stream_id": stream_id, "seq": seq, "prev_hash": head_hash, "hash": digest}
    if statements is not None:
        stored = statements.stored_time(occurred)  # the same instant, the same text
        row["occurred_at"] = stored
        row["recorded_at"] = (
            stored if recorded_at == occurred else statements.stored_time(recorded_at)
        )
        on_driver(connection, statements.insert, statements.insert_params(row))
    else:
        connection.execute(_INSERT_EVENT, row)
    return Appended(stream_id, seq, digest)


# The head each record's last append in this process left, per database (its pool, which the
# reading and the writing engine share). On SQLite the next append to the record tries it
# instead of reading the head again (issue 18: a tenth of a durable append's own time). The
# insert trigger, which refuses an event that does not continue the head the database holds
# (migration 0002), is what proves it: a head moved by another process, or left by a
# transaction that rolled back, is refused, and the append reads the head and inserts again
# in the same transaction (RAISE(ABORT) backs out the statement, not the transaction).
# PostgreSQL always reads the head: its FOR UPDATE is the record's lock, and a refused
# statement there ends the whole transaction.
_LAST_HEADS: WeakKeyDictionary[Any, dict[str, tuple[int, int, str]]] = WeakKeyDictionary()


def _last_heads(connection: Connection) -> dict[str, tuple[int, int, str]]:
    pool = connection.engine.pool
    heads = _LAST_HEADS.get(pool)
    if heads is None:
        heads = _LAST_HEADS[pool] = {}
    return heads


def _refused_by_chain_trigger(error: DBAPIError) -> bool:
    """SQLite's RAISE(ABORT) in a trigger; on an INSERT into events only the chain's."""
    return getattr(error.orig, "sqlite_errorcode", None) == SQLITE_CONSTRAINT_TRIGGER
