"""The site's day: today's infusions on this ward, with their step and what is due next; below
them every patient's calendar items due today or overdue and every open SAE report (read by
services.site_day in one call off the UI thread). Search by trial ID; register a patient or
create an infusion. Opening an infusion's row goes to the bedside screen; a calendar item's
row asks for its record (ui/calendar_dialog.py); an SAE report's row opens its infusion."""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic.advisories import Advisory
from infusion_app.logic.countdown import Countdown
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import looks_like_wristband, parse_wristband
from infusion_app.logic.numbers import parse_int
from infusion_app.logic.protocol_files import Catalog
from infusion_app.logic.roles import Action, may
from infusion_app.services import calendar_acts, infusions, patients, products, views
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.site_day import CalendarRow, SaeReportRow, SiteDay, site_day
from infusion_app.ui.calendar_dialog import CalendarItemDialog, entry_from
from infusion_app.ui.day_rows import day_row_cells
from infusion_app.ui.form_dialog import Field, FormDialog
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
from infusion_app.ui.rows_table import Tint
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown


def next_due_text(countdown: Countdown | None) -> str:
    """What is timed next ("Vitals due in 04:12") in the interface's language; "" when none."""
    if countdown is None:
        return ""
    return f"{QCoreApplication.translate('Countdown', countdown.label)} {countdown.text}".strip()


class WorklistPage(QWidget):
    open_infusion = Signal(int)
    open_patient = Signal(str)  # a trial ID: its course page, where a patient's SAE is reported

    def __init__(
        self, ctx: AppContext, tasks: Tasks, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.catalog = catalog
        self.user: CurrentUser | None = None
        self.rows: list[views.InfusionRow] = []
        self.day_rows: list[CalendarRow | SaeReportRow] = []

        heading = QLabel(self.tr("Infusions today"))
        heading.setStyleSheet(HEADING_STYLE)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("Search by trial ID (or scan a wristband)"))
        self.search.returnPressed.connect(self.refresh)
        self.this_station = QCheckBox(self.tr("This station only ({0})").format(ctx.station))
        self.this_station.setChecked(True)
        self.this_station.toggled.connect(self.refresh)
        refresh = QPushButton(self.tr("Refresh (F5)"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refresh)
        self.table = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Initials"),
                self.tr("Infusion"),
                self.tr("Product"),
                self.tr("Station"),
                self.tr("Step"),
                self.tr("Next due"),
                self.tr("Status"),
            ]
        )
        self.table.setObjectName("worklist")
        self.table.doubleClicked.connect(lambda _index: self._open_selected())
        day_heading = QLabel(self.tr("Due today: visits, samples, checks and SAE reports"))
        day_heading.setStyleSheet(HEADING_STYLE)
        self.day_table = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Initials"),
                self.tr("What"),
                self.tr("When"),
                self.tr("Status"),
            ]
        )
        self.day_table.setObjectName("siteDay")
        self.day_table.doubleClicked.connect(lambda _index: self._act_on_day_row())
        self.day_table.selection_changed.connect(self._enable_record)
        self.record_button = QPushButton(self.tr("&Record…"))
        self.record_button.setObjectName("recordItem")
        self.record_button.setProperty("writes", True)
        self.record_button.clicked.connect(self._act_on_day_row)
        self.open_button = QPushButton(self.tr("&Open at the bedside"))
        self.open_button.setObjectName("openInfusion")
        self.open_button.clicked.connect(self._open_selected)
        self.new_patient = QPushButton(self.tr("New &patient…"))
        self.new_patient.setObjectName("newPatient")
        self.new_patient.setProperty("writes", True)
        self.new_patient.clicked.connect(self._register_patient)
        self.new_weight = QPushButton(self.tr("New &weight…"))
        self.new_weight.setObjectName("newWeight")
        self.new_weight.setProperty("writes", True)
        self.new_weight.clicked.connect(self._record_weight)
        self.new_infusion = QPushButton(self.tr("New &infusion…"))
        self.new_infusion.setObjectName("newInfusion")
        self.new_infusion.setProperty("writes", True)
        self.new_infusion.clicked.connect(self._create_infusion)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.empty = QLabel(self.tr("No infusions today here. Create one with New infusion."))
        self.empty.setObjectName("empty")
        touch_sized(
            self.search,
            refresh,
            self.open_button,
            self.new_patient,
            self.new_weight,
            self.new_infusion,
            self.record_button,
        )

        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.this_station)
        bar.addWidget(refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_patient)
        buttons.addWidget(self.new_weight)
        buttons.addWidget(self.new_infusion)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(day_heading)
        layout.addWidget(self.day_table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        clinical = user is not None and may(user.role, Action.CREATE_INFUSION)
        for button in (self.new_patient, self.new_weight, self.new_infusion):
            button.setVisible(clinical)
        self._enable_record()

    def refresh(self) -> None:
        text = self.search.text().strip()
        if looks_like_wristband(text):  # a scanned wristband: search by its trial ID
            with suppress(InputError):  # not a whole code: searched for as typed
                text = parse_wristband(text).trial_id
                self.search.setText(text)
        now = self.ctx.now()
        station = self.ctx.station if self.this_station.isChecked() else None
        self.tasks.run(
            lambda: site_day(self.ctx, now, station=station, trial_id=text),
            self._show_day,
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _show_day(self, day: SiteDay) -> None:
        self._show(list(day.infusions))
        self.day_rows = [*day.sae_reports, *day.calendar]  # the reports first: high priority
        self.day_table.set_rows(
            [day_row_cells(row, day.now) for row in self.day_rows],
            [{4: Tint(foreground="#b00020")} if row.overdue else {} for row in self.day_rows],
        )
        if self.day_rows and not self.day_table.has_selection():
            self.day_table.selectRow(0)
        self._enable_record()

    def _selected_day_row(self) -> CalendarRow | SaeReportRow | None:
        index = self.day_table.currentRow()
        return self.day_rows[index] if 0 <= index < len(self.day_rows) else None

    def _enable_record(self) -> None:
        allowed = self.user is not None and may(self.user.role, Action.RECORD_VISIT)
        self.record_button.setVisible(allowed)
        self.record_button.setEnabled(bool(self.day_rows))
        row = self._selected_day_row()
        if isinstance(row, SaeReportRow):
            text = (
                self.tr("&Report at the bedside…")
                if row.infusion_id is not None
                else self.tr("&Report on the patient's page…")
            )
        else:
            text = self.tr("&Record…")
        self.record_button.setText(text)

    def _act_on_day_row(self) -> None:
        """A calendar item: ask for its record; an SAE report: open its infusion, or the
        patient's page for one recorded against the patient (reported there)."""
        row = self._selected_day_row()
        if isinstance(row, SaeReportRow):
            if row.infusion_id is not None:
                self.open_infusion.emit(row.infusion_id)
            else:
                self.open_patient.emit(row.trial_id)
        elif row is not None:
            self._record_item(row)

    def _record_item(self, row: CalendarRow) -> None:
        user = self.user
        if user is None:
            return
        values = CalendarItemDialog.ask(self, row, self.ctx.now)
        if values is None:
            return
        try:
            entry = entry_from(self, values, self.ctx.now())
        except InputError as exc:
            self._say(failure_text(exc), error=True)
            return
        if entry is None:
            return

        def call() -> object:
            if row.is_sample:
                return calendar_acts.collect_sample(
                    self.ctx,
                    user,
                    row.trial_id,
                    row.key,
                    sample_id=entry.sample_id or None,
                    at=entry.at,
                    reason=entry.reason or None,
                    note=entry.note or None,
                )
            return calendar_acts.record_visit(
                self.ctx,
                user,
                row.trial_id,
                row.key,
                at=entry.at,
                reason=entry.reason or None,
                note=entry.note or None,
            )

        def done(_: object) -> None:
            self._say(
                self.tr("Recorded for {0}: {1}.").format(row.trial_id, shown(row.label)), ok=True
            )
            self.refresh()

        self.tasks.run(call, done, lambda exc: self._say(failure_text(exc), error=True))

    def _show(self, rows: list[views.InfusionRow]) -> None:
        self.rows = rows
        self.table.set_rows(
            [
                [
                    row.trial_id,
                    row.initials,
                    str(row.number),
                    row.product_id,
                    row.station,
                    step_name(row.step.value),
                    next_due_text(row.next_due),
                    status_name(row.status),
                ]
                for row in rows
            ],
            [{6: Tint(foreground="#b00020")} if row.overdue else {} for row in rows],
        )
        if rows and not self.table.has_selection():
            self.table.selectRow(0)
        self.open_button.setEnabled(bool(rows))
        self.empty.setVisible(not rows)

    def _open_selected(self) -> None:
        index = self.table.currentRow()
        if 0 <= index < len(self.rows):
            self.open_infusion.emit(self.rows[index].infusion_id)

    def _say(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        say(self.message, text, ok=ok, error=error)

    def _register_patient(self) -> None:
        user = self.user
        if user is None:
            return
        protocols = tuple(p.id for p in self.catalog.protocols)
        levels = "; ".join(
            f"{p.id}: {', '.join(level.id for level in p.dose_levels)}"
            for p in self.catalog.protocols
        )
        values = FormDialog.ask(
            self,
            self.tr("New patient"),
            [
                Field("trial_id", self.tr("Trial ID"), self.search.text().strip()),
                Field("initials", self.tr("Initials")),
                Field("sex", self.tr("Sex"), choices=("female", "male")),
                Field("age_years", self.tr("Age (years)")),
                Field("weight_kg", self.tr("Weight (kg), actual body weight")),
                Field(
                    "weighed",
                    self.tr("Weighed at (HH:MM today, or date and time)"),
                    local_time(self.ctx.now()),
                ),
                Field("protocol", self.tr("Protocol"), choices=protocols),
                Field("dose_level", self.tr("Dose level or group"), hint=levels),
            ],
        )
        if values is None:
            return

        def call() -> object:
            now = self.ctx.now().astimezone(self.ctx.time_zone)
            age = values["age_years"]
            return patients.register_patient(
                self.ctx,
                user,
                trial_id=values["trial_id"],
                initials=values["initials"],
                sex=values["sex"],
                weight_kg=values["weight_kg"],
                weight_measured_at=parse_entered_time("weight_measured_at", values["weighed"], now),
                protocol_id=values["protocol"],
                dose_level=values["dose_level"],
                age_years=parse_int("age_years", age) if age.strip() else None,
            )

        self.tasks.run(
            call,
            lambda warnings: self._registered(values["trial_id"], warnings),
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _registered(self, trial_id: str, warnings: list[Advisory]) -> None:
        notes = "; ".join(shown(w.message) for w in warnings)
        self._say(
            self.tr("Patient {0} registered.").format(trial_id) + (f" {notes}" if notes else ""),
            ok=True,
        )
        self.search.setText(trial_id)
        self.refresh()

    def _record_weight(self) -> None:
        """Today's weight: the dose is calculated only from a weight of the last 24 hours."""
        user = self.user
        if user is None:
            return
        index = self.table.currentRow()
        trial = self.search.text().strip() or (
            self.rows[index].trial_id if 0 <= index < len(self.rows) else ""
        )
        values = FormDialog.ask(
            self,
            self.tr("New weight"),
            [
                Field("trial_id", self.tr("Trial ID"), trial),
                Field("weight_kg", self.tr("Weight (kg), actual body weight")),
                Field(
                    "weighed",
                    self.tr("Weighed at (HH:MM today, or date and time)"),
                    local_time(self.ctx.now()),
                ),
            ],
        )
        if values is None:
            return

        def call() -> list[Advisory]:
            weighed = parse_entered_time(
                "weight_measured_at",
                values["weighed"],
                self.ctx.now().astimezone(self.ctx.time_zone),
            )
            return patients.record_weight(
                self.ctx, user, values["trial_id"], values["weight_kg"], weighed
            )

        def done(warnings: list[Advisory]) -> None:
            notes = "; ".join(shown(w.message) for w in warnings)
            text = self.tr("Weight of {0} recorded.").format(values["trial_id"])
            self._say(text + (f" {notes}" if notes else ""), ok=True)

        self.tasks.run(call, done, lambda exc: self._say(failure_text(exc), error=True))

    def _create_infusion(self) -> None:
        text = self.search.text().strip()
        index = self.table.currentRow()
        if not text and 0 <= index < len(self.rows):
            text = self.rows[index].trial_id

        def find() -> tuple[views.PatientRow | None, tuple[str, ...]]:
            found = views.list_patients(self.ctx, text)
            exact = [p for p in found if p.summary.trial_id == text]
            if not found:
                return None, ()
            patient = (exact or found)[0]
            return patient, products.offerable_products(self.ctx, patient.summary.trial_id)

        self.tasks.run(
            find,
            lambda found: self._ask_infusion(*found),
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _ask_infusion(self, patient: views.PatientRow | None, offers: tuple[str, ...]) -> None:
        """Only this patient's released bags not bound to an infusion are offered."""
        user = self.user
        if user is None:
            return
        values = FormDialog.ask(
            self,
            self.tr("New infusion"),
            [
                Field("trial_id", self.tr("Trial ID"), patient.summary.trial_id if patient else ""),
                Field(
                    "product_id",
                    self.tr("Product ID"),
                    offers[0] if offers else "",
                    choices=offers,  # none free: an empty field, and the service says why
                ),
                Field(
                    "number",
                    self.tr("Cycle or dose number"),
                    str(patient.next_number) if patient else "1",
                ),
            ],
        )
        if values is None:
            return

        def call() -> int:
            number = parse_int("number", values["number"])  # '٣'.isdigit() is True
            return infusions.create_infusion(
                self.ctx, user, values["trial_id"], values["product_id"], number
            )

        self.tasks.run(
            call,
            self._created,
            lambda exc: self._say(failure_text(exc), error=True),
        )

    def _created(self, infusion_id: int) -> None:
        self._say(self.tr("Infusion created."), ok=True)
        self.refresh()
        self.open_infusion.emit(infusion_id)
