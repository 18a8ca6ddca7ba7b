"""A small form in a dialog (a reason, a volume, a new patient): labelled fields, OK/Cancel.

The dialog gathers text only; the service that receives it checks every rule and its error
comes back to the screen, so a rule is never written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infusion_app.ui.look import give_focus_back, station_time, touch_sized


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    default: str = ""
    choices: tuple[str, ...] = field(default=())  # a drop-down instead of free text
    hint: str = ""
    # typed masked and given back exactly as typed (not stripped: the service's rule refuses
    # surrounding spaces rather than the dialog silently removing them)
    password: bool = False


class FormDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        fields: list[Field],
        note: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        form = QFormLayout()
        for spec in fields:
            widget: QLineEdit | QComboBox
            if spec.choices:
                widget = QComboBox()
                widget.addItems(list(spec.choices))
                if spec.default in spec.choices:
                    widget.setCurrentText(spec.default)
            else:
                widget = QLineEdit(spec.default)
                widget.setPlaceholderText(spec.hint)
                if spec.password:
                    widget.setEchoMode(QLineEdit.EchoMode.Password)
            widget.setObjectName(spec.key)
            touch_sized(widget)
            self.inputs[spec.key] = widget
            form.addRow(spec.label, widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        touch_sized(*buttons.buttons())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if note:
            shown = QLabel(note)
            shown.setWordWrap(True)
            layout.addWidget(shown)
        layout.addLayout(form)
        # an entry for the record says when it will be recorded: the clock's now, kept live
        self.clock = clock
        self.when = QLabel()
        self.when.setObjectName("formWhen")
        self.when.setVisible(clock is not None)
        layout.addWidget(self.when)
        layout.addWidget(buttons)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._show_time)
        if clock is not None:
            self.timer.start()
            self._show_time()

    def _show_time(self) -> None:
        if self.clock is not None:
            self.when.setText(
                self.tr("Time: {0} (now, when you confirm)").format(station_time(self.clock()))
            )

    def values(self) -> dict[str, str]:
        return {
            key: w.currentText().strip()
            if isinstance(w, QComboBox)
            else w.text()
            if w.echoMode() is QLineEdit.EchoMode.Password
            else w.text().strip()
            for key, w in self.inputs.items()
        }

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        fields: list[Field],
        note: str = "",
        clock: Callable[[], datetime] | None = None,
    ) -> dict[str, str] | None:
        """The entered values by key, or None when cancelled. Tests replace this method."""
        dialog = cls(parent, title, fields, note, clock)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        values = dialog.values() if accepted else None
        dialog.deleteLater()
        give_focus_back(parent)
        return values
