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
    """Lives on the UI thread; emitting from a worker queues the call to the UI thread.

    One relay serves every job (each result carries its job's number): no QObject is made
    or deleted per call, so nothing can be deleted while a worker still holds it.
    """

    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, number: int, call: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.number = number
        self.call = call
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.call()
        except Exception as exc:  # every failure reaches the UI thread, where it is shown
            self.relay.failed.emit(self.number, exc)
        else:
            self.relay.done.emit(self.number, result)


Handlers = tuple[Callable[[Any], None], Callable[[Exception], None]]


class Tasks(QObject):
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.relay = _Relay(self)
        self.relay.done.connect(lambda number, value: self._finish(number, value, 0))
        self.relay.failed.connect(lambda number, exc: self._finish(number, exc, 1))
        self._running: dict[int, Handlers] = {}
        self._numbers = 0

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(
        self,
        call: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._numbers += 1
        self._running[self._numbers] = (on_done, on_error)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self.pool.start(_Job(self._numbers, call, self.relay))

    def _finish(self, number: int, value: Any, which: int) -> None:
        handlers = self._running.pop(number, None)
        if not self._running:
            self.busy_changed.emit(False)
        if handlers is not None:
            handlers[which](value)

    def wait(self, msecs: int = 30000) -> bool:
        """For shutdown: let running calls commit before the database closes."""
        return self.pool.waitForDone(msecs)
