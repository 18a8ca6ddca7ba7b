"""The trial summary on paper and in CSV, made from the scripted trials of
tests/logic/test_trial_summary.py (no database: the record is a pure function of its source).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infusion_app.logic.trial_summary import summarise
from infusion_app.records.trial_summary import (
    COLUMNS,
    StreamHead,
    SummarySource,
    render_trial_summary,
    trial_summary_csv,
)
from tests.logic.test_trial_summary import CART, CRC
from tests.records.conftest import ZONE, one_line, pdf_pages
from tests.records.test_chinese_paper import glyphless, runs_by_font

CUT = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 at UTC+08:00
PRINTED = datetime(2027, 3, 1, 3, 30, tzinfo=UTC)
HEADS = (
    StreamHead("infusion:C1/1", 31, "ab" * 32),
    StreamHead("patient:C1", 12, "cd" * 32),
)


def source(protocol, patients, levels, **kinds) -> SummarySource:
    numbers = summarise(levels, patients, **kinds)
    return SummarySource(
        protocol=protocol,
        at=CUT,
        read_at=PRINTED,
        numbers=numbers,
        patients=tuple(p.trial_id for p in patients),
        heads=HEADS,
        digest="ef" * 32,
    )


@pytest.fixture
def crc_source(crc) -> SummarySource:
    return source(crc, CRC, ["1", "2", "3"], haematological=False, tumour=True)


@pytest.fixture
def cart_source(cart) -> SummarySource:
    return source(cart, CART, ["A", "B", "C"], haematological=True, tumour=False)


def render(src: SummarySource, **options) -> bytes:
    return render_trial_summary(
        src, printed_at=PRINTED, printed_by="Mona Monitor", zone=ZONE, **options
    )


def test_the_cytopenia_summary_in_english(cart_source) -> None:
    pages = pdf_pages(render(cart_source))
    text = one_line(" ".join(pages))
    assert "Trial summary: ucmsc-cart-cytopenia" in text
    assert "Data cut 2027-03-01 10:00 UTC+08:00" in text
    assert "Patients, infusions, DLTs and adverse events per level" in text
    # group A: 3 enrolled, treated, 3 planned and given, 2 evaluable, DLT 1/2 (50.0 %)
    assert "A 3 3 3 3 2 1/2 (50.0 %) 2 2 1" in text
    assert "All levels 7 6 11 8 4 2/4 (50.0 %) 5 4 2" in text
    assert "Platelet count decreased" in text
    # week 4 of group A: 3 assessed, 0 pending, CR 1/3, PR 1/3, OR 2/3
    assert "A 4 3 0 1/3 (33.3 %) 1/3 (33.3 %) 2/3 (66.7 %)" in text
    # the time to response of all levels: anc over 4 patients, the even midpoint 10.5
    assert "10.5 (n = 4)" in text
    assert "Appendix: data cut and the streams read" in text
    assert "patient:C1 #12 cdcdcdcdcdcdcdcd" in text
    assert f"Heads digest {'ef' * 32}" in text
    assert "Page 1 of" in pages[0]


def test_the_colorectal_summary_in_chinese(crc_source) -> None:
    pages = pdf_pages(render(crc_source, language="zh_CN", paper="letter"))
    text = one_line(" ".join(pages))
    assert "试验总结" in text and "数据截止" in text
    assert "肿瘤缓解与生存" in text and "风险人数" in text
    # DCR of all levels 3/5; PFS median 260 days, OS not reached (未达到)
    assert "3/5 (60.0 %)" in text
    assert "260 (" in text and "未达到" in text
    assert "全部剂量水平" in text
    assert "附录：数据截止与读取的记录链" in text


def test_the_colorectal_summary_has_both_curves_with_numbers_at_risk(crc_source) -> None:
    text = one_line(" ".join(pdf_pages(render(crc_source))))
    assert "PFS: Kaplan-Meier estimate" in text and "OS: Kaplan-Meier estimate" in text
    assert "Number at risk" in text and "Days from the first dose" in text
    # every level's median with its interval in the table: level 1 PFS median 120
    assert "Disease control (CR, PR or SD)" in text
    assert "1 2/3 (66.7 %) 3 / 2 120 (" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_the_curve_page_renders(crc_source, tmp_path: Path) -> None:
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(render(crc_source))
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) >= 2 and all(p.stat().st_size > 5_000 for p in pngs)


def test_the_csv_has_one_row_per_level_and_metric(crc_source, cart_source) -> None:
    rows = list(csv.DictReader(io.StringIO(trial_summary_csv(cart_source))))
    assert tuple(rows[0]) == COLUMNS
    by = {(r["level"], r["metric"], r["detail"]): r for r in rows}
    dlt = by[("A", "dlt", "")]
    assert (dlt["count"], dlt["of"], dlt["rate"]) == ("1", "2", "0.5000")
    week = by[("all", "week_4_or", "")]
    assert (week["count"], week["of"], week["rate"]) == ("4", "5", "0.8000")
    assert by[("all", "time_to_response_anc", "")]["median_days"] == "10.5"
    fever = by[("all", "related_ae", "Fever")]
    assert (fever["count"], fever["of"]) == ("3", "7")
    assert by[("all", "related_ae_worst_grade_3", "Fever")]["count"] == "1"
    dor = by[("B", "duration_of_response", "")]
    assert (dor["median_days"], dor["events"], dor["censored"]) == ("65", "2", "1")
    assert {r["data_cut"] for r in rows} == {CUT.isoformat()}
    crc_rows = list(csv.DictReader(io.StringIO(trial_summary_csv(crc_source))))
    pfs = next(r for r in crc_rows if r["level"] == "all" and r["metric"] == "pfs")
    assert (pfs["count"], pfs["events"], pfs["censored"], pfs["median_days"]) == (
        "5",
        "2",
        "3",
        "260",
    )


def test_a_term_that_could_run_as_a_formula_is_text(cart_source) -> None:
    from dataclasses import replace

    from infusion_app.logic.trial_summary import SummaryAe

    sly = replace(CART[0], adverse_events=(SummaryAe("=HYPERLINK(1)", 2, True, False),))
    numbers = summarise(["A"], [sly], haematological=False, tumour=False)
    text = trial_summary_csv(replace(cart_source, numbers=numbers))
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text


def test_a_trial_without_patients_prints_no_empty_curve(crc) -> None:
    from dataclasses import replace

    empty = source(crc, [], ["1", "2", "3"], haematological=False, tumour=True)
    text = one_line(" ".join(pdf_pages(render(replace(empty, heads=())))))
    assert "PFS: Kaplan-Meier estimate: no patient has a time yet." in text
    assert "Number at risk" not in text
    assert "No stream: no patient is enrolled." in text


def test_every_label_of_both_summaries_is_chinese(crc_source, cart_source, labels_asked) -> None:
    curves = render(crc_source, language="zh_CN")  # tumour response, survival and the curves
    render(cart_source, language="zh_CN")  # haematological response
    assert len(labels_asked.asked) > 50
    assert sorted(labels_asked.untranslated) == []
    # the Kaplan-Meier chart's title, axes and at-risk rows are drawn in the CJK font
    assert glyphless(curves) == []
    assert any("概率" in text for text, _ in runs_by_font(curves))  # the survival axis


def test_a_site_with_a_thousand_patients_prints_every_one(crc) -> None:
    """Issue 18's 300k site (1,220 patients) made the summary fail with reportlab's
    LayoutError: every trial ID sat in one table cell taller than a page. The IDs go to the
    appendix as text that flows over pages; the first page gives their number."""
    from dataclasses import replace

    from tests.logic.test_trial_summary import CRC as PATIENTS

    many = tuple(f"L{n:05d}" for n in range(1, 1501))
    src = replace(source(crc, PATIENTS, ["1", "2", "3"], haematological=False, tumour=True),
                  patients=many)  # fmt: skip
    pages = pdf_pages(render(src))
    first = one_line(pages[0])
    assert "Patients counted 1500 (see the appendix)" in first
    text = one_line(" ".join(pages))
    assert all(trial_id in text for trial_id in many)  # each one, once the text flows on
    # a small trial keeps its IDs on the first page
    few = one_line(pdf_pages(render(replace(src, patients=("L00001", "L00002"))))[0])
    assert "Patients counted 2: L00001, L00002" in few
