"""Saving a document to a file: the file appears only once audited, never anywhere else.

The target is checked before anything is committed: a symbolic link, a FIFO, a device, a
folder, a file of the database, or a name the file system cannot hold is refused with one
line, nothing written and nothing committed. The bytes go to an incomplete file created
exclusively beside the target, are fsynced, the audit is committed, then the file is put in
place; a failure after the audit is a second entry. A writer killed before its audit leaves an
incomplete file that the next save into that folder removes.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import URL, make_url, select

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.services import records
from infusion_app.services.context import NotAuthorised
from infusion_app.services.output_files import INCOMPLETE_PREFIX, OutputFileError
from infusion_app.store.models import Event
from tests.records.conftest import make_device

ROOT = Path(__file__).resolve().parents[2]
OUTPUT_TYPES = (EventType.RECORD_PRINTED.value, EventType.RECORD_OUTPUT_FAILED.value)


def outputs(ctx) -> list[tuple[str, dict]]:
    """The output entries of the system stream, oldest first."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.type, Event.payload).where(Event.type.in_(OUTPUT_TYPES)).order_by(Event.id)
        )
        return [(str(kind), json.loads(payload)) for kind, payload in rows]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".infusion-app"))


@pytest.fixture
def database_url(tmp_path) -> URL:
    """SQLite only: these are tests of files; the audit itself runs on both stores elsewhere."""
    return make_url(f"sqlite:///{tmp_path / 'infusion.sqlite3'}")


@pytest.fixture
def document(ctx, staff, infusion_id) -> records.Document:
    return records.export_infusion(ctx, staff.monitor, infusion_id, "csv")


def test_the_saved_file_is_the_audited_one(ctx, staff, document, tmp_path):
    target = tmp_path / "events.csv"
    records.save_document(ctx, staff.monitor, document, target)
    ((kind, entry),) = outputs(ctx)
    assert kind == "record_printed"
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest() == document.sha256
    assert entry["destination"] == "file events.csv"
    assert entry["folder"] == str(tmp_path.resolve())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # patient data: the owner only
    assert leftovers(tmp_path) == []


def test_an_existing_regular_file_is_replaced(ctx, staff, document, tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("old", encoding="utf-8")
    records.save_document(ctx, staff.monitor, document, target)
    assert target.read_bytes() == document.data
    assert [kind for kind, _ in outputs(ctx)] == ["record_printed"]


def _refused(ctx, staff, document, target, words: str) -> None:
    with pytest.raises(InputError) as refused:
        records.save_document(ctx, staff.monitor, document, target)
    assert refused.value.field == "output"
    assert words in refused.value.rule
    assert "\n" not in str(refused.value)
    assert outputs(ctx) == []  # nothing committed


def test_a_symlink_target_is_refused_and_its_referent_unchanged(ctx, staff, document, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / "precious.txt"
    precious.write_text("not yours", encoding="utf-8")
    folder = tmp_path / "out"
    folder.mkdir()
    link = folder / "events.csv"
    link.symlink_to(precious)
    _refused(ctx, staff, document, link, "is a symbolic link")
    assert precious.read_text(encoding="utf-8") == "not yours"
    assert link.is_symlink() and leftovers(folder) == []


def test_a_dangling_symlink_target_is_refused(ctx, staff, document, tmp_path):
    link = tmp_path / "events.csv"
    link.symlink_to(tmp_path / "elsewhere" / "created.csv")
    _refused(ctx, staff, document, link, "is a symbolic link")
    assert link.is_symlink() and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "socket"])
def test_a_target_that_is_not_a_regular_file_is_never_replaced(
    ctx, staff, document, tmp_path, kind
):
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)  # opening it for writing would block forever: it is never opened
    elif kind == "device":
        target = make_device(tmp_path)
    elif kind == "folder":
        target.mkdir()
    else:
        import socket

        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    before = os.lstat(target)
    words = "is a folder" if kind == "folder" else "not a regular file"
    _refused(ctx, staff, document, target, words)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("x" * 300 + ".csv", "the file system allows at most 255"),
        ("bad\nname.csv", "control character"),
        ("bad\x00name.csv", "control character"),
        ("caf\udce9.csv", "is not UTF-8"),  # the byte 0xE9 of a Latin-1 name, as argv has it
        (f"{INCOMPLETE_PREFIX}0123456789abcdef.x.csv", "are the app's own"),
    ],
)
def test_a_name_the_file_system_cannot_hold_is_refused(
    ctx, staff, document, tmp_path, name, words
):
    _refused(ctx, staff, document, str(tmp_path / name), words)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("given", ["", ".", "..", "{tmp}", "{tmp}/", "{tmp}/.", "{tmp}/sub/.."])
def test_a_folder_or_no_name_is_refused(ctx, staff, document, tmp_path, monkeypatch, given):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    target = given.format(tmp=tmp_path)
    with pytest.raises(InputError) as refused:
        records.save_document(ctx, staff.monitor, document, target)
    assert refused.value.field == "output"
    assert "give a file name" in refused.value.rule
    assert outputs(ctx) == [] and leftovers(tmp_path) == []


def test_links_in_the_folder_path_are_followed_and_the_real_folder_recorded(
    ctx, staff, document, tmp_path
):
    """The person named that folder (``/tmp`` or a home folder often is a link): followed; the
    audit says where the file really is."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real, target_is_directory=True)
    written = records.save_document(ctx, staff.monitor, document, tmp_path / "via" / "x.csv")
    assert written == tmp_path / "via" / "x.csv"
    assert (real / "x.csv").read_bytes() == document.data
    ((_, entry),) = outputs(ctx)
    assert entry["folder"] == str(real.resolve()) and entry["destination"] == "file x.csv"


def test_a_missing_folder_is_refused(ctx, staff, document, tmp_path):
    _refused(ctx, staff, document, tmp_path / "nowhere" / "x.csv", "does not exist")


def test_a_file_of_the_database_is_refused(ctx, staff, document, database_url):
    database = Path(str(database_url.database))
    for name in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        _refused(ctx, staff, document, name, "file of the record store's database")
    assert outputs(ctx) == []


def test_a_failed_rename_after_the_audit_is_a_second_entry(
    ctx, staff, document, tmp_path, monkeypatch
):
    """Someone makes a folder of the target's name while the audit commits: the file cannot be
    put in place; the attempt and its failure are both in the log; nothing is left over."""
    target = tmp_path / "events.csv"
    audit = records.record_output

    def audit_then_collide(*args, **kwargs):
        audit(*args, **kwargs)
        target.mkdir()
        (target / "keep").write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(records, "record_output", audit_then_collide)
    with pytest.raises(OutputFileError) as failed:
        records.save_document(ctx, staff.monitor, document, target)
    assert "recorded in the log" in str(failed.value) and "\n" not in str(failed.value)
    (printed_kind, printed), (failed_kind, failure) = outputs(ctx)
    assert (printed_kind, failed_kind) == ("record_printed", "record_output_failed")
    assert failure["sha256"] == printed["sha256"] == document.sha256
    assert failure["destination"] == printed["destination"] == "file events.csv"
    assert failure["reason"]
    assert (target / "keep").read_text(encoding="utf-8") == "theirs"
    assert leftovers(tmp_path) == []


def test_an_existing_file_replaced_by_a_folder_after_the_audit_is_a_second_entry(
    ctx, staff, document, tmp_path, monkeypatch
):
    target = tmp_path / "events.csv"
    target.write_text("old", encoding="utf-8")
    audit = records.record_output

    def audit_then_swap(*args, **kwargs):
        audit(*args, **kwargs)
        target.unlink()
        target.mkdir()
        (target / "keep").write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(records, "record_output", audit_then_swap)
    with pytest.raises(OutputFileError):
        records.save_document(ctx, staff.monitor, document, target)
    assert [kind for kind, _ in outputs(ctx)] == ["record_printed", "record_output_failed"]
    assert (target / "keep").exists() and leftovers(tmp_path) == []


def test_a_refused_audit_leaves_no_file(ctx, staff, document, tmp_path):
    target = tmp_path / "events.csv"
    with pytest.raises(NotAuthorised):
        records.save_document(ctx, staff.admin, document, target)  # an admin may not print
    assert not target.exists() and leftovers(tmp_path) == [] and outputs(ctx) == []


# --- a writer killed between its fsync and its audit ----------------------------------------

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from infusion_app.services import records
    from infusion_app.services.context import AppContext
    from infusion_app.store.opening import open_database
    from tests.conftest import FAST_HASHER, PASSWORD
    from infusion_app.services import accounts
    from tests.fakes import FakeClock

    url, target = sys.argv[1], Path(sys.argv[2])
    clock = FakeClock()
    ctx = AppContext(db=open_database(url, clock()), station="bed-9", clock=clock,
                     hasher=FAST_HASHER)
    user = accounts.log_in(ctx, "monitor", PASSWORD)
    document = records.Document(b"complete but never audited\\n", "events CSV",
                                "infusion:P001/1", "x.csv")

    def stop(*args, **kwargs):
        print("stopped", flush=True)
        sys.stdin.read()  # until killed

    if sys.argv[3] == "before the audit":
        records.record_output = stop
    else:  # after the audit, before the file is put in place
        from infusion_app.services import output_files
        output_files.IncompleteFile.put_in_place = stop
    records.save_document(ctx, user, document, target)
    """
)


def kill_between_fsync_and_audit(url: str, target: Path, when: str = "before the audit") -> None:
    """Run a save in another process, and SIGKILL it once its file is written and fsynced,
    before its audit entry is committed (or after it, before the file is put in place)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, str(target), when],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # EOF (an empty line) if the child failed instead
        assert line == "stopped\n", line or child.communicate()[1]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()


def test_a_writer_killed_before_its_audit_leaves_an_incomplete_file_the_next_save_removes(
    ctx, staff, document, tmp_path, database_url
):
    target = tmp_path / "events.csv"
    kill_between_fsync_and_audit(database_url.render_as_string(hide_password=False), target)
    (leftover,) = leftovers(tmp_path)
    assert leftover.startswith(INCOMPLETE_PREFIX) and leftover.endswith(".events.csv")
    assert (tmp_path / leftover).read_bytes() == b"complete but never audited\n"
    assert not target.exists() and outputs(ctx) == []  # unaudited, and not in place
    records.save_document(ctx, staff.monitor, document, tmp_path / "other.csv")
    assert leftovers(tmp_path) == []
    assert not target.exists()
    assert [kind for kind, _ in outputs(ctx)] == ["record_printed"]


def test_an_incomplete_file_of_a_running_writer_is_left_alone(ctx, staff, document, tmp_path):
    """Another station is still writing (it holds its incomplete file's lock): not removed."""
    busy = tmp_path / f"{INCOMPLETE_PREFIX}0123456789abcdef.theirs.csv"
    handle = os.open(busy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        records.save_document(ctx, staff.monitor, document, tmp_path / "mine.csv")
        assert busy.exists()
    finally:
        os.close(handle)
    records.save_document(ctx, staff.monitor, document, tmp_path / "again.csv")
    assert not busy.exists()  # its writer is gone now


def test_a_writer_killed_after_its_audit_gets_its_failure_recorded_by_the_next_save(
    ctx, staff, document, tmp_path, database_url
):
    """Audited, never put in place: the next save into the folder removes the incomplete file
    and records the failure in the same transaction as its own entry."""
    target = tmp_path / "events.csv"
    url = database_url.render_as_string(hide_password=False)
    kill_between_fsync_and_audit(url, target, "after the audit")
    (leftover,) = leftovers(tmp_path)
    ((kind, killed),) = outputs(ctx)
    assert (kind, killed["incomplete"]) == ("record_printed", leftover)
    records.save_document(ctx, staff.monitor, document, tmp_path / "other.csv")
    assert leftovers(tmp_path) == [] and not target.exists()
    (_, first), (failed_kind, failure), (last_kind, last) = outputs(ctx)
    assert (failed_kind, last_kind) == ("record_output_failed", "record_printed")
    assert failure["sha256"] == first["sha256"] and failure["destination"] == "file events.csv"
    assert "before its file was put in place" in failure["reason"]
    assert last["destination"] == "file other.csv"
    records.save_document(ctx, staff.monitor, document, tmp_path / "third.csv")
    assert [kind for kind, _ in outputs(ctx)].count("record_output_failed") == 1  # once only
