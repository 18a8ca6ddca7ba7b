"""Before a clinical act is saved: what will be recorded and when, confirmed or cancelled.

A one-key act (Alt+P premedication, Alt+T thaw) used to be saved at once. Now the entry and
its time are shown first; the time is the station clock's, refreshed every second, since the
entry is stored with the time it is confirmed. Enter (or Alt+R) records, Esc cancels.

With ``time`` (ui/entry_time.py) the entry's time is a field, offered as now and reached by
Tab: left as offered it is recorded now; changed, it is a back-entry.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from infusion_app.ui.entry_time import EntryTime
from infusion_app.ui.look import give_focus_back, station_time, touch_sized


class ConfirmDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        entry: str,
        details: Sequence[str] = (),
        clock: Callable[[], datetime],
        time: EntryTime | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.time = time
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        heading = QLabel(self.tr("This will be recorded:"))
        self.entry = QLabel(entry)
        self.entry.setObjectName("confirmEntry")
        self.entry.setWordWrap(True)
        self.entry.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.details = QLabel("\n".join(details))
        self.details.setObjectName("confirmDetails")
        self.details.setWordWrap(True)
        self.details.setVisible(bool(details))
        self.when = QLabel()
        self.when.setObjectName("confirmWhen")
        self.when.setStyleSheet("font-size: 14pt;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.record = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.record.setText(self.tr("&Record"))
        self.record.setObjectName("confirmRecord")
        touch_sized(self.record, buttons.button(QDialogButtonBox.StandardButton.Cancel))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.entry)
        layout.addWidget(self.details)
        layout.addWidget(self.when)
        self.time_edit = None
        if time is not None:
            self.time_edit = time.editor()
            self.time_edit.textChanged.connect(self._show_time)
            row = QFormLayout()
            row.addRow(self.tr("Time of the entry"), self.time_edit)
            layout.addLayout(row)
        layout.addWidget(buttons)
        # the default once its box is in the dialog: made default before, the dialog never
        # knew it, and leaving Record for the time field made Cancel the default (Xvfb)
        self.record.setDefault(True)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._show_time)
        self.timer.start()
        self._show_time()
        self.record.setFocus()

    def accept(self) -> None:
        if self.time is not None and self.time_edit is not None:
            self.time.take(self.time_edit.text())
        super().accept()

    def _show_time(self) -> None:
        typed = self.time_edit.text().strip() if self.time_edit is not None else ""
        if self.time is not None and typed != self.time.offered.strip():
            # a changed time: the live clock would contradict it
            self.when.setText(self.tr("Time: {0} as entered (a back-entry)").format(typed))
            return
        self.when.setText(
            self.tr("Time: {0} (now, when you confirm)").format(station_time(self.clock()))
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        title: str,
        entry: str,
        details: Sequence[str] = (),
        clock: Callable[[], datetime],
        time: EntryTime | None = None,
    ) -> bool:
        """True when the person confirmed (``time`` then holds the time entered). Tests
        replace this method."""
        dialog = cls(parent, title=title, entry=entry, details=details, clock=clock, time=time)
        confirmed = dialog.exec() == QDialog.DialogCode.Accepted
        dialog.deleteLater()
        give_focus_back(parent)
        return confirmed
