"""Open the record store the way the app starts: check, configure, migrate.

A SQLite file is looked at through a read-only connection before anything else touches it:
- missing: a new record store is built under a temporary name, migrated, then linked into
  place, so a file at the record's path is always a complete store, never a half-made one;
- empty (0 bytes), not a regular file, or another application's database: refused, never
  initialised as a new record (that would hide whatever the person meant to open);
- damaged (``PRAGMA quick_check``) or write-protected: opened read-only with a banner, so the
  record stays readable and nothing is ever written to it (the window runs the full check
  behind its login, ``check_in_background``: see integrity_check.py);
- in a folder that cannot be written: opened read-only too (immutable: SQLite needs to create
  its ``-shm`` beside the file even to read, which such a folder refuses);
- on a full or failing disk: refused with what happened and what to do.
A schema newer than the code is refused outright. New files are readable by their owner only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from infusion_app.store.database import (
    Database,
    Health,
    classify_sqlite_error,
    damaged_file_message,
    read_only_uri,
    read_only_url,
    sqlite_file,
    sqlite_url,
)
from infusion_app.store.errors import (
    DatabaseDamaged,
    DatabaseUnavailable,
    NotARecordStore,
    ReadOnlyDatabase,
    StoreError,
)
from infusion_app.store.integrity_check import IntegrityCheck, damage_of
from infusion_app.store.migrate import schema_state, upgrade

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
OUR_TABLES = frozenset({"alembic_version", "events", "streams"})


def open_database(
    url: str | URL, now: datetime, *, migrate: bool = True, check_in_background: bool = False
) -> Database:
    """The record store at ``url``, checked, configured and migrated.

    ``check_in_background`` (the window): an existing SQLite file's full integrity check
    (``quick_check``, linear in the file's size) runs on a thread of its own after a cheap
    look at its header and schema, instead of before the store opens; writes wait for it, and
    a file that fails it becomes read-only with the same banner. A file whose schema must be
    migrated is checked before it is migrated, as always.
    """
    url = make_url(url)
    path = sqlite_file(url)
    if path is None:
        return _open_server(url, now, migrate)
    if not path.exists() and not path.is_symlink():
        _create_sqlite(path, now)
    return _open_sqlite(url, path, now, migrate, check_in_background)


def _open_server(url: URL, now: datetime, migrate: bool) -> Database:
    db = Database(url)
    try:
        db.ping()
        if migrate:
            upgrade(db, now)
        else:
            schema_state(db)
    except StoreError:
        db.dispose()
        raise
    return db


def _open_sqlite(
    url: URL, path: Path, now: datetime, migrate: bool, check_in_background: bool
) -> Database:
    inspected = inspect_sqlite(path, full=not check_in_background)
    if check_in_background and inspected.immutable:  # a read-only folder: rare, check now
        inspected, check_in_background = inspect_sqlite(path), False
    if inspected.damage is not None:
        return _read_only(path, inspected.immutable, damaged_file_message(path, inspected.damage))
    if inspected.immutable:
        return _read_only(
            path,
            True,
            f"The folder {path.parent} cannot be written (read-only folder or disk), so the "
            "record is open read-only: nothing can be recorded. Ask IT to restore write "
            "access to the folder.",
        )
    check = IntegrityCheck(path).start() if check_in_background else None
    _make_private(path)
    db = Database(url, integrity=check)
    try:
        db.ping()
        db.probe_writable()
        if migrate:
            if check is not None:
                _checked_before_migrating(db, check)
            if not db.read_only:  # a file that failed its check is neither migrated
                upgrade(db, now)
        else:
            schema_state(db)
    except ReadOnlyDatabase as exc:
        db.dispose()
        if db.read_only and db.health.message:  # the check found the file damaged meanwhile
            return _read_only(path, False, db.health.message)
        return _read_only(path, False, f"{exc}. It is open read-only.")
    except StoreError:
        db.dispose()
        raise
    return db


def _checked_before_migrating(db: Database, check: IntegrityCheck) -> None:
    """A schema older than the code is migrated (written) at start: only after the check."""
    state = schema_state(db)
    if state.current != state.head:
        check.wait()  # a damaged file becomes read-only here, and is not migrated


def _make_private(path: Path) -> None:
    """Owner-only, as files made by an earlier version may not be (chmod opens nothing;
    SQLite gives a new -wal and -shm the mode of the database file)."""
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with contextlib.suppress(OSError):  # missing, or another owner's: leave it
            if stat.S_IMODE(name.stat().st_mode) & 0o077:
                name.chmod(PRIVATE_FILE)


def _read_only(path: Path, immutable: bool, message: str) -> Database:
    return Database(
        read_only_url(path, immutable=immutable),
        read_only=True,
        health=Health(writable=False, message=message),
    )


class Inspection:
    """What a read-only look at an existing SQLite file found."""

    def __init__(self, damage: str | None, immutable: bool) -> None:
        self.damage = damage  # quick_check's complaint, or None when sound
        self.immutable = immutable  # readable only without -shm: the folder refuses it


def inspect_sqlite(path: Path, *, full: bool = True) -> Inspection:
    """Read-only checks of an existing file, before any writing connection opens it.

    ``full``: with ``quick_check`` (every page); without, the header and the schema only
    (what opening the file reads anyway), for a check that runs behind the login."""
    try:
        status = path.stat()
    except OSError as exc:
        raise DatabaseUnavailable(f"the database {path} cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(status.st_mode):
        raise NotARecordStore(f"{path} is not a file: give the record store's database file")
    if status.st_size == 0:
        raise NotARecordStore(
            f"{path} is empty (0 bytes), not a record store: nothing was opened or changed. "
            "Restore the record from its backup, or give a new file name to start a new record"
        )
    immutable = False
    try:
        rows, tables = _look(path, immutable=False, full=full)
    except sqlite3.Error as exc:
        if not _cannot_open(exc) or _wal_has_entries(path):
            return _classified(path, exc)
        # Opening read-only still needs the -shm beside the file; a folder that cannot be
        # written refuses it. With no WAL holding entries, the file alone is the record.
        immutable = True
        try:
            rows, tables = _look(path, immutable=True, full=full)
        except sqlite3.Error as again:
            return _classified(path, again)
    damage = damage_of(rows)
    if damage is not None:
        return Inspection(damage, immutable)
    if not tables >= OUR_TABLES:
        shown = ", ".join(sorted(tables)[:5]) or "none"
        raise NotARecordStore(
            f"{path} is an SQLite database but not a record store of this app (tables: "
            f"{shown}): nothing was opened or changed. Give the record store's file, or a new "
            "file name to start a new record"
        )
    return Inspection(None, immutable)


def _look(
    path: Path, *, immutable: bool, full: bool = True
) -> tuple[list[tuple[object, ...]], set[str]]:
    connection = sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True)
    try:
        rows = connection.execute("PRAGMA quick_check").fetchall() if full else [("ok",)]
        tables = {
            str(name)
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    finally:
        connection.close()
    return rows, tables


def _cannot_open(error: sqlite3.Error) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF == 14  # SQLITE_CANTOPEN


def _wal_has_entries(path: Path) -> bool:
    try:
        return Path(f"{path}-wal").stat().st_size > 0
    except OSError:
        return False


def classify_inspection(path: Path, error: sqlite3.Error) -> str:
    """What the check's error means: the damage it found (returned), or the environment's
    problem (raised as the StoreError that says what to do)."""
    inspection = _classified(path, error)
    return inspection.damage or str(error)


def _classified(path: Path, error: sqlite3.Error) -> Inspection:
    """A damaged file is read-only with a banner; every other failure is the environment's."""
    translated = classify_sqlite_error(path, error)
    if isinstance(translated, DatabaseDamaged):
        return Inspection(str(error), False)
    if _cannot_open(error) and _wal_has_entries(path):
        raise DatabaseUnavailable(
            f"the database {path} cannot be opened: its folder cannot be written and "
            f"{path.name}-wal holds entries not yet merged into it. Nothing was changed; ask "
            "IT to restore write access to the folder"
        ) from None
    raise translated or DatabaseUnavailable(f"the database {path} cannot be opened: {error}")


def _create_sqlite(path: Path, now: datetime) -> None:
    """Build a new record store beside ``path`` and link it into place when complete."""
    folder = path.parent
    try:
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        building = folder / f".{path.name}.creating-{uuid.uuid4().hex[:12]}"
        os.close(os.open(building, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))
    except OSError as exc:
        raise DatabaseUnavailable(
            f"a new record store cannot be created in {folder}: {exc.strerror}. Choose a "
            "folder that may be written, or ask IT"
        ) from None
    try:
        db = Database(sqlite_url(building))
        try:
            db.ping()
            upgrade(db, now)
        finally:
            db.dispose()  # the last connection: SQLite merges the WAL into the file
        if Path(f"{building}-wal").exists():
            raise DatabaseUnavailable(f"the new record store {building} kept its WAL")
        try:
            os.link(building, path)  # never replaces: a store made meanwhile wins
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links (FAT, some network shares)
            if not path.exists():
                os.rename(building, path)
        _sync_folder(folder)
    except OSError as exc:
        raise DatabaseUnavailable(
            f"a new record store cannot be created at {path}: {exc.strerror}"
        ) from None
    finally:
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
