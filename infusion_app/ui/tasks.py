"""Run a service call off the UI thread and hand its result back on the UI thread.

The Anki/Dangerzone pattern: a widget asks for ``tasks.run(call, on_done, on_error)``; the call
runs on Qt's thread pool, and the callbacks run on the UI thread through a queued signal, so
a slow disk or a busy PostgreSQL server never freezes the bedside screen. ``busy`` tells the
window to show progress and to keep a second click from starting the same action twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    """Lives on the UI thread; emitting from a worker queues the call to the UI thread."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.call = call
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as exc:  # every failure reaches the UI thread, where it is shown
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Tasks(QObject):
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self._running: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        relay = _Relay(self)
        self._running.add(relay)

        def finish(handler: Callable[[Any], None], value: Any) -> None:
            self._running.discard(relay)
            relay.deleteLater()
            if not self._running:
                self.busy_changed.emit(False)
            handler(value)

        relay.done.connect(lambda value: finish(on_done, value))
        relay.failed.connect(lambda exc: finish(on_error, exc))
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Job(call, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """For shutdown: let running calls commit before the database closes."""
        return self.pool.waitForDone(msecs)
