"""The English texts of every message code (:mod:`infusion_app.logic.messages`).

Word for word what the app said before messages became data, except the texts that were wrong.
"""

from __future__ import annotations

from infusion_app.logic.messages import Message
from infusion_app.texts.engine import Table, render_with

TEXTS: dict[str, str] = {
    # generic
    "plain": "{text}",
    "joined": "{parts:; }",
    # the rule book
    "act_dose": "dose",
    "act_verify_dose": "verify dose",
    "act_identity_check": "identity check",
    "act_premedication": "premedication",
    "act_thaw": "thaw",
    "act_start": "start",
    "act_rate": "rate",
    "act_hold_slow_rate": "hold slow rate",
    "act_pause": "pause",
    "act_stop": "stop",
    "act_end": "end",
    "replay_refused": "event {seq} ({event_type}): {refusal}",
    "infusion_exists": "create: this infusion exists already",
    "infusion_not_created": "{event_type}: the infusion record has not been created",
    "not_an_infusion_event": "{event_type} is not an infusion event",
    "infusion_was_stopped": "{action}: the infusion was stopped",
    "infusion_started_at": "{action}: the infusion started at {at}",
    "infusion_not_started": "{action}: the infusion has not started",
    "infusion_ended_at": "{action}: the infusion ended at {at}",
    "infusion_stopped_at": "{action}: the infusion stopped at {at}",
    "before_start": "{action}: {at} is before the start at {started_at}",
    "before_last_pause": "{action}: {at} is before the last pause or resume",
    "verify_no_dose": "verify dose: no dose has been calculated",
    "verify_replaced": "verify dose: the calculation was replaced; verify the current one",
    "verify_already": "verify dose: already verified by {verified_by}",
    "verify_second_person": (
        "verify dose: a second person must verify; {calculated_by} calculated this dose"
    ),
    "premedication_blocked_identity": (
        "premedication blocked: check the patient's and the product's identity first"
    ),
    "premedication_already": "premedication: already given at {at}; correct that entry instead",
    "thaw_blocked_identity": "thaw blocked: check the patient's and the product's identity first",
    "thaw_already": "thaw: already recorded at {at}; correct that entry instead",
    "start_blocked_identity": (
        "start blocked: check the patient's and the product's identity first"
    ),
    "start_blocked_no_dose": "start blocked: no dose has been calculated for this infusion",
    "start_blocked_unverified": (
        "start blocked: the dose calculation is not verified by a second person"
    ),
    "start_blocked_baseline_vitals": "start blocked: record the baseline vital signs first",
    "start_blocked_give_premed": "start blocked: give {drug} {dose_mg} mg {route} first",
    "start_blocked_premed": (
        "start blocked: {minutes_left} min left of the {wait_min} min after {drug}"
    ),
    "start_blocked_thaw": "start blocked: record the thaw of the product first",
    "start_before_thaw": "start: {at} is before the thaw at {thawed_at}",
    "start_blocked_post_thaw": (
        "start blocked: the product was thawed at {thawed_at}, more than {limit_min} min "
        "before; past its post-thaw limit, do not infuse"
    ),
    "late_start": "start {waited_min} min after {drug}, later than the protocol's {latest_min} min",
    "drop_factor_differs": (
        "drop_factor_gtt_per_ml: the set in use ({in_use} gtt/mL) differs from the drip plan's "
        "({planned} gtt/mL): recalculate the plan"
    ),
    "give_a_reason": "{warning}: give a reason",
    "rate_paused": "rate: the infusion is paused; resume it first",
    "rate_one_phase": "rate: this bag runs at the slow rate to the end (one phase)",
    "rate_step_blocked_slow_phase": (
        "rate step blocked: {minutes_left} min left of the {phase_min} min slow phase"
    ),
    "rate_step_blocked_discomfort": (
        "rate step blocked: confirm that the patient has no discomfort; otherwise hold the slow "
        "rate, pause or stop, and record the reaction"
    ),
    "rate_out_of_range": (
        "rate_gtt_per_min: must be {low}-{high} gtt/min in the fast phase, got {rate}"
    ),
    "hold_already_stepped": "hold slow rate: the rate was already stepped up",
    "hold_needs_reason": "reason: holding the slow rate needs a reason",
    "sae_not_serious": "sae report: adverse event {seq} is not serious",
    "sae_reported_already": "sae report: event {seq} was reported already",
    "sae_no_such_event": "sae report: no adverse event {seq} in this infusion",
    "pause_already": "pause: the infusion is paused already",
    "pause_needs_reason": "reason: a pause needs a reason",
    "resume_not_paused": "resume: the infusion is not paused",
    "resume_before_pause": "resume: {at} is before the pause",
    "volume_out_of_bag": "{field}: must be 0-{bag_ml} mL (the bag), got {volume_ml}",
    "stop_over_already": "stop: the infusion is over already",
    "stop_needs_reason": "reason: stopping an infusion needs a reason",
    "stop_before_start_volume": "volume_given_ml: nothing was given before the start; give 0",
    "end_outside_window": (
        "infusion ran {ran_min} min, outside the protocol's {low_min}-{high_min} min"
    ),
    "end_part_of_bag": "{volume_ml} mL infused of a {bag_ml} mL bag",
    "end_give_a_reason": "end: {warnings:; }: give a reason",
    "observation_recorded_already": "observation end: recorded already",
    "observation_not_ended": "observation end: the infusion has not ended",
    "observation_blocked_time": (
        "observation end blocked: {minutes_left} min left of the {observation_min} min observation"
    ),
    "observation_blocked_end_vitals": (
        "observation end blocked: record the vital signs at the end of the infusion"
    ),
    "observation_stopped_before_start": (
        "observation end: the infusion was stopped before it started"
    ),
    "follow_up_not_ended": "follow-up: the infusion has not ended",
    "follow_up_unknown": "check: must be one of {known}, got '{check}'",
    "follow_up_already": "follow-up: {check} was recorded already",
    "correct_no_earlier": "correct: no earlier event {seq}",
    # who may do what
    "role_nurse": "a nurse",
    "role_pharmacist": "a pharmacist",
    "role_monitor": "a monitor",
    "role_admin": "an admin",
    "may_manage_accounts": "manage accounts",
    "may_register_patient": "register a patient",
    "may_record_weight": "record a weight",
    "may_register_product": "register a product",
    "may_release_product": "release a product",
    "may_dispense_product": "dispense a product",
    "may_return_product": "return or discard a product",
    "may_create_infusion": "create an infusion",
    "may_calculate_dose": "calculate a dose",
    "may_verify_dose": "verify a dose",
    "may_record_infusion_event": "record an infusion event",
    "may_sign": "sign a clinical record",
    "may_read": "read records",
    "may_print": "print or export records",
    "role_may_not": "{role} may not {action}",
    "account_gone": "account '{username}' no longer exists",
    "account_locked": "account '{username}' is locked",
}

TABLE = Table(language="en", templates=TEXTS, yes="yes", no="no", nothing="")


def render(message: Message) -> str:
    return render_with(TABLE, message)
