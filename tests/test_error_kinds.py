"""Issue 13's error taxonomy at the command line: each kind has its exit status and its one
line, and the log file gets what support needs (tracebacks, start-up facts) and never a
password, a password hash or patient free text."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from infusion_app import __version__, cli
from infusion_app.cli.exit_codes import EXIT_FOR_KIND, ExitCode
from infusion_app.logic.errors import DomainError, ErrorKind, InputError, kind_of
from infusion_app.logic.transitions import ActionRefused, InconsistentRecord
from infusion_app.resources import protocols_dir
from infusion_app.services.context import AuthenticationFailed, NotAuthorised
from infusion_app.services.output_files import OutputFileError
from infusion_app.store.errors import (
    DatabaseLocked,
    RecordIntegrityError,
    SchemaTooNew,
    StoreError,
)
from tests.cli_world import PW, build_world, run_cli
from tests.test_cli_store import run

CALC = ["calc", "--protocol", "ucmsc-cart-cytopenia", "--dose-level", "A"]


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("INFUSION_APP_LOG_DIR", str(folder))
    monkeypatch.delenv("INFUSION_APP_DEBUG", raising=False)
    return folder


def log_text(folder: Path) -> str:
    """Every file of the rotating log, oldest first."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.log*"))[::-1])


def test_the_exit_table() -> None:
    # the documented table (cli/exit_codes.py): 2 input, 3 environment, 4 integrity, 70 bug
    assert {kind: int(code) for kind, code in EXIT_FOR_KIND.items()} == {
        ErrorKind.INPUT: 2,
        ErrorKind.ENVIRONMENT: 3,
        ErrorKind.INTEGRITY: 4,
        ErrorKind.BUG: 70,
    }


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (InputError("weight_kg", "must be a number"), ErrorKind.INPUT),
        (ActionRefused("start: the premedication was given 12 min ago"), ErrorKind.INPUT),
        (NotAuthorised("a monitor may not release a product"), ErrorKind.INPUT),
        (AuthenticationFailed("wrong user name or password"), ErrorKind.INPUT),
        (DatabaseLocked("the database stayed busy"), ErrorKind.ENVIRONMENT),
        (SchemaTooNew("the database is from a newer version"), ErrorKind.ENVIRONMENT),
        (OutputFileError("the disk is full"), ErrorKind.ENVIRONMENT),
        (RecordIntegrityError("patient P001", "weight"), ErrorKind.INTEGRITY),
        (InconsistentRecord("event 3 (vitals_recorded): not started"), ErrorKind.INTEGRITY),
        (KeyError("weight_kg"), ErrorKind.BUG),
        (ZeroDivisionError(), ErrorKind.BUG),
    ],
)
def test_every_error_has_one_kind(error: Exception, kind: ErrorKind) -> None:
    assert kind_of(error) is kind


def test_store_errors_are_no_longer_input_errors() -> None:
    # a catcher of input errors must not swallow the database's failures, nor a catcher of
    # the database's failures a changed row
    assert not issubclass(StoreError, DomainError)
    assert not issubclass(RecordIntegrityError, StoreError | DomainError)
    assert not issubclass(InconsistentRecord, DomainError)


def test_input_exits_2_with_one_line_naming_the_field(capsys, monkeypatch, log_dir) -> None:
    code, out, err = run(
        capsys,
        monkeypatch,
        *CALC,
        "--weight-kg",
        "x",
        "--concentration",
        "1e7",
        "--viability",
        "92",
    )
    assert (code, out) == (2, "")
    assert err == (
        "infusion-app calc: error: weight_kg: must be a number written with the digits 0-9, "
        "got 'x'\n"
    )
    assert not log_dir.exists()  # the person's to fix: nothing for support, no folder made


def test_environment_exits_3_says_what_to_do_and_is_logged(
    capsys, monkeypatch, log_dir, tmp_path
) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    code, out, err = run(capsys, monkeypatch, "--db", f"sqlite:///{empty}", "db", "status")
    assert (code, out) == (3, "")
    assert err.count("\n") == 1 and err.startswith("infusion-app db: database: ")
    assert "Traceback" not in err
    log = log_text(log_dir)
    assert "infusion-app db: environment error" in log
    assert "infusion_app.store.errors.NotARecordStore" in log  # the class, with its traceback
    assert 'File "' in log


def test_an_unreachable_server_exits_3_and_its_password_is_nowhere(
    capsys, monkeypatch, log_dir
) -> None:
    # port 1 on this machine: nothing listens, the connection is refused at once
    url = "postgresql+psycopg://nurse:s3cret-Pa55@127.0.0.1:1/infusion"
    code, _, err = run(capsys, monkeypatch, "--db", url, "db", "status")
    assert code == 3
    assert err.count("\n") == 1 and "cannot be reached" in err
    log = log_text(log_dir)
    assert "environment error" in log
    assert "s3cret-Pa55" not in err + log


def test_a_row_changed_behind_the_app_exits_4_never_as_bad_input(
    capsys, monkeypatch, log_dir, tmp_path
) -> None:
    db = tmp_path / "ward.sqlite3"
    first = ["--db", f"sqlite:///{db}", "user", "add", "--username", "admin"]
    code, _, err = run(
        capsys, monkeypatch, *first, "--name", "Ada Admin", "--role", "admin", stdin=f"{PW}\n"
    )
    assert code == 0, err
    with sqlite3.connect(db) as connection:  # a projection row, edited outside the app
        connection.execute("UPDATE users SET role = 'nurse' WHERE username = 'admin'")
    connection.close()
    code, out, err = run(
        capsys,
        monkeypatch,
        *("--db", f"sqlite:///{db}", "user", "add", "--by", "admin", "--username", "n1"),
        *("--name", "Nora Nurse", "--role", "nurse"),
        stdin=f"{PW}\n{PW}\n",
    )
    assert (code, out) == (4, "")
    assert err == (
        "infusion-app user: record integrity: user admin's role differs from the log; "
        "nothing done\n"
    )
    assert "integrity error" in log_text(log_dir)


def test_a_log_the_rules_cannot_replay_is_integrity_too() -> None:
    broken = InconsistentRecord("event 3 (infusion_started): the dose is not verified")
    assert cli.error_line(broken) == (
        "record integrity: event 3 (infusion_started): the dose is not verified"
    )
    assert EXIT_FOR_KIND[kind_of(broken)] == ExitCode.INTEGRITY


def test_a_bug_exits_70_names_the_log_and_the_log_has_the_traceback(
    capsys, monkeypatch, log_dir
) -> None:
    def broken(*_args):
        return {"P001": 1}["her daughter Mei Lin"]  # a bug whose message quotes entered text

    monkeypatch.setitem(cli._HANDLERS, "protocols", broken)
    code, out, err = run(capsys, monkeypatch, "protocols")
    assert (code, out) == (70, "")
    assert err == (
        f"infusion-app protocols: internal error (KeyError), details in "
        f"{log_dir / 'infusion-app.log'}, nothing was saved; please report it\n"
    )
    log = log_text(log_dir)
    assert "infusion-app protocols: bug error" in log
    assert "Traceback (most recent call last):" in log and "in broken" in log
    # the failing line of code is shown; the message, which quotes the text, is left out
    assert "KeyError: (message of 22 characters left out" in log  # len("'her daughter Mei Lin'")


def test_a_cli_session_logs_its_start_and_never_a_password_hash_or_free_text(
    tmp_path, monkeypatch, log_dir
) -> None:
    description = "Patient worried about her daughter Mei Lin"
    path, _ = build_world(tmp_path / "world")  # every account created with the password PW
    url = f"sqlite:///{path}"
    ae = run_cli(
        url,
        [
            *("infusion", "ae", "P001/1", "--user", "nurse", "--term", "Fever"),
            *("--attribution", "possible", "--temp", "38.6", "--description", description),
        ],
    )
    assert ae.code == 0, ae.err
    refused = run_cli(url, ["infusion", "hold", "P001/1", "--user", "nurse", "--why", description])
    assert refused.code == 2  # not started: an input error, not logged
    log = log_text(log_dir)
    with sqlite3.connect(path) as connection:
        hashes = [row[0] for row in connection.execute("SELECT password_hash FROM users")]
    connection.close()
    # the CLI world's six accounts (admin, two nurses, pharmacist, monitor, investigator)
    assert len(hashes) == 6 and all(h.startswith("$argon2id$") for h in hashes)
    assert PW not in log
    assert "argon2" not in log and not any(h in log for h in hashes)
    assert "Mei Lin" not in log and description not in log
    # the start-up facts: version, database, and each protocol file's version and SHA-256
    assert f"cli start: version {__version__}, database {url}" in log
    for protocol_id in ("ucmsc-cart-cytopenia", "msc-l-crc"):
        raw = (protocols_dir() / f"{protocol_id}.toml").read_bytes()
        assert (
            f"protocol {protocol_id} version 1.5.0 sha256 {hashlib.sha256(raw).hexdigest()}" in log
        )
