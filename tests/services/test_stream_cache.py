"""Issue 18: the stream cache is an optimisation only.

Every read served from it (an infusion's events and folded state, a patient's course) must
equal the plain read: every stored row decoded again and folded from scratch, whatever
happened between reads: a step at this station, an entry from another station, an append
rolled back, a stream row that does not match its events, a protocol file changed, a cache
too small to keep anything.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import NoteAdded
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.transitions import InconsistentRecord, fold
from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import LoadedCourse, load_course, load_courses
from infusion_app.services.status import (
    get_infusion,
    infusion_state,
    load_events,
    protocol_of,
    stream_events,
)
from infusion_app.services.stream_cache import StreamCache
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import Infusion, Patient, Stream, User
from tests.conftest import FAST_HASHER, PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import prepare
from tests.services.course_steps import enrolled, give, local, new_infusion
from tests.store.tampering import tamper

CART = "ucmsc-cart-cytopenia"


def plain(ctx: AppContext, infusion_id: int) -> tuple[tuple[RecordedEvent, ...], InfusionState]:
    """The read without any cache: every row decoded, folded from the first event."""
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        events = load_events(session, infusion.stream_id)
        return tuple(events), fold(events, protocol_of(ctx, infusion))


def cached(ctx: AppContext, infusion_id: int) -> tuple[tuple[RecordedEvent, ...], InfusionState]:
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        protocol = protocol_of(ctx, infusion)
        return (
            stream_events(ctx, session, infusion.stream_id),
            infusion_state(ctx, session, infusion, protocol),
        )


def head_seq(ctx: AppContext, infusion_id: int) -> int:
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        return session.execute(
            select(Stream.head_seq).where(Stream.id == infusion.stream_id)
        ).scalar_one()


def test_every_step_of_an_infusion_reads_as_the_plain_fold_and_decodes_each_entry_once(
    ctx, staff, infusion_id, clock
):
    steps = [
        lambda: prepare(ctx, staff, infusion_id),
        lambda: bedside.give_premedication(ctx, staff.nurse, infusion_id),
        lambda: (clock.advance(minutes=10), bedside.record_thaw(ctx, staff.nurse, infusion_id)),
        lambda: (
            clock.advance(minutes=25),
            bedside.start_infusion(
                ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20
            ),
        ),
        lambda: (
            clock.advance(minutes=15),
            bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True),
        ),
        lambda: (
            clock.advance(minutes=2),
            bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS),
        ),
    ]
    # a second screen on the same record, which only reads this infusion
    screen = AppContext(db=ctx.db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER)
    assert cached(screen, infusion_id) == cached(ctx, infusion_id) == plain(ctx, infusion_id)
    for step in steps:
        step()
        assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
        assert cached(screen, infusion_id) == plain(ctx, infusion_id)
    # the screen decoded each stored entry once: a grown stream is extended with its new
    # entries only, never read again from its first one
    assert screen.streams.decoded == head_seq(ctx, infusion_id)
    folds = screen.streams.folds
    assert cached(screen, infusion_id) == plain(ctx, infusion_id)
    assert screen.streams.folds == folds  # unchanged head: the fold is served, not recomputed


def test_an_entry_from_another_station_is_read_at_once(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    before = cached(ctx, infusion_id)
    other = AppContext(db=ctx.db, station="ward-3-bed-4", clock=clock, hasher=FAST_HASHER)
    bedside.give_premedication(other, staff.nurse, infusion_id)
    after = cached(ctx, infusion_id)
    assert len(after[0]) == len(before[0]) + 1
    assert after[0][-1].type is EventType.PREMEDICATION_GIVEN
    assert after == plain(ctx, infusion_id)


def _note(session, stream: str, user_id: int, clock: FakeClock) -> None:
    user = session.get(User, user_id)
    append_event(
        session,
        stream,
        EventType.NOTE_ADDED,
        NoteAdded(text="to be rolled back"),
        user=user,
        station="ward-3-bed-2",
        recorded_at=clock(),
        occurred_at=clock(),
    )


def test_an_append_rolled_back_is_never_served(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    committed = plain(ctx, infusion_id)

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), ctx.db.write() as session:
        infusion = session.get(Infusion, infusion_id)
        assert infusion is not None
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None
        _note(session, stream.name, staff.nurse.id, clock)
        # read inside the transaction: the cache sees (and may keep) the uncommitted head
        seen = stream_events(ctx, session, infusion.stream_id)
        assert len(seen) == len(committed[0]) + 1
        raise Abandoned
    assert cached(ctx, infusion_id) == committed == plain(ctx, infusion_id)


def test_a_stream_row_that_does_not_match_its_events_keeps_nothing(ctx, staff, infusion_id, clock):
    """A head hash that no stored event has (an edited or damaged file): the rows are served
    as stored, as without the cache, and nothing is kept to be served later."""
    prepare(ctx, staff, infusion_id)
    with ctx.db.read() as session:
        stream_id = get_infusion(session, infusion_id).stream_id
    with ctx.db.engine.begin() as connection:
        connection.execute(update(Stream).where(Stream.id == stream_id).values(head_hash="f" * 64))
    fresh = AppContext(db=ctx.db, station=ctx.station, clock=clock, hasher=FAST_HASHER)
    assert cached(fresh, infusion_id) == plain(fresh, infusion_id)
    once = fresh.streams.decoded
    assert once >= len(plain(fresh, infusion_id)[0]) > 0
    assert cached(fresh, infusion_id) == plain(fresh, infusion_id)
    # nothing kept, neither the events nor the fold: the second read decoded every row again
    assert fresh.streams.decoded == 2 * once


def test_a_cache_too_small_to_keep_a_stream_reads_the_same(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    tiny = AppContext(
        db=ctx.db, station=ctx.station, clock=clock, hasher=FAST_HASHER, streams=StreamCache(3)
    )
    bedside.give_premedication(tiny, staff.nurse, infusion_id)
    assert cached(tiny, infusion_id) == plain(tiny, infusion_id)
    assert tiny.streams._held <= 3


def _plain_course(ctx: AppContext, session, patient: Patient) -> LoadedCourse:
    """The course as load_course read it before the cache (issue 17's code, inline)."""
    from infusion_app.logic.course_fold import (
        fold_patient_course,
        infusion_facts,
        legacy_follow_ups,
        with_infusions,
    )
    from infusion_app.services.course_read import InfusionOfCourse

    protocol = ctx.protocol(patient.protocol_id)
    events = tuple(load_events(session, patient.stream_id))
    of_course = []
    legacy = []
    for infusion in session.execute(
        select(Infusion).where(Infusion.patient_id == patient.id).order_by(Infusion.number)
    ).scalars():
        own = protocol_of(ctx, infusion)
        infusion_events = tuple(load_events(session, infusion.stream_id))
        stream = session.get(Stream, infusion.stream_id)
        state = fold(infusion_events, own)
        of_course.append(
            InfusionOfCourse(infusion.id, infusion.number, stream.name, state, infusion_events, own)
        )
        legacy.extend(legacy_follow_ups(protocol, infusion.number, stream.name, infusion_events))
    facts = with_infusions(
        fold_patient_course(patient.trial_id, events),
        (infusion_facts(i.number, i.state, i.events) for i in of_course),
        legacy,
    )
    return LoadedCourse(patient, protocol, facts, events, tuple(of_course))


def _same_courses(ctx: AppContext) -> None:
    with ctx.db.read() as session:
        patients = session.execute(select(Patient).order_by(Patient.trial_id)).scalars().all()
        expected = [_plain_course(ctx, session, p) for p in patients]
        assert load_courses(ctx, session, patients) == expected
        assert [load_course(ctx, session, p) for p in patients] == expected


def test_the_courses_of_a_site_read_as_the_plain_fold_after_every_act(ctx, staff, clock):
    clock.now = local(2026, 11, 23, 8, 30)  # a Monday
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")
    _same_courses(ctx)
    give(ctx, staff, clock, "P001", 1)
    _same_courses(ctx)
    second = new_infusion(ctx, staff, "P002", 1)  # created, not started
    _same_courses(ctx)
    prepare(ctx, staff, second, wristband="MSC|P002|WL", product_id="UC-P002-1")
    _same_courses(ctx)
    folds = ctx.streams.folds
    _same_courses(ctx)
    assert ctx.streams.folds == folds  # nothing moved: nothing folded again


@pytest.fixture
def protocol_folder(ctx, tmp_path: Path, shipped_protocols_dir: Path) -> Path:
    folder = tmp_path / "protocols"
    shutil.copytree(shipped_protocols_dir, folder)
    ctx.protocols = folder
    return folder


def test_a_cached_course_is_refused_once_its_protocol_file_changed(
    ctx, staff, clock, protocol_folder
):
    """The cache keys on the protocol's content: a file changed since an infusion began is
    refused by the list read as by the single read, even with its course already cached."""
    clock.now = local(2026, 11, 23, 8, 30)
    enrolled(ctx, staff, "P001", CART, "C")
    give(ctx, staff, clock, "P001", 1)
    _same_courses(ctx)  # cached
    path = protocol_folder / f"{CART}.toml"
    original = path.read_bytes()
    path.write_bytes(original + b"\n# reviewed\n")
    with ctx.db.read() as session:
        patients = session.execute(select(Patient)).scalars().all()
        with pytest.raises(InputError, match="changed since infusion P001/1 began"):
            load_courses(ctx, session, patients)
    path.write_bytes(original)
    _same_courses(ctx)


def test_what_the_cache_keeps_is_put_out_of_the_collectors_reach_and_freed_when_evicted(
    ctx, staff, infusion_id, clock
):
    """A full garbage collection stops every thread, the window's: the cache's long-lived
    entries are frozen (gc.freeze) every few thousand events, and an entry evicted or
    cleared is still freed, by its reference count (nothing it holds is in a cycle)."""
    import gc

    prepare(ctx, staff, infusion_id)
    gc.unfreeze()
    try:
        before = gc.get_freeze_count()
        assert before == 0
        keeper = AppContext(
            db=ctx.db,
            station=ctx.station,
            clock=clock,
            hasher=FAST_HASHER,
            streams=StreamCache(freeze_every=1),
        )
        events, _ = cached(keeper, infusion_id)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert gc.is_tracked(events[0].data)  # a model: the collector would walk it
        assert not any(o is events[0].data for o in gc.get_objects())  # but not any more
        del events
        keeper.streams.clear()
        assert gc.get_freeze_count() < frozen  # the entries freed, frozen or not
    finally:
        gc.unfreeze()


def test_a_grown_stream_is_folded_on_and_a_correction_folds_it_again(
    ctx, staff, infusion_id, clock
):
    """After an append the state is folded on from the last fold (the new entries applied,
    issue 18: a bedside act re-folded the whole infusion) and equals the plain fold; a
    correction changes how an earlier entry reads, so the fold starts again from the first."""
    prepare(ctx, staff, infusion_id)
    assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
    folds = ctx.streams.folds
    for minutes in (5, 15, 15):
        clock.advance(minutes=minutes)
        bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
        assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
    assert ctx.streams.folds == folds  # three acts and their reads: no whole fold
    vitals = cached(ctx, infusion_id)[0][-1]
    assert vitals.type is EventType.VITALS_RECORDED
    bedside.correct_event(
        ctx,
        staff.nurse,
        infusion_id,
        vitals.seq,
        PASSWORD,
        reason="typed 36.8 for 38.6",
        changes={"temperature_c": "38.6"},
    )
    after = cached(ctx, infusion_id)
    assert after == plain(ctx, infusion_id)
    assert ctx.streams.folds == folds + 1  # the correction: one whole fold
    corrected = next(v for v in after[1].vitals if v.seq == vitals.seq)
    assert str(corrected.vitals.temperature_c) == "38.6"  # the fold saw the correction


def test_an_act_keeps_its_own_entry_and_an_act_rolled_back_is_never_served(
    ctx, staff, infusion_id, clock, monkeypatch
):
    """A bedside act hands the entry it appended (decoded as a read decodes it) and its fold
    to the cache, so the next act on the infusion reads nothing back; an act whose
    transaction then fails leaves a head no committed state has, never served."""
    prepare(ctx, staff, infusion_id)
    assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
    decoded, folds = ctx.streams.decoded, ctx.streams.folds
    for minutes in (5, 10, 15):
        clock.advance(minutes=minutes)
        bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
        bedside.NOTE(ctx, staff.nurse, infusion_id, text=f"round at +{minutes} min")
        assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
    assert (ctx.streams.decoded, ctx.streams.folds) == (decoded, folds)

    class Refused(Exception):
        pass

    def fails(*args: object, **kwargs: object) -> None:
        raise Refused  # after the append and the hand-over: the transaction rolls back

    committed = plain(ctx, infusion_id)
    with monkeypatch.context() as patch:
        patch.setattr(bedside, "follow_infusion", fails)
        with pytest.raises(Refused):
            bedside.NOTE(ctx, staff.nurse, infusion_id, text="never saved")
    assert cached(ctx, infusion_id) == committed == plain(ctx, infusion_id)
    clock.advance(minutes=1)
    bedside.NOTE(ctx, staff.nurse, infusion_id, text="saved")  # the same seq, another hash
    assert cached(ctx, infusion_id) == plain(ctx, infusion_id)
    assert cached(ctx, infusion_id)[0][-1].data == NoteAdded(text="saved")


def _first_read(
    ctx: AppContext, first: AppContext, session
) -> tuple[list[LoadedCourse], list[LoadedCourse], list[str]]:  # type: ignore[no-untyped-def]
    """Every patient's course read by ``first`` (a station just started), the plain fold's,
    and the statements the read ran."""
    session.connection()  # the statements of this read only
    patients = patients_of(session)
    queries: list[str] = []

    def seen(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        queries.append(statement)

    sa_event.listen(session.connection(), "before_cursor_execute", seen)
    courses = load_courses(first, session, patients)
    sa_event.remove(session.connection(), "before_cursor_execute", seen)
    return courses, [_plain_course(ctx, session, p) for p in patients], queries


def test_a_first_read_of_many_courses_reads_their_events_in_batches_decoding_each_once(
    ctx, staff, clock
):
    """A station's first read of a site (an empty cache) reads the events of the courses it
    has not kept in one query per 500 streams, not one per stream: the same courses as the
    plain fold, every stored entry decoded once. A stream with an entry that does not decode
    is left to its own read, which refuses it as it always did."""
    clock.now = local(2026, 11, 23, 8, 30)
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")
    give(ctx, staff, clock, "P001", 1)
    give(ctx, staff, clock, "P002", 1)
    first = AppContext(db=ctx.db, station="ward-3-bed-4", clock=clock, hasher=FAST_HASHER)
    with first.db.read() as session:
        courses, expected, queries = _first_read(ctx, first, session)
        total = session.execute(
            select(func.count()).select_from(Stream).where(Stream.name.like("patient:%"))
        ).scalar_one()
    assert courses == expected and total == 2
    # the patients' and infusions' streams, their events: each entry decoded once
    stored = sum(len(c.events) + sum(len(i.events) for i in c.infusions) for c in courses)
    assert first.streams.decoded == stored
    assert sum("FROM events" in q for q in queries) == 1, queries

    tamper(
        ctx,
        "UPDATE events SET payload = :p WHERE seq = 2 AND stream_id = "
        "(SELECT id FROM streams WHERE name = 'infusion:P002/1')",
        p='{"x":1}',
    )
    again = AppContext(db=ctx.db, station="ward-3-bed-4", clock=clock, hasher=FAST_HASHER)
    with again.db.read() as session, pytest.raises(InconsistentRecord, match=r"event 2 \("):
        load_courses(again, session, patients_of(session))


def test_a_first_read_bigger_than_the_cache_folds_each_batch_before_reading_the_next(
    ctx, staff, clock
):
    """A site's first read holds more events than the cache keeps (issue 18's memory bound):
    the courses are read in batches the cache holds whole, each folded before the next is
    read, so none is evicted before its fold and read again: the same courses as the plain
    fold, each entry decoded once, one query of events per batch, and no more held than the
    bound."""
    clock.now = local(2026, 11, 23, 8, 30)
    enrolled(ctx, staff, "P001", CART, "C")
    enrolled(ctx, staff, "P002", CART, "B")
    give(ctx, staff, clock, "P001", 1)
    give(ctx, staff, clock, "P002", 1)
    with ctx.db.read() as session:
        sizes = [
            sum(len(load_events(session, sid)) for sid in _stream_ids(session, p))
            for p in patients_of(session)
        ]
    # room for either course, not for both: a batch each
    small = StreamCache(max_events=sum(sizes) - 1, prefetch_events=max(sizes))
    assert max(sizes) <= small.max_events < sum(sizes)
    first = AppContext(db=ctx.db, station="ward-3-bed-4", clock=clock, hasher=FAST_HASHER,
                       streams=small)  # fmt: skip
    with first.db.read() as session:
        courses, expected, queries = _first_read(ctx, first, session)
    assert courses == expected
    assert first.streams.decoded == sum(sizes)  # each entry once: nothing read again
    assert sum("FROM events" in q for q in queries) == 2, queries
    assert small._held <= small.max_events


def _stream_ids(session, patient: Patient) -> list[int]:  # type: ignore[no-untyped-def]
    infusions = session.execute(
        select(Infusion.stream_id).where(Infusion.patient_id == patient.id)
    ).scalars()
    return [patient.stream_id, *infusions]


def test_a_prefetch_reads_in_runs_of_at_most_its_events_and_500_streams() -> None:
    """The runs a prefetch reads (each decoded whole before any is kept): at most 500
    streams and at most the events given, by each stream's head, but never an empty run
    (one stream longer than the bound is a run of its own); every stream once, in order."""
    from infusion_app.services.stream_cache import Head, _chunks

    heads = {sid: Head(seq, "h") for sid, seq in ((1, 4), (2, 4), (3, 9), (4, 30), (5, 1))}
    assert list(_chunks([1, 2, 3, 4, 5], heads, 10)) == [[1, 2], [3], [4], [5]]
    many = {sid: Head(1, "h") for sid in range(1200)}
    runs = list(_chunks(list(many), many, 10_000))
    assert [len(r) for r in runs] == [500, 500, 200]
    assert [sid for run in runs for sid in run] == list(range(1200))


def patients_of(session) -> list[Patient]:  # type: ignore[no-untyped-def]
    return list(session.execute(select(Patient).order_by(Patient.trial_id)).scalars())
