"""Issue 13 §7: the pharmacy page asks logic's release and dispense rule instead of restating
it (without expiry), the worklist words what is due (the service sends data), and the
monitor page drops the answer of a selection the monitor has already moved away from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infusion_app.services import products, views
from infusion_app.ui.translations import Translations
from tests.conftest import PASSWORD
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
