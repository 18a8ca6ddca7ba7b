"""Store errors are told apart by the driver's codes, never by the words of the message
(which change with versions and languages): the same text with another code means another
thing, and the same code with any text means the same."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from infusion_app.store.database import Database, _translate, sqlite_url
from infusion_app.store.errors import (
    AppendOnlyViolation,
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    ReadOnlyDatabase,
)


class FakePgError(Exception):
    def __init__(self, sqlstate: str, text: str) -> None:
        super().__init__(text)
        self.sqlstate = sqlstate


def sqlite_error(code: int, text: str) -> sqlite3.Error:
    error = sqlite3.OperationalError(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


@pytest.fixture
def db(tmp_path: Path):
    database = Database(sqlite_url(tmp_path / "x.sqlite3"))
    yield database
    database.dispose()


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (5, DatabaseLocked),  # SQLITE_BUSY
        (517, DatabaseLocked),  # SQLITE_BUSY_SNAPSHOT
        (6, DatabaseLocked),  # SQLITE_LOCKED
        (8, ReadOnlyDatabase),  # SQLITE_READONLY
        (13, DiskFull),  # SQLITE_FULL
        (11, DatabaseDamaged),  # SQLITE_CORRUPT
        (26, DatabaseDamaged),  # SQLITE_NOTADB
        (14, DatabaseUnavailable),  # SQLITE_CANTOPEN
        (4874, DatabaseUnavailable),  # SQLITE_IOERR_SHMSIZE: a full disk at start, among others
        (1811, AppendOnlyViolation),  # SQLITE_CONSTRAINT_TRIGGER: RAISE(ABORT) of our triggers
    ],
)
def test_sqlite_by_result_code(db, code: int, kind: type) -> None:
    # the text says "disk is full" every time: only the code decides
    assert isinstance(_translate(db, sqlite_error(code, "database or disk is full"), False), kind)


def test_a_sqlite_code_the_store_does_not_know_is_left_a_bug(db) -> None:
    assert _translate(db, sqlite_error(1, "database is locked"), False) is None  # SQLITE_ERROR


@pytest.mark.parametrize(
    ("sqlstate", "kind"),
    [
        ("40001", DatabaseLocked),  # serialization failure
        ("40P01", DatabaseLocked),  # deadlock
        ("55P03", DatabaseLocked),  # lock not available
        ("25006", ReadOnlyDatabase),  # read-only transaction (a standby)
        ("53100", DiskFull),
        ("53300", DatabaseUnavailable),  # too many connections: not a full disk
        ("08006", DatabaseUnavailable),  # connection failure
        ("57P01", DatabaseUnavailable),  # admin shutdown
        ("28P01", DatabaseUnavailable),  # bad password
        ("42501", AppendOnlyViolation),  # our trigger's insufficient_privilege
        ("XX001", DatabaseDamaged),
    ],
)
def test_postgresql_by_sqlstate(db, sqlstate: str, kind: type) -> None:
    assert isinstance(_translate(db, FakePgError(sqlstate, "disk is full"), False), kind)


def test_an_unknown_sqlstate_is_left_a_bug(db) -> None:
    assert _translate(db, FakePgError("22001", "value too long"), False) is None
