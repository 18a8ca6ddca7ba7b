"""The real app for tests/ui/test_keyboard_infusion_x11.py, on a clock the test moves.

``python -m tests.ui.keyboard_app --db URL --station NAME --clock FILE --probe FILE`` starts
the app exactly as ``infusion-app --db URL --station NAME`` does (``ui.app.run_app``), with
two test-only additions, so that the production app gains no clock override:

- **the clock** is the time written in ``--clock`` (ISO 8601 with its offset), read at every
  call: an infusion's 15-minute phases, vitals every 15 min and the 2-hour observation pass
  when the test rewrites the file, not in real time. The file is replaced atomically by the
  test, so a call sees either the old time or the new one.
- **a probe** writes what the window shows (page, tab, focused widget, open dialog, the
  bedside's step and message, the action buttons' places) as JSON to ``--probe`` whenever it
  changes (checked every 50 ms). It only reads: the test drives the app with key events of
  the X server alone, and waits on the probe and the database instead of sleeping. Each
  state is also appended to ``<probe>.jsonl`` with the monotonic time: what a failed run saw.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtWidgets import QApplication, QWidget

PROBE_INTERVAL_MS = 50


class FileClock:
    """The time written in a file; the test moves it by writing the file again."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> datetime:
        moment = datetime.fromisoformat(self.path.read_text(encoding="utf-8").strip())
        if moment.tzinfo is None:
            raise ValueError(f"{self.path}: the test clock must carry its UTC offset")
        return moment


def use_clock(clock: FileClock) -> None:
    """Every context the window opens reads ``clock``: the record is opened with it and the
    context's clock is replaced before the window attaches it."""
    from infusion_app.services import context
    from infusion_app.ui import app

    opened_with = app.open_record
    context.system_clock = clock  # open_record imports it by name when it runs

    def open_record(*args: Any, **kwargs: Any) -> app.Opened:
        opened = opened_with(*args, **kwargs)
        opened.ctx.clock = clock
        return opened

    app.open_record = open_record


def _name(widget: QWidget | None) -> str:
    if widget is None:
        return ""
    return f"{type(widget).__name__}:{widget.objectName()}"


def window_state(window: Any) -> dict[str, Any]:
    """What the test waits on: everything read from the widgets, nothing changed."""
    state: dict[str, Any] = {
        "size": [window.width(), window.height()],
        "focus": _name(QApplication.focusWidget()),
        "active": _name(QApplication.activeWindow()),
        "modal": "",
        "busy": window.tasks.busy,
        "page": "",
        "login_ready": False,
        "login_error": "",
        "tab": "",
        "outside": outside(window),
    }
    modal = QApplication.activeModalWidget()
    if modal is not None:
        state["modal"] = f"{type(modal).__name__}:{modal.windowTitle()}"
    login = getattr(window, "login", None)
    if login is not None and window.pages.currentWidget() is login:
        state["page"] = "login"
        state["login_ready"] = login.submit.isEnabled() and not login.checking
        state["login_error"] = login.error.text()
    elif window.workspace is not None and window.pages.currentWidget() is window.workspace:
        state["page"] = "workspace"
        current = window.workspace.currentWidget()
        state["tab"] = current.objectName() if current is not None else ""
    worklist = window.worklist
    if worklist is not None:
        state["worklist_rows"] = len(worklist.rows)
    bedside = window.bedside
    if bedside is not None and bedside.view is not None:
        log = bedside.log
        newest = log.model().index(log.rowCount() - 1, 0)
        state["bedside"] = {
            "infusion": bedside.infusion_id,
            "step": bedside.steps.current.name if bedside.steps.current else "",
            "message": bedside.message.text(),
            "acting": bedside.acting,
            "banner": bedside.banner.isVisible(),
            "countdown": bedside.countdown.text(),
            "scan": bedside.scan.text(),
            "log_rows": log.rowCount(),
            "log_rows_in_view": log.viewport().height() // max(log.rowHeight(0), 1),
            "log_newest_in_view": log.viewport().rect().contains(log.visualRect(newest)),
            "buttons": {b.objectName(): _place(b, window) for b in bedside.buttons.values()},
        }
    return state


def outside(window: QWidget) -> list[str]:
    """The shown widgets of the window that reach beyond it (issue 17 §6: none may)."""
    inside = QRect(0, 0, window.width(), window.height())
    return [
        _name(widget)
        for widget in window.findChildren(QWidget)
        if widget.isVisible()
        and not widget.isWindow()
        and widget.width()
        and widget.height()
        and not inside.contains(QRect(*_place(widget, window)))
    ]


def _place(widget: QWidget, window: QWidget) -> list[int]:
    corner = widget.mapTo(window, QPoint(0, 0))
    return [corner.x(), corner.y(), widget.width(), widget.height()]


class Probe:
    """Writes :func:`window_state` to ``path`` when it changed and stayed so for one more
    look, 50 ms on: a page just switched is laid out by a posted event, so the first look
    can catch the buttons half-way (seen: 40 px low for one loop turn after the idle lock),
    and the test would compare places nobody ever saw. Never raises into Qt (a slot's
    exception would open the app's bug box and change what is on screen)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last = ""
        self.seen = ""
        self.timer = QTimer()
        self.timer.setInterval(PROBE_INTERVAL_MS)
        self.timer.timeout.connect(self.write)
        self.timer.start()

    def write(self) -> None:
        from infusion_app.ui.main_window import MainWindow

        try:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            state = window_state(windows[0]) if windows else {"page": ""}
        except Exception as exc:  # a widget half torn down: say so, try again next time
            state = {"page": "", "probe_error": repr(exc)}
        text = json.dumps(state, sort_keys=True)
        settled = text == self.seen
        self.seen = text
        if not settled or text == self.last:
            return
        self.last = text
        with self.path.with_suffix(".jsonl").open("a", encoding="utf-8") as history:
            history.write(f"{time.monotonic():.3f} {text}\n")  # read when a test fails
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, self.path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--station", required=True)
    parser.add_argument("--clock", required=True, type=Path)
    parser.add_argument("--probe", required=True, type=Path)
    args = parser.parse_args()
    use_clock(FileClock(args.clock))
    from infusion_app.ui.app import create_application, run_app

    create_application()  # run_app uses this one; the probe's timer needs it first
    probe = Probe(args.probe)
    try:
        return run_app(args.db, args.station)
    finally:
        probe.timer.stop()


if __name__ == "__main__":
    raise SystemExit(main())
