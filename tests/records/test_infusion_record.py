"""The printed infusion record, read back with a PDF text extractor (pypdf)."""

from __future__ import annotations

import json
import re
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy import text as text_sql

from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.services import audit, bedside, records
from infusion_app.services.context import NotAuthorised
from infusion_app.store.models import Event, Infusion, Stream
from tests.records.conftest import ZONE, one_line, pdf_pages
from tests.records.scenario import CORRECTION_REASON, FEVER_NOTE, LATE_REASON


@pytest.fixture
def record(ctx, staff, infusion_id, scenario, clock):
    clock.advance(minutes=5)  # printed at 11:30 UTC = 19:30 at the site
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    return document, pdf_pages(document.data)


def test_every_page_has_the_header_and_its_page_of_pages(record):
    _, pages = record
    assert len(pages) >= 3  # the scenario's record runs onto several pages
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Infusion record: ucmsc-cart-cytopenia v1.5.0" in text  # trial, protocol, version
        assert "Site: Chinese Academy of Medical Sciences Hospital of Hematology" in text
        assert "Patient P001 (WL), Dose 1" in text  # trial ID, initials, dose number
        assert "Printed 2026-11-21 19:30 UTC+08:00 by Mona Monitor" in text


def test_patient_product_and_release(record):
    text = "\n".join(record[1])
    lines = text.splitlines()
    # Weight used for the dose, measured at the clock's start: 08:00 UTC = 16:00 at the site.
    assert "63.5 kg, measured 2026-11-21 16:00" in lines
    assert "Group A: 2 × 10^6 cells/kg, one infusion" in lines
    assert "UC-MSC-2026-0001" in lines
    # Each release criterion with its CoA value, limit and result, in this order of columns.
    for row in (
        ["Viability", "92.0%", ">= 85%", "PASS"],
        ["Sterility (bacteria and fungi)", "negative", "negative", "PASS"],
        ["Mycoplasma", "negative", "negative", "PASS"],
        ["Endotoxin", "0.2 EU/mL", "< 0.5 EU/mL", "PASS"],
        ["Identity/purity CD73", "CD73 99.1%", ">= 95%", "PASS"],
        ["Tumorigenicity screening", "pass", "pass", "PASS"],
    ):
        start = lines.index(row[0])
        assert lines[start : start + 4] == row
    assert "released by Phil Pharmacist, 2026-11-21 16:00" in lines


def test_dose_calculation(record):
    lines = "\n".join(record[1]).splitlines()
    # 2 × 10^6 cells/kg × 63.5 kg = 127,000,000 = 1.27 × 10^8 cells.
    assert "2.00 × 10^6 cells/kg × 63.5 kg = 1.27 × 10^8 cells" in lines
    # 1.0 × 10^7 cells/mL × 92 % viable = 9.2 × 10^6 viable cells/mL.
    assert "1.00 × 10^7 cells/mL × 92.0% viable = 9.20 × 10^6 cells/mL (viable basis)" in lines
    # 1.27e8 / 9.2e6 = 13.804 mL, drawn as 13.8 mL (0.1 mL syringe graduation);
    # 13.8 × 9.2e6 = 1.2696e8 delivered: (1.2696 - 1.27) / 1.27 = -0.0315 % -> -0.03 %.
    assert lines[lines.index("Product volume") + 1] == "13.8 mL"
    assert lines[lines.index("Delivered cells") + 1] == "1.27 × 10^8 cells"
    assert lines[lines.index("Deviation from target") + 1] == "-0.03% (tolerance ±10%)"
    # 100 mL final volume - 13.8 mL product = 86.2 mL diluent.
    assert "100 mL (86.2 mL diluent)" in lines
    # Phase 1: 20 gtt/min for 15 min at 20 gtt/mL = 1 mL/min, 15 mL; phase 2: the other
    # 85 mL at 40 gtt/min = 2 mL/min = 42.5 min, so 15 + 42.5 = 57.5 min in all.
    assert "drop factor 20 gtt/mL, expected 57.5 min" in lines
    phase2 = lines.index("15.0–57.5")
    assert lines[phase2 - 1 : phase2 + 5] == ["2", "15.0–57.5", "40", "2.00", "120.0", "85.00"]
    assert lines[lines.index("Calculated by") + 1] == "Phil Pharmacist, 2026-11-21 16:00"
    assert lines[lines.index("Verified by") + 1] == "Nora Nurse"


def test_timeline_with_the_correction_beside_the_entry_and_the_back_entry(record, scenario):
    text = one_line("\n".join(record[1]))
    for entry in (
        "Premedication given",
        "Product thawed",
        "Infusion started",
        "Rate changed",
        "Infusion ended",
        "Observation ended",
    ):
        assert entry in text
    # The 09:05 UTC set as recorded (T 38.4) stays readable, the correction named beside it.
    fever = re.search(
        rf"\b{scenario.fever_vitals_seq} 2026-11-21 17:05 same nurse2 .*?NEWS2 1", text
    )
    assert fever is not None and "T 38.4 °C" in fever.group(0)
    assert f"Corrected by #{scenario.correction_seq}: {CORRECTION_REASON}" in text  # beside #13
    assert f"corrects #{scenario.fever_vitals_seq}:" in text  # and its own entry
    # The dose entry names its cells once ("1.27 × 10^8 cells", never "… cells cells").
    assert "cells cells" not in text
    assert re.search(r"Dose calculated .*?\d × 10\^\d+ cells in 100(\.0)? mL", text)
    # The observation set taken at 09:55 UTC was stored at 10:10: both times and the reason.
    assert (
        f"{scenario.late_vitals_seq} 2026-11-21 17:55 2026-11-21 18:10 nurse Vitals recorded"
        in text
    )
    assert f"Back-entered: {LATE_REASON}" in text
    assert "Signed: administered by Nora Nurse" in text


def test_vitals_table_and_chart(record, scenario):
    lines = [line.strip() for line in "\n".join(record[1]).splitlines()]
    header = lines.index("NEWS2")
    assert lines[header - 9 : header + 1] == [
        "Time", "Phase", "T °C", "HR", "BP", "RR", "SpO2 %", "O2", "AVPU", "NEWS2",
    ]  # fmt: skip
    text = one_line("\n".join(lines))
    # The corrected set shows the corrected temperature; 38.6 °C scores 1 in NEWS2 (38.1-39.0).
    assert (
        f"2026-11-21 17:05 (#{scenario.fever_vitals_seq}, corrected by "
        f"#{scenario.correction_seq}) infusion 38.6 72 122/76 14 98 air A 1 (low)"
    ) in text
    assert "2026-11-21 16:00 baseline 36.8 72 122/76 14 98 air A 0 (low)" in text
    assert "Trend of the vital signs" in text
    for series in ("HR /min", "SBP mmHg", "DBP mmHg", "RR /min", "SpO2 %", "T °C"):
        assert series in text  # the chart's legend


def test_adverse_events_deviations_signatures_and_verification(ctx, record, scenario, infusion_id):
    document, pages = record
    text = one_line("\n".join(pages))
    # Fever grade 1 (38.0-39.0 °C, CTCAE v5.0), possible, not serious, no DLT (grade < 3).
    assert f"{scenario.ae_seq} Fever {FEVER_NOTE} 1 possible no no recovered none" in text
    assert (
        f"{scenario.late_vitals_seq} 2026-11-21 17:55 Back-entered recorded 2026-11-21 18:10"
        in text
    )
    # 21 CFR 11.50: printed name, date and time, meaning, for every signature.
    for signature in (
        "Phil Pharmacist 2026-11-21 16:00:00 released Product #2: Product released",
        "Nora Nurse 2026-11-21 16:00:00 verified Infusion #3: Dose verified",
        "Nora Nurse 2026-11-21 16:35:00 administered Infusion #9: Infusion started",
        f"Ning Wang 王宁 2026-11-21 17:07:00 corrected Infusion #{scenario.correction_seq}",
        "Nora Nurse 2026-11-21 17:25:00 administered",
    ):
        assert signature in text
    report = audit.verify_log(ctx, infusion_id)
    head = report.streams[0].head_hash
    assert document.head_hash == head
    assert f"Log verification intact Events in this infusion's chain {report.events}" in text
    assert head in text.replace(" ", "")


def test_chinese_text_and_the_chinese_interface_language(ctx, staff, infusion_id, scenario):
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE, language="zh_CN")
    pages = pdf_pages(document.data)
    text = "\n".join(pages)
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页，共 {len(pages)} 页" in one_line(page)
    assert "输注记录" in text and "生命体征" in text and "不良事件（CTCAE v5.0）" in text
    assert "Ning Wang 王宁" in text  # a Chinese name
    assert FEVER_NOTE in text  # Chinese free text
    # the AE table: the published Chinese CTCAE term with the English one beside it, the
    # attribution in Chinese; the timeline's entry is the log line in Chinese
    flat = one_line(text)
    assert "发热（Fever）" in flat and "可能有关" in flat
    assert "发热 1 级，可能有关" in flat
    assert "possible" not in flat


def test_the_same_infusion_printed_twice_gives_the_same_content(
    ctx, staff, infusion_id, scenario, clock
):
    first = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    records.record_output(ctx, staff.monitor, first, "printer")  # printing adds no infusion event
    again_now = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    assert again_now.data == first.data  # same time, same bytes (an invariant PDF)
    clock.advance(hours=3)
    later = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    assert later.head_hash == first.head_hash

    def without_print_time(data: bytes) -> list[str]:
        return [re.sub(r"Printed .* by", "Printed - by", page) for page in pdf_pages(data)]

    assert without_print_time(later.data) == without_print_time(first.data)
    assert later.data != first.data  # the print time did change


def test_printing_is_an_audit_event(ctx, staff, infusion_id, scenario):
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    records.record_output(ctx, staff.monitor, document, "printer")
    with ctx.db.read() as session:
        event = session.execute(
            select(Event)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == SYSTEM_STREAM, Event.type == EventType.RECORD_PRINTED.value)
        ).scalar_one()
        payload = json.loads(event.payload)
    assert payload["what"] == "infusion record"
    assert payload["subject"] == "infusion:P001/1"
    assert payload["destination"] == "printer"
    assert payload["head_hash"] == document.head_hash
    assert payload["sha256"] == document.sha256
    assert event.occurred_at == ctx.now()
    assert audit.verify_log(ctx).ok


def test_who_may_print(ctx, staff, infusion_id):
    records.infusion_record(ctx, staff.nurse, infusion_id)  # a nurse prints at the bedside
    with pytest.raises(NotAuthorised, match=r"^an admin may not print or export records$"):
        records.infusion_record(ctx, staff.admin, infusion_id)


def test_us_letter_paper(ctx, staff, infusion_id):
    document = records.infusion_record(ctx, staff.monitor, infusion_id, paper="letter")
    page = PdfReader(BytesIO(document.data)).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612.0, 792.0)  # 8.5×11 in


def test_a_record_before_any_dose_says_so(ctx, staff, infusion_id, clock):
    clock.advance(minutes=1)
    text = "\n".join(pdf_pages(records.infusion_record(ctx, staff.monitor, infusion_id).data))
    assert "No dose was calculated." in text
    assert "No vital signs were recorded." in text
    assert "Status: not started." in text


def test_a_late_nursing_note_is_in_the_printed_timeline(ctx, staff, infusion_id, scenario, clock):
    clock.advance(minutes=20)  # 11:45 UTC, 20 min after the observation ended at 11:25
    note = bedside.NOTE(ctx, staff.nurse, infusion_id, text="went home with her mother")
    clock.advance(minutes=5)  # printed 11:50 UTC = 19:50 at the site (UTC+08:00)
    document = records.infusion_record(ctx, staff.monitor, infusion_id, zone=ZONE)
    text = one_line("\n".join(pdf_pages(document.data)))
    # its own timeline row: number, 11:45 UTC shown as 19:45 local, recorded at once, by nurse
    row = re.search(rf"\b{note.seq} 2026-11-21 19:45 same nurse Note added .*", text)
    assert row is not None, text[-600:]
    assert "text: went home with her mother" in row.group(0)


# Issue 17 §2: local time, readable. The record reads in the station's zone (ctx.time_zone,
# Asia/Shanghai by default), not the machine's, and names it once; the store keeps UTC.


def test_the_record_reads_the_station_zone_names_it_once_and_the_store_keeps_utc(
    ctx, staff, infusion_id, scenario, clock, machine_zone
):
    machine_zone("UTC")  # the machine says UTC: a print in its zone would read 11:30
    clock.advance(minutes=5)  # printed at 11:30 UTC = 19:30 in Shanghai (UTC+8, no DST)
    document = records.infusion_record(ctx, staff.monitor, infusion_id)  # no zone given
    pages = pdf_pages(document.data)
    text = "\n".join(pages)
    assert "Printed 2026-11-21 19:30 UTC+08:00 by Mona Monitor" in text
    # the header names the zone once (its name; the footer's offset is per page)
    assert one_line(pages[0]).count("All times are local, Asia/Shanghai (UTC+08:00).") == 1
    assert text.count("Asia/Shanghai") == 1
    # the body: no ISO "T", no offset glued to a time, no fractions of a second
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text) is None
    assert re.search(r"\d\d:\d\d(:\d\d)?(\.\d+)?[+-]\d\d:?\d\d", text) is None
    assert re.search(r"\d\d:\d\d:\d\d\.\d", text) is None
    # the vitals set taken at 09:05 UTC reads 17:05 on paper and is stored as 09:05 UTC
    assert re.search(rf"\b{scenario.fever_vitals_seq} 2026-11-21 17:05 ", one_line(text))
    with ctx.db.read() as session:
        infusion = session.get(Infusion, infusion_id)
        assert infusion is not None
        occurred = session.execute(
            text_sql("SELECT occurred_at FROM events WHERE stream_id = :s AND seq = :q"),
            {"s": infusion.stream_id, "q": scenario.fever_vitals_seq},
        ).scalar_one()
    # SQLite has no zones: the column holds the UTC wall time as text (store/types.py)
    assert str(occurred).startswith("2026-11-21 09:05:00")
