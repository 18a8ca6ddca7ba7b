"""A stand-in for the file's integrity check that answers only when the test says so."""

from __future__ import annotations

import threading

import pytest

from infusion_app.store.integrity_check import IntegrityCheck

WAITING = 10  # seconds: a safety net for a test that would otherwise hang, never a pause


class HeldCheck:
    """Stands in for ``quick_check``: answers only when the test releases it, and tells the
    test when a writer has begun to wait for it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.writer_waiting = threading.Event()
        self.answer: str | None = None
        self.failure: Exception | None = None
        held = self
        real_wait = IntegrityCheck.wait

        def check(_self: IntegrityCheck) -> str | None:
            assert held.release.wait(WAITING), "the test never released the check"
            if held.failure is not None:
                raise held.failure
            return held.answer

        def wait(check: IntegrityCheck, timeout: float | None = None) -> bool:
            if threading.current_thread() is not threading.main_thread():
                held.writer_waiting.set()
            return real_wait(check, timeout)

        monkeypatch.setattr(IntegrityCheck, "check", check)
        monkeypatch.setattr(IntegrityCheck, "wait", wait)

    def answers(self, answer: str | None = None, failure: Exception | None = None) -> None:
        self.answer, self.failure = answer, failure
        self.release.set()
