"""Recording the calendar: visits and checks (``record_visit``), samples (``collect_sample``),
on SQLite and PostgreSQL. Times: see tests/services/calendar_world.py (clock 21 Nov 2026
08:00 UTC = 16:00 Shanghai; infusion 1 starts 08:35 UTC, ends 09:25 UTC)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infusion_app.logic.course import CalendarStatus, CourseRefused
from infusion_app.logic.errors import InputError
from infusion_app.services import calendar_acts
from infusion_app.services.patients import find_patient
from infusion_app.services.status import load_events
from infusion_app.texts.english import render
from tests.services.calendar_world import give_infusion, local, occurrences


def patient_events(ctx) -> list[str]:
    with ctx.db.read() as session:
        patient = find_patient(session, "P001")
        return [e.type.value for e in load_events(session, patient.stream_id)]


def refused(call) -> str:
    with pytest.raises(CourseRefused) as error:
        call()
    return render(error.value.message)


def test_a_visit_before_its_window_missed_after_it_then_late_with_a_reason(
    ctx, staff, clock, infusion_id
) -> None:
    give_infusion(ctx, staff, infusion_id, clock)
    # first infusion started 21 Nov 16:35 local: week 1's visit is on 28 Nov, window -1/+1
    # day: open from 27 Nov 00:00 local (26 Nov 16:00 UTC) to 30 Nov 00:00 local (29 Nov
    # 16:00 UTC)
    key = "follow_up_weekly:7d"
    clock.now = local("2026-11-26", "23:59")
    before = patient_events(ctx)
    said = refused(lambda: calendar_acts.record_visit(ctx, staff.nurse, "P001", key))
    assert said == f"{key}: its window opens at 2026-11-27 00:00 UTC+08:00"
    assert patient_events(ctx) == before  # refused: nothing written
    assert occurrences(ctx)[key].status is CalendarStatus.UPCOMING

    clock.now = local("2026-11-30")  # the first instant after the window
    assert occurrences(ctx)[key].status is CalendarStatus.MISSED
    said = refused(lambda: calendar_acts.record_visit(ctx, staff.nurse, "P001", key))
    assert said.startswith(f"{key}: its window closed at 2026-11-30 00:00 UTC+08:00")
    done = calendar_acts.record_visit(
        ctx, staff.nurse, "P001", key, reason="patient came back a day late", note="well"
    )
    assert done.status is CalendarStatus.LATE
    shown = occurrences(ctx)[key]  # read back from the log
    assert shown.status is CalendarStatus.LATE and shown.record is not None
    assert (shown.record.by, shown.record.at, shown.record.recorded_at) == (
        "nurse",
        local("2026-11-30"),
        local("2026-11-30"),
    )
    assert (shown.record.reason, shown.record.note) == ("patient came back a day late", "well")
    assert patient_events(ctx)[-1] == "visit_recorded"


def test_a_visit_in_its_window_is_done(ctx, staff, clock, infusion_id) -> None:
    give_infusion(ctx, staff, infusion_id, clock)
    clock.now = local("2026-11-28", "10:00")  # week 1's visit day
    done = calendar_acts.record_visit(ctx, staff.investigator, "P001", "follow_up_weekly:7d")
    assert done.status is CalendarStatus.DONE
    assert done.record is not None and done.record.by == "investigator"


def test_a_sample_recorded_twice_is_refused(ctx, staff, clock, registered) -> None:
    # the baseline sample belongs before the first infusion: due from enrolment
    key = "immunology_baseline:0d"
    assert occurrences(ctx)[key].status is CalendarStatus.DUE
    clock.advance(minutes=10)
    taken = calendar_acts.collect_sample(ctx, staff.nurse, "P001", key, sample_id="IMM-0001")
    assert taken.status is CalendarStatus.DONE
    assert taken.record is not None and taken.record.sample_id == "IMM-0001"
    clock.advance(minutes=10)
    before = patient_events(ctx)
    said = refused(
        lambda: calendar_acts.collect_sample(ctx, staff.nurse, "P001", key, sample_id="IMM-2")
    )
    assert said == f"{key} was recorded already (at 2026-11-21 08:10 UTC)"
    assert patient_events(ctx) == before


def test_a_sample_is_not_a_visit(ctx, staff, registered) -> None:
    said = refused(
        lambda: calendar_acts.record_visit(ctx, staff.nurse, "P001", "immunology_baseline:0d")
    )
    assert said.startswith("immunology_baseline:0d is a sample")
    said = refused(lambda: calendar_acts.collect_sample(ctx, staff.nurse, "P001", "nothing:1d"))
    assert said.startswith("patient P001 has no calendar item nothing:1d")


def test_a_visit_whose_anchor_has_not_happened_is_refused(ctx, staff, registered) -> None:
    said = refused(
        lambda: calendar_acts.record_visit(ctx, staff.nurse, "P001", "follow_up_weekly:7d")
    )
    assert said.startswith("follow_up_weekly:7d: its window counts from the first_infusion")


def test_back_entry_rules(ctx, staff, clock, registered) -> None:
    key = "immunology_baseline:0d"
    clock.advance(days=9)  # 30 Nov 08:00 UTC; the baseline sample is still due
    now = clock.now
    with pytest.raises(InputError, match=r"^at: .* is in the future"):
        calendar_acts.collect_sample(ctx, staff.nurse, "P001", key, at=now + timedelta(hours=1))
    # the protocol's back-entry limit is 7 days
    with pytest.raises(InputError, match=r"^at: .* is more than 7 days back"):
        calendar_acts.collect_sample(ctx, staff.nurse, "P001", key, at=now - timedelta(days=8))
    # more than 5 min back needs a reason
    with pytest.raises(InputError, match=r"^reason: is required"):
        calendar_acts.collect_sample(ctx, staff.nurse, "P001", key, at=now - timedelta(minutes=10))
    taken = calendar_acts.collect_sample(
        ctx,
        staff.nurse,
        "P001",
        key,
        at=now - timedelta(minutes=10),
        reason="network down at the bedside",
    )
    assert taken.record is not None
    assert (taken.record.at, taken.record.recorded_at) == (now - timedelta(minutes=10), now)
    assert taken.record.reason == "network down at the bedside"


def test_not_before_enrolment(ctx, staff, clock, registered) -> None:
    clock.advance(hours=1)
    with pytest.raises(InputError, match=r"^at: .* is before the course began"):
        calendar_acts.collect_sample(
            ctx,
            staff.nurse,
            "P001",
            "immunology_baseline:0d",
            at=clock.now - timedelta(hours=2),
            reason="paper form",
        )


def test_bad_text_is_refused_before_the_database(ctx, staff, registered) -> None:
    before = patient_events(ctx)
    with pytest.raises(InputError, match=r"^sample_id: "):
        calendar_acts.collect_sample(
            ctx, staff.nurse, "P001", "immunology_baseline:0d", sample_id="x" * 201
        )
    with pytest.raises(InputError, match=r"^item: "):
        calendar_acts.record_visit(ctx, staff.nurse, "P001", "  ")
    assert patient_events(ctx) == before
