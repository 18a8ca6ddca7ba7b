"""PNG screenshots of the main screens at 1366×768, for a person to look at.

    ./dev test tests/ui/test_screenshots.py --screenshots docs/screenshots

Without the option the pictures go to the test's temporary folder; either way the test
checks that each one is a full-size, non-blank picture of the screen it names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from infusion_app.services import bedside
from infusion_app.ui.translations import Translations
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle

SIZE = (1366, 768)


def save(window, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    assert window.grab().save(str(path)), path
    return path


def inked(image: QImage) -> bool:
    dark = 0
    for y in range(0, image.height(), 5):
        for x in range(0, image.width(), 5):
            dark += QColor(image.pixel(x, y)).lightness() < 100
    return dark > 50


def distinct_colours(path: Path) -> int:
    image = QImage(str(path))
    assert (image.width(), image.height()) == SIZE
    step = 7
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    Translations().use("en")


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # the preview
def test_screenshots_of_the_main_screens(
    qtbot, request, tmp_path, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    option = request.config.getoption("--screenshots")
    folder = Path(option) if option else tmp_path
    folder.mkdir(parents=True, exist_ok=True)

    login = open_window(None)
    written = [save(login, folder, "login")]
    login.close()

    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # 08:52, fast phase
    bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse2,
        ward_infusion,
        term="Chills",
        grade=1,
        attribution="possible",
        serious=False,
        description="寒战，轻度 (mild rigors)",
    )
    clock.advance(minutes=6, seconds=48)  # 08:58:48: next vitals 09:07 in 08:12
    nurse = open_window(ui_staff.nurse2)
    assert nurse.bedside.countdown.text() == "Vitals due in 08:12"
    written.append(save(nurse, folder, "bedside"))
    nurse.workspace.setCurrentWidget(nurse.settings_page)
    nurse.settings_page.language.setCurrentIndex(1)  # the same screen in Chinese
    nurse.workspace.setCurrentWidget(nurse.bedside)
    settle(qtbot, nurse)
    assert nurse.bedside.countdown.text() == "距测生命体征 08:12"
    written.append(save(nurse, folder, "bedside_zh_CN"))
    nurse.settings_page.language.setCurrentIndex(0)
    nurse.close()

    pharmacist = open_window(ui_staff.pharmacist)
    written.append(save(pharmacist, folder, "pharmacy"))
    pharmacist.close()

    monitor = open_window(ui_staff.monitor)
    settle(qtbot, monitor)
    written.append(save(monitor, folder, "monitor"))
    monitor.monitor.print_button.click()  # the record's preview, as the monitor sees it
    settle(qtbot, monitor)
    preview = monitor.monitor.preview
    qtbot.waitUntil(lambda: preview is not None and preview.isVisible())
    preview.resize(*SIZE)
    # Qt PDF draws pages on its own thread: wait until the first page has ink on it.
    qtbot.waitUntil(lambda: inked(preview.view.viewport().grab().toImage()), timeout=10000)
    written.append(save(preview, folder, "record_preview"))
    monitor.close()

    for path in written:
        assert distinct_colours(path) > 8, f"{path.name} looks blank"
