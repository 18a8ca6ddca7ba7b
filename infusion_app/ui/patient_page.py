"""The patient's course on one page: enrolment and level, the plan ("infusion n of
N", each infusion's target, window and status, the next one), the visit and sample calendar,
the adverse events with their DLT flag and SAE report, and the weights.

Everything shown comes from one service call (:func:`services.patient_view.patient_view`),
run off the UI thread; the window calls :meth:`PatientPage.refresh` when the record changes
(ui/record_watch.py), so a visit recorded at another station shows here within 2 s. Times are
the protocol's local time (its day windows are counted there), with the zone named.

An investigator also acts on the course from here (ui/investigator_acts.py: enrol, change the
level, end treatment, review a flagged DLT); nurses and investigators record an adverse event
of the patient and a serious one's report (ui/patient_ae_acts.py); for every other role the
page only reads.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic import messages as m
from infusion_app.logic.course import CalendarStatus, PlanStatus
from infusion_app.logic.protocol_texts import readable
from infusion_app.services import outcomes, views
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.patient_view import PatientView, SaeState, patient_view
from infusion_app.ui.investigator_acts import InvestigatorActs, may_act
from infusion_app.ui.look import HEADING_STYLE, failure_text, read_only_table, say, touch_sized
from infusion_app.ui.outcomes_section import OutcomesSection
from infusion_app.ui.patient_ae_acts import PatientAeActs, may_record
from infusion_app.ui.rows_table import ROW, Tint
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import current_language, shown

# for lupdate: the statuses and kinds the page shows, in the interface's language
STATUS_WORDS = (
    QT_TRANSLATE_NOOP("Course", "planned"),
    QT_TRANSLATE_NOOP("Course", "due"),
    QT_TRANSLATE_NOOP("Course", "given"),
    QT_TRANSLATE_NOOP("Course", "missed"),
    QT_TRANSLATE_NOOP("Course", "not given"),
    QT_TRANSLATE_NOOP("Course", "waiting"),
    QT_TRANSLATE_NOOP("Course", "upcoming"),
    QT_TRANSLATE_NOOP("Course", "done"),
    QT_TRANSLATE_NOOP("Course", "late"),
    QT_TRANSLATE_NOOP("Course", "out of window"),
    QT_TRANSLATE_NOOP("Course", "cancelled"),
    QT_TRANSLATE_NOOP("Course", "visit"),
    QT_TRANSLATE_NOOP("Course", "check"),
    QT_TRANSLATE_NOOP("Course", "sample"),
    QT_TRANSLATE_NOOP("Course", "assessment"),
    QT_TRANSLATE_NOOP("Course", "not serious"),  # a serious one shows its report's state
)

LATE = Tint(foreground="#b00020")  # missed, overdue: the alarm red of ui/look.py
OPEN = Tint(background="#fff9c4")  # due now
DONE = Tint(foreground="#1b5e20")
PAST = Tint(foreground="#616161")  # cancelled, not given


def word(value: str) -> str:
    return QCoreApplication.translate("Course", value)


# the stored sex in words (the printed record says the same, from the one glossary)
SEXES = {
    "female": QT_TRANSLATE_NOOP("PatientPage", "female"),
    "male": QT_TRANSLATE_NOOP("PatientPage", "male"),
    "unknown": QT_TRANSLATE_NOOP("PatientPage", "unknown"),
}


class PatientPage(QWidget):
    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.view: PatientView | None = None
        self.trial_id = ""
        self.acts: InvestigatorActs | None = None  # built for a role that may act
        self.ae_acts: PatientAeActs | None = None  # built for a role that records AEs
        # reads finish out of order: only the answer to the latest request is shown
        self._request = 0
        # the message says a read (under way or failed), cleared by the next good read; an
        # act's outcome stays through the reads that follow it
        self._reading = False

        heading = QLabel(self.tr("Patient course"))
        heading.setStyleSheet(HEADING_STYLE)
        self.patient = QComboBox()
        self.patient.setObjectName("coursePatient")
        self.patient.setEditable(True)
        self.patient.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.patient.setMinimumWidth(220)
        line = self.patient.lineEdit()
        assert line is not None  # an editable combo box has one
        line.setPlaceholderText(self.tr("Trial ID"))
        line.returnPressed.connect(self._chosen)
        self.patient.activated.connect(lambda _index: self._chosen())
        patient_label = QLabel(self.tr("&Patient:"))
        patient_label.setBuddy(self.patient)
        self.show_button = QPushButton(self.tr("&Show"))
        self.show_button.setObjectName("showCourse")
        self.show_button.clicked.connect(self._chosen)
        refresh = self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refresh)
        touch_sized(self.patient, self.show_button, refresh)

        self.summary = QLabel()
        self.summary.setObjectName("courseSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_line = QLabel()
        self.next_line.setObjectName("courseNext")
        self.next_line.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.next_line.setWordWrap(True)

        self.plan = read_only_table(
            [
                self.tr("Infusion"),
                self.tr("Level"),
                self.tr("Target"),
                self.tr("Window"),
                self.tr("Status"),
                self.tr("Started at"),
                self.tr("Remark"),
            ]
        )
        self.plan.setObjectName("coursePlan")
        self.calendar = read_only_table(
            [
                self.tr("Item"),
                self.tr("Category"),
                self.tr("Window"),
                self.tr("Status"),
                self.tr("Done"),
                self.tr("Done by"),
                self.tr("Sample ID"),
            ]
        )
        self.calendar.setObjectName("courseCalendar")
        self.adverse = read_only_table(
            [
                self.tr("Started at"),
                self.tr("Term"),
                self.tr("Grade"),
                self.tr("Recorded on"),
                self.tr("Attribution"),
                self.tr("DLT"),
                self.tr("SAE report"),
                self.tr("Review"),
            ]
        )
        self.adverse.setObjectName("courseAdverseEvents")
        self.adverse.selection_changed.connect(self._adverse_event_chosen)
        self.weights = read_only_table(
            [self.tr("Weight (kg)"), self.tr("Measured"), self.tr("Recorded by")]
        )
        self.weights.setObjectName("courseWeights")
        self.sections = QTabWidget()
        self.sections.setObjectName("courseSections")
        self.sections.addTab(self.plan, self.tr("Pl&an"))
        self.sections.addTab(self.calendar, self.tr("&Calendar"))
        self.sections.addTab(self.adverse, self.tr("A&dverse events"))
        self.sections.addTab(self.weights, self.tr("&Weights"))
        self.outcome_section = OutcomesSection(ctx, tasks, self)
        self.outcome_section.setObjectName("courseOutcomes")
        self.outcome_section.acted.connect(lambda text, refused: self._acted(text, ok=not refused))
        self.sections.addTab(self.outcome_section, self.tr("O&utcomes"))

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(patient_label)
        bar.addWidget(self.patient, 1)
        bar.addWidget(self.show_button)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.next_line)
        self.acts_place = QHBoxLayout()
        layout.addLayout(self.acts_place)
        layout.addWidget(self.sections, 1)
        layout.addWidget(self.message)
        self.setTabOrder(self.patient, self.show_button)
        self.setTabOrder(self.show_button, refresh)
        self.setTabOrder(refresh, self.sections)

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        self.outcome_section.set_user(user)
        built = False
        if self.acts is None and user is not None and may_act(user):
            self.acts = InvestigatorActs(self.ctx, self.tasks, user, self)
            self.acts.setObjectName("courseActs")
            self.acts.done.connect(lambda text: self._acted(text, ok=True))
            self.acts.refused.connect(lambda text: self._acted(text, ok=False))
            self.acts_place.addWidget(self.acts)
            self.acts.show_view(self.view)
            built = True
        if self.ae_acts is None and user is not None and may_record(user):
            self.ae_acts = PatientAeActs(self.ctx, self.tasks, user, self)
            self.ae_acts.setObjectName("courseAeActs")
            self.ae_acts.done.connect(lambda text: self._acted(text, ok=True))
            self.ae_acts.refused.connect(lambda text: self._acted(text, ok=False))
            self.acts_place.addWidget(self.ae_acts)
            self.ae_acts.show_view(self.view)
            built = True
        if built:
            last: QWidget = self.refresh_button
            for acts in (self.acts, self.ae_acts):
                for button in acts.findChildren(QPushButton) if acts is not None else ():
                    self.setTabOrder(last, button)
                    last = button
            self.setTabOrder(last, self.sections)

    def _acted(self, text: str, *, ok: bool) -> None:
        """An act's outcome stays said while the course is read again."""
        self._reading = False
        say(self.message, text, ok=ok, error=not ok)
        self.refresh()

    def _adverse_event_chosen(self) -> None:
        if self.acts is None:
            return
        index = self.adverse.currentRow()
        rows = self.view.adverse_events if self.view is not None else ()
        self.acts.choose_adverse_event(rows[index] if 0 <= index < len(rows) else None)

    # --- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """The list of patients, and the course of the one shown (read again)."""
        self.tasks.run(
            lambda: [row.summary.trial_id for row in views.list_patients(self.ctx)],
            self._patients,
            lambda exc: self._say(failure_text(exc), error=True),
        )
        if self.trial_id:
            self.open(self.trial_id)

    def _patients(self, trial_ids: list[str]) -> None:
        typed = self.patient.currentText()
        self.patient.blockSignals(True)
        self.patient.clear()
        self.patient.addItems(trial_ids)
        self.patient.setEditText(typed or self.trial_id)
        self.patient.blockSignals(False)

    def _chosen(self) -> None:
        trial_id = self.patient.currentText().strip()
        if trial_id:
            self.open(trial_id)

    def open(self, trial_id: str) -> None:
        """Read the patient's course off the UI thread; shown when it comes back."""
        self._request += 1
        request = self._request
        if trial_id != self.trial_id or self._reading or not self.message.text():
            self._say(self.tr("Reading the course of {0}…").format(trial_id))
            self._reading = True
        self.trial_id = trial_id
        self.tasks.run(
            lambda: (
                patient_view(self.ctx, trial_id),
                outcomes.patient_outcomes(self.ctx, trial_id),
            ),
            lambda answer: self._answered(request, *answer),
            lambda exc: self._failed(request, exc),
        )

    def _answered(self, request: int, view: PatientView, shown: outcomes.PatientOutcomes) -> None:
        if request != self._request:
            return  # a later read is on its way
        self.view = view
        self.outcome_section.show_outcomes(view, shown)
        if self._reading:
            self._say("")
            self._reading = False
        self._show(view)
        if self.acts is not None:
            self.acts.show_view(view)
            self._adverse_event_chosen()  # a row kept selected through the refill
        if self.ae_acts is not None:
            self.ae_acts.show_view(view)

    def _failed(self, request: int, exc: Exception) -> None:
        if request == self._request:
            self._say(failure_text(exc), error=True)
            self._reading = True

    def _say(self, text: str, *, error: bool = False) -> None:
        say(self.message, text, error=error)

    # --- showing --------------------------------------------------------------------------

    def _show(self, view: PatientView) -> None:
        self.summary.setText("\n".join(self._summary_lines(view)))
        self.next_line.setText(self._next_text(view))
        self._show_plan(view)
        self._show_calendar(view)
        self._show_adverse_events(view)
        self.weights.set_rows(
            [[str(w.weight_kg), view.local(w.measured_at), w.by or ""] for w in view.weights]
        )

    def _window_words(self) -> tuple[str, str]:
        return self.tr("from {0}"), self.tr("{0} to {1}")

    def _summary_lines(self, view: PatientView) -> list[str]:
        age = self.tr(", {0} years").format(view.age_years) if view.age_years is not None else ""
        lines = [
            self.tr("{0} ({1}, {2}{3}) · {4} · times in {5}").format(
                view.trial_id,
                view.initials,
                QCoreApplication.translate("PatientPage", str(SEXES.get(view.sex, view.sex))),
                age,
                view.protocol,
                view.zone_name,
            ),
            shown(view.enrolment_text),
            self.tr("Level {0}: {1}").format(
                view.current_level, readable(view.current_level_label, current_language())
            ),
        ]
        if view.enrolment_deviation is not None:
            lines.insert(2, shown(view.enrolment_deviation))
        lines.extend(shown(change.text) for change in view.level_changes)
        if view.end is not None:
            lines.append(
                shown(view.end.text) + (f": {view.end.details}" if view.end.details else "")
            )
        return lines

    def _next_text(self, view: PatientView) -> str:
        row = view.next
        if row is None:
            return self.tr("No infusion is planned next.")
        window = view.window_text(row.opens, row.closes, all_day=True, words=self._window_words())
        if row.target is None:
            return self.tr("Next: {0}, {1}").format(shown(row.of_text), window)
        return self.tr("Next: {0}, target {1}, window {2} ({3})").format(
            shown(row.of_text), row.target.isoformat(), window, word(row.status.value)
        )

    def _show_plan(self, view: PatientView) -> None:
        rows, tints = [], []
        for row in view.plan:
            notes = []
            if row.deviation:
                notes.append(shown(m.view_deviation(reason=row.deviation)))
            if row.not_given_reason is not None:
                notes.append(shown(row.not_given_reason))
            rows.append(
                [
                    shown(row.of_text),
                    row.level,
                    row.target.isoformat() if row.target is not None else "",
                    view.window_text(
                        row.opens, row.closes, all_day=True, words=self._window_words()
                    ),
                    word(row.status.value),
                    view.local(row.started_at),
                    "; ".join(notes),
                ]
            )
            tints.append({ROW: tint} if (tint := PLAN_TINTS.get(row.status)) else {})
        self.plan.set_rows(rows, tints)

    def _show_calendar(self, view: PatientView) -> None:
        rows, tints = [], []
        for row in view.calendar:
            rows.append(
                [
                    shown(row.label),
                    word(row.kind),
                    view.window_text(
                        row.opens, row.closes, all_day=row.all_day, words=self._window_words()
                    ),
                    word(row.status.value),
                    view.local(row.done_at),
                    row.by or "",
                    row.sample_id or "",
                ]
            )
            tints.append({ROW: tint} if (tint := CALENDAR_TINTS.get(row.status)) else {})
        self.calendar.set_rows(rows, tints)

    def _show_adverse_events(self, view: PatientView) -> None:
        rows, tints = [], []
        for row in view.adverse_events:
            rows.append(
                [
                    view.local(row.started_at),
                    shown(m.value_of("ae_term", row.term)),
                    str(row.grade),
                    shown(row.where),
                    shown(m.value_of("attribution", row.attribution)),
                    self.tr("flagged") if row.dlt else "",
                    shown(row.sae_text) if row.sae_text is not None else word(row.sae.value),
                    shown(row.review.text) if row.review is not None else "",
                ]
            )
            tints.append({6: LATE} if row.sae is SaeState.OVERDUE else {})
        self.adverse.set_rows(rows, tints)


PLAN_TINTS = {
    PlanStatus.DUE: OPEN,
    PlanStatus.MISSED: LATE,
    PlanStatus.GIVEN: DONE,
    PlanStatus.NOT_GIVEN: PAST,
}
CALENDAR_TINTS = {
    CalendarStatus.DUE: OPEN,
    CalendarStatus.MISSED: LATE,
    CalendarStatus.LATE: LATE,
    CalendarStatus.OUT_OF_WINDOW: LATE,
    CalendarStatus.DONE: DONE,
    CalendarStatus.CANCELLED: PAST,
}
