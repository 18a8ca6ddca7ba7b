"""Every open screen shows a change made elsewhere within 2 seconds, and a database file
replaced under the window raises a high alarm at once (issue 12, sections 1 and 6)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from infusion_app.logic.protocol_files import load_catalog
from infusion_app.services import products
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from infusion_app.ui.main_window import MainWindow
from infusion_app.ui.preferences import Preferences
from tests.conftest import FAST_HASHER, PASSWORD, register_sample_infusion
from tests.store.appender import note_from_another_process
from tests.ui.conftest import settle, type_into

ROOT = Path(__file__).resolve().parents[2]


def logged_in_window(qtbot, ctx: AppContext, tmp_path: Path, username: str) -> MainWindow:
    window = MainWindow(
        ctx, load_catalog(ctx.protocols), preferences=Preferences(tmp_path / "display.ini")
    )
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    type_into(qtbot, window.login.username, username)
    type_into(qtbot, window.login.password, PASSWORD)
    window.login.submit.click()
    qtbot.waitUntil(lambda: window.header.isVisible())
    settle(qtbot, window)
    return window


def test_the_bedside_shows_an_entry_made_at_another_station_within_2_s(
    qtbot, database_url, clock, tmp_path: Path
) -> None:
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(
        db=open_database(url, clock()), station="bed-2", clock=clock, hasher=FAST_HASHER
    )
    try:
        _, infusion_id = register_sample_infusion(ctx, clock)
        window = logged_in_window(qtbot, ctx, tmp_path, "nurse")
        window.open_infusion(infusion_id)
        settle(qtbot, window)
        assert window.bedside is not None
        log = window.bedside.log
        before = log.rowCount()
        qtbot.wait(1200)  # the window's watch has opened its feed: what follows is news
        note_from_another_process(url, infusion_id, "bed-9")
        committed = time.monotonic()
        qtbot.waitUntil(lambda: log.rowCount() == before + 1, timeout=2000)
        assert time.monotonic() - committed <= 2.0
        assert not window.store_banner.isVisible()
        window.close()
    finally:
        ctx.db.dispose()


def test_the_pharmacy_list_shows_a_product_registered_elsewhere(
    qtbot, ui_ctx, ui_staff, clock, tmp_path: Path
) -> None:
    from infusion_app.logic.coa import coa_from_mapping
    from tests.conftest import register_p001
    from tests.samples import example_coa

    register_p001(ui_ctx, ui_staff.nurse, ui_staff.pharmacist, clock, ui_staff.investigator)
    window = logged_in_window(qtbot, ui_ctx, tmp_path, "pharmacist")
    assert window.pharmacy is not None
    table = window.pharmacy.products
    rows = table.rowCount()
    qtbot.wait(1200)
    # a second station on the same file (its own engine and connections)
    other = AppContext(
        db=open_database(ui_ctx.db.url, clock()), station="bed-9", clock=clock, hasher=FAST_HASHER
    )
    try:
        products.register_product(
            other, ui_staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0009"))
        )
    finally:
        other.db.dispose()
    qtbot.waitUntil(lambda: table.rowCount() == rows + 1, timeout=2000)


def test_a_replaced_database_file_raises_a_high_alarm_at_once(
    qtbot, ui_ctx, ui_staff, tmp_path: Path
) -> None:
    window = logged_in_window(qtbot, ui_ctx, tmp_path, "nurse")
    path = ui_ctx.db.sqlite_path
    assert path is not None
    shutil.copyfile(path, tmp_path / "restored.sqlite3")
    os.replace(tmp_path / "restored.sqlite3", path)
    qtbot.waitUntil(window.store_banner.isVisible, timeout=2000)
    text = window.store_banner.text()
    assert text.startswith("High alarm: ") and "was replaced by another file" in text
    # switching language rebuilds the screens: the alarm stays
    window.set_language("zh_CN")
    qtbot.waitUntil(window.store_banner.isVisible, timeout=2000)
    assert "was replaced" in window.store_banner.text()
    window.set_language("en")


@pytest.fixture(autouse=True)
def _no_sound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QApplication.beep", staticmethod(lambda: None))


def test_a_refresh_leaves_the_cursor_where_the_nurse_types(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window
) -> None:
    """Before the checks the screen puts the cursor in the scan field for the barcode reader;
    a refresh (an entry made here or at another station) must not pull it out of a field the
    nurse is typing in."""
    from infusion_app.services import bedside

    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    bedside.verify_dose(ui_ctx, ui_staff.nurse, ward_infusion, PASSWORD)
    window = open_window(ui_staff.nurse)
    window.open_infusion(ward_infusion)
    settle(qtbot, window)
    screen = window.bedside
    assert screen is not None
    qtbot.waitUntil(screen.scan.hasFocus)  # ready for the wristband
    field = screen.vitals.inputs["temperature_c"]
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    assert window.record_watch is not None
    window.record_watch.changed.emit()  # what the watch says when anyone commits
    settle(qtbot, window)
    assert field.hasFocus()
