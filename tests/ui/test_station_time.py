"""Issue 17 §2, local time, readable: the window shows every time in the station's zone (its
``time_zone`` setting) as ``2026-11-21 16:00``, names the zone once in its header, and never
follows the machine's own zone, which a kiosk image often leaves at UTC.

The clock starts at 08:00 UTC on 21 Nov 2026 (tests/conftest.py); Shanghai is UTC+8 all year,
so 08:00 UTC reads 16:00 there and 03:00 in New York (UTC-5 in November).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QLabel

from infusion_app.logic.errors import DomainError
from infusion_app.logic.reading_time import default_zone
from infusion_app.services import bedside
from infusion_app.ui.look import failure_text, local_time, station_time
from infusion_app.ui.translations import use_zone
from tests.services.bedside_steps import prepare
from tests.ui.conftest import settle

ISO_T = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
OFFSET_AFTER_TIME = re.compile(r"\d\d:\d\d(:\d\d)?(\.\d+)?[+-]\d\d:?\d\d")


@pytest.fixture(autouse=True)
def station_zone_back() -> Iterator[None]:
    """A window sets the process-wide reading zone from its context: put the default back."""
    yield
    use_zone(default_zone())


def log_texts(window) -> list[list[str]]:
    table = window.bedside.log
    return [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_window_reads_shanghai_on_a_machine_set_to_utc(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, machine_zone
):
    machine_zone("UTC")
    prepare(ui_ctx, ui_staff, ward_infusion)
    bedside.give_premedication(ui_ctx, ui_staff.nurse, ward_infusion)  # 08:00 UTC
    clock.advance(minutes=10)
    bedside.record_thaw(ui_ctx, ui_staff.nurse, ward_infusion)  # 08:10 UTC
    window = open_window(ui_staff.nurse)
    settle(qtbot, window)

    # the zone, once, in the header; nowhere else on the screen
    assert window.zone.text() == "Times: Asia/Shanghai (UTC+08:00)"
    labels = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    assert sum(text.count("Asia/Shanghai") for text in labels) == 1

    rows = log_texts(window)
    times = {row[4]: row[1] for row in rows}
    assert times["Premedication given"] == "2026-11-21 16:00"  # 08:00 UTC + 8 h
    assert times["Product thawed"] == "2026-11-21 16:10"  # 08:10 UTC + 8 h
    for row in rows:  # no ISO "T", no offset, no seconds in any cell a nurse reads
        for cell in row:
            assert ISO_T.search(cell) is None, cell
            assert OFFSET_AFTER_TIME.search(cell) is None, cell
    # the countdown's target reads local too: premedication 08:00 + 30 min = 16:30 local
    assert local_time(clock(), with_date=True) == "2026-11-21 16:10"
    assert station_time(clock()) == "2026-11-21 16:10"


def test_a_refusal_with_a_time_reads_local(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, machine_zone
):
    """A refusal names a time as a message parameter (stored UTC); the nurse reads it local:
    "premedication: already given at 2026-11-21 16:00", never "…T08:00+00:00"."""
    machine_zone("UTC")
    prepare(ui_ctx, ui_staff, ward_infusion)
    bedside.give_premedication(ui_ctx, ui_staff.nurse, ward_infusion)  # 08:00 UTC
    open_window(ui_staff.nurse)  # the window takes the station's zone from its context
    with pytest.raises(DomainError) as refused:
        bedside.give_premedication(ui_ctx, ui_staff.nurse, ward_infusion)
    # failure_text is how every screen shows a refusal
    assert failure_text(refused.value) == (
        "Premedication: already given at 2026-11-21 16:00; correct that entry instead"
    )


def test_another_station_zone_is_read_and_named(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, machine_zone
):
    """The setting decides, not the machine: a station configured for New York reads 03:00
    for 08:00 UTC, on a machine whose own zone is Shanghai."""
    machine_zone("Asia/Shanghai")
    ui_ctx.time_zone = ZoneInfo("America/New_York")
    prepare(ui_ctx, ui_staff, ward_infusion)
    bedside.give_premedication(ui_ctx, ui_staff.nurse, ward_infusion)
    window = open_window(ui_staff.nurse)
    settle(qtbot, window)
    assert window.zone.text() == "Times: America/New_York (UTC-05:00)"
    times = {row[4]: row[1] for row in log_texts(window)}
    assert times["Premedication given"] == "2026-11-21 03:00"
