"""The patient's course record (PDF), read back with a PDF text extractor (pypdf).

The course is tests/records/course_scenario.py's group C patient; every date below is worked
out there from the protocol file's rules. The record is printed on 10 Dec 2026 at 09:00 UTC
(17:00 at the site).
"""

from __future__ import annotations

import csv
import io
from io import BytesIO

import pytest
from pypdf import PdfReader

from infusion_app.records.fonts import needs_cjk
from infusion_app.records.infusion_log import LogFilter
from infusion_app.services import records
from tests.records.conftest import ZONE, one_line, pdf_pages
from tests.records.course_scenario import (
    DLT_REASON,
    LATE_REASON,
    SAMPLE_REASON,
    day,
    group_c_course,
)

# The course takes seconds to build: the first test runs on SQLite and PostgreSQL, the others
# read the same record on SQLite only.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def course(ctx, staff, clock):
    made = group_c_course(ctx, staff, clock)
    clock.now = day(19, 9)  # 10 Dec 09:00 UTC
    return made


def course_text(ctx, staff, language: str = "en") -> str:
    document = records.patient_course_record(
        ctx, staff.monitor, "P001", zone=ZONE, language=language
    )
    return one_line("\n".join(pdf_pages(document.data)))


def test_the_course_record_prints_the_plan_against_what_was_given(ctx, staff, course):
    text = course_text(ctx, staff)
    assert "Patient course record: P001 (WL)" in text
    assert "Printed 2026-12-10 17:00 UTC+08:00 by Mona Monitor" in text
    # Enrolled at the clock's start, 21 Nov 08:00 UTC = 16:00 local, signed by the investigator.
    assert (
        "Enrolled 2026-11-21 16:00 by Ivan Investigator (ucmsc-cart-cytopenia v1.5.0); "
        "signed (enrolled) by Ivan Investigator, 2026-11-21 16:00"
    ) in text
    assert "Group C: 2 × 10^6 cells/kg, four weekly infusions" in text
    # Infusion 1: no target (due from enrolment), started 16:35 local on 21 Nov.
    assert "infusion 1 of 4 C from 2026-11-21 16:00 2026-11-21 16:35 given" in text
    # Infusion 2: target 28 Nov, window 27 Nov - 30 Nov (the -1/+2 days), started 2 Dec.
    assert (
        "infusion 2 of 4 C 2026-11-28 2026-11-27 – 2026-11-30 2026-12-02 16:35 given "
        f"started after its window closed: {LATE_REASON}"
    ) in text
    # Infusion 3 rolls from infusion 2's actual date: 2 Dec + 7 = 9 Dec, window 8-11 Dec.
    assert "infusion 3 of 4 C 2026-12-09 2026-12-08 – 2026-12-11 2026-12-09 16:35 given" in text
    # Infusion 4: 9 Dec + 7 = 16 Dec, window 15-18 Dec; on 10 Dec its window has not opened.
    assert "infusion 4 of 4 C 2026-12-16 2026-12-15 – 2026-12-18 planned" in text


@sqlite_only
def test_the_deviations_from_the_schedule_are_listed_with_their_reasons(ctx, staff, course):
    text = course_text(ctx, staff)
    deviations = text[text.index("Deviations from the schedule") :]
    deviations = deviations[: deviations.index("Visits, checks and samples")]
    assert (
        "Late infusion infusion 2 of 4 2026-11-27 – 2026-11-30 2026-12-02 16:35 " + LATE_REASON
    ) in deviations
    # The week-1 visit and sample share the window 27-29 Nov (-1/+1 day around 28 Nov).
    assert "Missed visit Follow-up visit, week 1 2026-11-27 – 2026-11-29 not done" in deviations
    assert (
        "Late sample Immunology samples, week 1 2026-11-27 – 2026-11-29 2026-12-02 16:00 "
        + SAMPLE_REASON
    ) in deviations
    # Week 2: 21 Nov + 14 = 5 Dec, window 4-6 Dec, not recorded either.
    assert "Missed visit Follow-up visit, week 2 2026-12-04 – 2026-12-06 not done" in deviations
    # Nothing else departed: infusions 1 and 3 in their windows, the acute checks on time,
    # the week-3 visit's window (11-13 Dec) not open yet on 10 Dec.
    assert deviations.count("Late ") == 2 and deviations.count("Missed ") == 2


@sqlite_only
def test_the_calendar_shows_who_did_what_and_the_sample_ids(ctx, staff, course):
    text = course_text(ctx, staff)
    # Infusion 1 ended 09:25 UTC: its 24-hour check is due 22 Nov 17:25 local, window -2/+4 h.
    assert (
        "24-hour acute-reaction check, infusion 1 check 2026-11-22 17:25 "
        "2026-11-22 15:25 – 2026-11-22 21:25 done 2026-11-22 17:30 Nora Nurse"
    ) in text
    # The baseline sample: within the 7 days up to infusion 1's day (14-21 Nov).
    assert (
        "Immunology samples, baseline sample 2026-11-21 2026-11-14 – 2026-11-21 done "
        "2026-11-21 16:00 Nora Nurse IMM-P001-00"
    ) in text
    assert (
        "Immunology samples, week 1 sample 2026-11-28 2026-11-27 – 2026-11-29 late "
        f"2026-12-02 16:00 Nora Nurse IMM-P001-07 Reason: {SAMPLE_REASON}"
    ) in text
    # Week 4 counts from infusion 1: 21 Nov + 28 = 19 Dec, not yet open on 10 Dec.
    assert "Follow-up visit, week 4 visit 2026-12-19 2026-12-18 – 2026-12-20 upcoming" in text


@sqlite_only
def test_the_adverse_events_of_patient_and_infusions_with_their_dlt_flags(ctx, staff, course):
    text = course_text(ctx, staff)
    aes = text[text.index("Adverse events of the course") :]
    # Fever during infusion 2 (2 Dec 09:20 UTC = 17:20 local), not a DLT (grade 1).
    assert "Infusion 2 #" in aes and "Fever" in aes
    assert "Platelet count decreased 3 possible no yes confirmed by Ivan Investigator" in aes
    assert DLT_REASON in aes
    assert aes.index("Fever") < aes.index("Platelet count decreased")  # in order of onset


@sqlite_only
def test_the_chinese_course_record_has_chinese_labels_and_no_boxes(ctx, staff, course):
    document = records.patient_course_record(
        ctx, staff.monitor, "P001", zone=ZONE, language="zh_CN"
    )
    text = one_line("\n".join(pdf_pages(document.data)))
    for label in ("患者疗程记录", "治疗计划与实际输注", "偏离计划", "访视、检查与样本"):
        assert label in text
    assert "第 2 次输注（共 4 次）" in text and "延迟输注" in text
    assert "随访，第 1 周" in text and "免疫学样本，第 1 周" in text  # the file's Chinese names
    assert LATE_REASON in text
    # No boxes: every run of text with a character Helvetica cannot hold is set in the CJK
    # font, which every PDF reader supplies.
    runs: list[tuple[str, str]] = []
    for page in PdfReader(BytesIO(document.data)).pages:
        page.extract_text(
            visitor_text=lambda t, cm, tm, font, size: runs.append(
                (t, str(font.get("/BaseFont", "")) if font else "")
            )
        )
    chinese = [(t, font) for t, font in runs if needs_cjk(t)]
    assert chinese and all("STSong-Light" in font for _, font in chinese)


@sqlite_only
def test_printing_the_course_record_is_audited(ctx, staff, course, tmp_path):
    document = records.patient_course_record(ctx, staff.monitor, "P001", zone=ZONE)
    assert (document.what, document.subject) == ("patient course record", "patient P001")
    assert document.file_name == "course-record-P001.pdf"
    written = records.save_document(ctx, staff.monitor, document, tmp_path / "course.pdf")
    assert written.read_bytes() == document.data


@sqlite_only
def test_the_monitor_log_places_each_infusion_in_its_course(ctx, staff, course):
    patient = LogFilter(patient="P001")
    document = records.infusion_log(ctx, staff.monitor, patient, output="csv", zone=ZONE)
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8"))))
    columns = ("Dose level / group", "Infusion of the plan", "Days since previous")
    # Starts at 16:35 local on 21 Nov, 2 Dec and 9 Dec: 2 Dec - 21 Nov = 9 days to the end of
    # November + 2 = 11 days; 9 Dec - 2 Dec = 7 days. Infusion 1 has no previous one.
    assert [tuple(r[c] for c in columns) for r in rows] == [
        ("C", "infusion 1 of 4", ""),
        ("C", "infusion 2 of 4", "11"),
        ("C", "infusion 3 of 4", "7"),
    ]
    assert [r["Schedule deviation"] for r in rows] == ["", LATE_REASON, ""]
    # The late start is infusion 2's one deviation (its fever is a reaction, not a deviation).
    assert [r["Deviations"] for r in rows] == ["0", "1", "0"]

    pdf = records.infusion_log(ctx, staff.monitor, patient, zone=ZONE)
    text = one_line("\n".join(pdf_pages(pdf.data)))
    assert "P001 (WL) Dose 2 C infusion 2 of 4 11 UC-P001-2" in text
    assert "P001 (WL) Dose 3 C infusion 3 of 4 7 UC-P001-3" in text
    assert LATE_REASON in text and "Deviations 1 signatures incomplete 0" in text
    chinese = records.infusion_log(ctx, staff.monitor, patient, zone=ZONE, language="zh_CN")
    zh = one_line("\n".join(pdf_pages(chinese.data)))
    assert "计划中的输注" in zh and "第 2 次输注（共 4 次） 11" in zh


@sqlite_only
def test_the_infusion_record_lists_the_late_start_with_its_reason(ctx, staff, course):
    document = records.infusion_record(ctx, staff.monitor, course.infusion_ids[2], zone=ZONE)
    text = one_line("\n".join(pdf_pages(document.data)))
    deviations = text[text.index("Deviations and overrides") :]
    assert f"2026-12-02 16:35 Started after its window {LATE_REASON}" in deviations


@sqlite_only
def test_every_label_of_the_course_record_is_chinese(ctx, staff, course, labels_asked):
    records.patient_course_record(ctx, staff.monitor, "P001", zone=ZONE, language="zh_CN")
    records.infusion_log(ctx, staff.monitor, LogFilter(patient="P001"), zone=ZONE, language="zh_CN")
    assert len(labels_asked.asked) > 50  # plan, calendar, deviations, AEs: every section
    assert sorted(labels_asked.untranslated) == []
