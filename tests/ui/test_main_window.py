"""The main window (offscreen): title, protocols with versions, and the store's health."""

from __future__ import annotations

from pathlib import Path

from infusion_app import APP_NAME
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.app import build_main_window
from infusion_app.ui.protocols_page import ProtocolsPage


def test_window_shows_title_protocol_versions_and_database(qtbot, ui_ctx, tmp_path) -> None:
    window = build_main_window(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME == "MSC Infusion Assistant"
    table = window.protocols_page.protocol_table
    rows = [
        tuple(table.item(row, column).text() for column in range(2))
        for row in range(table.rowCount())
    ]
    assert rows == [("msc-l-crc", "1.5.0"), ("ucmsc-cart-cytopenia", "1.5.0")]
    assert window.protocols_page.error_label.isHidden()
    assert window.store_banner.isHidden()
    assert str(tmp_path / "ward.sqlite3") in window.statusBar().currentMessage()


def test_broken_protocol_file_is_shown_not_hidden(qtbot, protocol_variant) -> None:
    broken = protocol_variant("msc-l-crc", ('version = "1.5.0"', 'version = "latest"'))
    page = ProtocolsPage(load_catalog(Path(broken).parent))
    qtbot.addWidget(page)
    assert page.protocol_table.rowCount() == 0
    assert not page.error_label.isHidden()
    assert "msc-l-crc.toml: version:" in page.error_label.text()


def test_read_only_database_shows_a_banner(qtbot, tmp_path: Path, clock) -> None:
    path = tmp_path / "ward.sqlite3"
    open_database(sqlite_url(path), clock()).dispose()
    with path.open("r+b") as handle:  # damage the header: the store opens read-only
        handle.write(b"\xff" * 100)
    db = open_database(sqlite_url(path), clock())
    window = build_main_window(AppContext(db=db, station="bed-1", clock=clock))
    qtbot.addWidget(window)
    window.show()
    assert window.store_banner.isVisible()
    assert "failed its integrity check" in window.store_banner.text()
    assert "nothing can be recorded" in window.store_banner.text()
    assert window.pages.currentWidget() is window.login  # still there to read records
    db.dispose()


def test_the_window_shows_at_once_and_opens_the_record_behind_it(qtbot, tmp_path, monkeypatch):
    from infusion_app.ui import app

    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    window = app.open_window(f"sqlite:///{tmp_path / 'new.sqlite3'}", "bed-9")
    qtbot.addWidget(window)
    # shown before the store is loaded: the form is there, sending waits for the record
    assert window.isVisible() and window.pages.currentWidget() is window.login
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
    assert window.login.title.text() == "Create the administrator"  # empty database
    assert window.login.submit.isEnabled()
    assert "new.sqlite3" in window.statusBar().currentMessage()
    window.close()
    window.ctx.db.dispose()


def test_a_record_that_cannot_be_opened_ends_the_app_with_its_reason(qtbot, tmp_path, monkeypatch):
    from infusion_app.ui import app

    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    exits = []
    monkeypatch.setattr(app.QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    window = app.open_window("mysql://nobody@127.0.0.1/x", "bed-9")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert exits == [app.EXIT_ENVIRONMENT]
    assert len(shown) == 1 and "\n" not in shown[0] and shown[0][:1].isupper()
