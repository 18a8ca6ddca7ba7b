"""The bedside infusion screen: where the infusion is, what to do next and when, one button per
action, the vitals row, the drop counter and the log.

The screen holds a snapshot of the stored record (read off the UI thread after each action)
and recomputes everything timed from it once a second with the context's clock: the step,
the countdown, which buttons are allowed (asked of the rule book, so a tooltip's reason is the
service's reason), and the alarm banner. Nothing here decides a rule; every action is one
service call and its refusal is shown as the service worded it.

Every timed step's dialog (form, confirmation, signature, reaction) has the entry's time,
offered as now, and the vitals row and the scanner have a time field that is empty for now
(ui/entry_time.py): after a downtime the nurse enters the paper record in order, each entry
with its paper time (and why it is entered late); the rule book judges each against the
earlier entries' bedside times, and the log shows both times.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from infusion_app.logic import messages as m
from infusion_app.logic.alarm_board import BoardAlarm, board_alarms
from infusion_app.logic.availability import BedsideAction, blocked_reasons
from infusion_app.logic.backentry import back_entry_limit
from infusion_app.logic.countdown import next_countdown
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_log import log_rows
from infusion_app.logic.events import DoseCalculated
from infusion_app.logic.identity import looks_like_wristband
from infusion_app.logic.numbers import format_cells, parse_int
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action, may
from infusion_app.logic.schedule import DueItem, due_items, expected_end
from infusion_app.logic.transitions import (
    end_window_warning,
    late_start_warning,
)
from infusion_app.services import bedside, views
from infusion_app.services.bedside import Dialog, Kind
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.ui.adverse_event_dialog import AdverseEventDialog
from infusion_app.ui.alarm_banner import BANNER_HEIGHT, AlarmBanner
from infusion_app.ui.confirm_dialog import ConfirmDialog
from infusion_app.ui.drop_counter import DropCounter
from infusion_app.ui.entry_time import EntryTime, Timing, row_editor, row_timing
from infusion_app.ui.event_log_table import EventLogTable
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import (
    failure_text,
    local_time,
    product_status_name,
    say,
    station_now,
    touch_sized,
)
from infusion_app.ui.signature_dialog import SignatureDialog
from infusion_app.ui.step_strip import StepStrip
from infusion_app.ui.tasks import Tasks
from infusion_app.ui.translations import shown
from infusion_app.ui.vitals_entry import VitalsEntry

# The buttons, in the order of the bedside, are the declared steps' (services/bedside.py):
# the grid's, and the ones under "More". Every Alt+letter of their labels is used once on
# this screen (with Alt+L list, Alt+M more, F9 acknowledge and Space for a drop);
# tests/ui/test_shortcuts.py checks every screen.
GRID = tuple(s for s in bedside.STEPS if s.button and s.button.grid and s.button.gate)
MENU = tuple(s for s in bedside.STEPS if s.button and not s.button.grid and not s.button.gate)
MEANINGS = {
    SignatureMeaning.VERIFIED: str(QT_TRANSLATE_NOOP("BedsideScreen", "verified")),
    SignatureMeaning.ADMINISTERED: str(QT_TRANSLATE_NOOP("BedsideScreen", "administered")),
    SignatureMeaning.CORRECTED: str(QT_TRANSLATE_NOOP("BedsideScreen", "corrected")),
}


def declared(text: str) -> str:
    """A declared text (services/bedside.py marks them; lupdate files them in context "")."""
    return QCoreApplication.translate("", text)


# Texts made in logic/ and shown here, listed so that lupdate offers them for translation
# (tests/ui/test_language.py checks the lists against logic's own).
COUNTDOWN_LABELS = (
    QT_TRANSLATE_NOOP("Countdown", "Start allowed in"),
    QT_TRANSLATE_NOOP("Countdown", "Start allowed"),
    QT_TRANSLATE_NOOP("Countdown", "Plan window opens in"),
    QT_TRANSLATE_NOOP("Countdown", "Plan window open"),
    QT_TRANSLATE_NOOP("Countdown", "Rate step in"),
    QT_TRANSLATE_NOOP("Countdown", "Rate step due"),
    QT_TRANSLATE_NOOP("Countdown", "Vitals due in"),
    QT_TRANSLATE_NOOP("Countdown", "Vitals due"),
    QT_TRANSLATE_NOOP("Countdown", "Expected end in"),
    QT_TRANSLATE_NOOP("Countdown", "Expected end reached"),
    QT_TRANSLATE_NOOP("Countdown", "Observation ends in"),
    QT_TRANSLATE_NOOP("Countdown", "Observation complete"),
    QT_TRANSLATE_NOOP("Countdown", "Post-thaw limit in"),
    QT_TRANSLATE_NOOP("Countdown", "Post-thaw limit passed"),
    QT_TRANSLATE_NOOP("Countdown", "SAE report due in"),
    QT_TRANSLATE_NOOP("Countdown", "SAE report overdue"),
)
STATUS_TEXTS = (
    QT_TRANSLATE_NOOP("Status", "Not started"),
    QT_TRANSLATE_NOOP("Status", "Running"),
    QT_TRANSLATE_NOOP("Status", "Paused"),
    QT_TRANSLATE_NOOP("Status", "Ended"),
    QT_TRANSLATE_NOOP("Status", "Stopped"),
    QT_TRANSLATE_NOOP("Status", "Observation complete"),
)


GRID_COLUMNS = 8  # the action buttons in two rows at 1366 px
ACTION_HEIGHT = 42  # px: still a fingertip's target, two rows leave the log 8 lines
LOG_POINT_SIZE = 11  # the log is read, not acted on: smaller than the station's 13 pt
LOG_ROW_MARGIN = 4  # px above and below the text together, so no row cuts its letters


class BedsideScreen(QWidget):
    back_to_list = Signal()
    alarms_changed = Signal()  # the alarms shown changed: the window repeats them elsewhere

    def __init__(self, ctx: AppContext, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = tasks
        self.user: CurrentUser | None = None
        self.infusion_id: int | None = None
        self.view: views.BedsideView | None = None
        self.scanned_wristband: str | None = None
        self.scanned_product: str | None = None
        self.reasons: dict[BedsideAction, str | None] = {}
        self.acting = False

        self.patient_line = QLabel()
        self.patient_line.setObjectName("patientLine")
        self.patient_line.setStyleSheet("font-size: 13pt; font-weight: bold;")
        # one line, clipped at the right (the whole line in its tooltip): the patient and
        # infusion come first, so what is cut is the protocol's name
        self.patient_line.setWordWrap(False)
        self.patient_line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.list_button = QPushButton(self.tr("Infusion &list"))
        touch_sized(self.list_button)
        self.list_button.clicked.connect(self.back_to_list)
        self.more = QPushButton(self.tr("&More"))
        self.more.setObjectName("more")
        self.more.setProperty("writes", True)
        touch_sized(self.more)
        menu = QMenu(self.more)
        self.menu_actions = {
            step.name: menu.addAction(declared(_button(step).label), partial(self._press, step))
            for step in MENU
        }
        self.correct_action = self.menu_actions[bedside.CORRECT.name]
        self.sae_action = self.menu_actions[bedside.SAE_REPORTED.name]
        self.more.setMenu(menu)
        self.steps = StepStrip()
        self.banner = AlarmBanner()
        self.banner.acknowledged.connect(self._acknowledge)

        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.setStyleSheet("font-size: 24pt; font-weight: bold;")
        self.rate = QLabel()
        self.rate.setObjectName("rate")
        self.rate.setStyleSheet("font-size: 14pt;")
        self.rate.setWordWrap(False)  # one short line: wrapped, its size hint asked for two
        self.scan = QLineEdit()
        self.scan.setObjectName("scan")
        self.scan.setPlaceholderText(self.tr("Scan the wristband, then the bag"))
        touch_sized(self.scan)
        self.scan.returnPressed.connect(self._scanned)
        self.scan_state = QLabel()
        self.scan_state.setObjectName("scanState")
        self.scan_time = row_editor()  # empty: the check is now; a time: a back-entry
        self.scan_time.setObjectName("scanTime")
        self.scan_time.setMaximumWidth(150)
        self.drops = DropCounter()
        # Space counts one drop wherever the focus is on this screen, except where Space has
        # its own meaning (a focused button presses, a field types a space: the window lets
        # those widgets have the key). Not the Drop button's own shortcut: with the button
        # focused that counted each press twice (shortcut on press, button on release).
        self.drop_key = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        self.drop_key.setContext(Qt.ShortcutContext.WindowShortcut)
        self.drop_key.setAutoRepeat(False)  # a key held down is one drop, not a burst
        self.drop_key.activated.connect(self.drops.tap)

        self.buttons: dict[BedsideAction, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for index, step in enumerate(GRID):
            action = _button(step).gate
            assert action is not None
            button = QPushButton(declared(_button(step).label))
            button.setObjectName(f"action_{action.name.lower()}")
            button.setProperty("writes", True)
            button.setMinimumHeight(ACTION_HEIGHT)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(partial(self._press, step))
            self.buttons[action] = button
            grid.addWidget(button, index // GRID_COLUMNS, index % GRID_COLUMNS)

        self.vitals = VitalsEntry()
        self.vitals.record.setProperty("writes", True)
        self.vitals.submitted.connect(self._record_vitals)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        # two lines' place whatever it says (the whole text in its tooltip), so an answer
        # appearing never moves the buttons below
        self.message.ensurePolished()
        self.message.setFixedHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.log = EventLogTable()
        # Tab leaves the log (one stop), it does not walk it cell by cell; compact rows so
        # at least 8 entries show at 1366x768 (the newest is scrolled to)
        self.log.setTabKeyNavigation(False)
        log_font = QFont(self.log.font())
        log_font.setPointSize(LOG_POINT_SIZE)
        self.log.setFont(log_font)
        row_height = QFontMetrics(log_font).height() + LOG_ROW_MARGIN
        self.log.verticalHeader().setMinimumSectionSize(row_height)
        self.log.verticalHeader().setDefaultSectionSize(row_height)
        # the banner's place is kept when no alarm shows (see alarm_banner.BANNER_HEIGHT)
        self.banner_slot = QWidget()
        self.banner_slot.setObjectName("bannerSlot")
        slot = QVBoxLayout(self.banner_slot)
        slot.setContentsMargins(0, 0, 0, 0)
        slot.addWidget(self.banner)
        self.banner_slot.setFixedHeight(BANNER_HEIGHT)

        top = QHBoxLayout()
        top.addWidget(self.patient_line, 1)
        top.addWidget(self.more)
        top.addWidget(self.list_button)
        left = QVBoxLayout()
        left.addWidget(self.countdown)
        left.addWidget(self.rate)
        # the scanner takes the drop counter's place while the identity is checked (nothing
        # drips before the start); one place, so neither moves the screen when it comes
        scan_fields = QHBoxLayout()
        scan_fields.addWidget(self.scan, 2)
        scan_fields.addWidget(self.scan_time, 1)
        self.scan_state.setWordWrap(True)
        self.scan_row = QWidget()
        self.scan_row.setObjectName("scanRow")
        scan_column = QVBoxLayout(self.scan_row)
        scan_column.setContentsMargins(0, 0, 0, 0)
        scan_column.addLayout(scan_fields)
        scan_column.addWidget(self.scan_state, 1)
        self.right = QStackedWidget()
        self.right.addWidget(self.drops)
        self.right.addWidget(self.scan_row)
        # the screen's one-line answer sits under the rate, beside the drop counter, where
        # there is room: a row of its own cost the log a line at 1366x768
        left.addWidget(self.message)
        left.addStretch(1)
        left.setSpacing(2)
        left.setContentsMargins(0, 0, 0, 0)
        middle_row = QWidget()
        middle_row.setObjectName("middleRow")
        middle = QHBoxLayout(middle_row)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addLayout(left, 3)
        middle.addWidget(self.right, 2)
        # as high as it needs, and never more or less: the scanner, a longer answer or the
        # drop count's text change nothing below it
        middle_row.setFixedHeight(middle_row.sizeHint().height())
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.steps)
        layout.addWidget(self.banner_slot)
        layout.addWidget(middle_row)
        layout.addLayout(grid)
        layout.addWidget(self.vitals)
        layout.addWidget(self.log, 1)
        layout.setContentsMargins(0, 4, 0, 0)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)  # countdowns recomputed from the stored deadlines
        self.timer.timeout.connect(self.tick)
        # Runs for the screen's whole life, whatever is open or shown: a rebuild (language
        # switch, idle lock) makes a new screen whose clock runs from its first moment.
        self.timer.start()

    # --- opening and reading --------------------------------------------------------------

    def set_user(self, user: CurrentUser | None) -> None:
        self.user = user
        self.tick()

    def open(self, infusion_id: int) -> None:
        if infusion_id != self.infusion_id:
            self.view = None
            self.scanned_wristband = self.scanned_product = None
            self.message.clear()
            self.drops.reset()
        self.infusion_id = infusion_id
        self.reload()

    def reload(self, *, changed_elsewhere: bool = False) -> None:
        """Read the infusion again. ``changed_elsewhere``: because someone committed (here or
        at another station), not because the nurse acted on this screen, so the cursor stays
        where the nurse is typing."""
        infusion_id = self.infusion_id
        if infusion_id is None:
            return
        self.tasks.run(
            lambda: views.bedside_view(self.ctx, infusion_id),
            lambda view: self._loaded(view, keep_cursor=changed_elsewhere),
            self._load_failed,
        )

    def _loaded(self, view: views.BedsideView, *, keep_cursor: bool = False) -> None:
        if view.status.infusion_id != self.infusion_id:
            return  # another infusion was opened meanwhile
        self.view = view
        patient, product, state = view.patient, view.product, view.state
        self.patient_line.setText(
            self.tr(
                "{trial} · {initials} · {weight} kg (weighed {weighed}) · group {level} · "
                "infusion {number} · product {product} ({status}) · {protocol}"
            ).format(
                trial=patient.trial_id,
                initials=patient.initials,
                weight=patient.weight_kg,
                weighed=local_time(patient.weight_measured_at, with_date=True),
                level=patient.dose_level,
                number=state.number,
                product=product.product_id,
                status=product_status_name(product.status),
                protocol=view.status.protocol.label,
            )
        )
        self.patient_line.setToolTip(self.patient_line.text())
        self.log.show_rows(log_rows(view.events, view.state))
        self.tick()
        if self._scan_expected() and not (keep_cursor and self._typing_elsewhere()):
            self.scan.setFocus()  # a scanner types into the focused field

    def _load_failed(self, exc: Exception) -> None:
        self._say(failure_text(exc), error=True)

    # --- the once-a-second refresh --------------------------------------------------------

    def tick(self) -> None:
        view = self.view
        if view is None:
            for button in self.buttons.values():
                button.setEnabled(False)
            self.vitals.record.setEnabled(False)
            self.more.setEnabled(False)
            return
        now = self.ctx.now()
        state, protocol = view.state, view.status.protocol
        plan = view.start_plan  # the plan's window counts, as the start will be judged
        due = due_items(state, protocol, now, plan_opens=plan.opens(now) if plan else None)
        self.steps.set_step(state.step)
        self._show_countdown(due, now)
        self._show_rate(now)
        self.reasons = self._reasons(now)
        self.buttons[BedsideAction.RATE_STEP].setText(
            self.tr("Change &rate")
            if state.rate_step_at is not None
            else declared(_button(bedside.RATE).label)
        )
        for action, button in self.buttons.items():
            reason = self.reasons[action]
            button.setEnabled(reason is None and not self.acting)
            button.setToolTip(reason or "")
        self.vitals.record.setEnabled(
            self.reasons[BedsideAction.VITALS] is None and not self.acting
        )
        self.more.setEnabled(self._may_record() and not self.acting)
        self.vitals.record.setToolTip(self.reasons[BedsideAction.VITALS] or "")
        before = [a.key for a in self.banner.alarms]
        self.banner.show_alarms(
            self.current_alarms(due, now),
            can_acknowledge=self._may_record() and not self.acting,
        )
        if [a.key for a in self.banner.alarms] != before:
            self.alarms_changed.emit()
        self.right.setCurrentWidget(self.scan_row if self._scan_expected() else self.drops)

    def current_alarms(self, due: list[DueItem], now: datetime) -> list[BoardAlarm]:
        assert self.view is not None
        return board_alarms(
            self.view.state, due, now, product_expires_at=self.view.product.expires_at
        )

    def _typing_elsewhere(self) -> bool:
        """A refresh because the record changed must not pull the cursor out of a field the
        nurse is typing in."""
        focused = QApplication.focusWidget()
        return (
            isinstance(focused, QLineEdit | QAbstractSpinBox | QComboBox)
            and focused is not self.scan
            and self.isAncestorOf(focused)
        )

    def _scan_expected(self) -> bool:
        if self.view is None or self.view.state.identity_checked_at is not None:
            return False
        return self.reasons.get(BedsideAction.CHECK, "") is None

    def _show_countdown(self, due: list[DueItem], now: datetime) -> None:
        countdown = next_countdown(due, now)
        if countdown is None:
            assert self.view is not None
            status = self.view.state.status.value.capitalize()
            self.countdown.setText(QCoreApplication.translate("Status", status))
            self.countdown.setStyleSheet("font-size: 24pt; font-weight: bold;")
            return
        label = QCoreApplication.translate("Countdown", countdown.label)
        self.countdown.setText(f"{label} {countdown.text}".strip())
        colour = "#b00020" if countdown.overdue else "#0d47a1"
        self.countdown.setStyleSheet(f"font-size: 24pt; font-weight: bold; color: {colour};")

    def _show_rate(self, now: datetime) -> None:
        assert self.view is not None
        state, protocol = self.view.state, self.view.status.protocol
        dose = state.dose
        target = None
        if state.running and not state.paused:
            target = state.rate_gtt_per_min
        elif state.started_at is None and dose is not None:
            target = dose.phase1_rate_gtt_per_min
        parts = []
        if target is not None:
            parts.append(self.tr("Target {0} gtt/min").format(target))
        if state.paused:
            parts.append(self.tr("PAUSED"))
        end = expected_end(state, protocol, now)
        if end is not None:
            label = self.tr("ended") if state.ended_at is not None else self.tr("expected end")
            parts.append(f"{label} {local_time(end)}")
        if dose is not None and state.started_at is None:
            parts.append(
                self.tr("plan: {0} gtt/min, then {1}, {2} mL, {3} gtt/mL set").format(
                    dose.phase1_rate_gtt_per_min,
                    dose.phase2_rate_gtt_per_min or "-",
                    dose.bag_volume_ml,
                    dose.drop_factor_gtt_per_ml,
                )
            )
        self.rate.setText(" · ".join(str(p) for p in parts))
        self.drops.set_target(target)

    def _may_record(self) -> bool:
        return self.user is not None and may(self.user.role, Action.RECORD_INFUSION_EVENT)

    def _reasons(self, now: datetime) -> dict[BedsideAction, str | None]:
        assert self.view is not None
        username = self.user.username if self.user else None
        protocol = self.view.status.protocol
        # an action too late for now may still be entered with its paper time (downtime)
        back_to = now - back_entry_limit(protocol)
        found = blocked_reasons(self.view.state, protocol, now, username, back_to=back_to)
        reasons = {action: shown(why) if why else None for action, why in found.items()}
        if self.user is None:
            return dict.fromkeys(reasons, self.tr("log in first"))
        plan = self.view.start_plan
        if plan is not None and reasons.get(BedsideAction.START) is None:
            refusal = plan.refusal(now)  # before the plan's window: the service's refusal
            if refusal is not None and not plan.needs_reason(now):
                reasons[BedsideAction.START] = shown(refusal)
        role = self.user.role
        who_may = {s.button.gate: s.action for s in bedside.STEPS if s.button and s.button.gate}
        for action in reasons:
            if not may(role, who_may.get(action, Action.RECORD_INFUSION_EVENT)):
                role_name = QCoreApplication.translate("Role", role.value)
                reasons[action] = self.tr("not for your role ({0})").format(role_name)
        return reasons

    # --- actions --------------------------------------------------------------------------

    def _press(self, step: bedside.BedsideStep) -> None:
        """A declared step's button: its own widget, a confirmation, or a form of its
        labelled arguments; then saved, or signed and saved."""
        button = _button(step)
        own = self._own().get(step.name)
        if own is not None:
            own()
            return
        time = EntryTime(self.ctx.now) if step.timed else None
        if button.dialog is Dialog.CONFIRM:
            self._confirmed(
                declared(button.title),
                self._details(step),
                lambda user, i, when: bedside.perform(
                    self.ctx, user, i, step, {}, at=when.at, late_reason=when.late_reason
                ),
                declared(button.done),
                time,
            )
            return
        values: dict[str, str] = {}
        fields = self._fields(step)
        # the time goes in the form when there is one; a signed step without a form has it
        # in the signature dialog (no extra dialog on the way)
        in_form = time is not None and (bool(fields) or step.meaning is None)
        if in_form:
            assert time is not None
            fields.append(time.field())
        if fields:
            answered = self._form(declared(button.title), fields, self._note(step), timed=in_form)
            if answered is None:
                return
            values = answered
        timing: Timing | None = Timing()
        if in_form:
            assert time is not None
            time.take(values)
            timing = self._timing(time)
        if timing is None:
            return
        when = timing
        if step.meaning is None:
            self._act(
                lambda user, i: bedside.perform(
                    self.ctx,
                    user,
                    i,
                    step,
                    _arguments(step, values),
                    at=when.at,
                    late_reason=when.late_reason,
                ),
                declared(button.done),
            )
            return
        if step is bedside.VERIFY_DOSE and (self.view is None or self.view.state.dose is None):
            return
        self._signed(
            self.dose_to_verify()
            if step is bedside.VERIFY_DOSE
            else declared(button.signs or button.title),
            self.tr(MEANINGS[step.meaning]),
            lambda user, i, password, signed_when: bedside.perform(
                self.ctx,
                user,
                i,
                step,
                _arguments(step, values),
                password=password,
                at=(signed_when or when).at,
                late_reason=(signed_when or when).late_reason,
            ),
            declared(button.done),
            None if in_form else time,
        )

    def _own(self) -> dict[str, Callable[[], None]]:
        """The steps with a widget of their own (Dialog.OWN)."""
        return {
            bedside.CHECK.name: self._check_identity,
            bedside.ADVERSE_EVENT.name: self._adverse_event,
            bedside.CORRECT.name: self._correct,
            bedside.SAE_REPORTED.name: self._sae,
        }

    def _fields(self, step: bedside.BedsideStep) -> list[Field]:
        """The form: the step's labelled arguments, with what the record suggests."""
        assert self.view is not None
        state, protocol = self.view.state, self.view.status.protocol
        dose, volume = state.dose, protocol.dosing.final_volume_ml
        suggested = {
            bedside.DOSE.name: {
                "final_volume_ml": str(volume.value) if volume else "",
                "drop_factor": str(protocol.infusion.drop_factor_gtt_per_ml.value),
            },
            bedside.START.name: {"drop_factor": str(dose.drop_factor_gtt_per_ml if dose else "")},
            bedside.RATE.name: {"rate": str(dose.phase2_rate_gtt_per_min or "") if dose else ""},
            bedside.END.name: {"volume_ml": str(dose.bag_volume_ml) if dose else ""},
        }.get(step.name, {})
        now = self.ctx.now()
        # a reason is asked only when it is needed: a start late after the premedication,
        # a start after the plan's window closed (a schedule deviation)
        unasked = set()
        if step is bedside.START:
            if late_start_warning(state, protocol, now) is None:
                unasked.add("override_reason")
            plan = self.view.start_plan
            if plan is None or not plan.needs_reason(now):
                unasked.add("deviation_reason")
        return [
            Field(p.key, declared(p.label), suggested.get(p.key, ""))
            for p in step.params
            if p.label is not None and p.name not in unasked
        ]

    def _note(self, step: bedside.BedsideStep) -> str:
        assert self.view is not None
        state, protocol, now = self.view.state, self.view.status.protocol, self.ctx.now()
        if step is bedside.START:
            plan = self.view.start_plan
            closed = plan.refusal(now) if plan is not None and plan.needs_reason(now) else None
            warnings = (late_start_warning(state, protocol, now), closed)
            return "\n".join(shown(w) for w in warnings if w)
        if step is bedside.END:
            warning = end_window_warning(state, protocol, now)
            return shown(warning) if warning else ""
        note = _button(step).note
        return declared(note) if note else ""

    def _details(self, step: bedside.BedsideStep) -> list[str]:
        if step is bedside.PREMEDICATION:
            return self._premedication_details()
        if step is bedside.THAW:
            return self._product_details()
        return []

    def _act(
        self,
        call: Callable[[CurrentUser, int], Any],
        done: str,
        after: Callable[[], None] | None = None,
        answer: Callable[[Exception | None], None] | None = None,
    ) -> None:
        """One user action = one service call, off the UI thread; the record is re-read after
        it, refused or not (a failed identity check is itself recorded). ``answer`` hears
        the outcome first (an open signature dialog)."""
        user, infusion_id = self.user, self.infusion_id
        if user is None or infusion_id is None or self.acting:
            if answer is not None:
                answer(None)
            return
        self.acting = True
        self.tick()
        self._say(self.tr("Saving…"))

        def finished(result: Any) -> None:
            self.acting = False
            if answer is not None:
                answer(None)
            self._say(done, ok=True)
            if after is not None:
                after()
            self.reload()

        def failed(exc: Exception) -> None:
            self.acting = False
            if answer is not None:
                answer(exc)
            self._say(failure_text(exc), error=True)
            self.reload()

        self.tasks.run(lambda: call(user, infusion_id), finished, failed)

    def _say(self, text: str, *, ok: bool = False, error: bool = False) -> None:
        say(self.message, text, ok=ok, error=error)

    def _form(
        self, title: str, fields: list[Field], note: str = "", *, timed: bool = False
    ) -> dict[str, str] | None:
        """A clinical act's form: with its time field (``timed``), or saying the time it will
        be recorded at (the clock's now)."""
        return FormDialog.ask(self, title, fields, note, clock=None if timed else self.ctx.now)

    def _timing(self, time: EntryTime) -> Timing | None:
        """The entry's time as the dialog left it (ui/entry_time.py); None, and said, when
        it cannot be read, or nothing when the late reason was cancelled."""
        try:
            return time.timing(self)
        except InputError as exc:
            self._say(failure_text(exc), error=True)
            return None

    def _confirmed(
        self,
        entry: str,
        details: list[str],
        call: Callable[[CurrentUser, int, Timing], Any],
        done: str,
        time: EntryTime | None = None,
    ) -> None:
        """A one-click clinical act: what will be recorded and when (the time offered as now
        and changeable), then saved if confirmed."""
        if self.user is None or self.infusion_id is None or self.acting:
            return
        if not ConfirmDialog.ask(
            self, title=entry, entry=entry, details=details, clock=self.ctx.now, time=time
        ):
            return
        timing = Timing() if time is None else self._timing(time)
        if timing is not None:
            self._act(lambda user, i: call(user, i, timing), done)

    def _premedication_details(self) -> list[str]:
        assert self.view is not None
        premed = self.view.status.protocol.premedication
        return [
            self.tr("{drug} {dose} mg {route}, {minutes} min before the start").format(
                # the drug and route in the window's words, as the log shows them (地塞米松)
                drug=shown(m.value_of("drug", premed.drug.value)),
                dose=premed.dose_mg.value,
                route=shown(m.value_of("route", premed.route.value)),
                minutes=premed.minutes_before.value,
            )
        ]

    def _product_details(self) -> list[str]:
        assert self.view is not None
        product = self.view.product
        thaw = self.view.status.protocol.infusion
        return [
            self.tr("Product {0}, lot {1}").format(product.product_id, product.lot or "-"),
            self.tr("Infuse within {0} min of the thaw").format(thaw.post_thaw_limit_min.value),
        ]

    def _signed(
        self,
        what: str,
        meaning: str,
        call: Callable[[CurrentUser, int, str, Timing | None], Any],
        done: str,
        time: EntryTime | None = None,
    ) -> None:
        """A signed act: saved from the open signature dialog, which stays open (and says
        so) when the password is not accepted; the service records every failed attempt.
        With ``time`` the act's time is in the signature dialog, read when it is signed."""
        user = self.user
        if user is None or self.infusion_id is None or self.acting:
            return

        def submit(password: str, answer: Callable[[str | None], None]) -> None:
            def heard(exc: Exception | None) -> None:
                wrong = isinstance(exc, AuthenticationFailed)
                answer(failure_text(exc) if wrong and exc is not None else None)

            timing = None if time is None else self._timing(time)
            if time is not None and timing is None:
                answer(None)  # a time that cannot be read (said), or the reason cancelled
                return
            self._act(lambda u, i: call(u, i, password, timing), done, answer=heard)

        SignatureDialog.ask(
            self,
            what=what,
            meaning=meaning,
            printed_name=user.printed_name,
            submit=submit,
            time=time,
        )

    def dose_to_verify(self) -> str:
        """Everything the second person checks, from the stored calculation itself."""
        assert self.view is not None and self.view.state.dose is not None
        dose = self.view.state.dose
        found = next((e.data for e in self.view.events if e.seq == dose.seq), None)
        calc = found if isinstance(found, DoseCalculated) else None  # the fold found it

        def cells(value: Decimal | None, unit: str = "") -> str:
            return format_cells(value) + unit if value is not None else "?"

        phases = [
            self.tr("{rate} gtt/min for {minutes} min ({volume} mL)").format(
                rate=phase.rate_gtt_per_min,
                minutes=phase.duration_min,
                volume=phase.volume_ml,
            )
            for phase in (calc.drip_plan if calc else ())
        ]
        lines = [
            self.tr("Weight: {0} kg, measured {1}").format(
                dose.weight_kg, local_time(dose.weight_measured_at, with_date=True)
            ),
            self.tr("Dose: {0} (group {1})").format(
                cells(calc.dose_cells_per_kg if calc else None, "/kg"),
                calc.dose_level if calc else "?",
            ),
            self.tr("Concentration: {0}, viability {1} %: {2} viable").format(
                cells(calc.total_cells_per_ml if calc else None, "/mL"),
                calc.viability_pct if calc else "?",
                cells(calc.dosing_concentration_cells_per_ml if calc else None, "/mL"),
            ),
            self.tr("Target {0}; delivered {1} (deviation {2} %)").format(
                cells(dose.target_cells),
                format_cells(dose.delivered_cells),
                calc.dose_deviation_pct if calc else "?",
            ),
            self.tr("Product volume: {0} mL; final volume: {1} mL (diluent {2} mL)").format(
                calc.product_volume_ml if calc else "?",
                dose.bag_volume_ml,
                calc.diluent_volume_ml if calc else "?",
            ),
            self.tr("Drip plan, {0} gtt/mL set: {1}; expected {2} min").format(
                dose.drop_factor_gtt_per_ml,
                self.tr(", then ").join(phases),
                dose.expected_duration_min,
            ),
        ]
        return "\n".join(lines)

    def _scanned(self) -> None:
        text = self.scan.text().strip()
        self.scan.clear()
        if not text:
            return
        if looks_like_wristband(text):
            self.scanned_wristband = text
        else:
            self.scanned_product = text
        self._show_scan_state()
        if self.scanned_wristband and self.scanned_product:
            self._check_identity()

    def _show_scan_state(self) -> None:
        parts = [
            self.tr("wristband {0}").format(self.scanned_wristband)
            if self.scanned_wristband
            else self.tr("wristband not scanned"),
            self.tr("bag {0}").format(self.scanned_product)
            if self.scanned_product
            else self.tr("bag not scanned"),
        ]
        self.scan_state.setText(" · ".join(parts))

    def _check_identity(self) -> None:
        wristband, product = self.scanned_wristband, self.scanned_product
        if not (wristband and product):
            self._show_scan_state()
            self._say(self.tr("Scan the patient's wristband and the bag first."), error=True)
            self.scan.setFocus()
            return
        try:
            timing = row_timing(self, self.scan_time, self.ctx.now())
        except InputError as exc:
            self._say(failure_text(exc), error=True)
            return
        if timing is None:
            return
        # matched or not, the check is recorded: the next check starts from new scans
        self.scanned_wristband = self.scanned_product = None
        self.scan_state.clear()
        self.scan_time.clear()
        self._act(
            lambda user, i: bedside.check_identity(
                self.ctx,
                user,
                i,
                wristband=wristband,
                product_id=product,
                at=timing.at,
                late_reason=timing.late_reason,
            ),
            declared(_button(bedside.CHECK).done),
        )

    def _adverse_event(self) -> None:
        assert self.view is not None
        temperatures = [v.vitals.temperature_c for v in self.view.state.vitals]
        peak: Decimal | None = max(temperatures, default=None)
        time = EntryTime(self.ctx.now)
        values = AdverseEventDialog.ask(self, peak, time)
        if values is None:
            return
        timing = self._timing(time)
        if timing is None:
            return
        self._act(
            lambda user, i: bedside.record_adverse_event(
                self.ctx, user, i, **values, at=timing.at, late_reason=timing.late_reason
            ),
            declared(_button(bedside.ADVERSE_EVENT).done),
        )

    def _record_vitals(self, values: dict[str, Any]) -> None:
        try:
            timing = row_timing(self, self.vitals.time, self.ctx.now())
        except InputError as exc:
            self._say(failure_text(exc), error=True)
            return
        if timing is None:
            return
        self._act(
            lambda user, i: bedside.record_vitals(
                self.ctx, user, i, values, at=timing.at, late_reason=timing.late_reason
            ),
            declared(_button(bedside.VITALS).done),
            after=self.vitals.clear,
        )

    def _correct(self) -> None:
        """A signed correction of an entry's time; the original stays in the log."""
        row = self.log.currentRow()
        if not 0 <= row < len(self.log.rows):
            self._say(self.tr("Select the entry to correct in the log first."), error=True)
            return
        entry = self.log.rows[row]
        values = FormDialog.ask(
            self,
            self.tr("Correct entry #{0} ({1})").format(entry.seq, shown(entry.what)),
            [
                Field("time", self.tr("Correct time (HH:MM)"), local_time(entry.occurred_at)),
                Field("reason", self.tr("Reason for the correction")),
            ],
            self.tr("The original entry stays in the record beside the correction."),
        )
        if values is None:
            return
        day = station_now(entry.occurred_at)
        self._signed(
            self.tr("Correction of entry #{0}").format(entry.seq),
            self.tr(MEANINGS[SignatureMeaning.CORRECTED]),
            lambda user, i, password, _when: bedside.correct_event(
                self.ctx,
                user,
                i,
                entry.seq,
                password,
                reason=values["reason"],
                occurred_at=parse_entered_time("occurred_at", values["time"], day),
            ),
            declared(_button(bedside.CORRECT).done),
        )

    def _sae(self) -> None:
        assert self.view is not None
        waiting = [
            a
            for a in self.view.state.adverse_events
            if a.report_due_at is not None and a.reported_at is None
        ]
        if not waiting:
            self._say(self.tr("No serious adverse event is waiting to be reported."), error=True)
            return
        labels = tuple(f"#{a.seq} {a.event.name} grade {a.event.grade}" for a in waiting)
        time = EntryTime(self.ctx.now)
        values = self._form(
            self.tr("Serious adverse event reported"),
            [
                Field("event", self.tr("Event"), labels[0], labels),
                time.field(),
            ],
            timed=True,
        )
        if values is None:
            return
        seq = waiting[labels.index(values["event"])].seq
        time.take(values)
        timing = self._timing(time)
        if timing is None:
            return
        self._act(
            lambda user, i: bedside.report_sae(
                self.ctx, user, i, seq, at=timing.at, late_reason=timing.late_reason
            ),
            declared(_button(bedside.SAE_REPORTED).done),
        )

    def _acknowledge(self, key: str, message: str) -> None:
        self._act(
            lambda user, i: bedside.acknowledge_alarm(self.ctx, user, i, key, message),
            self.tr("Alarm acknowledged."),
        )


def _button(step: bedside.BedsideStep) -> bedside.Button:
    assert step.button is not None
    return step.button


def _arguments(step: bedside.BedsideStep, values: dict[str, str]) -> dict[str, Any]:
    """The form's texts as the step's arguments. Runs inside the service call, so a typo
    comes back as the field's one-line error."""
    arguments: dict[str, Any] = {}
    for param in step.params:
        if param.label is None:
            if param.kind is Kind.FLAG:  # affirmed by the act (the rate step's note says so)
                arguments[param.name] = True
            continue
        text = values.get(param.key, "")
        if param.kind is Kind.COUNT:
            arguments[param.name] = parse_int(param.key, text)  # not int(): '٣', '1_0'
        else:
            arguments[param.name] = text if text or param.required else None
    return arguments
