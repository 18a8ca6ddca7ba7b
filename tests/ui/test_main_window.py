"""The main window (offscreen): title and the protocols it runs, with their versions."""

from __future__ import annotations

from pathlib import Path

from infusion_app import APP_NAME
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.ui.app import build_main_window
from infusion_app.ui.main_window import MainWindow


def test_window_shows_title_and_protocol_versions(qtbot) -> None:
    window = build_main_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME == "MSC Infusion Assistant"
    table = window.protocol_table
    rows = [
        tuple(table.item(row, column).text() for column in range(2))
        for row in range(table.rowCount())
    ]
    assert rows == [("msc-l-crc", "1.0.0"), ("ucmsc-cart-cytopenia", "1.0.0")]
    assert window.error_label.isHidden()


def test_broken_protocol_file_is_shown_not_hidden(qtbot, protocol_variant) -> None:
    broken = protocol_variant("msc-l-crc", ('version = "1.0.0"', 'version = "latest"'))
    window = MainWindow(load_catalog(Path(broken).parent))
    qtbot.addWidget(window)
    window.show()
    assert window.protocol_table.rowCount() == 0
    assert window.error_label.isVisible()
    assert "msc-l-crc.toml: version:" in window.error_label.text()
