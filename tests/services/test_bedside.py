"""A whole infusion through the services, on SQLite and on PostgreSQL.

Times are the test clock's (08:00 UTC at the start); the hand-worked plan is the one of
tests/logic/test_infusion_workflow.py (100 mL, rate step to 40 gtt/min, 57.5 min).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.errors import InputError
from infusion_app.logic.infusion_state import Status, Step
from infusion_app.logic.transitions import ActionRefused
from infusion_app.services import audit, bedside, infusions, products
from infusion_app.services.bedside import HardStop
from infusion_app.services.context import AuthenticationFailed, NotAuthorised
from infusion_app.services.status import find_infusion, infusion_status
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.stored import stored_events


def event_types(ctx, infusion_id):
    return [e.type for e in stored_events(ctx, infusion_id)]


def test_a_whole_infusion(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    start_of_day = clock.now
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=8)  # 08:18
    before = event_types(ctx, infusion_id)
    with pytest.raises(ActionRefused, match="start blocked: 12 min left of the 30 min after"):
        bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)
    assert event_types(ctx, infusion_id) == before  # refused: nothing written
    clock.advance(minutes=17)  # 08:35
    started = bedside.start_infusion(
        ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20
    )
    assert started.state.started_at == start_of_day + timedelta(minutes=35)
    assert [s.meaning for s in started.state.signatures][-1] == "administered"
    clock.advance(minutes=5)  # 08:40
    status = infusion_status(ctx, infusion_id)
    due = {item.kind: item.due_at for item in status.due}
    assert due["rate_step"] == due["vitals"] == start_of_day + timedelta(minutes=50)
    clock.advance(minutes=10)  # 08:50
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    for minutes in (2, 15, 15):  # 08:52, 09:07, 09:22
        clock.advance(minutes=minutes)
        bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=3)  # 09:25: 50 min after the start
    ended = bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    assert ended.state.step is Step.END
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=119)  # 11:24
    with pytest.raises(ActionRefused, match="1 min left of the 120 min observation"):
        bedside.end_observation(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=1)  # 11:25
    done = bedside.end_observation(ctx, staff.nurse, infusion_id)
    assert done.state.status is Status.OBSERVATION_COMPLETE
    status = infusion_status(ctx, infusion_id)
    assert status.state == done.state
    assert status.due == ()  # the 24-hour check is on the patient's calendar (site day)
    assert audit.verify_log(ctx, infusion_id).ok
    assert find_infusion(ctx, "P001/1") == infusion_id


def test_a_wrong_bag_is_a_recorded_hard_stop(ctx, staff, infusion_id):
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )
    with pytest.raises(
        HardStop,
        match="bag UC-MSC-2026-0002 is not this infusion's product "
        "UC-MSC-2026-0001 \\(it belongs to patient P001\\)",
    ):
        bedside.check_identity(
            ctx,
            staff.nurse,
            infusion_id,
            trial_id="P001",
            initials="WL",
            product_id="UC-MSC-2026-0002",
        )
    state = infusion_status(ctx, infusion_id).state
    assert (state.failed_checks, state.identity_checked_at) == (1, None)
    assert event_types(ctx, infusion_id)[-1] == "check_failed"


def test_the_wrong_patient_is_a_hard_stop(ctx, staff, infusion_id):
    with pytest.raises(HardStop, match="initials XY do not match the patient"):
        bedside.check_identity(
            ctx,
            staff.nurse,
            infusion_id,
            trial_id="P001",
            initials="XY",
            product_id="UC-MSC-2026-0001",
        )
    with pytest.raises(HardStop, match="wristband MSC\\|P002\\|WL is not patient P001"):
        bedside.check_identity(
            ctx, staff.nurse, infusion_id, wristband="MSC|P002|WL", product_id="UC-MSC-2026-0001"
        )
    with pytest.raises(InputError, match="give a second identifier"):
        bedside.check_identity(
            ctx, staff.nurse, infusion_id, trial_id="P001", product_id="UC-MSC-2026-0001"
        )


def test_an_unreleased_product_is_a_hard_stop(ctx, staff, registered):
    unreleased = infusions.create_infusion(ctx, staff.nurse, "P001", registered, 1)
    with pytest.raises(HardStop, match="is registered, not released by a pharmacist"):
        bedside.check_identity(
            ctx, staff.nurse, unreleased, wristband="MSC|P001|WL", product_id=registered
        )


def test_the_dose_needs_todays_weight(ctx, staff, infusion_id, clock):
    clock.advance(hours=24, minutes=1)  # weight measured 08:00 yesterday: 24 h 1 min old
    with pytest.raises(InputError, match=r"weight_kg: .* more than 24 h ago: record today's"):
        bedside.calculate_infusion_dose(ctx, staff.pharmacist, infusion_id, final_volume_ml=100)


def test_a_new_weight_after_the_calculation_blocks_the_start(ctx, staff, infusion_id, clock):
    from infusion_app.services import patients

    prepare(ctx, staff, infusion_id)
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=30)
    patients.record_weight(ctx, staff.nurse, "P001", "61.0", clock.now)
    with pytest.raises(
        ActionRefused,
        match=r"calculated for 63\.5 kg, but a new weight \(61\.0 kg\) was recorded since",
    ):
        bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)


def test_a_wrong_password_signs_nothing(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=30)
    with pytest.raises(AuthenticationFailed):
        bedside.start_infusion(ctx, staff.nurse, infusion_id, "not it", drop_factor_gtt_per_ml=20)
    assert infusion_status(ctx, infusion_id).state.started_at is None


def test_back_entry_needs_a_reason_and_the_future_is_refused(ctx, staff, infusion_id, clock):
    prepare(ctx, staff, infusion_id)
    clock.advance(minutes=30)  # back-entries lie after the patient's registration (08:00)
    earlier = clock.now - timedelta(minutes=20)
    with pytest.raises(InputError, match="reason: is required for an event entered more than"):
        bedside.give_premedication(ctx, staff.nurse, infusion_id, at=earlier)
    with pytest.raises(InputError, match=r"occurred_at: .* is in the future"):
        bedside.give_premedication(
            ctx, staff.nurse, infusion_id, at=clock.now + timedelta(minutes=10)
        )
    given = bedside.give_premedication(
        ctx, staff.nurse, infusion_id, at=earlier, late_reason="network down"
    )
    assert given.state.premedication_at == earlier
    event = stored_events(ctx, infusion_id)[-1]
    assert (event.occurred_at, event.recorded_at, event.reason) == (
        earlier,
        clock.now,
        "network down",
    )


def test_abnormal_vitals_are_saved_and_raise_the_alarm(ctx, staff, infusion_id, clock):
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    outcome = bedside.record_vitals(
        ctx, staff.nurse, infusion_id, {**NORMAL_VITALS, "systolic_mmhg": 85, "diastolic_mmhg": 50}
    )
    # SBP 85 is below the 90 mmHg limit; NEWS2: SBP <= 90 -> 3, the rest 0 -> low-medium
    assert [(a.priority, a.code) for a in outcome.alarms] == [
        ("high", "systolic_mmhg_low"),
        ("medium", "news2"),
    ]
    kinds = [i.kind for i in infusion_status(ctx, infusion_id).due]
    assert kinds[0] == "alarm:systolic_mmhg_low"
    with pytest.raises(InputError, match="heart_rate_bpm: 400 /min is not physiologically"):
        bedside.record_vitals(
            ctx, staff.nurse, infusion_id, {**NORMAL_VITALS, "heart_rate_bpm": 400}
        )


def test_a_fever_is_graded_from_the_temperature_and_a_dlt_flagged(ctx, staff, infusion_id, clock):
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, {**NORMAL_VITALS, "temperature_c": "39.4"})
    outcome = bedside.record_adverse_event(
        ctx, staff.nurse, infusion_id, term="Fever", attribution="probable", serious=False
    )
    entry = outcome.state.adverse_events[-1]
    # 39.4 °C is > 39.0 and <= 40.0: CTCAE grade 2, suggested and used; grade 2 < 3: no DLT
    assert (entry.event.grade, entry.fever_grade_suggested, entry.dlt) == (2, 2, False)
    severe = bedside.record_adverse_event(
        ctx,
        staff.nurse,
        infusion_id,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    entry = severe.state.adverse_events[-1]
    # grade 3, possibly related, 17 min after the first dose (08:35): inside 28 days -> DLT
    assert entry.dlt and entry.report_due_at == clock.now + timedelta(hours=24)


def test_a_correction_is_signed_and_keeps_the_original(ctx, staff, infusion_id, clock):
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    events = stored_events(ctx, infusion_id)
    vitals_seq = events[-1].seq
    outcome = bedside.correct_event(
        ctx,
        staff.nurse,
        infusion_id,
        vitals_seq,
        PASSWORD,
        reason="typed 36.8 for 38.6",
        changes={"temperature_c": "38.6"},
    )
    corrected = next(v for v in outcome.state.vitals if v.seq == vitals_seq)
    # 38.6 °C: NEWS2 temperature 38.1-39.0 -> 1; above the 37.9 limit -> high alarm
    assert (str(corrected.vitals.temperature_c), corrected.news2) == ("38.6", 1)
    assert "temperature_c_high" in [a.code for a in corrected.alarms]
    assert outcome.state.signatures[-1].meaning == "corrected"
    original = [e for e in stored_events(ctx, infusion_id) if e.seq == vitals_seq]
    assert '"temperature_c":"36.8"' in original[0].payload
    assert infusion_status(ctx, infusion_id).state == outcome.state
    with pytest.raises(InputError, match="reason: is required for a correction"):
        bedside.correct_event(
            ctx,
            staff.nurse,
            infusion_id,
            vitals_seq,
            PASSWORD,
            reason=" ",
            changes={"temperature_c": "36.9"},
        )


def test_a_correction_that_breaks_the_rules_is_refused(ctx, staff, infusion_id, clock):
    run_to_fast_phase(ctx, staff, infusion_id, clock)
    start = next(e for e in stored_events(ctx, infusion_id) if e.type == "infusion_started")
    with pytest.raises(ActionRefused, match="correct: the corrected record would not hold"):
        bedside.correct_event(
            ctx,
            staff.nurse,
            infusion_id,
            start.seq,
            PASSWORD,
            reason="wrong time",
            occurred_at=start.occurred_at - timedelta(minutes=20),  # before premed + 30
        )


def test_a_monitor_cannot_act_at_the_bedside(ctx, staff, infusion_id):
    with pytest.raises(NotAuthorised):
        bedside.give_premedication(ctx, staff.monitor, infusion_id)
