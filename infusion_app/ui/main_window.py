"""The main window: the login until someone logs in, then their screens under a header that
always says who is logged in and with which role.

After the configured idle time the window locks: it returns to the login with the user's
name filled in, keeps the screen they were on, and shows it again once they log back in.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from infusion_app import APP_NAME, __version__
from infusion_app.logic.protocol_files import Catalog
from infusion_app.logic.security import is_idle
from infusion_app.services import accounts
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.store.database import Health
from infusion_app.store.errors import StoreError
from infusion_app.ui.login_screen import LoginScreen
from infusion_app.ui.protocols_page import BANNER_STYLE, ProtocolsPage
from infusion_app.ui.tasks import Tasks

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: AppContext,
        catalog: Catalog,
        health: Health | None = None,
        database: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        health = health or Health(writable=True)
        self.ctx = ctx
        self.user: CurrentUser | None = None
        self.last_activity: datetime = ctx.now()
        self.tasks = Tasks(self)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(1024, 640)

        # A damaged or write-protected database stays readable; the banner says nothing
        # can be recorded, so nobody at the bedside believes an entry was saved.
        self.store_banner = QLabel(health.message or "")
        self.store_banner.setObjectName("storeBanner")
        self.store_banner.setWordWrap(True)
        self.store_banner.setStyleSheet(BANNER_STYLE)
        self.store_banner.setVisible(not health.writable)

        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setStyleSheet("font-weight: bold;")
        self.log_out_button = QPushButton(self.tr("Log out"))
        self.log_out_button.setObjectName("logOut")
        self.log_out_button.clicked.connect(self.log_out)
        self.header = QWidget()
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        header_layout.addWidget(self.who, 1)
        header_layout.addWidget(self.log_out_button)

        self.login = LoginScreen(ctx, self.tasks)
        self.login.logged_in.connect(self._logged_in)
        self.protocols_page = ProtocolsPage(catalog)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login)
        self.pages.addWidget(self.protocols_page)
        self._kept_page: QWidget = self.protocols_page

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.store_banner)
        layout.addWidget(self.header)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        where = f" · {self.tr('database')}: {database}" if database else ""
        self.statusBar().showMessage(f"{APP_NAME} {__version__}{where}")

        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(1000)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._show_login(first_run=self._no_accounts_yet())

    def _no_accounts_yet(self) -> bool:
        """Asked once at start-up; a database that cannot be read shows its banner instead."""
        try:
            return accounts.count_users(self.ctx) == 0
        except StoreError as exc:
            shown = self.store_banner.text() if self.store_banner.isVisibleTo(self) else ""
            self.store_banner.setText("\n".join(filter(None, (shown, str(exc)))))
            self.store_banner.setVisible(True)
            return False

    # --- session ----------------------------------------------------------------------------

    def _show_login(self, *, first_run: bool = False, notice: str = "", username: str = "") -> None:
        self.header.setVisible(False)
        self.login.prepare(first_run=first_run, notice=notice, username=username)
        self.pages.setCurrentWidget(self.login)

    def _logged_in(self, user: CurrentUser) -> None:
        self.user = user
        self.last_activity = self.ctx.now()
        self.who.setText(
            self.tr("{name} · {role} · station {station}").format(
                name=user.printed_name, role=self.tr(user.role.value), station=self.ctx.station
            )
        )
        self.header.setVisible(True)
        self.pages.setCurrentWidget(self._kept_page)

    def log_out(self) -> None:
        self.user = None
        self._kept_page = self.protocols_page
        self._show_login()

    def check_idle(self) -> None:
        """Lock an unattended session; the clock is the context's, so tests move it."""
        if self.user is None or self.pages.currentWidget() is self.login:
            return
        if is_idle(self.last_activity, self.ctx.now(), self.ctx.policy):
            current = self.pages.currentWidget()
            self._kept_page = current if current is not None else self.protocols_page
            minutes = self.ctx.policy.idle_lock_minutes
            self._show_login(
                notice=self.tr("Locked after {0} min without use. Log in to continue.").format(
                    minutes
                ),
                username=self.user.username,
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.last_activity = self.ctx.now()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle_timer.stop()
        self.tasks.wait()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
