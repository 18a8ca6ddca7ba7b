"""The patient view: what the patient's page and ``patient show`` read, worked out by hand.

Times: the protocols count day windows in Asia/Shanghai (UTC+8, no summer time). The infusions
of tests/services/patient_course.py start at 08:35 UTC (16:35 local) and end at 09:25 UTC
(17:25 local). 2026-11-21 is a Saturday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from infusion_app.logic.course import CalendarStatus, EndReason, PlanStatus
from infusion_app.logic.errors import InputError
from infusion_app.logic.events import (
    AdverseEventRecorded,
    DltReviewed,
    SampleCollected,
    VisitRecorded,
)
from infusion_app.services import bedside, course_acts, patients, products
from infusion_app.services.patient_view import SaeState, patient_view
from infusion_app.store.opening import open_database
from tests.conftest import PASSWORD, register_p001
from tests.services.patient_course import append_to_patient, give_infusion

SHANGHAI = timezone(timedelta(hours=8))
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)


@pytest.fixture
def group_c(ctx, staff, clock):
    """P001 in group C: infusion 1 on Sat 21 Nov, infusion 2 on Sat 28 Nov (its target)."""
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    give_infusion(ctx, staff, clock, 1)
    clock.now = at(28, 8)
    give_infusion(ctx, staff, clock, 2)
    return "P001"


def test_a_group_c_patient_mid_course(ctx, staff, clock, group_c):
    # the week-1 visit and sample, done on Sat 28 Nov at 10:00 and 10:10 local (02:00, 02:10
    # UTC): inside their window, 27-29 Nov local (day 7 after the first infusion's local date
    # 21 Nov, -1/+1 day)
    append_to_patient(
        ctx,
        VisitRecorded(item="follow_up_weekly:7d", note=None),
        by="nurse",
        at=at(28, 2),
        reason="entered after the infusion",
    )
    append_to_patient(
        ctx,
        SampleCollected(item="immunology:7d", sample_id="IMM-0001", note=None),
        by="nurse",
        at=at(28, 2, 10),
        reason="entered after the infusion",
    )
    clock.now = at(1, 8, month=12)  # Tue 1 Dec, 16:00 local
    view = patient_view(ctx, "P001")

    assert view.enrolment is not None and view.enrolment.dose_level == "C"
    assert view.enrolment.act.signed_by == "Ivan Investigator"
    assert (
        str(view.enrolment_text)
        == "enrolled 2026-11-21 16:00 UTC+08:00 at C, signed by Ivan Investigator"
    )
    assert (view.current_level, view.planned_total, view.given_count) == ("C", 4, 2)
    assert [str(r.of_text) for r in view.plan] == [f"infusion {n} of 4" for n in (1, 2, 3, 4)]
    assert [r.status for r in view.plan] == [
        PlanStatus.GIVEN,
        PlanStatus.GIVEN,
        PlanStatus.PLANNED,
        PlanStatus.PLANNED,
    ]
    first, second, third, fourth = view.plan
    # infusion 1 has no target: due from enrolment
    assert first.target is None and first.started_at == at(21, 8, 35)
    assert first.infusion_id is not None and first.infusion_status == "ended"
    # infusion 2: 21 Nov + 7 = Sat 28 Nov, window Fri 27 Nov 00:00 to Tue 1 Dec 00:00 local
    # (-1/+2 days, the end excluded)
    assert second.target == date(2026, 11, 28)
    assert second.opens == local_midnight(date(2026, 11, 27))
    assert second.closes == local_midnight(date(2026, 12, 1))
    assert second.started_at == at(28, 8, 35) and second.deviation is None
    # infusion 3, rolling: infusion 2's actual date 28 Nov + 7 = Sat 5 Dec; window Fri 4 Dec to
    # Mon 7 Dec (closes Tue 8 Dec 00:00 local); at 1 Dec it has not opened: planned
    assert third.target == date(2026, 12, 5)
    assert (third.opens, third.closes) == (
        local_midnight(date(2026, 12, 4)),
        local_midnight(date(2026, 12, 8)),
    )
    # infusion 4: 28 Nov + 2 x 7 = Sat 12 Dec, until infusion 3 is given
    assert fourth.target == date(2026, 12, 12) and fourth.infusion_id is None
    # the next infusion to give is the 3rd, with its target and window
    assert view.next == third
    assert view.window_text(third.opens, third.closes, all_day=True) == "2026-12-04 to 2026-12-07"

    rows = {r.key: r for r in view.calendar}
    visit = rows["follow_up_weekly:7d"]
    assert visit.status is CalendarStatus.DONE and visit.by == "nurse"
    assert visit.done_at == at(28, 2)
    assert (visit.opens, visit.closes) == (
        local_midnight(date(2026, 11, 27)),
        local_midnight(date(2026, 11, 30)),
    )
    sample = rows["immunology:7d"]
    assert (sample.status, sample.sample_id) == (CalendarStatus.DONE, "IMM-0001")
    assert view.samples[0].key == "immunology_baseline:0d"  # the baseline comes first
    # infusion 1's 24-hour check: its end 21 Nov 09:25 UTC + 24 h = 22 Nov 09:25, window
    # -2 h/+4 h: 07:25 to 13:25 UTC; nothing recorded, so at 1 Dec it was missed
    acute = rows["acute_check:1:24h"]
    assert (acute.opens, acute.closes) == (at(22, 7, 25), at(22, 13, 25))
    assert acute.status is CalendarStatus.MISSED and not acute.all_day
    # the week-2 visit: 21 Nov + 14 = 5 Dec, window 4-6 Dec: upcoming
    assert rows["follow_up_weekly:14d"].status is CalendarStatus.UPCOMING
    # haematological response counts from the last infusion (the 4th): not dated yet
    assert rows["haem_response:28d"].status is CalendarStatus.WAITING
    # weights: at registration (the clock's 08:00 on 21 Nov) and before infusion 2
    assert [(w.weight_kg, w.measured_at) for w in view.weights] == [
        (Decimal("63.5"), at(21, 8)),
        (Decimal("63.5"), at(28, 8)),
    ]
    # the DLT window: 28 days from the last planned infusion, not given yet: still open
    assert view.dlt_window is not None
    assert (view.dlt_window.opens, view.dlt_window.closes) == (at(21, 8, 35), None)


def test_the_aes_of_the_patient_and_of_each_infusion(ctx, staff, clock, group_c):
    # on infusion 2's record, after its end at 09:25: hypotension grade 3, possibly related,
    # serious: 24 h to report it from the team's awareness (09:30 on 28 Nov)
    clock.now = at(28, 9, 30)
    outcome = bedside.record_adverse_event(
        ctx,
        staff.nurse,
        group_c_infusion(ctx, 2),
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    on_infusion = outcome.seq
    # against the patient, on Mon 30 Nov 02:00 UTC: neutrophil count decreased grade 4, an AE
    # of the course as a whole; serious, its report due 24 h after awareness (1 Dec 02:00
    # UTC); confirmed as a DLT by the investigator
    started = clock.now = at(30, 2)
    own = append_to_patient(
        ctx,
        AdverseEventRecorded(
            term="Other, specify",
            other_term="Neutrophil count decreased",
            grade=4,
            started_at=started,
            aware_at=started,
            attribution="probable",
            serious=True,
            action_taken="none",
            outcome="not recovered / ongoing",
            description=None,
            fever_grade_suggested=None,
            dlt=True,
            report_due_at=started + timedelta(hours=24),
        ),
        by="nurse",
        at=started,
    )
    clock.now = at(30, 3)
    append_to_patient(
        ctx,
        DltReviewed(stream="patient:P001", adverse_event_seq=own, confirmed=True, reason="grade 4"),
        by="investigator",
        at=at(30, 3),
    )
    clock.now = at(30, 12)
    bedside.report_sae(ctx, staff.nurse, group_c_infusion(ctx, 2), on_infusion)

    view = patient_view(ctx, "P001", now=at(1, 8, month=12))
    first, second = view.adverse_events  # in the order they started
    assert (first.stream, first.seq, first.infusion) == ("infusion:P001/2", on_infusion, 2)
    assert (first.term, first.grade, str(first.where)) == ("Hypotension", 3, "infusion 2")
    # reported on 30 Nov 12:00 UTC = 20:00 local
    assert first.sae is SaeState.REPORTED and first.reported_at == at(30, 12)
    assert str(first.sae_text) == "SAE reported 2026-11-30 20:00 UTC+08:00"
    assert (second.stream, second.seq, second.infusion) == ("patient:P001", own, None)
    assert (second.term, str(second.where), second.dlt) == (
        "Neutrophil count decreased",
        "patient",
        True,
    )
    # due 1 Dec 02:00 UTC; at 1 Dec 08:00 UTC it is overdue, shown at 10:00 local
    assert second.sae is SaeState.OVERDUE
    assert str(second.sae_text) == "SAE report overdue since 2026-12-01 10:00 UTC+08:00"
    assert second.review is not None and second.review.confirmed
    assert str(second.review.text) == "DLT confirmed by investigator (grade 4)"
    # before its deadline the same report is only due
    earlier = patient_view(ctx, "P001", now=at(30, 20))
    assert earlier.adverse_events[1].sae is SaeState.DUE


def group_c_infusion(ctx, number: int) -> int:
    from infusion_app.services.status import find_infusion

    return find_infusion(ctx, f"P001/{number}")


@SQLITE_ONLY
def test_a_crc_patient_with_a_level_change(ctx, staff, clock):
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id="P001",
        initials="WL",
        sex="female",
        weight_kg="63.5",
        weight_measured_at=clock(),
        protocol_id="msc-l-crc",
        dose_level="1",
        age_years=61,
    )
    course_acts.enrol_patient(ctx, staff.investigator, "P001", dose_level="1", password=PASSWORD)
    from infusion_app.logic.coa import coa_from_mapping
    from tests.samples import example_coa

    products.register_product(ctx, staff.pharmacist, coa_from_mapping(example_coa()))
    give_infusion(ctx, staff, clock, 1)
    clock.now = at(23, 8)
    course_acts.change_dose_level(
        ctx,
        staff.investigator,
        "P001",
        to_level="2",
        from_infusion=2,
        reason="no DLT at level 1",
        password=PASSWORD,
    )
    view = patient_view(ctx, "P001", now=at(25, 8))
    # at least 6 cycles, no fixed number: the plan shows the 6 and "cycle n (at least 6)"
    assert (view.planned_total, view.min_infusions) == (None, 6)
    assert [str(r.of_text) for r in view.plan] == [f"cycle {n} (at least 6)" for n in range(1, 7)]
    assert [r.level for r in view.plan] == ["1", "2", "2", "2", "2", "2"]
    assert view.current_level == "2"
    assert view.current_level_label.startswith("Dose level 2")
    # cycle 2, rolling: cycle 1's local date 21 Nov + 21 = Sat 12 Dec, window -3/+3 days:
    # Wed 9 Dec 00:00 to Wed 16 Dec 00:00 local (the 15th the last day)
    cycle2 = view.plan[1]
    assert cycle2.target == date(2026, 12, 12) and cycle2.status is PlanStatus.PLANNED
    assert (cycle2.opens, cycle2.closes) == (
        local_midnight(date(2026, 12, 9)),
        local_midnight(date(2026, 12, 16)),
    )
    assert view.next == cycle2
    # cycle 3 counts from the latest given cycle until cycle 2 is given:
    # 21 Nov + 2 x 21 days = Sat 2 Jan 2027
    assert view.plan[2].target == date(2027, 1, 2)
    (change,) = view.level_changes
    assert (change.from_level, change.to_level, change.from_infusion) == ("1", "2", 2)
    assert change.act.signed_by == "Ivan Investigator"
    assert str(change.text) == (
        "from infusion 2 on: 1 to 2 (no DLT at level 1), signed by Ivan Investigator"
    )
    # the DLT window: 120 days from the first infusion (21 Nov 08:35 UTC) to 21 Mar 2027
    assert view.dlt_window is not None and view.dlt_window.closes == datetime(
        2027, 3, 21, 8, 35, tzinfo=UTC
    )


@SQLITE_ONLY
def test_an_ended_treatment(ctx, staff, clock):
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    give_infusion(ctx, staff, clock, 1)
    clock.now = at(25, 2)  # Wed 25 Nov 10:00 local
    course_acts.end_treatment(
        ctx, staff.investigator, "P001", reason="withdrawal", password=PASSWORD
    )
    view = patient_view(ctx, "P001", now=at(26, 2))
    assert view.end is not None and view.end.reason is EndReason.WITHDRAWAL
    assert view.end.act.signed_by == "Ivan Investigator"
    assert str(view.end.text) == "treatment ended 2026-11-25 10:00 UTC+08:00 (withdrawal)"
    # infusions 2-4 will not be given, and say why; nothing is next
    assert [r.status for r in view.plan] == [PlanStatus.GIVEN] + [PlanStatus.NOT_GIVEN] * 3
    assert all(
        str(r.not_given_reason) == "treatment ended 2026-11-25 10:00 UTC+08:00 (withdrawal)"
        for r in view.plan[1:]
    )
    assert view.next is None and view.current_level == "C"
    rows = {r.key: r for r in view.calendar}
    # after a withdrawal no visit is expected: the week-1 visit (27-29 Nov) is cancelled; the
    # 24-hour check of infusion 1 (22 Nov) had opened before the end: missed, not cancelled
    assert rows["follow_up_weekly:7d"].status is CalendarStatus.CANCELLED
    assert rows["acute_check:1:24h"].status is CalendarStatus.MISSED
    # the last infusion is now known (the 1st): the haematological response is dated, from
    # 21 Nov + 28 days = 19 Dec, and cancelled too
    haem = rows["haem_response:28d"]
    assert haem.target == local_midnight(date(2026, 12, 19))
    assert haem.status is CalendarStatus.CANCELLED


@SQLITE_ONLY
def test_an_unknown_patient_is_said_in_one_line(ctx, staff):
    with pytest.raises(InputError, match="no patient 'P404'"):
        patient_view(ctx, "P404")


@SQLITE_ONLY
def test_a_patient_not_enrolled_yet(ctx, staff, clock):
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id="P002",
        initials="ZY",
        sex="male",
        weight_kg="70",
        weight_measured_at=clock(),
        protocol_id="ucmsc-cart-cytopenia",
        dose_level="B",
        age_years=40,
    )
    view = patient_view(ctx, "P002")
    assert view.enrolment is None
    assert str(view.enrolment_text) == "not enrolled yet (registered at B)"
    # group B plans 2; infusion 1 is due from registration (no enrolment yet)
    assert [str(r.of_text) for r in view.plan] == ["infusion 1 of 2", "infusion 2 of 2"]
    assert view.next is not None and view.next.number == 1


def test_the_view_reads_the_same_on_a_second_connection(ctx, staff, clock, group_c, database_url):
    # a restart: the same record opened again gives the same view, field for field
    moment = at(1, 8, month=12)
    db = open_database(database_url, clock())
    try:
        from infusion_app.services.context import AppContext

        other = AppContext(db=db, station="ward-3-bed-9", clock=clock, hasher=ctx.hasher)
        assert patient_view(other, "P001", moment) == patient_view(ctx, "P001", moment)
    finally:
        db.dispose()
