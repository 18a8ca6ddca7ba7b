"""The rules of the window forms read in Chinese; their English line is unchanged.

A nurse or pharmacist who types a bad value in a form sees "<field>：<rule>" in the window's
language (``exc.said``, rendered by ui/look.py), while ``str(exc)`` stays the English line the
command line, the files and the log have always shown. One pinned example per converted module
(issue 17 item 1); tests/texts/test_chinese.py renders every code in Chinese.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import parse_adverse_event
from infusion_app.logic.coa import coa_from_mapping, parse_markers
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import parse_count, parse_wristband
from infusion_app.logic.labs import Lineage, check_value
from infusion_app.logic.outcome_entries import check_date
from infusion_app.logic.patient import validate_patient
from infusion_app.logic.protocol import Protocol
from infusion_app.services import outcomes, products
from infusion_app.services.context import AppContext
from infusion_app.texts import render
from tests.conftest import Staff
from tests.samples import example_coa

STATION = ZoneInfo("Asia/Shanghai")


def as_window_shows(error: InputError) -> str:
    """The line the window shows beside the form, in Chinese."""
    said = m.input_problem(field=m.label(error.field), rule=error.said)
    return render(said, "zh_CN", STATION)


def test_the_scan_check_reads_in_chinese() -> None:
    # a barcode that is not a wristband: the input quoted as typed ('BAG-7')
    with pytest.raises(InputError) as scanned:
        parse_wristband("BAG-7")
    assert as_window_shows(scanned.value) == "腕带：不是患者腕带码：'BAG-7'"
    assert str(scanned.value) == "wristband: not a patient wristband code: 'BAG-7'"
    # an infusion number 0 where 1-99 is allowed: digits, so shown unquoted
    with pytest.raises(InputError) as counted:
        parse_count("infusion", "0", low=1, high=99)
    assert as_window_shows(counted.value) == "输注：须为 1-99 之间的整数，实际为 0"
    assert str(counted.value) == "infusion: must be a whole number 1-99, got 0"


def test_the_reaction_dialog_reads_in_chinese() -> None:
    # Chills has CTCAE v5.0 grades 1-3 (range(1, 4) in GRADES); grade 5 is refused, the term
    # named in the reader's words (寒战)
    onset = datetime(2026, 11, 30, 1, 5, tzinfo=UTC)
    with pytest.raises(InputError) as graded:
        parse_adverse_event(
            term="Chills",
            grade="5",
            started_at=onset,
            attribution="possible",
            serious=False,
            aware_at=onset,
        )
    assert as_window_shows(graded.value) == "分级：CTCAE v5.0 规定寒战的分级为 1-3 级，实际为 5"
    assert str(graded.value) == "grade: CTCAE v5.0 defines grades 1-3 for Chills, got 5"


def test_the_registration_form_reads_in_chinese(cart: Protocol) -> None:
    # sex "x" is none of the four values of logic.patient.Sex, listed in the reader's words
    now = datetime(2026, 11, 30, 1, 5, tzinfo=UTC)
    with pytest.raises(InputError) as sexed:
        validate_patient(
            cart,
            trial_id="P001",
            initials="AB",
            sex="x",
            weight_kg="70",
            weight_measured_at=now,
            dose_level="DL1",
            now=now,
            age_years=40,
        )
    assert as_window_shows(sexed.value) == "性别：须为以下之一：女、男、其他、未知"
    assert str(sexed.value) == "sex: must be one of female, male, other, unknown"


def test_the_coa_form_reads_in_chinese() -> None:
    # a marker typed without its percentage: the part quoted as typed
    with pytest.raises(InputError) as marked:
        parse_markers("CD73")
    assert as_window_shows(marked.value) == (
        "鉴别/纯度标志物 (%)：请按“名称=百分比”格式填写，例如 CD73=99.1；实际为 'CD73'"
    )
    assert str(marked.value) == "markers_pct: give NAME=PERCENT pairs, e.g. CD73=99.1; got 'CD73'"


def test_the_product_registration_reads_in_chinese(
    ctx: AppContext, staff: Staff, registered: str
) -> None:
    # the same CoA registered twice: the second is refused, the field named where it was read
    coa = coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    products.register_product(ctx, staff.pharmacist, coa)
    with pytest.raises(InputError) as again:
        products.register_product(ctx, staff.pharmacist, coa)
    assert as_window_shows(again.value) == (
        "检验报告 (CoA)中的产品编号：产品 'UC-MSC-2026-0002' 已登记"
    )
    assert str(again.value) == "coa.product_id: product 'UC-MSC-2026-0002' is registered already"


def test_a_blood_count_reads_in_chinese() -> None:
    # haemoglobin is plausible 10-250 g/L (labs.PLAUSIBLE); 500 is a typing slip
    with pytest.raises(InputError) as counted:
        check_value(Lineage.HB, "500")
    assert as_window_shows(counted.value) == "血红蛋白 (g/L)：须在 10 到 250 g/L 之间，实际为 500"
    assert str(counted.value) == "hb: must be between 10 and 250 g/L, got 500"


def test_a_transfusion_reads_in_chinese(ctx: AppContext, staff: Staff) -> None:
    # "whole blood" is neither code of a transfusion's kind; refused before the record is read
    with pytest.raises(InputError) as kinded:
        outcomes.record_transfusion(
            ctx,
            staff.nurse,
            "P001",
            kind="whole blood",
            units=1,
            given_at=datetime(2026, 11, 30, 1, 5, tzinfo=UTC),
        )
    assert as_window_shows(kinded.value) == (
        "类别：须为以下之一：rbc、platelets，实际为 'whole blood'"
    )
    assert str(kinded.value) == "kind: must be one of rbc, platelets, got 'whole blood'"


def test_an_outcome_date_reads_in_chinese() -> None:
    # 1 November is before the patient was registered on 20 November; the reason in words
    with pytest.raises(InputError) as dated:
        check_date(
            "at",
            date(2026, 11, 1),
            date(2026, 11, 30),
            not_before=date(2026, 11, 20),
            what=m.since_registered(),
        )
    assert as_window_shows(dated.value) == "时间：2026-11-01 早于患者登记（2026-11-20）"
    assert str(dated.value) == "at: 2026-11-01 is before the patient was registered (2026-11-20)"


def test_a_count_recorded_already_names_its_time_as_people_read_it() -> None:
    # the old English said the ISO time (2026-11-21T08:35+00:00); now the renderer's: UTC said
    # in English lines, the station's time in the window (08:35 UTC is 16:35 in Shanghai)
    twice = m.rule_count_recorded(at=datetime(2026, 11, 21, 8, 35, tzinfo=UTC))
    assert str(twice) == "a blood count drawn at 2026-11-21 08:35 UTC is recorded already"
    assert render(twice, "zh_CN", STATION) == "2026-11-21 16:35 采集的血细胞计数已记录"
