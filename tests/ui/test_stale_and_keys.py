"""Issue 12, section 6: the bedside never shows a stale or wrong picture.

The clock keeps running across a rebuild, one key press is one drop, every shortcut is
unique on every screen, a wrong signature password keeps the dialog open and is counted,
one-click acts are confirmed with their time, and refilling tables costs no more than the
rows it shows. Keys go through the window (``QTest`` on the ``QWindow``: the platform's
path, with focus and shortcuts), not straight to a widget.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTabBar,
)

from infusion_app.logic.alarms import Priority
from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.infusion_state import Step
from infusion_app.services import bedside, views
from infusion_app.ui.confirm_dialog import ConfirmDialog
from infusion_app.ui.main_window import MainWindow
from infusion_app.ui.rows_table import RowsTable
from infusion_app.ui.signature_dialog import SignatureDialog
from infusion_app.ui.translations import Translations
from tests.conftest import PASSWORD
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.services.test_signatures import stream_events
from tests.ui.conftest import settle


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    Translations().use("en")


def when_modal(action) -> None:
    """Run ``action(dialog)`` once a modal dialog is open (a mnemonic clicks after 100 ms)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
        else:
            action(dialog)

    QTimer.singleShot(0, poll)


def key(window: MainWindow, which: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed and released through the window system's path (focus, shortcuts)."""
    handle = window.windowHandle()
    assert handle is not None
    QTest.keyClick(handle, which, modifier)
    QApplication.processEvents()


# --- the clock across a rebuild ------------------------------------------------------------


def test_the_countdown_runs_on_and_the_overdue_alarm_comes_after_a_language_switch(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # vitals 08:52, next due 09:07
    clock.advance(minutes=11)  # 09:03
    window = open_window(ui_staff.nurse)
    assert window.bedside.countdown.text() == "Vitals due in 04:00"

    window.workspace.setCurrentWidget(window.settings_page)
    window.settings_page.language.setCurrentIndex(1)  # 简体中文: every screen is rebuilt
    settle(qtbot, window)
    screen = window.bedside
    # the new bedside runs its own clock at once, while the nurse is still in the settings
    qtbot.waitUntil(lambda: screen.countdown.text() == "距测生命体征 04:00", timeout=5000)
    clock.advance(minutes=2, seconds=30)
    qtbot.waitUntil(lambda: screen.countdown.text() == "距测生命体征 01:30", timeout=5000)
    clock.advance(minutes=7)  # 09:12:30: 5 min past due is overdue (medium)
    qtbot.waitUntil(lambda: screen.banner.alarms != [], timeout=5000)
    assert screen.banner.alarms[0].priority is Priority.MEDIUM

    window.workspace.setCurrentWidget(screen)
    settle(qtbot, window)
    assert screen.banner.priority is Priority.MEDIUM
    assert screen.banner.text.text().startswith("中: ")
    assert screen.countdown.text() == "应测生命体征"  # overdue: the label alone, in red
    assert "#b00020" in screen.countdown.styleSheet()


# --- Space: one press, one drop -------------------------------------------------------------


@pytest.fixture
def running(ui_ctx, ui_staff, ward_infusion, clock, open_window):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.nurse)
    assert window.bedside.steps.current is Step.FAST_PHASE
    return window


def test_one_space_is_one_drop_whatever_has_focus(qtbot, running):
    window = running
    screen = window.bedside
    counter = screen.drops

    # the nurse clicked the Drop button: it has focus, and each Space is one drop
    qtbot.mouseClick(counter.tap_button, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is counter.tap_button and counter.drops == 1
    for _ in range(5):
        key(window, Qt.Key.Key_Space)
    assert counter.drops == 6

    # focus on the log (nothing there uses Space): still one drop per press
    screen.log.setFocus()
    key(window, Qt.Key.Key_Space)
    assert counter.drops == 7

    # a vitals field types the space; nothing is counted
    field = screen.vitals.inputs["temperature_c"]
    field.setFocus()
    key(window, Qt.Key.Key_Space)
    assert counter.drops == 7 and field.text() == " "
    field.clear()

    # a focused button is pressed by Space, and no drop is counted
    screen.list_button.setFocus()
    key(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.workspace.currentWidget() is window.worklist)
    assert counter.drops == 7

    # a key held down (auto-repeat) is one drop
    window.workspace.setCurrentWidget(screen)
    settle(qtbot, window)
    screen.log.setFocus()
    key(window, Qt.Key.Key_Space)
    assert counter.drops == 8
    assert not screen.drop_key.autoRepeat()  # a key held down is one drop, not a burst


def test_alt_e_ends_the_infusion_and_alt_n_records_a_reaction(qtbot, running, clock, answers):
    window = running
    screen = window.bedside
    clock.advance(minutes=33)  # 09:25
    screen.tick()
    answers.forms.append(None)  # the end's form, cancelled
    key(window, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(answers.asked) == 1)  # a mnemonic clicks after 100 ms
    assert answers.asked[-1][0] == "form" and answers.asked[-1][1][0] == "End of the infusion"
    answers.adverse_events.append(None)
    key(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(answers.asked) == 2)
    assert answers.asked[-1][0] == "adverse event"


# --- every shortcut unique on every screen ---------------------------------------------------


def active_keys(window: MainWindow) -> Counter[str]:
    """Every key that does something on the screen as shown: mnemonics of buttons, labels with
    a buddy and group boxes, button shortcuts, QShortcuts and the widgets' QActions."""
    found: list[str] = []

    def add(sequence: QKeySequence) -> None:
        if not sequence.isEmpty():
            found.append(sequence.toString())

    shown = [w for w in window.findChildren(QAbstractButton) if w.isVisibleTo(window)]
    for button in shown:  # a button's shortcut is its mnemonic unless set otherwise
        mnemonic = QKeySequence.mnemonic(button.text())
        add(mnemonic if button.shortcut().isEmpty() else button.shortcut())
    for label in window.findChildren(QLabel):
        if label.isVisibleTo(window) and label.buddy() is not None:
            add(QKeySequence.mnemonic(label.text()))
    for box in window.findChildren(QGroupBox):
        if box.isVisibleTo(window):
            add(QKeySequence.mnemonic(box.title()))
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if shortcut.isEnabled() and parent is not None and parent.isVisibleTo(window):
            add(shortcut.key())
    for widget in window.findChildren(QAbstractButton):
        if widget.isVisibleTo(window):
            for action in widget.actions():
                add(action.shortcut())
    for bar in window.findChildren(QTabBar):  # a tab's mnemonic selects it (the Trial tab's
        if bar.isVisibleTo(window):  # sections had Alt+T twice)
            for index in range(bar.count()):
                add(QKeySequence.mnemonic(bar.tabText(index)))
    return Counter(found)


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_shortcut_is_unique_on_every_screen(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, language
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    screens = 0
    login = open_window(None)
    login.set_language(language)
    twice = [k for k, n in active_keys(login).items() if n > 1]
    assert twice == [], ("login", twice)
    login.close()
    roles = (ui_staff.nurse, ui_staff.pharmacist, ui_staff.monitor, ui_staff.investigator)
    for person in (*roles, ui_staff.admin):
        window = open_window(person)
        window.set_language(language)
        settle(qtbot, window)
        tabs = window.workspace
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            settle(qtbot, window)
            keys = active_keys(window)
            twice = [k for k, n in keys.items() if n > 1]
            assert twice == [], (person.role, tabs.widget(index).objectName(), twice)
            screens += 1
            if tabs.widget(index) is window.bedside:
                assert keys["Space"] == 1  # the drop count, and no button's own shortcut
                assert {"Alt+E", "Alt+N", "Alt+P", "Alt+T"} <= set(keys)
        assert all(
            b.shortcut().isEmpty() or b.shortcut().toString() != "Space"
            for b in window.findChildren(QAbstractButton)
        )
        window.close()
    assert screens >= 17  # every tab of every role's window


# --- a wrong signature password ----------------------------------------------------------------


@pytest.mark.qt_log_ignore("propagateSizeHints")  # a real dialog on the offscreen platform
def test_a_wrong_signature_password_keeps_the_dialog_open_and_is_counted(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window
):
    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    seen: dict[str, object] = {}

    def sign_in_the_real_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SignatureDialog)
        seen["what"] = dialog.what.text()
        qtbot.keyClicks(dialog.password, "not my password")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Sign
        qtbot.waitUntil(lambda: dialog.failures == 1, timeout=10000)
        seen["open"] = dialog.isVisible()
        seen["problem"] = dialog.problem.text()
        seen["cleared"] = dialog.password.text() == ""
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    QTimer.singleShot(0, sign_in_the_real_dialog)
    qtbot.mouseClick(screen.buttons[BedsideAction.VERIFY_DOSE], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert seen["open"] is True and seen["cleared"] is True
    assert seen["problem"] == (
        "Not signed: The username or password is wrong. Failed attempts: 1 "
        "(each is recorded in the log)."
    )
    assert "Dose: 2.00 × 10^6 cells/kg" in str(seen["what"])
    failed = [p for _, t, p in stream_events(ui_ctx, "system") if t == "signature_failed"]
    assert [(p["username"], p["why"]) for p in failed] == [("nurse", "wrong password")]
    assert screen.message.text() == "Dose verified."
    assert screen.view.state.dose.verified_by == "nurse"


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_signature_dialog_answers_in_place(qtbot):
    answers: list[tuple[str, object]] = []
    dialog = SignatureDialog(
        None,
        what="Start",
        meaning="administered",
        printed_name="Nora Nurse",
        submit=lambda password, answer: answers.append((password, answer)),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    assert answers[0][0] == "guess" and not dialog.buttons.isEnabled()
    dialog.reject()  # Esc while saving does not abandon the act half-way
    assert dialog.isVisible()
    answers[0][1]("the username or password is wrong")
    assert dialog.isVisible() and dialog.failures == 1 and dialog.buttons.isEnabled()
    qtbot.keyClicks(dialog.password, "right")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    answers[1][1](None)
    assert dialog.result() == SignatureDialog.DialogCode.Accepted and not dialog.isVisible()


# --- one-click acts confirmed -------------------------------------------------------------------


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_alt_p_shows_what_and_when_and_enter_records_it(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    prepare(ui_ctx, ui_staff, ward_infusion)
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    assert screen.steps.current is Step.PREMEDICATION
    seen: dict[str, str] = {}

    def look_then(dialog, answer: Qt.Key) -> None:
        assert isinstance(dialog, ConfirmDialog)
        seen["entry"] = dialog.entry.text()
        seen["details"] = dialog.details.text()
        seen["when"] = dialog.when.text()
        QTest.keyClick(dialog.windowHandle(), answer)

    when_modal(lambda dialog: look_then(dialog, Qt.Key.Key_Escape))
    key(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: "entry" in seen)
    settle(qtbot, window)
    assert seen == {
        "entry": "Premedication given",
        "details": "dexamethasone 5 mg IV, 30 min before the start",
        "when": "Time: 2026-11-21 08:00:00 UTC (now, when you confirm)",
    }
    assert screen.steps.current is Step.PREMEDICATION  # Esc: nothing recorded

    seen.clear()
    window.activateWindow()  # back from the dialog (a window manager would do this)
    qtbot.waitUntil(window.isActiveWindow)
    when_modal(lambda dialog: look_then(dialog, Qt.Key.Key_Return))
    key(window, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.message.text() == "Premedication recorded.")
    settle(qtbot, window)
    assert screen.message.text() == "Premedication recorded."
    assert screen.steps.current is Step.THAW


# --- tables: refills cost what they show ----------------------------------------------------------


def test_no_table_measures_every_cell(qtbot, ui_staff, open_window):
    roles = (ui_staff.nurse, ui_staff.pharmacist, ui_staff.monitor, ui_staff.investigator)
    for person in (*roles, ui_staff.admin):
        window = open_window(person)
        for table in window.findChildren(RowsTable):
            header = table.horizontalHeader()
            modes = {header.sectionResizeMode(c) for c in range(header.count())}
            assert QHeaderView.ResizeMode.ResizeToContents not in modes, table.objectName()
        window.close()


def test_a_year_of_rows_refilled_and_a_long_record_selected_again_stay_fast(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.monitor)
    page = window.monitor
    settle(qtbot, window)
    row = views.list_infusions(ui_ctx)[0]
    year = [row] * 401
    resets: list[int] = []
    page.table.model().modelReset.connect(lambda: resets.append(1))
    page._show(year)
    settle(qtbot, window)
    page.table.selectRow(200)
    settle(qtbot, window)
    assert len(resets) == 1
    started = time.perf_counter()
    page._show(year)  # the same search again: same number of rows
    spent = time.perf_counter() - started
    settle(qtbot, window)
    assert len(resets) == 1  # a refill of equal size is one dataChanged, not a reset
    assert spent < 0.5, spent  # was 22.6 s with ResizeToContents headers
    assert page.log.rowCount() == len(page.record.view.events)
    rows = page.log.rowCount()
    started = time.perf_counter()
    page.log.show_rows(list(page.log.rows))
    assert time.perf_counter() - started < 0.2
    assert page.log.rowCount() == rows


def test_a_clinical_form_says_when_its_entry_will_be_recorded(qtbot, clock):
    from infusion_app.ui.form_dialog import Field, FormDialog

    dialog = FormDialog(None, "Pause the infusion", [Field("why", "Reason")], clock=clock)
    qtbot.addWidget(dialog)
    assert dialog.when.text() == "Time: 2026-11-21 08:00:00 UTC (now, when you confirm)"
    clock.advance(seconds=65)
    qtbot.waitUntil(lambda: "08:01:05" in dialog.when.text(), timeout=3000)
    plain = FormDialog(None, "New patient", [Field("trial_id", "Trial ID")])
    qtbot.addWidget(plain)
    assert plain.when.isHidden()  # not an entry of an infusion's record: no time line


def test_alt_i_goes_to_the_vitals_row_and_alt_g_logs_out(qtbot, running):
    """Two places a keyboard could not reach (found by tests/ui/test_keyboard_infusion_x11.py):
    the vitals row had no key (only a Tab walk over every bedside button), and nothing took a
    second person, the dose's verifier, to the login."""
    window = running
    screen = window.bedside
    screen.log.setFocus()
    key(window, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert window.focusWidget() is screen.vitals.inputs["temperature_c"]
    key(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login)
    assert window.user is None
    assert window.focusWidget() is window.login.username  # the next person types their name
