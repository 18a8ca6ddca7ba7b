"""Each stream's decoded events and folded state, kept while its head is unchanged (issue 18).

A site's lists read hundreds of infusions and courses per refresh, and before this every one
was decoded and folded again from all its events, at every refresh, on every screen. The log
is append-only and each stream's row carries its head (seq and hash, moved in the same
transaction as the append), so a stream whose head is what it was at the last read has the
very same events, and the very same fold. This cache is an optimisation only:

- the key is the head read *in the caller's transaction*, so a read sees what that
  transaction sees, never a state another transaction has not committed, and an append, a
  rolled-back append, a restored backup or a second station's entry all change the key;
- a stream that grew is extended with its new events only after checking that they continue
  the cached chain (the first one's ``prev_hash`` is the cached head's hash, the last one's
  hash is the new head); anything else is a full read, as without the cache;
- nothing is written; dropping the cache (:meth:`StreamCache.clear`) changes no result, and
  tests compare every cached read with a fresh decode and fold of the stored rows.

It is bounded by the number of events it holds (least recently used streams go first), so a
years-long site costs memory for what its screens show, not for its history. Folds are pure
functions of (events, protocol), so the fold cache is keyed by the protocol's content too.
Threads: the window reads off the UI thread on several workers; one lock guards the maps,
and the decoding and folding happen outside it (two threads may do the same work once).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select

from infusion_app.logic.event_types import EventType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    # Every context has a cache, and the record's opening makes one on the way to the login:
    # the ORM's mapped classes, the decoding and folding (and their pydantic models) are
    # imported at their first use, through the getters below (issue 18, "login enabled").
    from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
    from infusion_app.logic.protocol import Protocol
    from infusion_app.services.context import AppContext
    from infusion_app.store.models import Event, Stream

RowsLoader = Callable[..., tuple[list["RecordedEvent"], str | None, str | None]]

# Measured with tracemalloc on startup.py's 250,000-event record: about 1 kB a decoded event
# (its pydantic model ~500 B, the RecordedEvent and its times ~250 B), so the cache is held to
# what keeps the app's peak under startup.py's 250 MB: the site's lists need no event once
# each patient's value is kept (KeptValue), and a first read after start decodes the rest
# streams at a time, the least recently used going first.
DEFAULT_MAX_EVENTS = 50_000
PREFETCH_EVENTS = 10_000  # decoded at once by a prefetch's query (~10 MB)
DERIVED_MAX = 25_000  # folds and other values kept by their heads (a fold is a few kB)
# Python's full garbage collection walks every tracked object while every thread waits, the
# window's too: with 22,000 cached events (220,000 objects) one pass took 0.35-0.5 s on the
# 2-core station. What the cache keeps is long-lived and free of reference cycles (frozen
# dataclasses, pydantic models, tuples), so after each FREEZE_EVERY events kept the objects
# alive are moved out of the collector's reach (gc.freeze); an evicted entry is still freed
# by its reference count. Young garbage is collected first (cheap), so little else is frozen.
FREEZE_EVERY = 5_000

T = TypeVar("T")


@dataclass(frozen=True)
class Head:
    """Where a stream's chain ends, as its row says in the reading transaction."""

    seq: int
    hash: str


# (stream id, head seq, head hash, protocol content) of each of a patient's course streams
Signature = tuple[tuple[int, int, str, object], ...]


@dataclass(frozen=True)
class KeptValue:
    """A pure function of a patient's course (the last moment it can show anything on one
    list, what the dose finding counts of it), with the streams and protocol contents it was
    computed from (services/course_index.py)."""

    signature: Signature
    value: object


@dataclass(frozen=True)
class _Events:
    head: Head
    events: tuple[RecordedEvent, ...]
    # earlier heads of this very chain, each with its events a prefix of ``events`` (the
    # entry was extended from them): a fold kept at one of them can be folded on
    earlier: tuple[Head, ...] = ()


_EARLIER_HEADS = 8  # the extensions remembered (a fold older than that folds again)


@cache
def _tables() -> tuple[type[Event], type[Stream]]:
    """The mapped classes, loaded at the first read rather than with the context: the record
    is opened and the login enabled before the ORM is loaded (issue 18, "login enabled")."""
    from infusion_app.store.models import Event, Stream

    return Event, Stream


def read_head(session: Session, stream_id: int) -> Head:
    _event, Stream = _tables()
    seq, digest = session.execute(
        select(Stream.head_seq, Stream.head_hash).where(Stream.id == stream_id)
    ).one()
    return Head(int(seq), str(digest))


def read_heads(session: Session, stream_ids: list[int]) -> dict[int, Head]:
    """Several streams' heads in one query (a list's refresh reads hundreds)."""
    _event, Stream = _tables()
    heads: dict[int, Head] = {}
    for start in range(0, len(stream_ids), 500):  # bounded IN lists on both databases
        chunk = stream_ids[start : start + 500]
        for stream_id, seq, digest in session.execute(
            select(Stream.id, Stream.head_seq, Stream.head_hash).where(Stream.id.in_(chunk))
        ):
            heads[int(stream_id)] = Head(int(seq), str(digest))
    return heads


def log_position(ctx: AppContext, session: Session) -> tuple[int, str] | None:
    """Where the log ends in this transaction: the last event's id and hash, on SQLite only
    (None elsewhere, or on an empty log).

    SQLite has one writer at a time, so ids are given in commit order and every commit moves
    the position (an id given again after a rollback comes with another hash): what is kept
    under a position is a function of the log as it stood there. PostgreSQL gives ids before
    commit, out of commit order, so nothing is kept by position there."""
    if ctx.db.dialect != "sqlite":
        return None
    Event, _stream = _tables()
    last = session.execute(select(Event.id, Event.hash).order_by(Event.id.desc()).limit(1)).first()
    return (int(last[0]), str(last[1])) if last is not None else None


class StreamCache:
    """Per process (one per :class:`~infusion_app.services.context.AppContext`)."""

    def __init__(
        self,
        max_events: int = DEFAULT_MAX_EVENTS,
        freeze_every: int = FREEZE_EVERY,
        prefetch_events: int = PREFETCH_EVENTS,
        derived_max: int = DERIVED_MAX,
    ) -> None:
        self.max_events = max_events
        self.prefetch_events = prefetch_events
        self.derived_max = derived_max
        self.freeze_every = freeze_every
        self._unfrozen = 0  # events kept since the last freeze
        self._lock = threading.Lock()
        self._events: OrderedDict[int, _Events] = OrderedDict()
        self._held = 0  # events held in _events
        self._derived: OrderedDict[tuple[object, ...], object] = OrderedDict()
        # each stream's latest fold (per protocol content), for a fold on after an append
        # by stream, then protocol content: an evicted stream's folds go with it in one step
        self._last_fold: dict[int, dict[object, tuple[Head, InfusionState]]] = {}
        # per (list, patient): a few hundred bytes a patient, never evicted (a site's lists
        # need every patient's, or they read every course again)
        self._values: dict[tuple[str, int], KeptValue] = {}
        self.decoded = 0  # events decoded from rows since creation (tests and benchmarks)
        self.folds = 0  # folds computed (not served from the cache)

    def clear(self) -> None:
        with self._lock:
            self._events.clear()
            self._derived.clear()
            self._last_fold.clear()
            self._values.clear()
            self._held = 0

    def kept_value(self, kind: str, patient_id: int) -> KeptValue | None:
        with self._lock:
            return self._values.get((kind, patient_id))

    def keep_value(self, kind: str, patient_id: int, kept: KeptValue) -> None:
        with self._lock:
            self._values[(kind, patient_id)] = kept

    # --- events -----------------------------------------------------------------------------

    def events(
        self, session: Session, stream_id: int, head: Head | None = None
    ) -> tuple[RecordedEvent, ...]:
        """The stream's events up to its head in this transaction, decoded once per process."""
        return self._events_of(session, stream_id, head or read_head(session, stream_id))[0]

    def _events_of(
        self, session: Session, stream_id: int, head: Head
    ) -> tuple[tuple[RecordedEvent, ...], bool, tuple[Head, ...]]:
        """The events, whether they are kept (they end where the stream's row says), and the
        heads whose events are a prefix of them (this head's included), when kept."""
        load_event_rows = _load_event_rows()
        with self._lock:
            cached = self._events.get(stream_id)
            if cached is not None:
                self._events.move_to_end(stream_id)
        if cached is not None and cached.head == head:
            return cached.events, True, (*cached.earlier, head)
        if cached is not None and cached.head.seq < head.seq:
            new, first_prev, last_hash = load_event_rows(
                session, stream_id, after=cached.head.seq, upto=head.seq
            )
            self.decoded += len(new)
            continues = (
                first_prev == cached.head.hash
                and last_hash == head.hash
                and len(new) == head.seq - cached.head.seq
            )
            if continues:
                events = cached.events + tuple(new)
                earlier = (*cached.earlier, cached.head)[-_EARLIER_HEADS:]
                kept = self._keep(stream_id, _Events(head, events, earlier))
                return events, kept, (*earlier, head) if kept else ()
        rows, _, last_hash = load_event_rows(session, stream_id, after=0, upto=head.seq)
        self.decoded += len(rows)
        events = tuple(rows)
        if last_hash == head.hash and len(events) == head.seq:
            kept = self._keep(stream_id, _Events(head, events))
            return events, kept, (head,) if kept else ()
        # the rows do not end where the stream's row says (a damaged or edited log): serve
        # what is stored, as before, and keep nothing; verify-log names the damage
        return events, False, ()

    def prefetch(self, session: Session, heads: Mapping[int, Head]) -> None:
        """Read the events of the streams not kept at all, in a few queries (one per 500
        streams, or per ``prefetch_events`` events: a query's decoded rows are all in memory
        at once) instead of one each; kept as :meth:`events` keeps them, only when the rows
        end where the stream's row says. A stream kept at another head is left to
        :meth:`events`, which extends it with its new events only."""
        from infusion_app.services.status import load_streams_rows  # status imports this

        with self._lock:
            absent = [sid for sid in heads if sid not in self._events]
        if len(absent) < 2:
            return
        for chunk in _chunks(absent, heads, self.prefetch_events):
            for stream_id, (rows, last_hash) in load_streams_rows(session, chunk).items():
                self.decoded += len(rows)
                head = heads[stream_id]
                if last_hash == head.hash and len(rows) == head.seq:
                    self._keep(stream_id, _Events(head, tuple(rows)))

    def _keep(self, stream_id: int, entry: _Events) -> bool:
        if len(entry.events) > self.max_events:
            return False
        with self._lock:
            old = self._events.pop(stream_id, None)
            if old is not None:
                self._held -= len(old.events)
            self._events[stream_id] = entry
            self._held += len(entry.events)
            while self._held > self.max_events and self._events:
                gone, evicted = self._events.popitem(last=False)
                self._held -= len(evicted.events)
                self._last_fold.pop(gone, None)
            self._unfrozen += len(entry.events) - (len(old.events) if old is not None else 0)
            freeze = self._unfrozen >= self.freeze_every
            if freeze:
                self._unfrozen = 0
        if freeze:
            gc.collect(1)
            gc.freeze()
        return True

    def appended(
        self,
        stream_id: int,
        before: Head,
        new: tuple[RecordedEvent, ...],
        after: Head,
        protocol: Protocol,
        state: InfusionState,
    ) -> None:
        """An act appended ``new`` (decoded as a read decodes them) to a stream whose head was
        ``before``, moving it to ``after``, and folded them into ``state``: the next act on the
        stream finds its events and fold kept instead of reading its own entry back.

        Kept only onto an entry that ends at ``before``, so the events are exactly a read's
        up to ``after``. The transaction may yet roll back: then no committed head is ever
        ``after`` (its hash covers this very entry), the key never matches, and the entry is
        read as without the cache (a longer head's rows do not continue ``after``'s hash)."""
        if after.seq != before.seq + len(new):
            return
        with self._lock:
            cached = self._events.get(stream_id)
        if cached is None or cached.head != before:
            return
        earlier = (*cached.earlier, before)[-_EARLIER_HEADS:]
        if not self._keep(stream_id, _Events(after, cached.events + new, earlier)):
            return
        content = protocol_key(protocol)
        if content is not None:
            self._remember(("fold", stream_id, after, content), state)
            with self._lock:
                self._last_fold.setdefault(stream_id, {})[content] = (after, state)

    # --- folds and other pure functions of a stream's events --------------------------------

    def state(
        self, session: Session, stream_id: int, protocol: Protocol, head: Head | None = None
    ) -> InfusionState:
        """The infusion's folded state: :func:`~infusion_app.logic.transitions.fold` of its
        events under ``protocol``, computed once per (stream, head, protocol content)."""
        head = head or read_head(session, stream_id)
        content = protocol_key(protocol)
        key = ("fold", stream_id, head, content)
        if content is not None:  # None: a protocol built in code (tests) names no content
            with self._lock:
                if key in self._derived:
                    self._derived.move_to_end(key)
                    return self._derived[key]  # type: ignore[return-value]
        with self._lock:
            last = self._last_fold.get(stream_id, {}).get(content) if content is not None else None
        events, kept, prefixes = self._events_of(session, stream_id, head)
        state = None
        if last is not None and last[0] in prefixes:
            # the kept fold's very events and new ones after them: fold on from it (a
            # correction rewrites an earlier event, so a new one means the whole fold again)
            state = fold_on(last[1], events[last[0].seq :], protocol)
        if state is None:
            self.folds += 1
            state = _fold()(events, protocol)
        if kept and content is not None:
            self._remember(key, state)
            with self._lock:
                self._last_fold.setdefault(stream_id, {})[content] = (head, state)
        return state

    def derived(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """A pure function of what ``key`` names (which must include every stream head it
        reads), computed once. Raised errors are not kept: the next read raises them again."""
        with self._lock:
            if key in self._derived:
                self._derived.move_to_end(key)
                return self._derived[key]  # type: ignore[return-value]
        value = compute()
        self._remember(key, value)
        return value

    def kept(self, key: tuple[object, ...]) -> object | None:
        """What :meth:`remember` kept under ``key``, or None."""
        with self._lock:
            if key not in self._derived:
                return None
            self._derived.move_to_end(key)
            return self._derived[key]

    def remember(self, key: tuple[object, ...], value: object) -> None:
        """Keep ``value``, a pure function of what ``key`` names (every stream head it read
        and the content of every protocol it used)."""
        self._remember(key, value)

    def _remember(self, key: tuple[object, ...], value: object) -> None:
        with self._lock:
            self._derived[key] = value
            while len(self._derived) > self.derived_max:
                self._derived.popitem(last=False)


def _chunks(stream_ids: list[int], heads: Mapping[int, Head], events: int) -> Iterator[list[int]]:
    """``stream_ids`` in runs of at most 500 streams and, but for a single longer stream, at
    most ``events`` events by their heads (the rows of a run are decoded before any is kept)."""
    chunk: list[int] = []
    held = 0
    for stream_id in stream_ids:
        size = heads[stream_id].seq
        if chunk and (len(chunk) == 500 or held + size > events):
            yield chunk
            chunk, held = [], 0
        chunk.append(stream_id)
        held += size
    if chunk:
        yield chunk


def fold_on(
    state: InfusionState, new: tuple[RecordedEvent, ...], protocol: Protocol
) -> InfusionState | None:
    """``fold(events + new)`` from ``state == fold(events)``, applying ``new`` only; None
    when one of them is a correction (it changes how an earlier event reads: fold again).
    Equal to the whole fold: :func:`~infusion_app.logic.transitions.fold` applies each
    effective event in order, and events without a correction after them are their own
    effective events. A refusal is the fold's InconsistentRecord, as the whole fold's."""
    if any(event.type is EventType.CORRECTION for event in new):
        return None
    return _replay()(state, new, protocol)


# Looked up once each (an import statement costs ~6 µs a call under PySide6's import hook,
# and these run for every stream a list reads).
@cache
def _fold() -> Callable[[Iterable[RecordedEvent], Protocol], InfusionState]:
    from infusion_app.logic.transitions import fold

    return fold


@cache
def _replay() -> Callable[[InfusionState, Iterable[RecordedEvent], Protocol], InfusionState]:
    from infusion_app.logic.transitions import replay

    return replay


@cache
def _load_event_rows() -> RowsLoader:
    from infusion_app.services.status import load_event_rows  # status imports this module

    return load_event_rows


def protocol_key(protocol: Protocol) -> tuple[str, str, str] | None:
    """What names a protocol's content, or None when nothing does (built in code)."""
    if protocol.content_sha256 is None:
        return None
    return (protocol.id, protocol.version, protocol.content_sha256)
