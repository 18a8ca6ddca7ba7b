"""The Trial tab: the dose finding of one protocol, beside the data it comes from.

What the rule says now and why, what it waits for, the per-level counts, each patient's DLT
status (pending ones with their window's end, those to be replaced), the flagged DLTs to
adjudicate, BOIN's decision table with the current cell, and the signed reviews. Everything
comes from one service call (:func:`services.trial.trial_status`) off the UI thread, read
again when the record changes. The Summary section shows the trial summary of the same
protocol (:func:`services.trial_summary.trial_summary`: per-level counts and the outcome
lines), read in the same background task for a reader of the trial, and "Print summary…"
previews its PDF to print or save, audited like the safety review.

An investigator adjudicates a flagged DLT and signs the rule's decision from here (a form,
then the electronic signature, as on the patient page); a monitor only reads: the buttons
are not built for a role that may not act, and the services check again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic import messages as m
from infusion_app.logic.dlt_review import FlaggedDlt, ReviewState
from infusion_app.logic.dose_finding import SELECT, DltStatus, Phase, decision_reason
from infusion_app.logic.roles import Action, may
from infusion_app.logic.trial_summary import ALL_LEVELS, rate_message, summary_lines
from infusion_app.services import trial_records
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.dlt_review import review_dlt
from infusion_app.services.records import Document
from infusion_app.services.trial import (
    TrialView,
    dose_finding_protocols,
    review_decision,
    trial_status,
)
from infusion_app.services.trial_summary import TrialSummary, summary_record, trial_summary
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import (
    HEADING_STYLE,
    failure_text,
    local_time,
    read_only_table,
    say,
    touch_sized,
)
from infusion_app.ui.outputs import put_out
from infusion_app.ui.record_preview import RecordPreview
from infusion_app.ui.rows_table import ROW, Tint
from infusion_app.ui.signature_dialog import sign_and_save
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import current_language, shown

CURRENT = Tint(background="#fff9c4")  # the decision table's current cell, the current level
DLT = Tint(foreground="#b00020")
GONE = Tint(foreground="#616161")  # not evaluable: to be replaced
STATUS_TINTS = {DltStatus.DLT: DLT, DltStatus.NOT_EVALUABLE: GONE}


LEVEL_ROWS_SHOWN = 6  # the summary's levels in view at once (a protocol has 3 today, + all)


class TrialPage(QWidget):
    acted = Signal(str)  # an act's outcome, for tests and the status line

    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.view: TrialView | None = None
        self.trial_summary: TrialSummary | None = None
        self._request = 0
        self._reading = False  # the page says it is reading (refresh)

        heading = QLabel(self.tr("Trial: dose finding"))
        heading.setStyleSheet(HEADING_STYLE)
        self.protocol = QComboBox()
        self.protocol.setObjectName("trialProtocol")
        self.protocol.activated.connect(lambda _index: self.refresh())
        protocol_label = QLabel(self.tr("P&rotocol:"))
        protocol_label.setBuddy(self.protocol)
        refresh = self.refresh_button = QPushButton(self.tr("Refresh (F5)"))
        refresh.setShortcut("F5")
        refresh.clicked.connect(self.refresh)
        self.print_button = QPushButton(self.tr("&Print safety review…"))
        self.print_button.setObjectName("printSafetyReview")
        self.print_button.clicked.connect(self.preview_record)
        self.export_button = QPushButton(self.tr("E&xport counts…"))
        self.export_button.setObjectName("exportTrialCounts")
        self.export_button.clicked.connect(self.export_counts)
        self.summary_button = QPushButton(self.tr("Print su&mmary…"))
        self.summary_button.setObjectName("printTrialSummary")
        self.summary_button.clicked.connect(self.preview_summary)
        touch_sized(self.print_button, self.export_button, self.summary_button)
        self.preview: RecordPreview | None = None
        # the acts' buttons are built for a role that may act (set_user), not for a monitor
        self.adjudicate_button: QPushButton | None = None
        self.review_button: QPushButton | None = None
        touch_sized(self.protocol, refresh)

        self.summary = QLabel()
        self.summary.setObjectName("trialSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rule_line = QLabel()
        self.rule_line.setObjectName("trialDecision")
        self.rule_line.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.rule_line.setWordWrap(True)
        # the lines above the sections keep their place as decisions come and go, so a
        # click aimed at a tab or a row never lands on the one that moved under it
        self.rule_line.ensurePolished()
        self.rule_line.setMinimumHeight(self.rule_line.fontMetrics().lineSpacing() + 4)
        self.summary.setMinimumHeight(4 * self.summary.fontMetrics().lineSpacing())
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.counts = read_only_table(
            [
                self.tr("Level"),
                self.tr("Enrolled"),
                self.tr("Treated"),
                self.tr("Evaluable"),
                self.tr("Pending"),
                self.tr("DLTs"),
                self.tr("Not evaluable"),
            ]
        )
        self.counts.setObjectName("trialCounts")
        self.patients = read_only_table(
            [self.tr("Patient"), self.tr("Level"), self.tr("DLT status"), self.tr("Window ends")]
        )
        self.patients.setObjectName("trialPatients")
        self.dlts = read_only_table(
            [
                self.tr("Patient"),
                self.tr("Adverse event"),
                self.tr("Term"),
                self.tr("Grade"),
                self.tr("Started"),
                self.tr("Adjudication"),
            ]
        )
        self.dlts.setObjectName("trialDlts")
        self.dlts.selection_changed.connect(self._enable)
        self.table = read_only_table(
            [
                self.tr("Patients (n)"),
                self.tr("Escalate if DLTs ≤"),
                self.tr("De-escalate if DLTs ≥"),
                self.tr("Eliminate if DLTs ≥"),
            ]
        )
        self.table.setObjectName("trialTable")
        self.reviews = read_only_table(
            [
                self.tr("Signed"),
                self.tr("By"),
                self.tr("Decision"),
                self.tr("At level"),
                self.tr("Next level"),
            ]
        )
        self.reviews.setObjectName("trialReviews")
        self.summary_table = read_only_table(
            [
                self.tr("Level"),
                self.tr("Enrolled"),
                self.tr("Treated"),
                self.tr("Infusions planned"),
                self.tr("Infusions given"),
                self.tr("Evaluable"),
                self.tr("DLTs (rate)"),
                self.tr("Any AE"),
                self.tr("AE grade ≥ 3"),
                self.tr("SAE"),
            ]
        )
        self.summary_table.setObjectName("trialSummaryTable")
        self.outcomes = QLabel()
        self.outcomes.setObjectName("trialOutcomes")
        self.outcomes.setWordWrap(True)
        self.outcomes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcomes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        summary_section = QWidget()
        summary_section.setObjectName("trialSummarySection")
        summary_layout = QVBoxLayout(summary_section)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        # the table keeps the height of its rows (_show_summary) and the outcome lines, as
        # many as years of a trial make, scroll below it: they took the section's height
        # and left the levels one row at 1366x768
        lines = QScrollArea()
        lines.setObjectName("trialOutcomesArea")
        lines.setWidgetResizable(True)
        lines.setFrameShape(QFrame.Shape.NoFrame)
        lines.setWidget(self.outcomes)
        summary_layout.addWidget(self.summary_table)
        summary_layout.addWidget(lines, 1)
        self.summary_section = summary_section
        self.sections = QTabWidget()
        self.sections.setObjectName("trialSections")
        self.sections.addTab(self.counts, self.tr("&Levels"))
        self.sections.addTab(self.patients, self.tr("Pa&tients"))
        self.sections.addTab(self.dlts, self.tr("DLT ad&judication"))
        self.sections.addTab(self.table, self.tr("Decision ta&ble"))
        self.sections.addTab(self.reviews, self.tr("Signed re&views"))
        self.sections.addTab(summary_section, self.tr("S&ummary"))

        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        bar = self.bar = QHBoxLayout()
        bar.addWidget(protocol_label)
        bar.addWidget(self.protocol, 1)
        bar.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.rule_line)
        layout.addWidget(self.sections, 1)
        outputs = QHBoxLayout()
        outputs.addWidget(self.message, 1)
        outputs.addWidget(self.print_button)
        outputs.addWidget(self.export_button)
        outputs.addWidget(self.summary_button)
        layout.addLayout(outputs)
        self.setTabOrder(self.protocol, refresh)
        self.setTabOrder(refresh, self.sections)
        self.setTabOrder(self.sections, self.print_button)
        self.setTabOrder(self.print_button, self.export_button)
        self.setTabOrder(self.export_button, self.summary_button)

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        acts = user is not None and may(user.role, Action.REVIEW_TRIAL)
        if acts and self.review_button is None:
            self.adjudicate_button = self._act_button(
                self.tr("&Adjudicate DLT…"), "adjudicateDlt", self._adjudicate
            )
            self.review_button = self._act_button(
                self.tr("Sign the &decision…"), "reviewDecision", self._review
            )
            self.setTabOrder(self.refresh_button, self.adjudicate_button)
            self.setTabOrder(self.adjudicate_button, self.review_button)
            self.setTabOrder(self.review_button, self.sections)
        self._enable()

    def _act_button(self, text: str, name: str, act: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setProperty("writes", True)
        button.clicked.connect(act)
        touch_sized(button)
        self.bar.addWidget(button)
        return button

    # --- reading --------------------------------------------------------------------------

    def refresh(self) -> None:
        """The protocols offered and the tracker of the one chosen (the first offered: the
        site's latest registration), read off the UI thread."""
        chosen = self.protocol.currentText()
        self._request += 1
        request = self._request
        if self.view is None or chosen != self.view.protocol.id:
            # a first read of a large record takes seconds: say so (a later read keeps
            # whatever the page last said, an act's outcome)
            say(self.message, self.tr("Reading the trial records…"))
            self._reading = True
        user = self.user
        reads_summary = user is not None and may(user.role, Action.PRINT_TRIAL)

        def read() -> tuple[tuple[str, ...], TrialView | None, TrialSummary | None]:
            offered = dose_finding_protocols(self.ctx)
            protocol_id = chosen if chosen in offered else next(iter(offered), "")
            if not protocol_id:
                return offered, None, None
            view = trial_status(self.ctx, protocol_id)
            summary = None
            if reads_summary and user is not None:
                summary = trial_summary(self.ctx, user, protocol_id)
            return offered, view, summary

        self.tasks.run(
            read,
            lambda answer: self._answered(request, *answer),
            lambda exc: self._failed(request, exc),
        )

    def _answered(
        self,
        request: int,
        offered: tuple[str, ...],
        view: TrialView | None,
        summary: TrialSummary | None,
    ) -> None:
        if request != self._request:
            return  # a later read is on its way
        if self._reading:
            say(self.message, "")
            self._reading = False
        if tuple(self.protocol.itemText(i) for i in range(self.protocol.count())) != offered:
            self.protocol.clear()
            self.protocol.addItems(list(offered))
        if view is None:
            say(self.message, self.tr("No installed protocol has a dose-finding rule."))
            return
        self.protocol.setCurrentText(view.protocol.id)
        self.view = view
        self.trial_summary = summary
        self._show(view)
        self._show_summary(summary)
        self._enable()

    def _failed(self, request: int, exc: Exception) -> None:
        if request == self._request:
            self._reading = False
            say(self.message, failure_text(exc), error=True)

    # --- showing --------------------------------------------------------------------------

    def _show(self, view: TrialView) -> None:
        state = view.state
        current = state.level_id(state.current)
        lines = [
            self.tr("{0} · {1} · levels in order {2}").format(
                state.protocol, state.method, " → ".join(state.levels)
            ),
            self.tr("Current level: {0} · {1}").format(current or "–", self._phase(state.phase)),
        ]
        if state.waiting:
            lines.append(self.tr("Waiting: {0}").format("; ".join(shown(x) for x in state.waiting)))
        if state.eliminated:
            lines.append(
                self.tr("Eliminated (too toxic): {0}").format(
                    ", ".join(state.levels[i] for i in state.eliminated)
                )
            )
        if state.selection is not None:
            estimates = [
                f"{level} {float(e):.2f}"
                for level, e in zip(state.levels, state.selection.estimates, strict=True)
                if e is not None
            ]
            lines.append(
                self.tr("Estimated DLT rates (isotonic, target {0:.2f}): {1}").format(
                    float(view.table.target) if view.table is not None else 0.0,
                    "; ".join(estimates),
                )
            )
        if state.to_replace:
            lines.append(
                self.tr("To be replaced: {0}").format(
                    ", ".join(f"{p.trial_id} ({p.level})" for p in state.to_replace)
                )
            )
        self.summary.setText("\n".join(lines))
        reason = decision_reason(state)
        self.rule_line.setText(
            self.tr("The rule says: {0}").format(shown(reason)) if reason is not None else ""
        )
        self.counts.set_rows(
            [
                [
                    c.level,
                    str(c.enrolled),
                    str(c.treated),
                    str(c.evaluable),
                    str(c.pending),
                    str(c.dlts),
                    str(c.not_evaluable),
                ]
                for c in state.counts
            ],
            [{ROW: CURRENT} if c.level == current else {} for c in state.counts],
        )
        patients = (*state.patients, *state.expansion)
        statuses = [p.status(state.now) for p in patients]
        self.patients.set_rows(
            [
                [
                    p.trial_id + (self.tr(" (deviation)") if p.deviation else ""),
                    p.level,
                    self._status(s),
                    local_time(p.window_closes, with_date=True),
                ]
                for p, s in zip(patients, statuses, strict=True)
            ],
            [{ROW: tint} if (tint := STATUS_TINTS.get(s)) else {} for s in statuses],
        )
        self.dlts.set_rows(
            [
                [
                    p.trial_id,
                    f"{d.stream} #{d.seq}",
                    shown(m.value_of("ae_term", d.event.name)),
                    str(d.event.grade),
                    local_time(d.event.started_at, with_date=True),
                    self._verdict(d.state.value, d.review.reason if d.review else ""),
                ]
                for p in view.dlts
                for d in p.flagged
            ]
        )
        at = state.counts[state.current] if state.current is not None else None
        rows = view.table.rows if view.table is not None else ()
        self.table.set_rows(
            [
                [
                    str(r.n),
                    _cell(r.escalate_if_dlt_le),
                    _cell(r.deescalate_if_dlt_ge),
                    _cell(r.eliminate_if_dlt_ge),
                ]
                for r in rows
            ],
            [{ROW: CURRENT} if at is not None and r.n == at.evaluable else {} for r in rows],
        )
        self.sections.setTabEnabled(self.sections.indexOf(self.table), view.table is not None)
        self.reviews.set_rows(
            [
                [
                    local_time(r.at, with_date=True),
                    r.by or "",
                    r.decision,
                    r.level,
                    r.next_level or "–",
                ]
                for r in state.reviews
            ]
        )

    def _fit_levels(self) -> None:
        """The summary's table as high as its rows, up to LEVEL_ROWS_SHOWN (beyond, it
        scrolls, and the outcome lines keep a share of the section)."""
        table = self.summary_table
        row = table.verticalHeader().defaultSectionSize()
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        # asked before the section is first shown too: sizes from hints, not geometry
        frame = 2 * table.frameWidth() + table.horizontalHeader().sizeHint().height()
        scroll = table.horizontalScrollBar().sizeHint().height()  # when the columns are wide
        table.setFixedHeight(frame + min(max(rows, row), LEVEL_ROWS_SHOWN * row) + scroll)

    def _show_summary(self, summary: TrialSummary | None) -> None:
        """The per-level numbers and the outcome lines (read-only), with the data cut."""
        groups = summary.numbers.groups if summary is not None else ()
        self.summary_table.set_rows(
            [
                [
                    self.tr("All levels") if g.level == ALL_LEVELS else g.level,
                    str(g.safety.enrolled),
                    str(g.safety.treated),
                    str(g.safety.infusions_planned),
                    str(g.safety.infusions_given),
                    str(g.safety.evaluable),
                    shown(rate_message(g.safety.dlt)),
                    str(g.safety.any_ae),
                    str(g.safety.grade_3_or_more),
                    str(g.safety.serious),
                ]
                for g in groups
            ]
        )
        self._fit_levels()
        if summary is None:
            self.outcomes.setText("")
            return
        lines = [
            self.tr("Data cut {0}; heads digest {1}…").format(
                local_time(summary.at, with_date=True), summary.heads_digest[:16]
            )
        ]
        lines += [
            self.tr("{0}: related AE {1}: {2} patients, worst grade {3}").format(
                self.tr("All levels") if g.level == ALL_LEVELS else g.level,
                shown(m.value_of("ae_term", row.term)),
                row.patients,
                row.worst_grade,
            )
            for g in groups
            for row in g.safety.related
        ]
        lines += [shown(line) for g in groups for line in summary_lines(g)]
        self.outcomes.setText("\n".join(lines))

    def _phase(self, phase: Phase) -> str:
        return {
            Phase.WAITING: self.tr("waiting for the cohort"),
            Phase.DECISION_DUE: self.tr("a decision awaits its signed review"),
            Phase.SELECTION_DUE: self.tr("dose finding complete: the optimal dose to sign"),
            Phase.EXPANSION: self.tr("optimal dose signed: later patients receive it"),
            Phase.COMPLETE: self.tr("dose finding over"),
        }[phase]

    def _status(self, status: DltStatus) -> str:
        return {
            DltStatus.PENDING: self.tr("pending"),
            DltStatus.DLT: self.tr("DLT"),
            DltStatus.NO_DLT: self.tr("no DLT"),
            DltStatus.NOT_EVALUABLE: self.tr("not evaluable: replace"),
        }[status]

    def _verdict(self, state: str, reason: str) -> str:
        said = {
            "pending": self.tr("to adjudicate"),
            "confirmed": self.tr("confirmed"),
            "rejected": self.tr("rejected"),
        }[state]
        return f"{said} ({reason})" if reason else said

    # --- printing -------------------------------------------------------------------------

    def preview_record(self) -> None:
        """The safety-review record of the protocol shown (its latest signed review, or the
        draft), made off the UI thread, then previewed to print or save (both audited)."""
        user, view = self.user, self.view
        if user is None or view is None:
            return
        protocol_id, language = view.protocol.id, current_language()
        say(self.message, self.tr("Making the record…"))
        self.tasks.run(
            lambda: trial_records.safety_review_record(
                self.ctx, user, protocol_id, language=language
            ),
            self._show_preview,
            lambda exc: say(self.message, failure_text(exc), error=True),
        )

    def _show_preview(self, document: Document) -> None:
        say(self.message, self.tr("Record ready: {0} bytes.").format(len(document.data)), ok=True)
        if self.preview is not None:
            self.preview.close()
        self.preview = RecordPreview(document, self._put_out, self)
        self.preview.setObjectName("recordPreview")
        self.preview.present()

    def preview_summary(self) -> None:
        """The trial summary's PDF of the protocol shown, made off the UI thread, then
        previewed to print or save (both audited with the heads digest)."""
        user, view = self.user, self.view
        if user is None or view is None:
            return
        protocol_id, language = view.protocol.id, current_language()
        say(self.message, self.tr("Making the summary…"))
        self.tasks.run(
            lambda: summary_record(self.ctx, user, protocol_id, language=language),
            self._show_preview,
            lambda exc: say(self.message, failure_text(exc), error=True),
        )

    def export_counts(self) -> None:
        user, view = self.user, self.view
        if user is None or view is None:
            return
        protocol_id = view.protocol.id
        self.tasks.run(
            lambda: trial_records.trial_counts_csv(self.ctx, user, protocol_id),
            self._ask_where,
            lambda exc: say(self.message, failure_text(exc), error=True),
        )

    def _ask_where(self, document: Document) -> None:
        path = RecordPreview.ask_path(self, document.file_name, "*.csv")
        if path is not None:
            self._put_out(document, path, "")

    def _put_out(self, document: Document, path: Path | None, printer: str) -> None:
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
        say(self.message, text, ok=not error, error=error)

    # --- acting ---------------------------------------------------------------------------

    def _chosen_dlt(self) -> tuple[str, FlaggedDlt] | None:
        view = self.view
        if view is None:
            return None
        flat = [(p.trial_id, d) for p in view.dlts for d in p.flagged]
        index = self.dlts.currentRow()
        return flat[index] if 0 <= index < len(flat) else None

    def _enable(self) -> None:
        readable = self.view is not None
        self.print_button.setEnabled(readable)
        self.export_button.setEnabled(readable)
        self.summary_button.setEnabled(readable)
        if self.review_button is None or self.adjudicate_button is None:
            return  # a role that reads only
        view = self.view
        due = view is not None and view.state.phase in (Phase.DECISION_DUE, Phase.SELECTION_DUE)
        self.review_button.setEnabled(due)
        self.review_button.setToolTip(
            "" if due else self.tr("No decision is due: the rule waits for the cohort.")
        )
        chosen = self._chosen_dlt()
        pending = chosen is not None and chosen[1].state is ReviewState.PENDING
        self.adjudicate_button.setEnabled(pending)
        self.adjudicate_button.setToolTip(
            "" if pending else self.tr("Choose a flagged DLT still to adjudicate.")
        )

    def _adjudicate(self) -> None:
        chosen = self._chosen_dlt()
        if chosen is None:
            return
        trial_id, flagged = chosen
        event = flagged.event
        verdicts = {self.tr("confirmed: a DLT"): True, self.tr("rejected: not a DLT"): False}
        what = self.tr("{0} grade {1} of patient {2}, started {3} ({4} #{5})").format(
            shown(m.value_of("ae_term", event.name)),
            event.grade,
            trial_id,
            local_time(event.started_at, with_date=True),
            flagged.stream,
            flagged.seq,
        )
        values = FormDialog.ask(
            self,
            self.tr("Adjudicate a flagged DLT"),
            [
                Field("verdict", self.tr("Verdict"), next(iter(verdicts)), tuple(verdicts)),
                Field("reason", self.tr("Reason")),
            ],
            self.tr("Flagged by the rules: {0}. Only confirmed DLTs count.").format(what),
        )
        if values is None:
            return
        confirmed = verdicts[values["verdict"]]
        self._sign(
            self.tr("DLT adjudication: {0}: {1} ({2})").format(
                what, values["verdict"], values["reason"]
            ),
            lambda user, password: review_dlt(
                self.ctx,
                user,
                trial_id,
                stream=flagged.stream,
                adverse_event_seq=flagged.seq,
                confirmed=confirmed,
                reason=values["reason"],
                password=password,
            ),
            self.tr("{0} #{1} adjudicated: {2}.").format(
                flagged.stream, flagged.seq, values["verdict"]
            ),
        )

    def _review(self) -> None:
        view = self.view
        if view is None:
            return
        state = view.state
        reason = decision_reason(state)
        if reason is None:
            return
        if state.phase is Phase.SELECTION_DUE:
            expected = SELECT
        elif state.decision is not None:
            expected = state.decision.kind.value
        else:
            return
        chosen: str | None = None
        why: str | None = None
        selection = state.selection
        if selection is not None and selection.selected != selection.selected_largest_on_tie:
            boin = state.level_id(selection.selected) or ""
            seed = state.level_id(selection.selected_largest_on_tie) or ""
            offered = {
                self.tr("{0} (BOIN select.mtd)").format(boin): boin,
                self.tr("{0} (the protocol's wording: largest equal or closest)").format(
                    seed
                ): seed,
            }
            values = FormDialog.ask(
                self,
                self.tr("Choose the optimal dose"),
                [
                    Field("level", self.tr("Optimal dose"), next(iter(offered)), tuple(offered)),
                    Field("why", self.tr("Reason for the choice")),
                ],
                shown(reason),
            )
            if values is None:
                return
            chosen, why = offered[values["level"]], values["why"]
        counts = "; ".join(f"{c.level}: {c.dlts}/{c.evaluable}" for c in state.counts)
        what = self.tr("Dose-finding decision of {0}: {1}{2} (DLTs/evaluable {3})").format(
            state.protocol,
            shown(reason),
            self.tr(", chosen {0}: {1}").format(chosen, why) if chosen else "",
            counts,
        )
        protocol_id = view.protocol.id
        self._sign(
            what,
            lambda user, password: review_decision(
                self.ctx,
                user,
                protocol_id,
                expected_decision=expected,
                password=password,
                chosen_level=chosen,
                choice_reason=why,
            ),
            self.tr("Decision signed: {0}.").format(shown(reason)),
        )

    def _sign(self, what: str, act: Callable[[CurrentUser, str], object], done: str) -> None:
        """Saved from the open signature dialog (signature_dialog.sign_and_save); the page
        says the outcome in one line and reads the trial again either way."""
        user = self.user
        if user is None:
            return

        def said(text: str, *, ok: bool) -> None:
            say(self.message, text, ok=ok, error=not ok)
            self.acted.emit(text)
            self.refresh()

        sign_and_save(
            self,
            self.tasks,
            what=what,
            meaning=self.tr("reviewed"),
            printed_name=user.printed_name,
            act=lambda password: act(user, password),
            signed=lambda: said(done, ok=True),
            refused=lambda _exc, text: said(text, ok=False),
        )


def _cell(value: int | None) -> str:
    return "–" if value is None else str(value)
