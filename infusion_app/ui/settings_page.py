"""Settings a person may change at the station: the interface language (applied at once)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from infusion_app.ui.look import HEADING_STYLE, touch_sized
from infusion_app.ui.translations import LANGUAGES


class SettingsPage(QWidget):
    language_chosen = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("Settings"))
        heading.setStyleSheet(HEADING_STYLE)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(list(LANGUAGES).index(language))
        self.language.currentIndexChanged.connect(
            lambda index: self.language_chosen.emit(self.language.itemData(index))
        )
        touch_sized(self.language)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        note = QLabel(
            self.tr(
                "Patient names and free text are shown as entered, in any language; a "
                "protocol's own texts (its title, groups and rules) in Chinese where the site's "
                "translation has them, else as its file writes them."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)
