"""The ward board: every station's infusions in progress, most urgent first, with who is at
the bedside, and the site's day below them; on SQLite and on PostgreSQL (two stations).

Times (tests/services/bedside_steps.py): P001's infusion runs at station ward-3-bed-2 from
08:35, rate step 08:50, vitals 08:52 (next due 09:07); P002 is enrolled at ward-3-bed-5 at
08:52, premedication then, thaw 09:02, start 09:27 (rate step due 09:42).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from infusion_app.logic.alarms import Priority
from infusion_app.logic.infusion_state import Step
from infusion_app.logic.ward_board import Urgency
from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.services.ward_board import BoardRow, ward_board
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import run_to_fast_phase
from tests.services.ward_steps import OTHER_STATION, running_at_the_other_station


@pytest.fixture
def other(ctx: AppContext, database_url, clock) -> Iterator[AppContext]:
    """A second station on the same record: its own engine and connections."""
    station = AppContext(
        db=open_database(database_url, clock()),
        station=OTHER_STATION,
        clock=clock,
        hasher=FAST_HASHER,
    )
    yield station
    station.db.dispose()


@pytest.fixture
def two_stations(ctx, other, staff, clock, infusion_id) -> tuple[int, int]:
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    return infusion_id, running_at_the_other_station(other, staff, clock)


def brief(row: BoardRow) -> tuple[str, str, str, Step, str | None]:
    return (
        row.trial_id,
        row.initials,
        row.station,
        row.step,
        row.next_due.kind if row.next_due else None,
    )


def test_both_stations_infusions_overdue_first(ctx, other, staff, clock, two_stations) -> None:
    board = ward_board(ctx)  # 09:27: P001's vitals were due at 09:07, overdue at 09:12
    assert [brief(r) for r in board.infusions] == [
        ("P001", "WL", "ward-3-bed-2", Step.FAST_PHASE, "vitals"),
        ("P002", "ZQ", OTHER_STATION, Step.SLOW_PHASE, "rate_step"),
    ]
    first, second = board.infusions
    assert (first.urgency, first.overdue) == (Urgency.OVERDUE, True)
    assert [a.priority for a in first.alarms] == [Priority.MEDIUM]
    assert (second.urgency, second.alarms, second.status) == (Urgency.TIMED, (), "running")
    assert second.next_due is not None
    assert second.next_due.due_at == clock.now + timedelta(minutes=15)  # the screen counts
    # both stations read the same board
    assert ward_board(other).infusions == board.infusions
    # the earliest moment the board changes without an entry: P001's expected end comes
    assert board.next_change == clock.now + timedelta(minutes=5, seconds=30)


def test_a_high_alarm_at_the_other_station_comes_first(
    ctx, other, staff, clock, two_stations
) -> None:
    _, p002 = two_stations
    bedside.record_vitals(other, staff.nurse2, p002, {**NORMAL_VITALS, "systolic_mmhg": 80})
    first, second = ward_board(ctx).infusions
    assert (first.trial_id, first.urgency) == ("P002", Urgency.HIGH_ALARM)
    assert [a.priority for a in first.alarms] == [Priority.HIGH, Priority.MEDIUM]  # high first
    assert first.alarms[0].message.code == "board_due"
    assert second.trial_id == "P001"
    # who is at the bedside: the person of the latest entry, where and when it was stored
    assert first.at_bedside is not None
    assert (first.at_bedside.user, first.at_bedside.station, first.at_bedside.at) == (
        "Ning Wang 王宁",
        OTHER_STATION,
        clock.now,
    )
    # acknowledged at the bed, the alarm leaves the board as it leaves the banner
    for alarm in first.alarms:
        bedside.acknowledge_alarm(other, staff.nurse2, p002, key=alarm.key, message="seen")
    assert ward_board(ctx).infusions[0].trial_id == "P001"


def test_soonest_due_first_among_the_timed(ctx, other, staff, clock, two_stations) -> None:
    p001, _ = two_stations
    bedside.record_vitals(ctx, staff.nurse, p001, NORMAL_VITALS)  # 09:27
    board = ward_board(ctx)  # P001's expected end at 09:32:30, P002's rate step at 09:42
    assert [(r.trial_id, r.urgency) for r in board.infusions] == [
        ("P001", Urgency.TIMED),
        ("P002", Urgency.TIMED),
    ]
    clock.advance(minutes=5, seconds=30)
    bedside.end_infusion(ctx, staff.nurse, p001, PASSWORD, volume_infused_ml=100)
    bedside.record_vitals(ctx, staff.nurse, p001, NORMAL_VITALS)  # observation to 11:32:30
    board = ward_board(ctx)
    assert [(r.trial_id, r.step) for r in board.infusions] == [
        ("P002", Step.SLOW_PHASE),
        ("P001", Step.OBSERVATION),
    ]


def test_only_initials_and_the_pharmacist_is_not_at_the_bedside(
    ctx, staff, clock, infusion_id
) -> None:
    """A row names the patient by trial ID and initials only; a dose calculated in the
    pharmacy does not put the pharmacist at the bedside."""
    bedside.calculate_infusion_dose(ctx, staff.pharmacist, infusion_id, final_volume_ml="100")
    [row] = ward_board(ctx).infusions  # prepared today, not started
    assert (row.trial_id, row.initials, row.status) == ("P001", "WL", "not started")
    assert row.at_bedside is None  # created at a desk, calculated in the pharmacy
    bedside.verify_dose(ctx, staff.nurse, infusion_id, PASSWORD)
    [row] = ward_board(ctx).infusions
    assert row.at_bedside is not None and row.at_bedside.user == "Nora Nurse"
    texts = {str(v) for v in vars(row).values()}
    assert not any("Nora" in t or "female" in t for t in texts if t != str(row.at_bedside))


def test_prepared_ones_only_on_their_day_and_done_ones_leave(
    ctx, staff, clock, infusion_id
) -> None:
    assert [r.infusion_id for r in ward_board(ctx).infusions] == [infusion_id]
    assert ward_board(ctx, prepared=False).infusions == ()
    clock.advance(days=2)  # created two days ago and never started: not today's work
    assert ward_board(ctx).infusions == ()
    clock.advance(days=-2)
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    clock.advance(days=2)  # started, never ended: stays on the board whatever the day
    assert [r.infusion_id for r in ward_board(ctx).infusions] == [infusion_id]


def test_the_observation_ends_the_infusions_time_on_the_board(
    ctx, staff, clock, infusion_id
) -> None:
    from tests.services.calendar_world import end_infusion

    end_infusion(ctx, staff, infusion_id, clock)
    [row] = ward_board(ctx).infusions
    assert row.step in (Step.END, Step.OBSERVATION)
    clock.advance(minutes=120)
    bedside.end_observation(ctx, staff.nurse, infusion_id)
    assert ward_board(ctx).infusions == ()


def test_the_days_visits_samples_and_open_sae_reports(ctx, staff, clock, two_stations) -> None:
    p001, _ = two_stations
    serious = bedside.record_adverse_event(
        ctx,
        staff.nurse,
        p001,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    board = ward_board(ctx)
    assert [(r.trial_id, r.key) for r in board.calendar] == [
        ("P001", "immunology_baseline:0d"),
        ("P002", "immunology_baseline:0d"),
    ]
    [report] = board.sae_reports
    assert (report.trial_id, report.initials, report.adverse_event_seq) == (
        "P001",
        "WL",
        serious.seq,
    )
    assert board.infusions[0].trial_id == "P001"  # an SAE to report is a high alarm
    assert board.infusions[0].urgency == Urgency.HIGH_ALARM
