"""The main window (offscreen): title, protocols with versions, and the store's health."""

from __future__ import annotations

from pathlib import Path

from infusion_app import APP_NAME
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.app import build_main_window
from infusion_app.ui.main_window import MainWindow


def test_window_shows_title_protocol_versions_and_database(qtbot, tmp_path: Path, clock) -> None:
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    window = build_main_window(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME == "MSC Infusion Assistant"
    table = window.protocol_table
    rows = [
        tuple(table.item(row, column).text() for column in range(2))
        for row in range(table.rowCount())
    ]
    assert rows == [("msc-l-crc", "1.1.0"), ("ucmsc-cart-cytopenia", "1.1.0")]
    assert window.error_label.isHidden()
    assert window.store_banner.isHidden()
    assert str(tmp_path / "ward.sqlite3") in window.statusBar().currentMessage()
    db.dispose()


def test_broken_protocol_file_is_shown_not_hidden(qtbot, protocol_variant) -> None:
    broken = protocol_variant("msc-l-crc", ('version = "1.1.0"', 'version = "latest"'))
    window = MainWindow(load_catalog(Path(broken).parent))
    qtbot.addWidget(window)
    window.show()
    assert window.protocol_table.rowCount() == 0
    assert window.error_label.isVisible()
    assert "msc-l-crc.toml: version:" in window.error_label.text()


def test_read_only_database_shows_a_banner(qtbot, tmp_path: Path, clock) -> None:
    path = tmp_path / "ward.sqlite3"
    open_database(sqlite_url(path), clock()).dispose()
    with path.open("r+b") as handle:  # damage the header: the store opens read-only
        handle.write(b"\xff" * 100)
    db = open_database(sqlite_url(path), clock())
    window = build_main_window(db)
    qtbot.addWidget(window)
    window.show()
    assert window.store_banner.isVisible()
    assert "failed its integrity check" in window.store_banner.text()
    assert "nothing can be recorded" in window.store_banner.text()
    db.dispose()
