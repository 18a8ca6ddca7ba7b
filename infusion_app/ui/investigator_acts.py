"""The investigator's acts on the course shown on the patient page: enrol, change the level of
later infusions, end treatment, review a flagged DLT.

Each act is a form (ui/form_dialog.py) and then the electronic signature, saved from the open
signature dialog like the pharmacy's release: one service call off the UI thread, a wrong
password keeps the dialog open, and the page says the outcome in one line and reads the course
again. The buttons exist only for a role that may do the act (logic.roles.may) and are enabled
only when the act makes sense for the course shown; the service checks every rule again.

A time left as offered is "now, when signed"; a changed time is a back-entry (an act done on
paper during a downtime), and one more than 5 minutes back asks why it is entered late.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from infusion_app.logic import messages as m
from infusion_app.logic.course import EndReason
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import parse_count
from infusion_app.logic.protocol_texts import readable
from infusion_app.logic.roles import Action, may
from infusion_app.services import course_acts
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.dlt_review import review_dlt
from infusion_app.services.patient_view import AdverseEventRow, PatientView
from infusion_app.services.trial import TrialRefused
from infusion_app.ui.entry_time import EntryTime, Timing
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import failure_text, touch_sized
from infusion_app.ui.signature_dialog import SignatureDialog, sign_and_save
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import current_language, shown

# for lupdate: what each signature means, and the reasons to end treatment, translated
MEANINGS = (
    QT_TRANSLATE_NOOP("InvestigatorActs", "enrolled"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "approved"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "ended"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "reviewed"),
)
END_REASONS = (
    QT_TRANSLATE_NOOP("InvestigatorActs", "completed"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "toxicity"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "progression"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "withdrawal"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "death"),
    QT_TRANSLATE_NOOP("InvestigatorActs", "other"),
)

# an act's service call, given who signs and their password
Act = Callable[[CurrentUser, str], object]


def word(value: str) -> str:
    return QCoreApplication.translate("InvestigatorActs", value)


ACTIONS = (Action.ENROL_PATIENT, Action.CHANGE_DOSE_LEVEL, Action.END_TREATMENT, Action.REVIEW_DLT)


def may_act(user: CurrentUser | None) -> bool:
    """Whether ``user`` may do any of the acts: the page builds the buttons only then."""
    return user is not None and any(may(user.role, action) for action in ACTIONS)


class InvestigatorActs(QWidget):
    """The buttons of the acts ``user`` may do (one they may not is hidden); ``done`` and
    ``refused`` carry the page's one line (the page reads the course again after either: a
    failed signature is recorded too)."""

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
        self.adverse_event: AdverseEventRow | None = None
        self.entry_time: EntryTime | None = None  # the time field of the form open last
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        def button(action: Action, text: str, name: str, act: Callable[[], None]) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setProperty("writes", True)
            made.setEnabled(False)
            made.clicked.connect(act)
            touch_sized(made)
            layout.addWidget(made)
            made.setVisible(may(user.role, action))
            return made

        self.enrol_button = button(
            Action.ENROL_PATIENT, self.tr("&Enrol…"), "enrolPatient", self._enrol
        )
        self.level_button = button(
            Action.CHANGE_DOSE_LEVEL, self.tr("Change &level…"), "changeLevel", self._change_level
        )
        self.end_button = button(
            Action.END_TREATMENT, self.tr("End &treatment…"), "endTreatment", self._end_treatment
        )
        self.review_button = button(
            Action.REVIEW_DLT, self.tr("&Review DLT…"), "reviewDlt", self._review_dlt
        )
        layout.addStretch(1)

    # --- what makes sense now -----------------------------------------------------------

    def show_view(self, view: PatientView | None) -> None:
        """The course shown changed: each act enabled when it makes sense, else why not."""
        self.view = view
        self.adverse_event = None
        enrolled = view is not None and view.enrolment is not None
        ended = view is not None and view.end is not None
        if view is None:
            why_not_enrol = why_not_course = self.tr("choose a patient first")
        else:
            why_not_enrol = self.tr("enrolled already") if enrolled else ""
            why_not_course = (
                self.tr("not enrolled yet")
                if not enrolled
                else self.tr("treatment has ended")
                if ended
                else ""
            )
        self._allow(self.enrol_button, why_not_enrol)
        self._allow(self.level_button, why_not_course)
        self._allow(self.end_button, why_not_course)
        self.choose_adverse_event(None)

    def choose_adverse_event(self, row: AdverseEventRow | None) -> None:
        self.adverse_event = row
        if row is None:
            why = self.tr("select a flagged adverse event first")
        elif not row.dlt:
            why = self.tr("this adverse event is not flagged as a DLT")
        elif row.review is not None:
            why = self.tr("reviewed already")
        else:
            why = ""
        self._allow(self.review_button, why)

    @staticmethod
    def _allow(button: QPushButton, why_not: str) -> None:
        button.setEnabled(not why_not)
        button.setToolTip(why_not)

    # --- the acts -----------------------------------------------------------------------

    def _enrol(self) -> None:
        view = self.view
        if view is None or view.enrolment is not None:
            return
        choices = _level_choices(view)
        values = self._form(
            self.tr("Enrol patient {0}").format(view.trial_id),
            [
                Field(
                    "dose_level",
                    self.tr("Dose level"),
                    next((c for c, i in choices.items() if i == view.registered_level), ""),
                    tuple(choices),
                ),
                self._time_field(view),
            ],
            self.tr("The first infusion is due from the enrolment; a patient is enrolled once."),
        )
        if values is None:
            return
        level = choices[values["dose_level"]]
        timing = self._timing(view, values["at"])
        if timing is None:
            return
        what = self.tr("Enrolment of patient {0} in {1} at dose level {2}{3}").format(
            view.trial_id, view.protocol, values["dose_level"], self._when_text(timing)
        )
        self._sign(
            what,
            word("enrolled"),
            lambda user, password: course_acts.enrol_patient(
                self.ctx,
                user,
                view.trial_id,
                dose_level=level,
                password=password,
                at=timing.at,
                reason=timing.late_reason,
            ),
            self.tr("Patient {0} enrolled at {1}.").format(view.trial_id, level),
            on_rule_refusal=lambda refusal: self._enrol_as_deviation(
                view, level, timing, what, refusal
            ),
        )

    def _enrol_as_deviation(
        self, view: PatientView, level: str, timing: Timing, what: str, refusal: str
    ) -> None:
        """The dose-finding rule refused the enrolment: offer it as a listed deviation, with
        its reason and a second investigator who signs "approved" with their own password."""
        values = self._form(
            self.tr("Enrol against the dose-finding rule?"),
            [
                Field("deviation_reason", self.tr("Reason for the deviation")),
                Field("second_user", self.tr("Second investigator (user name)")),
            ],
            self.tr(
                "The rule refuses: {0}. An enrolment against it is listed as a deviation and "
                "needs a second investigator's signature."
            ).format(refusal),
        )
        if values is None:
            return
        user = self.user
        first = SignatureDialog.ask(
            self,
            what=self.tr("{0}, a deviation: {1}").format(what, values["deviation_reason"]),
            meaning=word("enrolled"),
            printed_name=user.printed_name,
        )
        if first is None:
            return
        second_user = values["second_user"].strip()
        self._sign(
            self.tr("Approval of the deviation: {0} ({1})").format(
                what, values["deviation_reason"]
            ),
            word("approved"),
            lambda _user, second_password: course_acts.enrol_patient(
                self.ctx,
                user,
                view.trial_id,
                dose_level=level,
                password=first,
                at=timing.at,
                reason=timing.late_reason,
                deviation_reason=values["deviation_reason"],
                second_user=second_user,
                second_password=second_password,
            ),
            self.tr("Patient {0} enrolled at {1} as a deviation, approved by {2}.").format(
                view.trial_id, level, second_user
            ),
            signer=second_user,
        )

    def _change_level(self) -> None:
        view = self.view
        if view is None or view.enrolment is None or view.end is not None:
            return
        choices = _level_choices(view)
        others = [c for c, i in choices.items() if i != view.current_level]
        created = max((r.number for r in view.plan if r.infusion_id is not None), default=0)
        values = self._form(
            self.tr("Change the dose level of patient {0}").format(view.trial_id),
            [
                Field(
                    "to_level",
                    self.tr("New dose level"),
                    others[0] if others else "",
                    tuple(choices),
                ),
                Field("from_infusion", self.tr("From infusion"), str(created + 1)),
                Field("reason", self.tr("Reason for the change")),
                self._time_field(view),
            ],
            self.tr(
                "Now at {0}. An infusion that exists already keeps its level (up to infusion {1})."
            ).format(view.current_level, created)
            if created
            else self.tr("Now at {0}.").format(view.current_level),
        )
        if values is None:
            return
        level = choices[values["to_level"]]
        try:
            first = parse_count("from_infusion", values["from_infusion"], high=999)
        except InputError as exc:
            self.refused.emit(failure_text(exc))
            return
        timing = self._timing(view, values["at"])
        if timing is None:
            return
        self._sign(
            self.tr("Dose level of patient {0} from infusion {1} on: {2} to {3} ({4}){5}").format(
                view.trial_id,
                first,
                view.current_level,
                level,
                values["reason"],
                self._when_text(timing),
            ),
            word("approved"),
            lambda user, password: course_acts.change_dose_level(
                self.ctx,
                user,
                view.trial_id,
                to_level=level,
                from_infusion=first,
                reason=values["reason"],
                password=password,
                at=timing.at,
                back_entry_reason=timing.late_reason,
            ),
            self.tr("Patient {0}: infusions from {1} on at {2}.").format(
                view.trial_id, first, level
            ),
        )

    def _end_treatment(self) -> None:
        view = self.view
        if view is None or view.enrolment is None or view.end is not None:
            return
        reasons = {word(r.value): r for r in EndReason}
        values = self._form(
            self.tr("End the treatment of patient {0}").format(view.trial_id),
            [
                Field("reason", self.tr("Reason"), word(EndReason.COMPLETED), tuple(reasons)),
                Field("details", self.tr("Details"), hint=self.tr("required for 'other'")),
                self._time_field(view),
            ],
            self.tr("No more infusions; after death or withdrawal no more visits either."),
        )
        if values is None:
            return
        why = reasons[values["reason"]]
        timing = self._timing(view, values["at"])
        if timing is None:
            return
        details = f": {values['details']}" if values["details"] else ""
        self._sign(
            self.tr("End of treatment of patient {0}: {1}{2}{3}").format(
                view.trial_id, values["reason"], details, self._when_text(timing)
            ),
            word("ended"),
            lambda user, password: course_acts.end_treatment(
                self.ctx,
                user,
                view.trial_id,
                reason=why.value,
                details=values["details"] or None,
                password=password,
                at=timing.at,
                back_entry_reason=timing.late_reason,
            ),
            self.tr("Treatment of patient {0} ended ({1}).").format(
                view.trial_id, values["reason"]
            ),
        )

    def _review_dlt(self) -> None:
        view, row = self.view, self.adverse_event
        if view is None or row is None or not row.dlt or row.review is not None:
            return
        verdicts = {self.tr("confirmed: a DLT"): True, self.tr("rejected: not a DLT"): False}
        where = shown(row.where)
        event = self.tr("{0} grade {1}, started {2}").format(
            shown(m.value_of("ae_term", row.term)), row.grade, view.local(row.started_at)
        )
        values = self._form(
            self.tr("Review the DLT flag of adverse event #{0} ({1})").format(row.seq, where),
            [
                Field("verdict", self.tr("Verdict"), next(iter(verdicts)), tuple(verdicts)),
                Field("reason", self.tr("Reason")),
            ],
            self.tr("Flagged by the rules: {0}. Whether it counts as a DLT is your call.").format(
                event
            ),
        )
        if values is None:
            return
        confirmed = verdicts[values["verdict"]]
        self._sign(
            self.tr("DLT review of adverse event #{0} ({1}), {2}: {3} ({4})").format(
                row.seq, where, event, values["verdict"], values["reason"]
            ),
            word("reviewed"),
            lambda user, password: review_dlt(
                self.ctx,
                user,
                view.trial_id,
                stream=row.stream,
                adverse_event_seq=row.seq,
                confirmed=confirmed,
                reason=values["reason"],
                password=password,
            ),
            self.tr("Adverse event #{0} ({1}) reviewed: {2}.").format(
                row.seq, where, values["verdict"]
            ),
        )

    # --- shared steps -------------------------------------------------------------------

    def _form(self, title: str, fields: list[Field], note: str) -> dict[str, str] | None:
        return FormDialog.ask(self, title, fields, note)

    def _time_field(self, view: PatientView) -> Field:
        """The act's time in the protocol's zone (the page's), offered as now."""
        self.entry_time = EntryTime(self.ctx.now, view.zone)
        return self.entry_time.field(self.tr("Time ({0})").format(view.zone_name))

    def _timing(self, view: PatientView, text: str) -> Timing | None:
        """Now (the time as offered), or the changed time and, when it is back-entered, the
        reason asked for (ui/entry_time.py); None when the entry is refused (said) or the
        reason cancelled."""
        entry = self.entry_time or EntryTime(self.ctx.now, view.zone)
        entry.take(text)
        try:
            return entry.timing(self)
        except InputError as exc:
            self.refused.emit(failure_text(exc))
            return None

    def _when_text(self, timing: Timing) -> str:
        if self.view is None or timing.at is None:
            return ""
        late = f" ({timing.late_reason})" if timing.late_reason else ""
        return self.tr(", done at {0}{1}").format(self.view.local(timing.at), late)

    def _sign(
        self,
        what: str,
        meaning: str,
        act: Act,
        done: str,
        *,
        on_rule_refusal: Callable[[str], None] | None = None,
        signer: str | None = None,
    ) -> None:
        """Saved from the open signature dialog: a wrong password keeps it open and says so;
        any other refusal closes it and the page shows the one line. A refusal by the trial's
        dose-finding rule is handed to ``on_rule_refusal`` once the dialog has closed.
        ``signer`` names who signs when it is not the logged-in user (a second signature)."""
        user = self.user
        refused_by_rule: list[str] = []

        def refused(exc: Exception, text: str) -> None:
            if on_rule_refusal is not None and isinstance(exc, TrialRefused):
                refused_by_rule.append(text)
            self.refused.emit(text)

        sign_and_save(
            self,
            self.tasks,
            what=what,
            meaning=meaning,
            printed_name=signer or user.printed_name,
            act=lambda password: act(user, password),
            signed=lambda: self.done.emit(done),
            refused=refused,
        )
        if refused_by_rule and on_rule_refusal is not None:
            on_rule_refusal(refused_by_rule[0])


def _level_choices(view: PatientView) -> dict[str, str]:
    """The protocol's levels as offered ("C (Group C: ...)") and the ID each stands for."""
    language = current_language()
    return {
        f"{level_id} ({readable(label, language)})": level_id
        for level_id, label in view.dose_levels
    }
