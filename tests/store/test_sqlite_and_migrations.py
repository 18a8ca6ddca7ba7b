"""SQLite durability settings, schema migrations and backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text

from infusion_app.services import accounts
from infusion_app.services.context import AppContext
from infusion_app.store.backup import backup_sqlite
from infusion_app.store.database import Database, sqlite_url
from infusion_app.store.errors import PragmaNotApplied, SchemaTooNew, StoreError
from infusion_app.store.migrate import SCHEMA_HEAD, alembic_config, schema_state, upgrade
from infusion_app.store.models import Base
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD

# The newest migration: what an upgraded database ends at (grows with every migration).
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_head_the_start_up_knows_is_alembics() -> None:
    """A store at SCHEMA_HEAD opens without alembic (issue 18: a third of a second on the way
    to the login); a new migration must move it, or every store would be taken as current."""
    assert SCHEMA_HEAD == HEAD


OPEN_AND_TELL = """
import json, sys
from datetime import UTC, datetime
from infusion_app.store.opening import open_database
db = open_database(sys.argv[1], datetime(2026, 11, 21, 8, 0, tzinfo=UTC))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "mako"})))
db.dispose()
"""


def test_a_current_store_opens_without_loading_alembic(tmp_path: Path, clock) -> None:
    import json
    import subprocess
    import sys

    url = sqlite_url(tmp_path / "a.sqlite3")
    open_database(url, clock()).dispose()  # made and migrated: alembic ran here
    opened = subprocess.run(
        [sys.executable, "-c", OPEN_AND_TELL, url.render_as_string(hide_password=False)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(opened.stdout) == []
    # an older store still goes through alembic (and is migrated): the probe sees it
    old = tmp_path / "old.sqlite3"
    db = Database(sqlite_url(old))
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    db.dispose()
    migrated = subprocess.run(
        [sys.executable, "-c", OPEN_AND_TELL, sqlite_url(old).render_as_string()],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(migrated.stdout) == ["alembic", "mako"]
    with sqlite3.connect(old) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]


def test_pragmas_are_set_and_read_back(tmp_path: Path, clock) -> None:
    db = open_database(sqlite_url(tmp_path / "a.sqlite3"), clock())
    with db.engine.connect() as connection:
        values = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    # synchronous 2 = FULL
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
    }
    db.dispose()


def test_busy_timeout_below_5_s_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PragmaNotApplied, match="at least 5000 ms"):
        Database(sqlite_url(tmp_path / "a.sqlite3"), busy_timeout_ms=1000)


def test_a_setting_that_does_not_take_refuses_to_start(tmp_path: Path) -> None:
    # An in-memory database cannot use WAL: journal_mode reads back "memory".
    db = Database("sqlite://")
    with pytest.raises(PragmaNotApplied, match="journal_mode is 'memory', not 'wal'"):
        db.ping()


def test_writes_begin_immediate_and_reads_deferred(tmp_path: Path, clock) -> None:
    db = open_database(sqlite_url(tmp_path / "a.sqlite3"), clock())
    executed: list[str] = []  # what SQLite itself ran, whoever issued it
    event.listen(
        db.engine,
        "connect",
        lambda dbapi_connection, _: dbapi_connection.set_trace_callback(executed.append),
    )
    db.engine.dispose()
    with db.write() as session:
        session.execute(text("SELECT 1"))
    with db.read() as session:
        session.execute(text("SELECT 2"))
    assert executed[-6:] == [
        "BEGIN IMMEDIATE",
        "SELECT 1",
        "COMMIT",
        "BEGIN",
        "SELECT 2",
        "COMMIT",
    ]
    db.dispose()


def test_migrated_schema_matches_the_models(database_url, clock) -> None:
    db = open_database(database_url, clock())
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    db.dispose()


def test_older_schema_is_backed_up_then_upgraded(tmp_path: Path, clock) -> None:
    path = tmp_path / "old.sqlite3"
    old = Database(sqlite_url(path))
    config = alembic_config()
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")  # a database written by the first release
        connection.execute(
            text("INSERT INTO streams (name, head_seq, head_hash) VALUES ('marker', 0, 'x')")
        )
    old.dispose()
    db = open_database(sqlite_url(path), clock())
    assert schema_state(db).current == HEAD
    backups = list((tmp_path / "backups").glob("old-schema0001-20261121T080000Z.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT name FROM streams").fetchall() == [("marker",)]
    db.dispose()


def test_accounts_of_schema_0004_upgrade_to_the_administration_columns(tmp_path: Path, clock):
    """Migration 0005 (issue 17) on a database with accounts and their log: a backup first,
    then the three new columns at the values the log implies (no forced change, no
    administrator's lock, active), so verify-log passes without a new event, and the new
    acts work on the upgraded accounts."""
    from infusion_app.services import audit

    path = tmp_path / "ward.sqlite3"
    old = Database(sqlite_url(path))
    config = alembic_config()
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0004")
    old.dispose()
    with sqlite3.connect(path) as connection:  # the accounts the 0004 code wrote, as SQL
        connection.execute(
            "INSERT INTO users (username, printed_name, role, password_hash, failed_logins, "
            "created_at) VALUES ('admin', 'Ada Admin', 'admin', ?, 0, "
            "'2026-11-21 08:00:00.000000')",
            (FAST_HASHER.hash(PASSWORD),),
        )
    # the log of that account, written with the code of the day's event shape
    from infusion_app.logic.event_types import EventType
    from infusion_app.logic.projections import password_digest
    from infusion_app.store.eventlog import append_event

    with sqlite3.connect(path) as connection:
        stored_hash = connection.execute("SELECT password_hash FROM users").fetchone()[0]
    with old.engine.begin() as connection:
        from sqlalchemy.orm import Session

        append_event(
            Session(bind=connection),
            "system",
            EventType.USER_CREATED,
            {"username": "admin", "printed_name": "Ada Admin", "role": "admin",
             "password_digest": password_digest(stored_hash)},
            user=None,
            station="old",
            recorded_at=clock(),
        )  # fmt: skip
    old.dispose()
    ctx = AppContext(
        db=open_database(sqlite_url(path), clock()), station="s", clock=clock, hasher=FAST_HASHER
    )
    try:
        assert schema_state(ctx.db).current == HEAD
        backups = list((tmp_path / "backups").glob("ward-schema0004-*.sqlite3"))
        assert len(backups) == 1
        with sqlite3.connect(backups[0]) as copy:
            columns = {row[1] for row in copy.execute("PRAGMA table_info(users)")}
        assert "must_change_password" not in columns  # the copy is the old schema
        with sqlite3.connect(path) as connection:
            assert connection.execute(
                "SELECT must_change_password, locked_by_admin, deactivated_at FROM users"
            ).fetchall() == [(0, 0, None)]
        report = audit.verify_log(ctx)
        assert report.ok, report.problems
        admin = accounts.log_in(ctx, "admin", PASSWORD)
        assert not admin.must_change_password
        accounts.create_user(
            ctx,
            admin,
            "nurse",
            "Nora Nurse",
            "nurse",
            PASSWORD,
            must_change_password=True,
            admin_password=PASSWORD,
        )
        accounts.lock(ctx, admin, "nurse", admin_password=PASSWORD)
        accounts.deactivate(ctx, admin, "nurse", "test account", admin_password=PASSWORD)
        assert audit.verify_log(ctx).ok
    finally:
        ctx.db.dispose()


def test_database_newer_than_the_code_is_refused(tmp_path: Path, clock) -> None:
    path = tmp_path / "new.sqlite3"
    open_database(sqlite_url(path), clock()).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(SchemaTooNew) as error:
        open_database(sqlite_url(path), clock())
    assert f"schema version 0099, newer than this app knows (up to {HEAD})" in str(error.value)


def test_backup_is_consistent_and_never_overwrites(tmp_path: Path, clock) -> None:
    source = tmp_path / "live.sqlite3"
    ctx = AppContext(
        db=open_database(sqlite_url(source), clock()), station="s", clock=clock, hasher=FAST_HASHER
    )
    admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    accounts.create_user(
        ctx, admin, "nurse", "Nora Nurse", "nurse", PASSWORD, admin_password=PASSWORD
    )
    # The WAL still holds the last commits: a file copy could miss them, the backup API not.
    copy = backup_sqlite(source, tmp_path / "copy.sqlite3")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (2,)
        # two accounts created, the second signed by the admin = three system events
        assert connection.execute(
            "SELECT head_seq FROM streams WHERE name = 'system'"
        ).fetchone() == (3,)
    with pytest.raises(StoreError, match="exists already"):
        backup_sqlite(source, copy)
    ctx.db.dispose()


def test_postgres_existing_schema_needs_an_explicit_upgrade(fresh_postgres, clock) -> None:
    db = Database(fresh_postgres)
    try:
        with db.engine.begin() as connection:  # take the database back to schema 0001
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
            for table in ("events", "signatures"):
                connection.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
                connection.execute(text(f"DROP TRIGGER {table}_no_truncate ON {table}"))
            connection.execute(text("DROP TRIGGER events_move_head ON events"))
            connection.execute(text("DROP TRIGGER events_notify_change ON events"))  # 0004
            connection.execute(text("DROP FUNCTION infusion_notify_change()"))
            connection.execute(text("DROP FUNCTION infusion_reject_change()"))
            connection.execute(text("DROP FUNCTION infusion_move_head()"))
            for column in ("must_change_password", "locked_by_admin", "deactivated_at"):  # 0005
                connection.execute(text(f"ALTER TABLE users DROP COLUMN {column}"))
            for index in ("ix_events_occurred_at", "ix_events_type_stream"):  # 0006
                connection.execute(text(f"DROP INDEX {index}"))
            connection.execute(text("DELETE FROM streams"))
        with pytest.raises(StoreError, match="run `infusion-app db upgrade` once"):
            upgrade(db, clock())
        result = upgrade(db, clock(), explicit=True)
        assert (result.from_revision, result.to_revision, result.backup) == ("0001", HEAD, None)
    finally:
        db.dispose()
