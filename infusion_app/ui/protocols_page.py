"""The protocols this station runs, with their versions, and any file that failed to load."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.protocol_texts import readable
from infusion_app.ui.look import BANNER_STYLE
from infusion_app.ui.translations import current_language

if TYPE_CHECKING:
    from infusion_app.logic.protocol_files import Catalog


class ProtocolsPage(QWidget):
    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        heading = QLabel(self.tr("Protocols on this station"))
        heading.setObjectName("heading")
        heading.setStyleSheet("font-size: 20pt; font-weight: bold;")

        self.protocol_table = QTableWidget(len(catalog.protocols), 3)
        self.protocol_table.setHorizontalHeaderLabels(
            [self.tr("Protocol"), self.tr("Version"), self.tr("Title")]
        )
        self.protocol_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.protocol_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.protocol_table.verticalHeader().setVisible(False)
        header = self.protocol_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        language = current_language()  # a switch rebuilds the page
        for row, protocol in enumerate(catalog.protocols):
            title = readable(protocol.title, language)
            for column, text in enumerate((protocol.id, protocol.version, title)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # long trial titles are elided in the cell
                self.protocol_table.setItem(row, column, item)

        # A broken protocol file must be visible, not silently missing from the list.
        self.error_label = QLabel("\n".join(str(error) for error in catalog.errors))
        self.error_label.setObjectName("protocolErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet(BANNER_STYLE)
        self.error_label.setVisible(bool(catalog.errors))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(heading)
        layout.addWidget(self.error_label)
        layout.addWidget(self.protocol_table)
