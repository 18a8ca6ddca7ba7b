"""Opening the database and running transactions on it.

SQLite is configured the way sqlite.org/howtocorrupt.html asks: WAL, ``synchronous=FULL``,
foreign keys on, a busy timeout of at least 5 s; every setting is read back on each new
connection and the app refuses to run if one did not take. Write transactions begin with
``BEGIN IMMEDIATE`` so two writers queue at BEGIN instead of failing halfway through.

One user action = one ``with db.write() as session:`` block. The block returns only after
COMMIT returned, so a caller that gets past it may say "saved"; any failure rolls back and is
raised as a :class:`StoreError` that says what happened and what to do.
"""

from __future__ import annotations

import contextlib
import select
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, SQLAlchemyError

from infusion_app.file_guard import register_database, unregister_database
from infusion_app.store.errors import (
    AppendOnlyViolation,
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseUnavailable,
    DiskFull,
    PragmaNotApplied,
    ReadOnlyDatabase,
    StoreError,
)
from infusion_app.store.file_watch import FileWatch

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from infusion_app.store.integrity_check import IntegrityCheck

MIN_BUSY_TIMEOUT_MS = 5000
_WRITE = "infusion_app_write"


@dataclass(frozen=True)
class Health:
    """Whether the database may be written, and if not, the banner that says why."""

    writable: bool
    message: str | None = None


class Database:
    """An engine and its transactions. Several may exist at once (tests, two stations)."""

    def __init__(
        self,
        url: str | URL,
        *,
        read_only: bool = False,
        health: Health | None = None,
        busy_timeout_ms: int = MIN_BUSY_TIMEOUT_MS,
        integrity: IntegrityCheck | None = None,
    ) -> None:
        self.url = make_url(url)
        self.dialect = self.url.get_backend_name()
        self.read_only = read_only
        self.health = health or Health(writable=not read_only)
        self._guarded = self.sqlite_path
        self._busy_timeout_ms = busy_timeout_ms
        self.watch = FileWatch(self._guarded) if self._guarded is not None else None
        self.engine = _create_engine(self.url, read_only, busy_timeout_ms, self.watch)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        self._closed = False
        self._health_lock = threading.Lock()
        # SQLite: each writing thread keeps its connection between write transactions (the
        # pool's checkout and return were a fifth of a durable append's own time, issue 18);
        # PostgreSQL checks a pooled connection out per transaction, where its staleness is
        # looked at (_ping_when_stale)
        self._held = _HeldWriters() if self.dialect == "sqlite" else None
        if self._held is not None:
            event.listen(self.engine, "engine_disposed", self._held.drop_all)
        if self._guarded is not None:
            register_database(self._guarded)
        # The file's integrity check still running behind the login (opening.py): every
        # write waits for it, and a file that fails it becomes read-only, as at start.
        self.integrity = integrity
        if integrity is not None:
            integrity.when_finished(self._integrity_checked)

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_file(self.url)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; commits when the block ends without an exception."""
        integrity = self.integrity
        if integrity is not None and not integrity.finished:
            integrity.wait()  # nothing is written before the file passed its check
        if self.read_only:
            raise ReadOnlyDatabase(
                self.health.message or "the database is open read-only: nothing can be saved"
            )
        with translate_errors(self):
            held = self._held
            connection = self._writer.connect() if held is None else held.connection(self._writer)
            clean = False
            try:
                with _write_transaction(connection) as session:
                    yield session
                clean = True
            finally:
                if held is None:
                    connection.close()  # back to the pool
                else:
                    held.release(connection, clean)
        # Asked after COMMIT, which is what matters: a write that went into a replaced file or
        # an unlinked WAL is never acknowledged as saved. (Asked before it too, it would cost
        # the append path a second look for nothing more.)
        self.check_files()

    @contextmanager
    def read(self) -> Iterator[Session]:
        self.check_files()
        with (
            translate_errors(self),
            _session_class()(self.engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def read_rows(self) -> Iterator[Connection]:
        """A read transaction on a connection, without the ORM: what the window asks while
        it opens the record, before SQLAlchemy's ORM is loaded (``services/first_run.py``)."""
        self.check_files()
        with translate_errors(self), self.engine.connect() as connection, connection.begin():
            yield connection

    def check_files(self) -> None:
        """Raise DatabaseFilesChanged if the SQLite file was replaced or its WAL unlinked
        while open (``file_watch``); the window asks this every second too."""
        if self.watch is not None:
            self.watch.check()

    def ping(self) -> None:
        """Open a connection now, so pragma or server problems show at start-up."""
        with translate_errors(self), self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def probe_writable(self) -> None:
        """SQLite silently opens a write-protected file read-only and fails only at the first
        write, which could be a nurse's entry. Find out at start-up instead: rewrite
        ``user_version`` to itself and roll back, which changes nothing."""
        if self.dialect != "sqlite" or self.read_only:
            return
        with translate_errors(self), self._writer.connect() as connection:
            transaction = connection.begin()
            try:
                version = int(connection.exec_driver_sql("PRAGMA user_version").scalar() or 0)
                connection.exec_driver_sql(f"PRAGMA user_version = {version}")
            finally:
                transaction.rollback()

    def when_checked(self, listener: Callable[[Health], None]) -> None:
        """``listener(health)`` once the integrity check behind the login has answered, on
        the check's thread (at once, on the caller's, if it has or if none runs); the
        health is then read-only with its banner if the file failed."""
        if self.integrity is None:
            listener(self.health)
        else:
            self.integrity.when_finished(lambda _check: listener(self.health))

    def _integrity_checked(self, check: IntegrityCheck) -> None:
        """The file failed its check: from now on it is open as a damaged file is at start,
        read-only (``mode=ro``: SQLite itself refuses every write) with the banner."""
        if check.passed:
            return
        path = self.sqlite_path
        if check.failure is not None:
            message = f"{check.failure}. It is open read-only."
        else:
            message = damaged_file_message(path, check.damage or "")
        with self._health_lock:
            if self._closed or path is None:
                return
            old = self.engine
            self.engine = _create_engine(
                read_only_url(path), True, self._busy_timeout_ms, self.watch
            )
            self._writer = self.engine.execution_options(**{_WRITE: True})
            self.health = Health(writable=False, message=message)
            self.read_only = True
        old.dispose()

    def dispose(self) -> None:
        if self.integrity is not None:
            self.integrity.cancel()  # interrupts a running check; concludes nothing
        with self._health_lock:
            self._closed = True
        if self._held is not None:
            self._held.drop_all()
        self.engine.dispose()
        if self._guarded is not None:
            unregister_database(self._guarded)
            self._guarded = None


WRITE_CONNECTION = "infusion_app_write_connection"


_ON_DRIVER = "infusion_app_begins_on_driver"


@contextmanager
def _write_transaction(connection: Connection) -> Iterator[Session]:
    """One write transaction on ``connection``, begun at the block's first statement, and a
    Session that takes part in it only if the block uses the ORM.

    The block's first statement begins the transaction (BEGIN IMMEDIATE on SQLite), whoever
    issues it: the Session when the block reads or adds through it, :func:`write_connection`
    when it only appends. A block that issues none takes no lock at all. Joined in
    ``rollback_only`` mode, the Session never commits a transaction it did not begin; this
    function commits whatever is open once the block has ended without an exception.

    A block that only appends never starts the Session's transaction machinery, and on
    SQLite not even the connection's: :func:`write_connection` runs BEGIN IMMEDIATE on the
    driver, and this function COMMIT (a statement issued through SQLAlchemy later in the
    block begins SQLAlchemy's transaction on top, the ``begin`` listener seeing the driver's
    already open, and its commit is then the driver's). That machinery was most of a durable
    append's own time (issue 18)."""
    session = _session_class()(
        connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    )
    session.info[WRITE_CONNECTION] = connection
    driver = _sqlite_driver(connection)
    if driver is not None:
        session.info[_ON_DRIVER] = driver
    try:
        yield session
        if session.in_transaction():
            session.commit()  # flushes; commits the transaction if the Session began it
        transaction = connection.get_transaction()
        if transaction is not None:
            transaction.commit()
        elif driver is not None and driver.in_transaction:
            driver.execute("COMMIT")  # begun by write_connection, on the driver
    finally:
        if connection.in_transaction():  # the block or its flush failed: nothing is kept
            with contextlib.suppress(Exception):  # the block's own error is what is raised
                connection.rollback()
        if driver is not None and driver.in_transaction:
            with contextlib.suppress(Exception):
                driver.rollback()
        if session.in_transaction() or session.identity_map or session.new:
            session.close()  # an unused Session holds nothing to let go of


@cache
def _session_class() -> type[Session]:
    """SQLAlchemy's ORM, loaded at the first transaction that needs a Session rather than
    with the store: the window enables its login before (issue 18, "login enabled": the ORM
    and the mapped classes are ~55 ms of it)."""
    from sqlalchemy.orm import Session

    return Session


def _sqlite_driver(connection: Connection) -> sqlite3.Connection | None:
    """The driver's connection of a SQLite writer (pysqlite), else None."""
    if connection.dialect.name != "sqlite" or connection.dialect.driver != "pysqlite":
        return None
    driver = connection.connection.driver_connection
    return driver if isinstance(driver, sqlite3.Connection) else None


def write_connection(session: Session) -> Connection:
    """The connection of the write transaction ``session`` belongs to, in that transaction
    (begun now if this is the block's first statement), without making the Session begin
    its own (see :func:`_write_transaction`); a Session from elsewhere (a migration, a test)
    gives its own connection."""
    connection: Connection | None = session.info.get(WRITE_CONNECTION)
    if connection is None:
        return session.connection()
    if not connection.in_transaction():
        driver: sqlite3.Connection | None = session.info.get(_ON_DRIVER)
        if driver is None:
            connection.begin()
        elif not driver.in_transaction:
            driver.execute("BEGIN IMMEDIATE")
    return connection


class _HeldWriters:
    """One writing connection per thread, kept checked out between write transactions.

    Each ``write()`` block still runs in a transaction of its own, begun (BEGIN IMMEDIATE)
    at its first statement and ended by COMMIT or ROLLBACK: between blocks the connection
    holds no transaction and no lock, as an idle pooled one does. A connection left in a
    transaction or invalidated by a failure is closed, never reused. At most
    :data:`MAX_HELD` idle ones are kept, the least recently used closed first (Qt's worker
    threads come and go, and Python cannot tell when one has ended); all are closed when the
    engine or the database is disposed (tests that dispose the engine get new ones).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[int | None, _Held] = {}
        self._uses = 0

    def connection(self, writer: Engine) -> Connection:
        thread = threading.current_thread()
        with self._lock:
            held = self._held.get(thread.ident)
            if held is not None and held.busy:  # a block inside a block: not kept
                nested = True
            else:
                nested = False
                usable = (
                    held is not None
                    and held.thread() is thread
                    and not held.connection.closed
                    and not held.connection.invalidated
                )
                if held is not None and usable:
                    held.busy, held.used = True, self._tick()
                    return held.connection
        connection = writer.connect()
        if nested:
            return connection  # release() closes a connection it does not keep
        with self._lock:
            replaced = self._held.pop(thread.ident, None)
            gone = [replaced.connection] if replaced is not None else []
            self._held[thread.ident] = _Held(weakref.ref(thread), connection, True, self._tick())
            gone += self._beyond_the_bound()
        for old in gone:
            _close_quietly(old)
        return connection

    def _beyond_the_bound(self) -> list[Connection]:
        """Take out the least recently used idle connections beyond MAX_HELD (under the
        lock); the caller closes them."""
        if len(self._held) <= MAX_HELD:  # the usual case: nothing to sort on every write
            return []
        idle = sorted((h.used, ident) for ident, h in self._held.items() if not h.busy)
        return [
            self._held.pop(ident).connection
            for _used, ident in idle[: max(0, len(self._held) - MAX_HELD)]
        ]

    def release(self, connection: Connection, clean: bool) -> None:
        """After a block: keep a connection with no transaction left, close any other."""
        driver = _sqlite_driver(connection) if not connection.invalidated else None
        if driver is not None and driver.in_transaction:  # a rollback that failed
            clean = False
        if not clean or connection.in_transaction() or connection.invalidated:
            with contextlib.suppress(Exception):  # the block's own error is what is raised
                if connection.in_transaction() and not connection.invalidated:
                    connection.rollback()
        keep = False
        with self._lock:
            for ident, held in list(self._held.items()):
                if held.connection is connection:
                    keep = not (
                        held.dropped or connection.in_transaction() or connection.invalidated
                    )
                    if keep:
                        held.busy = False
                    else:
                        del self._held[ident]
            gone = self._beyond_the_bound()
        if not keep:  # not kept (a nested block's, dropped meanwhile) or not clean
            _close_quietly(connection)
        for old in gone:
            _close_quietly(old)

    def drop_all(self, _engine: Engine | None = None) -> None:
        """Close every kept connection; one in a block is closed when its block ends."""
        with self._lock:
            idle = [h for h in self._held.values() if not h.busy]
            for held in self._held.values():
                held.dropped = True
            self._held = {i: h for i, h in self._held.items() if h.busy}
        for held in idle:
            _close_quietly(held.connection)

    def _tick(self) -> int:
        self._uses += 1
        return self._uses


MAX_HELD = 4  # the main thread, two of Qt's workers (one per core here) and one more


@dataclass
class _Held:
    thread: weakref.ref[threading.Thread]
    connection: Connection
    busy: bool
    used: int
    dropped: bool = False


def _close_quietly(connection: Connection) -> None:
    with contextlib.suppress(Exception):  # closing: nothing left to tell anyone
        connection.close()


def sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    database = url.database
    if database.startswith("file:"):
        database = database.removeprefix("file:").split("?", 1)[0]
    return Path(database)


def read_only_url(path: Path, *, immutable: bool = False) -> URL:
    """``mode=ro``: SQLite itself refuses every write, whatever the code does. ``immutable``
    also skips the ``-shm`` SQLite would otherwise create beside the file even to read: for a
    folder that cannot be written, where no other program can be writing either."""
    return make_url(f"sqlite:///{read_only_uri(path, immutable=immutable)}&uri=true")


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """The same, as the SQLite URI ``sqlite3.connect(..., uri=True)`` takes."""
    extra = "&immutable=1" if immutable else ""
    return f"file:{path.resolve()}?mode=ro{extra}"


def classify_sqlite_error(path: Path, error: BaseException) -> StoreError | None:
    """What a SQLite error raised outside a Database (a check, a backup) means to a person."""
    code = _sqlite_code(error)
    return _translate_sqlite(path, error, code) if code is not None else None


def sqlite_url(path: Path) -> URL:
    return make_url(f"sqlite:///{path.resolve()}")


def damaged_file_message(path: object, damage: str) -> str:
    """The banner of a file that failed its integrity check (at start or behind the login)."""
    return (
        f"The database {path} failed its integrity check ({damage}). It is open "
        "read-only: nothing can be recorded. Call support and keep the file."
    )


def quick_check(path: Path) -> str | None:
    """``PRAGMA quick_check`` through a read-only connection; None when the file is sound.

    Read-only so that checking a damaged file can never write to it.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            rows = connection.execute("PRAGMA quick_check").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:3])


def _create_engine(
    url: URL, read_only: bool, busy_timeout_ms: int, watch: FileWatch | None
) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        _configure_sqlite(engine, read_only, busy_timeout_ms, watch)
        return engine
    if url.get_backend_name() == "postgresql":
        engine = create_engine(url)
        _ping_when_stale(engine)
        return engine
    raise DatabaseUnavailable(
        f"database URL {url.render_as_string(hide_password=True)}: only sqlite and "
        "postgresql+psycopg are supported"
    )


def _ping_when_stale(engine: Engine) -> None:
    """``pool_pre_ping`` without its round trip on every checkout (0.13 ms of a 1.40 ms
    append, issue 18).

    A server that ends a connection says so or closes it: a restart or shutdown, an
    administrator's ``pg_terminate_backend``, an idle timeout send a FATAL message, a crash
    closes the socket. So a pooled connection is pinged (as ``pool_pre_ping`` did) only when
    its socket has something to read or is gone; a quiet socket is as alive as the client can
    know without asking. A failed ping makes the pool replace the connection and try again,
    so a restarted server costs nobody an action."""
    dialect = engine.dialect

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if not stale(dbapi_connection):
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the driver's error: the connection is gone
            raise DisconnectionError(f"a pooled connection was closed: {exc}") from exc


def stale(dbapi_connection: Any) -> bool:
    """Whether a pooled connection may have been closed by the server while it sat unused:
    closed or broken already, or its socket readable (a message or the end of the stream,
    where an idle connection gets neither)."""
    if dbapi_connection.closed or getattr(dbapi_connection, "broken", False):
        return True
    try:
        descriptor = dbapi_connection.fileno()
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(descriptor, select.POLLIN | select.POLLPRI)
            return bool(poller.poll(0))
        readable, _, _ = select.select([descriptor], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _configure_sqlite(
    engine: Engine, read_only: bool, busy_timeout_ms: int, watch: FileWatch | None
) -> None:
    if busy_timeout_ms < MIN_BUSY_TIMEOUT_MS:
        raise PragmaNotApplied(
            f"busy_timeout must be at least {MIN_BUSY_TIMEOUT_MS} ms, got {busy_timeout_ms}"
        )
    wanted: dict[str, Any] = {"busy_timeout": busy_timeout_ms, "foreign_keys": 1}
    if read_only:
        wanted["query_only"] = 1
    else:
        wanted |= {"journal_mode": "wal", "synchronous": 2}  # 2 = FULL

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below); pysqlite's implicit BEGIN would come too late.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for name, value in wanted.items():
                shown = f"'{value}'" if isinstance(value, str) else value
                cursor.execute(f"PRAGMA {name} = {shown}")
            for name, value in wanted.items():
                actual = cursor.execute(f"PRAGMA {name}").fetchone()[0]
                if str(actual).lower() != str(value):
                    raise PragmaNotApplied(
                        f"SQLite setting {name} is {actual!r}, not {value!r}: the database "
                        "cannot be used safely here (is it on a network or read-only disk?)"
                    )
        finally:
            cursor.close()
        if watch is not None:
            watch.connected()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Straight to the driver. A write block that began on the driver already
        # (write_connection) has its transaction: SQLAlchemy's joins it.
        driver = connection.connection.driver_connection
        if driver.in_transaction:
            return
        writing = connection.get_execution_options().get(_WRITE, False)
        driver.execute("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def translate_errors(db: Database) -> Iterator[None]:
    """Turn driver errors into StoreErrors a person can act on; let bugs through."""
    try:
        yield
    except StoreError:
        raise
    except DBAPIError as exc:
        # PEP 249's OperationalError with no SQLSTATE at all: the server never answered
        # (connection refused, no route, name not found): the link is as good as lost.
        lost = exc.connection_invalidated or (
            isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", "") is None
        )
        translated = _translate(db, exc.orig, lost) if exc.orig is not None else None
        if translated is None:
            raise
        raise translated from exc
    except sqlite3.Error as exc:  # raised by the driver directly, e.g. at BEGIN IMMEDIATE
        translated = _translate(db, exc, False)
        if translated is None:
            raise
        raise translated from exc
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(f"database error: {exc}") from exc


# SQLite's primary result codes (sqlite.org/rescode.html); extended codes carry them in the
# low byte.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 11, 13, 14
_SQLITE_AUTH, _SQLITE_NOTADB = 23, 26
SQLITE_CONSTRAINT_TRIGGER = 1811  # RAISE(ABORT) in a trigger: only the append-only ones

# PostgreSQL SQLSTATEs (postgresql.org/docs/current/errcodes-appendix.html).
_PG_LOCKED = {"40001", "40P01", "55P03", "55006"}  # serialization, deadlock, lock not available
_PG_APPEND_ONLY = {"42501", "23000"}  # raised by the append-only triggers (migration 0002)
_PG_READ_ONLY = {"25006"}
_PG_FULL = {"53100"}  # disk full (the rest of class 53, memory or connections: unavailable)
_PG_DAMAGED = {"XX001", "XX002"}


def _sqlite_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _translate(db: Database, original: BaseException, invalidated: bool) -> StoreError | None:
    """A driver error as what a person can act on, by the driver's error code (never by
    matching message text, which changes with versions and languages)."""
    if isinstance(original, StoreError):
        return original
    where = db.sqlite_path or db.url.render_as_string(hide_password=True)
    code = _sqlite_code(original)
    if code is not None:
        return _translate_sqlite(where, original, code)
    sqlstate = getattr(original, "sqlstate", None)
    if isinstance(sqlstate, str) or invalidated:
        return _translate_postgres(where, original, sqlstate or "", invalidated)
    return None


def _translate_sqlite(where: object, original: BaseException, code: int) -> StoreError | None:
    primary = code & 0xFF
    if code == SQLITE_CONSTRAINT_TRIGGER:
        return AppendOnlyViolation(f"the log refused a change to a recorded event: {original}")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return _locked(where)
    if primary == _SQLITE_READONLY:
        return _read_only(where)
    if primary == _SQLITE_FULL:
        return _full(where)
    if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return DatabaseDamaged(
            f"the database {where} is damaged ({original}): nothing was saved; "
            "call support and keep the file"
        )
    if primary in (_SQLITE_CANTOPEN, _SQLITE_PERM, _SQLITE_AUTH):
        return DatabaseUnavailable(
            f"the database {where} cannot be opened ({original}): check that the file and "
            "its folder exist and may be read and written; nothing was saved"
        )
    if primary == _SQLITE_IOERR:
        return DatabaseUnavailable(
            f"disk error on {where} ({original}): the disk may be full, removed or failing; "
            "nothing was saved; free space or ask IT, then try again"
        )
    return None


def _translate_postgres(
    where: object, original: BaseException, sqlstate: str, invalidated: bool
) -> StoreError | None:
    if sqlstate in _PG_APPEND_ONLY:
        return AppendOnlyViolation(f"the log refused a change to a recorded event: {original}")
    if sqlstate in _PG_LOCKED:
        return _locked(where)
    if sqlstate in _PG_READ_ONLY:
        return _read_only(where)
    if sqlstate in _PG_FULL:
        return _full(where)
    if sqlstate in _PG_DAMAGED:
        return DatabaseDamaged(
            f"the database {where} reports damaged data ({sqlstate}): nothing was saved; "
            "call support"
        )
    # class 08: connection exceptions; 57P: the server is shutting down or restarting;
    # 28: bad credentials; 53: out of memory or connections; 3D000: no such database; no
    # SQLSTATE at all: the link broke.
    if invalidated or not sqlstate or sqlstate[:2] in ("08", "28", "53") or sqlstate[:3] == "57P":
        return DatabaseUnavailable(
            f"the database {where} cannot be reached ({_first_line(original)}): nothing was "
            "saved; check the network or ask IT"
        )
    if sqlstate == "3D000":
        return DatabaseUnavailable(f"the database {where} does not exist: ask IT")
    return None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _locked(where: object) -> StoreError:
    return DatabaseLocked(
        f"the database {where} stayed busy (another station or program was writing): "
        "nothing was saved; try again"
    )


def _read_only(where: object) -> StoreError:
    return ReadOnlyDatabase(
        f"the database {where} cannot be written (read-only file, folder or disk): "
        "nothing was saved; ask IT to restore write access"
    )


def _full(where: object) -> StoreError:
    return DiskFull(
        f"the disk holding {where} is full: nothing was saved; free space and try again"
    )
