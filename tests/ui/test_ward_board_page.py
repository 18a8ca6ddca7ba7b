"""The Ward tab: every station's infusions with their countdowns ticking between reads, the
alarms in the banner's colours, nothing that writes, large text by keyboard, and an alarm
raised by another process at another station shown within 2 seconds, on SQLite and on
PostgreSQL (issue 17, item 5).

The station runs in UTC here; the clock starts 21 Nov 2026 08:00 UTC. P001's infusion runs at
ward-3-bed-2 (rate step 08:50, vitals 08:52: next due 09:07, overdue 09:12).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from infusion_app.logic.alarms import Priority
from infusion_app.services import infusions, products
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from infusion_app.ui.look import ALARM_STYLES, local_time
from infusion_app.ui.preferences import Preferences
from infusion_app.ui.ward_board_page import ALARM_TINTS, ALARMS, NEXT_DUE, WardBoardPage
from tests.conftest import FAST_HASHER, PASSWORD, make_staff, register_p001
from tests.services.bedside_steps import run_to_fast_phase
from tests.services.ward_steps import OTHER_STATION, running_at_the_other_station
from tests.ui.conftest import settle
from tests.ui.ward_alarm_process import alarm_from_another_process


@pytest.fixture(autouse=True)
def _no_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.beep", staticmethod(lambda: None))


def show_board(qtbot, window) -> WardBoardPage:
    page = window.ward
    assert page is not None
    window.workspace.setCurrentWidget(page)
    settle(qtbot, window)
    return page


def rows(page: WardBoardPage) -> list[list[str]]:
    table = page.table
    return [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_board_counts_down_between_reads_and_reads_when_an_item_comes_due(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
) -> None:
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # 08:52
    window = open_window(ui_staff.nurse)
    page = show_board(qtbot, window)
    assert rows(page) == [
        [
            "P001",
            "WL",
            "1",
            "ward-3-bed-2",
            "Fast phase",
            "Vitals due in 15:00",
            "",
            f"Nora Nurse at ward-3-bed-2, {local_time(clock.now)}",
        ]
    ]
    board = page.board
    clock.advance(seconds=61)
    page.timer.timeout.emit()  # the page's one-second tick
    assert page.table.text(0, NEXT_DUE) == "Vitals due in 13:59"
    assert page.board is board and not window.tasks.busy  # counted, not read again
    clock.advance(minutes=20)  # 09:13:01: the vitals are overdue: the board reads again
    page.timer.timeout.emit()
    settle(qtbot, window)
    assert page.board is not board
    assert page.table.text(0, NEXT_DUE) == "Vitals due"
    assert page.table.text(0, ALARMS) == "MEDIUM: Overdue: vital signs"
    assert page.table.model_rows.tints[0][ALARMS] == ALARM_TINTS[Priority.MEDIUM]


def test_an_alarm_raised_at_another_station_shows_within_2_s(
    qtbot, database_url, clock, open_window
) -> None:
    """Two stations' infusions on a monitor's board; abnormal vitals recorded by another
    process at the other station put its infusion first with a high alarm, through the
    window's record watch (PRAGMA data_version on SQLite, LISTEN/NOTIFY on PostgreSQL)."""
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(
        db=open_database(url, clock()), station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER
    )
    try:
        staff = make_staff(ctx)
        product = register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)
        products.release_product(ctx, staff.pharmacist, product, PASSWORD)
        p001 = infusions.create_infusion(ctx, staff.nurse, "P001", product, 1)
        run_to_fast_phase(ctx, staff, p001, clock)
        other = AppContext(
            db=open_database(url, clock()), station=OTHER_STATION, clock=clock, hasher=FAST_HASHER
        )
        try:
            p002 = running_at_the_other_station(other, staff, clock)  # 09:27
        finally:
            other.db.dispose()
        window = open_window(staff.monitor, ctx)
        page = show_board(qtbot, window)
        assert [(r[0], r[1], r[3]) for r in rows(page)] == [
            ("P001", "WL", "ward-3-bed-2"),  # its vitals overdue since 09:12
            ("P002", "ZQ", OTHER_STATION),
        ]
        qtbot.wait(1200)  # the window's watch has looked once: what follows is news
        alarm_from_another_process(url, p002, OTHER_STATION, clock.now)
        committed = time.monotonic()
        qtbot.waitUntil(lambda: page.table.text(0, 0) == "P002", timeout=2000)
        assert time.monotonic() - committed <= 2.0
        settle(qtbot, window)
        alarms = page.table.text(0, ALARMS)
        assert alarms.startswith("HIGH: ") and " · MEDIUM: " in alarms  # high first
        assert page.table.model_rows.tints[0][ALARMS] == ALARM_TINTS[Priority.HIGH]
        assert page.table.text(0, 7).startswith(f"Ning Wang 王宁 at {OTHER_STATION}, ")
        window.close()
    finally:
        ctx.db.dispose()


def test_nothing_on_the_board_writes(qtbot, ui_ctx, ui_staff, ward_infusion, open_window) -> None:
    window = open_window(ui_staff.nurse)
    page = show_board(qtbot, window)
    writing = [
        b.objectName() or b.text()
        for b in page.findChildren(QAbstractButton)
        if b.property("writes")
    ]
    assert writing == []
    assert page.findChildren(QLineEdit) == []  # nothing to type into either
    # the only buttons (the tables' corner buttons have no text): neither touches the record
    assert [b.text() for b in page.findChildren(QAbstractButton) if b.text()] == [
        "&Large text",
        "Refresh (F5)",
    ]


def test_large_text_by_keyboard_is_remembered(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, tmp_path: Path
) -> None:
    window = open_window(ui_staff.nurse)
    page = show_board(qtbot, window)
    small = page.table.fontMetrics().height()
    box = page.large_text
    assert box.focusPolicy() & Qt.FocusPolicy.TabFocus  # on the Tab chain
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert page.table.fontMetrics().height() > small * 1.4  # the whole page, tables too
    assert page.table.verticalHeader().defaultSectionSize() > small * 1.4
    assert Preferences(tmp_path / "display.ini").large_text
    window.close()
    second = open_window(ui_staff.nurse)
    again = show_board(qtbot, second)
    assert again.large_text.isChecked()
    assert again.table.fontMetrics().height() > small * 1.4
    qtbot.keyClick(again.large_text, Qt.Key.Key_Space)
    assert not Preferences(tmp_path / "display.ini").large_text


def test_who_has_the_ward_tab(qtbot, ui_ctx, ui_staff, open_window) -> None:
    """Nurses and monitors: the charge nurse and the central station. Not the pharmacist,
    the investigator or the administrator."""
    for user, has in (
        (ui_staff.nurse, True),
        (ui_staff.monitor, True),
        (ui_staff.pharmacist, False),
        (ui_staff.investigator, False),
        (ui_staff.admin, False),
    ):
        window = open_window(user)
        pages: list[QWidget | None] = [
            window.workspace.widget(i) for i in range(window.workspace.count())
        ]
        assert (window.ward is not None) is has, user.role
        assert (window.ward in pages) is has
        window.close()


def test_the_board_uses_the_alarm_banners_colours() -> None:
    for priority, tint in ALARM_TINTS.items():
        assert ALARM_STYLES[priority] == f"background: {tint.background}; color: {tint.foreground};"
