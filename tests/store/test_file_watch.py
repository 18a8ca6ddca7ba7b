"""A database file replaced or unlinked under the running app is noticed at once (issue 12,
section 1): the next action says so instead of writing into a file nobody will read."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from infusion_app import cli
from infusion_app.services import infusions
from infusion_app.services.context import AppContext
from infusion_app.store import opening
from infusion_app.store.database import sqlite_url
from infusion_app.store.errors import DatabaseFilesChanged
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion


@pytest.fixture
def station(tmp_path: Path, clock):
    path = tmp_path / "ward.sqlite3"
    ctx = AppContext(
        db=open_database(sqlite_url(path), clock()), station="bed", clock=clock, hasher=FAST_HASHER
    )
    nurse, infusion_id = register_sample_infusion(ctx, clock)
    yield ctx, nurse, infusion_id, path
    ctx.db.dispose()


def test_a_replaced_database_file_stops_every_write(station, tmp_path: Path) -> None:
    ctx, nurse, infusion_id, path = station
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copy)
    os.replace(copy, path)  # someone restores "a backup" over the open file
    with pytest.raises(DatabaseFilesChanged) as error:
        infusions.add_note(ctx, nurse, infusion_id, "must not go into the old file")
    assert "was replaced by another file" in str(error.value)
    assert "call support" in str(error.value)
    # and it stays stopped: reads too, since what this process reads is no longer the record
    with pytest.raises(DatabaseFilesChanged):
        infusions.infusion_events(ctx, infusion_id)


def test_a_deleted_database_file_stops_every_write(station) -> None:
    ctx, nurse, infusion_id, path = station
    path.unlink()
    with pytest.raises(DatabaseFilesChanged) as error:
        infusions.add_note(ctx, nurse, infusion_id, "lost")
    assert "was deleted or moved" in str(error.value)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("side", ["-wal", "-shm"])
def test_an_unlinked_wal_stops_every_write(station, side: str) -> None:
    """What the issue saw: another program deleted the WAL the window was writing into."""
    ctx, nurse, infusion_id, path = station
    infusions.add_note(ctx, nurse, infusion_id, "before")
    Path(f"{path}{side}").unlink()
    with pytest.raises(DatabaseFilesChanged) as error:
        infusions.add_note(ctx, nurse, infusion_id, "into a deleted file")
    assert f"lost its {path.name}{side}" in str(error.value)


def test_nothing_changed_nothing_said(station) -> None:
    """The watch does not cry wolf: many writes, a new connection, a checkpoint by another
    program: all normal."""
    ctx, nurse, infusion_id, path = station
    for number in range(20):
        infusions.add_note(ctx, nurse, infusion_id, f"note {number}")
    other = sqlite3.connect(path)
    other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    other.close()
    ctx.db.engine.dispose()  # the pool opens new connections
    assert infusions.add_note(ctx, nurse, infusion_id, "after") == 22
    ctx.db.check_files()


def test_the_cli_exits_3_when_the_file_is_replaced_while_it_runs(
    tmp_path: Path, clock, monkeypatch, capsys
) -> None:
    path = tmp_path / "ward.sqlite3"
    url = sqlite_url(path).render_as_string()
    ctx = AppContext(db=open_database(url, clock()), station="s", clock=clock, hasher=FAST_HASHER)
    register_sample_infusion(ctx, clock)
    ctx.db.dispose()
    real_open = opening.open_database

    def open_then_replace(*args, **kwargs):
        db = real_open(*args, **kwargs)
        db.ping()  # the CLI has the file open ...
        shutil.copyfile(path, tmp_path / "other.sqlite3")
        os.replace(tmp_path / "other.sqlite3", path)  # ... and it is swapped under it
        return db

    monkeypatch.setattr("infusion_app.cli.store.open_database", open_then_replace)
    monkeypatch.setattr("sys.stdin", _Lines("correct horse battery\n"))
    code = cli.main(["--db", url, "user", "list"])
    assert code == cli.EXIT_ENVIRONMENT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "was replaced by another file" in err


class _Lines:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""
