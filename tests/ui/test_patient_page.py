"""The patient course page: read off the UI thread, refreshed when the record changes,
reachable by keyboard.

P001 in group C, infusions 1 and 2 given on Sat 21 and Sat 28 Nov 2026 (16:35 local), the
page read on Tue 1 Dec 08:00 UTC (tests/services/patient_course.py).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from infusion_app.logic.events import VisitRecorded
from infusion_app.services import patient_view as patient_view_service
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_p001
from tests.services.patient_course import append_to_patient, give_infusion
from tests.ui.conftest import settle, type_into


@pytest.fixture
def group_c(ui_ctx, ui_staff, clock) -> str:
    register_p001(
        ui_ctx, ui_staff.nurse, ui_staff.pharmacist, clock, ui_staff.investigator, dose_level="C"
    )
    give_infusion(ui_ctx, ui_staff, clock, 1)
    clock.now = datetime(2026, 11, 28, 8, tzinfo=UTC)
    give_infusion(ui_ctx, ui_staff, clock, 2)
    clock.now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    return "P001"


def column(table, index: int) -> list[str]:
    return [table.text(r, index) for r in range(table.rowCount())]


def test_the_page_shows_the_plan_without_blocking(
    qtbot, ui_ctx, ui_staff, open_window, group_c, monkeypatch
):
    window = open_window(ui_staff.nurse)
    page = window.course
    assert page is not None
    window.workspace.setCurrentWidget(page)
    settle(qtbot, window)

    # the read is held back until the test lets it go: meanwhile the window answers
    release = threading.Event()
    real = patient_view_service.patient_view

    def slow(ctx, trial_id, now=None):
        assert release.wait(10)
        return real(ctx, trial_id, now)

    monkeypatch.setattr("infusion_app.ui.patient_page.patient_view", slow)
    type_into(qtbot, page.patient.lineEdit(), "P001")
    qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
    assert page.message.text() == "Reading the course of P001…"
    assert page.plan.rowCount() == 0
    qtbot.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)  # handled at once
    assert page.sections.currentWidget() is page.calendar
    release.set()
    qtbot.waitUntil(lambda: page.plan.rowCount() == 4, timeout=10000)

    assert column(page.plan, 0) == [f"infusion {n} of 4" for n in (1, 2, 3, 4)]
    assert column(page.plan, 4) == ["given", "given", "planned", "planned"]
    # infusion 3: 28 Nov + 7 = 5 Dec, window -1/+2 days: 4 to 7 Dec
    assert page.plan.text(2, 2) == "2026-12-05"
    assert page.plan.text(2, 3) == "2026-12-04 to 2026-12-07"
    assert page.plan.text(0, 5) == "2026-11-21 16:35"
    assert page.next_line.text() == (
        "Next: infusion 3 of 4, target 2026-12-05, window 2026-12-04 to 2026-12-07 (planned)"
    )
    summary = page.summary.text()
    assert "enrolled 2026-11-21 16:00 at C, signed by Ivan Investigator" in summary
    assert "times in Asia/Shanghai" in summary
    labels = column(page.calendar, 0)
    assert (
        "Follow-up visit, week 1" in labels and "24-hour acute-reaction check, infusion 2" in labels
    )
    assert column(page.weights, 0) == ["63.5", "63.5"]
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert page.sections.currentWidget() is page.weights


def test_a_visit_recorded_elsewhere_shows_within_2_s(
    qtbot, ui_ctx, ui_staff, open_window, group_c, clock
):
    # Fri 4 Dec 02:00 UTC, 10:00 local: the week-2 visit (21 Nov + 14 = 5 Dec, window 4-6 Dec
    # local) is due
    clock.now = datetime(2026, 12, 4, 2, tzinfo=UTC)
    window = open_window(ui_staff.investigator)  # an investigator reads the course too
    page = window.course
    assert page is not None
    window.workspace.setCurrentWidget(page)
    type_into(qtbot, page.patient.lineEdit(), "P001")
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.calendar.rowCount() > 0, timeout=10000)
    row = column(page.calendar, 0).index("Follow-up visit, week 2")
    assert page.calendar.text(row, 3) == "due"

    # recorded at another station (its own engine on the same file), now
    qtbot.wait(1200)  # the window's watch has opened its feed: what follows is news
    other = AppContext(
        db=open_database(ui_ctx.db.url, clock()), station="bed-9", clock=clock, hasher=FAST_HASHER
    )
    try:
        append_to_patient(
            other, VisitRecorded(item="follow_up_weekly:14d", note=None), by="nurse", at=clock()
        )
    finally:
        other.db.dispose()
    qtbot.waitUntil(lambda: page.calendar.text(row, 3) == "done", timeout=2000)
    assert page.calendar.text(row, 4) == "2026-12-04 10:00"
    assert page.calendar.text(row, 5) == "nurse"


def test_a_patient_that_does_not_exist_is_one_line(qtbot, ui_ctx, ui_staff, open_window):
    window = open_window(ui_staff.monitor)
    page = window.course
    assert page is not None
    window.workspace.setCurrentWidget(page)
    type_into(qtbot, page.patient.lineEdit(), "P404")
    qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    assert page.message.text() == "Trial ID: no patient 'P404'"
    assert page.plan.rowCount() == 0


def test_an_admin_has_no_course_page(qtbot, ui_staff, open_window):
    window = open_window(ui_staff.admin)
    assert window.course is None
