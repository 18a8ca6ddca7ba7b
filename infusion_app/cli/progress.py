"""A long walk's progress, on a terminal only: one line on standard error, rewritten in place.

Nothing is written when standard error is not a terminal (a pipe, a file, a cron mail), and
nothing before the work has run for a second: a short run prints exactly what it printed
before. The line is wiped when the work ends, so the result follows on a clean line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

# Replaced by the tests (a fake clock); the time the work has run decides what is shown.
clock: Callable[[], float] = time.monotonic

SHOW_AFTER_S = 1.0  # a run shorter than this shows nothing
EVERY_S = 0.1  # at most ten updates a second


class TerminalProgress:
    """``progress(done, total)`` for :func:`infusion_app.services.audit.verify_log`."""

    def __init__(self, stream: TextIO, what: str = "events") -> None:
        self.stream = stream
        self.what = what
        self.started = clock()
        self.shown_at: float | None = None
        self.width = 0

    @classmethod
    def on_terminal(cls, stream: TextIO, what: str = "events") -> TerminalProgress | None:
        """A progress line for ``stream`` if it is a terminal, else None (say nothing)."""
        try:
            tty = stream.isatty()
        except (AttributeError, ValueError, OSError):  # closed or not a real stream
            tty = False
        return cls(stream, what) if tty else None

    def __call__(self, done: int, total: int) -> None:
        now = clock()
        if now - self.started < SHOW_AFTER_S:
            return
        if self.shown_at is not None and now - self.shown_at < EVERY_S:
            return
        line = f"verified {done:,} of {total:,} {self.what}"
        self._write("\r" + line.ljust(self.width))
        self.width, self.shown_at = len(line), now

    def close(self) -> None:
        """Wipe the line (if one was shown), so what follows starts on a clean line."""
        if self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a terminal that went away: the result still counts
            pass
