"""The worklist shows the site's day: calendar items (recorded from a small dialog) and open SAE
reports (opening their infusion) below today's infusions. The station runs in UTC here; the
clock starts 21 Nov 2026 08:00 UTC, when P001 (group A) is enrolled."""

from __future__ import annotations

from PySide6.QtCore import Qt

from infusion_app.services import bedside
from infusion_app.ui.calendar_dialog import CalendarItemDialog
from tests.services.bedside_steps import run_to_fast_phase
from tests.services.calendar_world import occurrences
from tests.ui.conftest import settle


def day_rows(page) -> list[list[str]]:
    table = page.day_table
    return [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_a_sample_due_is_recorded_from_the_list(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, answers, clock
) -> None:
    window = open_window(ui_staff.nurse)
    page = window.worklist
    assert day_rows(page) == [
        ["P001", "WL", "Immunology samples, baseline", "before the first infusion", "due"]
    ]
    clock.advance(minutes=3)  # 08:03 UTC, 16:03 station time: the dialog proposes now
    answers.forms.append({"time": "16:03", "note": "", "sample_id": "IMM-0001", "reason": ""})
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    title, keys, note = answers.asked[-1][1]
    assert title == "Record: Immunology samples, baseline"
    assert keys == ["time", "note", "sample_id", "reason"]
    assert note == "Patient P001 · immunology_baseline:0d"
    assert page.message.text() == "Recorded for P001: Immunology samples, baseline."
    assert day_rows(page) == []
    record = occurrences(ui_ctx)["immunology_baseline:0d"].record
    assert record is not None
    assert (record.at, record.by, record.sample_id) == (clock.now, "nurse", "IMM-0001")


def test_a_refusal_is_one_line_and_the_item_stays(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, answers, clock
) -> None:
    window = open_window(ui_staff.nurse)
    page = window.worklist
    clock.advance(minutes=20)
    # entered as done at 16:10 station time (08:10 UTC), ten minutes back, without the reason
    answers.forms.append({"time": "16:10", "note": "", "sample_id": "", "reason": ""})
    answers.forms.append({"late_reason": ""})  # asked why it is entered late: left empty
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert answers.asked[-1][1][0] == "Entered late"
    assert page.message.text().startswith("Reason: is required")
    assert occurrences(ui_ctx)["immunology_baseline:0d"].record is None
    assert len(day_rows(page)) == 1


def test_an_open_sae_report_opens_its_infusion(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, answers, clock
) -> None:
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # 08:52
    serious = bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse,
        ward_infusion,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    clock.advance(hours=1)  # 09:52: due 24 h after 08:52
    window = open_window(ui_staff.nurse)
    page = window.worklist
    rows = day_rows(page)
    assert rows[0] == [
        "P001",
        "WL",
        f"SAE report #{serious.seq}: Hypotension, grade 3 (infusion 1)",
        "by 2026-11-22 16:52",  # 08:52 UTC + 24 h, read in Shanghai
        "due in 23:00:00",
    ]
    clock.advance(hours=23, minutes=1)
    page.refresh()
    settle(qtbot, window)
    assert day_rows(page)[0][4] == "overdue"
    page.day_table.selectRow(0)
    assert page.record_button.text() == "&Report at the bedside…"
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.currentWidget() is window.bedside)
    settle(qtbot, window)
    assert window.bedside.infusion_id == ward_infusion


def test_the_dialog_asks_the_reason_of_an_overdue_item(qtbot, answers) -> None:
    """Its fields: no sample ID for a visit; the reason's hint says a closed window needs one."""
    from datetime import UTC, datetime

    from infusion_app.logic import messages as m
    from infusion_app.logic.course import CalendarStatus
    from infusion_app.services.site_day import CalendarRow

    row = CalendarRow(
        "P001",
        "WL",
        "follow_up_weekly:7d",
        m.occurrence_week(name="Follow-up visit", week=1),
        "visit",
        datetime(2026, 11, 26, 16, tzinfo=UTC),
        datetime(2026, 11, 29, 16, tzinfo=UTC),
        CalendarStatus.MISSED,
    )
    answers.forms.append(None)
    assert CalendarItemDialog.ask(None, row, lambda: datetime(2026, 11, 30, tzinfo=UTC)) is None
    title, keys, _ = answers.asked[-1][1]
    assert (title, keys) == ("Record: Follow-up visit, week 1", ["time", "note", "reason"])


def test_a_sample_back_entered_after_a_downtime_asks_why_once(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, answers, clock
) -> None:
    """The paper record's time and one reason: asked when the form's reason was left empty;
    not asked again when the form gave it."""
    window = open_window(ui_staff.nurse)
    page = window.worklist
    clock.advance(hours=2)  # 10:00 UTC: the record is back; the sample was drawn at 08:30 UTC
    answers.forms.append(  # typed in the station's time, Asia/Shanghai: 08:30 UTC is 16:30
        {"time": "2026-11-21 16:30", "note": "", "sample_id": "IMM-0001", "reason": ""}
    )
    answers.forms.append({"late_reason": "downtime: from the paper log"})
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert answers.asked[-1][1][0] == "Entered late"
    assert page.message.text() == "Recorded for P001: Immunology samples, baseline."
    record = occurrences(ui_ctx)["immunology_baseline:0d"].record
    assert record is not None
    # 16:30 as typed is 08:30 UTC, recorded at 10:00 UTC
    assert (record.at, record.sample_id, record.reason) == (
        clock.now.replace(hour=8, minute=30),
        "IMM-0001",
        "downtime: from the paper log",
    )
