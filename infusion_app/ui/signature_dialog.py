"""The electronic signature: the signer sees what they sign, its meaning and their printed
name, and re-enters their password (21 CFR 11.50 and 11.200).

With ``submit`` the dialog stays open while the signed act is saved: a wrong password keeps
it open, says so and how many attempts failed (each one is recorded in the system log by the
service and counts towards the account's lockout), and the signer tries again or cancels.

With ``time`` (ui/entry_time.py) the signed act's time is a field under the password,
offered as now (Tab reaches it); ``submit`` reads it when the password is given.
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

from infusion_app.services.context import AuthenticationFailed
from infusion_app.ui.entry_time import EntryTime
from infusion_app.ui.look import ERROR_STYLE, failure_text, give_focus_back, touch_sized
from infusion_app.ui.tasks import Tasks

# ``answer(None)``: done, close (success, or a refusal the screen shows); ``answer(text)``:
# the password was not accepted, stay open and show ``text``.
Answer = Callable[[str | None], None]
Submit = Callable[[str, Answer], None]


class SignatureDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        what: str,
        meaning: str,
        printed_name: str,
        submit: Submit | None = None,
        time: EntryTime | None = None,
    ) -> None:
        super().__init__(parent)
        self.submit = submit
        self.time = time
        self.failures = 0
        self.pending = False
        self.setWindowTitle(self.tr("Electronic signature"))
        self.setMinimumWidth(760)
        statement = QLabel(
            self.tr("By entering my password I sign this record as {meaning}.").format(
                meaning=meaning
            )
        )
        statement.setWordWrap(True)
        statement.setStyleSheet("font-weight: bold;")
        self.what = QLabel(what)
        self.what.setObjectName("signatureWhat")
        self.what.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("signaturePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        touch_sized(self.password)
        self.problem = QLabel()
        self.problem.setObjectName("signatureProblem")
        self.problem.setWordWrap(True)
        signing = QLabel(self.tr("Signing"))
        signing.setStyleSheet("font-weight: bold;")
        form = QFormLayout()
        form.addRow(self.tr("Meaning"), QLabel(meaning))
        form.addRow(self.tr("Printed name"), QLabel(printed_name))
        form.addRow(self.tr("Password"), self.password)
        self.time_edit = None
        if time is not None:
            self.time_edit = time.editor()
            form.addRow(self.tr("Time of the act"), self.time_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText(self.tr("Sign"))
        self.sign_button.setObjectName("sign")
        touch_sized(self.sign_button, self.buttons.button(QDialogButtonBox.StandardButton.Cancel))
        self.buttons.accepted.connect(self._sign)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        # what is signed gets the dialog's whole width (several lines for a dose), outside
        # the form, where a wrapped label was cut short
        layout.addWidget(signing)
        layout.addWidget(self.what)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def _sign(self) -> None:
        if self.pending:
            return
        if self.time is not None and self.time_edit is not None:
            self.time.take(self.time_edit.text())
        if self.submit is None:
            self.accept()
            return
        self.pending = True
        self.buttons.setEnabled(False)
        self.password.setEnabled(False)
        self.problem.setStyleSheet("")
        self.problem.setText(self.tr("Checking the password and saving…"))
        self.submit(self.password.text(), self._answered)

    def _answered(self, problem: str | None) -> None:
        self.pending = False
        if problem is None:
            self.accept()
            return
        self.failures += 1
        self.problem.setText(
            self.tr("Not signed: {0}. Failed attempts: {1} (each is recorded in the log).").format(
                problem.rstrip("."), self.failures
            )
        )
        self.problem.setStyleSheet(ERROR_STYLE)
        self.buttons.setEnabled(True)
        self.password.setEnabled(True)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        if not self.pending:  # an act being saved is not cancelled half-way
            super().reject()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        what: str,
        meaning: str,
        printed_name: str,
        submit: Submit | None = None,
        time: EntryTime | None = None,
    ) -> str | None:
        """The password, or None when the person cancelled. Tests replace this method."""
        dialog = cls(
            parent, what=what, meaning=meaning, printed_name=printed_name, submit=submit, time=time
        )
        signed = dialog.exec() == QDialog.DialogCode.Accepted
        password = dialog.password.text()
        dialog.deleteLater()
        give_focus_back(parent)
        return password if signed else None


def sign_and_save(
    parent: QWidget,
    tasks: Tasks,
    *,
    what: str,
    meaning: str,
    printed_name: str,
    act: Callable[[str], object],
    signed: Callable[[], None],
    refused: Callable[[Exception, str], None],
) -> None:
    """Ask for the signature and save ``act(password)`` off the UI thread from the open
    dialog: a wrong password keeps it open and says so; any other refusal closes it. The
    screen hears the outcome through ``signed`` or ``refused`` (the error and its one line)."""

    def submit(password: str, answer: Answer) -> None:
        def done(_result: object) -> None:
            answer(None)
            signed()

        def failed(exc: Exception) -> None:
            text = failure_text(exc)
            answer(text if isinstance(exc, AuthenticationFailed) else None)
            refused(exc, text)

        tasks.run(lambda: act(password), done, failed)

    SignatureDialog.ask(
        parent, what=what, meaning=meaning, printed_name=printed_name, submit=submit
    )
