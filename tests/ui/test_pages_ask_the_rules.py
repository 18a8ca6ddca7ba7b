"""Issue 13 §7: the pharmacy page asks logic's release and dispense rule instead of restating
it (without expiry), the worklist words what is due (the service sends data), and the
monitor page drops the answer of a selection the monitor has already moved away from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.services import infusions, products, views
from infusion_app.ui.monitor_page import MonitorPage
from infusion_app.ui.translations import Translations
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle


def test_an_expired_released_product_shows_dispense_disabled_with_the_reason(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    # released in date (tests/samples.py: expires 2026-12-31T23:59+08:00 = 15:59 UTC); the
    # clock moves to 16:00 UTC that day: one minute past expiry, still "released"
    clock.now = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    window = open_window(ui_staff.pharmacist)
    page = window.pharmacy
    settle(qtbot, window)
    (row,) = views.list_products(ui_ctx)
    assert row.status == "released"
    # the page used to check the status alone, and showed Dispense… enabled here
    assert not page.dispense_button.isEnabled()
    assert page.dispense_button.toolTip() == (
        "NOT_RELEASABLE now (Not past expiry fail): "
        "a product is dispensed only while every criterion passes"
    )
    # the reason is on screen too, not only in the tooltip
    assert page.verdict.isVisible()
    assert page.verdict.text() == f"{row.product_id}: NOT_RELEASABLE — Not past expiry fail"
    # and the service, asked anyway, refuses by the same rule
    with pytest.raises(products.NotReleasable, match="Not past expiry fail"):
        products.dispense_product(ui_ctx, ui_staff.pharmacist, row.product_id, PASSWORD)


def test_an_in_date_released_product_may_be_dispensed(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    # one minute before expiry (15:59 UTC is the expiry itself: "now < expiry" fails there)
    clock.now = datetime(2026, 12, 31, 15, 58, tzinfo=UTC)
    window = open_window(ui_staff.pharmacist)
    page = window.pharmacy
    settle(qtbot, window)
    assert page.dispense_button.isEnabled() and page.dispense_button.toolTip() == ""
    assert not page.release_button.isEnabled()
    assert page.release_button.toolTip() == "already released"


def test_the_worklist_words_what_is_due_in_the_interfaces_language(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    """The service used to send "Vitals due in 08:12" as English text; it sends the countdown
    as data now, and the worklist words it, in Chinese as the bedside does."""
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # vitals 08:52, next due 09:07
    clock.advance(minutes=6, seconds=48)  # 08:58:48: 09:07 - 08:58:48 = 8 min 12 s
    (row,) = views.list_infusions(ui_ctx)
    assert row.next_due is not None
    assert (row.next_due.label, row.next_due.text, row.overdue) == (
        "Vitals due in",
        "08:12",
        False,
    )
    window = open_window(ui_staff.nurse)
    page = window.worklist
    window.workspace.setCurrentWidget(page)
    page.refresh()
    settle(qtbot, window)
    assert page.table.text(0, 6) == "Vitals due in 08:12"
    try:
        window.workspace.setCurrentWidget(window.settings_page)
        window.settings_page.language.setCurrentIndex(1)  # 简体中文
        settle(qtbot, window)
        page = window.worklist  # the pages are made again in the new language
        window.workspace.setCurrentWidget(page)
        page.refresh()
        settle(qtbot, window)
        # tools/zh_CN_texts.py: "Vitals due in" -> "距测生命体征"
        assert page.table.text(0, 6) == "距测生命体征 08:12"
    finally:
        Translations().use("en")  # the translators are the application's: leave it English


class HeldTasks:
    """Tasks that run nothing until the test says which call finishes, in any order."""

    def __init__(self) -> None:
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None], Callable[..., None]]] = []

    def run(self, call, on_done, on_error) -> None:
        self.held.append((call, on_done, on_error))

    def finish(self, index: int) -> None:
        call, on_done, on_error = self.held.pop(index)
        try:
            value = call()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(value)


@pytest.mark.parametrize("p001_group", ["C"])  # two infusions of P001
def test_the_monitor_shows_the_record_last_selected_when_loads_finish_out_of_order(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock
):
    # two infusions of P001 with logs of different lengths: the first run to its fast phase
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    products.register_product(
        ui_ctx, ui_staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )
    products.release_product(ui_ctx, ui_staff.pharmacist, "UC-MSC-2026-0002", PASSWORD)
    second = infusions.create_infusion(ui_ctx, ui_staff.nurse, "P001", "UC-MSC-2026-0002", 2)
    first_entries = len(views.bedside_view(ui_ctx, ward_infusion).events)
    second_entries = len(views.bedside_view(ui_ctx, second).events)
    assert first_entries != second_entries

    tasks = HeldTasks()
    page = MonitorPage(ui_ctx, tasks)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.refresh()
    tasks.finish(0)  # the list: newest first, so row 0 is the second infusion, row 1 the first
    assert [r.infusion_id for r in page.rows] == [second, ward_infusion]
    assert len(tasks.held) == 1  # row 0 selected by the list: its record is loading
    page.table.selectRow(1)  # the monitor moves on to the first infusion before it came
    assert len(tasks.held) == 2
    tasks.finish(1)  # the later request (row 1, the first infusion) answers first ...
    assert page.record is not None and page.record.view.status.infusion_id == ward_infusion
    tasks.finish(0)  # ... then the earlier one (row 0): stale, dropped
    assert page.record.view.status.infusion_id == ward_infusion
    assert page.log.rowCount() == first_entries
    assert page.table.currentRow() == 1
