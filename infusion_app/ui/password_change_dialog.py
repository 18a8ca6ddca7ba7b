"""The first login of an account whose password an administrator gave (a new account, a
reset): before any workspace opens, the user replaces it with one only they know.

The dialog gathers the current password and the new one twice, masked, and stays open while
the change is saved (as the signature dialog does): a refusal (a wrong current password, a
new one that breaks the rule or equals the old one) is one line in the dialog, and the user
tries again or cancels, which leaves them at the login.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infusion_app.ui.look import ERROR_STYLE, give_focus_back, touch_sized

# ``answer(None)``: changed, close; ``answer(text)``: refused, stay open and show ``text``.
Answer = Callable[[str | None], None]
Submit = Callable[[str, str, Answer], None]  # current password, new password, answer


class PasswordChangeDialog(QDialog):
    def __init__(self, parent: QWidget | None, *, username: str, submit: Submit) -> None:
        super().__init__(parent)
        self.submit = submit
        self.pending = False
        self.setWindowTitle(self.tr("Change your password"))
        self.setMinimumWidth(560)
        notice = QLabel(
            self.tr(
                "The password of {0} was set by an administrator. Choose your own before you "
                "continue: nobody else may know it."
            ).format(username)
        )
        notice.setWordWrap(True)
        self.current = self._masked("currentPassword")
        self.new = self._masked("newPassword")
        self.repeat = self._masked("repeatPassword")
        form = QFormLayout()
        form.addRow(self.tr("&Current password"), self.current)
        form.addRow(self.tr("&New password"), self.new)
        form.addRow(self.tr("&Repeat new password"), self.repeat)
        self.problem = QLabel()
        self.problem.setObjectName("passwordProblem")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.change_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.change_button.setText(self.tr("Change password"))
        self.change_button.setObjectName("changePassword")
        self.change_button.setDefault(True)
        touch_sized(self.change_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self._change)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(notice)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.current.setFocus()

    def _masked(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        touch_sized(field)
        return field

    def _change(self) -> None:
        if self.pending:
            return
        if self.new.text() != self.repeat.text():
            self._refused(self.tr("new password: the two entries differ"))
            return
        self.pending = True
        self.buttons.setEnabled(False)
        self.problem.setStyleSheet("")
        self.problem.setText(self.tr("Checking and saving…"))
        self.submit(self.current.text(), self.new.text(), self._answered)

    def _answered(self, problem: str | None) -> None:
        self.pending = False
        if problem is None:
            self.accept()
            return
        self._refused(problem)

    def _refused(self, problem: str) -> None:
        self.problem.setText(problem)
        self.problem.setStyleSheet(ERROR_STYLE)
        self.buttons.setEnabled(True)
        for field in (self.current, self.new, self.repeat):
            field.clear()  # never left on screen
        self.current.setFocus()

    def reject(self) -> None:
        if not self.pending:  # a change being saved is not cancelled half-way
            super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, *, username: str, submit: Submit) -> bool:
        """True once the password was changed; False when the person cancelled. Tests
        replace this method."""
        dialog = cls(parent, username=username, submit=submit)
        changed = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        give_focus_back(parent)
        return changed
