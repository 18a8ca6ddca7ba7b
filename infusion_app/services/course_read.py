"""Reading a patient's course back from the log: one read for the plan, calendar and DLTs.

Every screen, printout and act of the course starts here, so the plan a nurse sees, the one
the CLI prints and the one a refusal is based on are the same computation on the same events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.course import CalendarRecord, CourseFacts, Dated, dated_occurrences
from infusion_app.logic.course_fold import (
    fold_patient_course,
    infusion_facts,
    legacy_follow_ups,
    with_infusions,
)
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.services.context import AppContext
from infusion_app.services.status import (
    InfusionColumns,
    ProtocolReader,
    infusion_state,
    stream_events,
)
from infusion_app.services.stream_cache import Head, protocol_key, read_heads
from infusion_app.store.models import Infusion, Patient, Stream

T = TypeVar("T")


@dataclass(frozen=True)
class InfusionOfCourse:
    infusion_id: int
    number: int
    stream: str
    state: InfusionState
    events: tuple[RecordedEvent, ...]
    protocol: Protocol  # the version it was begun under


class CourseMemo:
    """What the lists derive from one course (its dated calendar, the items a day's list can
    show), kept with the course's facts while none of its streams moved: a refresh of a
    site's day reads each unchanged course's few live items, not its whole calendar."""

    def __init__(self) -> None:
        self._values: dict[str, object] = {}

    def get(self, name: str, compute: Callable[[], T]) -> T:
        if name not in self._values:  # two threads may compute it once each: same value
            self._values[name] = compute()
        return self._values[name]  # type: ignore[return-value]


@dataclass(frozen=True)
class LoadedCourse:
    """A patient's course as stored: the current protocol (which plans the course), the
    folded facts, the patient's own events and each infusion with its state."""

    patient: Patient
    protocol: Protocol
    facts: CourseFacts
    events: tuple[RecordedEvent, ...]
    infusions: tuple[InfusionOfCourse, ...]
    memo: CourseMemo = field(default_factory=CourseMemo, compare=False, repr=False)

    def dated(self) -> tuple[Dated, ...]:
        """The calendar's occurrences with their windows (:func:`logic.course.calendar` gives
        them their status at a time)."""
        return self.memo.get("dated", lambda: dated_occurrences(self.protocol, self.facts))


def load_course(ctx: AppContext, session: Session, patient: Patient) -> LoadedCourse:
    """Inside the caller's transaction, so an act checks the plan it then writes to."""
    return load_courses(ctx, session, [patient])[0]


def load_courses(
    ctx: AppContext, session: Session, patients: Iterable[Patient]
) -> list[LoadedCourse]:
    """Several patients' courses in a few queries, each folded once per process while none of
    its streams moved (services/stream_cache.py): a list of every patient of a site reads
    their heads, not their histories. The same result as :func:`load_course` one by one."""
    patients = list(patients)
    if not patients:
        return []
    found: dict[int, list[tuple[InfusionColumns, str, Head]]] = {p.id: [] for p in patients}
    ids = list(found)
    for start in range(0, len(ids), 500):  # bounded IN lists on both databases
        # columns, not ORM rows: a site's list reads thousands of infusions per refresh
        for row in session.execute(
            select(
                Infusion.id,
                Infusion.number,
                Infusion.stream_id,
                Infusion.patient_id,
                Infusion.protocol_id,
                Infusion.protocol_version,
                Stream.name,
                Stream.head_seq,
                Stream.head_hash,
            )
            .join(Stream, Stream.id == Infusion.stream_id)
            .where(Infusion.patient_id.in_(ids[start : start + 500]))
            .order_by(Infusion.patient_id, Infusion.number)
        ):
            infusion = InfusionColumns(*row[:6])
            found[infusion.patient_id].append((infusion, row[6], Head(row[7], row[8])))
    heads = read_heads(session, [p.stream_id for p in patients])
    protocols = ProtocolReader(ctx)
    loaded: list[LoadedCourse | None] = []
    keys: list[tuple[object, ...] | None] = []
    for patient in patients:
        key, kept = _kept(ctx, protocols, patient, heads[patient.stream_id], found[patient.id])
        loaded.append(kept)
        keys.append(key)
    # the courses not kept: their streams' events in a few queries, not one per stream (a
    # station's first read of a site reads hundreds of courses), in batches whose events
    # the stream cache holds at once, each folded before the next is read (one prefetch of
    # a whole site's courses evicted the first ones' events before they were folded, and
    # each was read again on its own)
    budget = max(ctx.streams.max_events // 2, 1)
    batch: list[int] = []
    wanted: dict[int, Head] = {}
    held = 0  # events of the batch's streams, by their heads

    def fold_batch() -> None:
        ctx.streams.prefetch(session, wanted)
        for index in batch:
            patient = patients[index]
            loaded[index] = _course(
                ctx, session, patient, heads[patient.stream_id], found[patient.id], protocols,
                keys[index],
            )  # fmt: skip
        batch.clear()
        wanted.clear()

    for index, (patient, course) in enumerate(zip(patients, loaded, strict=True)):
        if course is not None:
            continue
        streams = {patient.stream_id: heads[patient.stream_id]}
        streams.update((i.stream_id, h) for i, _, h in found[patient.id])
        size = sum(h.seq for h in streams.values())
        if batch and held + size > budget:
            fold_batch()
            held = 0
        batch.append(index)
        wanted.update(streams)
        held += size
    if batch:
        fold_batch()
    courses = [course for course in loaded if course is not None]
    assert len(courses) == len(patients)  # each one kept or folded above
    return courses


def _kept(
    ctx: AppContext,
    protocols: ProtocolReader,
    patient: Patient,
    head: Head,
    infusions: list[tuple[InfusionColumns, str, Head]],
) -> tuple[tuple[object, ...] | None, LoadedCourse | None]:
    """The course's key in the cache (None: a protocol built in code, never kept) and the
    course kept under it, if any."""
    protocol = protocols.of_patient(patient)
    contents = [protocol_key(protocol), *(protocols.content_of(i) for i, _, _ in infusions)]
    if None in contents:  # None: a protocol built in code (tests) names no content
        return None, None
    key = (
        "course",
        patient.stream_id,
        head,
        tuple(contents),
        tuple((i.id, i.number, h) for i, _, h in infusions),
    )
    kept = ctx.streams.kept(key)
    if not isinstance(kept, _KeptCourse):
        return key, None
    # the same streams at the same heads under the same protocol files: the checks of each
    # infusion's protocol (version, pinned content) passed on these very inputs when this
    # was kept
    return key, LoadedCourse(patient, protocol, kept.facts, kept.events, kept.infusions, kept.memo)


def _course(
    ctx: AppContext,
    session: Session,
    patient: Patient,
    head: Head,
    infusions: list[tuple[InfusionColumns, str, Head]],
    protocols: ProtocolReader,
    key: tuple[object, ...] | None,
) -> LoadedCourse:
    protocol = protocols.of_patient(patient)
    events = stream_events(ctx, session, patient.stream_id, head)
    of_course = []
    for infusion, name, infusion_head in infusions:
        infusion_events = stream_events(ctx, session, infusion.stream_id, infusion_head)
        own = protocols.of_infusion(infusion, name, infusion_events)
        state = infusion_state(ctx, session, infusion, own, infusion_head)
        of_course.append(
            InfusionOfCourse(infusion.id, infusion.number, name, state, infusion_events, own)
        )
    course = LoadedCourse(
        patient,
        protocol,
        _facts(patient.trial_id, protocol, events, of_course),
        events,
        tuple(of_course),
    )
    if key is not None:
        ctx.streams.remember(
            key, _KeptCourse(course.facts, course.events, course.infusions, course.memo)
        )
    return course


@dataclass(frozen=True)
class _KeptCourse:
    """A course without its patient row (the caller's session reads that)."""

    facts: CourseFacts
    events: tuple[RecordedEvent, ...]
    infusions: tuple[InfusionOfCourse, ...]
    memo: CourseMemo


def _facts(
    trial_id: str,
    protocol: Protocol,
    events: tuple[RecordedEvent, ...],
    of_course: list[InfusionOfCourse],
) -> CourseFacts:
    legacy: list[CalendarRecord] = []
    for infusion in of_course:
        legacy.extend(
            legacy_follow_ups(protocol, infusion.number, infusion.stream, infusion.events)
        )
    return with_infusions(
        fold_patient_course(trial_id, events),
        (infusion_facts(i.number, i.state, i.events) for i in of_course),
        legacy,
    )
