"""Choosing a file to open or to save, without the app's process reading any folder.

Every file dialog of the app comes through here. The dialog itself runs in a child process
(``infusion_app.ui.file_chooser_process``, which says why): the window waits for it with its
input blocked and its timers running (countdowns and alarms keep going), and gets back a path
or nothing. What the app then does with the path (read a CoA, write a PDF) is guarded by
``infusion_app.file_guard``, which refuses the database's own files.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QCoreApplication, QEventLoop, QObject, QProcess, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from infusion_app.ui.translations import current_language

log = logging.getLogger(__name__)

CHILD_MODULE = "infusion_app.ui.file_chooser_process"


class FileChooser(QObject):
    """One file dialog in its own process. ``shown`` once it is up, ``done`` with the chosen
    path or None (cancelled, closed, or the process failed)."""

    shown = Signal()
    done = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        *,
        mode: str,
        title: str,
        start: str,
        filter: str,
    ) -> None:
        super().__init__(parent)
        window = parent.window() if parent is not None else None
        self.request: dict[str, Any] = {
            "mode": mode,
            "title": title,
            "start": start,
            "filter": filter,
            "language": current_language(),
            "app_name": QCoreApplication.applicationName(),
            "parent": int(window.winId()) if window is not None and window.isVisible() else 0,
        }
        self.path: Path | None = None
        self.failure = ""
        self._buffer = QByteArray()
        self._finished = False
        self.process = QProcess(self)
        self.process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self.process.readyReadStandardOutput.connect(self._read)
        self.process.finished.connect(self._ended)
        self.process.errorOccurred.connect(self._failed)

    def start(self) -> None:
        self.process.start(sys.executable, ["-m", CHILD_MODULE, json.dumps(self.request)])

    def cancel(self) -> None:
        """Close the dialog as if the person had pressed Cancel (the window locks, closes)."""
        if self.process.state() != QProcess.ProcessState.NotRunning:
            self.process.write(b"cancel\n")
            self.process.closeWriteChannel()

    @property
    def running(self) -> bool:
        return not self._finished

    def _read(self) -> None:
        self._buffer.append(self.process.readAllStandardOutput())
        while True:
            data = bytes(self._buffer.data())
            if b"\n" not in data:
                return
            line, rest = data.split(b"\n", 1)
            self._buffer = QByteArray(rest)
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if message.get("shown"):
                self.shown.emit()
            elif message.get("path"):
                self.path = Path(message["path"])

    def _failed(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failure = self.process.errorString()
            self._finish()

    def _ended(self, _code: int, _status: QProcess.ExitStatus) -> None:
        self._read()
        if self.process.exitStatus() != QProcess.ExitStatus.NormalExit or self.process.exitCode():
            details = bytes(self.process.readAllStandardError().data()).decode(errors="replace")
            log.warning("file dialog process ended abnormally: %s", details.strip()[-500:])
            if self.path is None and not self.failure:
                self.failure = details.strip().splitlines()[-1] if details.strip() else "ended"
        self._finish()

    def _finish(self) -> None:
        if not self._finished:
            self._finished = True
            self.done.emit(self.path)


def choose_file(parent: QWidget, *, mode: str, title: str, start: str, filter: str) -> Path | None:
    """Show a file dialog and wait for the answer; the window's input is blocked meanwhile
    while its timers keep running."""
    chooser = FileChooser(parent, mode=mode, title=title, start=start, filter=filter)
    window = parent.window()
    loop = QEventLoop()
    chooser.done.connect(lambda _path: loop.quit())
    window.setEnabled(False)
    try:
        chooser.start()
        if chooser.running:
            loop.exec()
    finally:
        window.setEnabled(True)
        window.activateWindow()  # the keyboard comes back to where the person was
        chooser.deleteLater()
    if chooser.failure and chooser.path is None:
        QMessageBox.warning(
            parent,
            parent.tr("File dialog"),
            parent.tr("The file dialog could not be opened ({0}).").format(chooser.failure),
        )
    return chooser.path


def choose_file_to_open(parent: QWidget, title: str, filter: str, start: str = "") -> Path | None:
    return choose_file(parent, mode="open", title=title, start=start, filter=filter)


def choose_file_to_save(parent: QWidget, title: str, suggested: str, filter: str) -> Path | None:
    return choose_file(parent, mode="save", title=title, start=suggested, filter=filter)
