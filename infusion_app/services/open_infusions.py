"""The infusions not finished, kept and brought forward with the log (issue 18, SQLite).

Every nurse login lands on the infusion the station was in the middle of, and the ward's
list keeps every unfinished infusion whatever its dates: both ask which infusions are not
finished (:func:`~infusion_app.services.views.finished_streams`: no observation end, and
not stopped before a start). That question in SQL looks at every infusion the site ever
had. What makes an infusion finished only ever accumulates (an ended observation or a stop
before any start is never taken back: the log is append-only), so the answer is kept under
the log's position (:func:`~infusion_app.services.stream_cache.log_position`) and brought
forward with the events appended since, read through the primary key: the cost of a login
is the entries since the last one, not the years.

An optimisation only: a position whose event is no longer there with the same hash (a
replaced file, an id given again after a rollback) means the whole set is read again, as
it is at a station's first read; tests compare it with the SQL at every step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.event_types import EventType
from infusion_app.services.context import AppContext
from infusion_app.services.stream_cache import log_position
from infusion_app.store.models import Event

_TYPES = (
    EventType.INFUSION_CREATED.value,
    EventType.INFUSION_STARTED.value,
    EventType.INFUSION_STOPPED.value,
    EventType.OBSERVATION_ENDED.value,
)


@dataclass(frozen=True)
class _Seen:
    """By stream id, what the log held up to ``position`` of each type that decides."""

    position: tuple[int, str]
    created: frozenset[int]
    started: frozenset[int]
    stopped: frozenset[int]
    ended: frozenset[int]

    def unfinished(self) -> frozenset[int]:
        return self.created - self.ended - (self.stopped - self.started)

    def then(self, position: tuple[int, str], rows: list[tuple[int, str]]) -> _Seen:
        sets: dict[str, set[int]] = {
            EventType.INFUSION_CREATED.value: set(self.created),
            EventType.INFUSION_STARTED.value: set(self.started),
            EventType.INFUSION_STOPPED.value: set(self.stopped),
            EventType.OBSERVATION_ENDED.value: set(self.ended),
        }
        for stream_id, type_ in rows:
            sets[type_].add(stream_id)
        return _Seen(
            position,
            frozenset(sets[EventType.INFUSION_CREATED.value]),
            frozenset(sets[EventType.INFUSION_STARTED.value]),
            frozenset(sets[EventType.INFUSION_STOPPED.value]),
            frozenset(sets[EventType.OBSERVATION_ENDED.value]),
        )


_EMPTY = frozenset[int]()
_KEY = ("open-infusions",)


def unfinished_streams(ctx: AppContext, session: Session) -> frozenset[int] | None:
    """The streams of the infusions not finished as this transaction sees the log; None where
    nothing is kept by position (PostgreSQL): the caller asks SQL."""
    position = log_position(ctx, session)
    if position is None:
        return None if ctx.db.dialect != "sqlite" else _EMPTY
    kept = ctx.streams.kept(_KEY)
    if isinstance(kept, _Seen) and kept.position == position:
        return kept.unfinished()
    query = select(Event.stream_id, Event.type).where(
        Event.type.in_(_TYPES), Event.id <= position[0]
    )
    start = _Seen((0, ""), _EMPTY, _EMPTY, _EMPTY, _EMPTY)
    if isinstance(kept, _Seen) and kept.position[0] < position[0] and _still_there(session, kept):
        start = kept  # the log up to its position is as it was: read what follows only
        query = query.where(Event.id > kept.position[0])
    rows = [(int(stream_id), str(type_)) for stream_id, type_ in session.execute(query)]
    seen = start.then(position, rows)
    ctx.streams.remember(_KEY, seen)
    return seen.unfinished()


def _still_there(session: Session, kept: _Seen) -> bool:
    stored = session.execute(select(Event.hash).where(Event.id == kept.position[0])).scalar()
    return stored == kept.position[1]


__all__ = ["unfinished_streams"]
