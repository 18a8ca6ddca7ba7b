"""``infusion-app db``, ``verify-log`` and ``user`` against real SQLite files."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from infusion_app import cli
from infusion_app.store.migrate import alembic_config

PW = "correct horse battery"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def run(capsys, monkeypatch, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def user_add(capsys, monkeypatch, db_url, username, name, role, stdin, *by):
    return run(
        capsys,
        monkeypatch,
        "--db",
        db_url,
        "user",
        "add",
        "--username",
        username,
        "--name",
        name,
        "--role",
        role,
        *by,
        stdin=stdin,
    )


def test_first_account_is_an_admin_then_the_admin_adds_staff(capsys, monkeypatch, db_url):
    code, _, err = user_add(capsys, monkeypatch, db_url, "n1", "Nora Nurse", "nurse", f"{PW}\n")
    assert code == 2 and "the first account must be an admin" in err
    code, out, _ = user_add(capsys, monkeypatch, db_url, "admin", "Ada Admin", "admin", f"{PW}\n")
    assert (code, out) == (0, "created administrator admin\n")
    code, _, err = user_add(capsys, monkeypatch, db_url, "n1", "Nora Nurse", "nurse", f"{PW}\n")
    assert code == 2 and "give --by ADMIN" in err
    # the admin's password first, then the new account's
    code, out, _ = user_add(
        capsys,
        monkeypatch,
        db_url,
        "n1",
        "Nora Nurse",
        "nurse",
        f"{PW}\nnurse password\n",
        "--by",
        "admin",
    )
    assert (code, out) == (0, "created nurse n1 (to be changed at first login: user passwd)\n")
    code, _, err = user_add(
        capsys, monkeypatch, db_url, "n2", "X", "nurse", "wrong\nabcdefghi\n", "--by", "admin"
    )
    assert code == 2 and "the username or password is wrong" in err
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "user", "list")
    assert out.splitlines() == [
        "admin                admin        active                       Ada Admin",
        "n1                   nurse        must change password         Nora Nurse",
    ]
    code, out, _ = run(
        capsys,
        monkeypatch,
        "--db",
        db_url,
        "user",
        "set-role",
        "n1",
        "pharmacist",
        "--by",
        "admin",
        stdin=f"{PW}\n",
    )
    assert (code, out) == (0, "n1 is now pharmacist\n")


def test_verify_log_ok_then_broken(capsys, monkeypatch, db_url):
    user_add(capsys, monkeypatch, db_url, "admin", "Ada Admin", "admin", f"{PW}\n")
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "verify-log")
    assert code == 0
    lines = out.splitlines()
    # one account created = one event in the system stream
    assert lines[0] == "OK: 1 events in 1 records"
    assert lines[1].split()[:3] == ["system", "1", "events"]
    head = lines[1].split()[-1]
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "verify-log", "--expect-head", head)
    assert code == 0
    path = Path(db_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TRIGGER events_no_update")
        connection.execute("UPDATE events SET station = 'forged' WHERE seq = 1")
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "verify-log")
    assert code == 1
    assert out.startswith("BROKEN: event system#1: hash does not match the event's content")


def test_db_commands(capsys, monkeypatch, db_url, tmp_path):
    # a new SQLite record store is built complete (migrated) before it takes its name
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "db", "upgrade")
    assert (code, out) == (0, f"schema {HEAD}: up to date\n")
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "db", "status")
    assert f"schema:   {HEAD} (this app: {HEAD})" in out and "health:   writable" in out
    target = tmp_path / "copy.sqlite3"
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "db", "backup", str(target))
    assert (code, out) == (0, f"backup: {target}\n")
    code, _, err = run(capsys, monkeypatch, "--db", db_url, "db", "backup", str(target))
    assert code == 3 and "exists already" in err and err.count("\n") == 1


def test_default_database_lives_in_the_user_data_folder(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("INFUSION_APP_DB_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    code, out, _ = run(capsys, monkeypatch, "db", "status")
    expected = tmp_path / "data" / "infusion-app" / "infusion.sqlite3"
    assert code == 0 and f"database: sqlite:///{expected}" in out
    assert expected.exists()


def test_environment_variable_selects_the_database(capsys, monkeypatch, tmp_path):
    chosen = tmp_path / "chosen.sqlite3"
    monkeypatch.setenv("INFUSION_APP_DB_URL", f"sqlite:///{chosen}")
    code, out, _ = run(capsys, monkeypatch, "db", "status")
    assert code == 0 and str(chosen) in out and chosen.exists()


# --- issue 12: the PostgreSQL role the app runs as -----------------------------------------

APP_ROLE_GRANTS = (  # README, "PostgreSQL roles": what the app's role needs, nothing more
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT UPDATE ON users, patients, products, streams TO {role}",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


def test_db_status_warns_when_run_as_a_superuser(capsys, monkeypatch, fresh_postgres):
    url = fresh_postgres.render_as_string(hide_password=False)
    code, out, _ = run(capsys, monkeypatch, "--db", url, "db", "status")
    assert code == 0
    assert (
        "warning:  connected as postgres, a superuser: it can drop the log's append-only "
        "triggers; run the app as a role that owns nothing (README: PostgreSQL roles)"
    ) in out.splitlines()


def test_the_readme_role_works_and_cannot_undo_the_triggers(capsys, monkeypatch, fresh_postgres):
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import ProgrammingError

    role = f"infusion_app_{uuid.uuid4().hex[:8]}"
    owner = create_engine(fresh_postgres, isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
        for grant in APP_ROLE_GRANTS:
            connection.execute(text(grant.format(role=role)))
    app_url = fresh_postgres.set(username=role)
    try:
        url = app_url.render_as_string(hide_password=False)
        code, out, _ = run(capsys, monkeypatch, "--db", url, "db", "status")
        assert code == 0 and "warning" not in out
        code, _, err = run(
            capsys, monkeypatch, "--db", url, "user", "add", "--username", "admin", "--name",
            "Ada Admin", "--role", "admin", stdin=f"{PW}\n",
        )  # fmt: skip
        assert code == 0, err
        code, out, _ = run(capsys, monkeypatch, "--db", url, "verify-log")
        assert code == 0, out
        app = create_engine(app_url)
        for statement in (
            "ALTER TABLE events DISABLE TRIGGER events_append_only",
            "DROP TRIGGER events_append_only ON events",
            "UPDATE events SET station = 'forged'",
            "DELETE FROM signatures",
        ):
            with pytest.raises(ProgrammingError), app.begin() as connection:
                connection.execute(text(statement))
        app.dispose()
    finally:
        with owner.connect() as connection:  # roles are the server's: leave none behind
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
        owner.dispose()


def user_cmd(capsys, monkeypatch, db_url, *argv, stdin=""):
    return run(capsys, monkeypatch, "--db", db_url, "user", *argv, stdin=stdin)


def test_first_login_change_lock_and_deactivation(capsys, monkeypatch, db_url):
    """Issue 17 on the command line: ``user add`` gives a first password the user must change
    (``user passwd``) before any other command accepts the account; an administrator's lock
    lasts until ``user unlock``; a deactivated account is listed as such and never logs in."""
    user_add(capsys, monkeypatch, db_url, "admin", "Ada Admin", "admin", f"{PW}\n")
    code, _, err = user_add(
        capsys, monkeypatch, db_url, "n1", "Nora Nurse", "nurse", f"{PW}\nfirst pass\n",
        "--by", "admin",
    )  # fmt: skip
    assert code == 0, err
    # another command refuses the account with one line naming the command to run
    code, out, err = run(
        capsys, monkeypatch, "--db", db_url, "log", "--user", "n1", "-o", "log.csv",
        stdin="first pass\n",
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err.endswith(
        "account 'n1' must change its password first: run "
        "`infusion-app user passwd --user n1`\n"
    )
    assert err.count("\n") == 1
    code, _, err = user_cmd(
        capsys, monkeypatch, db_url, "passwd", "--user", "n1", stdin="first pass\nfirst pass\n"
    )
    assert code == 2 and "must differ from the current one" in err
    code, out, err = user_cmd(
        capsys, monkeypatch, db_url, "passwd", "--user", "n1", stdin="first pass\nmy own pass\n"
    )
    assert (code, out) == (0, "password of n1 changed\n"), err
    code, out, err = user_cmd(
        capsys, monkeypatch, db_url, "lock", "n1", "--by", "admin", stdin=f"{PW}\n"
    )
    assert (code, out) == (0, "n1 locked until unlocked\n"), err
    code, _, err = user_cmd(capsys, monkeypatch, db_url, "passwd", "--user", "n1",
                            stdin="my own pass\nanother pass\n")  # fmt: skip
    assert code == 2 and "locked by an administrator" in err
    code, out, _ = user_cmd(capsys, monkeypatch, db_url, "list")
    assert "n1                   nurse        locked by an administrator" in out
    code, out, err = user_cmd(
        capsys, monkeypatch, db_url, "unlock", "n1", "--by", "admin", stdin=f"{PW}\n"
    )
    assert (code, out) == (0, "n1 unlocked\n"), err
    code, out, err = user_cmd(
        capsys, monkeypatch, db_url, "deactivate", "n1", "--by", "admin",
        "--reason", "left the ward", stdin=f"{PW}\n",
    )  # fmt: skip
    assert (code, out) == (0, "n1 deactivated\n"), err
    code, out, _ = user_cmd(capsys, monkeypatch, db_url, "list")
    (line,) = [row for row in out.splitlines() if row.startswith("n1 ")]
    assert "deactivated 20" in line and line.endswith("Nora Nurse")
    code, _, err = user_cmd(capsys, monkeypatch, db_url, "passwd", "--user", "n1",
                            stdin="my own pass\nanother pass\n")  # fmt: skip
    assert code == 2 and "account 'n1' is deactivated" in err
    code, out, _ = run(capsys, monkeypatch, "--db", db_url, "verify-log")
    assert code == 0, out
