"""A reaction or other adverse event: CTCAE v5.0 term and grade (only the grades CTCAE defines
for the term), attribution, seriousness, action and outcome. For fever the grade is suggested
from the highest temperature of this infusion; the nurse may choose another.

An AE of the patient (recorded on the patient page, not at an infusion: ``patient`` given)
has no temperatures to suggest a grade from, and asks when it began (its onset, which may lie
well before the entry: a fever at home told at a visit); left empty, it began when entered."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import (
    GRADES,
    ActionTaken,
    Attribution,
    Outcome,
    Term,
    fever_grade,
)
from infusion_app.ui.entry_time import EntryTime
from infusion_app.ui.look import give_focus_back, touch_sized
from infusion_app.ui.translations import shown

ONSET = "onset"  # the key of a patient's AE's onset, as typed


def _choices(box: QComboBox, kind: str, values: type[StrEnum]) -> None:
    """Each stored value as an item, shown in the window's language (CTCAE terms by their
    published Chinese names); the service gets the stored value (the item's data)."""
    for value in values:
        box.addItem(shown(m.value_of(kind, value.value)), value.value)


class AdverseEventDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        peak_temperature: Decimal | None,
        time: EntryTime | None = None,
        patient: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.time = time
        self.patient = patient
        self.setWindowTitle(
            self.tr("Reaction / adverse event (CTCAE v5.0)")
            if patient is None
            else self.tr("Adverse event of patient {0} (CTCAE v5.0)").format(patient)
        )
        self.setMinimumWidth(600)
        self.peak = peak_temperature
        self.term = QComboBox()
        self.term.setObjectName("term")
        _choices(self.term, "ae_term", Term)
        self.other = QLineEdit()
        self.other.setObjectName("other_term")
        self.grade = QComboBox()
        self.grade.setObjectName("grade")
        self.suggestion = QLabel()
        self.suggestion.setObjectName("feverSuggestion")
        self.attribution = QComboBox()
        self.attribution.setObjectName("attribution")
        _choices(self.attribution, "attribution", Attribution)
        self.attribution.setCurrentIndex(self.attribution.findData(Attribution.POSSIBLE.value))
        self.serious = QCheckBox(self.tr("Serious (SAE: report within 24 h)"))
        self.serious.setObjectName("serious")
        self.action = QComboBox()
        self.action.setObjectName("action_taken")
        _choices(self.action, "action_taken", ActionTaken)
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        _choices(self.outcome, "ae_outcome", Outcome)
        self.description = QLineEdit()
        self.description.setObjectName("description")
        self.onset: QLineEdit | None = None
        if patient is not None:
            self.onset = QLineEdit()
            self.onset.setObjectName("onset")
            self.onset.setPlaceholderText(self.tr("empty: when entered (HH:MM / YYYY-MM-DD HH:MM)"))
            touch_sized(self.onset)
        touch_sized(
            self.term,
            self.other,
            self.grade,
            self.attribution,
            self.serious,
            self.action,
            self.outcome,
            self.description,
        )
        form = QFormLayout()
        form.addRow(self.tr("Term"), self.term)
        form.addRow(self.tr("Other term"), self.other)
        form.addRow(self.tr("Grade"), self.grade)
        form.addRow("", self.suggestion)
        form.addRow(self.tr("Attribution"), self.attribution)
        form.addRow("", self.serious)
        form.addRow(self.tr("Action taken"), self.action)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow(self.tr("Description"), self.description)
        if self.onset is not None:
            form.addRow(self.tr("Onset"), self.onset)
        self.time_edit = None
        if time is not None:  # when it was recorded at the bedside (ui/entry_time.py)
            self.time_edit = time.editor()
            form.addRow(self.tr("Time of the entry"), self.time_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        touch_sized(*buttons.buttons())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.term.currentIndexChanged.connect(self._term_changed)
        self._term_changed()

    def _term_changed(self) -> None:
        term = Term(self.term.currentData())
        self.grade.clear()
        self.grade.addItems([str(g) for g in GRADES[term]])
        self.other.setEnabled(term is Term.OTHER)
        suggested = None
        if term is Term.FEVER and self.peak is not None:
            suggested = fever_grade(self.peak)
        if suggested is not None:
            self.grade.setCurrentText(str(suggested))
            self.suggestion.setText(
                self.tr("Suggested grade {0} from the highest temperature, {1} °C").format(
                    suggested, self.peak
                )
            )
        elif term is Term.FEVER and self.patient is None:
            self.suggestion.setText(self.tr("No temperature of 38.0 °C or more recorded"))
        else:
            self.suggestion.setText("")

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments; a patient's AE adds ``onset``, the text typed for
        its onset ("" for when entered), which the page reads in the protocol's zone."""
        values: dict[str, Any] = {
            "term": self.term.currentData(),
            "other_term": self.other.text().strip() or None,
            "grade": int(self.grade.currentText()),
            "attribution": self.attribution.currentData(),
            "serious": self.serious.isChecked(),
            "action_taken": self.action.currentData(),
            "outcome": self.outcome.currentData(),
            "description": self.description.text().strip() or None,
        }
        if self.onset is not None:
            values[ONSET] = self.onset.text().strip()
        return values

    def accept(self) -> None:
        if self.time is not None and self.time_edit is not None:
            self.time.take(self.time_edit.text())
        super().accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        peak_temperature: Decimal | None,
        time: EntryTime | None = None,
        patient: str | None = None,
    ) -> dict[str, Any] | None:
        """The entry as keyword arguments of the service, or None (``time`` then holds the
        time entered). Tests replace this."""
        dialog = cls(parent, peak_temperature, time, patient)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        give_focus_back(parent)
        return dialog.values() if accepted else None
