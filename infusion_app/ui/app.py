"""Start the desktop application: one QApplication, one main window."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from infusion_app import APP_NAME, __version__
from infusion_app.app_log import log_startup
from infusion_app.ui.look import failure_text
from infusion_app.ui.main_window import MainWindow

if TYPE_CHECKING:
    from infusion_app.logic.protocol_files import Catalog
    from infusion_app.services.context import AppContext

EXIT_ENVIRONMENT = 3

BEDSIDE_POINT_SIZE = 13  # large enough to read from a step back on a 1366×768 screen


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    use_station_font(app)
    return app


def use_station_font(app: QApplication) -> None:
    """The station's font size, for the window and for the tests that measure its layout."""
    font = QFont(app.font())
    font.setPointSize(BEDSIDE_POINT_SIZE)
    app.setFont(font)


def build_main_window(ctx: AppContext) -> MainWindow:
    """A window on an open record, at once (tests and tools)."""
    from infusion_app.logic.protocol_files import load_catalog

    return MainWindow(ctx, load_catalog(ctx.protocols), ctx.db.health, _location(ctx))


def _location(ctx: AppContext) -> str:
    db = ctx.db
    return str(db.sqlite_path or db.url.render_as_string(hide_password=True))


@dataclass(frozen=True)
class Opened:
    ctx: AppContext
    first_run: bool


def open_record(
    database_url: str | None,
    station: str | None,
    protocols: Path | None = None,
    time_zone: str | None = None,
) -> Opened:
    """What the login needs, run off the UI thread after the window is shown: SQLAlchemy and
    the store (schema checked, the file's full check started behind the login), and whether
    any account exists yet. Nothing here builds a pydantic model: the protocols follow in
    :func:`load_protocols` while the nurse types (issue 18, "login enabled")."""
    from infusion_app.config import load_settings, make_data_folder_private
    from infusion_app.resources import protocols_dir
    from infusion_app.services import first_run
    from infusion_app.services.context import AppContext, system_clock
    from infusion_app.store.errors import RecordIntegrityError, StoreError
    from infusion_app.store.opening import open_database

    settings = load_settings(database_url=database_url, station=station, time_zone=time_zone)
    make_data_folder_private(settings)
    # the file's full integrity check runs behind the login (store/integrity_check.py)
    db = open_database(settings.database_url, system_clock(), check_in_background=True)
    ctx = AppContext(
        db=db,
        station=settings.station,
        policy=settings.security,
        protocols=protocols or protocols_dir(),
        time_zone=settings.time_zone,
    )
    try:
        none_yet = first_run.count_users(ctx) == 0
    except (StoreError, RecordIntegrityError):
        none_yet = False  # the window shows the store's banner when it asks again
    return Opened(ctx, none_yet)


def load_protocols(ctx: AppContext) -> Catalog:
    """The protocol files, parsed and validated, and the log's start-up line that names them."""
    from infusion_app.services import model_layer

    model_layer.load()  # one thread imports pydantic; the others wait (services/model_layer.py)
    from infusion_app.logic.protocol_files import load_catalog

    catalog = load_catalog(ctx.protocols)
    log_startup(
        "window",
        ctx.db.url.render_as_string(hide_password=True),
        ((p.id, p.version, p.content_sha256) for p in catalog.protocols),
    )
    return catalog


def prepare_logins(ctx: AppContext) -> None:
    """The accounts folded ahead of the first login (services.accounts.prepare_logins)."""
    from infusion_app.services import model_layer

    model_layer.load()
    from infusion_app.services import accounts

    accounts.prepare_logins(ctx)


def open_window(
    database_url: str | None = None,
    station: str | None = None,
    protocols: Path | None = None,
    time_zone: str | None = None,
) -> MainWindow:
    """Show the window now and open the record behind it; the login is enabled once the
    record is open, and the protocols load while the nurse types. A record that cannot be
    opened ends the app with its reason."""
    create_application()
    window = MainWindow(None, None)
    # A bedside screen gives the whole display to the app. Without a window manager (a kiosk
    # session, Xvfb) nobody maximises or activates the window: it stayed at its minimum size,
    # and keys typed into its fields but no Alt+letter or F-key fired until someone clicked.
    window.setGeometry(window.screen().availableGeometry())
    window.showMaximized()
    window.activateWindow()

    def opened(result: Opened) -> None:
        ctx = result.ctx
        window.attach(ctx, None, ctx.db.health, _location(ctx), result.first_run)
        window.tasks.run(lambda: load_protocols(ctx), window.use_catalog, failed)
        # a failure here is the login's to report: it folds the accounts itself
        window.tasks.run(lambda: prepare_logins(ctx), lambda _: None, lambda _: None)

    def failed(exc: Exception) -> None:
        # a known error says what to do; a bug is logged and the box says where the log is
        QMessageBox.critical(window, APP_NAME, failure_text(exc))
        window.close()
        QApplication.exit(EXIT_ENVIRONMENT)  # schema too new, server unreachable, bad config

    window.tasks.run(
        lambda: open_record(database_url, station, protocols, time_zone), opened, failed
    )
    return window


def report_bug(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """The window's ``sys.excepthook``: an exception no screen caught (a bug in a slot) is
    logged with its traceback, and a box says so and where the log file is."""
    if not isinstance(error, Exception):  # KeyboardInterrupt, SystemExit: as Python does
        sys.__excepthook__(kind, error, trace)
        return
    text = failure_text(error)
    app = QApplication.instance()
    if isinstance(app, QApplication):
        QMessageBox.critical(app.activeWindow(), APP_NAME, text)
    else:
        sys.stderr.write(text + "\n")


def run_app(
    database_url: str | None = None,
    station: str | None = None,
    protocols: Path | None = None,
    time_zone: str | None = None,
) -> int:
    sys.excepthook = report_bug  # the log file starts with the record's start-up facts
    app = create_application()
    window = open_window(database_url, station, protocols, time_zone)
    try:
        return app.exec()
    finally:
        if window.ctx is not None:
            window.ctx.db.dispose()
