"""An infusion's log as a table: every stored entry with its times, who, what and the marks a
reader needs (back-entered with its reason, signed, corrected later). Bedside and monitor
show the same table.

Refilled after every action and every tab switch: a :class:`RowsTable`, so a refill with the
same number of entries only repaints, and a longer log is one model reset.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from infusion_app.logic.event_log import LogRow
from infusion_app.ui.look import local_time
from infusion_app.ui.rows_table import ROW, RowsTable, Tint
from infusion_app.ui.translations import shown

CORRECTED_COLOUR = "#fff3e0"
DETAILS_COLUMN = 5


class EventLogTable(RowsTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                self.tr("#"),
                self.tr("Time"),
                self.tr("Recorded (back-entry)"),
                self.tr("User"),
                self.tr("Entry"),
                self.tr("Details"),
                self.tr("Signed / corrected"),
            ],
            stretch=DETAILS_COLUMN,
            tooltips=True,
            parent=parent,
        )
        self.setObjectName("eventLog")
        self.rows: list[LogRow] = []
        # the log grew while it was hidden (a language switch rebuilds the bedside behind
        # another tab): the scroll to the newest waits until it is shown and laid out
        self.newest_owed = False

    def show_rows(self, rows: list[LogRow]) -> None:
        grew = len(rows) != len(self.rows)
        self.rows = rows
        texts = []
        for row in rows:
            recorded = local_time(row.recorded_at, with_date=True) if row.back_entered else ""
            if row.back_entered and row.back_entry_reason:
                recorded += f" ({row.back_entry_reason})"
            marks = [
                *(self.tr("signed {0}").format(shown(s)) for s in row.signed),
                *(self.tr("corrected by {0}").format(shown(c)) for c in row.corrected_by),
            ]
            texts.append(
                [
                    str(row.seq),
                    local_time(row.occurred_at, with_date=True),
                    recorded,
                    row.user,
                    shown(row.what),
                    shown(row.details),
                    "; ".join(marks),
                ]
            )
        corrected = {ROW: Tint(background=CORRECTED_COLOUR)}
        self.set_rows(texts, [corrected if row.corrected_by else {} for row in rows])
        if rows and grew:
            self.scrollToBottom()
            self.newest_owed = not self.isVisible()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.newest_owed:
            self.newest_owed = False
            QTimer.singleShot(0, self.scrollToBottom)  # once the layout has sized it
