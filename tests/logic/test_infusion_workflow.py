"""The state machine and the schedule with fixed times (no database, no clock).

The drip plan used throughout: a 100 mL bag at 20 gtt/mL. Phase 1 is 20 gtt/min for 15 min
= 300 drops = 15.00 mL; the other 85 mL = 1,700 drops must finish within 60 - 15 = 45 min,
i.e. at least 37.8 gtt/min, so phase 2 takes the lowest whole rate in 40-60: 40 gtt/min,
lasting 1,700 / 40 = 42.5 min. Expected duration 15 + 42.5 = 57.5 min.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import Status, Step
from infusion_app.logic.schedule import due_items
from infusion_app.logic.transitions import ActionRefused, fold
from tests.logic.infusion_log import InfusionLog, t


def due(log: InfusionLog, now):
    return {item.kind: item for item in due_items(log.state, log.protocol, now)}


@pytest.fixture
def log(cart) -> InfusionLog:
    return InfusionLog(cart)


def test_the_issue_timeline(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    # premed 08:00 -> start allowed 08:30 (30 min after dexamethasone)
    assert due(log, t("08:05"))["start_allowed"].due_at == t("08:30")
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    # a start at 08:18 is 12 min early
    with pytest.raises(
        ActionRefused, match="start blocked: 12 min left of the 30 min after dexamethasone"
    ):
        log.started(t("08:18"))
    log.started(t("08:35"))
    # start 08:35 -> rate step 08:50 (15 min slow phase), first vitals 08:50
    items = due(log, t("08:40"))
    assert items["rate_step"].due_at == t("08:50")
    assert items["vitals"].due_at == t("08:50")
    # expected end 08:35 + 57.5 min = 09:32:30
    assert items["expected_end"].due_at == t("09:32") + timedelta(seconds=30)
    log.add(EventType.RATE_CHANGED, t("08:50"), {"rate_gtt_per_min": 40, "no_discomfort": True})
    log.vitals(t("08:52"))
    # vitals 08:52 -> next due 09:07, overdue from 09:12 (5 min grace)
    vitals = due(log, t("09:11") + timedelta(seconds=59))["vitals"]
    assert (vitals.due_at, vitals.overdue_at, vitals.overdue) == (t("09:07"), t("09:12"), False)
    assert vitals.priority == "low"
    late = due(log, t("09:12"))["vitals"]
    assert late.overdue and late.priority == "medium"
    log.vitals(t("09:07"))
    log.vitals(t("09:22"))
    log.add(EventType.INFUSION_ENDED, t("09:25"), {"volume_infused_ml": "100"})
    # end 09:25 -> observation ends 11:25; the checks after it (24 h, weeks 4-24) are the
    # patient's calendar's, not this infusion's items
    items = due(log, t("09:26"))
    assert items["observation_end"].due_at == t("11:25")
    assert items["vitals"].due_at == t("09:25")  # the set at the end
    assert not [kind for kind in items if kind.startswith("follow_up")]
    assert log.state.step is Step.END
    log.vitals(t("09:27"))
    assert log.state.step is Step.OBSERVATION
    # observation sets every 30 min: 09:27 + 30 = 09:57
    assert due(log, t("09:30"))["vitals"].due_at == t("09:57")


def test_steps_follow_the_strip(log):
    steps = [log.created(t("07:00")).step]
    log.dose(t("07:01"))
    log.verified(t("07:02"))
    log.add(EventType.IDENTITY_CHECKED, t("07:03"))
    steps.append(log.vitals(t("07:04")).step)
    steps.append(log.add(EventType.PREMEDICATION_GIVEN, t("08:00")).step)
    steps.append(log.add(EventType.PRODUCT_THAWED, t("08:10")).step)
    steps.append(log.started(t("08:30")).step)
    steps.append(
        log.add(
            EventType.RATE_CHANGED, t("08:45"), {"rate_gtt_per_min": 40, "no_discomfort": True}
        ).step
    )
    steps.append(log.add(EventType.INFUSION_ENDED, t("09:25"), {"volume_infused_ml": "100"}).step)
    steps.append(log.vitals(t("09:26")).step)
    steps.append(log.add(EventType.OBSERVATION_ENDED, t("11:25")).step)
    assert steps == [
        Step.CHECKS,
        Step.PREMEDICATION,
        Step.THAW,
        Step.SLOW_PHASE,
        Step.SLOW_PHASE,
        Step.FAST_PHASE,
        Step.END,
        Step.OBSERVATION,
        Step.DONE,
    ]
    assert log.state.status is Status.OBSERVATION_COMPLETE


@pytest.mark.parametrize(
    ("skip", "message"),
    [
        ("identity", "start blocked: check the patient's and the product's identity first"),
        ("verify", "start blocked: the dose calculation is not verified by a second person"),
        ("vitals", "start blocked: record the baseline vital signs first"),
        ("premed", "start blocked: give dexamethasone 5 mg IV first"),
        ("thaw", "start blocked: record the thaw of the product first"),
    ],
)
def test_a_start_names_the_missing_check(log, skip, message):
    log.created(t("07:00"))
    log.dose(t("07:01"))
    if skip != "verify":
        log.verified(t("07:02"))
    if skip != "identity":
        log.add(EventType.IDENTITY_CHECKED, t("07:03"))
    if skip != "vitals":
        log.vitals(t("07:04"))
    if skip not in ("premed", "identity"):
        log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    if skip not in ("thaw", "identity"):
        log.add(EventType.PRODUCT_THAWED, t("08:10"))
    with pytest.raises(ActionRefused) as refused:
        log.started(t("08:40"))
    assert str(refused.value) == message
    assert log.state.started_at is None


def test_the_calculator_cannot_verify_their_own_dose(log):
    log.created(t("07:00"))
    log.dose(t("07:01"), user="nurse")
    with pytest.raises(ActionRefused, match="a second person must verify; nurse calculated"):
        log.verified(t("07:02"), user="nurse")


def test_a_start_past_the_post_thaw_limit_is_a_hard_stop(log):
    log.ready(t("05:30"))
    log.add(EventType.PRODUCT_THAWED, t("06:00"))
    log.add(EventType.PREMEDICATION_GIVEN, t("07:20"))
    # thawed 06:00 + 120 min limit = 08:00; a start at 08:05 is past it
    with pytest.raises(ActionRefused, match="past its post-thaw limit, do not infuse"):
        log.started(t("08:05"), override_reason="whatever the reason")
    item = due(log, t("08:05"))["post_thaw_limit"]
    assert (item.priority, item.overdue, item.due_at) == ("high", True, t("08:00"))
    # at 08:00 exactly the start is still within the limit
    assert log.started(t("08:00")).started_at == t("08:00")


def test_a_late_start_needs_a_reason(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:30"))
    # 09:05 is 65 min after dexamethasone, beyond the 60 min window
    with pytest.raises(
        ActionRefused,
        match="start 65 min after dexamethasone, later than the protocol's 60 min: give a reason",
    ):
        log.started(t("09:05"))
    state = log.started(t("09:05"), override_reason="patient in radiology")
    assert [(str(o.what), o.reason) for o in state.overrides] == [
        (
            "start 65 min after dexamethasone, later than the protocol's 60 min",
            "patient in radiology",
        )
    ]


def test_time_paused_does_not_count_toward_the_slow_phase(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    log.add(EventType.INFUSION_PAUSED, t("08:40"), {"reason": "line kinked"})
    # while paused the step slides with the clock: at 08:45 it is 08:50 + 5 min paused
    assert due(log, t("08:45"))["rate_step"].due_at == t("08:55")
    log.add(EventType.INFUSION_RESUMED, t("08:50"))
    # 10 min paused: rate step at 08:35 + 15 + 10 = 09:00
    assert due(log, t("08:55"))["rate_step"].due_at == t("09:00")
    # at 08:59 the drip has run 24 - 10 = 14 of its 15 min
    with pytest.raises(ActionRefused, match="rate step blocked: 1 min left of the 15 min slow"):
        log.add(EventType.RATE_CHANGED, t("08:59"), {"rate_gtt_per_min": 40, "no_discomfort": True})
    log.add(EventType.RATE_CHANGED, t("09:00"), {"rate_gtt_per_min": 40, "no_discomfort": True})
    # expected end: 57.5 min of drip + 10 min paused after 08:35 = 09:42:30
    assert due(log, t("09:01"))["expected_end"].due_at == t("09:42") + timedelta(seconds=30)


def test_the_rate_step_needs_no_discomfort_and_a_rate_in_range(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    with pytest.raises(ActionRefused, match="confirm that the patient has no discomfort"):
        log.add(EventType.RATE_CHANGED, t("08:50"), {"rate_gtt_per_min": 40})
    with pytest.raises(ActionRefused, match="must be 40-60 gtt/min in the fast phase, got 70"):
        log.add(EventType.RATE_CHANGED, t("08:50"), {"rate_gtt_per_min": 70, "no_discomfort": True})
    log.add(EventType.SLOW_RATE_HELD, t("08:50"), {"reason": "mild chills"})
    # holding postpones the step reminder by one slow phase: 08:50 + 15 = 09:05
    assert due(log, t("08:51"))["rate_step"].due_at == t("09:05")


def test_an_end_outside_the_window_or_short_of_the_bag_needs_a_reason(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    log.add(EventType.RATE_CHANGED, t("08:50"), {"rate_gtt_per_min": 60, "no_discomfort": True})
    # 08:35 -> 09:00 is 25 min, under the 30 min minimum
    with pytest.raises(
        ActionRefused,
        match=re.escape("infusion ran 25.0 min, outside the protocol's 30-60 min: give a reason"),
    ):
        log.add(EventType.INFUSION_ENDED, t("09:00"), {"volume_infused_ml": "100"})
    with pytest.raises(ActionRefused, match="must be 0-100 mL"):
        log.add(EventType.INFUSION_ENDED, t("09:10"), {"volume_infused_ml": "101"})
    with pytest.raises(ActionRefused, match="95 mL infused of a 100 mL bag: give a reason"):
        log.add(EventType.INFUSION_ENDED, t("09:10"), {"volume_infused_ml": "95"})
    state = log.add(
        EventType.INFUSION_ENDED,
        t("09:10"),
        {"volume_infused_ml": "95", "override_reason": "5 mL left in the line"},
    )
    assert state.volume_infused_ml == Decimal("95")


def test_observation_ends_after_two_hours_and_a_set_at_the_end(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    log.add(EventType.RATE_CHANGED, t("08:50"), {"rate_gtt_per_min": 40, "no_discomfort": True})
    log.add(EventType.INFUSION_ENDED, t("09:25"), {"volume_infused_ml": "100"})
    with pytest.raises(ActionRefused, match="1 min left of the 120 min observation"):
        log.add(EventType.OBSERVATION_ENDED, t("11:24"))
    with pytest.raises(ActionRefused, match="record the vital signs at the end"):
        log.add(EventType.OBSERVATION_ENDED, t("11:25"))
    log.vitals(t("09:25"))
    assert log.add(EventType.OBSERVATION_ENDED, t("11:25")).status is Status.OBSERVATION_COMPLETE
    assert "observation_end" not in due(log, t("11:26"))


def test_a_stop_records_the_volume_and_observation_follows(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    with pytest.raises(ActionRefused, match="stopping an infusion needs a reason"):
        log.add(EventType.INFUSION_STOPPED, t("08:45"), {"volume_given_ml": "8"})
    state = log.add(
        EventType.INFUSION_STOPPED, t("08:45"), {"volume_given_ml": "8", "reason": "rigors"}
    )
    assert (state.status, state.step, state.volume_infused_ml) == (
        Status.STOPPED,
        Step.END,
        Decimal("8"),
    )
    assert due(log, t("08:46"))["observation_end"].due_at == t("10:45")
    with pytest.raises(ActionRefused, match="pause: the infusion stopped at 2026-11-21 08:45 UTC"):
        log.add(EventType.INFUSION_PAUSED, t("08:50"), {"reason": "again"})


def test_the_latest_abnormal_set_keeps_its_alarm_until_a_normal_one(log):
    log.ready(t("07:30"))
    log.vitals(t("07:40"), temperature_c="38.4")
    alarm = due(log, t("07:41"))["alarm:temperature_c_high"]
    assert alarm.priority == "high" and "assess for infusion reaction" in str(alarm.message)
    log.vitals(t("07:50"))
    assert not [k for k in due(log, t("07:51")) if k.startswith("alarm:")]


def test_a_serious_event_counts_down_24_hours(log):
    log.ready(t("07:30"))
    payload = {
        "term": "Anaphylaxis",
        "other_term": None,
        "grade": 3,
        "started_at": t("09:00"),
        "attribution": "probable",
        "serious": True,
        "action_taken": "infusion discontinued",
        "outcome": "recovering",
        "aware_at": t("09:05"),
        "description": None,
        "fever_grade_suggested": None,
        "dlt": True,
        "report_due_at": t("09:05", day=22),
    }
    state = log.add(EventType.ADVERSE_EVENT_RECORDED, t("09:10"), payload)
    item = due(log, t("09:11"))["sae_report"]
    assert (item.due_at, item.priority, item.overdue) == (t("09:05", day=22), "high", False)
    assert due(log, t("09:05", day=22))["sae_report"].overdue
    log.add(EventType.SAE_REPORTED, t("10:00"), {"adverse_event_seq": state.last_seq})
    assert "sae_report" not in due(log, t("10:01"))


def test_a_corrected_start_time_moves_every_deadline(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    start = log.started(t("08:35")).last_seq
    log.add(
        EventType.CORRECTION,
        t("08:41"),
        {"corrects_seq": start, "occurred_at": t("08:40"), "changes": {}},
        reason="start time typed wrong",
    )
    state = fold(log.events, log.protocol)
    assert state.started_at == t("08:40")
    assert due_items(state, log.protocol, t("08:42"))[0].kind == "rate_step"
    assert {i.kind: i.due_at for i in due_items(state, log.protocol, t("08:42"))}["rate_step"] == t(
        "08:55"
    )
    assert [(c.corrects_seq, c.reason) for c in state.corrections] == [
        (start, "start time typed wrong")
    ]


def test_the_fold_of_the_log_equals_the_state_built_step_by_step(log):
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    log.add(EventType.INFUSION_PAUSED, t("08:40"), {"reason": "toilet"})
    log.add(EventType.INFUSION_RESUMED, t("08:45"))
    assert fold(log.events, log.protocol) == log.state


def test_a_single_phase_bag_has_no_rate_step(log):
    log.created(t("07:00"))
    # 13.8 mL bag: the whole bag (13.8 x 20 = 276 drops) runs in phase 1 at 20 gtt/min
    log.dose(t("07:01"), final_volume_ml="13.8")
    assert log.state.dose.phase2_rate_gtt_per_min is None
    log.verified(t("07:02"))
    log.add(EventType.IDENTITY_CHECKED, t("07:03"))
    log.vitals(t("07:04"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:30"))
    assert "rate_step" not in due(log, t("08:46"))
    with pytest.raises(ActionRefused, match="runs at the slow rate to the end"):
        log.add(EventType.RATE_CHANGED, t("08:46"), {"rate_gtt_per_min": 40, "no_discomfort": True})
    # 276 drops / 20 gtt/min = 13.8 min -> expected end 08:43:48
    assert due(log, t("08:31"))["expected_end"].due_at == t("08:43") + timedelta(seconds=48)


def test_a_back_entered_start_counts_any_earlier_set_as_baseline(log):
    log.ready(t("07:30"))  # baseline set at 07:30
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.vitals(t("08:45"))  # recorded live before the start was back-entered at 08:35
    state = log.started(t("08:35"))
    assert state.started_at == t("08:35")
    assert [state.vitals_phase(v.at) for v in state.vitals] == ["baseline", "infusion"]
