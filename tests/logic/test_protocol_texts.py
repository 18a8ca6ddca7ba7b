"""Issue 17 §1: a protocol file's own texts read in Chinese, from a catalogue beside the files.

The shipped protocol files (and every archived version an infusion may be pinned to) keep
their English; ``resources/protocols/translations/zh_CN.toml`` gives each readable text its
Chinese. A new or edited text without Chinese fails here, before a Chinese reader meets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from infusion_app.logic.errors import ProtocolFileError
from infusion_app.logic.protocol_files import ARCHIVE, SUFFIX, load_protocol_file
from infusion_app.logic.protocol_texts import catalogue, readable, readable_texts
from infusion_app.resources import PROTOCOLS_DIR_ENV, shipped_protocols_dir
from tests.texts.latin import ALLOWED, latin_words

# What the Chinese keeps in Latin letters besides tests/texts/latin.py's list: names of
# standards and criteria as published ("ISCT 最低鉴定标准", "ISO 8536-4", "WS/T 405-2012" whose
# letters are the Chinese health standard's prefix), the authors of the cited BOIN paper, the
# R package's parameter names and the Beta prior's distribution name.
KEPT = {"ISCT", "ISO", "WS", "Liu", "Yuan", "n.earlystop", "cutoff.eli", "Beta"}


def shipped_files() -> list[Path]:
    folder = shipped_protocols_dir()
    return sorted(folder.glob(f"*{SUFFIX}")) + sorted((folder / ARCHIVE).glob(f"*{SUFFIX}"))


def test_the_catalogue_is_read_for_the_current_and_every_archived_file() -> None:
    # two trials, each with its current file (1.5.0) and four archived versions
    assert len(shipped_files()) == 10


@pytest.mark.parametrize("path", shipped_files(), ids=lambda path: path.stem)
def test_every_readable_text_of_a_shipped_protocol_file_has_chinese(path: Path) -> None:
    protocol = load_protocol_file(path)
    chinese = catalogue("zh_CN")
    texts = list(dict.fromkeys(readable_texts(protocol)))
    # the title, the site, every dose level's label and the DLT definition are among them
    assert protocol.title in texts and protocol.site.value in texts
    assert protocol.design.dlt_definition.value in texts
    assert {level.label for level in protocol.dose_levels} <= set(texts)
    missing = [text for text in texts if text not in chinese]
    assert missing == [], f"{path.name}: add these to protocols/translations/zh_CN.toml"
    english = [(text, latin_words(chinese[text], ALLOWED | KEPT)) for text in texts]
    assert [(text, words) for text, words in english if words] == []


def test_every_entry_of_the_catalogue_is_a_text_of_a_shipped_file() -> None:
    """An entry no file writes any more is a stale translation (a text edited in the file)."""
    written = {
        text for path in shipped_files() for text in readable_texts(load_protocol_file(path))
    }
    assert sorted(set(catalogue("zh_CN")) - written) == []


def test_a_few_texts_as_the_site_writes_them() -> None:
    examples = {
        "Chinese Academy of Medical Sciences Hospital of Hematology, Tianjin, China": (
            "中国医学科学院血液病医院（血液学研究所），中国天津"
        ),
        "Group A: 2 × 10^6 cells/kg, one infusion": "A 组：2 × 10^6 个细胞/kg，输注 1 次",
        "Group C: 2 × 10^6 cells/kg, four weekly infusions": (
            "C 组：2 × 10^6 个细胞/kg，每周 1 次，共 4 次"
        ),
        "3+3; escalation stops if 2 or more DLTs occur": "3+3；发生 2 例或以上 DLT 时终止剂量递增",
        "MSC-L related adverse event of CTCAE grade 3 or higher": (
            "与 MSC-L 相关的 CTCAE 3 级或以上不良事件"
        ),
        "site default": "本中心默认",
        "ISCT minimal criteria: either marker": "ISCT 最低鉴定标准：任一标志物均可",
    }
    for english, chinese in examples.items():
        assert readable(english, "zh_CN") == chinese
        assert readable(english, "en") == english  # English as the file writes it


def test_a_text_without_chinese_shows_as_the_file_writes_it() -> None:
    assert readable("Group D: 4 × 10^6 cells/kg, one infusion", "zh_CN") == (
        "Group D: 4 × 10^6 cells/kg, one infusion"
    )


def _site_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: str) -> Path:
    (tmp_path / "translations").mkdir()
    path = tmp_path / "translations" / "zh_CN.toml"
    path.write_text(entries, encoding="utf-8")
    monkeypatch.setenv(PROTOCOLS_DIR_ENV, str(tmp_path))
    return path


def test_a_sites_own_catalogue_adds_its_texts_and_its_wording_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _site_folder(
        tmp_path,
        monkeypatch,
        '[[texts]]\nen = "Colorectal cancer"\ntext = "结肠直肠癌"\n\n'
        '[[texts]]\nen = "Gastric cancer"\ntext = "胃癌"\n',
    )
    assert readable("Colorectal cancer", "zh_CN") == "结肠直肠癌"  # the shipped says 结直肠癌
    assert readable("Gastric cancer", "zh_CN") == "胃癌"  # a third trial's text
    assert readable("site default", "zh_CN") == "本中心默认"  # the shipped, still


@pytest.mark.parametrize(
    ("entries", "field", "rule"),
    [
        (
            '[[texts]]\nen = "Gastric cancer"\ntext = "胃癌"\n\n'
            '[[texts]]\nen = "Gastric cancer"\ntext = "胃的癌"\n',
            "texts.2",
            "'Gastric cancer' is given twice",
        ),
        ('[[texts]]\nen = "Gastric cancer"\n', "texts.1", "needs an 'en' text and its"),
        ('[[texts]]\nen = "Gastric cancer"\ntext = ""\n', "texts.1", "non-empty 'text'"),
    ],
)
def test_a_broken_catalogue_is_one_line_naming_the_file_and_the_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entries: str, field: str, rule: str
) -> None:
    path = _site_folder(tmp_path, monkeypatch, entries)
    with pytest.raises(ProtocolFileError) as raised:
        readable("Gastric cancer", "zh_CN")
    said = str(raised.value)
    assert said.startswith(str(path)) and field in said and rule in said
    assert "\n" not in said


def test_a_catalogue_that_is_not_toml_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _site_folder(tmp_path, monkeypatch, "[[texts]\nen = ")
    with pytest.raises(ProtocolFileError) as raised:
        readable("Gastric cancer", "zh_CN")
    assert str(raised.value).startswith(f"{path}: is not valid UTF-8 TOML")
