"""The administrator's Accounts tab: every account with its state, and the acts on them.

Until issue 17 an administrator could add an account only in a terminal, with passwords on
standard input. Here each act is a dialog for what needs typing (FormDialog, passwords
masked), then the administrator's electronic signature (their password re-entered, meaning
"approved", as ``user ... --by`` proves it on the command line), saved from the open
signature dialog off the UI thread, a one-line outcome and the list read again. The rules
(who may, a deactivated account is final, an administrator does not lock or reset their own
account) are the service's: the buttons only follow the selected account's state, so nobody
is offered what will be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from infusion_app.logic.roles import Role
from infusion_app.services import accounts
from infusion_app.services.accounts import AccountRow
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import (
    HEADING_STYLE,
    failure_text,
    local_time,
    read_only_table,
    role_name,
    say,
    touch_sized,
)
from infusion_app.ui.signature_dialog import sign_and_save
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown

ROLES = tuple(role.value for role in Role)


def role_names() -> tuple[str, ...]:
    """The roles offered in the dialogs, in the interface's words."""
    return tuple(role_name(role) for role in ROLES)


def role_value(name: str) -> str:
    """The stored role of a name the dialog offered (a value given as is stays as is)."""
    return next((role for role in ROLES if role_name(role) == name), name)


class AccountsPage(QWidget):
    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.rows: list[AccountRow] = []
        self.acting = False

        heading = QLabel(self.tr("Accounts"))
        heading.setStyleSheet(HEADING_STYLE)
        self.table = read_only_table(
            [
                self.tr("Username"),
                self.tr("Printed name"),
                self.tr("Role"),
                self.tr("State"),
                self.tr("Created"),
            ]
        )
        self.table.setObjectName("accounts")
        self.table.selection_changed.connect(self._selected)

        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.setObjectName("addAccount")
        self.role_button = QPushButton(self.tr("Change &role…"))
        self.role_button.setObjectName("changeRole")
        self.reset_button = QPushButton(self.tr("Reset &password…"))
        self.reset_button.setObjectName("resetPassword")
        self.lock_button = QPushButton(self.tr("&Lock"))
        self.lock_button.setObjectName("lockAccount")
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setObjectName("unlockAccount")
        self.deactivate_button = QPushButton(self.tr("&Deactivate…"))
        self.deactivate_button.setObjectName("deactivateAccount")
        self.buttons = (
            self.add_button,
            self.role_button,
            self.reset_button,
            self.lock_button,
            self.unlock_button,
            self.deactivate_button,
        )
        for button in self.buttons:
            button.setProperty("writes", True)
            touch_sized(button)
        self.add_button.clicked.connect(self._add)
        self.role_button.clicked.connect(self._change_role)
        self.reset_button.clicked.connect(self._reset_password)
        self.lock_button.clicked.connect(self._lock)
        self.unlock_button.clicked.connect(self._unlock)
        self.deactivate_button.clicked.connect(self._deactivate)
        self.message = QLabel()
        self.message.setObjectName("accountsMessage")
        self.message.setWordWrap(True)

        row = QHBoxLayout()
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        # Tab: the list, then the buttons left to right (the order they are laid out in)
        QWidget.setTabOrder(self.table, self.add_button)
        for before, after in zip(self.buttons, self.buttons[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self._selected()

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user

    # --- the list --------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the accounts off the UI thread; keep (or move to) the selected one."""
        current = select or self._current_username()
        self.tasks.run(
            lambda: accounts.list_accounts(self.ctx),
            lambda rows: self._show(rows, current),
            lambda exc: say(self.message, failure_text(exc), error=True),
        )

    def _show(self, rows: list[AccountRow], select: str | None) -> None:
        self.rows = rows
        self.table.set_rows(
            [
                [
                    r.username,
                    r.printed_name,
                    role_name(r.role),
                    "; ".join(shown(state) for state in r.states),
                    local_time(r.created_at, with_date=True),
                ]
                for r in rows
            ]
        )
        wanted = next((i for i, r in enumerate(rows) if r.username == select), None)
        if wanted is not None:
            self.table.selectRow(wanted)
        self._selected()

    def _current_username(self) -> str | None:
        row = self._current()
        return row.username if row is not None else None

    def _current(self) -> AccountRow | None:
        index = self.table.currentRow()
        return (
            self.rows[index] if 0 <= index < len(self.rows) and self.table.has_selection() else None
        )

    def _selected(self) -> None:
        """The buttons follow the selected account's state (the service decides anyway)."""
        row = self._current()
        own = row is not None and self.user is not None and row.username == self.user.username
        open_ = row is not None and row.deactivated_at is None
        self.add_button.setEnabled(not self.acting)
        enabled = {
            self.role_button: open_ and not own,
            self.reset_button: open_ and not own,
            self.lock_button: open_ and not own and row is not None and not row.locked_by_admin,
            self.unlock_button: open_
            and row is not None
            and (row.locked_by_admin or row.locked_until is not None),
            self.deactivate_button: open_ and not own,
        }
        for button, on in enabled.items():
            button.setEnabled(on and not self.acting)

    # --- the acts --------------------------------------------------------------------------

    def _add(self) -> None:
        values = FormDialog.ask(
            self,
            self.tr("Add an account"),
            [
                Field("username", self.tr("&Username"), hint=self.tr("letters, digits, . or _")),
                Field("name", self.tr("&Printed name"), hint=self.tr("as on signatures")),
                Field(
                    "role", self.tr("&Role"), default=role_name(Role.NURSE), choices=role_names()
                ),
                Field("password", self.tr("&First password"), password=True),
                Field("repeat", self.tr("R&epeat first password"), password=True),
            ],
            self.tr("The user must change the first password at first login."),
        )
        if values is None or not self._same(values):
            return
        username = values["username"]
        self._act(
            self.tr("Add the account {0} ({1}, {2})").format(
                username, values["name"], values["role"]
            ),
            lambda ctx, admin, signature: accounts.create_user(
                ctx,
                admin,
                username,
                values["name"],
                role_value(values["role"]),
                values["password"],
                admin_password=signature,
                must_change_password=True,
            ),
            self.tr("Added {0} ({1}): the first password must be changed at first login.").format(
                username, values["role"]
            ),
            username,
        )

    def _change_role(self) -> None:
        row = self._current()
        if row is None:
            return
        values = FormDialog.ask(
            self,
            self.tr("Change the role of {0}").format(row.username),
            [Field("role", self.tr("&Role"), default=role_name(row.role), choices=role_names())],
        )
        if values is None:
            return
        role = role_value(values["role"])
        self._act(
            self.tr("Change the role of {0} from {1} to {2}").format(
                row.username, role_name(row.role), role_name(role)
            ),
            lambda ctx, admin, signature: accounts.change_role(
                ctx, admin, row.username, role, admin_password=signature
            ),
            self.tr("{0} is now {1}.").format(row.username, role_name(role)),
            row.username,
        )

    def _reset_password(self) -> None:
        row = self._current()
        if row is None:
            return
        values = FormDialog.ask(
            self,
            self.tr("Reset the password of {0}").format(row.username),
            [
                Field("password", self.tr("&New first password"), password=True),
                Field("repeat", self.tr("R&epeat it"), password=True),
            ],
            self.tr("The user must change it at next login. A lockout after failed attempts ends."),
        )
        if values is None or not self._same(values):
            return
        password = values["password"]
        self._act(
            self.tr("Reset the password of {0}").format(row.username),
            lambda ctx, admin, signature: accounts.reset_password(
                ctx, admin, row.username, password, admin_password=signature
            ),
            self.tr("Password of {0} reset: to be changed at next login.").format(row.username),
            row.username,
        )

    def _lock(self) -> None:
        row = self._current()
        if row is None:
            return
        self._act(
            self.tr("Lock {0} until an administrator unlocks the account").format(row.username),
            lambda ctx, admin, signature: accounts.lock(
                ctx, admin, row.username, admin_password=signature
            ),
            self.tr("{0} is locked until unlocked.").format(row.username),
            row.username,
        )

    def _unlock(self) -> None:
        row = self._current()
        if row is None:
            return
        self._act(
            self.tr("Unlock {0}").format(row.username),
            lambda ctx, admin, signature: accounts.unlock(
                ctx, admin, row.username, admin_password=signature
            ),
            self.tr("{0} is unlocked.").format(row.username),
            row.username,
        )

    def _deactivate(self) -> None:
        row = self._current()
        if row is None:
            return
        values = FormDialog.ask(
            self,
            self.tr("Deactivate {0}").format(row.username),
            [Field("reason", self.tr("&Reason"), hint=self.tr("why, for the audit trail"))],
            self.tr(
                "A deactivated account never logs in or signs again. It stays in the list and "
                "in the audit trail; it cannot be reactivated."
            ),
        )
        if values is None:
            return
        reason = values["reason"]
        self._act(
            self.tr("Deactivate {0}: {1}").format(row.username, reason),
            lambda ctx, admin, signature: accounts.deactivate(
                ctx, admin, row.username, reason, admin_password=signature
            ),
            self.tr("{0} is deactivated.").format(row.username),
            row.username,
        )

    # --- helpers ---------------------------------------------------------------------------

    def _same(self, values: dict[str, str]) -> bool:
        if values["password"] == values["repeat"]:
            return True
        say(
            self.message,
            self.tr("Password: the two entries differ. Nothing was saved."),
            error=True,
        )
        return False

    def _act(
        self,
        what: str,
        call: Callable[[AppContext, CurrentUser, str], Any],
        done: str,
        select: str,
    ) -> None:
        """The administrator signs ``what``; the change is saved from the open signature
        dialog off the UI thread (a wrong password keeps it open and is recorded), then its
        one-line outcome and the list read again."""
        admin = self.user
        if admin is None or self.acting:
            return
        self.acting = True
        self._selected()
        ctx = self.ctx

        def finished(text: str, *, error: bool) -> None:
            self.acting = False
            say(self.message, text, ok=not error, error=error)
            self.refresh(select)

        sign_and_save(
            self,
            self.tasks,
            what=what,
            meaning=self.tr("approved"),
            printed_name=admin.printed_name,
            act=lambda signature: call(ctx, admin, signature),
            signed=lambda: finished(done, error=False),
            # a wrong password is not the act's end: the dialog stays open and says it there
            refused=lambda exc, text: (
                None if isinstance(exc, AuthenticationFailed) else finished(text, error=True)
            ),
        )
        if self.acting:  # cancelled: nothing was saved
            self.acting = False
            self._selected()
