"""The pharmacist's path (CoA in, a failing criterion blocks release, signed release, the dose
shown) and the monitor's read-only view."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget

from infusion_app.services import patients, products, views
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.services.bedside_steps import run_to_fast_phase
from tests.stored import product_status
from tests.ui.conftest import settle


def criteria_rows(page) -> dict[str, tuple[str, str]]:
    table = page.criteria
    return {table.text(r, 0): (table.text(r, 1), table.text(r, 3)) for r in range(table.rowCount())}


def register_wl(ui_ctx, ui_staff) -> None:
    """P001, WL: the pharmacist's product is for her."""
    patients.register_patient(
        ui_ctx,
        ui_staff.nurse,
        trial_id="P001",
        initials="WL",
        sex="female",
        weight_kg="63.5",
        weight_measured_at=ui_ctx.now(),
        protocol_id="ucmsc-cart-cytopenia",
        dose_level="A",
        age_years=54,
    )


def test_the_pharmacist_path(qtbot, ui_ctx, ui_staff, open_window, answers, tmp_path):
    register_wl(ui_ctx, ui_staff)
    window = open_window(ui_staff.pharmacist)
    page = window.pharmacy
    assert window.workspace.currentWidget() is page  # a pharmacist starts in the pharmacy

    # a CoA typed in with viability 80 %: below the 85 % release limit
    answers.forms.append(
        {
            "product_id": "UC-MSC-2026-0002",
            "patient_id": "P001",
            "lot": "L-2",
            "total_cells_per_ml": "1.0e7",
            "volume_ml": "20",
            "viability_pct": "80",
            "sterility": "negative",
            "mycoplasma": "negative",
            "endotoxin_eu_per_ml": "0.2",
            "tumorigenicity": "pass",
            "markers": "CD73=99.1, CD90=98.7, CD105=97.2, CD34=0.3, CD45=0.4, CD14=0.2, "
            "CD19=0.1, HLA-DR=0.5",
            "expires_at": "2026-12-31 23:59",
        }
    )
    qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text() == "Product UC-MSC-2026-0002 registered."
    rows = criteria_rows(page)
    assert rows["Viability"][1] == "fail"
    assert rows["Viability"][0] == "80%"
    assert rows["Sterility (bacteria and fungi)"][1] == "pass"
    assert page.verdict.text().startswith("UC-MSC-2026-0002: NOT_RELEASABLE")
    assert not page.release_button.isEnabled()
    assert page.release_button.toolTip() == "NOT_RELEASABLE: every criterion must pass"
    # the gate is the service's, not the button's: a release asked anyway is refused
    refused = products.NotReleasable
    try:
        products.release_product(ui_ctx, ui_staff.pharmacist, "UC-MSC-2026-0002", PASSWORD)
    except refused as exc:
        assert "viability" in str(exc).lower()
    else:
        raise AssertionError("a failing product was released")

    # the release-check's JSON file of a good product, imported
    coa_file = tmp_path / "coa.json"
    coa_file.write_text(json.dumps(example_coa()), encoding="utf-8")
    page.import_file(coa_file)
    settle(qtbot, window)
    assert page.message.text() == "Product UC-MSC-2026-0001 registered."
    assert all(result == "pass" for _, result in criteria_rows(page).values())
    assert page.release_button.isEnabled()

    # dose calculator, filled from the product's CoA and the patient's weight:
    # 2e6 cells/kg x 63.5 kg = 1.27e8 viable cells; 1e7/mL x 92 % = 9.2e6 viable/mL
    # 1.27e8 / 9.2e6 = 13.80 mL -> 13.8 mL (0.1 mL syringe); delivered 13.8 x 9.2e6 = 1.2696e8
    # deviation (1.2696 - 1.27) / 1.27 = -0.03 %
    result = page.calculator.result.text().splitlines()
    assert result[0] == "Target: 1.27 × 10^8 cells (2.00 × 10^6 cells/kg × 63.5 kg)"
    assert result[1] == "Product volume: 13.8 mL"
    assert result[2] == "Delivered: 1.27 × 10^8 cells"
    assert result[3].startswith("Deviation: -0.03 %")

    answers.passwords.append(PASSWORD)
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    what, meaning, printed = answers.asked[-1][1]
    assert (meaning, printed) == ("released", "Phil Pharmacist")
    assert "UC-MSC-2026-0001" in what
    assert page.message.text() == "Product UC-MSC-2026-0001 released."
    assert product_status(ui_ctx, "UC-MSC-2026-0001") == "released"
    assert not page.release_button.isEnabled() and page.dispense_button.isEnabled()

    answers.passwords.append(PASSWORD)
    qtbot.mouseClick(page.dispense_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert product_status(ui_ctx, "UC-MSC-2026-0001") == "dispensed"


def test_a_cancelled_signature_records_nothing(
    qtbot, ui_ctx, ui_staff, ward_infusion, open_window, answers
):
    window = open_window(ui_staff.pharmacist)
    page = window.pharmacy
    before = [r.status for r in views.list_products(ui_ctx)]
    answers.passwords.append(None)  # Cancel in the signature dialog
    qtbot.mouseClick(page.dispense_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert [r.status for r in views.list_products(ui_ctx)] == before == ["released"]


def writing_widgets(window) -> list[QWidget]:
    return [w for w in window.findChildren(QWidget) if w.property("writes")]


def test_the_monitor_reads_and_cannot_write(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)
    window = open_window(ui_staff.monitor)
    tabs = [window.workspace.tabText(i) for i in range(window.workspace.count())]
    # courses and the trial's dose finding read-only
    assert tabs == ["Monitor", "Ward", "Patient course", "Trial", "Protocols", "Settings"]
    assert window.bedside is None and window.worklist is None and window.pharmacy is None
    assert writing_widgets(window) == []
    page = window.monitor
    settle(qtbot, window)
    assert page.table.rowCount() == 1 and page.table.text(0, 0) == "P001"
    entries = page.log.column_texts(4)
    assert entries[0] == "Infusion created" and "Signature" in entries
    # every stored entry is listed, and the chain checks out
    stored = len(views.bedside_view(ui_ctx, ward_infusion).events)
    assert page.log.rowCount() == stored
    assert page.verify.text().startswith(f"Log verified: {stored} entries, chain intact")
    # the only enabled buttons on the monitor's screen search, change tab or log out
    enabled = {
        b.text()
        for b in window.findChildren(QAbstractButton)
        if b.isVisible() and b.isEnabled() and b.text()
    }
    # (printing and export put out a copy and audit it; they change nothing clinical)
    assert enabled <= {"&Search", "Lo&g out", "&Print record…", "E&xport…"}, enabled
    assert page.print_button.isEnabled() and page.export_button.isEnabled()


def test_the_import_refuses_what_the_cli_refuses(qtbot, ui_ctx, ui_staff, open_window, tmp_path):
    """Issue 12 §4: the window's *Import CoA file…* reads through the same guard and parser as
    the CLI: a key given twice, an oversized file and a FIFO are one red line, nothing saved."""
    import os

    window = open_window(ui_staff.pharmacist)
    page = window.pharmacy
    twice = tmp_path / "twice.json"
    twice.write_text(
        json.dumps(example_coa())[:-1] + ', "sterility": "positive", "sterility": "negative"}',
        encoding="utf-8",
    )
    big = tmp_path / "big.json"
    big.write_text(json.dumps(example_coa(comment="x" * 70_000)), encoding="utf-8")
    fifo = tmp_path / "coa.fifo"
    os.mkfifo(fifo)
    for path, expected in (
        # the file is named as it is called, not capitalised ("Twice.json" is another file)
        (twice, "twice.json.sterility: is given more than once in the file"),
        (big, "bytes"),
        (fifo, "not a regular file"),
    ):
        page.import_file(path)
        settle(qtbot, window)
        assert expected in page.message.text()
    assert views.list_products(ui_ctx) == []


def test_a_chinese_pharmacist_enters_the_coas_results_in_chinese_and_english_is_stored(
    qtbot, ui_ctx, ui_staff, open_window, answers, tmp_path, monkeypatch
):
    """The CoA dialog offers the qualitative results in the interface's words (阴性 / 阳性 /
    待检, 通过 / 未通过 / 待检); the product is stored with the CoA's English values, which
    the criteria table reads back in Chinese."""
    from infusion_app.ui.form_dialog import FormDialog
    from infusion_app.ui.preferences import Preferences
    from infusion_app.ui.translations import Translations

    offered: dict[str, tuple[str, str]] = {}  # field -> (default, choices joined)
    answered = FormDialog.ask

    def ask(cls, parent, title, fields, note="", clock=None):
        offered.update({f.key: (f.default, "/".join(f.choices)) for f in fields if f.choices})
        return answered(parent, title, fields, note, clock)

    register_wl(ui_ctx, ui_staff)
    monkeypatch.setattr(FormDialog, "ask", classmethod(ask))
    Preferences(tmp_path / "display.ini").language = "zh_CN"
    try:
        window = open_window(ui_staff.pharmacist)
        page = window.pharmacy
        answers.forms.append(
            {
                **{k: str(v) for k, v in example_coa().items() if k != "markers_pct"},
                "sterility": "阴性",
                "mycoplasma": "阴性",
                "tumorigenicity": "通过",
                "markers": "CD73=99.1, CD90=98.7, CD105=97.2, CD34=0.3, CD45=0.4, CD14=0.2, "
                "CD19=0.1, HLA-DR=0.5",
                "expires_at": "2026-12-31 23:59",
            }
        )
        qtbot.mouseClick(page.enter_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window)
        assert offered == {
            "sterility": ("待检", "阴性/阳性/待检"),
            "mycoplasma": ("待检", "阴性/阳性/待检"),
            "tumorigenicity": ("待检", "通过/未通过/待检"),
        }
        assert page.message.text() == "产品 UC-MSC-2026-0001 已登记。", page.message.text()
        stored = {c.key: c.value for c in page.rows[0].check.criteria}
        assert (stored["sterility"], stored["mycoplasma"], stored["tumorigenicity"]) == (
            "negative",
            "negative",
            "pass",
        )
        rows = criteria_rows(page)
        assert rows["无菌（细菌和真菌）"] == ("阴性", "合格")
        assert rows["致瘤性筛查"] == ("通过", "合格")
        assert rows["鉴别/纯度 CD14 或 CD11b"] == ("CD14 0.2%", "合格")
    finally:
        Translations().use("en")
