"""The bedside fits 1366x768 (issue 17 §6): at least 8 log rows show, the newest in view; an
alarm banner appearing or going never moves the action buttons (its place is kept); nothing
lies outside the window; Tab leaves the log in one step instead of walking its cells.

Seen under Xvfb before the change: 1-3 log rows, and every button 50 px lower while a banner
showed, so a tap after an acknowledgement landed on nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from infusion_app.logic import messages as m
from infusion_app.logic.alarm_board import BoardAlarm
from infusion_app.logic.alarms import Priority
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle


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
    rows_in_view = log.viewport().height() // log.rowHeight(0)
    assert rows_in_view >= 8, rows_in_view
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
