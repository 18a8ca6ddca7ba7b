"""Alarms appear, sound once, are acknowledged (recorded) and clear; a restart mid-infusion
lands on the same screen with the same countdown, alarms and buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from infusion_app.logic.alarms import Priority
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from infusion_app.ui.alarm_banner import AlarmBanner
from tests.conftest import FAST_HASHER, PASSWORD
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle, type_into
from tests.ui.test_bedside_screen import enter_vitals


def test_abnormal_vitals_raise_a_high_alarm_until_acknowledged_then_clear(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, monkeypatch
):
    sounded = []
    monkeypatch.setattr(AlarmBanner, "_sound", staticmethod(lambda: sounded.append(1)))
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # 08:52, vitals normal
    clock.advance(minutes=1)  # 08:53
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    assert not screen.banner.isVisible()

    # systolic 85 is below the protocol's 90 mmHg alert limit
    enter_vitals(qtbot, window, ("36.8", "72", "85", "50", "14", "98"))
    assert screen.banner.isVisible() and screen.banner.priority is Priority.HIGH
    text = screen.banner.text.text()
    assert text.startswith("HIGH: ") and "85" in text and "infusion reaction" in text
    assert "#b00020" in screen.banner.styleSheet()
    assert sounded == [1]
    screen.tick()  # the same alarm does not sound again every second
    assert sounded == [1]

    # F9 from the keyboard (QTest cannot fire a shortcut, pytest-qt #254: the button is pressed)
    assert screen.banner.ack.shortcut() == QKeySequence("F9")
    qtbot.mouseClick(screen.banner.ack, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    # the same set also scored NEWS2 3 in one parameter (SBP <= 90): the next alarm shows
    assert screen.banner.text.text() == (
        "MEDIUM: NEWS2 3 with a single parameter scoring 3 (low-medium risk): "
        "urgent ward-based review by a clinician"
    )
    qtbot.mouseClick(screen.banner.ack, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not screen.banner.isVisible()
    assert screen.log.column_texts(4)[-2:] == ["Alarm acknowledged"] * 2
    assert screen.log.column_texts(3)[-1] == "nurse"

    # still abnormal at the next set: a new alarm; a normal set clears it for good
    enter_vitals(qtbot, window, ("36.8", "72", "84", "50", "14", "98"))
    assert screen.banner.priority is Priority.HIGH and sounded == [1, 1]
    enter_vitals(qtbot, window)
    assert not screen.banner.isVisible()

    # vitals last at 08:53: due 09:08, overdue 09:13 -> medium, in yellow
    clock.advance(minutes=20)
    screen.tick()
    assert screen.banner.priority is Priority.MEDIUM
    assert screen.banner.text.text() == "MEDIUM: Overdue: vital signs"
    assert "#ffd600" in screen.banner.styleSheet()
    assert screen.countdown.text() == "Vitals due"


def test_restart_mid_infusion_lands_on_the_same_screen(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, tmp_path
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # last vitals 08:52
    clock.advance(minutes=17)  # 09:09: vitals due 09:07, not yet overdue (09:12)
    first = open_window(ui_staff.nurse)
    before = shown(first.bedside)
    assert before["countdown"] == "Vitals due"
    assert before["banner"] == "Reminder: Vital signs"
    first.close()

    # a new process: its own connection to the same file, the same clock
    db = open_database(ui_ctx.db.url.render_as_string(hide_password=False), clock())
    reopened_ctx = AppContext(db=db, station=ui_ctx.station, clock=clock, hasher=FAST_HASHER)
    try:
        second = open_window(ui_staff.nurse, reopened_ctx)
        assert second.workspace.currentWidget() is second.bedside
        assert second.bedside.infusion_id == ward_infusion
        assert shown(second.bedside) == before
        clock.advance(minutes=4)  # 09:13: overdue now, in both the countdown and the banner
        second.bedside.tick()
        assert second.bedside.banner.text.text() == "MEDIUM: Overdue: vital signs"
        second.close()
    finally:
        db.dispose()


def shown(screen) -> dict[str, object]:
    return {
        "infusion": screen.infusion_id,
        "step": screen.steps.current,
        "countdown": screen.countdown.text(),
        "rate": screen.rate.text(),
        "banner": screen.banner.text.text() if screen.banner.isVisible() else None,
        "enabled": sorted(a.value for a, b in screen.buttons.items() if b.isEnabled()),
        "log": screen.log.rowCount(),
    }


def test_a_refused_entry_says_why_in_one_line_and_saves_nothing(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    rows = screen.log.rowCount()
    entry = screen.vitals
    for key, text in zip(
        ("temperature_c", "heart_rate_bpm", "systolic_mmhg", "diastolic_mmhg"),
        ("36.8", "72", "120", "130"),
        strict=True,
    ):
        type_into(qtbot, entry.inputs[key], text)
    type_into(qtbot, entry.inputs["respiratory_rate_per_min"], "14")
    type_into(qtbot, entry.inputs["spo2_pct"], "98")
    # the preview already says it, before anything is sent
    assert (
        entry.score.text()
        == "diastolic pressure (mmHg): must be below the systolic pressure (120 mmHg), got 130"
    )
    qtbot.keyClick(entry.inputs["spo2_pct"], Qt.Key.Key_Return)
    settle(qtbot, window)
    assert screen.message.text() == (
        # was "Diastolic_mmhg: ...": the field by its name, not its key
        "Diastolic pressure (mmHg): must be below the systolic pressure (120 mmHg), got 130"
    )
    assert "\n" not in screen.message.text() and "Traceback" not in screen.message.text()
    assert screen.log.rowCount() == rows
    assert entry.inputs["diastolic_mmhg"].text() == "130"  # kept for the nurse to fix


def test_correct_an_entry_and_report_an_sae_from_the_bedside(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, answers
):
    from infusion_app.services import bedside

    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # premedication at 08:00
    bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse,
        ward_infusion,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    # the serious event's 24-hour report is a high alarm until reported
    assert screen.banner.priority is Priority.HIGH
    row = screen.log.column_texts(4).index("Premedication given")
    screen.log.selectRow(row)
    # corrected to 16:02 station time (08:02 UTC)
    answers.forms.append({"time": "16:02", "reason": "pump clock two minutes slow"})
    answers.passwords.append(PASSWORD)
    screen.correct_action.trigger()
    settle(qtbot, window)
    assert answers.asked[-1][1][1:] == ("corrected", "Nora Nurse")
    marks = screen.log.column_texts(6)[row]
    seq = screen.log.rows[row].seq
    assert marks.startswith(f"corrected by #{screen.log.rows[-2].seq}: pump clock two minutes slow")
    assert f"corrects #{seq}: time: 2026-11-21 16:02" in marks  # local minutes, no ISO
    assert screen.log.column_texts(1)[row] == "2026-11-21 16:00"  # the original stays

    answers.forms.append({"event": answers_label(screen)})
    screen.sae_action.trigger()
    settle(qtbot, window)
    assert screen.message.text() == "SAE report recorded."
    assert screen.log.column_texts(4)[-1] == "Sae reported"


def answers_label(screen) -> str:
    waiting = [a for a in screen.view.state.adverse_events if a.reported_at is None]
    return f"#{waiting[0].seq} Hypotension grade 3"
