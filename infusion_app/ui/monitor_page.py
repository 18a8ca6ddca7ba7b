"""The monitor's view: read-only. Infusions by patient and date range, the full log of one
with its corrections and signatures, and whether its hash chain verifies. Nothing on this
screen writes to the record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.event_log import log_rows
from infusion_app.logic.roles import Action, may
from infusion_app.records.infusion_log import LogFilter, local_days_in_utc
from infusion_app.services import records, views
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.ui.event_log_table import EventLogTable
from infusion_app.ui.look import (
    HEADING_STYLE,
    failure_text,
    local_time,
    read_only_table,
    say,
    status_name,
    step_name,
    touch_sized,
)
from infusion_app.ui.outputs import put_out
from infusion_app.ui.record_preview import RecordPreview
from infusion_app.ui.tasks import Tasks

LOOK_BACK_DAYS = 30


class MonitorPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        tasks: Tasks,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.language = language  # the printed record's labels follow the interface
        self.user: CurrentUser | None = None
        self.preview: RecordPreview | None = None
        self.rows: list[views.InfusionRow] = []
        self.record: views.MonitorRecord | None = None
        # Loads run in the background and may finish out of order: each answer carries the
        # number of its request and is shown only if no later request was made since.
        self._list_request = 0
        self._record_request = 0

        heading = QLabel(self.tr("Monitor: infusion records (read-only)"))
        heading.setStyleSheet(HEADING_STYLE)
        self.patient = QLineEdit()
        self.patient.setObjectName("monitorPatient")
        self.patient.setPlaceholderText(self.tr("Trial ID (empty: all patients)"))
        self.patient.returnPressed.connect(self.refresh)
        local = ctx.now().astimezone(ctx.time_zone).date()  # the context's clock: tests move it
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
        self.table.selection_changed.connect(self._selected)
        self.log = EventLogTable()
        self.verify = QLabel()
        self.verify.setObjectName("verifyResult")
        self.verify.setWordWrap(True)
        self.print_button = QPushButton(self.tr("&Print record…"))
        self.print_button.setObjectName("printRecord")
        self.print_button.clicked.connect(self.preview_record)
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.export_button.setObjectName("exportMenu")
        menu = QMenu(self.export_button)
        self.export_actions = {
            "csv": menu.addAction(self.tr("Events of this infusion (CSV)…")),
            "fhir": menu.addAction(self.tr("This infusion as FHIR R4 bundle (JSON)…")),
            "log-pdf": menu.addAction(self.tr("Infusion log of the search (PDF)…")),
            "log-csv": menu.addAction(self.tr("Infusion log of the search (CSV)…")),
        }
        for kind, action in self.export_actions.items():
            action.triggered.connect(lambda _=False, kind=kind: self.export(kind))
        self.export_button.setMenu(menu)
        touch_sized(self.print_button, self.export_button)
        self._enable_output()

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

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        self._enable_output()

    def _enable_output(self) -> None:
        """Print and export need a selected infusion and a role that may print (not an
        admin); the service checks again."""
        allowed = self.user is not None and may(self.user.role, Action.PRINT)
        chosen = self.record is not None
        self.print_button.setEnabled(allowed and chosen)
        self.export_button.setEnabled(allowed)
        for kind in ("csv", "fhir"):
            self.export_actions[kind].setEnabled(chosen)
        reason = "" if allowed else self.tr("Your role may not print or export records.")
        for button in (self.print_button, self.export_button):
            button.setToolTip(reason)

    def preview_record(self) -> None:
        user, record = self.user, self.record
        if user is None or record is None:
            return
        infusion_id = record.view.status.infusion_id
        language = self.language
        self._say(self.tr("Making the record…"))
        self.tasks.run(
            lambda: records.infusion_record(self.ctx, user, infusion_id, language=language),
            self._show_preview,
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _show_preview(self, document: records.Document) -> None:
        self._say(self.tr("Record ready: {0} bytes.").format(len(document.data)), ok=True)
        if self.preview is not None:
            self.preview.close()
        self.preview = RecordPreview(document, self._put_out, self)
        self.preview.setObjectName("recordPreview")
        self.preview.present()

    def export(self, kind: str) -> None:
        user = self.user
        if user is None:
            return
        infusion_id = self.record.view.status.infusion_id if self.record else None
        trial = self.patient.text().strip()
        first, last = self.date_from.date(), self.date_to.date()

        def make() -> records.Document:
            assert user is not None
            if kind in ("csv", "fhir"):
                assert infusion_id is not None
                return records.export_infusion(self.ctx, user, infusion_id, kind)
            # Made here, on the task: reversed dates come back as a one-line answer.
            chosen = (
                LogFilter(patient=trial)
                if trial
                else LogFilter(
                    first=date(first.year(), first.month(), first.day()),
                    last=date(last.year(), last.month(), last.day()),
                )
            )
            output = kind.removeprefix("log-")
            return records.infusion_log(
                self.ctx, user, chosen, output=output, language=self.language
            )

        self.tasks.run(make, self._ask_where, lambda exc: self._say(failure_text(exc), error=True))

    def _ask_where(self, document: records.Document) -> None:
        suffix = document.file_name.rsplit(".", 1)[-1]
        path = RecordPreview.ask_path(self, document.file_name, f"*.{suffix}")
        if path is not None:
            self._put_out(document, path, "")

    def _put_out(self, document: records.Document, path: Path | None, printer: str) -> None:
        user = self.user
        assert user is not None
        put_out(
            self.ctx,
            self.tasks,
            user,
            document,
            path,
            printer,
            lambda text, error: self._output_done(text, error=error),
        )

    def _output_done(self, text: str, *, error: bool = False) -> None:
        if self.preview is not None and self.preview.isVisible():
            self.preview.saved(text, error=error)
        self._say(text, ok=not error, error=error)

    def refresh(self) -> None:
        zone = self.ctx.time_zone  # the days the monitor picks are the station's days
        first, last = self.date_from.date(), self.date_to.date()
        start, end = local_days_in_utc(
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
            zone,
        )
        trial = self.patient.text().strip()
        self._list_request += 1
        request = self._list_request
        self.tasks.run(
            lambda: views.list_infusions(self.ctx, since=start, until=end, trial_id=trial),
            lambda rows: self._show(rows) if request == self._list_request else None,
            lambda exc: self._failed(exc) if request == self._list_request else None,
        )

    def _failed(self, exc: Exception) -> None:
        self._say(failure_text(exc), error=True)

    def _show(self, rows: list[views.InfusionRow]) -> None:
        self.rows = rows
        self.table.set_rows(
            [
                [
                    row.trial_id,
                    str(row.number),
                    row.product_id,
                    row.station,
                    local_time(row.created_at, with_date=True),
                    step_name(row.step.value),
                    status_name(row.status),
                ]
                for row in rows
            ]
        )
        if rows:
            # selected without a signal, then read once: a refill of the same size keeps the
            # old selection, which would otherwise not ask for the new first row's record
            self.table.select_quietly(0)
            self._selected()
        else:
            self._record_request += 1  # a record still loading is no longer wanted
            self.record = None
            self._enable_output()
            self.log.show_rows([])
            self._say(self.tr("No infusions in this range."))

    def _selected(self) -> None:
        index = self.table.currentRow()
        if not 0 <= index < len(self.rows):
            return
        infusion_id = self.rows[index].infusion_id
        self._record_request += 1
        request = self._record_request
        self.tasks.run(
            lambda: views.monitor_record(self.ctx, infusion_id),
            lambda record: self._show_record(record) if request == self._record_request else None,
            lambda exc: self._failed(exc) if request == self._record_request else None,
        )

    def _show_record(self, record: views.MonitorRecord) -> None:
        self.record = record
        self._enable_output()
        self.log.show_rows(log_rows(record.view.events, record.view.state))
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
