"""Which patients a site-wide list has to read at all (issue 18).

The nurse's day list and the ward board show what is due, overdue or under way across the
site. Before this they loaded every course ever enrolled at every refresh: even with each
course kept whole while its streams stand still (services/course_read.py), a ten-year site's
hundreds of finished courses were looked at one by one, each to find that nothing of it was
on today's list. Most of them can never be again: a course's calendar items and infusions
stop appearing once their windows (and the back-entry limit) have passed.

So each list gives a *bound*: a pure function of a loaded course returning the last moment
that course can show anything on that list (:data:`ALWAYS` for a course with an item that
stays until someone acts, such as an unreported SAE or an infusion under way; None when it
can never show anything). A refresh at ``since`` then reads:

- every patient whose course streams (the patient's stream and each infusion's) or protocol
  files are not exactly those its bound was computed from: the heads and the protocol
  contents are read in the caller's transaction, in one query, so a new entry, a new
  patient, another station's act or a replaced file all mean "read it";
- every patient whose bound is at or after ``since``;

and skips the rest, whose courses would give no row. It is an optimisation only: the bound
is a function of the course alone, kept with the very heads and contents it was computed
from, and tests compare each list with the same list computed from every course.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CompoundSelect, Select, literal, select, union_all
from sqlalchemy.orm import Session

from infusion_app.logic.errors import KnownError
from infusion_app.logic.ward_board import ALWAYS
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import LoadedCourse, load_courses
from infusion_app.services.stream_cache import (
    KeptValue,
    Signature,
    StreamCache,
    log_position,
    protocol_key,
)
from infusion_app.store.models import Infusion, Patient, Stream

Bound = Callable[[LoadedCourse], datetime | None]


def courses_in_play(
    ctx: AppContext,
    session: Session,
    *,
    kind: str,
    bound: Bound,
    since: datetime,
    patients: Select[Patient],
) -> list[LoadedCourse]:
    """The courses of the patients ``patients`` selects that may show something on the list
    named ``kind`` at or after ``since``, by trial ID; every course left out has a bound
    before ``since``, computed from its present streams and protocol files."""

    def in_play(last: object) -> bool:
        return isinstance(last, datetime) and last >= since

    _, courses = kept_or_read(
        ctx, session, kind=kind, value=bound, read_again=in_play, patients=patients
    )
    return courses


def kept_or_read(
    ctx: AppContext,
    session: Session,
    *,
    kind: str,
    value: Callable[[LoadedCourse], object],
    patients: Select[Patient],
    read_again: Callable[[object], bool] = lambda kept: False,
    fixed_query: bool = False,
) -> tuple[dict[int, object], list[LoadedCourse]]:
    """Per patient of the site, ``value`` of their course, kept with the streams and protocol
    contents it came from. Returns the values by patient ID (kept, for the courses that did
    not move and that ``read_again`` lets stand; computed, for the others that ``patients``
    selects, and kept in turn) and the courses read, by trial ID. ``fixed_query``: the
    query's condition depends on the patient's row only and never changes for ``kind``, so
    a patient it does not select is remembered as such until their course moves."""
    signatures = course_signatures(ctx, session)
    cache = ctx.streams
    values: dict[int, object] = {}
    wanted = []
    for patient_id, signature in signatures.items():
        found = cache.kept_value(kind, patient_id)
        if found is None or found.signature != signature or read_again(found.value):
            wanted.append(patient_id)  # never read, or from other streams or files
        elif found.value is not _NOT_SELECTED:
            values[patient_id] = found.value
    rows: list[Patient] = []
    for start in range(0, len(wanted), 500):  # bounded IN lists on both databases
        chunk = wanted[start : start + 500]
        rows.extend(session.execute(patients.where(Patient.id.in_(chunk))).scalars())
    rows.sort(key=lambda patient: patient.trial_id)
    courses = load_courses(ctx, session, rows)
    for course in courses:
        values[course.patient.id] = value(course)
        _keep(cache, kind, course.patient.id, signatures, values[course.patient.id])
    if fixed_query:
        for patient_id in set(wanted) - {row.id for row in rows}:
            _keep(cache, kind, patient_id, signatures, _NOT_SELECTED)
    return values, courses


_NOT_SELECTED = object()  # kept for a patient the kind's fixed query does not select


def _keep(
    cache: StreamCache, kind: str, patient_id: int, signatures: dict[int, Signature], value: object
) -> None:
    signature = signatures.get(patient_id)
    if signature is not None and all(content is not None for *_, content in signature):
        # a protocol built in code (tests) names no content: nothing of it is kept
        cache.keep_value(kind, patient_id, KeptValue(signature, value))


def course_signatures(ctx: AppContext, session: Session) -> dict[int, Signature]:
    """Every patient's course streams as they stand in this transaction, with the content of
    the protocol file each is read under (the patient's current file; each infusion's own
    version), in one query over the patients and infusions and their stream rows.

    On SQLite the answer is also kept under the log's position: the last event's id and
    hash, read in this transaction. SQLite has one writer at a time, so ids are given in
    commit order and every append moves the position (an id given again after a rollback
    comes with another hash); a head moves only with an append. The protocol contents are
    looked at again every time. PostgreSQL gives ids before commit, out of commit order, so
    there the query runs at every refresh."""
    position = log_position(ctx, session)
    if position is not None:
        kept = ctx.streams.kept(("course-signatures", position))
        if isinstance(kept, _Signatures) and all(
            _content(ctx, *key) == content for key, content in kept.contents.items()
        ):
            return kept.signatures
    query: CompoundSelect[Any] = union_all(
        select(
            Patient.id,
            Stream.id,
            Stream.head_seq,
            Stream.head_hash,
            Patient.protocol_id,
            literal(None).label("version"),
        ).join(Stream, Stream.id == Patient.stream_id),
        select(
            Infusion.patient_id,
            Stream.id,
            Stream.head_seq,
            Stream.head_hash,
            Infusion.protocol_id,
            Infusion.protocol_version,
        ).join(Stream, Stream.id == Infusion.stream_id),
    )
    contents: dict[tuple[str, str | None], object] = {}
    found: dict[int, list[tuple[int, int, str, object]]] = {}
    # fetched at once, not row by row: a ten-year site has thousands of course streams
    for patient_id, stream_id, seq, digest, protocol_id, version in session.execute(query).all():
        key = (protocol_id, version)
        content = contents.get(key, _UNREAD)
        if content is _UNREAD:
            content = contents[key] = _content(ctx, protocol_id, version)
        entry = (stream_id, seq, digest, content)
        streams = found.get(patient_id)
        if streams is None:
            found[patient_id] = [entry]
        else:
            streams.append(entry)
    signatures = {patient_id: tuple(sorted(streams)) for patient_id, streams in found.items()}
    if position is not None:
        ctx.streams.remember(("course-signatures", position), _Signatures(contents, signatures))
    return signatures


@dataclass(frozen=True)
class _Signatures:
    contents: dict[tuple[str, str | None], object]
    signatures: dict[int, Signature]


_UNREAD = object()


def _content(ctx: AppContext, protocol_id: str, version: str | None) -> object:
    """What names the file's content; a file that cannot be read names nothing, so the
    course is read (and its error is the course read's, as before)."""
    try:
        protocol = (
            ctx.protocol(protocol_id)
            if version is None
            else ctx.protocol_version(protocol_id, version)
        )
    except KnownError:  # the course read reports it, in its own words
        return None
    return protocol_key(protocol)


def latest(*moments: datetime | None) -> datetime | None:
    """The latest of the bounds given (None: none of them shows anything)."""
    present = [moment for moment in moments if moment is not None]
    return max(present, default=None)


__all__ = ["ALWAYS", "course_signatures", "courses_in_play", "kept_or_read", "latest"]
