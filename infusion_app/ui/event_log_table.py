"""An infusion's log as a table: every stored entry with its times, who, what and the marks a
reader needs (back-entered with its reason, signed, corrected later). Bedside and monitor
show the same table."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from infusion_app.logic.event_log import LogRow
from infusion_app.ui.look import local_time

CORRECTED_COLOUR = "#fff3e0"


class EventLogTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("eventLog")
        self.setHorizontalHeaderLabels(
            [
                self.tr("#"),
                self.tr("Time"),
                self.tr("Recorded (back-entry)"),
                self.tr("User"),
                self.tr("Entry"),
                self.tr("Details"),
                self.tr("Signed / corrected"),
            ]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.rows: list[LogRow] = []

    def show_rows(self, rows: list[LogRow]) -> None:
        self.rows = rows
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            recorded = local_time(row.recorded_at, with_date=True) if row.back_entered else ""
            if row.back_entered and row.back_entry_reason:
                recorded += f" ({row.back_entry_reason})"
            marks = [
                *(self.tr("signed {0}").format(s) for s in row.signed),
                *(self.tr("corrected by {0}").format(c) for c in row.corrected_by),
            ]
            cells = [
                str(row.seq),
                local_time(row.occurred_at, with_date=True),
                recorded,
                row.user,
                row.what,
                row.details,
                "; ".join(marks),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.corrected_by:
                    item.setBackground(QColor(CORRECTED_COLOUR))
                self.setItem(index, column, item)
        if rows:
            self.scrollToBottom()

    def column_texts(self, column: int) -> list[str]:
        items = (self.item(r, column) for r in range(self.rowCount()))
        return [item.text() if item is not None else "" for item in items]
