"""The monitor's view: read-only. Infusions by patient and date range, the full log of one
with its corrections and signatures, and whether its hash chain verifies. Nothing on this
screen writes to the record."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.event_log import log_rows
from infusion_app.services import views
from infusion_app.services.context import AppContext
from infusion_app.ui.event_log_table import EventLogTable
from infusion_app.ui.look import (
    HEADING_STYLE,
    failure_text,
    local_time,
    read_only_table,
    say,
    touch_sized,
)
from infusion_app.ui.tasks import Tasks

LOOK_BACK_DAYS = 30


class MonitorPage(QWidget):
    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.rows: list[views.InfusionRow] = []
        self.record: views.MonitorRecord | None = None

        heading = QLabel(self.tr("Monitor: infusion records (read-only)"))
        heading.setStyleSheet(HEADING_STYLE)
        self.patient = QLineEdit()
        self.patient.setObjectName("monitorPatient")
        self.patient.setPlaceholderText(self.tr("Trial ID (empty: all patients)"))
        self.patient.returnPressed.connect(self.refresh)
        local = ctx.now().astimezone().date()  # the context's clock: tests move it
        today = QDate(local.year, local.month, local.day)
        self.date_from = QDateEdit(today.addDays(-LOOK_BACK_DAYS))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search = QPushButton(self.tr("&Search"))
        self.search.clicked.connect(self.refresh)
        touch_sized(self.patient, self.date_from, self.date_to, self.search)
        self.table = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Infusion"),
                self.tr("Product"),
                self.tr("Station"),
                self.tr("Created"),
                self.tr("Step"),
                self.tr("Status"),
            ]
        )
        self.table.setObjectName("monitorInfusions")
        self.table.itemSelectionChanged.connect(self._selected)
        self.log = EventLogTable()
        self.verify = QLabel()
        self.verify.setObjectName("verifyResult")
        self.verify.setWordWrap(True)
        self.print_button = QPushButton(self.tr("&Print record…"))
        self.export_button = QPushButton(self.tr("E&xport…"))
        for button in (self.print_button, self.export_button):
            button.setEnabled(False)
            button.setToolTip(self.tr("Printing and export arrive with the records feature."))
            touch_sized(button)

        bar = QHBoxLayout()
        bar.addWidget(self.patient, 2)
        bar.addWidget(QLabel(self.tr("From")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("to")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.search)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.log)
        split.setSizes([200, 400])
        actions = QHBoxLayout()
        actions.addWidget(self.verify, 1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addLayout(actions)

    def refresh(self) -> None:
        zone = self.ctx.now().astimezone().tzinfo
        first, last = self.date_from.date(), self.date_to.date()
        start = datetime(first.year(), first.month(), first.day(), tzinfo=zone)
        end = datetime(last.year(), last.month(), last.day(), tzinfo=zone) + timedelta(days=1)
        trial = self.patient.text().strip()
        self.tasks.run(
            lambda: views.list_infusions(self.ctx, since=start, until=end, trial_id=trial),
            self._show,
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _show(self, rows: list[views.InfusionRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [
                row.trial_id,
                str(row.number),
                row.product_id,
                row.station,
                local_time(row.created_at, with_date=True),
                row.step.value,
                row.status,
            ]
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        if rows:
            self.table.selectRow(0)
        else:
            self.log.show_rows([])
            self._say(self.tr("No infusions in this range."))

    def _selected(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            return
        infusion_id = self.rows[index].infusion_id
        self.tasks.run(
            lambda: views.monitor_record(self.ctx, infusion_id),
            self._show_record,
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _show_record(self, record: views.MonitorRecord) -> None:
        self.record = record
        self.log.show_rows(log_rows(record.view.events))
        report = record.report
        stream = report.streams[0] if report.streams else None
        if report.ok and stream is not None:
            self._say(
                self.tr("Log verified: {0} entries, chain intact, head {1}").format(
                    stream.events, stream.head_hash[:16]
                ),
                ok=True,
            )
        else:
            problem = report.first_problem
            self._say(
                self.tr("LOG DOES NOT VERIFY: {0}").format(problem.problem if problem else "?"),
                error=True,
            )

    def _say(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        say(self.verify, text, ok=ok, error=error)
