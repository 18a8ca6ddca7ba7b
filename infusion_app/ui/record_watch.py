"""Keeps every open screen current: once a second, off the UI thread, the window asks the
record whether anyone committed (another station, the command line, this window) and whether
the database file is still the one it opened.

``changed`` makes the window refresh the screen in view; ``broken`` carries the one-line reason
when the database's files were replaced or unlinked under the app, which the window shows as
a high alarm: nothing more can be saved.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from infusion_app.services.context import AppContext
from infusion_app.services.record_changes import RecordChanges
from infusion_app.store.errors import DatabaseFilesChanged
from infusion_app.ui.tasks import Tasks

log = logging.getLogger(__name__)

INTERVAL_MS = 1000  # with a refresh well under a second, a change shows within 2 s


class RecordWatch(QObject):
    changed = Signal()
    broken = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.changes = RecordChanges(ctx)
        self.tasks = Tasks(self)  # its own pool: a poll never shows as the window being busy
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self._looking = False
        self.problem: str | None = None

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.tasks.wait()
        self.changes.close()

    def poll(self) -> None:
        if self._looking or self.problem is not None:
            return
        self._looking = True
        self.tasks.run(self.changes.look, self._looked, self._failed)

    def _looked(self, changed: bool) -> None:
        self._looking = False
        if changed:
            self.changed.emit()

    def _failed(self, exc: Exception) -> None:
        self._looking = False
        if isinstance(exc, DatabaseFilesChanged):
            self.problem = str(exc)
            self.timer.stop()
            self.broken.emit(self.problem)
        else:  # unreachable for now: the screens say so when they act; the next look retries
            log.warning("record watch: %s: %s", type(exc).__name__, exc)
