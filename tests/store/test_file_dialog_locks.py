"""A file dialog must never cost a confirmed entry (issue 12, section 1).

SQLite's locks are POSIX advisory locks, owned by the process: any open() and close() of a
database file by something else in the same process drops them (sqlite.org/howtocorrupt.html,
section 2.2). A file dialog reads the files of the folder it shows to pick icons and types, so
a dialog opened on the database's folder dropped the window's locks; the next program that
opened and closed the database took itself for the last user, checkpointed and deleted the WAL
the window was still writing into, and every entry after that lived in an unlinked file.

The scenario, as it happened: a station with committed entries opens a file dialog on the
database's folder and closes it; another process (``infusion-app user list``) opens and closes
the database; the station commits more entries and is killed with SIGKILL. Every entry it
confirmed must be in the file and the chain intact.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infusion_app.services import audit
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion
from tests.stored import stored_events

ROOT = Path(__file__).resolve().parents[2]
ANSWER_SECONDS = 60


class Station:
    """The child process of ``tests.store.dialog_station``, spoken to line by line."""

    def __init__(self, url: str, infusion_id: int, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.store.dialog_station", url, str(infusion_id)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
        )
        self.refusals: list[str] = []
        self.pending = b""
        assert self.line() == "ready"

    def line(self) -> str:
        """The next line, waiting at most ANSWER_SECONDS. Reads the pipe itself: a buffered
        reader would swallow several lines at once and leave select() nothing to see."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + ANSWER_SECONDS
        while b"\n" not in self.pending:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                self.process.kill()
                raise AssertionError("the station did not answer in time")
            chunk = os.read(fd, 65536)
            if not chunk:
                _, errors = self.process.communicate()
                raise AssertionError(f"the station ended: {errors[-2000:]}")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode().strip()

    def tell(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def notes(self, count: int) -> set[int]:
        """The sequence numbers acknowledged; each refusal is kept in ``refusals``."""
        self.tell(f"note {count}")
        acknowledged = set()
        for _ in range(count):
            answer = self.line()
            if answer.startswith("refused "):
                self.refusals.append(answer)
            else:
                acknowledged.add(int(answer))
        return acknowledged

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.communicate()
        assert self.process.returncode == -signal.SIGKILL


def other_program_opens_and_closes(url: str, env: dict[str, str]) -> None:
    """What the issue saw: a read-only ``infusion-app user list`` while the window writes."""
    result = subprocess.run(
        [sys.executable, "-m", "infusion_app", "--db", url, "user", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=ANSWER_SECONDS,
    )
    assert result.returncode == 0, result.stderr
    assert "nurse" in result.stdout


def present_notes(url: str, infusion_id: int, clock) -> set[int]:
    ctx = AppContext(
        db=open_database(url, clock()), station="check", clock=clock, hasher=FAST_HASHER
    )
    try:
        report = audit.verify_log(ctx, infusion_id)
        assert report.ok, report.first_problem
        return {e.seq for e in stored_events(ctx, infusion_id) if e.type == "note_added"}
    finally:
        ctx.db.dispose()


def run_scenario(
    path: Path, env: dict[str, str], clock, dialog: str
) -> tuple[set[int], set[int], list[str]]:
    url = sqlite_url(path).render_as_string()
    ctx = AppContext(
        db=open_database(url, clock()), station="setup", clock=clock, hasher=FAST_HASHER
    )
    _, infusion_id = register_sample_infusion(ctx, clock)
    ctx.db.dispose()
    station = Station(url, infusion_id, env)
    try:
        confirmed = station.notes(5)
        station.tell(f"{dialog} {path.parent}")
        assert station.line() == "closed"
        other_program_opens_and_closes(url, env)
        confirmed |= station.notes(5)
    finally:
        station.kill()
    return confirmed, present_notes(url, infusion_id, clock), station.refusals


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The app's default data folder inside the test's own folder (platformdirs reads XDG)."""
    environment = dict(os.environ)
    environment["XDG_DATA_HOME"] = str(tmp_path / "data")
    environment["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    environment["QT_QPA_PLATFORM"] = "offscreen"
    environment.pop("INFUSION_APP_DB_URL", None)
    return environment


def default_database(env: dict[str, str]) -> Path:
    code = "from infusion_app.config import default_database_url as d; print(d())"
    url = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    path = Path(url.removeprefix("sqlite:///"))
    assert path.is_relative_to(Path(env["XDG_DATA_HOME"])), url
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.parametrize("where", ["default data folder", "a file the user chose"])
def test_a_file_dialog_on_the_database_folder_loses_no_confirmed_entry(
    tmp_path: Path, env: dict[str, str], clock, where: str
) -> None:
    if where == "default data folder":
        path = default_database(env)
    else:
        (tmp_path / "trial records").mkdir()
        path = tmp_path / "trial records" / "records.db"
    confirmed, present, refusals = run_scenario(path, env, clock, "chooser")
    assert refusals == []
    assert len(confirmed) == 10
    assert confirmed <= present, f"confirmed but lost: {sorted(confirmed - present)}"


def test_cause_a_dialog_in_the_apps_process_drops_the_locks(
    tmp_path: Path, env: dict[str, str], clock
) -> None:
    """The cause, confirmed: the same scenario with a QFileDialog in the station's own process
    (what the app did before) lets the other program delete the WAL under the station. Before
    the store watched its files, the station went on acknowledging entries into the deleted
    WAL and lost them; now it notices and refuses, so nothing confirmed is lost either way."""
    (tmp_path / "trial records").mkdir()
    path = tmp_path / "trial records" / "records.db"
    confirmed, present, refusals = run_scenario(path, env, clock, "bare")
    assert refusals, "the WAL survived an in-process dialog: this Qt no longer reads the files"
    assert all(
        "DatabaseFilesChanged" in r and "records.db-wal (deleted while in use)" in r
        for r in refusals
    ), refusals
    assert len(confirmed) == 5  # only the entries made before the dialog
    assert confirmed <= present


def test_no_file_dialog_in_the_apps_process() -> None:
    """Every file dialog goes through the chooser's child process: no other module of the app
    may create a QFileDialog (or a QFileSystemModel, which reads folders the same way)."""
    offenders = []
    for source in (ROOT / "infusion_app").rglob("*.py"):
        if source.name == "file_chooser_process.py":
            continue
        text = source.read_text(encoding="utf-8")
        if "QFileDialog" in text or "QFileSystemModel" in text:
            offenders.append(str(source.relative_to(ROOT)))
    assert offenders == []


def test_the_chooser_returns_nothing_when_its_process_cannot_start(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QWidget

    from infusion_app.ui import file_chooser

    monkeypatch.setattr(file_chooser, "CHILD_MODULE", "infusion_app.no_such_module")
    widget = QWidget()
    qtbot.addWidget(widget)
    chooser = file_chooser.FileChooser(widget, mode="open", title="t", start="", filter="*")
    with qtbot.waitSignal(chooser.done, timeout=ANSWER_SECONDS * 1000) as blocker:
        chooser.start()
    assert blocker.args == [None]
    assert "no_such_module" in chooser.failure


def test_the_chooser_reports_the_chosen_path(qtbot, monkeypatch, tmp_path: Path) -> None:
    """The child's answer reaches the window as a path (a stand-in child that answers at once
    in the chooser's protocol, since nobody can click in the real one here)."""
    from PySide6.QtWidgets import QWidget

    from infusion_app.ui import file_chooser

    monkeypatch.setattr(file_chooser, "CHILD_MODULE", "tests.store.answering_chooser")
    widget = QWidget()
    qtbot.addWidget(widget)
    target = tmp_path / "record.pdf"
    chooser = file_chooser.FileChooser(
        widget, mode="save", title="t", start=str(target), filter="*.pdf"
    )
    wait = ANSWER_SECONDS * 1000
    with (
        qtbot.waitSignal(chooser.shown, timeout=wait),
        qtbot.waitSignal(chooser.done, timeout=wait) as blocker,
    ):
        chooser.start()
    assert blocker.args == [target]
    assert chooser.failure == ""


def test_the_dialog_starts_at_the_suggested_file(qtbot, tmp_path: Path) -> None:
    from infusion_app.ui.file_chooser_process import build_dialog

    dialog = build_dialog(
        {"mode": "save", "title": "t", "start": str(tmp_path / "a.pdf"), "filter": "*.pdf"}
    )
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == tmp_path
    assert Path(dialog.selectedFiles()[0]).name == "a.pdf"


def test_a_suggested_name_alone_starts_in_the_home_folder_not_the_programs(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    """The previews suggest a file name without a folder ("infusion-record-L01929-1.pdf"):
    the dialog opened in the app's working directory, the program's own folder, the name
    selected, so Enter saved the record among the program's files (found by a helper)."""
    from PySide6.QtCore import QDir

    from infusion_app.ui.file_chooser_process import build_dialog

    program = tmp_path / "program"
    program.mkdir()
    monkeypatch.chdir(program)
    dialog = build_dialog({"mode": "save", "title": "t", "start": "a.pdf", "filter": "*.pdf"})
    qtbot.addWidget(dialog)
    assert Path(dialog.directory().absolutePath()) == Path(QDir.homePath())
    assert Path(dialog.selectedFiles()[0]) == Path(QDir.homePath()) / "a.pdf"
