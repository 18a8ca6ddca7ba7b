"""Issue 12, section 5: *New infusion…* offers only this patient's released bags that belong
to no infusion yet (the issue's window pre-filled a bag already infused)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.services import products
from infusion_app.ui.form_dialog import FormDialog
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.ui.conftest import settle, type_into


def test_new_infusion_offers_only_free_released_bags(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, monkeypatch
):
    pharmacist = ui_staff.pharmacist

    def bag(product_id: str, *, release: bool = True) -> None:
        products.register_product(
            ui_ctx, pharmacist, coa_from_mapping(example_coa(product_id=product_id))
        )
        if release:
            products.release_product(ui_ctx, pharmacist, product_id, PASSWORD)

    # 0001 is infusion 1's bag (ward_infusion); 0002 is free; 0003 not released yet;
    # 0004 was returned to the pharmacy; 0005 is free too
    bag("UC-MSC-2026-0002")
    bag("UC-MSC-2026-0003", release=False)
    bag("UC-MSC-2026-0004")
    products.return_product(ui_ctx, pharmacist, "UC-MSC-2026-0004", "postponed", PASSWORD)
    bag("UC-MSC-2026-0005")
    offered = []

    def ask(cls, parent, title, fields, note=""):
        offered.append({f.key: (f.default, f.choices) for f in fields})
        return None  # cancelled: nothing created

    monkeypatch.setattr(FormDialog, "ask", classmethod(ask))
    window = open_window(ui_staff.nurse)
    page = window.worklist
    type_into(qtbot, page.search, "P001")
    qtbot.mouseClick(page.new_infusion, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert offered == [
        {
            "trial_id": ("P001", ()),
            "product_id": ("UC-MSC-2026-0002", ("UC-MSC-2026-0002", "UC-MSC-2026-0005")),
            "number": ("2", ()),
        }
    ]


def test_the_window_shows_a_row_that_disagrees_with_the_log(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window
):
    from tests.store.tampering import tamper

    tamper(ui_ctx, "UPDATE patients SET weight_kg = '35'")  # 63.5 kg in the log
    window = open_window(ui_staff.nurse)
    page = window.worklist
    type_into(qtbot, page.search, "P001")
    qtbot.mouseClick(page.new_infusion, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text() == (
        "Record integrity: patient P001's weight differs from the log; nothing done"
    )
