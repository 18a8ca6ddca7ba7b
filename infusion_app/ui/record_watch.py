"""Keeps every open screen current: once a second the window asks the record whether anyone
committed (another station, the command line, this window) and whether the database file is
still the one it opened.

``changed`` makes the window refresh the screen in view; ``broken`` carries the one-line reason
when the database's files were replaced or unlinked under the app, which the window shows as
a high alarm: nothing more can be saved.

The look itself is quick and runs on the UI thread (a ``stat`` and ``PRAGMA data_version``,
or a non-blocking read of PostgreSQL's notifications); only opening a server connection, which
may wait for the network, runs on a thread of its own, which touches no Qt object.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from infusion_app.services.context import AppContext
from infusion_app.services.record_changes import RecordChanges
from infusion_app.store.errors import DatabaseFilesChanged

log = logging.getLogger(__name__)

INTERVAL_MS = 1000  # with a refresh well under a second, a change shows within 2 s


class RecordWatch(QObject):
    changed = Signal()
    broken = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.changes = RecordChanges(ctx)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self._opening: threading.Thread | None = None
        self._stopped = False
        self.problem: str | None = None

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        """For closing the window: no look after this."""
        self._stopped = True
        self.timer.stop()
        if self._opening is not None:
            self._opening.join(timeout=15)
        self.changes.close()

    def poll(self) -> None:
        if self._stopped or self.problem is not None:
            return
        try:
            if not self.changes.is_open:
                self._open()
            changed = self.changes.look()
        except DatabaseFilesChanged as exc:
            self.problem = str(exc)
            self.timer.stop()
            self.broken.emit(self.problem)
        except Exception as exc:  # unreachable for now: screens say so when they act
            log.warning("record watch: %s: %s", type(exc).__name__, exc)
        else:
            if changed:
                self.changed.emit()

    def _open(self) -> None:
        if not self.changes.opens_slowly:
            self.changes.open()
            return
        if self._opening is not None and self._opening.is_alive():
            return
        self._opening = threading.Thread(target=self._open_quietly, daemon=True)
        self._opening.start()

    def _open_quietly(self) -> None:
        try:
            self.changes.open()
        except Exception as exc:  # the next poll tries again
            log.warning("record watch: cannot listen for changes: %s", exc)
