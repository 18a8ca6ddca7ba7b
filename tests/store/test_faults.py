"""Environment failures on SQLite: a clear error, nothing acknowledged, nothing half-written,
and the app still opens."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from infusion_app.services import audit, first_run
from infusion_app.services.context import AppContext
from infusion_app.store.database import quick_check, sqlite_url
from infusion_app.store.errors import DatabaseDamaged, DatabaseLocked, DiskFull, ReadOnlyDatabase
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.stored import add_note, stored_events


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ward.sqlite3"


@pytest.fixture
def sqlite_ctx(db_path: Path, clock) -> Iterator[AppContext]:
    ctx = AppContext(
        db=open_database(sqlite_url(db_path), clock()),
        station="bed-1",
        clock=clock,
        hasher=FAST_HASHER,
    )
    yield ctx
    ctx.db.dispose()


@pytest.fixture
def nurse_and_infusion(sqlite_ctx: AppContext, clock):
    """A minimal clinical record to write to: the shared fixtures, on this SQLite file."""
    from tests.conftest import register_sample_infusion

    return register_sample_infusion(sqlite_ctx, clock)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def note_count(ctx: AppContext, infusion_id: int) -> int:
    return len(stored_events(ctx, infusion_id)) - 1  # minus infusion_created


def test_locked_longer_than_busy_timeout(sqlite_ctx, nurse_and_infusion, db_path) -> None:
    nurse, infusion_id = nurse_and_infusion
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseLocked) as error:
            add_note(sqlite_ctx, nurse, infusion_id, "must not be lost silently")
        assert "nothing was saved; try again" in str(error.value)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert note_count(sqlite_ctx, infusion_id) == 0
    # once the lock is gone the same action goes through
    assert add_note(sqlite_ctx, nurse, infusion_id, "saved") == 2
    assert audit.verify_log(sqlite_ctx).ok


def make_unwritable(path: Path) -> None:
    """A read-only file. Root ignores mode bits, so as root the file is also made immutable."""
    path.chmod(0o444)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)


def make_writable(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=True)
    path.chmod(0o644)


def test_read_only_file_opens_read_only(sqlite_ctx, nurse_and_infusion, db_path, clock) -> None:
    nurse, infusion_id = nurse_and_infusion
    sqlite_ctx.db.dispose()  # the app closes; someone write-protects the file
    before = sha256(db_path)
    make_unwritable(db_path)
    try:
        db = open_database(sqlite_url(db_path), clock())
        ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
        assert not db.health.writable
        assert "cannot be written" in db.health.message and "open read-only" in db.health.message
        # the record is still readable...
        assert [e.seq for e in stored_events(ctx, infusion_id)] == [1]
        # ...and a write is refused with the reason, acknowledging nothing
        with pytest.raises(ReadOnlyDatabase):
            add_note(ctx, nurse, infusion_id, "cannot be saved")
        db.dispose()
    finally:
        make_writable(db_path)
    assert sha256(db_path) == before


def test_disk_full(sqlite_ctx, nurse_and_infusion, db_path) -> None:
    nurse, infusion_id = nurse_and_infusion
    with sqlite3.connect(db_path) as probe:
        pages = probe.execute("PRAGMA page_count").fetchone()[0]

    @event.listens_for(sqlite_ctx.db.engine, "connect")
    def _small_disk(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 3}")

    sqlite_ctx.db.engine.dispose()  # new connections get the limit
    acknowledged = 0
    with pytest.raises(DiskFull) as error:
        for number in range(10_000):
            add_note(sqlite_ctx, nurse, infusion_id, f"note {number} " + "x" * 400)
            acknowledged += 1
    assert "disk holding" in str(error.value) and "is full" in str(error.value)
    assert acknowledged > 0  # some notes fitted before the disk filled
    assert note_count(sqlite_ctx, infusion_id) == acknowledged
    assert audit.verify_log(sqlite_ctx).ok
    assert quick_check(db_path) is None


@pytest.mark.parametrize("damage", ["header", "page"])
def test_corrupted_file_opens_read_only_and_is_never_written(
    sqlite_ctx, nurse_and_infusion, db_path, clock, damage: str
) -> None:
    nurse, infusion_id = nurse_and_infusion
    for number in range(200):  # enough pages to damage one in the middle
        add_note(sqlite_ctx, nurse, infusion_id, f"note {number} " + "y" * 200)
    sqlite_ctx.db.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size, page_count = (
            connection.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
        )
    with db_path.open("r+b") as handle:
        offset = 0 if damage == "header" else page_size * (page_count // 2)
        handle.seek(offset)
        handle.write(os.urandom(page_size) if damage == "page" else b"\xff" * 100)
    before = sha256(db_path)
    db = open_database(sqlite_url(db_path), clock())
    assert not db.health.writable
    assert "failed its integrity check" in db.health.message
    ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
    with pytest.raises(ReadOnlyDatabase):
        add_note(ctx, nurse, infusion_id, "must not be written")
    if damage == "header":
        with pytest.raises(DatabaseDamaged):
            first_run.count_users(ctx)
    db.dispose()
    assert sha256(db_path) == before
