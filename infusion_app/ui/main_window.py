"""The main window: the login until someone logs in, then the screens of their role under a
header that always says who is logged in and with which role.

A workspace holds only the screens the role may use (a monitor's has no screen that writes).
After the configured idle time the window locks: it returns to the login with the user's
name filled in, keeps the workspace as it was, and shows it again once they log back in.
On login a nurse lands on the infusion this station was in the middle of, so closing the
window (or a crash) mid-infusion and reopening it comes back to the same bedside screen.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infusion_app import __version__
from infusion_app.logic.alarms import Priority
from infusion_app.logic.reading_time import zone_label
from infusion_app.logic.roles import Action, Role, may
from infusion_app.logic.security import is_idle
from infusion_app.store.errors import RecordIntegrityError, StoreError
from infusion_app.ui.login_screen import LoginScreen
from infusion_app.ui.look import ALARM_STYLES, BANNER_STYLE, touch_sized
from infusion_app.ui.preferences import Preferences
from infusion_app.ui.settings_page import SettingsPage
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import (
    TranslationError,
    Translations,
    reading_zone,
    shown,
    use_zone,
)

if TYPE_CHECKING:  # the store and the screens load after the window is shown (ui/app.py)
    from infusion_app.logic.protocol_files import Catalog
    from infusion_app.services.context import AppContext, CurrentUser
    from infusion_app.store.database import Health
    from infusion_app.ui.accounts_page import AccountsPage
    from infusion_app.ui.bedside_screen import BedsideScreen
    from infusion_app.ui.monitor_page import MonitorPage
    from infusion_app.ui.patient_page import PatientPage
    from infusion_app.ui.pharmacy_page import PharmacyPage
    from infusion_app.ui.protocols_page import ProtocolsPage
    from infusion_app.ui.record_watch import RecordWatch
    from infusion_app.ui.trial_page import TrialPage
    from infusion_app.ui.ward_board_page import WardBoardPage
    from infusion_app.ui.worklist_page import WorklistPage

ROLE_NAMES = (  # for lupdate: the header shows the role in the interface language
    QT_TRANSLATE_NOOP("Role", "nurse"),
    QT_TRANSLATE_NOOP("Role", "pharmacist"),
    QT_TRANSLATE_NOOP("Role", "monitor"),
    QT_TRANSLATE_NOOP("Role", "admin"),
    QT_TRANSLATE_NOOP("Role", "investigator"),
)

# Widgets for which Space has its own meaning (press, open, step): a focused one gets the
# key, never a window shortcut on Space (the bedside's drop count).
SPACE_TAKERS = (QAbstractButton, QComboBox, QAbstractSpinBox)

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


class _HealthRelay(QObject):
    """Brings the integrity check's answer from its thread to the UI thread (queued)."""

    checked = Signal(object)

    def tell(self, health: Health) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed before the check answered
            self.checked.emit(health)


class MainWindow(QMainWindow):
    """With ``ctx`` the window opens on the record at once (tests, tools); without it the
    window shows the login first and :meth:`attach` connects the record once it is open."""

    def __init__(
        self,
        ctx: AppContext | None,
        catalog: Catalog | None,
        health: Health | None = None,
        database: str = "",
        preferences: Preferences | None = None,
        translations: Translations | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.catalog: Catalog | None = None
        self.health: Health | None = None
        self.database = database
        self.preferences = preferences or Preferences()
        self.translations = translations or Translations()
        self.user: CurrentUser | None = None
        self.record_watch: RecordWatch | None = None
        self.record_problem = ""
        self.protocols_page: ProtocolsPage | None = None
        self.last_activity: datetime = datetime.now(UTC)
        self.tasks = Tasks(self)
        self.setMinimumSize(1024, 640)
        self._use_language(self.preferences.language)

        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(1000)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if ctx is not None and catalog is not None:
            self.attach(ctx, catalog, health, database)  # builds the screens once, on the record
        else:
            self._build()
            self._show_login()

    def attach(
        self,
        ctx: AppContext,
        catalog: Catalog | None,
        health: Health | None,
        database: str,
        first_run: bool | None = None,
    ) -> None:
        """The record is open: show its health, the protocols, and enable the login. Without
        ``catalog`` the protocols follow in :meth:`use_catalog` (the app's start, where they
        load while the nurse types); a login that comes first waits for them."""
        self.ctx, self.catalog, self.health, self.database = ctx, catalog, health, database
        self.last_activity = ctx.now()
        use_zone(ctx.time_zone)  # every screen reads times in the station's zone from now on
        # The window shown before the record (the app's start) keeps its screens: its login
        # form may be half filled, the focus in it. A window made on an open record builds
        # them now.
        shown_before = hasattr(self, "login")
        if shown_before:
            self._show_record()
        else:
            self._build()
        from infusion_app.ui.record_watch import RecordWatch  # SQLAlchemy: after the window

        self.record_watch = RecordWatch(ctx, self)
        self.record_watch.changed.connect(self._record_changed)
        self.record_watch.broken.connect(self._record_broken)
        self.record_watch.start()
        # the file's integrity check may still run behind the login: a failure shows the
        # same banner as a file found damaged at start (writes wait for it meanwhile)
        self.health_relay = _HealthRelay(self)
        self.health_relay.checked.connect(self._health_checked)
        ctx.db.when_checked(self.health_relay.tell)
        if first_run is None:
            first_run = self._no_accounts_yet()
        if shown_before:
            self.login.set_ready(ctx, first_run=first_run)
            self._show_alarm_strip()
        else:
            self._show_login(first_run=first_run)

    def use_catalog(self, catalog: Catalog) -> None:
        """The protocol files are read: their page, and the workspace of a login that came
        before them (the screens that dose or plan need the protocols)."""
        from infusion_app.ui.protocols_page import ProtocolsPage

        self.catalog = catalog
        self.protocols_page = ProtocolsPage(catalog)
        if self.user is not None and self.workspace is None:  # logged in, waiting for them
            self._logged_in(self.user)

    def _use_language(self, code: str) -> None:
        try:
            self.translations.use(code)
        except TranslationError as exc:  # the English interface still works
            self.translations.use("en")
            self.language_problem = str(exc)
        else:
            self.language_problem = ""

    def _build(self) -> None:
        """Everything with text in it; built again when the language changes."""
        # A damaged or write-protected database stays readable; the banner says nothing
        # can be recorded, so nobody at the bedside believes an entry was saved.
        self.store_banner = QLabel()
        self.store_banner.setObjectName("storeBanner")
        self.store_banner.setWordWrap(True)
        self.store_banner.setStyleSheet(BANNER_STYLE)

        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setStyleSheet("font-weight: bold;")
        # Alt+G: a second person (the dose's verifier) takes over the station by keyboard
        self.log_out_button = QPushButton(self.tr("Lo&g out"))
        self.log_out_button.setObjectName("logOut")
        touch_sized(self.log_out_button)
        self.log_out_button.clicked.connect(self.log_out)
        self.header = QWidget()
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(0, 0, 0, 0)
        # the one place the window names its zone; every time on every screen is in it
        self.zone = QLabel()
        self.zone.setObjectName("timeZone")
        header_layout.addWidget(self.who, 1)
        header_layout.addWidget(self.zone)
        header_layout.addWidget(self.log_out_button)

        self.login = LoginScreen(self.ctx, self.tasks)
        self.login.logged_in.connect(self._logged_in)
        self.protocols_page = None
        self.workspace: QTabWidget | None = None
        self.worklist: WorklistPage | None = None
        self.bedside: BedsideScreen | None = None
        self.pharmacy: PharmacyPage | None = None
        self.monitor: MonitorPage | None = None
        self.course: PatientPage | None = None
        self.trial: TrialPage | None = None
        self.ward: WardBoardPage | None = None
        self.settings_page: SettingsPage | None = None
        self.accounts: AccountsPage | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login)
        # the station's alarms on every other tab and on the idle lock, so an alarm is never
        # hidden behind another screen or the login (patient initials only, no name)
        self.alarm_strip = QLabel()
        self.alarm_strip.setObjectName("windowAlarm")
        self.alarm_strip.setWordWrap(False)
        self.alarm_strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.alarm_strip.setVisible(False)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(8)
        layout.addWidget(self.store_banner)
        layout.addWidget(self.header)
        layout.addWidget(self.alarm_strip)
        layout.addWidget(self.pages, 1)
        old = self.centralWidget()
        self.setCentralWidget(central)
        if old is not None:
            old.deleteLater()
        self._show_record()

    def _show_record(self) -> None:
        """What the window says about its record: the store's health, the zone its times are
        read in, where the record is, the protocols (once read)."""
        health = self.health
        self.store_banner.setText(health.message or "" if health is not None else "")
        self.store_banner.setVisible(health is not None and not health.writable)
        if self.record_problem:
            self._show_record_problem()
        if self.ctx is not None:
            self.zone.setText(
                self.tr("Times: {0}").format(zone_label(reading_zone(), self.ctx.now()))
            )
        if self.catalog is not None and self.protocols_page is None:
            from infusion_app.ui.protocols_page import ProtocolsPage

            self.protocols_page = ProtocolsPage(self.catalog)
        database = self.tr("database")  # a literal, so lupdate offers it for translation
        where = f" · {database}: {self.database}" if self.database else ""
        problem = f" · {self.language_problem}" if self.language_problem else ""
        title = self.tr("MSC Infusion Assistant")  # APP_NAME, in the interface's language
        self.setWindowTitle(title)
        self.statusBar().showMessage(f"{title} {__version__}{where}{problem}")

    def _record_changed(self) -> None:
        """Someone committed (here, at another station, on the command line): refresh the
        screen in view, so nobody acts on a stale picture."""
        if self.user is None or self.workspace is None:
            return
        if self.pages.currentWidget() is not self.workspace:
            return
        if self.workspace.currentWidget() is self.bedside and self.bedside is not None:
            self.bedside.reload(changed_elsewhere=True)
        else:
            self._tab_changed(self.workspace.currentIndex())

    def _health_checked(self, health: Health) -> None:
        if health.writable or health == self.health:
            return
        self.health = health
        self.store_banner.setText(health.message or "")
        self.store_banner.setVisible(True)
        if self.record_problem:
            self._show_record_problem()

    def _record_broken(self, message: str) -> None:
        """The database's files were replaced or unlinked under the app: a high alarm that
        stays, since nothing more can be saved from this window."""
        self.record_problem = message
        self._show_record_problem()
        QApplication.beep()

    def _show_record_problem(self) -> None:
        self.store_banner.setText(self.tr("High alarm: {0}").format(self.record_problem))
        self.store_banner.setVisible(True)

    def _no_accounts_yet(self) -> bool:
        """Asked once at start-up; a database that cannot be read shows its banner instead."""
        from infusion_app.services import first_run

        assert self.ctx is not None
        try:
            return first_run.count_users(self.ctx) == 0
        except (StoreError, RecordIntegrityError) as exc:
            shown = self.store_banner.text() if self.store_banner.isVisibleTo(self) else ""
            self.store_banner.setText("\n".join(filter(None, (shown, str(exc)))))
            self.store_banner.setVisible(True)
            return False

    # --- session ----------------------------------------------------------------------------

    def _show_login(self, *, first_run: bool = False, notice: str = "", username: str = "") -> None:
        self.header.setVisible(False)
        self.login.prepare(first_run=first_run, notice=notice, username=username)
        self.pages.setCurrentWidget(self.login)
        self._show_alarm_strip()

    def _logged_in(self, user: CurrentUser) -> None:
        if self.catalog is None:  # the protocols are still loading: seconds at most
            self.user = user  # use_catalog opens the workspace
            self.login.error.setText(self.tr("Reading the protocol files…"))
            return
        same_person = self.user is not None and self.user.id == user.id
        self.user = user
        self.last_activity = datetime.now(UTC) if self.ctx is None else self.ctx.now()
        self._show_who(user)
        if same_person and self.workspace is not None:
            self.pages.setCurrentWidget(self.workspace)  # the screen kept at the idle lock
            self._show_alarm_strip()
            self._set_user_everywhere(user)
            return
        self._open_workspace(user)
        ctx = self.ctx
        if (
            ctx is not None
            and self.bedside is not None
            and may(user.role, Action.RECORD_INFUSION_EVENT)
        ):
            from infusion_app.services import views

            self.tasks.run(
                lambda: views.open_infusion_at_station(ctx, ctx.station),
                self._land,
                lambda exc: None,  # the list is shown anyway
            )

    def _show_who(self, user: CurrentUser) -> None:
        self.who.setText(
            self.tr("{name} · {role} · station {station}").format(
                name=user.printed_name,
                role=QCoreApplication.translate("Role", user.role.value),
                station=self.ctx.station if self.ctx is not None else "",
            )
        )
        self.header.setVisible(True)

    def _open_workspace(self, user: CurrentUser, keep: str | None = None) -> None:
        """The role's screens only: what a role may not use is not built at all."""
        from infusion_app.ui.accounts_page import AccountsPage
        from infusion_app.ui.bedside_screen import BedsideScreen
        from infusion_app.ui.monitor_page import MonitorPage
        from infusion_app.ui.patient_page import PatientPage
        from infusion_app.ui.pharmacy_page import PharmacyPage
        from infusion_app.ui.trial_page import TrialPage
        from infusion_app.ui.ward_board_page import WardBoardPage
        from infusion_app.ui.worklist_page import WorklistPage

        ctx, catalog = self.ctx, self.catalog
        assert ctx is not None and catalog is not None  # nobody logs in before attach()
        self._close_workspace()
        tabs = QTabWidget()
        tabs.setObjectName("workspace")
        tabs.setDocumentMode(True)
        tabs.setStyleSheet("QTabBar::tab { min-height: 40px; min-width: 140px; }")
        role = user.role
        if role is Role.PHARMACIST:
            self.pharmacy = PharmacyPage(ctx, self.tasks, catalog)
            self.pharmacy.setObjectName("pharmacyPage")
            tabs.addTab(self.pharmacy, self.tr("Pharmacy"))
        if role in (Role.NURSE, Role.PHARMACIST):
            self.worklist = WorklistPage(ctx, self.tasks, catalog)
            self.worklist.open_infusion.connect(self.open_infusion)
            self.worklist.open_patient.connect(self.open_patient)
            self.worklist.setObjectName("worklistPage")
            tabs.addTab(self.worklist, self.tr("Infusions"))
            self.bedside = BedsideScreen(ctx, self.tasks)
            self.bedside.back_to_list.connect(self._show_worklist)
            self.bedside.alarms_changed.connect(self._show_alarm_strip)
            self.bedside.setObjectName("bedsidePage")
            tabs.addTab(self.bedside, self.tr("Bedside"))
        if role in (Role.MONITOR, Role.ADMIN):
            self.monitor = MonitorPage(ctx, self.tasks, self.translations.language)
            self.monitor.setObjectName("monitorPage")
            tabs.addTab(self.monitor, self.tr("Monitor"))
        if role in (Role.NURSE, Role.MONITOR):  # the charge nurse's and central station's board
            self.ward = WardBoardPage(ctx, self.tasks, self.preferences)
            self.ward.setObjectName("wardBoardPage")
            tabs.addTab(self.ward, self.tr("Ward"))
        if role is Role.ADMIN:  # the administrator's own work (issue 17)
            self.accounts = AccountsPage(ctx, self.tasks)
            self.accounts.setObjectName("accountsPage")
            tabs.addTab(self.accounts, self.tr("Accounts"))
        if role is not Role.ADMIN:  # the course of a patient, read-only
            self.course = PatientPage(ctx, self.tasks)
            self.course.setObjectName("coursePage")
            tabs.addTab(self.course, self.tr("Patient course"))
        if role in (Role.INVESTIGATOR, Role.MONITOR):  # the dose finding; monitors read it
            self.trial = TrialPage(ctx, self.tasks)
            self.trial.setObjectName("trialPage")
            tabs.addTab(self.trial, self.tr("Trial"))
        if self.protocols_page is not None:
            self.protocols_page.setObjectName("protocolsPage")
            tabs.addTab(self.protocols_page, self.tr("Protocols"))
        self.settings_page = SettingsPage(self.translations.language)
        self.settings_page.setObjectName("settingsPage")
        self.settings_page.language_chosen.connect(self.set_language)
        tabs.addTab(self.settings_page, self.tr("Settings"))
        self.workspace = tabs
        self.pages.addWidget(tabs)
        self.pages.setCurrentWidget(tabs)
        self._set_user_everywhere(user)
        tabs.currentChanged.connect(self._tab_changed)
        if keep is not None:
            names = [
                page.objectName() if (page := tabs.widget(i)) else "" for i in range(tabs.count())
            ]
            wanted = names.index(keep) if keep in names else 0
            tabs.setCurrentIndex(wanted)
        self._tab_changed(tabs.currentIndex())

    def _show_alarm_strip(self) -> None:
        """The bedside's most urgent alarm, where the bedside is not in view: another tab,
        or the idle lock (whose workspace, and so the bedside's clock, is kept)."""
        bedside = self.bedside
        alarms = bedside.banner.alarms if bedside is not None and bedside.view else []
        in_view = (
            self.workspace is not None
            and self.pages.currentWidget() is self.workspace
            and self.workspace.currentWidget() is bedside
        )
        if not alarms or in_view or bedside is None or bedside.view is None:
            self.alarm_strip.setVisible(False)
            return
        top = alarms[0]
        label = {
            Priority.HIGH: self.tr("HIGH"),
            Priority.MEDIUM: self.tr("MEDIUM"),
            Priority.LOW: self.tr("Reminder"),
        }[top.priority]
        more = self.tr(" (+{0} more)").format(len(alarms) - 1) if len(alarms) > 1 else ""
        initials = bedside.view.patient.initials
        self.alarm_strip.setText(
            self.tr("{0}: {1} · {2}{3}").format(label, initials, shown(top.message), more)
        )
        self.alarm_strip.setToolTip(self.alarm_strip.text())
        self.alarm_strip.setStyleSheet(
            f"#windowAlarm {{ {ALARM_STYLES[top.priority]} font-size: 13pt; "
            "font-weight: bold; padding: 6px; }"
        )
        self.alarm_strip.setVisible(True)

    def _close_workspace(self) -> None:
        if self.workspace is None:
            return
        page = self.protocols_page
        index = self.workspace.indexOf(page) if page is not None else -1
        if page is not None and index >= 0:  # the protocols page outlives workspaces
            self.workspace.removeTab(index)
            page.setParent(None)
        if self.bedside is not None:
            self.bedside.timer.stop()
        if self.ward is not None:
            self.ward.timer.stop()
        self.pages.removeWidget(self.workspace)
        self.workspace.deleteLater()
        self.workspace = None
        self.worklist = self.bedside = None
        self.pharmacy = self.monitor = self.settings_page = self.course = None
        self.trial = self.ward = self.accounts = None

    def _set_user_everywhere(self, user: CurrentUser | None) -> None:
        pages = (
            self.worklist,
            self.bedside,
            self.pharmacy,
            self.monitor,
            self.course,
            self.trial,
            self.ward,
            self.accounts,
        )
        for page in pages:
            if page is not None:
                page.set_user(user)

    def _tab_changed(self, index: int) -> None:
        self._show_alarm_strip()
        if self.workspace is None:
            return
        page = self.workspace.widget(index)
        if page is self.worklist and self.worklist is not None:
            self.worklist.refresh()
        elif page is self.pharmacy and self.pharmacy is not None:
            self.pharmacy.refresh()
        elif page is self.monitor and self.monitor is not None:
            self.monitor.refresh()
        elif page is self.course and self.course is not None:
            self.course.refresh()
        elif page is self.trial and self.trial is not None:
            self.trial.refresh()
        elif page is self.ward and self.ward is not None:
            self.ward.refresh()
        elif page is self.bedside and self.bedside is not None:
            self.bedside.reload()
        elif page is self.accounts and self.accounts is not None:
            self.accounts.refresh()

    def _land(self, infusion_id: int | None) -> None:
        if infusion_id is not None:
            self.open_infusion(infusion_id)

    def open_infusion(self, infusion_id: int) -> None:
        if self.bedside is None or self.workspace is None:
            return
        self.workspace.setCurrentWidget(self.bedside)
        self.bedside.open(infusion_id)

    def open_patient(self, trial_id: str) -> None:
        """The course page of ``trial_id`` (read when the tab shows, then the patient's)."""
        if self.course is None or self.workspace is None:
            return
        self.course.patient.setEditText(trial_id)
        self.workspace.setCurrentWidget(self.course)
        self.course.open(trial_id)

    def _show_worklist(self) -> None:
        if self.worklist is not None and self.workspace is not None:
            self.workspace.setCurrentWidget(self.worklist)

    def set_language(self, code: str) -> None:
        """Switch now: rebuild every screen in the new language, keep who and where."""
        self.preferences.language = code
        self._use_language(code)
        user = self.user
        current = self.workspace.currentWidget() if self.workspace is not None else None
        keep = current.objectName() if current is not None else None
        infusion = self.bedside.infusion_id if self.bedside is not None else None
        self._close_workspace()
        self._build()
        if user is None:
            self._show_login(first_run=False)
            return
        self._logged_in_again(user, keep, infusion)
        if self.settings_page is not None and keep == self.settings_page.objectName():
            # the chooser the keyboard was on was replaced: without this no widget had it
            self.settings_page.language.setFocus()

    def _logged_in_again(self, user: CurrentUser, keep: str | None, infusion: int | None) -> None:
        self.user = user
        self._show_who(user)
        self._open_workspace(user, keep)
        if infusion is not None and self.bedside is not None:
            # read at once, whichever screen is shown: its countdown and alarms run from now
            self.bedside.open(infusion)

    def log_out(self) -> None:
        self.user = None
        self._close_workspace()
        self._show_login()

    def check_idle(self) -> None:
        """Lock an unattended session; the clock is the context's, so tests move it."""
        ctx = self.ctx
        if ctx is None or self.user is None or self.pages.currentWidget() is self.login:
            return
        if is_idle(self.last_activity, ctx.now(), ctx.policy):
            minutes = ctx.policy.idle_lock_minutes
            self._show_login(
                notice=self.tr("Locked after {0} min without use. Log in to continue.").format(
                    minutes
                ),
                username=self.user.username,
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.ctx is not None:
            self.last_activity = self.ctx.now()
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and isinstance(watched, SPACE_TAKERS)
        ):
            event.accept()  # Space presses the focused button: no shortcut takes it first
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle_timer.stop()
        if self.record_watch is not None:
            self.record_watch.stop()
        if self.bedside is not None:
            self.bedside.timer.stop()
        if self.ward is not None:
            self.ward.timer.stop()
        self.tasks.wait()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)
