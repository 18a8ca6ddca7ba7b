"""A small form in a dialog (a reason, a volume, a new patient): labelled fields, OK/Cancel.

The dialog gathers text only; the service that receives it checks every rule and its error
comes back to the screen, so a rule is never written twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

from infusion_app.ui.look import touch_sized


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    default: str = ""
    choices: tuple[str, ...] = field(default=())  # a drop-down instead of free text
    hint: str = ""


class FormDialog(QDialog):
    def __init__(
        self, parent: QWidget | None, title: str, fields: list[Field], note: str = ""
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
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {
            key: (w.currentText() if isinstance(w, QComboBox) else w.text()).strip()
            for key, w in self.inputs.items()
        }

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, fields: list[Field], note: str = ""
    ) -> dict[str, str] | None:
        """The entered values by key, or None when cancelled. Tests replace this method."""
        dialog = cls(parent, title, fields, note)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.values()
