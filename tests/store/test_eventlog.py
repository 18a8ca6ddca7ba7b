"""The append-only, hash-chained log on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import decode
from infusion_app.services import audit
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.errors import AppendOnlyViolation
from infusion_app.store.eventlog import canonical_json, event_hash, utc_text
from infusion_app.store.models import GENESIS_HASH, Event, Stream
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.store.tampering import tamper
from tests.stored import add_note, stored_events

STREAM = "infusion:P001/1"


def add_notes(ctx, staff, infusion_id, count: int) -> None:
    for number in range(count):
        add_note(ctx, staff.nurse, infusion_id, f"note {number}")


def test_append_reopen_verify(ctx, staff, infusion_id, database_url, clock) -> None:
    add_notes(ctx, staff, infusion_id, 5)
    before = audit.verify_log(ctx, infusion_id)
    ctx.db.dispose()
    reopened = AppContext(db=open_database(database_url, clock()), station="other", clock=clock)
    try:
        events = stored_events(reopened, infusion_id)
        # infusion_created + 5 notes, numbered 1..6 without gaps
        assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
        assert [json.loads(e.payload).get("text") for e in events[1:]] == [
            f"note {n}" for n in range(5)
        ]
        after = audit.verify_log(reopened, infusion_id)
        assert after.ok and after.events == 6
        assert after.streams[0].head_hash == before.streams[0].head_hash == events[-1].hash
        whole = audit.verify_log(reopened)
        assert whole.ok
        # system (accounts, logins), patient, product and this infusion
        assert {s.stream for s in whole.streams} >= {"system", "patient:P001", STREAM}
    finally:
        reopened.db.dispose()


def test_hash_is_sha256_of_prev_hash_and_canonical_json(ctx, staff, infusion_id) -> None:
    add_note(ctx, staff.nurse, infusion_id, "x")
    first, second = stored_events(ctx, infusion_id)
    # Spelled out, independently of event_hash's splicing of the payload text:
    canonical = json.dumps(
        {
            "occurred_at": utc_text(second.occurred_at),
            "payload": {"text": "x"},
            "reason": None,
            "recorded_at": utc_text(second.recorded_at),
            "seq": 2,
            "station": "ward-3-bed-2",
            "stream": STREAM,
            "type": "note_added",
            "user": "nurse",
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert second.hash == hashlib.sha256((first.hash + canonical).encode()).hexdigest()
    assert second.payload == canonical_json({"text": "x"}) == '{"text":"x"}'


def test_first_event_chains_from_genesis(ctx, staff, infusion_id) -> None:
    (created,) = stored_events(ctx, infusion_id)
    assert created.hash == event_hash(
        GENESIS_HASH,
        stream=STREAM,
        seq=1,
        type="infusion_created",
        payload_text=created.payload,
        occurred_at=created.occurred_at,
        recorded_at=created.recorded_at,
        user="nurse",
        station="ward-3-bed-2",
        reason=None,
    )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET payload = '{}' WHERE seq = 1",
        "DELETE FROM events WHERE seq = 1",
        "UPDATE signatures SET meaning = 'verified'",
        "DELETE FROM signatures",
    ],
)
def test_database_refuses_update_and_delete(ctx, staff, infusion_id, statement) -> None:
    with pytest.raises(AppendOnlyViolation), ctx.db.write() as session:
        session.execute(text(statement))
    assert audit.verify_log(ctx).ok


def test_postgres_refuses_truncate(fresh_postgres, clock) -> None:
    # PostgreSQL only: SQLite has no TRUNCATE statement.
    ctx = AppContext(db=open_database(fresh_postgres, clock()), station="s", clock=clock)
    try:
        with pytest.raises(AppendOnlyViolation), ctx.db.write() as session:
            session.execute(text("TRUNCATE events CASCADE"))
    finally:
        ctx.db.dispose()


def test_changed_payload_byte_is_reported(ctx, staff, infusion_id) -> None:
    add_notes(ctx, staff, infusion_id, 3)  # seq 2..4 are "note 0".."note 2"
    tamper(
        ctx,
        'UPDATE events SET payload = \'{"text":"note 9"}\' '
        'WHERE seq = 3 AND payload = \'{"text":"note 1"}\'',
    )
    report = audit.verify_log(ctx, infusion_id)
    assert not report.ok
    broken = report.first_problem
    assert broken is not None and broken.broken_seq == 3
    assert "altered" in broken.problem


def test_deleted_middle_event_is_reported(ctx, staff, infusion_id) -> None:
    add_notes(ctx, staff, infusion_id, 3)
    tamper(ctx, 'DELETE FROM events WHERE seq = 3 AND payload = \'{"text":"note 1"}\'')
    broken = audit.verify_log(ctx, infusion_id).first_problem
    assert broken is not None and broken.broken_seq == 4
    assert "expected sequence number 3" in broken.problem


def test_reordered_events_are_reported(ctx, staff, infusion_id) -> None:
    add_notes(ctx, staff, infusion_id, 3)
    tamper(
        ctx,
        'UPDATE events SET seq = -1 WHERE seq = 2 AND payload = \'{"text":"note 0"}\'',
        'UPDATE events SET seq = 2 WHERE seq = 3 AND payload = \'{"text":"note 1"}\'',
        "UPDATE events SET seq = 3 WHERE seq = -1",
    )
    broken = audit.verify_log(ctx, infusion_id).first_problem
    assert broken is not None and broken.broken_seq == 2


def test_recomputed_chain_passes_but_the_printed_head_exposes_it(ctx, staff, infusion_id) -> None:
    add_notes(ctx, staff, infusion_id, 3)
    printed_head = audit.verify_log(ctx, infusion_id).streams[0].head_hash
    # The attacker edits note 1 and recomputes every hash after it, and the stream head.
    events = stored_events(ctx, infusion_id)
    prev = events[1].hash
    statements, params = [], {}
    for event in events[2:]:
        payload = '{"text":"note 9"}' if event.payload == '{"text":"note 1"}' else event.payload
        digest = event_hash(
            prev,
            stream=STREAM,
            seq=event.seq,
            type=event.type,
            payload_text=payload,
            occurred_at=event.occurred_at,
            recorded_at=event.recorded_at,
            user="nurse",
            station=event.station,
            reason=event.reason,
        )
        statements.append(
            f"UPDATE events SET payload = :p{event.seq}, prev_hash = :prev{event.seq}, "
            f"hash = :h{event.seq} WHERE seq = {event.seq} AND hash = :old{event.seq}"
        )
        params |= {
            f"p{event.seq}": payload,
            f"prev{event.seq}": prev,
            f"h{event.seq}": digest,
            f"old{event.seq}": event.hash,
        }
        prev = digest
    statements.append(f"UPDATE streams SET head_hash = '{prev}' WHERE name = '{STREAM}'")
    tamper(ctx, *statements, **params)
    assert audit.verify_log(ctx, infusion_id).ok  # internally consistent again...
    compared = audit.verify_log(ctx, infusion_id, expected_head=printed_head)
    assert not compared.ok  # ...but not the chain printed on the paper record
    assert "differs from the expected" in compared.first_problem.problem


def test_deleted_tail_is_caught_by_the_stream_head(ctx, staff, infusion_id) -> None:
    add_notes(ctx, staff, infusion_id, 2)
    tamper(ctx, 'DELETE FROM events WHERE seq = 3 AND payload = \'{"text":"note 1"}\'')
    broken = audit.verify_log(ctx, infusion_id).first_problem
    assert broken is not None and "events removed?" in broken.problem


def test_back_entry_needs_a_reason_and_the_future_is_refused(ctx, staff, infusion_id, clock):
    with pytest.raises(InputError) as error:
        add_note(
            ctx, staff.nurse, infusion_id, "late", occurred_at=clock.now - timedelta(minutes=30)
        )
    assert error.value.field == "reason"
    seq = add_note(
        ctx,
        staff.nurse,
        infusion_id,
        "late",
        occurred_at=clock.now - timedelta(minutes=30),
        reason="system downtime 07:20-07:50",
    )
    event = stored_events(ctx, infusion_id)[seq - 1]
    assert event.occurred_at == clock.now - timedelta(minutes=30)
    assert event.recorded_at == clock.now
    assert event.reason == "system downtime 07:20-07:50"
    with pytest.raises(InputError) as error:
        add_note(
            ctx,
            staff.nurse,
            infusion_id,
            "soon",
            occurred_at=clock.now + timedelta(minutes=10),
            reason="typo",
        )
    assert error.value.field == "occurred_at"
    # nothing half-saved: the refused notes are not in the log
    assert [e.seq for e in stored_events(ctx, infusion_id)] == [1, 2]


def test_database_refuses_an_event_that_does_not_continue_the_chain(ctx, staff, infusion_id):
    (created,) = stored_events(ctx, infusion_id)
    forged = (
        "INSERT INTO events (stream_id, seq, type, payload, occurred_at, recorded_at, user_id, "
        "station, reason, prev_hash, hash) SELECT id, :seq, 'note_added', '{}', "
        ":at, :at, NULL, 'x', NULL, :prev, :hash FROM streams WHERE name = :stream"
    )
    at = created.recorded_at if ctx.db.dialect == "postgresql" else "2026-11-21 08:00:00.000000"
    for seq, prev in ((3, created.hash), (2, "f" * 64)):  # skips a number / wrong prev hash
        with (
            pytest.raises(AppendOnlyViolation, match="does not continue its chain"),
            ctx.db.write() as session,
        ):
            session.execute(
                text(forged),
                {"seq": seq, "prev": prev, "hash": "e" * 64, "at": at, "stream": STREAM},
            )
    assert [e.seq for e in stored_events(ctx, infusion_id)] == [1]
    assert audit.verify_log(ctx, infusion_id).ok


def test_the_sqlite_append_stores_the_row_a_core_insert_stores(tmp_path, clock) -> None:
    """On SQLite the append runs SQLAlchemy's compiled statements straight on the driver
    (issue 18: the execution machinery was a third of its own time): the row it stores, the
    times' text included, is what a Core insert of the same event stores, and it verifies."""
    import sqlite3
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import insert

    from infusion_app.logic.event_types import EventType
    from infusion_app.logic.events import NoteAdded
    from infusion_app.store.database import sqlite_url
    from infusion_app.store.eventlog import append_event, create_stream
    from infusion_app.store.models import Event

    path = tmp_path / "a.sqlite3"
    db = open_database(sqlite_url(path), clock())
    # 16:05:07.000005 in Shanghai is 08:05:07.000005 UTC; stored as UTC text, microseconds
    when = datetime(2026, 11, 21, 16, 5, 7, 5, tzinfo=ZoneInfo("Asia/Shanghai"))
    with db.write() as session:
        core = create_stream(session, "by-core")
        create_stream(session, "by-driver")
        appended = append_event(
            session,
            "by-driver",
            EventType.NOTE_ADDED,
            NoteAdded(text='漢字 "quoted"'),
            user=None,
            station="bed-1",
            recorded_at=when,
            reason=None,
        )
        payload = canonical_json({"text": '漢字 "quoted"'})
        digest = event_hash(
            GENESIS_HASH,
            stream="by-core",
            seq=1,
            type="note_added",
            payload_text=payload,
            occurred_at=when,
            recorded_at=when,
            user=None,
            station="bed-1",
            reason=None,
        )
        session.execute(
            insert(Event),
            {
                "stream_id": core.id,
                "seq": 1,
                "type": "note_added",
                "payload": payload,
                "occurred_at": when,
                "recorded_at": when,
                "user_id": None,
                "station": "bed-1",
                "reason": None,
                "prev_hash": GENESIS_HASH,
                "hash": digest,
            },
        )
    assert appended.seq == 1
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT s.name, e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, "
            "typeof(e.occurred_at), e.user_id, e.station, e.reason, e.prev_hash "
            "FROM events e JOIN streams s ON s.id = e.stream_id "
            "WHERE s.name IN ('by-core', 'by-driver') ORDER BY s.name"
        ).fetchall()
    by_core, by_driver = rows
    assert by_core[1:] == by_driver[1:]
    assert by_driver[4:7] == ("2026-11-21 08:05:07.000005", "2026-11-21 08:05:07.000005", "text")
    with db.engine.connect() as connection:
        from infusion_app.store.verification import verify

        assert verify(connection, "by-driver").ok
    db.dispose()


def test_an_infusion_locked_for_an_act_gives_the_head_its_name_gives(ctx, staff, infusion_id):
    """A bedside act reads its infusion and locks its record in one statement (on the
    driver, without an ORM row, store/act_rows.py): the name and head are those of the lock
    by name, and a missing infusion is none."""
    from infusion_app.store.act_rows import lock_infusion
    from infusion_app.store.eventlog import lock_stream
    from infusion_app.store.models import Infusion

    add_notes(ctx, staff, infusion_id, 2)
    with ctx.db.write() as session:
        infusion = session.get(Infusion, infusion_id)
        assert infusion is not None
        found = lock_infusion(session, infusion_id)
        assert found is not None
        record, locked = found
        assert record.stream_id == locked.stream_id == infusion.stream_id
        name, seq, digest = locked.name, locked.seq, locked.hash
        assert name == STREAM
        assert (seq, digest) == lock_stream(session, STREAM)
        assert (seq, digest) == (3, stored_events(ctx, infusion_id)[-1].hash)  # created + 2
        assert lock_infusion(session, 999_999) is None


def test_a_head_handed_over_is_appended_to_and_a_stale_one_refused(ctx, staff, infusion_id):
    """A bedside act hands the head it locked to the append (no second read): the event
    continues it; a head gone stale in the transaction (an append in between) is refused by
    the database's insert trigger, not written as a fork of the chain, and a head handed
    over for another record is refused before anything is written."""
    from infusion_app.logic.events import NoteAdded
    from infusion_app.store.act_rows import lock_infusion
    from infusion_app.store.errors import StoreError
    from infusion_app.store.eventlog import append_event

    def lock_stream_id(session, infusion_id):
        found = lock_infusion(session, infusion_id)
        assert found is not None
        return found[1]

    def note(session, locked, text="handed"):
        return append_event(
            session, STREAM, EventType.NOTE_ADDED, NoteAdded(text=text), user=None,
            station="s", recorded_at=ctx.now(), locked=locked,
        )  # fmt: skip

    with ctx.db.write() as session:
        locked = lock_stream_id(session, infusion_id)
        appended = note(session, locked)
    assert (appended.seq, appended.hash) == (2, stored_events(ctx, infusion_id)[-1].hash)
    assert audit.verify_log(ctx).ok
    with pytest.raises(StoreError), ctx.db.write() as session:
        locked = lock_stream_id(session, infusion_id)
        note(session, locked, "first")
        note(session, locked, "on a stale head")  # seq 3 again, after the head moved to 3
    assert len(stored_events(ctx, infusion_id)) == 2  # the whole transaction undone
    with pytest.raises(ValueError, match="handed over for system"), ctx.db.write() as session:
        append_event(
            session, "system", EventType.NOTE_ADDED, NoteAdded(text="x"), user=None,
            station="s", recorded_at=ctx.now(), locked=lock_stream_id(session, infusion_id),
        )  # fmt: skip


def test_a_payload_text_handed_over_is_stored_as_it_is_and_only_with_its_model(ctx):
    """The act's canonical text of the payload, decoded to check its fold, is what is stored
    (not encoded again): byte for byte, hashed as stored, and refused without the model."""
    from infusion_app.store.eventlog import append_event, create_stream

    text = canonical_json({"text": "vitals at 08:52"})
    with ctx.db.write() as session:
        create_stream(session, "texts")
        append_event(
            session, "texts", EventType.NOTE_ADDED, decode(EventType.NOTE_ADDED.value, text),
            user=None, station="s", recorded_at=ctx.now(), payload_text=text,
        )  # fmt: skip
    with ctx.db.read() as session:
        stored = session.scalars(
            select(Event.payload).join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == "texts")
        ).all()  # fmt: skip
    assert stored == [text]
    assert audit.verify_log(ctx).ok
    with pytest.raises(ValueError, match="only with its model"), ctx.db.write() as session:
        append_event(
            session, "texts", EventType.NOTE_ADDED, {"text": "x"}, user=None, station="s",
            recorded_at=ctx.now(), payload_text='{"text":"x"}',
        )  # fmt: skip


def test_the_lock_of_an_acts_infusion_waits_for_another_station_on_postgres(
    fresh_postgres, clock
) -> None:
    """PostgreSQL: the act's read of its infusion takes the record's row lock (FOR UPDATE OF
    streams) the lock by name takes; a station asking for it while another holds the record
    waits until that one ends, then reads the head that one left."""
    import threading
    import time

    from sqlalchemy import create_engine, select

    from infusion_app.store.act_rows import lock_infusion
    from infusion_app.store.models import Infusion, Stream
    from tests.conftest import register_sample_infusion

    ctx = AppContext(
        db=open_database(fresh_postgres, clock()), station="s", clock=clock, hasher=FAST_HASHER
    )
    holder = create_engine(fresh_postgres)
    try:
        _nurse, infusion_id = register_sample_infusion(ctx, clock)
        got: list[tuple[str, int, str]] = []

        def lock() -> None:
            with ctx.db.write() as session:
                found = lock_infusion(session, infusion_id)
                assert found is not None
                got.append((found[1].name, found[1].seq, found[1].hash))

        with holder.begin() as held:
            stream_id = held.execute(
                select(Infusion.stream_id).where(Infusion.id == infusion_id)
            ).scalar_one()
            held.execute(select(Stream.id).where(Stream.id == stream_id).with_for_update())
            waiter = threading.Thread(target=lock)
            waiter.start()
            deadline = time.monotonic() + 30
            blocked = 0
            while blocked != 1 and time.monotonic() < deadline:  # a condition, not a delay
                blocked = held.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
            assert blocked == 1 and got == []  # waiting behind the held row
            head = held.execute(
                select(Stream.head_seq, Stream.head_hash).where(Stream.id == stream_id)
            ).one()
        waiter.join(timeout=30)
        assert got == [("infusion:P001/1", head[0], head[1])]
    finally:
        holder.dispose()
        ctx.db.dispose()


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(_JSON_VALUES)
def test_canonical_json_is_what_json_dumps_writes(value) -> None:
    """The C encoder built once (issue 18) writes what json.dumps with the canonical options
    writes, byte for byte: sorted keys, no spaces, Unicode as itself."""
    expected = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    assert canonical_json(value) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), {"x": [float("-inf")]}])
def test_canonical_json_refuses_what_json_cannot_hold(bad) -> None:
    with pytest.raises(ValueError):
        canonical_json(bad)


def _note(ctx, stream: str, text: str) -> Any:
    from infusion_app.logic.events import NoteAdded
    from infusion_app.store.eventlog import append_event

    with ctx.db.write() as session:
        return append_event(
            session, stream, EventType.NOTE_ADDED, NoteAdded(text=text), user=None,
            station="s", recorded_at=ctx.now(),
        )  # fmt: skip


def _sqlite_ctx(tmp_path, clock, name: str = "kept.sqlite3") -> AppContext:
    return AppContext(
        db=open_database(sqlite_url(tmp_path / name), clock()), station="s", clock=clock
    )


def test_on_sqlite_the_next_append_tries_the_head_the_last_one_left(tmp_path, clock, monkeypatch):
    """SQLite: an append to a record this process appended to last tries the head that
    append left instead of reading it again (issue 18); the chain is the same."""
    from infusion_app.store import eventlog

    ctx = _sqlite_ctx(tmp_path, clock)
    try:
        with ctx.db.write() as session:
            eventlog.create_stream(session, "kept")
        first = _note(ctx, "kept", "first")

        def no_read(connection, stream_name):
            raise AssertionError(f"the head of {stream_name} was read again")

        monkeypatch.setattr(eventlog, "_read_head", no_read)
        second = _note(ctx, "kept", "second")
        assert (second.seq, second.stream_id) == (first.seq + 1, first.stream_id)
        monkeypatch.undo()
        assert audit.verify_log(ctx).ok
    finally:
        ctx.db.dispose()


def test_a_head_moved_by_another_station_or_left_by_a_rollback_is_read_again(tmp_path, clock):
    """The kept head is only tried: another process's append to the record (another
    station on the same file) or a transaction that appended and rolled back leaves it
    behind the database's head; the insert trigger refuses it, and the append reads the
    head and continues it, in the same transaction, with nothing forked or lost."""
    import sqlite3

    from infusion_app.store.eventlog import create_stream

    ctx = _sqlite_ctx(tmp_path, clock)
    other = _sqlite_ctx(tmp_path, clock)  # another station: its own engine, its own heads
    try:
        with ctx.db.write() as session:
            create_stream(session, "shared")
        _note(ctx, "shared", "here")  # this station keeps the head of seq 1
        _note(other, "shared", "there")  # the other moves the record to seq 2
        mine = _note(ctx, "shared", "here again")  # tries seq 1's head: refused, reads again
        assert mine.seq == 3
        with pytest.raises(RuntimeError, match="undone"), ctx.db.write() as session:
            from infusion_app.logic.events import NoteAdded
            from infusion_app.store.eventlog import append_event

            append_event(
                session, "shared", EventType.NOTE_ADDED, NoteAdded(text="rolled back"),
                user=None, station="s", recorded_at=ctx.now(),
            )  # fmt: skip
            raise RuntimeError("undone")  # the head of seq 4 is kept, never committed
        after = _note(ctx, "shared", "after the rollback")
        assert after.seq == 4
        with sqlite3.connect(tmp_path / "kept.sqlite3") as plain:
            texts = [
                json.loads(payload)["text"]
                for (payload,) in plain.execute(
                    "SELECT payload FROM events JOIN streams ON streams.id = events.stream_id "
                    "WHERE streams.name = 'shared' ORDER BY seq"
                )
            ]
        assert texts == ["here", "there", "here again", "after the rollback"]
        assert audit.verify_log(ctx).ok
    finally:
        other.db.dispose()
        ctx.db.dispose()
