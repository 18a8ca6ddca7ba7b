"""The file's integrity check behind the login (``open_database(check_in_background=True)``,
the window's way): the store opens after a cheap look, every write waits for the full check,
and a file that fails it ends as one found damaged at start does: read-only with the same
banner, never written, never migrated."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command

from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.store.database import Database, sqlite_url
from infusion_app.store.errors import DiskFull, ReadOnlyDatabase
from infusion_app.store.migrate import alembic_config, schema_state
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.store.held_check import WAITING, HeldCheck
from tests.stored import add_note, stored_events


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def record(tmp_path: Path, clock) -> tuple[Path, CurrentUser, int]:
    """A record with an infusion and 200 notes (enough pages to damage one in the middle),
    closed, its WAL merged into the file."""
    from tests.conftest import register_sample_infusion

    path = tmp_path / "ward.sqlite3"
    ctx = AppContext(
        db=open_database(sqlite_url(path), clock()),
        station="bed-1",
        clock=clock,
        hasher=FAST_HASHER,
    )
    nurse, infusion_id = register_sample_infusion(ctx, clock)
    for number in range(200):
        add_note(ctx, nurse, infusion_id, f"note {number} " + "y" * 200)
    ctx.db.dispose()
    return path, nurse, infusion_id


def damage_a_middle_page(path: Path) -> None:
    """Random bytes over one page in the middle: the header and schema still read."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size, page_count = (
            connection.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size", "page_count")
        )
    with path.open("r+b") as handle:
        handle.seek(page_size * (page_count // 2))
        handle.write(os.urandom(page_size))


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldCheck:
    return HeldCheck(monkeypatch)


@pytest.fixture
def opened(record, clock, held: HeldCheck) -> Iterator[tuple[AppContext, CurrentUser, int]]:
    """The record opened the window's way, its check held."""
    path, nurse, infusion_id = record
    db = open_database(sqlite_url(path), clock(), check_in_background=True)
    ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
    yield ctx, nurse, infusion_id
    held.release.set()
    db.dispose()


def note_on_a_thread(ctx: AppContext, nurse: CurrentUser, infusion_id: int) -> dict[str, object]:
    """A note written by a worker (as the window's tasks do); its outcome in the dict."""
    outcome: dict[str, object] = {}

    def write() -> None:
        try:
            outcome["seq"] = add_note(ctx, nurse, infusion_id, "written behind the check")
        except Exception as exc:
            outcome["error"] = exc

    outcome["thread"] = thread = threading.Thread(target=write)
    thread.start()
    return outcome


def notes(ctx: AppContext, infusion_id: int) -> int:
    return len(stored_events(ctx, infusion_id)) - 1  # minus infusion_created


def test_the_store_opens_before_the_check_and_reads_meanwhile(opened, held) -> None:
    ctx, _nurse, infusion_id = opened
    assert ctx.db.integrity is not None and not ctx.db.integrity.finished
    assert ctx.db.health.writable
    assert notes(ctx, infusion_id) == 200  # the record reads while the check runs
    held.answers(None)
    assert ctx.db.integrity.wait(WAITING) and ctx.db.integrity.passed
    assert ctx.db.health.writable


def test_a_write_waits_for_the_check_then_goes_through(opened, held) -> None:
    ctx, nurse, infusion_id = opened
    outcome = note_on_a_thread(ctx, nurse, infusion_id)
    assert held.writer_waiting.wait(WAITING)
    assert notes(ctx, infusion_id) == 200  # nothing committed while the check runs
    held.answers(None)
    outcome["thread"].join(WAITING)  # type: ignore[attr-defined]
    assert "error" not in outcome, outcome.get("error")
    assert outcome["seq"] == 202  # infusion_created, 200 notes, this one
    assert notes(ctx, infusion_id) == 201


def test_a_write_waiting_for_a_failed_check_is_refused(opened, held, record) -> None:
    ctx, nurse, infusion_id = opened
    path = record[0]
    outcome = note_on_a_thread(ctx, nurse, infusion_id)
    assert held.writer_waiting.wait(WAITING)
    held.answers("*** in database main *** Tree 7 page 42 cell 3: invalid page number")
    outcome["thread"].join(WAITING)  # type: ignore[attr-defined]
    assert isinstance(outcome.get("error"), ReadOnlyDatabase), outcome
    # the banner of a file found damaged at start, word for word
    message = ctx.db.health.message or ""
    assert not ctx.db.health.writable
    assert message == (
        f"The database {path} failed its integrity check (*** in database main *** Tree 7 "
        "page 42 cell 3: invalid page number). It is open read-only: nothing can be "
        "recorded. Call support and keep the file."
    )
    assert str(outcome["error"]) == message
    assert notes(ctx, infusion_id) == 200  # still readable, through a read-only connection
    with pytest.raises(ReadOnlyDatabase):
        add_note(ctx, nurse, infusion_id, "never written")


def test_a_check_that_cannot_run_refuses_writes_with_its_reason(opened, held) -> None:
    ctx, nurse, infusion_id = opened
    held.answers(failure=DiskFull("the disk holding ward.sqlite3 is full: nothing was saved"))
    assert ctx.db.integrity is not None and ctx.db.integrity.wait(WAITING)
    assert not ctx.db.integrity.passed
    assert ctx.db.health.message == (
        "the disk holding ward.sqlite3 is full: nothing was saved. It is open read-only."
    )
    with pytest.raises(ReadOnlyDatabase):
        add_note(ctx, nurse, infusion_id, "never written")


def test_a_damaged_page_found_behind_the_login_is_never_written(record, clock) -> None:
    """The real check on a real damaged file (the test of the start-up check, in the
    window's order): the store opens, the check finds the page, nothing is ever written."""
    path, nurse, infusion_id = record
    damage_a_middle_page(path)
    before = sha256(path)
    db = open_database(sqlite_url(path), clock(), check_in_background=True)
    ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
    assert db.integrity is not None and db.integrity.wait(WAITING)
    assert not db.health.writable
    assert "failed its integrity check" in (db.health.message or "")
    with pytest.raises(ReadOnlyDatabase):
        add_note(ctx, nurse, infusion_id, "must not be written")
    db.dispose()
    assert sha256(path) == before


def test_a_sound_file_passes_behind_the_login(record, clock) -> None:
    path, nurse, infusion_id = record
    db = open_database(sqlite_url(path), clock(), check_in_background=True)
    ctx = AppContext(db=db, station="bed-1", clock=clock, hasher=FAST_HASHER)
    assert db.integrity is not None and db.integrity.wait(WAITING) and db.integrity.passed
    assert add_note(ctx, nurse, infusion_id, "saved") == 202
    db.dispose()


def test_a_file_to_migrate_is_checked_before_it_is_migrated(tmp_path: Path, clock) -> None:
    """An older schema is written at start (the migration): a damaged one stays as it is,
    read-only, with no backup taken and no migration run."""
    path = tmp_path / "old.sqlite3"
    old = Database(sqlite_url(path))
    config = alembic_config()
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
        for number in range(300):  # pages enough to damage one that is not the schema's
            connection.exec_driver_sql(
                "INSERT INTO streams (name, head_seq, head_hash) VALUES (?, 0, ?)",
                (f"padding-{number}-" + "p" * 80, "0" * 64),
            )
    old.dispose()
    damage_a_middle_page(path)
    before = sha256(path)
    db = open_database(sqlite_url(path), clock(), check_in_background=True)
    assert not db.health.writable
    assert "failed its integrity check" in (db.health.message or "")
    assert schema_state(db).current == "0005"  # not migrated
    db.dispose()
    assert not (tmp_path / "backups").exists()
    assert sha256(path) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority")
def test_the_check_runs_below_the_window_on_linux(record, clock) -> None:
    """The check reads the whole file while the window opens the record and enables the
    login: on Linux its thread runs CHECK_NICENESS below the process (issue 18)."""
    from infusion_app.store.integrity_check import CHECK_NICENESS, IntegrityCheck

    path, _nurse, _infusion = record
    base = os.getpriority(os.PRIO_PROCESS, 0)
    seen: list[int] = []
    check = IntegrityCheck(path)
    check.when_finished(
        lambda _check: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    )
    check.start()
    assert check.wait(30) and check.passed
    assert seen == [min(base + CHECK_NICENESS, 19)]
    assert os.getpriority(os.PRIO_PROCESS, 0) == base  # the rest of the process: as it was
