"""What the store does with the file it is given (issue 12, section 4): an empty or foreign
file is refused untouched, a read-only folder still reads, a full disk is told as a full disk,
and what the app creates is readable by its owner only."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from infusion_app import cli
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.errors import DatabaseUnavailable, NotARecordStore, ReadOnlyDatabase
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion
from tests.stored import add_note, stored_events

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_an_empty_file_is_refused_not_initialised(tmp_path: Path, clock) -> None:
    path = tmp_path / "infusion.sqlite3"
    path.touch()
    with pytest.raises(NotARecordStore) as error:
        open_database(sqlite_url(path), clock())
    assert "is empty (0 bytes), not a record store" in str(error.value)
    assert path.stat().st_size == 0
    assert beside(path) == ["infusion.sqlite3"]  # no -wal, no -shm, nothing created


def test_another_applications_database_is_refused_untouched(tmp_path: Path, clock) -> None:
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        other.execute("INSERT INTO contacts VALUES ('Li', '123')")
    before = digest(path)
    with pytest.raises(NotARecordStore) as error:
        open_database(sqlite_url(path), clock())
    assert "not a record store of this app (tables: contacts)" in str(error.value)
    assert digest(path) == before
    assert beside(path) == ["contacts.db"]


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path, clock) -> None:
    with pytest.raises(NotARecordStore, match="is not a file"):
        open_database(sqlite_url(tmp_path), clock())


@pytest.mark.parametrize("args", [["db", "status"], ["verify-log"], ["user", "list"]])
def test_the_cli_refuses_an_empty_file_in_one_line(tmp_path: Path, capsys, args: list[str]) -> None:
    path = tmp_path / "infusion.sqlite3"
    path.touch()
    code = cli.main(["--db", f"sqlite:///{path}", *args])
    err = capsys.readouterr().err
    assert code == cli.EXIT_ENVIRONMENT
    assert err.count("\n") == 1 and "is empty (0 bytes)" in err
    assert path.stat().st_size == 0


def test_a_new_store_is_private_and_complete(tmp_path: Path, clock) -> None:
    path = tmp_path / "new folder" / "infusion.sqlite3"
    db = open_database(sqlite_url(path), clock())
    try:
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        for name in beside(path):
            mode = stat.S_IMODE((path.parent / name).stat().st_mode)
            assert mode == 0o600, f"{name} is {oct(mode)}"
        assert not [n for n in beside(path) if ".creating-" in n]
    finally:
        db.dispose()


def test_backups_are_private(tmp_path: Path, clock) -> None:
    from infusion_app.store.backup import backup_sqlite

    path = tmp_path / "infusion.sqlite3"
    open_database(sqlite_url(path), clock()).dispose()
    copy = backup_sqlite(path, tmp_path / "backups" / "copy.sqlite3")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700


@contextmanager
def unwritable_folder(folder: Path) -> Iterator[None]:
    """A folder nobody may create files in. Root ignores mode bits, so as root the folder is
    made immutable as well."""
    folder.chmod(0o555)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


@pytest.fixture
def record(tmp_path: Path, clock):
    folder = tmp_path / "ward"
    folder.mkdir()
    path = folder / "infusion.sqlite3"
    ctx = AppContext(
        db=open_database(sqlite_url(path), clock()), station="s", clock=clock, hasher=FAST_HASHER
    )
    nurse, infusion_id = register_sample_infusion(ctx, clock)
    add_note(ctx, nurse, infusion_id, "before the folder was locked")
    ctx.db.dispose()  # closed cleanly: the WAL is merged into the file and removed
    assert beside(path) == ["infusion.sqlite3"]
    return path, nurse, infusion_id


def test_a_read_only_folder_still_reads(record, clock, capsys) -> None:
    path, nurse, infusion_id = record
    before = digest(path)
    with unwritable_folder(path.parent):
        db = open_database(sqlite_url(path), clock())
        try:
            assert not db.health.writable
            assert f"The folder {path.parent} cannot be written" in (db.health.message or "")
            ctx = AppContext(db=db, station="s", clock=clock, hasher=FAST_HASHER)
            notes = [e for e in stored_events(ctx, infusion_id) if e.type == "note_added"]
            assert len(notes) == 1
            with pytest.raises(ReadOnlyDatabase):
                add_note(ctx, nurse, infusion_id, "cannot be saved")
        finally:
            db.dispose()
        for args in (["verify-log"], ["db", "status"], ["user", "list"]):
            code = cli.main(["--db", f"sqlite:///{path}", *args])
            _, err = capsys.readouterr()
            assert code == 0, err
            assert "cannot be written" in err  # the warning line, once
        assert "OK:" in cli_output(path, ["verify-log"], capsys)
    assert digest(path) == before


def cli_output(path: Path, args: list[str], capsys) -> str:
    cli.main(["--db", f"sqlite:///{path}", *args])
    return capsys.readouterr().out


def test_a_read_only_folder_with_unmerged_entries_is_refused_with_the_reason(record, clock) -> None:
    """A station killed mid-work leaves entries in the WAL; without its -shm and with a folder
    that cannot be written, SQLite cannot read them: say so, never show the record without."""
    path, _, infusion_id = record
    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.store.appender",
            str(sqlite_url(path)),
            str(infusion_id),
            "1000000",
            "killed",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    for _ in range(5):
        writer.stdout.readline()
    os.kill(writer.pid, signal.SIGKILL)
    writer.communicate()
    assert Path(f"{path}-wal").stat().st_size > 0
    Path(f"{path}-shm").unlink()
    with unwritable_folder(path.parent), pytest.raises(DatabaseUnavailable) as error:
        open_database(sqlite_url(path), clock())
    assert "its folder cannot be written" in str(error.value)
    assert "infusion.sqlite3-wal holds entries not yet merged" in str(error.value)


def test_a_full_disk_at_start_is_told_as_such(record) -> None:
    """SQLite must create the -shm (32 KiB) before it can read; on a full disk that fails
    (SQLITE_IOERR_SHMSIZE). A file-size limit of 4 KiB fails the same way, without filling
    the test machine's disk."""
    path, _, _ = record
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from infusion_app import cli\n"
        f"sys.exit(cli.main(['--db', 'sqlite:///{path}', 'db', 'status']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == cli.EXIT_ENVIRONMENT, result.stderr
    assert result.stderr.count("\n") == 1
    assert "the disk may be full" in result.stderr
    assert "integrity check" not in result.stderr


def test_the_default_data_folder_is_made_private(tmp_path: Path, monkeypatch, capsys) -> None:
    """An earlier version left the data folder and the record readable by everyone."""
    monkeypatch.delenv("INFUSION_APP_DB_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    folder = tmp_path / "data" / "infusion-app"
    assert cli.main(["db", "status"]) == 0
    database = folder / "infusion.sqlite3"
    folder.chmod(0o755)
    database.chmod(0o644)
    assert cli.main(["db", "status"]) == 0
    capsys.readouterr()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
