"""The drop-count helper: the nurse taps a key (or the button) for each drop seen in the drip
chamber during 15 or 60 seconds and reads the measured rate against the target.

Gravity sets have no pump: this is how a rate is checked at the bedside. The count window is
timed from the first tap with a monotonic clock (injectable for tests); 15 s multiplies the
count by 4, so the result is only as good as the count: 60 s is more exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.ui.look import touch_sized


class DropCounter(QGroupBox):
    def __init__(
        self, parent: QWidget | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        # no title line (the Drop button says what it counts): height is short at 1366x768
        self.setTitle("")
        self.clock = clock
        self.target: int | None = None
        self.window_s = 15
        self.started: float | None = None
        self.drops = 0
        self.measured: float | None = None

        self.short = QRadioButton(self.tr("15 s"))
        self.long = QRadioButton(self.tr("60 s"))
        self.short.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.short)
        group.addButton(self.long)
        self.short.toggled.connect(self._window_changed)
        self.tap_button = QPushButton(self.tr("Drop (Space)"))
        self.tap_button.setObjectName("dropTap")
        # Space is the bedside screen's key for a drop (one per press, whatever has focus);
        # with this button focused, Space presses it, which is the same one drop.
        self.tap_button.setMinimumHeight(48)
        self.tap_button.clicked.connect(self.tap)
        self.reset_button = QPushButton(self.tr("Reset"))
        touch_sized(self.reset_button)
        self.reset_button.clicked.connect(self.reset)
        self.result = QLabel()
        self.result.setObjectName("dropResult")
        self.result.setWordWrap(True)
        self.result.setStyleSheet("font-size: 11pt;")
        # two lines' height whatever it says, so a longer line never moves the screen
        self.result.ensurePolished()
        self.result.setFixedHeight(2 * self.result.fontMetrics().lineSpacing() + 4)

        self.timer = QTimer(self)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self.check_window)

        row = QHBoxLayout()
        row.addWidget(self.short)
        row.addWidget(self.long)
        row.addWidget(self.tap_button, 1)
        row.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.result)
        self.reset()

    def set_target(self, target: int | None) -> None:
        self.target = target
        self._show()

    def _window_changed(self) -> None:
        self.window_s = 15 if self.short.isChecked() else 60
        self.reset()

    def reset(self) -> None:
        self.timer.stop()
        self.started = None
        self.drops = 0
        self.measured = None
        self._show()

    def tap(self) -> None:
        now = self.clock()
        if self.measured is not None:  # a tap after a result starts a new count
            self.reset()
        if self.started is None:
            self.started = now
            self.timer.start()
        elif now - self.started >= self.window_s:
            self.check_window()
            return
        self.drops += 1
        self._show()

    def check_window(self) -> None:
        if self.started is None or self.clock() - self.started < self.window_s:
            self._show()
            return
        self.timer.stop()
        self.measured = self.drops * 60 / self.window_s
        self._show()

    def _show(self) -> None:
        target = (
            self.tr("target {0} gtt/min").format(self.target)
            if self.target
            else self.tr("no target rate now")
        )
        if self.measured is not None:
            text = self.tr("Measured {0:.0f} gtt/min ({1} drops in {2} s), {3}").format(
                self.measured, self.drops, self.window_s, target
            )
            if self.target:
                off = self.measured - self.target
                text += " · " + (
                    self.tr("on target")
                    if abs(off) <= max(2, self.target * 0.1)
                    else self.tr("{0:+.0f} gtt/min: adjust the roller clamp").format(off)
                )
        elif self.started is not None:
            left = max(0.0, self.window_s - (self.clock() - self.started))
            text = self.tr("Counting: {0} drops, {1:.0f} s left").format(self.drops, left)
        else:
            text = self.tr(
                "Tap for each drop; the {0} s count starts at the first drop ({1})"
            ).format(self.window_s, target)
        self.result.setText(text)
