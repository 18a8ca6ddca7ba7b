"""Start the desktop application: one QApplication, one main window."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from infusion_app import APP_NAME, __version__
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.resources import protocols_dir
from infusion_app.ui.main_window import MainWindow

BEDSIDE_POINT_SIZE = 13  # large enough to read from a step back on a 1366×768 screen


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    font = QFont(app.font())
    font.setPointSize(BEDSIDE_POINT_SIZE)
    app.setFont(font)
    return app


def build_main_window() -> MainWindow:
    return MainWindow(load_catalog(protocols_dir()))


def run_app() -> int:
    app = create_application()
    window = build_main_window()
    window.show()
    return app.exec()
