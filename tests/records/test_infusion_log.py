"""The monitor's infusion log over 3 patients and 10 infusions (PDF and CSV)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.identity import wristband_code
from infusion_app.records.infusion_log import LogFilter
from infusion_app.services import bedside, course_acts, infusions, patients, products, records
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.records.conftest import one_line, pdf_pages
from tests.samples import example_coa
from tests.services.bedside_steps import prepare

PATIENTS = (("P001", "WL"), ("P002", "ZH"), ("P003", "LM"))
# (patient, number, how it went). The patients are in group C (four weekly infusions): the
# test clock runs from 08:00 UTC on Saturday 2026-11-21 and gives every patient's infusion n
# on day 7 × (n - 1), in turns (infusion 1 on 21 Nov, 2 on 28 Nov, 3 on 5 Dec, 4 on 12 Dec);
# a round ends by 13:00 UTC, 21:00 local, so each start is on its target's local date, inside
# its window (the log below reads UTC dates).
PLAN = (
    ("P001", 1, "complete"),
    ("P001", 2, "reaction grade 2"),
    ("P001", 3, "paused"),
    ("P001", 4, "complete"),
    ("P002", 1, "complete"),
    ("P002", 2, "stopped"),
    ("P002", 3, "not started"),
    ("P003", 1, "complete"),
    ("P003", 2, "reaction grade 1"),
    ("P003", 3, "not started"),
)


def _run(
    ctx, staff, clock, trial_id: str, initials: str, infusion_id: int, how: str, bag: str
) -> None:
    """The usual times: checks at T, premedication T, thaw T+10, start T+35, rate step T+50,
    vitals T+52, end T+85 (50 min after the start); a pause adds 5 min before the end."""
    if how == "not started":
        return
    prepare(
        ctx,
        staff,
        infusion_id,
        wristband=wristband_code(trial_id, initials),
        product_id=bag,
    )
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=25)
    bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)
    if how == "stopped":
        clock.advance(minutes=10)
        bedside.stop_infusion(
            ctx, staff.nurse, infusion_id, PASSWORD, why="patient asked to stop", volume_given_ml=10
        )
        clock.advance(minutes=30)
        return
    clock.advance(minutes=15)
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    if how.startswith("reaction"):
        bedside.record_adverse_event(
            ctx,
            staff.nurse,
            infusion_id,
            term="Infusion related reaction",
            grade=int(how[-1]),
            attribution="possible",
            serious=False,
        )
    if how == "paused":
        bedside.pause_infusion(ctx, staff.nurse, infusion_id, "patient to the toilet")
        clock.advance(minutes=5)
        bedside.resume_infusion(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=33)
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    clock.advance(minutes=15)


@pytest.fixture
def ten_infusions(ctx, staff, clock) -> dict[tuple[str, int], int]:
    for trial_id, initials in PATIENTS:
        patients.register_patient(
            ctx,
            staff.nurse,
            trial_id=trial_id,
            initials=initials,
            sex="female",
            weight_kg="63.5",
            weight_measured_at=clock(),
            protocol_id="ucmsc-cart-cytopenia",
            dose_level="C",
            age_years=50,
        )
        course_acts.enrol_patient(
            ctx, staff.investigator, trial_id, dose_level="C", password=PASSWORD
        )
    ids = {}
    first_day = clock()
    for trial_id, number, how in sorted(PLAN, key=lambda p: (p[1], p[0])):
        clock.now = max(clock.now, first_day + timedelta(days=7 * (number - 1)))
        patients.record_weight(ctx, staff.nurse, trial_id, "63.5", clock())  # today's weight
        initials = dict(PATIENTS)[trial_id]
        bag = f"UC-{trial_id}-{number}"  # one bag, one infusion
        coa = example_coa(product_id=bag, patient_id=trial_id)
        products.register_product(ctx, staff.pharmacist, coa_from_mapping(coa))
        products.release_product(ctx, staff.pharmacist, bag, PASSWORD)
        ids[trial_id, number] = infusions.create_infusion(ctx, staff.nurse, trial_id, bag, number)
        _run(ctx, staff, clock, trial_id, initials, ids[trial_id, number], how, bag)
    return ids


def test_the_site_log_lists_every_infusion_with_the_right_totals(ctx, staff, ten_infusions):
    site = LogFilter(first=date(2026, 11, 21), last=date(2026, 12, 12))
    document = records_log(ctx, staff, site, "csv")
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8"))))
    assert len(rows) == 10
    by_key = {(r["Patient"], r["Infusion"]): r for r in rows}
    assert set(by_key) == {(f"{p} ({dict(PATIENTS)[p]})", f"Dose {n}") for p, n, _ in PLAN}
    whole = by_key["P001 (WL)", "Dose 1"]
    # All 100 mL given: 13.8 mL × 9.2 × 10^6 viable cells/mL = 126,960,000 cells.
    assert whole["Dose given cells"] == "126960000"  # whole cells
    assert whole["Dose given"] == "1.27 × 10^8 cells"
    assert whole["Duration min"] == "50"  # start T+35 to end T+85
    assert whole["Status"] == "ended"
    assert whole["Signatures complete"] == "yes"
    paused = by_key["P001 (WL)", "Dose 3"]
    assert (paused["Duration min"], paused["Deviations"]) == ("55", "1")  # 50 running + 5 paused
    stopped = by_key["P002 (ZH)", "Dose 2"]
    # 10 of 100 mL given: 126,960,000 × 10 / 100 = 12,696,000 = 1.27 × 10^7 cells.
    assert (stopped["Dose given"], stopped["Status"]) == ("1.27 × 10^7 cells", "stopped")
    assert stopped["Deviations"] == "1"  # the stop, with its reason
    assert stopped["Signatures complete"] == "yes"  # verified, start and stop signed
    assert by_key["P001 (WL)", "Dose 2"]["Max AE grade"] == "2"
    assert by_key["P003 (LM)", "Dose 2"]["Reactions"] == "1"
    not_started = by_key["P002 (ZH)", "Dose 3"]
    assert (not_started["Status"], not_started["Signatures complete"]) == ("not started", "no")
    assert not_started["Dose given"] == not_started["Start"] == ""

    pdf = one_line("\n".join(pdf_pages(records_log(ctx, staff, site, "pdf").data)))
    for trial_id, number, _ in PLAN:
        assert f"{trial_id} ({dict(PATIENTS)[trial_id]}) Dose {number}" in pdf
    # Totals, by hand from PLAN: 10 infusions; ended 7 (all but the stopped one and the two
    # not started); reactions 2 (grades 2 and 1, max 2), both on different infusions;
    # deviations 2 (the pause, the stop); signatures incomplete 2 (the two not started).
    assert "Infusions 10 completed 7" in pdf
    assert "Reactions 2 (2 with reactions) Max AE grade 2" in pdf
    assert "Deviations 2 signatures incomplete 2" in pdf
    assert "All infusions of the site from 2026-11-21 to 2026-12-12" in pdf


def test_a_patient_log_and_an_empty_range(ctx, staff, ten_infusions):
    document = records_log(ctx, staff, LogFilter(patient="P001"), "pdf")
    text = one_line("\n".join(pdf_pages(document.data)))
    assert [n for n in range(1, 5) if f"P001 (WL) Dose {n}" in text] == [1, 2, 3, 4]
    assert "P002" not in text and "Infusions 4 completed 4" in text
    assert document.file_name == "infusion-log-P001.pdf"
    between = LogFilter(first=date(2026, 11, 22), last=date(2026, 11, 27))  # between rounds
    empty = one_line("\n".join(pdf_pages(records_log(ctx, staff, between, "pdf").data)))
    assert "No infusions match." in empty and "Infusions 0 completed 0" in empty


def records_log(ctx, staff, chosen: LogFilter, output: str):
    return records.infusion_log(ctx, staff.monitor, chosen, output=output, zone=UTC)


@pytest.mark.parametrize("hours", [14, -12])
def test_a_log_over_the_whole_calendar_in_any_zone(ctx, staff, infusion_id, hours):
    """0001-01-01 east of UTC and the day after 9999-12-31 are outside what a time holds: the
    range is open on that side instead of an overflow (which was an internal error)."""
    zone = timezone(timedelta(hours=hours))
    everything = LogFilter(first=date.min, last=date.max)
    since, until = everything.utc_range(zone)
    assert since <= datetime(1, 1, 1, 12, tzinfo=UTC) and until.year == 9999
    document = records.infusion_log(ctx, staff.monitor, everything, output="csv", zone=zone)
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8"))))
    assert [r["Patient"] for r in rows] == ["P001 (WL)"]
    pdf = records.infusion_log(ctx, staff.monitor, everything, output="pdf", zone=zone)
    assert "0001-01-01" in one_line(pdf_pages(pdf.data)[0])


def test_a_typed_reason_in_the_log_csv_is_text_not_a_formula() -> None:
    """A schedule deviation's reason is free text: typed as "=HYPERLINK(...)" it would run in
    the monitor's spreadsheet; the CSV writes it with a leading apostrophe (records/csv_cells)
    and leaves every other cell as it was."""
    from decimal import Decimal

    from infusion_app.logic.infusion_state import Status
    from infusion_app.records.infusion_log import LogEntry, infusion_log_csv

    start = datetime(2026, 11, 21, 8, 35, tzinfo=UTC)
    entry = LogEntry(
        infusion_id=7,
        trial_id="P001",
        initials="WL",
        number_label="Dose 2",
        level="C",
        of_plan=None,
        days_since_previous=9,
        product_id="UC-MSC-2026-0002",
        day_at=start,
        dose_given_cells=Decimal("127000000"),
        started_at=start,
        ended_at=start + timedelta(minutes=50),
        reactions=0,
        max_grade=None,
        deviations=1,
        status=Status.ENDED,
        signatures_complete=True,
        schedule_deviation='=HYPERLINK("http://x.example","late")',
    )
    (row,) = csv.DictReader(io.StringIO(infusion_log_csv([entry], UTC)))
    assert row["Schedule deviation"] == '\'=HYPERLINK("http://x.example","late")'
    assert (row["Patient"], row["Days since previous"], row["Duration min"]) == (
        "P001 (WL)",
        "9",
        "50",
    )


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_header_word_date_or_status_word_is_cut_in_its_column(paper: str) -> None:
    """reportlab breaks a word wider than its cell inside the word: the site log printed
    "observati / on complete" in the Status column. On both papers (landscape), each column
    holds its header's longest word in bold, and the Date and Status columns a date and
    every word of every status."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from infusion_app.logic.infusion_state import Status
    from infusion_app.records.fonts import LATIN, LATIN_BOLD
    from infusion_app.records.infusion_log import COLUMNS, SHARES
    from infusion_app.records.pages import CELL_PADDING, CELL_SIZE, text_width

    width = text_width(paper, wide=True)
    values = {
        "Date": ["2026-12-31"],
        "Status": [word for status in Status for word in status.value.split()],
    }
    for column, share in zip(COLUMNS, SHARES, strict=True):
        room = width * share - 2 * CELL_PADDING
        for word in column.split():
            assert stringWidth(word, LATIN_BOLD, CELL_SIZE) <= room, (column, word)
        for word in values.get(column, []):
            assert stringWidth(word, LATIN, CELL_SIZE) <= room, (column, word)
