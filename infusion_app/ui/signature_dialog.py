"""The electronic signature: the signer sees what they sign, its meaning and their printed
name, and re-enters their password (21 CFR 11.50 and 11.200)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infusion_app.ui.look import touch_sized


class SignatureDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, *, what: str, meaning: str, printed_name: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Electronic signature"))
        self.setMinimumWidth(520)
        statement = QLabel(
            self.tr("By entering my password I sign this record as {meaning}.").format(
                meaning=meaning
            )
        )
        statement.setWordWrap(True)
        statement.setStyleSheet("font-weight: bold;")
        self.what = QLabel(what)
        self.what.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("signaturePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        touch_sized(self.password)
        form = QFormLayout()
        form.addRow(self.tr("Signing"), self.what)
        form.addRow(self.tr("Meaning"), QLabel(meaning))
        form.addRow(self.tr("Printed name"), QLabel(printed_name))
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Sign"))
        touch_sized(ok, buttons.button(QDialogButtonBox.StandardButton.Cancel))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(statement)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus()

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, what: str, meaning: str, printed_name: str
    ) -> str | None:
        """The password, or None when the person cancelled. Tests replace this method."""
        dialog = cls(parent, what=what, meaning=meaning, printed_name=printed_name)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.password.text()
