"""The ward board: one read-only screen for a charge nurse or a central station, after the
central monitoring screens of infusion-pump systems.

Every infusion in progress on every station of the site, the most urgent first (a high
alarm, then something overdue, then the soonest due: logic/ward_board.py): patient (trial ID
and initials only, since a wall display is read by whoever passes), station, step, the next
due item with its countdown, the alarms in the bedside banner's colours, and who made the
latest entry at the bedside. Below it, today's visits and samples and the open SAE reports.

Read by services.ward_board off the UI thread when the tab is shown, on F5, when the
window's record watch reports a commit anywhere (ui/main_window.py), and when a stored due
time passes (an item comes due or overdue without anyone writing). Between reads the
countdowns are recomputed every second from the stored due times and the clock, as the
bedside screen's are: a second-by-second re-read of every station's record would load the
shared database for nothing.

Nothing on this screen writes: no button acts on the record, so it can run on a wall display
logged in as anyone who may read. **Who sees it**: nurses (the charge nurse runs the ward
from it) and monitors (they read everything and write nothing clinical, so a central
station logged in as a monitor cannot record by mistake). Pharmacists work from their
release list and the infusions' worklist; investigators from the trial and course screens;
an administrator sees no clinical screen.

"Large text" (Alt+L, or Tab to it and Space) scales the whole page for a wall display and
is remembered in this station's display preferences.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from infusion_app.logic.countdown import countdown_to
from infusion_app.logic.infusion_state import Step
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.site_day import CalendarRow, SaeReportRow
from infusion_app.services.ward_board import BoardRow, WardBoard, ward_board
from infusion_app.ui.day_rows import day_row_cells
from infusion_app.ui.look import failure_text, local_time, read_only_table, say
from infusion_app.ui.preferences import Preferences
from infusion_app.ui.rows_table import RowsTable, Tint
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown
from infusion_app.ui.worklist_page import next_due_text

TICK_MS = 1000
RETRY_AFTER = timedelta(seconds=10)  # a read that failed (the server away)
LARGE_SCALE = 1.6  # a wall display read from the far end of a ward
HEADING_PT, LARGE_HEADING_PT = 20, 32

# The bedside banner's colours (ui/look.py ALARM_STYLES; a test keeps them equal), as cell tints.
ALARM_TINTS = {
    Priority.HIGH: Tint(background="#b00020", foreground="white"),
    Priority.MEDIUM: Tint(background="#ffd600", foreground="black"),
    Priority.LOW: Tint(background="#b2ebf2", foreground="black"),
}
OVERDUE_TINT = Tint(foreground="#b00020")

# The step strip's names (ui/step_strip.py), translated in its context: they read the same
# there and here, from the translations it already has.
STEP_NAMES = {
    Step.CHECKS: "Checks",
    Step.PREMEDICATION: "Premedication",
    Step.THAW: "Thaw",
    Step.SLOW_PHASE: "Slow phase",
    Step.FAST_PHASE: "Fast phase",
    Step.END: "End",
    Step.OBSERVATION: "Observation",
    Step.DONE: "Done",
}
# The alarm banner's priority words (ui/alarm_banner.py), in its context likewise.
PRIORITY_WORDS = {
    Priority.HIGH: "HIGH",
    Priority.MEDIUM: "MEDIUM",
    Priority.LOW: "Reminder",
}

NEXT_DUE, ALARMS = 5, 6  # the infusion table's columns that tick and that are coloured


def alarms_text(alarms: tuple[BoardAlarm, ...]) -> str:
    """Every active alarm, high first, each with its priority word: "HIGH: … · MEDIUM: …"."""
    return " · ".join(
        f"{QCoreApplication.translate('AlarmBanner', PRIORITY_WORDS[a.priority])}: "
        f"{shown(a.message)}"
        for a in alarms
    )


class WardBoardPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        tasks: Tasks,
        preferences: Preferences | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.preferences = preferences
        self.user: CurrentUser | None = None
        self.board: WardBoard | None = None
        # Reads run in the background and may finish out of order: only the latest is shown.
        self._request = 0
        self._reading = False
        self._next_read: datetime | None = None  # a due time passes: read again
        self._base_point_size = QApplication.font().pointSizeF()
        if self._base_point_size <= 0:  # a font given in pixels
            self._base_point_size = 10.0

        self.heading = QLabel(self.tr("Ward board: every station (read-only)"))
        self.heading.setObjectName("wardHeading")
        self.large_text = QCheckBox(self.tr("&Large text"))
        self.large_text.setObjectName("largeText")
        self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        self.refresh_button.setObjectName("wardRefresh")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.refresh)
        self.table = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Initials"),
                self.tr("Infusion"),
                self.tr("Station"),
                self.tr("Step"),
                self.tr("Next due"),
                self.tr("Alarms"),
                self.tr("At the bedside"),
            ]
        )
        self.table.setObjectName("wardInfusions")
        self.empty = QLabel(self.tr("No infusion in progress on any station."))
        self.empty.setObjectName("wardEmpty")
        self.day_heading = QLabel(self.tr("Today: visits, samples and open SAE reports"))
        self.day_table = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Initials"),
                self.tr("What"),
                self.tr("When"),
                self.tr("Status"),
            ]
        )
        self.day_table.setObjectName("wardDay")
        self.updated = QLabel()
        self.updated.setObjectName("wardUpdated")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.large_text)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.empty)
        layout.addWidget(self.day_heading)
        layout.addWidget(self.day_table, 1)
        layout.addWidget(self.updated)
        layout.addWidget(self.message)

        self.large_text.setChecked(preferences is not None and preferences.large_text)
        self._apply_size()
        self.large_text.toggled.connect(self._large_text_toggled)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user  # everyone who has the tab sees the same board: nothing to gate

    # --- reading ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self._request += 1
        request = self._request
        self._reading = True
        now = self.ctx.now()
        self.tasks.run(
            lambda: ward_board(self.ctx, now),
            lambda board: self._answered(request, board),
            lambda exc: self._failed(request, exc),
        )

    def _answered(self, request: int, board: WardBoard) -> None:
        if request != self._request:
            return  # a later read is on its way
        self._reading = False
        self.board = board
        self._next_read = board.next_change
        say(self.message, "")
        self._show(board, self.ctx.now())

    def _failed(self, request: int, exc: Exception) -> None:
        if request == self._request:
            self._reading = False
            self._next_read = self.ctx.now() + RETRY_AFTER  # not a failed read every second
            say(self.message, failure_text(exc), error=True)

    def tick(self) -> None:
        """Every second: the countdowns from the stored due times; a read when one of them
        has passed (an item comes due or overdue: a new alarm without a new entry)."""
        board = self.board
        if board is None or not self.isVisible():
            return
        now = self.ctx.now()
        if self._next_read is not None and now >= self._next_read and not self._reading:
            self.refresh()
        self._show(board, now)

    # --- showing ----------------------------------------------------------------------------

    def _show(self, board: WardBoard, now: datetime) -> None:
        rows = board.infusions
        self.table.set_rows([self._texts(row, now) for row in rows], [_tints(r) for r in rows])
        self.empty.setVisible(not rows)
        days: list[CalendarRow | SaeReportRow] = [*board.sae_reports, *board.calendar]
        # the reports first: high priority, as on the worklist
        self.day_table.set_rows(
            [day_row_cells(row, now) for row in days],
            [{4: OVERDUE_TINT} if row.overdue else {} for row in days],
        )
        self.updated.setText(self.tr("Read at {0}").format(local_time(board.now, with_date=True)))

    def _texts(self, row: BoardRow, now: datetime) -> list[str]:
        due = next_due_text(countdown_to(row.next_due, now)) if row.next_due else ""
        presence = row.at_bedside
        where = (
            self.tr("{0} at {1}, {2}").format(
                presence.user, presence.station, local_time(presence.at)
            )
            if presence is not None
            else ""
        )
        return [
            row.trial_id,
            row.initials,
            str(row.number),
            row.station,
            QCoreApplication.translate("StepStrip", STEP_NAMES[row.step]),
            due,
            alarms_text(row.alarms),
            where,
        ]

    # --- large text -------------------------------------------------------------------------

    def _large_text_toggled(self, on: bool) -> None:
        if self.preferences is not None:
            self.preferences.large_text = on
        self._apply_size()

    def _apply_size(self) -> None:
        """The whole page's font, the headings and the tables' row heights follow. A style
        sheet, not ``setFont``: under the window's style sheet a parent's font does not
        reach its children."""
        large = self.large_text.isChecked()
        size = round(self._base_point_size * LARGE_SCALE, 1)
        self.setStyleSheet(f"QWidget {{ font-size: {size}pt; }}" if large else "")
        heading = f"font-size: {LARGE_HEADING_PT if large else HEADING_PT}pt; font-weight: bold;"
        self.heading.setStyleSheet(heading)
        self.day_heading.setStyleSheet(heading)
        for table in (self.table, self.day_table):
            table.ensurePolished()
            _fit_rows(table)


def _tints(row: BoardRow) -> dict[int, Tint]:
    tints: dict[int, Tint] = {}
    if row.overdue:
        tints[NEXT_DUE] = OVERDUE_TINT
    if row.alarms:
        tints[ALARMS] = ALARM_TINTS[row.alarms[0].priority]
    return tints


def _fit_rows(table: RowsTable) -> None:
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    rows = table.model_rows.rows
    table.fit_columns(rows)
