"""One set of vital signs in one row, typed with the keyboard: Tab between fields, Enter
records. The NEWS2 score shows as the values are typed, so the nurse sees it before saving;
the score stored is the one the service computes from the same rule. The row's time is empty
for now; a typed time makes the set a back-entry (ui/entry_time.py)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic import messages as m
from infusion_app.logic import news2
from infusion_app.logic.errors import DomainError
from infusion_app.logic.vitals import AVPU, parse_vitals
from infusion_app.ui.entry_time import row_editor
from infusion_app.ui.look import problem_text, touch_sized
from infusion_app.ui.translations import shown

# the captions are translated where they are shown (lupdate finds them here)
FIELDS = (
    ("temperature_c", QT_TRANSLATE_NOOP("VitalsEntry", "T °C"), 60),
    ("heart_rate_bpm", QT_TRANSLATE_NOOP("VitalsEntry", "HR"), 56),
    ("systolic_mmhg", QT_TRANSLATE_NOOP("VitalsEntry", "SBP"), 56),
    ("diastolic_mmhg", QT_TRANSLATE_NOOP("VitalsEntry", "DBP"), 56),
    ("respiratory_rate_per_min", QT_TRANSLATE_NOOP("VitalsEntry", "RR"), 48),
    ("spo2_pct", "SpO2 %", 56),
)


class VitalsEntry(QGroupBox):
    submitted = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the title sits in the row, not on a line of its own (height is short at 1366x768)
        self.setTitle("")
        self.inputs: dict[str, QLineEdit] = {}
        row = QHBoxLayout()
        # Alt+I goes to the first field: the row had no key of its own, so a nurse at the
        # keyboard could reach it only by tabbing through every button of the bedside
        heading = QLabel(self.tr("Vital s&igns:"))
        heading.setStyleSheet("font-weight: bold;")
        row.addWidget(heading)
        for key, label, width in FIELDS:
            caption = QLabel(self.tr(str(label)))
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setMinimumWidth(width)
            touch_sized(edit)
            edit.textChanged.connect(self._preview)
            edit.returnPressed.connect(self.submit)
            caption.setBuddy(edit)
            row.addWidget(caption)
            row.addWidget(edit, 1)
            self.inputs[key] = edit
        heading.setBuddy(self.inputs["temperature_c"])
        self.oxygen = QCheckBox(self.tr("on O2"))
        self.oxygen.setObjectName("on_oxygen")
        self.oxygen.toggled.connect(self._preview)
        self.avpu = QComboBox()
        self.avpu.setObjectName("avpu")
        self.avpu.addItems(list(AVPU))
        self.avpu.currentIndexChanged.connect(self._preview)
        touch_sized(self.oxygen, self.avpu)
        self.time = row_editor()  # no parent yet: Tab reaches it in the row's order
        self.time.setObjectName("vitalsTime")
        self.time.setMaximumWidth(130)
        self.time.returnPressed.connect(self.submit)
        self.record = QPushButton(self.tr("Record vitals"))
        self.record.setObjectName("recordVitals")
        touch_sized(self.record)
        self.record.clicked.connect(self.submit)
        row.addWidget(self.oxygen)
        row.addWidget(self.avpu)
        row.addWidget(self.time, 1)
        row.addWidget(self.record)
        self.score = QLabel()
        self.score.setObjectName("news2")
        self.score.setWordWrap(True)
        row.addWidget(self.score, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(row)
        self._preview()

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {k: (e.text().strip() or None) for k, e in self.inputs.items()}
        values["on_oxygen"] = self.oxygen.isChecked()
        values["avpu"] = self.avpu.currentText()
        return values

    def fill(self, values: dict[str, Any]) -> None:
        for key, edit in self.inputs.items():
            edit.setText(str(values.get(key, "")))
        self.oxygen.setChecked(bool(values.get("on_oxygen")))
        self.avpu.setCurrentText(str(values.get("avpu", "A")))

    def clear(self) -> None:
        for edit in self.inputs.values():
            edit.clear()
        self.oxygen.setChecked(False)
        self.avpu.setCurrentIndex(0)
        self.time.clear()
        self.inputs["temperature_c"].setFocus()

    def _preview(self) -> None:
        values = self.values()
        if all(values[k] is None for k, _, _ in FIELDS):
            self.score.setText(self.tr("NEWS2: as you type"))
            self.score.setStyleSheet("")
            return
        try:
            scored = news2.score(parse_vitals(values))
        except DomainError as problem:
            self.score.setText(problem_text(problem))
            self.score.setStyleSheet("color: #b00020;")
            return
        band = shown(m.value_of("news2_band", scored.band))
        self.score.setText(self.tr("NEWS2 {0} ({1} risk)").format(scored.total, band))
        alarming = scored.total >= 5
        self.score.setStyleSheet("font-weight: bold;" + (" color: #b00020;" if alarming else ""))

    def submit(self) -> None:
        if self.record.isEnabled():
            self.submitted.emit(self.values())
