"""The main window. For now it shows which protocols (with their versions) this station runs;
the login, pharmacy, bedside and monitor screens arrive with the desktop-application work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infusion_app import APP_NAME, __version__
from infusion_app.logic.protocol_files import Catalog
from infusion_app.store.database import Health

BANNER_STYLE = "background: #8b0000; color: white; font-weight: bold; padding: 8px;"


class MainWindow(QMainWindow):
    def __init__(
        self,
        catalog: Catalog,
        health: Health | None = None,
        database: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        health = health or Health(writable=True)
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(1024, 640)

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
        for row, protocol in enumerate(catalog.protocols):
            for column, text in enumerate((protocol.id, protocol.version, protocol.title)):
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

        # A damaged or write-protected database stays readable; the banner says nothing
        # can be recorded, so nobody at the bedside believes an entry was saved.
        self.store_banner = QLabel(health.message or "")
        self.store_banner.setObjectName("storeBanner")
        self.store_banner.setWordWrap(True)
        self.store_banner.setStyleSheet(BANNER_STYLE)
        self.store_banner.setVisible(not health.writable)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(16)
        layout.addWidget(self.store_banner)
        layout.addWidget(heading)
        layout.addWidget(self.error_label)
        layout.addWidget(self.protocol_table)
        self.setCentralWidget(central)
        where = f" · {self.tr('database')}: {database}" if database else ""
        self.statusBar().showMessage(f"{APP_NAME} {__version__}{where}")
