"""Adverse events recorded against the patient: when they may begin, their DLT flag by the
protocol's anchor, the SAE report, and who may record them.

Times (tests/services/ae_course_steps.py): the clock starts Saturday 2026-11-21 08:00 UTC; P001
is registered and enrolled then; infusion n is given on day 7(n-1) from the clock at 08:00,
so it starts at 08:35 UTC: T1 = 2026-11-21 08:35, T2 = 11-28 08:35, T3 = 12-05 08:35,
T4 = 12-12 08:35 (each exactly on its rolling target date, inside its window).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.course import CourseRefused
from infusion_app.logic.errors import InputError
from infusion_app.logic.patient_aes import patient_adverse_events
from infusion_app.services import bedside, course_acts, patient_aes, patients, products
from infusion_app.services.context import NotAuthorised
from infusion_app.services.course_read import load_course
from infusion_app.services.patients import find_patient
from tests.conftest import PASSWORD, register_p001
from tests.samples import example_coa
from tests.services.ae_course_steps import give
from tests.stored import stored_events

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)  # the clock's start: registration, enrolment
T1 = datetime(2026, 11, 21, 8, 35, tzinfo=UTC)


# a grade 4 thrombocytopenia, probably related, entered on an infusion's record
_BEDSIDE = {
    "term": "Platelet count decreased",
    "grade": 4,
    "attribution": "probable",
    "serious": False,
}


def grade3(started_at: datetime, **more: object) -> dict[str, object]:
    """A grade 3 neutropenia, possibly related: a DLT by grade and attribution."""
    return {
        "term": "Neutrophil count decreased",
        "grade": 3,
        "attribution": "possible",
        "serious": False,
        "started_at": started_at,
        "aware_at": started_at,
        **more,
    }


def record(ctx, who, started_at: datetime, **more: object) -> patient_aes.PatientAe:
    return patient_aes.record_patient_ae(ctx, who, "P001", grade3(started_at, **more))


def patient_events(ctx):
    with ctx.db.read() as session:
        return load_course(ctx, session, find_patient(session, "P001")).events


def group(ctx, staff, clock, level: str) -> None:
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level=level)


# --- the DLT window by the protocol's anchor ------------------------------------------------


def test_group_c_window_runs_28_days_from_the_last_planned_infusion(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "C")
    starts = []
    for number in (1, 2, 3, 4):
        clock.now = T0 + timedelta(days=7 * (number - 1))
        starts.append(give(ctx, staff, clock, number)[1])
    # T4 = 2026-11-21 08:35 + 21 d = 2026-12-12 08:35 UTC
    assert starts[3] == datetime(2026, 12, 12, 8, 35, tzinfo=UTC)
    # the window closes T4 + 28 d = 2027-01-09 08:35 UTC (Dec 12 + 19 d = Dec 31, + 9 d =
    # Jan 9), inclusive
    closes = datetime(2027, 1, 9, 8, 35, tzinfo=UTC)
    clock.now = closes + timedelta(minutes=5)
    assert record(ctx, staff.nurse, closes).dlt
    assert not record(ctx, staff.nurse, closes + timedelta(minutes=1)).dlt
    # from the first infusion's start on: T1 is inside, a minute before it is not
    assert record(ctx, staff.nurse, T1).dlt
    assert not record(ctx, staff.nurse, T1 - timedelta(minutes=1)).dlt


def test_group_c_window_is_open_until_the_last_infusion_is_given(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "C")
    give(ctx, staff, clock, 1)
    # infusion 2..4 not given: the window has no end yet. T1 + 28 d + 1 min
    # = 2026-12-19 08:36 UTC, outside a window counted from the first infusion, is inside.
    late = T1 + timedelta(days=28, minutes=1)
    clock.now = late + timedelta(hours=1)
    assert record(ctx, staff.nurse, late).dlt
    # stored on the patient's stream with the flag
    stored = patient_adverse_events(patient_events(ctx))
    assert [(e.event.name, e.dlt) for e in stored] == [("Neutrophil count decreased", True)]


def test_group_a_window_runs_28_days_from_its_one_infusion(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    give(ctx, staff, clock, 1)
    # group A plans 1 infusion: the last planned is infusion 1; T1 + 28 d = 2026-12-19 08:35
    # (Nov 21 + 9 d = Nov 30, + 19 d = Dec 19)
    closes = datetime(2026, 12, 19, 8, 35, tzinfo=UTC)
    clock.now = closes + timedelta(minutes=5)
    assert record(ctx, staff.nurse, closes).dlt
    assert not record(ctx, staff.nurse, closes + timedelta(minutes=1)).dlt


def test_crc_window_runs_120_days_from_the_first_infusion(ctx, staff, clock, crc_p001) -> None:
    infusion, _ = give(ctx, staff, clock, 1)
    # msc-l-crc counts 120 d from the first infusion: T1 + 120 d = 2027-03-21 08:35 UTC
    # (Nov 21 -> Dec 21: 30 d, -> Jan 21: 31, -> Feb 21: 31, -> Mar 21: 28; 120 in all)
    closes = datetime(2027, 3, 21, 8, 35, tzinfo=UTC)
    assert closes - T1 == timedelta(days=120)
    clock.now = closes + timedelta(minutes=5)
    assert record(ctx, staff.nurse, closes).dlt
    # its AE follow-up ends at the same minute (4 months from the first infusion), so the
    # minute after is an infusion's entry: recorded, and outside the window
    with pytest.raises(CourseRefused, match="after the end of follow-up"):
        record(ctx, staff.nurse, closes + timedelta(minutes=1))
    after = closes + timedelta(minutes=1)
    bedside.record_adverse_event(
        ctx, staff.nurse, infusion, started_at=after, aware_at=after, **_BEDSIDE
    )
    ae = [e for e in stored_events(ctx, infusion) if e.type == "adverse_event_recorded"]
    assert json.loads(ae[-1].payload)["dlt"] is False


def test_no_dlt_before_any_infusion_nor_by_a_low_grade_or_unrelated_event(
    ctx, staff, clock
) -> None:
    group(ctx, staff, clock, "A")
    clock.advance(hours=1)
    assert not record(ctx, staff.nurse, T0).dlt  # no infusion given: no window
    give(ctx, staff, clock, 1)
    assert not record(ctx, staff.nurse, clock(), grade=2).dlt
    assert not record(ctx, staff.nurse, clock(), attribution="unrelated").dlt
    assert record(ctx, staff.nurse, clock()).dlt


def test_a_bedside_ae_uses_the_same_window(ctx, staff, clock) -> None:
    # group C, infusion 1 ended at 09:25; its window runs on while infusions 2-4 are to come:
    # a bedside AE on infusion 1 at T1 + 28 d + 1 min is flagged as the patient's would be.
    group(ctx, staff, clock, "C")
    infusion, _ = give(ctx, staff, clock, 1)
    late = T1 + timedelta(days=28, minutes=1)
    clock.now = late
    bedside.record_adverse_event(ctx, staff.nurse, infusion, **_BEDSIDE)
    ae = [e for e in stored_events(ctx, infusion) if e.type == "adverse_event_recorded"]
    assert json.loads(ae[-1].payload)["dlt"] is True


# --- enrolment to the end of follow-up ------------------------------------------------------


def test_an_ae_before_enrolment_is_refused(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    clock.advance(hours=1)
    before = len(patient_events(ctx))
    with pytest.raises(CourseRefused, match="before their enrolment"):
        record(ctx, staff.nurse, T0 - timedelta(minutes=1))
    assert len(patient_events(ctx)) == before
    record(ctx, staff.nurse, T0)  # enrolment's own minute: inside


def test_an_ae_after_the_end_of_follow_up_is_refused(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    give(ctx, staff, clock, 1)
    # ucmsc follow-up: 168 d (24 weeks) after the last infusion, T1 + 168 d = 2027-05-08 08:35
    # (to Mar 21: 120 d as in the crc test, -> Apr 21: 31, -> May 8: 17; 168 in all)
    ends = datetime(2027, 5, 8, 8, 35, tzinfo=UTC)
    assert ends - T1 == timedelta(days=168)
    clock.now = ends + timedelta(days=1)
    record(ctx, staff.nurse, ends)  # the last minute of follow-up: accepted (and no DLT)
    with pytest.raises(CourseRefused, match="after the end of follow-up"):
        record(ctx, staff.nurse, ends + timedelta(minutes=1))


def test_a_patient_not_enrolled_has_no_ae_of_the_course(ctx, staff, clock) -> None:
    register(ctx, staff, clock, "P002", "msc-l-crc", "2", enrol=False)
    with pytest.raises(CourseRefused, match="P002 is not enrolled"):
        patient_aes.record_patient_ae(ctx, staff.nurse, "P002", grade3(clock()))


def test_the_entry_time_follows_the_back_entry_rules(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    clock.advance(hours=2)
    values = grade3(T0 + timedelta(minutes=30))
    with pytest.raises(InputError, match="reason: is required"):
        patient_aes.record_patient_ae(ctx, staff.nurse, "P001", values, at=T0 + timedelta(hours=1))
    with pytest.raises(InputError, match=r"at: .* is before the patient was enrolled"):
        patient_aes.record_patient_ae(
            ctx, staff.nurse, "P001", values, at=T0 - timedelta(hours=1), reason="downtime"
        )
    patient_aes.record_patient_ae(
        ctx, staff.nurse, "P001", values, at=T0 + timedelta(hours=1), reason="downtime"
    )
    entry = patient_events(ctx)[-1]
    assert (entry.occurred_at, entry.reason) == (T0 + timedelta(hours=1), "downtime")


# --- grades, seriousness and the report -----------------------------------------------------


def test_an_impossible_cytopenia_grade_is_refused(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    with pytest.raises(InputError, match=r"grade: CTCAE v5\.0 defines grades 1-4 for Platelet"):
        record(ctx, staff.nurse, clock(), term="Platelet count decreased", grade=5)
    record(ctx, staff.nurse, clock(), term="Anemia", grade=5)  # anaemia has a grade 5


def test_a_serious_patient_ae_is_due_for_report_24_hours_after_awareness(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    clock.advance(hours=3)
    aware = T0 + timedelta(hours=2)  # 10:00 UTC; the report is due 24 h later
    recorded = record(ctx, staff.nurse, T0 + timedelta(hours=1), serious=True, aware_at=aware)
    assert recorded.report_due_at == datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    (entry,) = patient_adverse_events(patient_events(ctx))
    assert (entry.report_due_at, entry.reported_at) == (recorded.report_due_at, None)

    clock.advance(hours=4)  # 15:00 UTC
    patient_aes.report_patient_sae(ctx, staff.investigator, "P001", recorded.seq)
    (entry,) = patient_adverse_events(patient_events(ctx))
    assert entry.reported_at == datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    with pytest.raises(CourseRefused, match="reported already"):
        patient_aes.report_patient_sae(ctx, staff.nurse, "P001", recorded.seq)


def test_only_a_serious_ae_of_the_patient_is_reported(ctx, staff, clock) -> None:
    group(ctx, staff, clock, "A")
    mild = record(ctx, staff.nurse, clock())
    with pytest.raises(CourseRefused, match="is not serious"):
        patient_aes.report_patient_sae(ctx, staff.nurse, "P001", mild.seq)
    with pytest.raises(CourseRefused, match="no adverse event 99"):
        patient_aes.report_patient_sae(ctx, staff.nurse, "P001", 99)


@pytest.mark.parametrize("role", ["pharmacist", "monitor", "admin"])
def test_only_those_who_treat_the_patient_record_an_ae(ctx, staff, clock, role: str) -> None:
    group(ctx, staff, clock, "A")
    before = len(patient_events(ctx))
    with pytest.raises(NotAuthorised):
        record(ctx, getattr(staff, role), clock())
    assert len(patient_events(ctx)) == before
    record(ctx, staff.investigator, clock())
    record(ctx, staff.nurse, clock())


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def crc_p001(ctx, staff, clock) -> None:
    """P001 on msc-l-crc dose level 1, enrolled at T0, with product UC-MSC-2026-0001."""
    register(ctx, staff, clock, "P001", "msc-l-crc", "1", enrol=True)
    products.register_product(ctx, staff.pharmacist, coa_from_mapping(example_coa()))


def register(ctx, staff, clock, trial_id: str, protocol: str, level: str, *, enrol: bool) -> None:
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id=trial_id,
        initials="WL",
        sex="female",
        weight_kg="63.5",
        weight_measured_at=clock(),
        protocol_id=protocol,
        dose_level=level,
        age_years=54,
    )
    if enrol:
        course_acts.enrol_patient(
            ctx, staff.investigator, trial_id, dose_level=level, password=PASSWORD
        )
