"""``infusion-app record``, ``log`` and ``export``: files written only when audited."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import select

from infusion_app import cli
from infusion_app.logic.event_types import EventType
from infusion_app.services import audit, infusions, products, records
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD, make_staff, register_p001
from tests.fakes import FakeClock
from tests.records.conftest import make_device, pdf_pages
from tests.records.scenario import full_infusion


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite file holding the records tests' scripted infusion P001/1."""
    url = f"sqlite:///{tmp_path / 'records.sqlite3'}"
    clock = FakeClock()
    ctx = AppContext(
        db=open_database(url, clock()), station="bed-7", clock=clock, hasher=FAST_HASHER
    )
    staff = make_staff(ctx)
    product = register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)
    products.release_product(ctx, staff.pharmacist, product, PASSWORD)
    full_infusion(
        ctx, staff, infusions.create_infusion(ctx, staff.nurse, "P001", product, 1), clock
    )
    ctx.db.dispose()
    return url


def run(capsys, monkeypatch, db: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PASSWORD}\n"))
    try:
        code = cli.main(["--db", db, "--station", "bed-7", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def printed(db: str) -> list[dict]:
    ctx = AppContext(db=open_database(db, FakeClock()()), station="t")
    try:
        with ctx.db.read() as session:
            payloads = session.execute(
                select(Event.payload).where(Event.type == EventType.RECORD_PRINTED.value)
            ).scalars()
            found = [json.loads(p) for p in payloads]
        assert audit.verify_log(ctx).ok
        return found
    finally:
        ctx.db.dispose()


def test_record_to_a_pdf_file_is_audited(capsys, monkeypatch, db, tmp_path):
    target = tmp_path / "P001-1.pdf"
    code, out, err = run(
        capsys, monkeypatch, db, "record", "P001/1", "-o", str(target), "--user", "monitor",
        "--paper", "letter",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert f"infusion record of infusion:P001/1 written to {target}" in out
    pages = pdf_pages(target.read_bytes())
    assert f"Page 1 of {len(pages)}" in pages[0]
    (entry,) = printed(db)
    assert entry["destination"] == "file P001-1.pdf"
    assert entry["what"] == "infusion record"


def test_record_patient_prints_the_course_record_in_chinese(capsys, monkeypatch, db, tmp_path):
    target = tmp_path / "course.pdf"
    code, out, err = run(
        capsys, monkeypatch, db, "record", "patient", "P001", "--out", str(target),
        "--user", "monitor", "--language", "zh_CN",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.strip() == f"patient course record of patient P001 written to {target}"
    text = "\n".join(pdf_pages(target.read_bytes()))
    # Group A plans one infusion: the scripted infusion 1, given.
    assert "患者疗程记录" in text and "第 1 次输注（共 1 次）" in text
    (entry,) = printed(db)
    assert (entry["what"], entry["subject"]) == ("patient course record", "patient P001")
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_exports_and_the_log(capsys, monkeypatch, db, tmp_path):
    bundle = tmp_path / "P001-1.json"
    assert run(capsys, monkeypatch, db, "export", "1", "--format", "fhir", "-o", str(bundle),
               "--user", "monitor")[0] == 0  # fmt: skip
    Bundle.model_validate(json.loads(bundle.read_text(encoding="utf-8")))
    events = tmp_path / "events.csv"
    assert run(capsys, monkeypatch, db, "export", "P001/1", "--format", "csv", "-o", str(events),
               "--user", "monitor")[0] == 0  # fmt: skip
    assert len(list(csv.DictReader(io.StringIO(events.read_text(encoding="utf-8"))))) == 22
    log = tmp_path / "log.csv"
    assert run(capsys, monkeypatch, db, "log", "--patient", "P001", "-o", str(log),
               "--user", "monitor")[0] == 0  # fmt: skip
    assert [r["Patient"] for r in csv.DictReader(io.StringIO(log.read_text(encoding="utf-8")))] == [
        "P001 (WL)"
    ]
    assert [e["what"] for e in printed(db)] == ["FHIR bundle", "events CSV", "infusion log"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "--from", "2026-11-22", "--to", "2026-11-21"], "to: 2026-11-21 is before --from"),
        (["log", "--from", "2026-11-22"], "from: give --patient ID, or both --from DATE and"),
        (["log", "--patient", "P001", "--from", "2026-11-01"], "patient: give --patient or"),
        (["record", "P001/9"], "infusion: patient P001 has no infusion 9"),
        (["record", "patient"], "trial_id: give the patient's trial ID after 'record patient'"),
        (["record", "patient", "P009"], "trial_id: no patient 'P009'"),
        (["record", "P001/1", "P001"], "infusion: give an infusion, or 'patient P001' for a"),
        (["export", "1", "--format", "csv", "--user", "admin"], "an admin may not print"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(capsys, monkeypatch, db, tmp_path, argv, message):
    target = tmp_path / "out.pdf"
    user = [] if "--user" in argv else ["--user", "monitor"]
    code, _, err = run(capsys, monkeypatch, db, *argv, "-o", str(target), *user)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not target.exists()
    assert list(tmp_path.glob(".infusion-app-*")) == []
    assert printed(db) == []


# --- the output file: checked before anything is committed ----------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".infusion-app"))


def test_the_audited_sha256_is_the_files(capsys, monkeypatch, db, tmp_path):
    target = tmp_path / "events.csv"
    code, _, _ = run(capsys, monkeypatch, db, "export", "P001/1", "--format", "csv",
                     "-o", str(target), "--user", "monitor")  # fmt: skip
    assert code == 0
    (entry,) = printed(db)
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert entry["folder"] == str(tmp_path.resolve())


def _bad_target(kind: str, folder: Path, db: str) -> tuple[str, str]:
    """Make a target of this kind in ``folder``: the -o value, and the words of the refusal."""
    database = db.removeprefix("sqlite:///")
    if kind == "symlink":
        (folder / "precious.txt").write_text("not yours", encoding="utf-8")
        (folder / "out.pdf").symlink_to(folder / "precious.txt")
        return str(folder / "out.pdf"), "is a symbolic link"
    if kind == "fifo":
        os.mkfifo(folder / "out.pdf")
        return str(folder / "out.pdf"), "is a FIFO, not a regular file"
    if kind == "device":
        return str(make_device(folder)), "is a device, not a regular file"
    if kind == "folder":
        (folder / "out.pdf").mkdir()
        return str(folder / "out.pdf"), "is a folder, not a file"
    if kind == "trailing slash":
        return f"{folder}/", "is a folder, not a file"
    if kind == "long name":
        return str(folder / ("x" * 296 + ".pdf")), "the file name is 300 bytes"
    if kind == "no folder":
        return str(folder / "nowhere" / "out.pdf"), "does not exist"
    if kind == "not utf-8":
        return str(folder / "caf\udce9.pdf"), "is not UTF-8"  # a Latin-1 name, as argv has it
    if kind == "database":
        return database, "file of the record store's database"
    if kind == "wal":
        return f"{database}-wal", "file of the record store's database"
    return {"dot": ".", "empty": ""}[kind], "is a folder, not a file: give a file name"


KINDS = ["symlink", "fifo", "device", "folder", "trailing slash", "long name", "no folder",
         "not utf-8", "database", "wal", "dot", "empty"]  # fmt: skip


@pytest.mark.parametrize("command", ["record", "log", "export"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_output_is_one_line_and_commits_nothing(
    capsys, monkeypatch, db, tmp_path, kind, command
):
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    output, words = _bad_target(kind, folder, db)
    before = {p.name: os.lstat(p) for p in tmp_path.rglob("*")}
    database = Path(db.removeprefix("sqlite:///"))
    argv = {
        "record": ["record", "P001/1"],
        "log": ["log", "--patient", "P001"],
        "export": ["export", "P001/1", "--format", "csv"],
    }[command]
    if command == "log" and kind in ("database", "wal"):
        words = "must end in .pdf or .csv"  # refused even before that
    code, out, err = run(capsys, monkeypatch, db, *argv, "-o", output, "--user", "monitor")
    assert (code, out) == (2, "")
    assert "output: " in err and words in err and len(err.strip().splitlines()) == 1
    assert printed(db) == []
    assert leftovers(folder) == [] and leftovers(database.parent) == []
    if kind == "symlink":
        assert (folder / "precious.txt").read_text(encoding="utf-8") == "not yours"
    for path in folder.iterdir():  # nothing replaced: the same inode, the same kind
        was = before[path.name]
        assert (os.lstat(path).st_ino, os.lstat(path).st_mode) == (was.st_ino, was.st_mode)


def test_a_failed_rename_after_the_audit_exits_3_with_both_entries(
    capsys, monkeypatch, db, tmp_path
):
    target = tmp_path / "P001-1.pdf"
    audit = records.record_output

    def audit_then_collide(*args, **kwargs):
        audit(*args, **kwargs)
        target.mkdir()  # another program takes the name while the audit commits

    monkeypatch.setattr(records, "record_output", audit_then_collide)
    code, out, err = run(
        capsys, monkeypatch, db, "record", "P001/1", "-o", str(target), "--user", "monitor"
    )
    assert (code, out) == (3, "")
    assert "could not be put in place" in err and "recorded in the log" in err
    assert len(err.strip().splitlines()) == 1
    assert target.is_dir() and leftovers(tmp_path) == []
    (entry,) = printed(db)
    (failure,) = output_failures(db)
    assert failure["sha256"] == entry["sha256"] and failure["reason"]


def output_failures(db: str) -> list[dict]:
    ctx = AppContext(db=open_database(db, FakeClock()()), station="t")
    try:
        with ctx.db.read() as session:
            payloads = session.execute(
                select(Event.payload).where(Event.type == EventType.RECORD_OUTPUT_FAILED.value)
            ).scalars()
            return [json.loads(p) for p in payloads]
    finally:
        ctx.db.dispose()


CHILD = """
import sys
from infusion_app import cli
from infusion_app.services import records

def stop_before_the_audit(*args, **kwargs):
    print("fsynced", flush=True)
    sys.stdin.readline()  # the password was the first line; wait here until killed
    sys.stdin.read()

records.record_output = stop_before_the_audit
cli.main(sys.argv[1:])
"""


def test_a_cli_killed_before_its_audit_leaves_a_file_the_next_run_removes(
    capsys, monkeypatch, db, tmp_path
):
    target = tmp_path / "P001-1.pdf"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, "--db", db, "--station", "bed-7", "record", "P001/1",
         "-o", str(target), "--user", "monitor"],
        cwd=Path(__file__).resolve().parents[1],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(f"{PASSWORD}\n")
        child.stdin.flush()
        line = child.stdout.readline()
        assert line == "fsynced\n", line or child.communicate()[1]
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    (leftover,) = leftovers(tmp_path)
    assert leftover.startswith(".infusion-app-incomplete-") and leftover.endswith(".P001-1.pdf")
    assert pdf_pages((tmp_path / leftover).read_bytes())  # complete, but never audited
    assert not target.exists() and printed(db) == []
    code, _, _ = run(capsys, monkeypatch, db, "export", "P001/1", "--format", "csv",
                     "-o", str(tmp_path / "events.csv"), "--user", "monitor")  # fmt: skip
    assert code == 0
    assert leftovers(tmp_path) == [] and not target.exists()
    assert [e["what"] for e in printed(db)] == ["events CSV"]


def test_log_over_the_whole_calendar_works(capsys, monkeypatch, db, tmp_path):
    """The first and last days the app accepts (1900-01-01 .. 2199-12-31), in a zone east of
    UTC: no overflow, the one infusion listed; a date outside them is one line (it was an
    internal error, exit 70, at 0001-01-01 .. 9999-12-31)."""
    target = tmp_path / "all.csv"
    monkeypatch.setenv("TZ", "Asia/Shanghai")  # east of UTC: local midnights fall a day back
    time.tzset()
    try:
        code, _, err = run(
            capsys, monkeypatch, db, "log", "--from", "1900-01-01", "--to", "2199-12-31",
            "-o", str(target), "--user", "monitor",
        )  # fmt: skip
        assert (code, err) == (0, "")
        code, _, err = run(
            capsys, monkeypatch, db, "log", "--from", "0001-01-01", "--to", "9999-12-31",
            "-o", str(tmp_path / "never.csv"), "--user", "monitor",
        )  # fmt: skip
    finally:
        monkeypatch.undo()
        time.tzset()
    assert code == 2 and err.count("\n") == 1 and "1900" in err
    assert not (tmp_path / "never.csv").exists()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["Patient"] for r in rows] == ["P001 (WL)"]
