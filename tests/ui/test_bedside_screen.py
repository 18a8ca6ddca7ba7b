"""A whole infusion driven through the real window as a nurse would, on the test's clock.

Times follow tests/logic/test_infusion_workflow.py (clock starts 08:00 UTC): dexamethasone
08:00, thaw 08:10, start allowed 08:30, start 08:35, rate step 08:50, vitals every 15 min,
end 09:25, observation until 11:25.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from infusion_app.logic.alarms import Priority
from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.infusion_state import Step
from infusion_app.services import bedside, status
from infusion_app.ui.vitals_entry import FIELDS
from tests.conftest import PASSWORD
from tests.ui.conftest import settle, type_into

NORMAL = ("36.8", "72", "122", "76", "14", "98")  # NEWS2 0 (all in the scoring's 0 bands)


def screen_of(window):
    assert window.workspace.currentWidget() is window.bedside
    return window.bedside


def press(qtbot, window, action):
    screen = window.bedside
    button = screen.buttons[action]
    assert button.isEnabled(), f"{action}: {button.toolTip()}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not screen.message.styleSheet().startswith("color: #b00020"), screen.message.text()


def enter_vitals(qtbot, window, values=NORMAL):
    entry = window.bedside.vitals
    for (key, _, _), text in zip(FIELDS, values, strict=True):
        type_into(qtbot, entry.inputs[key], text)
    news2 = entry.score.text()
    qtbot.keyClick(entry.inputs["spo2_pct"], Qt.Key.Key_Return)  # Enter records the row
    settle(qtbot, window)
    assert window.bedside.message.text() == "Vital signs recorded.", window.bedside.message.text()
    return news2


def disabled_because(screen, action):
    button = screen.buttons[action]
    return None if button.isEnabled() else button.toolTip()


def test_a_whole_infusion_at_the_bedside(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)  # the station's open infusion is where the nurse lands
    assert screen.patient_line.text().startswith("P001 · WL · 63.5 kg")
    assert screen.steps.current is Step.CHECKS
    assert disabled_because(screen, BedsideAction.START) == (
        "start blocked: check the patient's and the product's identity first"
    )
    assert disabled_because(screen, BedsideAction.DOSE) is None

    # 08:00 the nurse verifies the pharmacist's calculation with a signature
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.VERIFY_DOSE)
    what, meaning, name = answers.asked[-1][1]
    assert (meaning, name) == ("verified", "Nora Nurse")
    # 100 mL at 20 gtt/mL: 20 gtt/min for 15 min, then 40 gtt/min (85 mL = 1700 drops in
    # at most 45 min needs 37.8, below the protocol's 40 minimum)
    # the verifier sees every input and result of the calculation, cells as powers of ten
    assert what.splitlines() == [
        "Weight: 63.5 kg, measured 2026-11-21 08:00",
        "Dose: 2.00 × 10^6 cells/kg (group A)",
        "Concentration: 1.00 × 10^7 cells/mL, viability 92.0 %: 9.20 × 10^6 cells/mL viable",
        "Target 1.27 × 10^8 cells; delivered 1.27 × 10^8 cells (deviation -0.03 %)",
        "Product volume: 13.8 mL; final volume: 100 mL (diluent 86.2 mL)",
        "Drip plan, 20 gtt/mL set: 20 gtt/min for 15.0 min (15.00 mL), then 40 gtt/min for "
        "42.5 min (85.00 mL); expected 57.5 min",
    ]
    assert "e+" not in what

    # scan the wristband, then the bag: the check runs by itself, the scanner field has focus
    assert window.focusWidget() is screen.scan
    qtbot.keyClicks(screen.scan, "MSC|P001|WL")
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return)
    assert "wristband MSC|P001|WL" in screen.scan_state.text()
    qtbot.keyClicks(screen.scan, "UC-MSC-2026-0001")
    qtbot.keyClick(screen.scan, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert screen.message.text() == "Patient and bag match; product released and in date."
    assert screen.scan_row.isHidden()

    assert enter_vitals(qtbot, window) == "NEWS2 0 (low risk)"
    assert screen.steps.current is Step.PREMEDICATION
    assert disabled_because(screen, BedsideAction.START) == (
        "start blocked: give dexamethasone 5 mg IV first"
    )
    # a one-click act is confirmed first: what will be recorded and when; cancel saves nothing
    answers.confirmations.append(False)
    press(qtbot, window, BedsideAction.PREMEDICATION)
    assert answers.asked[-1] == (
        "confirm",
        (
            "Premedication given",
            ("dexamethasone 5 mg IV, 30 min before the start",),
            clock(),
        ),
    )
    assert screen.steps.current is Step.PREMEDICATION
    press(qtbot, window, BedsideAction.PREMEDICATION)
    assert screen.steps.current is Step.THAW
    # premedication 08:00 + 30 min: start allowed at 08:30
    assert screen.countdown.text() == "Start allowed in 30:00"

    clock.advance(minutes=10)  # 08:10
    press(qtbot, window, BedsideAction.THAW)
    assert answers.asked[-1][0:1] == ("confirm",)
    assert answers.asked[-1][1][0] == "Product thawed"
    assert screen.steps.current is Step.SLOW_PHASE  # the next thing is the slow phase
    clock.advance(minutes=8, seconds=20)  # 08:18:20
    screen.tick()
    assert screen.countdown.text() == "Start allowed in 11:40"
    assert disabled_because(screen, BedsideAction.START) == (
        "start blocked: 12 min left of the 30 min after dexamethasone"
    )
    assert disabled_because(screen, BedsideAction.RATE_STEP) == "rate: the infusion has not started"

    clock.advance(minutes=16, seconds=40)  # 08:35
    screen.tick()
    assert disabled_because(screen, BedsideAction.START) is None
    answers.forms.append({"drop_factor": "20"})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.START)
    assert answers.asked[-1] == (
        "signature",
        ("Start of the infusion", "administered", "Nora Nurse"),
    )
    assert screen.steps.current is Step.SLOW_PHASE
    # rate step and first vitals both at 08:50; the rate step is named first
    assert screen.countdown.text() == "Rate step in 15:00"
    # 15 mL in 15 min, 85 mL at 40 gtt/min = 42.5 min: 57.5 min after 08:35 = 09:32:30
    assert screen.rate.text() == "Target 20 gtt/min · expected end 09:32"
    assert screen.drops.target == 20
    assert disabled_because(screen, BedsideAction.START) == (
        "start: the infusion started at 2026-11-21T08:35+00:00"
    )

    clock.advance(minutes=12, seconds=57)  # 08:47:57
    screen.tick()
    assert screen.countdown.text() == "Rate step in 02:03"
    assert disabled_because(screen, BedsideAction.RATE_STEP) == (
        "rate step blocked: 3 min left of the 15 min slow phase"
    )
    clock.advance(minutes=2, seconds=3)  # 08:50
    screen.tick()
    answers.forms.append({"rate": "40"})
    press(qtbot, window, BedsideAction.RATE_STEP)
    assert screen.steps.current is Step.FAST_PHASE
    assert screen.countdown.text() == "Vitals due"
    assert screen.rate.text() == "Target 40 gtt/min · expected end 09:32"
    assert screen.banner.isVisible() and screen.banner.priority is Priority.LOW

    clock.advance(minutes=2)  # 08:52
    assert enter_vitals(qtbot, window) == "NEWS2 0 (low risk)"
    assert screen.countdown.text() == "Vitals due in 15:00"  # 08:52 + 15 = 09:07
    for minute in (15, 15):  # 09:07, 09:22
        clock.advance(minutes=minute)
        enter_vitals(qtbot, window)
    clock.advance(minutes=3)  # 09:25: 50 min of infusion, inside 30-60
    screen.tick()
    answers.forms.append({"volume_ml": "100", "override_reason": ""})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.END)
    assert screen.steps.current is Step.END
    assert screen.countdown.text() == "Vitals due"  # one set at the end
    clock.advance(minutes=1)  # 09:26
    enter_vitals(qtbot, window)
    assert screen.steps.current is Step.OBSERVATION
    # observation sets every 30 min from 09:26: next 09:56; observation ends 11:25
    assert screen.countdown.text() == "Vitals due in 30:00"
    assert disabled_because(screen, BedsideAction.OBSERVATION_END) == (
        "observation end blocked: 119 min left of the 120 min observation"
    )
    for _ in range(3):  # 09:56, 10:26, 10:56
        clock.advance(minutes=30)
        enter_vitals(qtbot, window)
    clock.advance(minutes=29)  # 11:25
    screen.tick()
    assert screen.countdown.text() == "Observation complete"
    press(qtbot, window, BedsideAction.OBSERVATION_END)
    assert screen.steps.current is Step.DONE
    # a reaction and a (late) nursing note may still be recorded; nothing else
    still = {BedsideAction.ADVERSE_EVENT, BedsideAction.NOTE}
    assert all(not b.isEnabled() for a, b in screen.buttons.items() if a not in still)
    assert all(screen.buttons[a].isEnabled() for a in still)

    # what the screen shows is what the store holds
    stored = status.infusion_status(ui_ctx, ward_infusion)
    assert stored.state.observation_ended_at is not None
    entries = screen.log.column_texts(4)
    # baseline 08:00; 08:52, 09:07, 09:22; end 09:26; observation 09:56, 10:26, 10:56
    assert entries.count("Vitals recorded") == 8
    assert "Signature" in entries and "Infusion ended" in entries


def test_a_nursing_note_from_its_button(
    qtbot, ui_ctx, ui_staff, ward_infusion, answers, open_window
):
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    # allowed from the record's creation on: nothing else has been done yet
    assert disabled_because(screen, BedsideAction.NOTE) is None
    assert screen.buttons[BedsideAction.NOTE].text() == "&Write a note"
    answers.forms.append({"text": "anxious, reassured; mother present"})
    press(qtbot, window, BedsideAction.NOTE)
    title, keys, _ = answers.asked[-1][1]
    # the form of the declared argument, and the entry's time (offered as now)
    assert (title, keys) == ("Nursing note", ["text", "at"])
    assert screen.message.text() == "Note recorded."
    assert screen.log.column_texts(4)[-1] == "Note added"
    assert screen.log.column_texts(5)[-1] == "text: anxious, reassured; mother present"
    stored = status.infusion_status(ui_ctx, ward_infusion)
    assert stored.state.notes == ("anxious, reassured; mother present",)

