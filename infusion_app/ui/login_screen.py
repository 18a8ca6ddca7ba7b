"""Log in, or create the administrator on a station's first run.

The screen only gathers the username and password and shows what the service answered; the
rules (lockout, password length, first account = admin) live in services.accounts.

An account whose password an administrator gave logs in only into the change of it
(:class:`~infusion_app.ui.password_change_dialog.PasswordChangeDialog`): no workspace opens
until the change is saved, and cancelling it leaves the person at the login.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.errors import ErrorKind, kind_of
from infusion_app.ui.look import ERROR_STYLE, failure_text, problem_text
from infusion_app.ui.password_change_dialog import Answer, PasswordChangeDialog
from infusion_app.ui.tasks import Tasks

if TYPE_CHECKING:  # the store loads after the window is shown (ui/app.py)
    from infusion_app.services.context import AppContext, CurrentUser


class LoginScreen(QWidget):
    logged_in = Signal(object)  # CurrentUser

    def __init__(self, ctx: AppContext | None, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.first_run = False
        self.checking = False
        self.sent_early = False  # Enter pressed while the record was still opening

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.printed_name = QLineEdit()
        self.printed_name.setObjectName("printedName")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.submit = QPushButton()
        self.submit.setObjectName("submit")
        self.submit.setDefault(True)
        self.submit.setMinimumHeight(48)
        self.submit.clicked.connect(self._submit)
        for field in (self.username, self.printed_name, self.password, self.repeat):
            field.setMinimumHeight(40)
            field.returnPressed.connect(self._submit)

        self.form = QFormLayout()
        self.form.addRow(self.tr("Username"), self.username)
        self.form.addRow(self.tr("Printed name"), self.printed_name)
        self.form.addRow(self.tr("Password"), self.password)
        self.form.addRow(self.tr("Repeat password"), self.repeat)

        box = QWidget()
        box.setMinimumWidth(520)
        box.setMaximumWidth(640)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.notice)
        inner.addLayout(self.form)
        inner.addWidget(self.error)
        inner.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def prepare(self, *, first_run: bool, notice: str = "", username: str = "") -> None:
        """Show the login (or the first-run form) with an optional notice, e.g. "locked"."""
        self._use_mode(first_run, notice)
        self.sent_early = False
        self.username.setText(username)
        self.username.setReadOnly(bool(username))
        for field in (self.password, self.repeat, self.printed_name):
            field.clear()
        self.error.setText("" if self.ctx is not None else self.tr("Opening the record…"))
        self.submit.setEnabled(self.ctx is not None)
        (self.password if username else self.username).setFocus()

    def set_ready(self, ctx: AppContext, *, first_run: bool) -> None:
        """The record is open: the form shown and perhaps being filled since the window
        appeared can now be sent. Nothing typed, no focus and no cursor moves: a nurse
        halfway through her username goes on typing it."""
        self.ctx = ctx
        changed = first_run != self.first_run
        self._use_mode(first_run, "")
        self.submit.setEnabled(True)
        self.error.clear()
        sent, self.sent_early = self.sent_early, False
        if sent and not changed:  # the first-run form asks for more than was filled
            self._submit()

    def _use_mode(self, first_run: bool, notice: str) -> None:
        self.first_run = first_run
        self.title.setText(self.tr("Create the administrator") if first_run else self.tr("Log in"))
        self.notice.setText(
            self.tr(
                "This station has no accounts yet. The first account administers the "
                "others and signs no clinical act."
            )
            if first_run
            else notice
        )
        self.notice.setVisible(bool(self.notice.text()))
        for field in (self.printed_name, self.repeat):
            self.form.setRowVisible(field, first_run)
        self.submit.setText(self.tr("Create administrator") if first_run else self.tr("Log in"))

    def _submit(self) -> None:
        ctx = self.ctx
        if ctx is None:  # sent as soon as the record is open (set_ready)
            self.sent_early = True
            return
        if self.checking:  # its own request only, not a refresh behind it
            return
        username, password = self.username.text().strip(), self.password.text()
        if self.first_run:
            if password != self.repeat.text():
                self.error.setText(self.tr("password: the two entries differ"))
                return
            name = self.printed_name.text().strip()
            call = lambda: _create_first_admin(ctx, username, name, password)  # noqa: E731
        else:
            call = lambda: _log_in(ctx, username, password)  # noqa: E731
        self.checking = True
        self.submit.setEnabled(False)
        self.error.setText(self.tr("Checking…"))
        self.tasks.run(call, self._done, self._failed)

    def _done(self, user: CurrentUser) -> None:
        self.checking = False
        self.submit.setEnabled(True)
        self.password.clear()
        self.repeat.clear()
        self.error.clear()
        if user.must_change_password:
            changed = self._change_password(user)
            if changed is None:
                self.error.setText(
                    self.tr("Your password must be changed before you can continue.")
                )
                self.password.setFocus()
                return
            user = changed
        self.logged_in.emit(user)

    def _change_password(self, user: CurrentUser) -> CurrentUser | None:
        """The forced change, in its dialog; the account free to act, or None (cancelled)."""
        ctx = self.ctx
        assert ctx is not None  # a login came back from it
        from infusion_app.services import accounts

        changed: list[CurrentUser] = []

        def submit(old: str, new: str, answer: Answer) -> None:
            def done(account: CurrentUser) -> None:
                changed.append(account)
                answer(None)

            self.tasks.run(
                lambda: accounts.change_own_password(ctx, user.username, old, new),
                done,
                lambda exc: answer(failure_text(exc)),
            )

        if not PasswordChangeDialog.ask(self, username=user.username, submit=submit):
            return None
        return changed[0] if changed else None

    def _failed(self, exc: Exception) -> None:
        self.checking = False
        self.submit.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        shown = failure_text(exc)  # logs what support needs; a bug's text names the log file
        # a refusal said as a message value (deactivated, locked) in the interface's language
        self.error.setText(shown if kind_of(exc) is ErrorKind.BUG else problem_text(exc))


# The accounts service is imported on the worker that calls it: at the app's start a quick
# login may come before the window has loaded it, and the UI thread must not pay the import
# of its event models (issue 18, "login enabled").


def _log_in(ctx: AppContext, username: str, password: str) -> CurrentUser:
    from infusion_app.services import model_layer

    model_layer.load()  # beside the window's own loads (services/model_layer.py)
    from infusion_app.services import accounts

    return accounts.log_in(ctx, username, password)


def _create_first_admin(
    ctx: AppContext, username: str, printed_name: str, password: str
) -> CurrentUser:
    from infusion_app.services import model_layer

    model_layer.load()
    from infusion_app.services import accounts

    return accounts.create_first_admin(ctx, username, printed_name, password)
