"""The file dialog's own process: ``python -m infusion_app.ui.file_chooser_process REQUEST``.

A file dialog reads the files of every folder it shows (Qt's and GTK's sniff contents to pick
icons and types). In the app's process that would open and close the database's own files,
and every such close drops SQLite's POSIX locks on them (sqlite.org/howtocorrupt.html, 2.2):
another process then deletes a WAL that still holds confirmed entries. Here the dialog runs
in a process that holds no database, so whatever a person browses to cannot touch the locks.

Protocol, one JSON object per line: REQUEST (argv) is ``{"mode": "open"|"save", "title",
"start", "filter", "language", "parent"}``; the process writes ``{"shown": true}`` once the
dialog is up and has listed its folder, then ``{"path": "..."}`` or ``{"path": null}``.
A line ``cancel`` on standard input, or its end (the app went away), closes the dialog.
This module imports nothing of the app but Qt, so it starts in a fraction of a second.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from PySide6.QtCore import (
    QDir,
    QLibraryInfo,
    QLocale,
    QSocketNotifier,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QFileSystemModel


def _say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _translate(app: QApplication, language: str) -> None:
    if not language or language.startswith("en"):
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(language), "qtbase", "_", folder):
        app.installTranslator(translator)


def build_dialog(request: dict[str, Any]) -> QFileDialog:
    dialog = QFileDialog(None, str(request.get("title", "")))
    save = request.get("mode") == "save"
    dialog.setAcceptMode(
        QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen
    )
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if request.get("filter"):
        dialog.setNameFilter(str(request["filter"]))
    start = str(request.get("start") or "")
    if not start:
        dialog.setDirectory(QDir.homePath())
    elif os.path.isdir(start):
        dialog.setDirectory(start)
    elif start:
        # a name alone (what the previews suggest) goes in the home folder, never the
        # working directory, which is the program's own folder at a station
        dialog.setDirectory(os.path.dirname(start) or QDir.homePath())
        dialog.selectFile(os.path.basename(start))
    return dialog


def _stay_above(dialog: QFileDialog, parent: Any) -> None:
    """Keep the dialog above the app's window (X11 and Windows take a foreign parent)."""
    if not isinstance(parent, int) or parent <= 0:
        return
    foreign = QWindow.fromWinId(parent)
    dialog.winId()  # creates the native window
    handle = dialog.windowHandle()
    if foreign is not None and handle is not None:
        handle.setTransientParent(foreign)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m infusion_app.ui.file_chooser_process REQUEST\n")
        return 2
    request = json.loads(argv[0])
    app = QApplication([sys.argv[0]])
    app.setApplicationName(str(request.get("app_name") or "File"))
    _translate(app, str(request.get("language") or ""))
    dialog = build_dialog(request)
    _stay_above(dialog, request.get("parent"))
    result: dict[str, Any] = {"path": None}

    def finished(code: int) -> None:
        files = dialog.selectedFiles()
        if code == QDialog.DialogCode.Accepted and files:
            result["path"] = files[0]
        app.quit()

    dialog.finished.connect(finished)

    def told() -> None:
        line = sys.stdin.readline()
        if not line or line.strip() == "cancel":
            notifier.setEnabled(False)
            dialog.reject()

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(told)

    announced = False

    def announce() -> None:
        # After the folder is listed and one round of painting: what the dialog reads to
        # show a folder, it has read by then.
        nonlocal announced
        if not announced:
            announced = True
            QTimer.singleShot(50, lambda: _say({"shown": True}))

    model = dialog.findChild(QFileSystemModel)
    if model is not None:
        model.directoryLoaded.connect(lambda _folder: announce())
        QTimer.singleShot(2000, announce)  # an empty or unreadable folder loads nothing
    dialog.show()
    # The app's window is blocked and holds the keyboard focus: take it, so a person can type
    # a path at once (a window manager may do this anyway; without one nobody else does).
    dialog.raise_()
    dialog.activateWindow()
    if model is None:
        QTimer.singleShot(0, announce)
    app.exec()
    _say(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
