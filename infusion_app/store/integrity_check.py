"""The SQLite file's integrity check (``PRAGMA quick_check``) on a thread of its own, so that
the window's login does not wait for it.

``quick_check`` reads every page of the file: 0.41 s on a site of a million events, and
linear in the file's size. The window opens the record after a cheap look (the header and
the schema, which finds a file that is not a database or whose first pages are damaged at
once) and runs the full check behind the login. Every write waits for its answer
(:meth:`infusion_app.store.database.Database.write`), so nothing is ever written to a file
that failed it, and a damaged file ends where it ended when the check came first: open
read-only, with the banner that says so. The command line still checks before it opens.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from infusion_app.store.errors import StoreError

log = logging.getLogger(__name__)

Listener = Callable[["IntegrityCheck"], None]


class IntegrityCheck:
    """One run of the check of ``path``: started once, answered once.

    After it finished, exactly one of these holds: :attr:`passed`; :attr:`damage` is the
    check's complaint; :attr:`failure` is the error that kept it from running (the disk, the
    folder: what to do is in its message); or it was cancelled (the database was closed).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.damage: str | None = None
        self.failure: StoreError | None = None
        self.cancelled = False
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._answered = False  # the listeners were taken: a later one is called at once
        self._listeners: list[Listener] = []
        self._connection: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._run, name="integrity check", daemon=True)

    def start(self) -> IntegrityCheck:
        self._thread.start()
        return self

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    @property
    def passed(self) -> bool:
        return (
            self._answered  # set before the listeners hear it, the event after them
            and self.damage is None
            and self.failure is None
            and not self.cancelled
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the check answered (True), or ``timeout`` seconds passed (False)."""
        return self._finished.wait(timeout)

    def when_finished(self, listener: Listener) -> None:
        """Call ``listener(check)`` once the check answered: on the check's thread, in the
        order the listeners came, before any waiting writer goes on; at once (on the
        caller's thread) if it has answered already. Not called when it was cancelled."""
        with self._lock:
            if not self._answered:
                self._listeners.append(listener)
                return
        if not self.cancelled:
            listener(self)

    def cancel(self) -> None:
        """Stop the check (the database is being closed): a running ``quick_check`` is
        interrupted; nothing is concluded about the file."""
        with self._lock:
            self.cancelled = True
            if self._connection is not None:
                self._connection.interrupt()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()

    def check(self) -> str | None:
        """``quick_check``'s complaint about the file, None when it is sound; an error that is
        not damage is raised as the StoreError that says what to do (opening.py)."""
        from infusion_app.store.database import read_only_uri
        from infusion_app.store.opening import classify_inspection

        try:
            connection = sqlite3.connect(
                read_only_uri(self.path), uri=True, check_same_thread=False
            )
            try:
                with self._lock:
                    if self.cancelled:
                        return None
                    self._connection = connection
                rows = connection.execute("PRAGMA quick_check").fetchall()
            finally:
                with self._lock:
                    self._connection = None
                connection.close()
        except sqlite3.Error as exc:
            if self.cancelled:
                return None
            return classify_inspection(self.path, exc)
        return damage_of(rows)

    def _run(self) -> None:
        _yield_to_the_window()
        try:
            damage = self.check()
        except StoreError as exc:
            self.failure = exc
        except Exception as exc:  # a bug: the file is unproven, so it is not written either
            log.exception("the integrity check of %s failed", self.path)
            self.damage = f"the check could not run: {type(exc).__name__}"
        else:
            self.damage = None if self.cancelled else damage
        with self._lock:
            self._answered = True
            listeners, self._listeners = self._listeners, []
        if not self.cancelled:
            for listener in listeners:
                try:
                    listener(self)
                except Exception:  # one listener's failure must not keep writers waiting
                    log.exception("a listener of the integrity check of %s failed", self.path)
        self._finished.set()


CHECK_NICENESS = 10  # below the window's and the record's opening, on the same cores


def _yield_to_the_window() -> None:
    """Run this thread below the others: the check reads the whole file (CPU-bound from the
    page cache) while the window imports, opens the record and enables the login, and on a
    2-core ward PC it took a core from them: the login came later the larger the file was
    (issue 18). Linux sets a thread's own priority by its id; elsewhere it stays as it is."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError):  # not permitted: the check still runs
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CHECK_NICENESS)


def damage_of(rows: list[tuple[object, ...]]) -> str | None:
    """``quick_check``'s rows as one line, None for its single ``ok``."""
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:3])
