"""Start the desktop application: one QApplication, one main window."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from infusion_app import APP_NAME, __version__
from infusion_app.config import load_settings
from infusion_app.logic.errors import DomainError
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.resources import protocols_dir
from infusion_app.services.context import AppContext, system_clock
from infusion_app.store.opening import open_database
from infusion_app.ui.main_window import MainWindow

EXIT_ENVIRONMENT = 3

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


def build_main_window(ctx: AppContext) -> MainWindow:
    db = ctx.db
    location = db.sqlite_path or db.url.render_as_string(hide_password=True)
    return MainWindow(ctx, load_catalog(ctx.protocols), db.health, str(location))


def run_app(database_url: str | None = None, station: str | None = None) -> int:
    app = create_application()
    try:
        settings = load_settings(database_url=database_url, station=station)
        db = open_database(settings.database_url, system_clock())
    except DomainError as exc:  # schema too new, server unreachable, bad config
        message = str(exc)
        QMessageBox.critical(None, APP_NAME, message[:1].upper() + message[1:])
        return EXIT_ENVIRONMENT
    ctx = AppContext(
        db=db, station=settings.station, policy=settings.security, protocols=protocols_dir()
    )
    window = build_main_window(ctx)
    window.showMaximized()  # a bedside screen gives the whole display to the app
    try:
        return app.exec()
    finally:
        db.dispose()
