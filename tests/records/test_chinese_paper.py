"""Issue 17 §1, the paper half: every printout in zh_CN prints its words in Chinese, in a
font that has the glyphs.

A Chinese chart title once printed as six black boxes: the vitals chart drew its title in
Helvetica, whose encoding has no Chinese character, and nothing read back the font. So the
tests here read each text run back with the font it was drawn in (pypdf's visitor), not
only the text: a glyph-less run still extracts as the right characters.
"""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from infusion_app.records.fonts import CJK
from infusion_app.records.infusion_log import LogFilter
from infusion_app.services import records
from tests.records.conftest import ZONE


def runs_by_font(data: bytes) -> list[tuple[str, str]]:
    """Every text run of the PDF with the base font it is drawn in, page by page."""
    runs: list[tuple[str, str]] = []

    def visit(text, _cm, _tm, font, _size) -> None:
        if text.strip() and font is not None:
            runs.append((text, str(font.get("/BaseFont", ""))))

    for page in PdfReader(BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def glyphless(data: bytes) -> list[tuple[str, str]]:
    """Runs with a Chinese character drawn in a font other than the CJK one: black boxes."""
    return [(text, font) for text, font in runs_by_font(data) if chinese(text) and CJK not in font]


def test_the_vitals_chart_title_is_drawn_in_the_chinese_font(ctx, staff, infusion_id, scenario):
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE, language="zh_CN")
    runs = runs_by_font(document.data)
    # labels.py: "Trend of the vital signs" -> 生命体征趋势, six characters
    title = [font for text, font in runs if "生命体征趋势" in text]
    assert title, "the chart title is missing"
    assert all(CJK in font for font in title), title
    assert glyphless(document.data) == []
    # reportlab draws a missing glyph as a black square in ZapfDingbats: none on any page
    assert not [text for text, font in runs if "■" in text or "ZapfDingbats" in font]
    # the chart's legend and the vitals table name the series in Chinese too
    text = " ".join(text for text, _ in runs)
    assert "心率 次/分" in text and "收缩压 mmHg" in text and "体温 °C" in text


def test_every_label_of_the_infusion_record_and_log_is_chinese(
    ctx, staff, infusion_id, scenario, labels_asked
):
    records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE, language="zh_CN")
    records.infusion_log(ctx, staff.monitor, LogFilter(patient="P001"), zone=ZONE, language="zh_CN")
    day = ctx.now().date()
    site = LogFilter(first=day, last=day)  # the site's log of the day
    records.infusion_log(ctx, staff.monitor, site, zone=ZONE, language="zh_CN")
    # the scenario's record shows every section: more than a hundred labels were asked for
    assert len(labels_asked.asked) > 100
    assert sorted(labels_asked.untranslated) == []


def test_a_released_products_criteria_are_named_in_chinese(ctx, staff, infusion_id, scenario):
    """The release stored each criterion's English line; the Chinese record names it by its
    key in Chinese, and reads the stored value and limit with their words in Chinese (numbers,
    units and marker names as stored)."""
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE, language="zh_CN")
    text = " ".join(text for text, _ in runs_by_font(document.data))
    # tests/records/scenario.py releases UC-MSC-2026-0001: viability 92.0%, sterility negative
    assert "Viability" not in text and "Sterility" not in text and "Mycoplasma" not in text
    assert "92.0%" in text  # the CoA's numbers, as entered
    # sterility "negative" (value and limit) reads 阴性; the marker rule "CD14 or CD11b" keeps
    # its identifiers with 或 between them
    assert "阴性" in text and "negative" not in text
    assert "CD14 或 CD11b" in " ".join(text.split()) and " or " not in text  # runs by font
    english = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    english_text = " ".join(t for t, _ in runs_by_font(english.data))
    assert "Sterility (bacteria and fungi)" in english_text
    assert "negative" in english_text and "CD14 or CD11b" in english_text
