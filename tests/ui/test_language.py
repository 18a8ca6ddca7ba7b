"""English and Simplified Chinese: complete translation, switched in settings at once, kept
for the next start; Chinese names and free text shown as entered."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QTranslator

from infusion_app.logic import countdown
from infusion_app.logic.infusion_state import Status
from infusion_app.services import bedside
from infusion_app.ui import translations
from infusion_app.ui.bedside_screen import COUNTDOWN_LABELS, STATUS_TEXTS
from infusion_app.ui.translations import Translations, compiled, translations_dir
from tests.services.bedside_steps import run_to_fast_phase
from tests.ui.conftest import settle


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    Translations().use("en")  # the translators are the application's: leave it English


def test_every_text_of_the_interface_has_its_chinese_translation(tmp_path):
    tree = ET.parse(translations_dir() / "infusion_app_zh_CN.ts")
    messages = list(tree.iter("message"))
    assert len(messages) > 250
    unfinished = [
        m.findtext("source")
        for m in messages
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert unfinished == []
    # placeholders survive translation: a missing {0} would drop a number from the screen
    for message in messages:
        source, text = message.findtext("source"), message.findtext("translation")
        for field in ("{0", "{1", "{2", "{3", "{name}", "{meaning}", "{trial}"):
            assert (field in source) == (field in text), (source, text)
    assert compiled("zh_CN", tmp_path).stat().st_size > 10_000


def test_texts_made_in_logic_are_offered_for_translation():
    logic_labels = {text for pair in countdown._LABELS.values() for text in pair}
    assert set(COUNTDOWN_LABELS) == logic_labels
    assert set(STATUS_TEXTS) == {s.value.capitalize() for s in Status}


def test_switching_to_chinese_keeps_the_screen_and_shows_chinese_names(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, tmp_path
):
    run_to_fast_phase(ui_ctx, ui_staff, ward_infusion, clock)  # last vitals 08:52
    bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse2,
        ward_infusion,
        term="Chills",
        grade=1,
        attribution="possible",
        serious=False,
        description="寒战，轻度",
    )
    clock.advance(minutes=6, seconds=48)  # 08:58:48, vitals due 09:07
    window = open_window(ui_staff.nurse2)
    assert window.who.text() == "Ning Wang 王宁 · nurse · station ward-3-bed-2"
    assert window.bedside.countdown.text() == "Vitals due in 08:12"
    assert window.bedside.log.column_texts(5)[-1] == "Chills grade 1, possible: 寒战，轻度"

    window.workspace.setCurrentWidget(window.settings_page)
    window.settings_page.language.setCurrentIndex(1)  # 简体中文
    settle(qtbot, window)
    assert window.who.text() == "Ning Wang 王宁 · 护士 · 工作站 ward-3-bed-2"
    tabs = [window.workspace.tabText(i) for i in range(window.workspace.count())]
    assert tabs == ["输注", "床旁", "病区", "患者疗程", "方案", "设置"]
    assert window.workspace.currentWidget() is window.settings_page  # still where they were

    window.workspace.setCurrentWidget(window.bedside)
    settle(qtbot, window)
    screen = window.bedside
    assert screen.infusion_id == ward_infusion
    assert screen.countdown.text() == "距测生命体征 08:12"
    assert screen.steps.labels[screen.steps.current].text() == "▶ 快速阶段"
    # the log's entry in the Chinese message table: the CTCAE term and the attribution in
    # Chinese, the note typed by the nurse as typed
    assert screen.log.column_texts(5)[-1] == "寒战 1 级，可能有关：寒战，轻度"
    window.close()

    # the choice is kept for the next start of the app on this station
    again = open_window(ui_staff.nurse2)
    assert again.who.text().endswith("· 护士 · 工作站 ward-3-bed-2")
    again.workspace.setCurrentWidget(again.settings_page)
    again.settings_page.language.setCurrentIndex(0)  # back to English, at once
    assert again.who.text() == "Ning Wang 王宁 · nurse · station ward-3-bed-2"


def test_each_source_of_the_texts_gets_its_own_compiled_file(tmp_path, monkeypatch):
    """Two checkouts on one account share the cache: the one whose .ts is older must not
    load the other's newer compiled texts (the mtime rule did), nor they its."""
    real = translations_dir() / "infusion_app_zh_CN.ts"
    cache = tmp_path / "cache"
    checkouts = {}
    for name, extra in (("new", "新的"), ("old", "旧的")):
        folder = tmp_path / name / "translations"
        folder.mkdir(parents=True)
        text = real.read_text(encoding="utf-8").replace("</TS>", "", 1)
        text += (
            "<context><name>Probe</name><message><source>probe</source>"
            f"<translation>{extra}</translation></message></context></TS>\n"
        )
        (folder / "infusion_app_zh_CN.ts").write_text(text, encoding="utf-8")
        checkouts[name] = folder
    os.utime(checkouts["old"] / "infusion_app_zh_CN.ts", (1, 1))  # older than "new"'s
    loaded = {}
    for name in ("new", "old"):
        monkeypatch.setattr(translations, "translations_dir", lambda f=checkouts[name]: f)
        translator = QTranslator()
        assert translator.load(str(translations.compiled("zh_CN", cache)))
        loaded[name] = translator.translate("Probe", "probe")
    assert loaded == {"new": "新的", "old": "旧的"}


def test_the_keyboard_stays_on_the_language_just_chosen(qtbot, ui_staff, open_window):
    """Every screen is built again in the new language, the chooser too: the keyboard was
    left on no widget at all, so Ctrl+Tab and Tab did nothing until a click (found by a
    helper under Xvfb). It is on the new chooser, where the person was."""
    from PySide6.QtWidgets import QApplication

    window = open_window(ui_staff.nurse)
    window.show()
    window.activateWindow()
    window.workspace.setCurrentWidget(window.settings_page)
    window.settings_page.language.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.settings_page.language)
    window.settings_page.language.setCurrentIndex(1)  # 简体中文
    settle(qtbot, window)
    assert window.workspace.currentWidget() is window.settings_page
    assert QApplication.focusWidget() is window.settings_page.language  # the new page's
