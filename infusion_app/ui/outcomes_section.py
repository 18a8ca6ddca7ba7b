"""The patient page's outcomes: blood counts typed in one row (Tab between the values, Enter
records) or imported from a CSV file, transfusions and the last contact (nurse or
investigator), and the investigator's signed tumour assessment, progression and death; below
them the counts with their CTCAE grades and what they add up to (the haematological response
at weeks 4 and 8, the tumour response, PFS and OS).

Every act is one service call off the UI thread; ``acted`` carries the page's one line and
the page reads the course again. The buttons exist only for a role that may do the act; the
service checks every rule again.

A time left as offered (the count's "drawn", the transfusion's "given at") is now, when
saved, as in every clinical dialog (ui/entry_time.py); a changed one is the paper record's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from infusion_app.file_guard import read_text_input_file
from infusion_app.logic.entered_time import parse_entered_time, parse_iso_date
from infusion_app.logic.identity import parse_count
from infusion_app.logic.labs import MAX_UNITS, Lineage
from infusion_app.logic.roles import Action, may
from infusion_app.services import outcomes
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.patient_view import PatientView
from infusion_app.ui.file_chooser import choose_file_to_open
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import failure_text, read_only_table, touch_sized
from infusion_app.ui.rows_table import Tint
from infusion_app.ui.signature_dialog import sign_and_save
from infusion_app.ui.tasks import Tasks

MAX_LABS_FILE = 1_000_000
LINEAGES = (Lineage.HB, Lineage.ANC, Lineage.PLT, Lineage.WBC, Lineage.LYM)
SEVERE = Tint(foreground="#b00020")  # grade 3 or 4


class OutcomesSection(QWidget):
    acted = Signal(str, bool)  # the outcome's one line, and whether it was refused

    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.view: PatientView | None = None
        self.outcomes: outcomes.PatientOutcomes | None = None

        # the acts a role may do are built for it (set_user); a monitor's section only reads
        self.entry: QWidget | None = None
        self.inputs: dict[Lineage, QLineEdit] = {}
        self.drawn_at = QLineEdit()
        self.drawn_offered = ""  # the text offered as now: left so, the count is drawn now
        self.record_button: QPushButton | None = None
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.acts: list[QPushButton] = []

        self.labs = read_only_table(
            [
                self.tr("Drawn"),
                self.tr("Hb (g/L)"),
                self.tr("ANC"),
                self.tr("PLT"),
                self.tr("WBC"),
                self.tr("LYM"),
                self.tr("From"),
            ]
        )
        self.labs.setObjectName("outcomeLabs")
        self.summary = QLabel()
        self.summary.setObjectName("outcomeSummary")
        self.summary.setWordWrap(True)

        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 4, 0, 0)
        self.layout_.addLayout(self.buttons)
        self.layout_.addWidget(self.labs, 1)
        self.layout_.addWidget(self.summary)

    def _button(self, text: str, name: str, act: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setProperty("writes", True)
        button.clicked.connect(act)
        touch_sized(button)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        self.acts.append(button)
        return button

    def set_user(self, user: CurrentUser | None) -> None:
        """Build the acts ``user``'s role may do (once); no other is there for it."""
        self.user = user
        if user is None or self.acts:
            return
        if may(user.role, Action.RECORD_LAB):
            self._build_entry()
            self._button(self.tr("Import counts…"), "importLabs", self._import)
            self._button(self.tr("Transfusion…"), "recordTransfusion", self._transfusion)
            self._button(
                self.tr("Last contact…"), "recordContact", lambda: self._dated("last-contact")
            )
        if may(user.role, Action.RECORD_OUTCOME):
            self._button(
                self.tr("Tumour assessment…"), "recordTumour", lambda: self._dated("tumour")
            )
            self._button(
                self.tr("Progression…"), "recordProgression", lambda: self._dated("progression")
            )
            self._button(self.tr("Death…"), "recordDeath", lambda: self._dated("death"))

    def _build_entry(self) -> None:
        # one row, no frame or title: the section has little height at 1366x768
        self.entry = QWidget(self)
        self.entry.setObjectName("labEntry")
        row = QHBoxLayout(self.entry)
        row.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(self.tr("Blood count:"))
        heading.setStyleSheet("font-weight: bold;")
        row.addWidget(heading)
        captions = {
            Lineage.HB: self.tr("Hb g/L"),
            Lineage.ANC: self.tr("ANC"),
            Lineage.PLT: self.tr("PLT"),
            Lineage.WBC: self.tr("WBC"),
            Lineage.LYM: self.tr("LYM"),
        }
        for lineage in LINEAGES:
            caption = QLabel(captions[lineage])
            edit = QLineEdit()
            edit.setObjectName(f"lab_{lineage.value}")
            edit.setMinimumWidth(48)
            edit.returnPressed.connect(self._record_lab)
            caption.setBuddy(edit)
            touch_sized(edit)
            row.addWidget(caption)
            row.addWidget(edit, 1)
            self.inputs[lineage] = edit
        drawn = QLabel(self.tr("Drawn"))
        self.drawn_at.setObjectName("lab_drawn_at")
        self.drawn_at.setPlaceholderText(self.tr("HH:MM or YYYY-MM-DD HH:MM"))
        self.drawn_at.returnPressed.connect(self._record_lab)
        drawn.setBuddy(self.drawn_at)
        self.record_button = QPushButton(self.tr("Record count"))
        self.record_button.setObjectName("recordLab")
        self.record_button.clicked.connect(self._record_lab)
        touch_sized(self.drawn_at, self.record_button)
        row.addWidget(drawn)
        self.drawn_at.setMinimumWidth(140)
        row.addWidget(self.drawn_at, 3)
        row.addWidget(self.record_button)

        self.record_button.setProperty("writes", True)
        self.acts.append(self.record_button)
        self.layout_.insertWidget(0, self.entry)

    # --- showing ---------------------------------------------------------------------------

    def show_outcomes(self, view: PatientView, shown: outcomes.PatientOutcomes) -> None:
        self.view, self.outcomes = view, shown
        enrolled = view.enrolment is not None
        for button in self.acts:
            button.setEnabled(enrolled)
            button.setToolTip("" if enrolled else self.tr("not enrolled yet"))
        if not self.drawn_at.text() or self.drawn_at.text() == self.drawn_offered:
            self._offer_now()
        rows, tints = [], []
        for lab in shown.labs:
            cells = [view.local(lab.test.drawn_at)]
            tint: dict[int, Tint] = {}
            for column, lineage in enumerate(LINEAGES, start=1):
                value = lab.test.value(lineage)
                grade = lab.grades.get(lineage, 0)
                cells.append(
                    "" if value is None else f"{value} (G{grade})" if grade else str(value)
                )
                if grade >= 3:
                    tint[column] = SEVERE
            cells.append(lab.source or self.tr("typed"))
            rows.append(cells)
            tints.append(tint)
        self.labs.set_rows(rows, tints)
        self.summary.setText("\n".join(self._summary_lines(view, shown)))

    def _response(self, value: str) -> str:
        """CR and PR read as they are; "none" (no response) is a word to translate."""
        return self.tr("no response") if value == "none" else value

    def _summary_lines(self, view: PatientView, shown: outcomes.PatientOutcomes) -> list[str]:
        lines = []
        kinds = {"rbc": self.tr("red cells"), "platelets": self.tr("platelets")}
        for given in shown.entries.given:
            lines.append(
                self.tr("Transfusion: {0} × {1} at {2}").format(
                    kinds.get(given.kind.value, given.kind.value),
                    given.units,
                    view.local(given.given_at),
                )
            )
        response = shown.response
        if response is not None:
            weeks = "; ".join(
                self.tr("week {0} ({1}): {2}, best {3}").format(
                    w.week,
                    w.day.isoformat(),
                    self._response(w.status.value),
                    self._response(w.best.value),
                )
                for w in response.weeks
            )
            note = self.tr(" (provisional)") if shown.response_provisional else ""
            lines.append(self.tr("Haematological response{0}: {1}").format(note, weeks))
            reached = [
                f"{key} {days} d" for key, days in response.time_to_response_days.items() if days
            ]
            if reached:
                lines.append(self.tr("Time to response: {0}").format(", ".join(reached)))
        entries = shown.entries
        if entries.assessments:
            said = ", ".join(f"{a.on} {a.response.value}" for a in entries.assessments)
            best = shown.best_response.value if shown.best_response else "–"
            lines.append(self.tr("Tumour assessments: {0}; best {1}").format(said, best))
        if entries.progression is not None:
            lines.append(self.tr("Progression: {0}").format(entries.progression))
        if entries.death is not None:
            lines.append(
                self.tr("Death: {0} ({1})").format(entries.death, entries.cause_of_death or "")
            )
        for name, time in ((self.tr("PFS"), shown.pfs), (self.tr("OS"), shown.os)):
            if time is not None:
                state = self.tr("event") if time.event else self.tr("censored")
                days = (  # "1 day", not "1 days"
                    self.tr("{0}: {1} day ({2})")
                    if time.days == 1
                    else self.tr("{0}: {1} days ({2})")
                )
                lines.append(days.format(name, time.days, state))
        return lines

    def _now_text(self) -> str:
        zone = self.view.zone if self.view is not None else None
        return self.ctx.now().astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def _offer_now(self) -> None:
        self.drawn_offered = self._now_text()
        self.drawn_at.setText(self.drawn_offered)
        self.drawn_at.setCursorPosition(0)  # the date first where the field is narrow

    # --- acts -------------------------------------------------------------------------------

    def _record_lab(self) -> None:
        view, user = self.view, self.user
        button = self.record_button
        if view is None or user is None or button is None or not button.isEnabled():
            return
        values = {
            lineage.value: text
            for lineage, edit in self.inputs.items()
            if (text := edit.text().strip())
        }
        try:
            text, now = self.drawn_at.text(), self.ctx.now()
            drawn = (
                now
                if text.strip() == self.drawn_offered
                else parse_entered_time("drawn_at", text, now.astimezone(view.zone))
            )
        except Exception as exc:  # an entry error: said in one line, nothing recorded
            self.acted.emit(failure_text(exc), True)
            return
        trial_id = view.trial_id

        def done(_seq: object) -> None:
            for edit in self.inputs.values():
                edit.clear()
            self._offer_now()
            self.inputs[Lineage.HB].setFocus()
            self.acted.emit(self.tr("Blood count of {0} recorded.").format(trial_id), False)

        self.tasks.run(
            lambda: outcomes.record_lab(self.ctx, user, trial_id, values, drawn_at=drawn),
            done,
            lambda exc: self.acted.emit(failure_text(exc), True),
        )

    def _import(self) -> None:
        view, user = self.view, self.user
        if view is None or user is None:
            return
        path = choose_file_to_open(
            self, self.tr("Import blood counts (CSV)"), self.tr("CSV files (*.csv)")
        )
        if path is None:
            return
        trial_id = view.trial_id

        def call() -> int:
            text = read_text_input_file(path, "file", max_bytes=MAX_LABS_FILE)
            return outcomes.import_labs(self.ctx, user, trial_id, text, source=path.name)

        self.tasks.run(
            call,
            lambda n: self.acted.emit(
                self.tr("{0} blood counts recorded from {1}.").format(n, path.name), False
            ),
            lambda exc: self.acted.emit(failure_text(exc), True),
        )

    def _transfusion(self) -> None:
        view, user = self.view, self.user
        if view is None or user is None:
            return
        kinds = {self.tr("red cells"): "rbc", self.tr("platelets"): "platelets"}
        offered = self._now_text()
        values = FormDialog.ask(
            self,
            self.tr("Transfusion for {0}").format(view.trial_id),
            [
                Field("kind", self.tr("Kind"), next(iter(kinds)), tuple(kinds)),
                Field("units", self.tr("Units"), "1"),
                Field("at", self.tr("Given at"), offered, hint="YYYY-MM-DD HH:MM"),
            ],
            self.tr("A transfusion voids the haematological response around it."),
        )
        if values is None:
            return
        try:
            now = self.ctx.now()
            given = (
                now
                if values["at"].strip() == offered
                else parse_entered_time("at", values["at"], now.astimezone(view.zone))
            )
            units = parse_count("units", values["units"], low=1, high=MAX_UNITS)
        except Exception as exc:
            self.acted.emit(failure_text(exc), True)
            return
        kind, trial_id = kinds[values["kind"]], view.trial_id
        self.tasks.run(
            lambda: outcomes.record_transfusion(
                self.ctx, user, trial_id, kind=kind, units=units, given_at=given
            ),
            lambda _: self.acted.emit(self.tr("Transfusion recorded."), False),
            lambda exc: self.acted.emit(failure_text(exc), True),
        )

    def _dated(self, kind: str) -> None:
        """Last contact (unsigned), tumour assessment, progression, death (signed)."""
        view, user = self.view, self.user
        if view is None or user is None:
            return
        today = self.ctx.now().astimezone(view.zone).date().isoformat()
        titles = {
            "last-contact": self.tr("Last contact with {0}"),
            "tumour": self.tr("Tumour assessment of {0}"),
            "progression": self.tr("Progression of {0}"),
            "death": self.tr("Death of {0}"),
        }
        fields = [Field("at", self.tr("Date"), today, hint="YYYY-MM-DD")]
        if kind == "tumour":
            responses = ("CR", "PR", "SD", "PD", "NE")
            fields.insert(
                0, Field("response", self.tr("Overall response (RECIST 1.1)"), "SD", responses)
            )
        if kind == "death":
            fields.append(Field("cause", self.tr("Cause")))
        values = FormDialog.ask(self, titles[kind].format(view.trial_id), fields)
        if values is None:
            return
        try:
            day = parse_iso_date("at", values["at"])
        except Exception as exc:
            self.acted.emit(failure_text(exc), True)
            return
        trial_id = view.trial_id
        if kind == "last-contact":
            self.tasks.run(
                lambda: outcomes.record_last_contact(self.ctx, user, trial_id, on=day),
                lambda _: self.acted.emit(self.tr("Last contact recorded."), False),
                lambda exc: self.acted.emit(failure_text(exc), True),
            )
            return

        def act(password: str) -> object:
            if kind == "tumour":
                return outcomes.record_tumour_assessment(
                    self.ctx,
                    user,
                    trial_id,
                    response=values["response"],
                    assessed_on=day,
                    password=password,
                )
            if kind == "progression":
                return outcomes.record_progression(
                    self.ctx, user, trial_id, on=day, password=password
                )
            return outcomes.record_death(
                self.ctx, user, trial_id, on=day, cause=values["cause"], password=password
            )

        what = titles[kind].format(trial_id) + f": {values.get('response', '')} {day}".rstrip()
        if kind == "death":
            what += f" ({values['cause']})"
        self._sign(what, act, self.tr("Recorded and signed."))

    def _sign(self, what: str, act: Callable[[str], object], done: str) -> None:
        user = self.user
        if user is None:
            return
        sign_and_save(
            self,
            self.tasks,
            what=what,
            meaning=self.tr("assessed"),
            printed_name=user.printed_name,
            act=act,
            signed=lambda: self.acted.emit(done, False),
            refused=lambda _exc, text: self.acted.emit(text, True),
        )
