"""The bedside fits 1366x768 (issue 17 §6): at least 8 log rows show, the newest in view; an
alarm banner appearing or going never moves the action buttons (its place is kept); nothing
lies outside the window; Tab leaves the log in one step instead of walking its cells.

Seen under Xvfb before the change: 1-3 log rows, and every button 50 px lower while a banner
showed, so a tap after an acknowledgement landed on nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from infusion_app.logic import messages as m
from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle


def rows_in_view(log) -> int:
    return log.viewport().height() // log.rowHeight(0)


def button_places(screen) -> dict[str, QPoint]:
    return {b.objectName(): b.mapTo(screen.window(), QPoint(0, 0)) for b in screen.buttons.values()}


def test_the_bedside_at_1366_by_768(qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # a dozen entries in the log
    window = open_window(ui_staff.nurse)
    assert (window.width(), window.height()) == (1366, 768)
    screen = window.bedside
    window.workspace.setCurrentWidget(screen)
    screen.open(ward_infusion)
    settle(qtbot, window)
    log = screen.log
    assert log.rowCount() >= 8
    assert rows_in_view(log) >= 8, rows_in_view(log)
    # the newest entry is in view
    last = log.visualRect(log.model().index(log.rowCount() - 1, 0))
    assert log.viewport().rect().contains(last)

    # an alarm banner comes and goes: not one action button moves
    screen.banner.show_alarms([], can_acknowledge=True)
    qtbot.waitUntil(lambda: not screen.banner.isVisible())
    before = button_places(screen)
    alarm = BoardAlarm("test@1@high", Priority.HIGH, m.alarm_news2_single(total=7))
    screen.banner.show_alarms([alarm], can_acknowledge=True)
    qtbot.waitUntil(screen.banner.isVisible)
    window.layout().activate()
    assert button_places(screen) == before

    # no visible widget reaches outside the window
    inside = QRect(0, 0, window.width(), window.height())
    for widget in window.findChildren(QWidget):
        if widget.isVisibleTo(window) and widget.isWindow() is False:
            placed = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
            if placed.width() and placed.height():
                assert inside.contains(placed), (widget.objectName(), placed)

    # Tab leaves the log in one step (not cell by cell)
    assert not log.tabKeyNavigation()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_nothing_the_nurse_reads_is_clipped_at_the_stations_font(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, language
):
    """In the station's 13 pt font (seen in the screenshots, not by the 9 pt tests): the log's
    rows cut their text top and bottom, its Time column read "2026-11-22 07:..." and the
    banner cut the alarm's advice after "pause infusion, as"."""
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.nurse)
    window.set_language(language)
    screen = window.bedside
    window.workspace.setCurrentWidget(screen)
    screen.open(ward_infusion)
    settle(qtbot, window)
    log = screen.log
    metrics = log.fontMetrics()
    assert log.rowHeight(0) >= metrics.height() + 2, (log.rowHeight(0), metrics.height())
    for row in range(log.rowCount()):  # every bedside time whole (columns # and Time)
        for column in (0, 1):
            wanted = metrics.horizontalAdvance(log.text(row, column))
            assert log.columnWidth(column) > wanted, (row, column, log.text(row, column))
    assert rows_in_view(log) >= 8  # and still 8 entries in view

    # the longest advice the rule book gives, whole, in the reserved place
    alarm = m.due_alarm(
        alarm=m.alarm_out_of_limits(
            sign=m.sign_systolic(), value=Decimal("85"), unit="mmHg", low=Decimal(90),
            high=Decimal(180),
        ),
        action=m.do_urgent_review(),
    )  # fmt: skip
    two = BoardAlarm("t@1@a", Priority.HIGH, alarm)
    screen.banner.show_alarms([two, two], can_acknowledge=True)  # with "+1 more" beside it
    qtbot.waitUntil(screen.banner.isVisible)
    window.layout().activate()
    text = screen.banner.text
    assert text.wordWrap()
    needed = text.heightForWidth(text.width())
    assert needed <= text.height(), (needed, text.height(), text.text())


def test_the_alarm_shows_on_every_tab_and_on_the_idle_lock(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    """Vitals every 15 min: 20 min after the last set they are overdue (a medium alarm). On
    the bedside tab its own banner shows it; on any other tab, and behind the idle lock, the
    window's strip does, with the patient's initials only."""
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.nurse)
    screen = window.bedside
    window.workspace.setCurrentWidget(screen)
    screen.open(ward_infusion)
    settle(qtbot, window)
    clock.advance(minutes=20)
    screen.tick()
    assert screen.banner.priority is Priority.MEDIUM
    assert not window.alarm_strip.isVisible()  # the bedside shows its own banner
    window.workspace.setCurrentWidget(window.course)
    settle(qtbot, window)
    strip = window.alarm_strip
    assert strip.isVisible()
    assert strip.text().startswith("MEDIUM: WL · ")
    assert "P001" not in strip.text()  # initials only
    # the idle lock keeps the strip above the login
    clock.advance(minutes=ui_ctx.policy.idle_lock_minutes + 1)
    window.check_idle()
    assert window.pages.currentWidget() is window.login
    assert strip.isVisible() and strip.text().startswith("MEDIUM: WL · ")
