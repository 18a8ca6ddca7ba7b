"""The treatment plan at the bedside and the investigator's acts, through the services on a
real database (SQLite and PostgreSQL) with a fake clock.

Every date below is worked out by hand from the protocol files (resources/protocols):
``ucmsc-cart-cytopenia`` groups A/B/C plan 1/2/4 infusions every 7 days, the next target is
the previous infusion's actual local date + 7 days ("rolling"), and an infusion may start
from 1 local day before its target to 2 local days after it; ``msc-l-crc`` plans at least 6
cycles every 21 days, rolling, -3/+3 local days. Local days are Asia/Shanghai's (UTC+8): a
window "opens 29 Nov" opens at 29 Nov 00:00 local = 28 Nov 16:00 UTC, and a window that
"closes 3 Dec" has closed at 3 Dec 00:00 local (its last allowed minute is 2 Dec 23:59).

The clock starts on Monday 23 November 2026 at 08:30 local. :func:`give` prepares an
infusion from the clock's time T and starts it at T+35, so an infusion "given on a day"
starts at 09:05 local that day.
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from infusion_app.logic import messages as m
from infusion_app.logic.course import CourseRefused, PlanStatus
from infusion_app.logic.errors import InputError
from infusion_app.services import course_acts
from infusion_app.services.context import NotAuthorised
from infusion_app.services.patient_view import patient_view
from infusion_app.store.models import Event
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.services.course_steps import (
    course_of,
    enrolled,
    give,
    local,
    new_infusion,
    ready_to_start,
    registered,
    run_to_the_end,
    start,
)
from tests.stored import stored_events


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(2026, 11, 23, 8, 30))  # a Monday


def event_count(ctx) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def window(plan, number: int) -> tuple[date | None, object, object, PlanStatus]:
    planned = plan.infusion(number)
    return planned.target, planned.opens, planned.closes, planned.status


def started_payload(ctx, infusion_id: int) -> dict:
    started = next(e for e in stored_events(ctx, infusion_id) if e.type == "infusion_started")
    return json.loads(started.payload)


def test_group_c_weekly_plan_a_refused_early_start_and_a_late_one_with_its_reason(
    ctx, staff, clock
):
    enrolled(ctx, staff, "P001", "ucmsc-cart-cytopenia", "C")
    give(ctx, staff, clock, "P001", 1)  # Monday 23 Nov, started 09:05 local

    _, plan = course_of(ctx, "P001")
    assert plan.planned_total == 4
    assert [p.number for p in plan.infusions] == [1, 2, 3, 4]
    assert plan.infusion(1).status is PlanStatus.GIVEN
    assert plan.infusion(1).started_at == local(2026, 11, 23, 9, 5)
    # 2: 23 Nov + 7 = Mon 30 Nov, from Sun 29 Nov 00:00 to Thu 3 Dec 00:00 (exclusive)
    assert window(plan, 2) == (
        date(2026, 11, 30),
        local(2026, 11, 29),
        local(2026, 12, 3),
        PlanStatus.PLANNED,
    )
    # 3: 23 Nov + 14 = Mon 7 Dec (6 Dec to 10 Dec); 4: 23 Nov + 21 = Mon 14 Dec (13 to 17 Dec)
    assert window(plan, 3) == (
        date(2026, 12, 7),
        local(2026, 12, 6),
        local(2026, 12, 10),
        PlanStatus.PLANNED,
    )
    assert window(plan, 4) == (
        date(2026, 12, 14),
        local(2026, 12, 13),
        local(2026, 12, 17),
        PlanStatus.PLANNED,
    )

    # Day 5 (Sat 28 Nov, 09:05 local): the nurse would start infusion 2; the plan is checked
    # first, before the bedside's own rules (its dose, checks and premedication)
    clock.now = local(2026, 11, 28, 9, 5)
    second = new_infusion(ctx, staff, "P001", 2)  # a record may be made ahead of the day
    before = event_count(ctx)
    with pytest.raises(CourseRefused) as early:
        start(ctx, staff, second)
    assert early.value.message == m.course_window_not_open(
        number=2, opens=local(2026, 11, 29), target="2026-11-30"
    )
    # a reason does not open a window that has not opened: it is a hard stop
    with pytest.raises(CourseRefused):
        start(ctx, staff, second, deviation_reason="the patient asks to come early")
    assert event_count(ctx) == before  # nothing written
    _, plan = course_of(ctx, "P001")
    assert plan.infusion(2).status is PlanStatus.PLANNED

    # Day 10 (Thu 3 Dec): the window closed at 3 Dec 00:00 local
    clock.now = local(2026, 12, 3, 8, 30)
    _, plan = course_of(ctx, "P001")
    assert plan.infusion(2).status is PlanStatus.MISSED  # closed, still startable with a reason
    ready_to_start(ctx, staff, clock, "P001", second)  # 09:05 local
    with pytest.raises(CourseRefused) as late:
        start(ctx, staff, second)
    assert late.value.message == m.course_window_closed(
        number=2, closed=local(2026, 12, 3), target="2026-11-30"
    )
    why = "fever 38.4 °C on 29 and 30 November: infusion postponed"
    outcome = start(ctx, staff, second, deviation_reason=why)
    assert outcome.state.started_at == local(2026, 12, 3, 9, 5)
    assert started_payload(ctx, second)["schedule_deviation"] == why
    run_to_the_end(ctx, staff, clock, second)

    _, plan = course_of(ctx, "P001")
    assert (plan.infusion(2).status, plan.infusion(2).deviation) == (PlanStatus.GIVEN, why)
    # the next targets roll from the actual date: 3 Dec + 7 = Thu 10 Dec (9 to 13 Dec),
    # 3 Dec + 14 = Thu 17 Dec (16 to 20 Dec)
    assert window(plan, 3)[:3] == (date(2026, 12, 10), local(2026, 12, 9), local(2026, 12, 13))
    assert window(plan, 4)[:3] == (date(2026, 12, 17), local(2026, 12, 16), local(2026, 12, 20))

    clock.now = local(2026, 12, 10, 8, 30)
    third = give(ctx, staff, clock, "P001", 3)
    clock.now = local(2026, 12, 17, 8, 30)
    give(ctx, staff, clock, "P001", 4)
    assert "schedule_deviation" not in started_payload(ctx, third)  # on time: none stored
    _, plan = course_of(ctx, "P001")
    assert [p.status for p in plan.infusions] == [PlanStatus.GIVEN] * 4
    assert [p.deviation for p in plan.infusions] == [None, why, None, None]

    before = event_count(ctx)
    with pytest.raises(CourseRefused) as fifth:
        new_infusion(ctx, staff, "P001", 5)
    assert str(fifth.value) == ("group C plans 4 infusions; this would be the 5th for patient P001")
    with pytest.raises(CourseRefused, match="this would be the 99th"):
        new_infusion(ctx, staff, "P001", 99)
    # the bags registered for them stay unbound: only their registration and release
    assert event_count(ctx) == before + 2 * 3


def test_group_a_plans_one_infusion(ctx, staff, clock):
    enrolled(ctx, staff, "P002", "ucmsc-cart-cytopenia", "A")
    give(ctx, staff, clock, "P002", 1)
    _, plan = course_of(ctx, "P002")
    assert (plan.planned_total, [p.number for p in plan.infusions]) == (1, [1])
    clock.now = local(2026, 11, 30, 8, 30)  # a week later
    with pytest.raises(CourseRefused) as second:
        new_infusion(ctx, staff, "P002", 2)
    assert str(second.value) == "group A plans 1 infusion; this would be the 2nd for patient P002"
    assert second.value.message.code == "course_beyond_plan"


def test_crc_seven_cycles_roll_from_the_actual_dates_with_a_level_change_at_cycle_3(
    ctx, staff, clock
):
    enrolled(ctx, staff, "P003", "msc-l-crc", "2")
    give(ctx, staff, clock, "P003", 1)  # Monday 23 Nov 2026, 09:05 local

    _, plan = course_of(ctx, "P003")
    assert (plan.planned_total, plan.min_infusions) == (None, 6)
    # at least 6: the plan shows cycles 1-6 while fewer were given
    assert [p.number for p in plan.infusions] == [1, 2, 3, 4, 5, 6]
    # cycle 2: 23 Nov + 21 = Mon 14 Dec, from Fri 11 Dec 00:00 to Fri 18 Dec 00:00 local
    assert window(plan, 2) == (
        date(2026, 12, 14),
        local(2026, 12, 11),
        local(2026, 12, 18),
        PlanStatus.PLANNED,
    )

    # Cycle 2 early, at the window's first minute. Prepared from 10 Dec 23:24 local, ready
    # at 23:59: one minute before the window opens, refused; at 00:00 on 11 Dec, started.
    clock.now = local(2026, 12, 10, 23, 24)
    cycle2 = new_infusion(ctx, staff, "P003", 2)
    ready_to_start(ctx, staff, clock, "P003", cycle2)
    assert clock() == local(2026, 12, 10, 23, 59)
    with pytest.raises(CourseRefused) as early:
        start(ctx, staff, cycle2)
    assert early.value.message == m.course_window_not_open(
        number=2, opens=local(2026, 12, 11), target="2026-12-14"
    )
    clock.advance(minutes=1)
    start(ctx, staff, cycle2)
    assert "schedule_deviation" not in started_payload(ctx, cycle2)  # inside the window
    run_to_the_end(ctx, staff, clock, cycle2)

    # the next target rolls from the actual date: 11 Dec + 21 = Fri 1 Jan 2027 (not 4 Jan,
    # which 14 Dec + 21 would give), from Tue 29 Dec 00:00 to Tue 5 Jan 00:00 local
    _, plan = course_of(ctx, "P003")
    assert window(plan, 3) == (
        date(2027, 1, 1),
        local(2026, 12, 29),
        local(2027, 1, 5),
        PlanStatus.PLANNED,
    )

    # 20 Dec: the investigator lowers the level from cycle 3 on (a de-escalation)
    clock.now = local(2026, 12, 20, 10, 0)
    why = "grade 3 neutrophil count decreased after cycle 2"
    before = event_count(ctx)
    with pytest.raises(CourseRefused) as retro:  # never retroactive: cycle 2 exists
        course_acts.change_dose_level(
            ctx,
            staff.investigator,
            "P003",
            to_level="1",
            from_infusion=2,
            reason=why,
            password=PASSWORD,
        )
    assert retro.value.message == m.course_change_not_retroactive(
        patient="P003", highest=2, next_number=3, from_infusion=2
    )
    assert event_count(ctx) == before
    course_acts.change_dose_level(
        ctx,
        staff.investigator,
        "P003",
        to_level="1",
        from_infusion=3,
        reason=why,
        password=PASSWORD,
    )
    changed, signed = patient_events(ctx, "P003")[-2:]
    assert (changed.type, json.loads(changed.payload)) == (
        "dose_level_changed",
        {"from_level": "2", "to_level": "1", "from_infusion": 3, "reason": why},
    )
    signature = json.loads(signed.payload)
    assert (signed.type, signature["meaning"], signature["signed_seq"]) == (
        "signature",
        "approved",
        changed.seq,
    )
    assert signature["printed_name"] == "Ivan Investigator"

    # Cycle 3 late, at the window's last minute. Prepared from 4 Jan 23:25 local, ready at
    # 5 Jan 00:00: the window has just closed (a start now needs a reason); the nurse had
    # started at 23:59 and enters it a minute later: inside, no deviation.
    clock.now = local(2027, 1, 4, 23, 25)
    cycle3 = new_infusion(ctx, staff, "P003", 3)
    created = json.loads(stored_events(ctx, cycle3)[0].payload)
    assert created["dose_level"] == "1"  # the new level, fixed when the record was made
    ready_to_start(ctx, staff, clock, "P003", cycle3)
    assert clock() == local(2027, 1, 5, 0, 0)
    with pytest.raises(CourseRefused) as closed:
        start(ctx, staff, cycle3)
    assert closed.value.message == m.course_window_closed(
        number=3, closed=local(2027, 1, 5), target="2027-01-01"
    )
    start(ctx, staff, cycle3, at=local(2027, 1, 4, 23, 59))
    assert "schedule_deviation" not in started_payload(ctx, cycle3)
    run_to_the_end(ctx, staff, clock, cycle3)
    # the dose follows each infusion's own level: 63.5 kg × 2 × 10^6 /kg = 1.27 × 10^8 cells
    # for cycles 1-2 (level 2), 63.5 kg × 1 × 10^6 /kg = 6.35 × 10^7 cells for cycle 3
    assert [dose_of(ctx, i) for i in (cycle2, cycle3)] == [
        ("2", "1.27 × 10^8 cells"),
        ("1", "6.35 × 10^7 cells"),
    ]

    # cycle 4 rolls from cycle 3's local date, 4 Jan (started 23:59 that day): + 21 =
    # Mon 25 Jan; then on time: 25 Jan + 21 = 15 Feb, + 21 = 8 Mar, + 21 = 29 Mar
    expected = {
        4: date(2027, 1, 25),
        5: date(2027, 2, 15),
        6: date(2027, 3, 8),
        7: date(2027, 3, 29),
    }
    for number, target in expected.items():
        _, plan = course_of(ctx, "P003")
        assert plan.infusion(number).target == target, number
        clock.now = local(target.year, target.month, target.day, 8, 30)
        give(ctx, staff, clock, "P003", number)

    facts, plan = course_of(ctx, "P003")
    # seven given and the next one shown: 29 Mar + 21 = Mon 19 Apr, 16 Apr to 23 Apr
    assert [p.number for p in plan.infusions] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [p.status for p in plan.infusions] == [PlanStatus.GIVEN] * 7 + [PlanStatus.PLANNED]
    assert window(plan, 8)[:3] == (date(2027, 4, 19), local(2027, 4, 16), local(2027, 4, 23))
    assert [p.level for p in plan.infusions] == ["2", "2", "1", "1", "1", "1", "1", "1"]
    assert str(plan.of_text(7)) == "cycle 7 (at least 6)"
    assert facts.level_for(2) == "2" and facts.level_for(3) == "1"

    # no 99th cycle: the next is 8
    with pytest.raises(CourseRefused) as far:
        new_infusion(ctx, staff, "P003", 99)
    assert far.value.message == m.course_next_number(patient="P003", expected=8, number=99)


def test_a_level_change_fits_the_new_groups_plan_and_the_course_still_ends(ctx, staff, clock):
    """A change applies from the next infusion and the new group must plan it. Refused ones
    write nothing (no entry, no signature); the allowed C -> B from infusion 2 leaves a course
    of 2 whose last infusion is known, so the DLT window and the follow-up close."""
    enrolled(ctx, staff, "P007", "ucmsc-cart-cytopenia", "C")
    give(ctx, staff, clock, "P007", 1)  # Mon 23 Nov, started 09:05 local

    def change(to_level: str, from_infusion: int) -> None:
        course_acts.change_dose_level(
            ctx,
            staff.investigator,
            "P007",
            to_level=to_level,
            from_infusion=from_infusion,
            reason="platelets still low",
            password=PASSWORD,
        )

    before = event_count(ctx)
    with pytest.raises(CourseRefused) as to_a:  # group A plans 1: infusion 2 has no place
        change("A", 2)
    assert to_a.value.message == m.course_change_beyond_level(
        level="A", planned=1, noun=m.noun_infusion(), from_infusion=2, patient="P007"
    )
    for further in (3, 999):  # the next infusion is 2
        with pytest.raises(CourseRefused) as far:
            change("B", further)
        assert far.value.message == m.course_change_not_next(
            patient="P007", next_number=2, from_infusion=further
        )
    assert event_count(ctx) == before

    change("B", 2)
    # infusion 2 on its target, Mon 30 Nov (23 Nov + 7), started 09:05 local
    clock.now = local(2026, 11, 30, 8, 30)
    give(ctx, staff, clock, "P007", 2)
    _, plan = course_of(ctx, "P007")
    assert plan.planned_total == 2 and [p.level for p in plan.infusions] == ["C", "B"]
    assert [str(plan.of_text(p.number)) for p in plan.infusions] == [
        "infusion 1 of 2",
        "infusion 2 of 2",
    ]
    with pytest.raises(CourseRefused) as third:
        new_infusion(ctx, staff, "P007", 3)
    assert str(third.value) == "group B plans 2 infusions; this would be the 3rd for patient P007"
    view = patient_view(ctx, "P007")
    # the DLT window: 28 days after infusion 2's start = Mon 28 Dec 09:05 local; the
    # follow-up: 168 days after it = Mon 17 May 2027 09:05 local
    assert view.dlt_window is not None
    assert (view.dlt_window.opens, view.dlt_window.closes) == (
        local(2026, 11, 23, 9, 5),
        local(2026, 12, 28, 9, 5),
    )
    assert view.follow_up.closes == local(2027, 5, 17, 9, 5)
    # the haematological assessments count from it: weeks 4 and 8 = 28 Dec and 25 Jan
    haem = {r.key: r.target for r in view.calendar if r.key.startswith("haem_response")}
    assert haem == {
        "haem_response:28d": local(2026, 12, 28),
        "haem_response:56d": local(2027, 1, 25),
    }
    # a later change has no infusion left to reach
    with pytest.raises(CourseRefused, match="has had all 2 planned infusions"):
        change("C", 3)


def patient_events(ctx, trial_id: str):
    from infusion_app.logic.event_types import patient_stream
    from infusion_app.store.models import Stream

    with ctx.db.read() as session:
        stream = session.scalars(
            select(Stream).where(Stream.name == patient_stream(trial_id))
        ).one()
        rows = session.scalars(
            select(Event).where(Event.stream_id == stream.id).order_by(Event.seq)
        ).all()
        return [SimpleNamespace(seq=r.seq, type=r.type, payload=r.payload) for r in rows]


def dose_of(ctx, infusion_id: int) -> tuple[str, str]:
    dose = next(e for e in stored_events(ctx, infusion_id) if e.type == "dose_calculated")
    payload = json.loads(dose.payload)
    return payload["dose_level"], payload["target_cells_text"]


def test_enrolment_once_by_an_investigator_at_a_known_level(ctx, staff, clock):
    enrolled(ctx, staff, "P004", "ucmsc-cart-cytopenia", "B")
    patients_row_level = course_of(ctx, "P004")[0].enrolment
    assert patients_row_level is not None and patients_row_level.dose_level == "B"
    before = event_count(ctx)
    with pytest.raises(CourseRefused) as twice:
        course_acts.enrol_patient(
            ctx, staff.investigator, "P004", dose_level="C", password=PASSWORD
        )
    assert twice.value.message == m.course_enrolled_already(
        patient="P004", at=local(2026, 11, 23, 8, 30)
    )
    registered(ctx, staff, "P005", "ucmsc-cart-cytopenia", "A")
    before = event_count(ctx)
    with pytest.raises(NotAuthorised, match="a nurse may not enrol a patient"):
        course_acts.enrol_patient(ctx, staff.nurse, "P005", dose_level="A", password=PASSWORD)
    with pytest.raises(InputError, match="dose level"):
        course_acts.enrol_patient(
            ctx, staff.investigator, "P005", dose_level="D", password=PASSWORD
        )
    assert event_count(ctx) == before
    # not enrolled: no infusion record yet
    with pytest.raises(CourseRefused) as not_yet:
        new_infusion(ctx, staff, "P005", 1)
    assert not_yet.value.message == m.course_not_enrolled(patient="P005")


def test_end_of_treatment_checks_its_reason_and_refuses_further_infusions(ctx, staff, clock):
    enrolled(ctx, staff, "P006", "ucmsc-cart-cytopenia", "C")
    first = new_infusion(ctx, staff, "P006", 1)
    ready_to_start(ctx, staff, clock, "P006", first)
    start(ctx, staff, first)  # 09:05 local
    before = event_count(ctx)
    with pytest.raises(CourseRefused) as running:  # not while infusion 1 runs
        course_acts.end_treatment(
            ctx, staff.investigator, "P006", reason="toxicity", password=PASSWORD
        )
    assert running.value.message == m.course_end_while_running(patient="P006", number=1)
    run_to_the_end(ctx, staff, clock, first)
    before = event_count(ctx)
    with pytest.raises(InputError) as unknown:
        course_acts.end_treatment(
            ctx, staff.investigator, "P006", reason="bored", password=PASSWORD
        )
    assert str(unknown.value) == (
        "reason: must be one of completed, toxicity, progression, withdrawal, death, other, "
        "got 'bored'"
    )
    with pytest.raises(InputError, match="details: say what the other reason is"):
        course_acts.end_treatment(
            ctx, staff.investigator, "P006", reason="other", password=PASSWORD
        )
    with pytest.raises(NotAuthorised):
        course_acts.end_treatment(ctx, staff.nurse, "P006", reason="toxicity", password=PASSWORD)
    assert event_count(ctx) == before

    course_acts.end_treatment(
        ctx,
        staff.investigator,
        "P006",
        reason="Toxicity",  # any case
        details="grade 4 platelet count decreased",
        password=PASSWORD,
    )
    facts, plan = course_of(ctx, "P006")
    assert facts.end is not None and facts.end.reason.value == "toxicity"
    # infusions 2-4 of group C will not be given
    assert [p.status for p in plan.infusions] == [PlanStatus.GIVEN] + [PlanStatus.NOT_GIVEN] * 3
    assert plan.infusion(2).not_given_reason == m.course_treatment_ended(
        reason=m.value_of("end_reason", "toxicity"), at=clock()
    )
    clock.now = local(2026, 11, 30, 8, 30)
    with pytest.raises(CourseRefused) as ended:
        new_infusion(ctx, staff, "P006", 2)
    assert ended.value.message.code == "course_ended_no_more"
    with pytest.raises(CourseRefused, match="ended already"):
        course_acts.end_treatment(
            ctx, staff.investigator, "P006", reason="completed", password=PASSWORD
        )
    with pytest.raises(CourseRefused) as no_change:
        course_acts.change_dose_level(
            ctx,
            staff.investigator,
            "P006",
            to_level="B",
            from_infusion=2,
            reason="x",
            password=PASSWORD,
        )
    assert no_change.value.message.code == "course_ended_no_more"
