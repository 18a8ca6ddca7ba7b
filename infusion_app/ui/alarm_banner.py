"""The alarm banner: the most urgent unacknowledged alarm in its colour, with how many more,
and one button to acknowledge it. It stays until acknowledged; acknowledging is recorded.

A new alarm also sounds where the system has a sound device; without one nothing breaks
(QApplication.beep is a no-op on a platform with no bell).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from infusion_app.texts import render
from infusion_app.ui.look import ALARM_STYLES, touch_sized
from infusion_app.ui.translations import shown

# The banner's height, reserved whether an alarm shows or not (a touch-sized button and its
# margins): what is below it stays where the nurse's finger expects it.
BANNER_HEIGHT = 56


class AlarmBanner(QFrame):
    acknowledged = Signal(str, str)  # key, message

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarmBanner")
        self.alarms: list[BoardAlarm] = []
        self._sounded: set[str] = set()
        self.text = QLabel()
        self.text.setObjectName("alarmText")
        # up to two lines in the banner's fixed height (the screen reserves it, so the buttons
        # below never move when an alarm comes or goes), the whole text in its tooltip too:
        # on one line at 15 pt the advice was cut after "pause infusion, as"
        self.text.setWordWrap(True)
        self.text.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.text.setStyleSheet("font-size: 12pt; font-weight: bold; background: transparent;")
        self.more = QLabel()
        self.more.setStyleSheet("background: transparent;")
        self.ack = QPushButton(self.tr("Acknowledge (F9)"))
        self.ack.setObjectName("acknowledge")
        self.ack.setShortcut("F9")
        touch_sized(self.ack)
        self.ack.clicked.connect(self._acknowledge)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 2)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.more)
        layout.addWidget(self.ack)
        self.setVisible(False)

    def show_alarms(self, alarms: list[BoardAlarm], *, can_acknowledge: bool) -> None:
        self.alarms = alarms
        if not alarms:
            self.setVisible(False)
            return
        top = alarms[0]
        label = {
            Priority.HIGH: self.tr("HIGH"),
            Priority.MEDIUM: self.tr("MEDIUM"),
            Priority.LOW: self.tr("Reminder"),
        }[top.priority]
        self.text.setText(f"{label}: {shown(top.message)}")
        self.text.setToolTip(self.text.text())
        self.more.setText(self.tr("+{0} more").format(len(alarms) - 1) if len(alarms) > 1 else "")
        self.setStyleSheet(f"#alarmBanner {{ {ALARM_STYLES[top.priority]} }}")
        self.ack.setEnabled(can_acknowledge)
        self.setVisible(True)
        fresh = [a for a in alarms if a.key not in self._sounded]
        if any(a.priority is not Priority.LOW for a in fresh):
            self._sound()
        self._sounded.update(a.key for a in alarms)

    @property
    def priority(self) -> Priority | None:
        return self.alarms[0].priority if self.alarms and not self.isHidden() else None

    def _acknowledge(self) -> None:
        if self.alarms:
            # the record keeps the English line, as it always has
            self.acknowledged.emit(self.alarms[0].key, render(self.alarms[0].message, "en"))

    @staticmethod
    def _sound() -> None:
        with contextlib.suppress(Exception):  # no or a broken sound device: carry on
            QApplication.beep()
