"""One ``db.write()`` block is one transaction, whether the block appends through the driver
(``append_event``), reads and adds through the ORM, or both in either order; nothing of a
block that fails is kept, and a block that runs no statement takes no lock (issue 18: the
Session joins the write transaction only when the block uses it)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import IntegrityError

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import NoteAdded
from infusion_app.store.database import Database, sqlite_url, write_connection
from infusion_app.store.errors import AppendOnlyViolation
from infusion_app.store.eventlog import append_event, create_stream
from infusion_app.store.models import Event, Stream
from infusion_app.store.opening import open_database


class Refused(Exception):
    pass


@pytest.fixture
def db(database_url, clock):
    database = open_database(database_url, clock())
    with database.write() as session:
        create_stream(session, "ward-notes")
    yield database
    database.dispose()


@pytest.fixture
def streams_before(db) -> int:
    """The streams there are before a test's blocks (the system stream and ward-notes)."""
    return _streams(db)


def _note(session, clock, text_: str, stream: str = "ward-notes") -> None:
    append_event(
        session,
        stream,
        EventType.NOTE_ADDED,
        NoteAdded(text=text_),
        user=None,
        station="bed-1",
        recorded_at=clock(),
    )


def _notes(db: Database) -> list[str]:
    with db.read() as session:
        payloads = session.scalars(
            select(Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == "ward-notes")
            .order_by(Event.seq)
        )
        return list(payloads)


def _streams(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Stream)) or 0)


def test_an_append_alone_is_one_transaction_and_kept(db, clock) -> None:
    with db.write() as session:
        _note(session, clock, "first")
        _note(session, clock, "second")
        # the ORM was never used: the Session has no transaction of its own
        assert not session.in_transaction()
    assert _notes(db) == ['{"text":"first"}', '{"text":"second"}']


def test_orm_before_and_after_an_append_share_its_transaction(db, clock, streams_before) -> None:
    with db.write() as session:
        create_stream(session, "before")  # the Session begins the transaction
        _note(session, clock, "between")
        session.add(Stream(name="after", head_seq=0, head_hash="0" * 64))  # flushed at the end
        assert write_connection(session) is session.connection()
    assert _notes(db) == ['{"text":"between"}']
    assert _streams(db) == streams_before + 2  # "before" and "after"


def test_a_block_that_fails_after_appending_keeps_nothing(db, clock, streams_before) -> None:
    with pytest.raises(Refused), db.write() as session:
        _note(session, clock, "lost")
        create_stream(session, "lost too")
        raise Refused
    with pytest.raises(Refused), db.write() as session:
        create_stream(session, "lost as well")
        _note(session, clock, "lost again")
        raise Refused
    assert _notes(db) == []
    assert _streams(db) == streams_before
    with db.write() as session:  # and the next block writes as usual
        _note(session, clock, "kept")
    assert _notes(db) == ['{"text":"kept"}']


def test_a_flush_that_fails_at_the_end_keeps_nothing_of_the_block(
    db, clock, streams_before
) -> None:
    # a duplicate name is a bug, not a person's error: raised as it is, never half-saved
    with pytest.raises(IntegrityError), db.write() as session:
        _note(session, clock, "appended before the bad row")
        session.add(Stream(name="ward-notes", head_seq=0, head_hash="0" * 64))  # name taken
    assert _notes(db) == []
    assert _streams(db) == streams_before


def test_a_refused_append_keeps_nothing_of_the_block(db, clock, streams_before) -> None:
    with db.write() as session:
        _note(session, clock, "kept")
    with pytest.raises(AppendOnlyViolation), db.write() as session:
        create_stream(session, "not kept")
        write_connection(session).execute(text("DELETE FROM events"))
    assert _notes(db) == ['{"text":"kept"}']
    assert _streams(db) == streams_before


def test_a_block_that_runs_no_statement_takes_no_lock(tmp_path: Path, clock) -> None:
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    try:
        executed: list[str] = []

        def opened(connection: sqlite3.Connection, _record: object) -> None:
            connection.set_trace_callback(executed.append)

        event.listen(db.engine, "connect", opened)
        db.engine.dispose()
        other = sqlite3.connect(tmp_path / "ward.sqlite3", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another program is writing
            with pytest.raises(Refused), db.write():
                raise Refused  # refused before any statement: it never waited for the lock
            other.execute("ROLLBACK")
        finally:
            other.close()
        with db.write() as session:
            create_stream(session, "traced")
            _note(session, clock, "x", stream="traced")
        assert next(s for s in executed if not s.startswith("PRAGMA")) == "BEGIN IMMEDIATE"
        assert executed.count("BEGIN IMMEDIATE") == 1
        assert executed[-1] == "COMMIT"
    finally:
        db.dispose()


def test_an_append_only_block_that_fails_leaves_no_lock_and_no_transaction(
    tmp_path: Path, clock
) -> None:
    """On SQLite such a block runs BEGIN IMMEDIATE and COMMIT on the driver: when it fails,
    the driver's transaction is rolled back and the kept connection is clean."""
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    try:
        with db.write() as session:
            create_stream(session, "ward-notes")
        with pytest.raises(Refused), db.write() as session:
            _note(session, clock, "lost")
            raise Refused
        other = sqlite3.connect(tmp_path / "ward.sqlite3", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # at once: nobody holds the write lock
            other.execute("ROLLBACK")
        finally:
            other.close()
        with db.write() as session:
            _note(session, clock, "kept")
        assert _notes(db) == ['{"text":"kept"}']
    finally:
        db.dispose()
