"""Enumerated values in the Chinese window: the reaction dialog offers the CTCAE terms by their
published Chinese names and the attribution, action and outcome in Chinese, and still hands
the service the stored English values (the record's payload does not change with the
language); the vitals entry's NEWS2 band and the pharmacy's product status read in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from infusion_app.ui.adverse_event_dialog import AdverseEventDialog
from infusion_app.ui.look import product_status_name
from infusion_app.ui.translations import Translations


@pytest.fixture
def chinese(qapp: object, tmp_path: Path) -> Iterator[None]:
    translations = Translations(cache=tmp_path)
    translations.use("zh_CN")
    yield
    translations.use("en")  # the translators are the application's: leave it English


def test_the_reaction_dialog_offers_chinese_words_and_returns_the_stored_values(
    qtbot: QtBot, chinese: None
) -> None:
    dialog = AdverseEventDialog(None, Decimal("38.4"))
    qtbot.addWidget(dialog)
    terms = [dialog.term.itemText(i) for i in range(dialog.term.count())]
    assert terms[:4] == ["输液相关反应", "过敏反应", "严重过敏反应", "发热"]
    assert "中性粒细胞计数降低" in terms and len(terms) == 16
    assert dialog.attribution.currentText() == "可能有关"  # the offered default, possible
    dialog.term.setCurrentIndex(dialog.term.findData("Fever"))
    # 38.4 °C is CTCAE fever grade 1 (38.0-39.0 °C): suggested, and the grades 1-5 offered
    assert dialog.grade.currentText() == "1" and dialog.grade.count() == 5
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("recovering"))
    assert dialog.outcome.currentText() == "恢复中"
    values = dialog.values()
    assert (values["term"], values["attribution"], values["outcome"], values["action_taken"]) == (
        "Fever",
        "possible",
        "recovering",
        "none",
    )
    assert dialog.action.currentText() == "无"


def test_a_product_status_reads_in_chinese(chinese: None) -> None:
    assert [product_status_name(s) for s in ("released", "in_use", "discarded")] == [
        "已放行",
        "使用中",
        "已销毁",
    ]


def test_the_premedication_to_confirm_names_the_drug_and_route_in_chinese(
    qtbot: QtBot, ui_ctx, ui_staff, ward_infusion, open_window
) -> None:
    """The confirmation read "dexamethasone 5 mg IV" in the Chinese window while the log read
    地塞米松 for the same drug (seen in the screenshots)."""
    window = open_window(ui_staff.nurse)
    window.set_language("zh_CN")
    screen = window.bedside
    screen.open(ward_infusion)
    qtbot.waitUntil(lambda: screen.view is not None, timeout=5000)
    try:
        assert screen._premedication_details() == ["地塞米松 5 mg 静脉，开始前 30 分钟"]
    finally:
        window.set_language("en")  # (English: tests/ui/test_bedside_screen.py, unchanged)
