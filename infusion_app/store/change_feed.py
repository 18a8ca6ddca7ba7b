"""Has anyone committed since I last looked? For screens that must show changes made at
another station (or from the command line) within a couple of seconds.

- SQLite: ``PRAGMA data_version`` on a connection of the feed's own, which changes whenever
  another connection (of any process, this one's included) commits (sqlite.org/pragma.html).
- PostgreSQL: ``LISTEN infusion_changes`` on a connection of the feed's own; a trigger on the
  event table notifies at each commit that adds events (migration 0004). Notifications come
  in commit order, so a transaction that committed late is never missed, as a ``max(id)``
  poll would miss it.

Every change to the record is an event, so watching the events is watching everything.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from sqlalchemy.exc import DBAPIError

from infusion_app.store.database import Database, translate_errors

CHANNEL = "infusion_changes"


class ChangeFeed(Protocol):
    def changed(self, wait: float = 0) -> bool:
        """True once for every batch of commits made since the last call. ``wait``: how
        long a feed that is told (PostgreSQL) may wait for word still on its way."""

    def close(self) -> None: ...


class _SQLiteFeed:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        with translate_errors(db):
            self._connection: Any = db.engine.raw_connection()
        self._version = self._read()

    def _read(self) -> int:
        with translate_errors(self.db):
            cursor = self._connection.cursor()
            try:
                return int(cursor.execute("PRAGMA data_version").fetchone()[0])
            finally:
                cursor.close()

    def changed(self, wait: float = 0) -> bool:
        with self._lock:
            version = self._read()
            moved, self._version = version != self._version, version
            return moved

    def close(self) -> None:
        with self._lock:
            self._connection.close()


class _PostgresFeed:
    def __init__(self, db: Database) -> None:
        import psycopg

        self.db = db
        self._lock = threading.Lock()
        url = db.url.set(drivername="postgresql")
        try:
            self._connection = psycopg.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=10
            )
            self._connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            with translate_errors(db):
                raise DBAPIError(f"LISTEN {CHANNEL}", None, exc) from exc
            raise

    def changed(self, wait: float = 0) -> bool:
        import psycopg

        with self._lock:
            try:
                told = sum(1 for _ in self._connection.notifies(timeout=wait, stop_after=1))
                told += sum(1 for _ in self._connection.notifies(timeout=0))  # drain the rest
                return told > 0
            except psycopg.Error as exc:
                with translate_errors(self.db):
                    raise DBAPIError("notifies", None, exc) from exc
                raise

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def open_change_feed(db: Database) -> ChangeFeed:
    if db.dialect == "postgresql":
        return _PostgresFeed(db)
    return _SQLiteFeed(db)
