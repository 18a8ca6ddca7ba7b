"""Issue 13 §7: one Chinese glossary for the window and the printed record.

The two tables had drifted apart on 8 of the 35 terms both show (受试者编号 on screen,
试验编号 on paper); the shared terms now live in infusion_app/texts/glossary.py only.
"""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QTranslator

from infusion_app.records.labels import ZH_CN as PAPER
from infusion_app.records.labels import Labels
from infusion_app.texts import glossary
from infusion_app.ui.translations import compiled, translations_dir

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def screen_table() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("zh_CN_texts", TOOLS / "zh_CN_texts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return dict(module.ZH_CN)


def test_a_shared_term_reads_the_same_on_screen_and_on_paper(qapp, tmp_path):
    # the window's compiled translation, as the window loads it
    screen = QTranslator()
    assert screen.load(str(compiled("zh_CN", tmp_path)))
    # "Trial ID" is the patient's ID in the trial: 受试者编号 (the paper used to print 试验编号)
    assert screen.translate("WorklistPage", "Trial ID") == "受试者编号"
    assert Labels("zh_CN")("Trial ID") == "受试者编号"
    # "Printed name": the paper's 签名人姓名 (the signer's name) was the better one
    assert screen.translate("SignatureDialog", "Printed name") == "签名人姓名"
    assert Labels("zh_CN")("Printed name") == "签名人姓名"


def test_every_term_both_show_comes_from_the_glossary():
    screen = screen_table()
    shared = set(screen) & set(PAPER)
    # 35 terms, and 29 of the course (plan and calendar states, signature meanings, the
    # reasons to end treatment) since the patient page and the course record show them both,
    # and 28 of the trial (counts, decisions, adjudication) the Trial tab and its printouts share,
    # and the 3 vital signs short names (T °C, HR, RR) of the bedside row and the record, and
    # the 3 sexes of the patient page header and the record, and "registered", "pass", "fail"
    # of the pharmacy and the record
    assert shared == set(glossary.ZH_CN)
    assert len(shared) == 101
    differing = {t: (screen[t], PAPER[t]) for t in shared if screen[t] != PAPER[t]}
    assert differing == {}


def test_the_translation_file_carries_the_glossarys_words():
    tree = ET.parse(translations_dir() / "infusion_app_zh_CN.ts")
    wrong = [
        (m.findtext("source"), m.findtext("translation"))
        for m in tree.iter("message")
        if m.findtext("source") in glossary.ZH_CN
        and m.findtext("translation") != glossary.ZH_CN[m.findtext("source") or ""]
    ]
    assert wrong == []
