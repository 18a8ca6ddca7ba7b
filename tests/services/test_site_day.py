"""The site's day: today's infusions, calendar items due or overdue, and every open SAE report,
for every patient. Times: see tests/services/calendar_world.py (infusion 1 of P001 ends
21 Nov 2026 09:25 UTC, its observation 11:25 UTC)."""

from __future__ import annotations

from datetime import timedelta

from infusion_app.logic.course import CalendarStatus
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import AdverseEventRecorded, SaeReported
from infusion_app.logic.roles import Action
from infusion_app.services import bedside, calendar_acts
from infusion_app.services.authorisation import require
from infusion_app.services.integrity import transaction
from infusion_app.services.site_day import site_day
from infusion_app.store.eventlog import append_event
from tests.services.calendar_world import end_infusion, give_infusion, occurrences

ACUTE = "acute_check:1:24h"


def calendar_keys(day) -> dict[str, CalendarStatus]:
    return {row.key: row.status for row in day.calendar}


def test_an_enrolled_patient_before_the_first_infusion(ctx, staff, clock, infusion_id) -> None:
    day = site_day(ctx)
    assert [(r.trial_id, r.number) for r in day.infusions] == [("P001", 1)]
    # the baseline sample is due from enrolment; nothing else has a date yet
    assert calendar_keys(day) == {"immunology_baseline:0d": CalendarStatus.DUE}
    assert day.sae_reports == ()


def test_the_acute_check_is_overdue_at_its_windows_end(ctx, staff, clock, infusion_id) -> None:
    give_infusion(ctx, staff, infusion_id, clock)
    # ended 21 Nov 09:25 UTC: the 24-hour check is due 22 Nov 09:25, window -2/+4 hours:
    # open 07:25 to 13:25 UTC
    end = clock.now.replace(hour=9, minute=25)
    # the day is the protocol's local day: 22 Nov local begins 21 Nov 16:00 UTC
    clock.now = end.replace(hour=15, minute=59)  # 21 Nov 23:59 local: opens tomorrow
    assert ACUTE not in calendar_keys(site_day(ctx))
    clock.now = end.replace(hour=16, minute=0)  # 22 Nov 00:00 local: opens today
    assert calendar_keys(site_day(ctx))[ACUTE] is CalendarStatus.UPCOMING
    clock.now = end + timedelta(hours=28) - timedelta(seconds=1)  # 13:24:59
    row = next(r for r in site_day(ctx).calendar if r.key == ACUTE)
    assert (row.status, row.overdue) == (CalendarStatus.DUE, False)
    clock.now = end + timedelta(hours=28)  # 13:25: its window's end
    day = site_day(ctx)
    row = next(r for r in day.calendar if r.key == ACUTE)
    assert (row.status, row.overdue) == (CalendarStatus.MISSED, True)
    # overdue first, the earliest closed first: the baseline sample not taken (window to
    # 22 Nov 00:00 local, the day after the first infusion), then the acute check
    assert [(r.key, r.overdue) for r in day.calendar[:2]] == [
        ("immunology_baseline:0d", True),
        (ACUTE, True),
    ]
    assert not any(r.overdue for r in day.calendar[2:])
    assert occurrences(ctx)[ACUTE].status is CalendarStatus.MISSED
    # on the list as long as it may still be entered late: the 7-day back-entry limit
    clock.now = end + timedelta(hours=28, days=7)
    assert ACUTE in calendar_keys(site_day(ctx))
    clock.now = end + timedelta(hours=28, days=7, seconds=1)
    assert ACUTE not in calendar_keys(site_day(ctx))
    assert occurrences(ctx)[ACUTE].status is CalendarStatus.MISSED  # still on the calendar


def test_recorded_it_leaves_the_list(ctx, staff, clock, infusion_id) -> None:
    give_infusion(ctx, staff, infusion_id, clock)
    clock.advance(hours=23)  # 22 Nov 10:25 UTC, inside the window
    assert ACUTE in calendar_keys(site_day(ctx))
    calendar_acts.record_visit(ctx, staff.nurse, "P001", ACUTE, note="no reaction")
    assert ACUTE not in calendar_keys(site_day(ctx))
    assert occurrences(ctx)[ACUTE].status is CalendarStatus.DONE


def test_the_sae_report_stays_after_the_infusion_and_its_observation(
    ctx, staff, clock, infusion_id
) -> None:
    end_infusion(ctx, staff, infusion_id, clock)  # 09:25
    serious = bedside.record_adverse_event(
        ctx,
        staff.nurse,
        infusion_id,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    # aware at 09:25: the report is due 24 hours later (sae_report_h), 22 Nov 09:25 UTC
    due = clock.now + timedelta(hours=24)
    clock.advance(minutes=120)
    bedside.end_observation(ctx, staff.nurse, infusion_id)
    clock.advance(days=2)  # 23 Nov 11:25: not today's infusion any more
    day = site_day(ctx)
    assert day.infusions == ()
    [row] = day.sae_reports
    assert (row.trial_id, row.stream, row.infusion_id, row.adverse_event_seq) == (
        "P001",
        "infusion:P001/1",
        infusion_id,
        serious.seq,
    )
    assert (row.term, row.grade, row.due_at, row.overdue) == ("Hypotension", 3, due, True)
    bedside.report_sae(ctx, staff.nurse, infusion_id, serious.seq)
    assert site_day(ctx).sae_reports == ()


def test_an_sae_of_the_patients_own_stream(ctx, staff, clock, registered) -> None:
    """Recorded against the patient (not an infusion), it is on the list until reported."""
    clock.advance(days=3)
    aware = clock.now
    seq = _on_patient_stream(
        ctx,
        staff,
        AdverseEventRecorded(
            term="Platelet count decreased",
            other_term=None,
            grade=4,
            started_at=aware,
            aware_at=aware,
            attribution="possible",
            serious=True,
            action_taken="none",
            outcome="not recovered / ongoing",
            description=None,
            fever_grade_suggested=None,
            dlt=False,
            report_due_at=aware + timedelta(hours=24),
        ),
    )
    clock.advance(hours=1)
    [row] = site_day(ctx).sae_reports
    assert (row.stream, row.infusion_id, row.adverse_event_seq) == ("patient:P001", None, seq)
    assert (row.term, row.grade, row.overdue) == ("Platelet count decreased", 4, False)
    clock.advance(hours=23)  # the deadline
    assert site_day(ctx).sae_reports[0].overdue
    _on_patient_stream(ctx, staff, SaeReported(adverse_event_seq=seq))
    assert site_day(ctx).sae_reports == ()


def _on_patient_stream(ctx, staff, model) -> int:
    """What the patient's AE acts (another part of issue 14) write, appended as they would."""
    now = ctx.now()
    with transaction(ctx) as session:
        user = require(session, staff.nurse, Action.RECORD_ADVERSE_EVENT, now)
        return append_event(
            session,
            patient_stream("P001"),
            model.TYPE,
            model,
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=now,
        ).seq


def test_a_search_narrows_every_list(ctx, staff, clock, infusion_id) -> None:
    assert site_day(ctx, trial_id="P00").calendar
    day = site_day(ctx, trial_id="P999")
    assert (day.infusions, day.calendar, day.sae_reports) == ((), (), ())
