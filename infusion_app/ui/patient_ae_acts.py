"""The care team's acts on the patient page: an adverse event of the patient, and the report
of a serious one.

An AE found between infusions (at a visit, by phone, from a lab result) belongs to the
patient, not to an infusion's screen (services/patient_aes.py): the reaction dialog
(ui/adverse_event_dialog.py) with its onset, and the entry's time as every clinical dialog
offers it (ui/entry_time.py). A serious AE's 24-hour report is recorded here whichever record
holds it: the patient's own (``report_patient_sae``) or an infusion's
(``bedside.report_sae``), so an SAE on the site's day is never a dead end.

Each act is one service call off the UI thread; ``done`` and ``refused`` carry the page's
one line (the page reads the course again after either). The buttons exist only for a role
that may record an adverse event (logic.roles.may; nurses and investigators) and are enabled
when the act makes sense for the course shown; the service checks every rule again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from infusion_app.logic import messages as m
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.roles import Action, may
from infusion_app.services import bedside, patient_aes
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.patient_view import AdverseEventRow, PatientView, SaeState
from infusion_app.ui.adverse_event_dialog import ONSET, AdverseEventDialog
from infusion_app.ui.entry_time import EntryTime, Timing, station_now
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import failure_text, touch_sized
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown


def may_record(user: CurrentUser | None) -> bool:
    """Whether ``user`` may do these acts: the page builds the buttons only then."""
    return user is not None and may(user.role, Action.RECORD_ADVERSE_EVENT)


def waiting_reports(view: PatientView | None, user: CurrentUser) -> list[AdverseEventRow]:
    """The serious AEs of the course whose report is not recorded yet and ``user`` may record:
    the patient's own, and an infusion's for a role that records at the bedside."""
    if view is None:
        return []
    bedside_role = may(user.role, Action.RECORD_INFUSION_EVENT)
    return [
        row
        for row in view.adverse_events
        if row.sae in (SaeState.DUE, SaeState.OVERDUE) and (row.infusion is None or bedside_role)
    ]


class PatientAeActs(QWidget):
    done = Signal(str)
    refused = Signal(str)

    def __init__(
        self, ctx: AppContext, tasks: Tasks, user: CurrentUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user = user
        self.view: PatientView | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        def button(text: str, name: str, act: Callable[[], None]) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setProperty("writes", True)
            made.setEnabled(False)
            made.clicked.connect(act)
            touch_sized(made)
            layout.addWidget(made)
            return made

        # Alt+N as on the bedside screen's "Reaction / AE"
        self.ae_button = button(self.tr("Adverse eve&nt…"), "patientAe", self._adverse_event)
        self.sae_button = button(self.tr("SAE rep&orted…"), "patientSaeReported", self._sae)
        layout.addStretch(1)

    def show_view(self, view: PatientView | None) -> None:
        """The course shown changed: each act enabled when it makes sense, else why not."""
        self.view = view
        if view is None:
            why_ae = why_sae = self.tr("choose a patient first")
        elif view.enrolment is None:
            why_ae = why_sae = self.tr("not enrolled yet")
        else:
            why_ae = ""
            why_sae = (
                ""
                if waiting_reports(view, self.user)
                else self.tr("no serious adverse event is waiting to be reported")
            )
        for button, why in ((self.ae_button, why_ae), (self.sae_button, why_sae)):
            button.setEnabled(not why)
            button.setToolTip(why)

    # --- the acts -------------------------------------------------------------------------

    def _adverse_event(self) -> None:
        view = self.view
        if view is None or view.enrolment is None:
            return
        time = EntryTime(self.ctx.now, view.zone)
        values = AdverseEventDialog.ask(self, None, time, view.trial_id)
        if values is None:
            return
        try:
            onset_text = values.pop(ONSET, "")
            if onset_text:
                values["started_at"] = parse_entered_time(
                    "started_at", onset_text, station_now(self.ctx.now(), view.zone)
                )
            timing = time.timing(self)
        except InputError as exc:
            self.refused.emit(failure_text(exc))
            return
        if timing is None:
            return
        user, trial_id = self.user, view.trial_id

        def said(outcome: patient_aes.PatientAe) -> str:
            recorded = self.tr("Adverse event #{0} of patient {1} recorded.")
            parts = [recorded.format(outcome.seq, trial_id)]
            if outcome.dlt:
                parts.append(self.tr("Flagged as a possible DLT."))
            if outcome.report_due_at is not None:
                parts.append(
                    self.tr("SAE report due by {0}.").format(view.local(outcome.report_due_at))
                )
            return " ".join(parts)

        self._run(
            lambda: patient_aes.record_patient_ae(
                self.ctx, user, trial_id, values, at=timing.at, reason=timing.late_reason
            ),
            said,
        )

    def _sae(self) -> None:
        view = self.view
        waiting = waiting_reports(view, self.user)
        if view is None or not waiting:
            return
        labels = [self._label(view, row) for row in waiting]
        time = EntryTime(self.ctx.now, view.zone)
        values = FormDialog.ask(
            self,
            self.tr("Serious adverse event of patient {0} reported").format(view.trial_id),
            [
                Field("event", self.tr("Adverse event"), labels[0], tuple(labels)),
                time.field(self.tr("Time ({0})").format(view.zone_name)),
            ],
            self.tr(
                "Record it once the report has gone to the sponsor and the ethics committee: "
                "its 24-hour countdown ends."
            ),
        )
        if values is None or values.get("event") not in labels:
            return
        row = waiting[labels.index(values["event"])]
        time.take(values)
        timing = self._timing(time)
        if timing is None:
            return
        user, trial_id, where = self.user, view.trial_id, shown(row.where)
        infusion_id = next((p.infusion_id for p in view.plan if p.number == row.infusion), None)
        if row.infusion is not None and infusion_id is None:
            # the view lists an AE of an infusion whose record it does not show: read again
            self.refused.emit(self.tr("Read the course again (F5) and try once more."))
            return

        def call() -> int:
            if infusion_id is None:  # recorded against the patient
                return patient_aes.report_patient_sae(
                    self.ctx, user, trial_id, row.seq, at=timing.at, reason=timing.late_reason
                )
            bedside.report_sae(
                self.ctx, user, infusion_id, row.seq, at=timing.at, late_reason=timing.late_reason
            )
            return row.seq

        self._run(
            call,
            lambda _seq: self.tr("SAE report of adverse event #{0} ({1}) recorded.").format(
                row.seq, where
            ),
        )

    # --- shared steps ---------------------------------------------------------------------

    def _label(self, view: PatientView, row: AdverseEventRow) -> str:
        """ "#5 (patient) Platelet count decreased grade 4, report due by 2026-12-02 10:00"."""
        return self.tr("#{0} ({1}) {2} grade {3}, report due by {4}").format(
            row.seq,
            shown(row.where),
            shown(m.value_of("ae_term", row.term)),
            row.grade,
            view.local(row.report_due_at),
        )

    def _timing(self, time: EntryTime) -> Timing | None:
        try:
            return time.timing(self)
        except InputError as exc:
            self.refused.emit(failure_text(exc))
            return None

    def _run(self, call: Callable[[], Any], said: Callable[[Any], str]) -> None:
        self.tasks.run(
            call,
            lambda result: self.done.emit(said(result)),
            lambda exc: self.refused.emit(failure_text(exc)),
        )
