"""Issue 13 §7: the pharmacy page asks logic's release and dispense rule instead of restating
it (without expiry), and the monitor page drops the answer of a selection the monitor has
already moved away from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infusion_app.services import products, views
from tests.conftest import PASSWORD
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
