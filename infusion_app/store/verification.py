"""``verify-log``: every chain walked and every check made, at the speed of reading the log.

The whole log is read once, in chain order, as the database stores it (issue 18: the old walk
spent its time in column type processing, datetime round trips and re-encoding payloads, not
in hashing):

- no column types: a time in the form the app writes on SQLite (``2026-11-21 08:00:00.000000``,
  UTC) becomes the chain's text (``2026-11-21T08:00:00.000000+00:00``) by string operations;
  any other stored form, and PostgreSQL's datetimes, go through the column's own type exactly
  as before, so a time the type reads the same still hashes the same;
- each payload's canonical form is checked once: by a shape learnt from a canonical payload
  of its type (:mod:`~infusion_app.store.canonical_shapes`), else by one parse and one dump
  compared with the text; only a payload that fails is looked at again, by the old check, for
  its exact message;
- on SQLite the rows come straight from the driver's cursor (in the connection's transaction);
- each event's hash is recomputed from that stored text;
- the same pass keeps what the other checks need: the events the tables' folds read (for
  :func:`~infusion_app.store.projections.table_differences`) and the events the signature
  rows name (read from one query of the signatures, not one per record).

Every check of the old walk stays, with its words: sequence, prev_hash, known type, payload
(JSON object, canonical), hash, each record's recorded head, each signature row's binding, and
every row of the projected tables against the log.

:func:`verify_since` walks only what was appended after a signed checkpoint (a
``log_checkpoint`` event of the system stream recording each record's head as a full walk
found it): each record's row at its checkpointed seq must still carry the checkpointed hash
(and its content must still give it), then its chain is walked on from there.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Dialect,
    TextClause,
    column,
    select,
    table,
    text,
)

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.logic.events import MODELS, LogCheckpoint, UndecodableEvent, decode
from infusion_app.logic.events import Event as EventModel
from infusion_app.logic.events import Signature as SignatureEvent
from infusion_app.logic.projections import STATUS_ONLY, LogEvent
from infusion_app.store.canonical_shapes import CanonicalShapes
from infusion_app.store.driver_rows import batches as _batches
from infusion_app.store.eventlog import KNOWN_TYPES, canonical_json, event_hash, utc_text
from infusion_app.store.models import GENESIS_HASH, Event, Signature, Stream, User
from infusion_app.store.projections import FOLDED_TYPES, TableFolds, table_differences

# (events verified so far, events to verify): called every few thousand events
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 8192  # events between two progress calls (a power of two: a mask test)

# --- reports --------------------------------------------------------------------------------


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
class CheckpointInfo:
    """A checkpoint a walk started from: where it is, when and by whom it was signed."""

    seq: int  # in the system stream
    hash: str
    recorded_at: datetime
    signers: tuple[str, ...]  # printed names of the signatures bound to it
    heads: Mapping[str, tuple[int, str]]  # record -> (head seq, head hash) it recorded


@dataclass(frozen=True)
class VerifyReport:
    streams: tuple[StreamReport, ...]
    # with --since: the checkpoint the walk started from, and how many events it hashed
    checkpoint: CheckpointInfo | None = None
    walked: int | None = None

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


# --- reading the rows as stored -------------------------------------------------------------

# Untyped columns: the driver's values as they are, no result processing.
_EVENTS = table(
    "events",
    *(
        column(name)
        for name in (
            "stream_id", "seq", "type", "payload", "occurred_at", "recorded_at", "user_id",
            "station", "reason", "prev_hash", "hash",
        )
    ),
)  # fmt: skip
_USERS = table("users", column("id"), column("username"))
_RAW_ROWS = select(
    _EVENTS.c.stream_id,
    _EVENTS.c.seq,
    _EVENTS.c.type,
    _EVENTS.c.payload,
    _EVENTS.c.occurred_at,
    _EVENTS.c.recorded_at,
    _USERS.c.username,
    _EVENTS.c.station,
    _EVENTS.c.reason,
    _EVENTS.c.prev_hash,
    _EVENTS.c.hash,
).select_from(_EVENTS.outerjoin(_USERS, _USERS.c.id == _EVENTS.c.user_id))
_CHUNK = 1000  # records per query of --since


# The form SQLAlchemy writes a UTCDateTime in on SQLite (UTC, naive, microseconds).
_APP_FORM = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}").fullmatch


@dataclass(frozen=True)
class _Times:
    """A stored time as the chain's text, and as the aware datetime the folds want.
    ``guess``: the walk may take a text that looks like the form the app writes on SQLite as
    that form, turning it into the chain's text itself, and let the hash confirm it
    (the walk's loop says why that is safe); False elsewhere."""

    text: Callable[[Any], str]
    moment: Callable[[Any], datetime]
    guess: bool = False


def _times(dialect: Dialect) -> _Times:
    column_type = Event.__table__.c.occurred_at.type
    typed = column_type.dialect_impl(dialect).result_processor(dialect, None)

    def through_type(value: Any) -> datetime:
        moment = typed(value) if typed is not None else value
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a time from the database, got {type(moment).__name__}")
        return moment

    if dialect.name != "sqlite":
        return _Times(lambda value: utc_text(through_type(value)), through_type)

    def text(value: Any) -> str:
        if value.__class__ is str and _APP_FORM(value):
            return f"{value[:10]}T{value[11:]}+00:00"  # what utc_text gives for its datetime
        return utc_text(through_type(value))

    def moment(value: Any) -> datetime:
        if value.__class__ is str and _APP_FORM(value):
            return datetime.fromisoformat(f"{value[:10]}T{value[11:]}+00:00")
        return through_type(value)

    return _Times(text, moment, guess=True)


# One parse (the C scanner from position 0: a canonical payload has no leading space) and one
# dump with the C encoder canonical_json uses (built once), instead of json.loads and a
# JSONEncoder.encode that builds its encoder again at every call. Anything but "a dict whose
# dump is the text" goes to _payload_problem for the old check's exact words.
_scan_once: Callable[[str, int], tuple[Any, int]] = cast(Any, json.JSONDecoder()).scan_once
_dump = canonical_json


def _canonical_object(text: str) -> bool:
    """``text`` is a JSON object exactly as :func:`canonical_json` writes it."""
    try:
        value, end = _scan_once(text, 0)
        return end == len(text) and value.__class__ is dict and _dump(value) == text
    except (StopIteration, ValueError, TypeError, RecursionError):
        return False


def _payload_problem(text: str) -> str | None:
    try:
        payload = json.loads(text)
    except ValueError:
        return "payload is not valid JSON"
    except RecursionError:
        return "payload is not valid JSON (nested too deep)"
    if not isinstance(payload, dict):
        return "payload is not a JSON object"
    try:
        if canonical_json(payload) != text:
            return "payload is not in canonical form"
    except ValueError:  # NaN or Infinity: json.loads takes them, canonical JSON never holds one
        return "payload is not in canonical form"
    return None


# --- one pass over the rows -----------------------------------------------------------------


@dataclass
class _Chain:
    """One record's chain as its rows stream past."""

    id: int
    name: str
    head_seq: int  # as the streams table records it
    head_hash: str
    expected: int = 1  # the next seq
    prev: str = GENESIS_HASH  # the hash of the last good event
    anchor: str | None = None  # --since: the hash the checkpoint recorded for seq expected
    checkpoint: int | None = None  # --since: the checkpoint's seq (for the messages)
    seen: bool = False  # a row of this record went past
    problem: str | None = None
    broken_seq: int | None = None

    def report(self) -> StreamReport:
        count = self.expected - 1
        if self.problem is not None:
            return StreamReport(self.name, count, self.prev, self.problem, self.broken_seq)
        if self.head_seq != count or self.head_hash != self.prev:
            return StreamReport(
                self.name,
                count,
                self.prev,
                f"stream {self.name} records {self.head_seq} events ending in "
                f"{self.head_hash[:12]}… but the log holds {count} ending in {self.prev[:12]}… "
                "(events removed?)",
                count + 1,
            )
        return StreamReport(self.name, count, self.prev)


# A placeholder for the events whose payload no fold reads (a product's status changes): the
# folds see the type's model and the event's type, so nothing is decoded for them.
_STATUS_ONLY: dict[str, EventModel] = {
    kind.value: MODELS[kind].model_construct() for kind in STATUS_ONLY
}
_SYSTEM_BATCH = 20_000  # system events folded at a time (its fold is continued)
_LOGIN = EventType.LOGIN_SUCCEEDED.value
_MEMO_PAYLOAD = 96  # characters: a login's payload, not a certificate of analysis
_MEMO_SIZE = 4_096  # distinct short payloads kept per walk
_LEARN_AFTER = 128  # payloads of a type checked in full before a shape of it is learnt

# (stored hash, type, payload text, decoded model or None) of an event a signature names
Named = tuple[str, str, str, EventModel | None]


@dataclass
class _Kept:
    """What the pass keeps for the checks that follow it."""

    folds: TableFolds | None  # the tables' folds (None: the tables are not compared)
    wanted: Mapping[int, set[int]]  # by stream id: the seqs of the events signatures name
    named: dict[tuple[int, int], Named] = field(default_factory=dict)
    unfoldable: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    walked: int = 0  # events whose hash was recomputed


def _walk(
    batches: Iterable[Sequence[Any]],
    chains: Mapping[int, _Chain],
    kept: _Kept,
    *,
    times: _Times,
    progress: Progress | None,
    total: int,
    done: int = 0,
) -> int:
    """Check each row against the one before it; returns the rows seen (with ``done``).

    The hot loop of verify-log: a record's chain state lives in locals while its rows stream
    past (written back to its :class:`_Chain` when the next record begins).
    """
    sha256, quote, from_text = hashlib.sha256, encode_basestring, datetime.fromisoformat
    known, time_text, moment, guess = KNOWN_TYPES, times.text, times.moment, times.guess
    canonical = CanonicalShapes(_canonical_object, learn_after=_LEARN_AFTER).check
    # Short payload texts found canonical (being canonical is a property of the text alone):
    # the logins that are most of a site's log are a few dozen texts, each checked once.
    canonical_texts: set[str] = set()
    folds, wanted, named = kept.folds, kept.wanted, kept.named
    folded_types = FOLDED_TYPES if folds is not None else frozenset()
    mask = PROGRESS_EVERY - 1
    quoted: dict[str | None, str] = {None: "null"}  # JSON strings of users, stations (few)
    quoted_user = quoted_station = ""  # the row's user and station as JSON strings
    chain: _Chain | None = None
    current: object = _NO_STREAM
    name, quoted_name, expected, prev, broken = "", "", 0, "", True
    pending: list[LogEvent] = []  # this record's events for the folds
    # short payloads decoded once (the models are frozen): a ward's system record is mostly
    # logins, each {"username": ...} of a few dozen accounts; a payload that does not decode
    # is never kept, so each such event is reported
    decoded: dict[tuple[str, str], EventModel] = {}
    login_names: dict[str, str] = {}  # of the logins among them: payload -> username
    # The accounts fold: a login resets its account's failed attempts and lock, so a second
    # login of the same account with nothing but logins between them changes nothing. The
    # system record is mostly logins (the window locks after 5 idle minutes): those are
    # checked like any event (chain, hash, canonical form, decoded) but not folded again.
    # Any other account event empties the set: the next login of everyone is folded.
    system_id = folds.system_id if folds is not None else None
    logged_in: set[str] = set()
    seqs: set[int] = set()  # this record's events named by a signature
    walked = 0
    for batch in batches:
        for row in batch:
            (
                sid,
                seq,
                type_,
                payload,
                occurred,
                recorded,
                user,
                station,
                reason,
                prev_hash,
                stored,
            ) = row
            done += 1
            if progress is not None and not done & mask:
                progress(done, max(total, done))
            if sid != current:
                if chain is not None:
                    chain.expected, chain.prev = expected, prev
                    if pending and folds is not None:
                        folds.add(chain.id, name, pending)
                        pending = []
                current, chain = sid, chains.get(sid)
                if chain is None:  # not a record in scope (the query names only those)
                    continue
                chain.seen = True
                name, quoted_name = chain.name, quote(chain.name)
                seqs = wanted.get(sid) or set()
                if chain.anchor is not None:
                    _anchor(chain, seq, stored, prev_hash)
                expected, prev, broken = chain.expected, chain.prev, chain.problem is not None
            elif chain is None:
                continue
            if not broken:
                problem = None
                if seq != expected:
                    problem = f"expected sequence number {expected} (a gap or reordering)"
                elif prev_hash != prev:
                    problem = "prev_hash does not match the hash of the event before it"
                elif type_ not in known:
                    problem = f"unknown event type {type_!r}"
                elif payload in canonical_texts:
                    pass
                elif payload.__class__ is not str:  # a blob, on SQLite
                    problem = "its payload is not text"
                elif not canonical(type_, payload):
                    problem = _payload_problem(payload)
                elif len(payload) <= _MEMO_PAYLOAD and len(canonical_texts) < _MEMO_SIZE:
                    canonical_texts.add(payload)
                if problem is None:
                    try:  # their JSON strings, made once (a site has a few dozen of each)
                        quoted_user, quoted_station = quoted[user], quoted[station]
                    except KeyError:
                        problem = _quote(quoted, user=user, station=station)
                        quoted_user, quoted_station = quoted.get(user, ""), quoted.get(station, "")
                if problem is None:
                    # A 26-character time is taken as the app's SQLite form (its spaces made
                    # T, +00:00 added), without a regular expression per row. That text has
                    # the length of the one hashed at the append, at a fixed place inside
                    # quotes in the hashed JSON: if the hash matches, it is that text
                    # character for character (a SHA-256 collision aside), so the column
                    # holds the app's form of the time (or the same with its T, which the
                    # type reads alike). If not, event_hash hashes the event again with its
                    # times as the column type reads them: every text gets the old verdict.
                    guessed = guess and occurred.__class__ is str and len(occurred) == 26
                    try:
                        if guessed:
                            occurred_text = occurred.replace(" ", "T") + "+00:00"
                        else:
                            occurred_text = time_text(occurred)
                        recorded_text = (
                            occurred_text if recorded == occurred else time_text(recorded)
                        )
                        digest = sha256(
                            (
                                f'{prev_hash}{{"occurred_at":"{occurred_text}","payload":{payload}'
                                f',"reason":{"null" if reason is None else quote(reason)}'
                                f',"recorded_at":"{recorded_text}","seq":{seq}'
                                f',"station":{quoted_station},"stream":{quoted_name}'
                                f',"type":"{type_}","user":{quoted_user}}}'
                            ).encode()
                        ).hexdigest()
                        walked += 1
                        if digest != stored and guessed:
                            occurred_text = time_text(occurred)  # what the old walk hashed
                            digest = event_hash(
                                prev_hash, stream=name, seq=seq, type=type_,
                                payload_text=payload, occurred_at=moment(occurred),
                                recorded_at=moment(recorded), user=user, station=station,
                                reason=reason,
                            )  # fmt: skip
                    except (TypeError, ValueError) as unreadable:  # not a time the type reads
                        problem = (
                            "its reason is not text"
                            if reason is not None and reason.__class__ is not str
                            else f"a stored time cannot be read ({unreadable})"
                        )
                    else:
                        if digest != stored:
                            problem = (
                                "hash does not match the event's content (the event was altered)"
                            )
                if problem is None:
                    prev, expected = stored, expected + 1
                else:
                    chain.problem, chain.broken_seq = f"event {name}#{seq}: {problem}", seq
                    broken = True
            data = None
            if type_ in folded_types:
                assert folds is not None  # folded_types is empty without them
                if sid == system_id and type_ == _LOGIN and login_names.get(payload) in logged_in:
                    # most of a site's log: a text decoded before (so it decodes), of an
                    # account logged in since the last other account event (so its fold
                    # changes nothing)
                    if seq in seqs:
                        named[(sid, seq)] = (stored, type_, payload, decoded[(type_, payload)])
                    continue
                data = _STATUS_ONLY.get(type_)
                small = data is None and len(payload) <= _MEMO_PAYLOAD
                if small:
                    data = decoded.get((type_, payload))
                if data is None and type_ not in _STATUS_ONLY:
                    try:
                        data = decode(type_, payload)
                    except UndecodableEvent as problem:
                        kept.unfoldable[sid].append(
                            f"events: {name}#{seq} ({type_}) cannot be folded: {problem}"
                        )
                    else:
                        if small and len(decoded) < _MEMO_SIZE:
                            decoded[(type_, payload)] = data
                            if type_ == _LOGIN:
                                login_names[payload] = data.username  # type: ignore[attr-defined]
                if data is not None and sid == system_id:
                    if type_ != _LOGIN:
                        logged_in.clear()
                    elif data.username in logged_in:  # type: ignore[attr-defined]
                        data = None  # the fold of this login changes nothing: not handed over
                    else:
                        logged_in.add(data.username)  # type: ignore[attr-defined]
                if data is not None:
                    # read as a time only for the fold: once checked, the chain's text of it
                    # (UTC, as utc_text writes it) parses back to the same moment
                    try:
                        at = moment(occurred) if broken else from_text(occurred_text)
                        then = at if recorded == occurred else moment(recorded)
                    except (TypeError, ValueError) as unreadable:  # a broken record's
                        kept.unfoldable[sid].append(
                            f"events: {name}#{seq} ({type_}) cannot be folded: {unreadable}"
                        )
                    else:
                        pending.append(LogEvent(name, seq, type_, data, at, then, None))
                    if len(pending) >= _SYSTEM_BATCH and sid == folds.system_id:
                        folds.add(sid, name, pending)  # the accounts fold continues from here
                        pending = []
            if seq in seqs:
                if data is None and type_ == _LOGIN and sid == system_id:
                    data = decoded.get((type_, payload))  # a login left out of the fold
                named[(sid, seq)] = (stored, type_, payload, data)
    if chain is not None:
        chain.expected, chain.prev = expected, prev
        if pending and folds is not None:
            folds.add(chain.id, name, pending)
    kept.walked += walked
    return done


_NO_STREAM = object()  # before the first row: no stream id equals it


def _quote(quoted: dict[str | None, str], **values: object) -> str | None:
    """Add the JSON strings of the ``values`` (a row's user and station) not yet in ``quoted``;
    a value that is not text (a blob, on SQLite) is the row's problem, named."""
    for what, value in values.items():
        if value not in quoted:
            if value.__class__ is not str:
                return f"its {what} is not text"
            quoted[value] = encode_basestring(value)
    return None


def _anchor(chain: _Chain, seq: int, stored: str, prev_hash: str) -> None:
    """--since: a record's first row read must be the checkpointed head, with its hash."""
    anchor, chain.anchor = chain.anchor, None
    assert anchor is not None  # the caller looked
    where = chain.expected
    if seq != where:
        chain.problem, chain.broken_seq = _shorter(chain, where), where
    elif stored != anchor:
        chain.problem, chain.broken_seq = (
            f"event {chain.name}#{where} has hash {stored[:12]}… but checkpoint "
            f"system#{chain.checkpoint} recorded {anchor[:12]}… (the record was rewritten "
            "before the checkpoint, or the checkpoint is not this log's)",
            where,
        )
    else:
        chain.prev = prev_hash  # the head's own content must still give its hash


def _shorter(chain: _Chain, where: int) -> str:
    return (
        f"stream {chain.name} has no event #{where}, which checkpoint system#{chain.checkpoint} "
        "recorded as its head (events removed?)"
    )


# --- the full walk --------------------------------------------------------------------------


def _streams(connection: Connection, stream_name: str | None) -> list[_Chain]:
    query = select(Stream.id, Stream.name, Stream.head_seq, Stream.head_hash).order_by(Stream.id)
    if stream_name is not None:
        query = query.where(Stream.name == stream_name)
    chains = [_Chain(r.id, r.name, r.head_seq, r.head_hash) for r in connection.execute(query)]
    if stream_name is not None and not chains:
        raise InputError("stream", f"no record {stream_name!r} exists")
    return chains


def verify(
    connection: Connection,
    stream_name: str | None = None,
    *,
    expected_head: str | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """Walk the chain(s): sequence, prev_hash, payload and hash of every event, the stream's
    recorded head, every signature's binding to the event it signs, and every row of the
    projected tables against the log."""
    with _no_cycle_collection():
        return _verify(connection, stream_name, expected_head, progress)


def _verify(
    connection: Connection,
    stream_name: str | None,
    expected_head: str | None,
    progress: Progress | None,
) -> VerifyReport:
    chains = _streams(connection, stream_name)
    scope = [c.id for c in chains] if stream_name is not None else None
    signatures = _signature_rows(connection, scope)
    query = _RAW_ROWS
    if scope is not None:
        query = query.where(_EVENTS.c.stream_id.in_(scope))
    rows = _batches(connection, query.order_by(_EVENTS.c.stream_id, _EVENTS.c.seq))
    system = next((c.id for c in chains if c.name == SYSTEM_STREAM), None)
    kept = _Kept(TableFolds(system), _named_seqs(signatures))
    by_id = {c.id: c for c in chains}
    total = sum(c.head_seq for c in chains)
    _walk(rows, by_id, kept, times=_times(connection.dialect), progress=progress, total=total)
    assert kept.folds is not None
    differences = table_differences(connection, scope, kept.folds)
    reports = []
    for chain in chains:
        report = chain.report()
        if report.ok:
            report = _bindings(report, signatures.get(chain.id, ()), chain.id, kept.named)
        differing = (*kept.unfoldable.get(chain.id, ()), *differences.get(chain.id, ()))
        if differing:
            report = replace(report, problem=report.problem or differing[0], differences=differing)
        reports.append(_expected_head(report, expected_head))
    return VerifyReport(tuple(reports))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector off while a walk runs: the walk makes and drops several objects per
    event (no cycles among them; reference counting frees them), and the collector's passes
    over everything still alive cost more than the hashing. Back on as it was, after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _named_seqs(signatures: Mapping[int, list[Any]]) -> dict[int, set[int]]:
    """By stream: the seqs of the events signature rows name (signed and signature events)."""
    return {
        sid: {seq for s in rows for seq in (s.signed_seq, s.signature_seq)}
        for sid, rows in signatures.items()
    }


def _expected_head(report: StreamReport, expected_head: str | None) -> StreamReport:
    if report.ok and expected_head is not None and report.head_hash != expected_head:
        return StreamReport(
            report.stream,
            report.events,
            report.head_hash,
            f"head hash {report.head_hash} differs from the expected {expected_head}: "
            "events were removed, added or the chain was recomputed",
        )
    return report


# --- signatures -----------------------------------------------------------------------------

_SIGNATURE_ROWS = (
    select(
        Signature.id,
        Signature.stream_id,
        Signature.meaning,
        Signature.printed_name,
        Signature.signed_seq,
        Signature.signed_hash,
        Signature.signature_seq,
        User.username,
    )
    .join(User, User.id == Signature.user_id)
    .order_by(Signature.stream_id, Signature.id)
)


def _signature_rows(connection: Connection, scope: Sequence[int] | None) -> dict[int, list[Any]]:
    """Every signature row (of the streams in ``scope``), by stream, in the order made."""
    query = _SIGNATURE_ROWS
    if scope is not None:
        query = query.where(Signature.stream_id.in_(scope))
    by_stream: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(query):
        by_stream[row.stream_id].append(row)
    return by_stream


def _bindings(
    report: StreamReport,
    signatures: Iterable[Any],
    stream_id: int,
    events: Mapping[tuple[int, int], tuple[str, str, str, EventModel | None]],
) -> StreamReport:
    """A signature row must point at the event it signed (same hash) and at its own
    signature event, whose payload names the same signer, meaning and signed hash."""
    for signature in signatures:
        signed = events.get((stream_id, signature.signed_seq))
        own = events.get((stream_id, signature.signature_seq))
        problem = None
        if signed is None or signed[0] != signature.signed_hash:
            problem = "does not match the event it claims to sign"
        elif own is None or own[1] != EventType.SIGNATURE.value:
            problem = "has no signature event in the log"
        elif _signature_event(own[2], own[3]) != (
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


def _signature_event(
    payload: str, decoded: EventModel | None = None
) -> tuple[str, str, str, int, str] | None:
    """What a signature event says: meaning, printed name, signed hash and seq, username."""
    event = decoded
    if not isinstance(event, SignatureEvent):
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


# --- checkpoints ----------------------------------------------------------------------------

LATEST = "latest"


@dataclass(frozen=True)
class _CheckpointRow:
    seq: int
    hash: str
    prev_hash: str
    type: str
    payload: str
    recorded_at: Any
    user: str | None


def find_checkpoint(connection: Connection, which: int | None) -> _CheckpointRow:
    """The checkpoint event ``system#which`` (None: the latest); input error if none."""
    query = _RAW_ROWS.where(
        _EVENTS.c.stream_id
        == select(Stream.id).where(Stream.name == SYSTEM_STREAM).scalar_subquery()
    )
    if which is None:
        query = query.where(_EVENTS.c.type == EventType.LOG_CHECKPOINT.value)
        query = query.order_by(_EVENTS.c.seq.desc()).limit(1)
    else:
        query = query.where(_EVENTS.c.seq == which)
    row = connection.execute(query).first()
    if row is None:
        if which is None:
            raise InputError(
                "since", "the log holds no checkpoint yet: make one with verify-log --checkpoint"
            )
        raise InputError("since", f"the system record has no entry #{which}")
    if which is not None and row.type != EventType.LOG_CHECKPOINT.value:
        raise InputError(
            "since",
            f"system#{which} is a {row.type} entry, not a checkpoint "
            "(give a checkpoint's number, or latest)",
        )
    return _CheckpointRow(
        row.seq, row.hash, row.prev_hash, row.type, row.payload, row.recorded_at, row.username
    )


def verify_since(
    connection: Connection,
    which: int | None,
    *,
    expected_head: str | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """Walk what was appended after checkpoint ``system#which`` (None: the latest).

    Each record in the checkpoint must still hold its checkpointed head (the row at that seq
    with that hash, whose content still gives it), and its chain is walked on from there; a
    record made since is walked whole; a record of the checkpoint that is gone is named. The
    checkpoint itself must be signed, and record the system chain before itself (which the
    walk then carries through the checkpoint). Signature rows made since are checked against
    the events they bind. The tables are not compared with the log here: that needs every
    record folded from its start (the full walk; the services compare each row they act on).
    """
    found = find_checkpoint(connection, which)
    times = _times(connection.dialect)
    chains = _streams(connection, None)
    system = next((c for c in chains if c.name == SYSTEM_STREAM), None)
    try:
        recorded = decode(EventType.LOG_CHECKPOINT, found.payload)
    except UndecodableEvent as problem:
        return _refused(chains, f"checkpoint system#{found.seq} cannot be read: {problem}")
    assert isinstance(recorded, LogCheckpoint)  # decode() gives the type's model
    heads = {name: (int(seq), digest) for name, (seq, digest) in recorded.heads.items()}
    system_head = heads.get(SYSTEM_STREAM)
    if system is None or system_head is None or not 0 <= system_head[0] < found.seq:
        return _refused(
            chains,
            f"checkpoint system#{found.seq} does not record the system record's head before "
            "itself: it is not a checkpoint the app wrote",
        )
    for chain in chains:
        start = heads.get(chain.name)
        if start is not None and start[0] > 0:
            chain.expected, chain.anchor, chain.checkpoint = start[0], start[1], found.seq
    kept = _Kept(None, {})
    by_id = {c.id: c for c in chains}
    total = sum(max(c.head_seq - c.expected, 0) + 1 for c in chains)
    done = 0
    for part in _chunks(chains, _CHUNK):
        rows = _batches(connection, _rows_from([(c.id, c.expected) for c in part]))
        with _no_cycle_collection():
            done = _walk(rows, by_id, kept, times=times, progress=progress, total=total, done=done)
    starts = {c.id: (heads.get(c.name) or (0, ""))[0] for c in chains}
    signatures = _new_signatures(connection, chains, starts)
    events = _signed_events(connection, signatures)
    signers = tuple(
        s.printed_name
        for s in signatures.get(system.id, ())
        if s.signed_seq == found.seq and s.meaning == "verified" and s.username == found.user
    )
    reports = []
    for chain in chains:
        if chain.anchor is not None and not chain.seen:  # no row at or after its head
            chain.anchor, chain.problem, chain.broken_seq = (
                None,
                _shorter(chain, chain.expected),
                chain.expected,
            )
        report = chain.report()
        if report.ok:
            report = _bindings(report, signatures.get(chain.id, ()), chain.id, events)
        if chain is system and report.ok and not signers:
            report = replace(
                report,
                problem=f"checkpoint system#{found.seq} is not signed: it is not a checkpoint "
                "the app wrote",
                broken_seq=found.seq,
            )
        reports.append(_expected_head(report, expected_head))
    present = {c.name for c in chains}
    for name, (seq, _) in sorted(heads.items()):
        if name not in present:
            reports.append(
                StreamReport(
                    name,
                    0,
                    GENESIS_HASH,
                    f"stream {name} of checkpoint system#{found.seq} is not in the log (removed?)",
                    seq,
                )
            )
    info = CheckpointInfo(found.seq, found.hash, times.moment(found.recorded_at), signers, heads)
    return VerifyReport(tuple(reports), checkpoint=info, walked=kept.walked)


def _refused(chains: Sequence[_Chain], problem: str) -> VerifyReport:
    system = next((c for c in chains if c.name == SYSTEM_STREAM), None)
    name = system.name if system is not None else SYSTEM_STREAM
    return VerifyReport((StreamReport(name, 0, GENESIS_HASH, problem),), walked=0)


def _chunks(items: Sequence[_Chain], size: int) -> Iterable[Sequence[_Chain]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --since reads each record from its checkpointed head on: a VALUES list of (stream id, seq)
# joined to the events' (stream_id, seq) index, one range per record. Written as text: the
# values are integers from the database itself, and SQLAlchemy takes longer to build a few
# thousand bound comparisons than the database takes to answer them (SQLite and PostgreSQL
# both take a named VALUES list in WITH).
def _pairs_cte(pairs: Iterable[tuple[int, int]]) -> str:
    values = ",".join(f"({int(sid)},{int(seq)})" for sid, seq in pairs)
    return f"WITH pairs (stream_id, seq) AS (VALUES {values}) "


def _rows_from(heads: Sequence[tuple[int, int]]) -> TextClause:
    """The events of each record ``(stream id, seq)`` from that seq on, in chain order."""
    return text(
        _pairs_cte(heads)
        + "SELECT e.stream_id, e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, "
        "u.username, e.station, e.reason, e.prev_hash, e.hash FROM pairs p "
        "JOIN events e ON e.stream_id = p.stream_id AND e.seq >= p.seq "
        "LEFT OUTER JOIN users u ON u.id = e.user_id ORDER BY e.stream_id, e.seq"
    )


def _new_signatures(
    connection: Connection, chains: Sequence[_Chain], starts: Mapping[int, int]
) -> dict[int, list[Any]]:
    """The signature rows made since the checkpoint: their own event is after the head."""
    found: dict[int, list[Any]] = defaultdict(list)
    for part in _chunks(chains, _CHUNK):
        query = text(
            _pairs_cte((c.id, starts[c.id]) for c in part)
            + "SELECT s.id, s.stream_id, s.meaning, s.printed_name, s.signed_seq, "
            "s.signed_hash, s.signature_seq, u.username FROM pairs p "
            "JOIN signatures s ON s.stream_id = p.stream_id AND s.signature_seq > p.seq "
            "JOIN users u ON u.id = s.user_id ORDER BY s.stream_id, s.id"
        )
        for row in connection.execute(query):
            found[row.stream_id].append(row)
    return found


def _signed_events(
    connection: Connection, signatures: Mapping[int, list[Any]]
) -> dict[tuple[int, int], Named]:
    """The events the new signature rows name (a signed event may be before the head), read
    by their key: as few as the signatures made since the checkpoint."""
    wanted = sorted(
        {
            (sid, seq)
            for sid, rows in signatures.items()
            for signature in rows
            for seq in (signature.signed_seq, signature.signature_seq)
        }
    )
    found: dict[tuple[int, int], Named] = {}
    for start in range(0, len(wanted), _CHUNK):
        query = text(
            _pairs_cte(wanted[start : start + _CHUNK])
            + "SELECT e.stream_id, e.seq, e.hash, e.type, e.payload FROM pairs p "
            "JOIN events e ON e.stream_id = p.stream_id AND e.seq = p.seq"
        )
        for row in connection.execute(query):
            found[(row.stream_id, row.seq)] = (row.hash, row.type, row.payload, None)
    return found
