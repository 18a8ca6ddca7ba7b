"""``verify-log --checkpoint`` and ``--since`` from the command line, and the progress line
it shows on a terminal (issue 18)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from infusion_app import cli
from infusion_app.cli import progress
from infusion_app.store import verification
from tests.test_cli_store import PW, run, user_add


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


@pytest.fixture
def accounts(capsys, monkeypatch, db_url) -> str:
    """An administrator and a monitor (whose first password stays): 4 system entries, the
    monitor's creation and the administrator's signature of it among them."""
    user_add(capsys, monkeypatch, db_url, "admin", "Ada Admin", "admin", f"{PW}\n")
    code, out, err = user_add(
        capsys, monkeypatch, db_url, "mon", "Mona Monitor", "monitor", f"{PW}\n{PW}\n",
        "--by", "admin", "--no-forced-change",
    )  # fmt: skip
    assert code == 0, out + err
    return db_url


def test_checkpoint_then_the_daily_walk_since_it(capsys, monkeypatch, accounts):
    code, out, err = run(
        capsys, monkeypatch, "--db", accounts, "verify-log", "--checkpoint", "--user", "mon",
        stdin=f"{PW}\n",
    )  # fmt: skip
    assert code == 0, out + err
    ok, system, line = out.splitlines()
    assert ok.startswith("OK: ") and ok.endswith(" events in 1 records")
    walked = int(ok.split()[1])  # the system entries up to the monitor's login
    assert system.split()[:3] == ["system", str(walked), "events"]
    checkpoint = walked + 1  # the next entry; its signature after it
    assert line.startswith(
        f"checkpoint system#{checkpoint} signed (verified) by mon: the heads of 1 records; "
        f"daily: verify-log --since {checkpoint} (or latest); its hash "
    )
    for since in ("latest", str(checkpoint), f"system#{checkpoint}"):
        code, out, err = run(capsys, monkeypatch, "--db", accounts, "verify-log", "--since", since)
        assert (code, err) == (0, "")
        first, moved = out.splitlines()
        # appended after the recorded head: the checkpoint and its signature
        assert first.startswith(
            f"OK: 2 events appended after the heads checkpoint system#{checkpoint} recorded ("
        )
        assert first.endswith(
            f" UTC, verified by Mona Monitor), in 1 of 1 records; {walked + 2} events in all"
        )
        assert moved.split()[:5] == ["system", str(walked), "->", str(walked + 2), "events"]


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (("--since", "x"), "error: since: must be a whole number"),
        (("--since", "latest"), "error: since: the log holds no checkpoint yet"),
        (("--since", "1"), "error: since: system#1 is a user_created entry, not a checkpoint"),
        (("--checkpoint",), "error: user: --checkpoint is signed: give --user"),
        (("--user", "mon"), "error: user: is for --checkpoint only"),
        (("--since", "latest", "--infusion", "P001/1"), "error: since: walks the whole log"),
        (("--checkpoint", "--user", "mon", "--since", "3"), "error: checkpoint: is made after"),
    ],
)
def test_bad_input_is_one_line(capsys, monkeypatch, accounts, argv, line):
    code, out, err = run(capsys, monkeypatch, "--db", accounts, "verify-log", *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"infusion-app verify-log: {line}") and err.count("\n") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Piped(io.StringIO):
    def isatty(self) -> bool:
        return False


def ticking(step: float) -> Iterator[float]:
    now = 0.0
    while True:
        yield now
        now += step


def walk_with_stderr(monkeypatch, capsys, db_url: str, stderr: io.StringIO, step: float):
    """verify-log with ``stderr`` as standard error, a progress call at every event and a
    clock that moves ``step`` seconds at each look."""
    monkeypatch.setattr(verification, "PROGRESS_EVERY", 1)
    times = ticking(step)
    monkeypatch.setattr(progress, "clock", lambda: next(times))
    monkeypatch.setattr("sys.stderr", stderr)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code = cli.main(["--db", db_url, "verify-log"])
    out, _ = capsys.readouterr()
    return code, out


def test_progress_shows_on_a_terminal_once_a_walk_passes_a_second(capsys, monkeypatch, accounts):
    terminal = Terminal()
    # the clock moves 0.6 s at each look: shown from the second event on (1.2 s), every
    # event after it (each 0.6 s later, more than the 0.1 s between updates)
    code, out = walk_with_stderr(monkeypatch, capsys, accounts, terminal, 0.6)
    assert code == 0 and out.startswith("OK: 4 events in 1 records\n")
    shown = terminal.getvalue()
    # 4 events: the line rewritten in place at #2, #3, #4, then wiped
    assert shown == (
        "\rverified 2 of 4 events"
        "\rverified 3 of 4 events"
        "\rverified 4 of 4 events"
        "\r                      \r"
    )


def test_no_progress_when_piped_or_quick(capsys, monkeypatch, accounts):
    piped = Piped()
    code, out = walk_with_stderr(monkeypatch, capsys, accounts, piped, 0.6)
    assert (code, piped.getvalue()) == (0, "")
    assert out.startswith("OK: 4 events in 1 records\n")
    quick = Terminal()  # a terminal, but the walk is over in well under a second
    code, _ = walk_with_stderr(monkeypatch, capsys, accounts, quick, 0.01)
    assert (code, quick.getvalue()) == (0, "")
