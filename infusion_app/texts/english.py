"""The English texts of every message code (:mod:`infusion_app.logic.messages`).

Word for word what the app said before messages became data, except the texts that were wrong.
"""

from __future__ import annotations

from infusion_app.logic.event_types import EventType
from infusion_app.logic.messages import MORE_LOG_FIELDS, VALUE_CODES, Message
from infusion_app.texts.engine import Table, render_with

# A stored field and its value, in the words of the bedside (the key itself is never shown).
FIELD_TEXTS = {
    "field_action_taken": "action taken: {value}",
    "field_adverse_event_seq": "adverse event: #{value}",
    "field_age_years": "age: {value} years",
    "field_attribution": "attribution: {value}",
    "field_avpu": "AVPU: {value}",
    "field_aware_at": "aware at: {value}",
    "field_calculation_seq": "calculation: #{value}",
    "field_check": "check: {value}",
    "field_date_of_birth": "date of birth: {value}",
    "field_description": "description: {value}",
    "field_diastolic_mmhg": "diastolic pressure: {value} mmHg",
    "field_dlt": "DLT: {value}",
    "field_dose_level": "dose level: {value}",
    "field_dose_mg": "dose: {value} mg",
    "field_drop_factor_gtt_per_ml": "drop factor: {value} gtt/mL",
    "field_drug": "drug: {value}",
    "field_fever_grade_suggested": "fever grade suggested: {value}",
    "field_finding": "finding: {value}",
    "field_grade": "grade: {value}",
    "field_heart_rate_bpm": "heart rate: {value} /min",
    "field_initials": "initials: {value}",
    "field_method": "method: {value}",
    "field_news2": "NEWS2: {value}",
    "field_news2_band": "NEWS2 band: {value}",
    "field_number": "number: {value}",
    "field_on_oxygen": "on oxygen: {value}",
    "field_other_term": "other term: {value}",
    "field_outcome": "outcome: {value}",
    "field_override_reason": "override reason: {value}",
    "field_patient": "patient: {value}",
    "field_post_thaw_limit_min": "post-thaw limit: {value} min",
    "field_problems": "problems: {value:; }",
    "field_product": "product: {value}",
    "field_product_status": "product status: {value}",
    "field_protocol": "protocol: {value}",
    "field_protocol_sha256": "protocol SHA-256: {value}",
    "field_rate_gtt_per_min": "rate: {value} gtt/min",
    "field_no_discomfort": "no discomfort: {value}",
    "field_reason": "reason: {value}",
    "field_report_due_at": "report due at: {value}",
    "field_respiratory_rate_per_min": "respiratory rate: {value} /min",
    "field_route": "route: {value}",
    "field_serious": "serious: {value}",
    "field_sex": "sex: {value}",
    "field_spo2_pct": "SpO2: {value}%",
    "field_started_at": "started at: {value}",
    "field_systolic_mmhg": "systolic pressure: {value} mmHg",
    "field_temperature_c": "temperature: {value} °C",
    "field_term": "term: {value}",
    "field_text": "text: {value}",
    "field_time": "time: {value}",
    "field_trial_id": "trial ID: {value}",
    "field_volume_given_ml": "volume given: {value} mL",
    "field_volume_infused_ml": "volume infused: {value} mL",
    "field_weight_kg": "weight: {value} kg",
    "field_weight_measured_at": "weight measured at: {value}",
}

# A field's name alone, for "<name>: <rule>".
LABEL_TEXTS = {
    "label_temperature_c": "temperature (°C)",
    "label_heart_rate_bpm": "heart rate (/min)",
    "label_systolic_mmhg": "systolic pressure (mmHg)",
    "label_diastolic_mmhg": "diastolic pressure (mmHg)",
    "label_respiratory_rate_per_min": "respiratory rate (/min)",
    "label_spo2_pct": "SpO2 (%)",
    "label_avpu": "AVPU",
    "label_on_oxygen": "on oxygen",
    "label_rate_gtt_per_min": "rate (gtt/min)",
    "label_drop_factor_gtt_per_ml": "drop factor (gtt/mL)",
    "label_volume_given_ml": "volume given (mL)",
    "label_volume_infused_ml": "volume infused (mL)",
    "label_weight_kg": "weight (kg)",
    "label_action_taken": "action taken",
    "label_age_years": "age (years)",
    "label_at": "time",
    "label_aware_at": "time the team became aware",
    "label_bag_volume_ml": "bag volume (mL)",
    "label_bp": "blood pressure",
    "label_coa": "CoA",
    "label_date_of_birth": "date of birth",
    "label_dose_deviation_pct": "dose deviation (%)",
    "label_dose_level": "dose level",
    "label_expires_at": "expiry",
    "label_final_volume_ml": "final volume (mL)",
    "label_markers_pct": "identity/purity markers (%)",
    "label_occurred_at": "time",
    "label_other_term": "other term",
    "label_patient_id": "patient ID",
    "label_product_id": "product ID",
    "label_product_volume_ml": "product volume (mL)",
    "label_started_at": "onset",
    "label_text": "note",
    "label_total_cells_per_ml": "total cells (/mL)",
    "label_trial_id": "trial ID",
    "label_viability_pct": "viability (%)",
    "label_weight_measured_at": "time of weighing",
    "label_why": "reason",
    "label_second_user": "second investigator",
    "label_password": "password",
    "label_username": "username",
    "label_name": "name",
    "label_role": "role",
    "label_reason": "reason",
    "label_late_reason": "reason for the late entry",
    "label_note": "note",
    "label_override_reason": "override reason",
    "label_description": "description",
    "label_cause": "cause",
    "label_comment": "comment",
    "label_time": "time",
    "label_patient": "patient",
    "label_initials": "initials",
    "label_sex": "sex",
    "label_grade": "grade",
    "label_units": "units",
    "label_kind": "kind",
    "label_infusion": "infusion",
    "label_number": "number",
    "label_wristband": "wristband",
    "label_response": "response",
    "label_term": "term",
    "label_attribution": "attribution",
    "label_serious": "serious",
    "label_outcome": "outcome",
    "label_progression": "progression",
    "label_death": "death",
    "label_in": "{field} in {where}",
}

TEXTS: dict[str, str] = {
    # generic
    "plain": "{text}",
    "joined": "{parts:; }",
    # the bedside service's own refusals
    "hard_stop": "hard stop: {problems:; }",
    "product_not_released": "product {product} is {status}, not released by a pharmacist",
    "product_expired": "product {product} is past its expiry",
    "start_blocked_new_weight": (
        "start blocked: the dose was calculated for {dose_weight_kg} kg, but a new weight "
        "({weight_kg} kg) was recorded since: recalculate and verify"
    ),
    "correction_would_not_hold": "correct: the corrected record would not hold: {problem}",
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
        "drop factor: the set in use ({in_use} gtt/mL) differs from the drip plan's "
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
    "rate_out_of_range": ("rate: must be {low}-{high} gtt/min in the fast phase, got {rate}"),
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
    "stop_before_start_volume": "volume given: nothing was given before the start; give 0",
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
    "dose_no_phase": "dose: the drip plan has no phase",
    "payload_of_other_type": "{event_type}: its payload is a {model}",
    # who may do what
    "role_nurse": "a nurse",
    "role_pharmacist": "a pharmacist",
    "role_monitor": "a monitor",
    "role_admin": "an admin",
    "role_investigator": "an investigator",
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
    "may_print": "print or export records",
    "may_enrol_patient": "enrol a patient",
    "may_change_dose_level": "change a dose level",
    "may_end_treatment": "end a treatment",
    "may_review_dlt": "review a DLT",
    "may_review_trial": "sign a dose-finding decision",
    "may_print_trial": "print the trial's dose-finding records",
    "may_checkpoint_log": "sign a checkpoint of the verified log",
    "may_record_lab": "record blood counts, transfusions and contacts",
    "may_record_outcome": "record a tumour assessment, progression or death",
    "may_record_visit": "record a visit or sample",
    "may_record_adverse_event": "record an adverse event",
    "role_may_not": "{role} may not {action}",
    # the patient's course
    "course_n_of_total": "infusion {number} of {total}",
    "course_n_of_at_least": "cycle {number} (at least {least})",
    "course_stopped_before_start": "stopped before it started: {reason}",
    "course_treatment_ended": "treatment ended {at} ({reason})",
    "course_protocol_without_plan": (
        "protocol {protocol} gives no treatment plan (install version 1.2.0 or later)"
    ),
    "course_not_enrolled": (
        "patient {patient} is not enrolled: an investigator enrols them first (patient enrol)"
    ),
    "course_ended_no_more": (
        "treatment of patient {patient} ended {at} ({reason}): no more infusions"
    ),
    "course_beyond_plan": (
        "group {level} plans {planned} {noun}; this would be the {would_be} for patient {patient}"
    ),
    "course_next_number": (
        "the next infusion of patient {patient} is number {expected}, not {number}"
    ),
    "course_not_in_plan": "infusion {number} is not in the plan of patient {patient}",
    "course_previous_not_given": (
        "infusion {number} has no target date: the infusion before it has not been given"
    ),
    "course_window_not_open": (
        "infusion {number} (target {target}) may not start before its window opens at {opens}"
    ),
    "course_window_closed": (
        "infusion {number} (target {target}): its window closed at {closed}; "
        "give the reason (a schedule deviation)"
    ),
    "occurrence_after_infusion": "{name}, infusion {number}",
    "occurrence_week": "{name}, week {week}",
    "occurrence_day": "{name}, day {day}",
    "occurrence_plain": "{name}",
    "calendar_unknown_item": "patient {patient} has no calendar item {key} (see patient calendar)",
    "calendar_wrong_act": "{key} is a {kind}: record it with the other act (sample: {sample})",
    "calendar_recorded_already": "{key} was recorded already (at {at})",
    "calendar_cancelled": "{key} is no longer expected (treatment ended)",
    "calendar_before_enrolment": "{key}: a time before enrolment ({enrolled})",
    "calendar_anchor_unknown": "{key}: its window counts from the {anchor}, which has not happened",
    "calendar_window_not_open": "{key}: its window opens at {opens}",
    "calendar_window_closed": "{key}: its window closed at {closed}; give the reason (late)",
    "course_enrolled_already": "patient {patient} was enrolled already ({at})",
    "course_change_after_plan": (
        "patient {patient} has had all {planned} planned infusions: no later level to change"
    ),
    "course_ended_already": "treatment of patient {patient} ended already {at} ({reason})",
    "course_end_while_running": (
        "infusion {number} of patient {patient} is running: end or stop it first"
    ),
    "account_gone": "account '{username}' no longer exists",
    "account_locked": "account '{username}' is locked",
    # the log
    "log_pair": "{field}: {value}",
    "log_pairs": "{pairs:; }",
    "log_correction": "corrects #{seq}: {pairs:; }",
    "on_oxygen": " on O2",
    "log_vitals": (
        "T {temperature_c} °C, HR {heart_rate_bpm}, BP {systolic_mmhg}/{diastolic_mmhg}, "
        "RR {respiratory_rate_per_min}, SpO2 {spo2_pct}%{oxygen}, {avpu}, NEWS2 {news2}"
    ),
    "log_dose": (
        "{cells} cells in {final_volume_ml} mL ({product_volume_ml} mL of product), "
        "weight {weight_kg} kg"
    ),
    "flag_serious": "serious",
    "flag_dlt": "DLT",
    "ae_flags": ", {flags}",
    "ae_said": ": {description}",
    "log_adverse_event": "{term} grade {grade}, {attribution}{flags}{said}",
    "log_signature": "{meaning} by {printed_name} (signs #{signed_seq})",
    "signed_by": "{meaning} by {printed_name}",
    "corrected_by": "#{seq}: {reason} ({details})",
    **{f"event_{kind.value}": kind.value.replace("_", " ").capitalize() for kind in EventType},
    **FIELD_TEXTS,
    **LABEL_TEXTS,
    "input_problem": "{field}: {rule}",
    # alarms and what is due
    "sign_temperature": "temperature",
    "sign_heart_rate": "heart rate",
    "sign_systolic": "systolic pressure",
    "sign_diastolic": "diastolic pressure",
    "sign_respiratory_rate": "respiratory rate",
    "sign_spo2": "SpO2",
    "alarm_out_of_limits": "{sign} {value} {unit} is outside the alert limits {low}-{high} {unit}",
    "avpu_alert": "alert",
    "avpu_confusion": "new confusion",
    "avpu_voice": "responds to voice",
    "avpu_pain": "responds to pain",
    "avpu_unresponsive": "unresponsive",
    "alarm_consciousness": "consciousness {level} ({avpu})",
    "alarm_news2_band": "NEWS2 {total} ({band} clinical risk)",
    "alarm_news2_single": "NEWS2 {total} with a single parameter scoring 3 (low-medium risk)",
    "do_assess_reaction": "pause infusion, assess for infusion reaction",
    "do_stop_call_physician": "stop infusion, call the responsible physician",
    "do_urgent_review": "urgent clinical review; pause infusion, assess for infusion reaction",
    "do_ward_review": "urgent ward-based review by a clinician",
    "due_sae_report": "report serious adverse event {seq} ({term}, grade {grade}) by {by}",
    "due_alarm": "{alarm}: {action}",
    "due_start_allowed": "start allowed from {at}",
    "due_window_opens": "the plan's window for this infusion opens at {at}",
    "due_post_thaw_passed": "product past its post-thaw limit: do not infuse; tell the pharmacy",
    "due_post_thaw_limit": "start before the product's post-thaw limit",
    "due_rate_step": "rate step to {rate} gtt/min if no discomfort",
    "due_vitals": "vital signs",
    "due_expected_end": "expected end of the infusion",
    "due_end_vitals": "vital signs at the end of the infusion",
    "due_observation_vitals": "vital signs (observation)",
    "due_observation_end": "observation complete",
    "board_due": "{item:cap}",
    "board_overdue": "Overdue: {item}",
    "board_product_expired": "Product past its expiry: do not infuse; stop and tell the pharmacy",
    # advisories of a calculation
    "adv_viability_below_release": (
        "{viability_pct}% is below the release limit of {release_min_pct}%: "
        "this product cannot be released"
    ),
    "adv_weight_outside_usual": (
        "{weight_kg} kg is outside the usual {usual_min_kg}–{usual_max_kg} kg of {protocol}: "
        "confirm the weight before dosing"
    ),
    "adv_exceeds_max_duration": (
        "even at {rate} gtt/min the infusion takes {takes_min} min, longer than the protocol's "
        "{max_min} min: reduce the final volume or ask the investigator"
    ),
    # release criteria
    "crit_viability": "Viability",
    "crit_sterility": "Sterility (bacteria and fungi)",
    "crit_mycoplasma": "Mycoplasma",
    "crit_endotoxin": "Endotoxin",
    "crit_marker": "Identity/purity {marker: or }",
    "crit_tumorigenicity": "Tumorigenicity screening",
    "crit_expiry": "Not past expiry",
    # identity problems
    "id_wristband_not_patient": "wristband {wristband} is not patient {trial_id}",
    "id_trial_id_not_patient": "trial ID {given} is not this infusion's patient {trial_id}",
    "id_initials_mismatch": "initials {given} do not match the patient",
    "id_no_date_of_birth": "no date of birth on record: use the initials",
    "id_date_of_birth_mismatch": "date of birth does not match the patient",
    "id_bag_not_product": "bag {scanned} is not this infusion's product {product}{owner}",
    "id_bag_owner": " (it belongs to patient {trial_id})",
    "adv_shorter_than_min": (
        "even at {rate} gtt/min the infusion ends after {ends_min} min, before the protocol's "
        "minimum of {min_min} min: consider a larger final volume"
    ),
    # --- the treatment plan at the bedside and the investigator's acts (issue 14, h-plan) ---
    "label_deviation_reason": "reason for the schedule deviation",
    "label_from_infusion": "first infusion at the new level",
    "label_to_level": "new dose level",
    "course_change_not_retroactive": (
        "infusion {highest} of patient {patient} exists already: a level change applies from "
        "infusion {next_number} on, never to one that exists (not from {from_infusion})"
    ),
    "course_start_before_enrolment": (
        "infusion {number} may not start before the patient was enrolled ({enrolled})"
    ),
    "course_change_not_next": (
        "the next infusion of patient {patient} is number {next_number}: a level change "
        "applies from it, not from infusion {from_infusion}"
    ),
    "course_change_beyond_level": (
        "group {level} plans {planned} {noun}: infusion {from_infusion} of patient {patient} "
        "cannot be given at it (to give no more infusions, end the treatment)"
    ),
    # adverse events of the patient and the DLT review
    "patient_ae_before_enrolment": (
        "an adverse event of patient {patient} starting {started} is before their enrolment "
        "({enrolled}): it is not the trial's to record"
    ),
    "patient_ae_after_follow_up": (
        "an adverse event of patient {patient} starting {started} is after the end of "
        "follow-up ({ended})"
    ),
    "patient_ae_no_such_event": "patient {patient} has no adverse event {seq} in their own record",
    "dlt_not_patients_stream": "{stream} is not a record of patient {patient}",
    "dlt_no_such_event": "{stream} has no adverse event {seq}",
    "dlt_not_flagged": (
        "adverse event {seq} of {stream} is not flagged as a DLT: there is nothing to review"
    ),
    "dlt_reviewed_already": (
        "the DLT {stream} #{seq} was reviewed already ({verdict} by {by}, {at})"
    ),
    # the calendar acts and the site's day (issue 14, h-calendar)
    "label_sample_id": "sample ID",
    # --- the patient view (services.patient_view, cli/patient_view.py, ui/patient_page.py)
    "view_not_enrolled": "not enrolled yet (registered at {level})",
    "view_enrolled": "enrolled {at} at {level}, signed by {by}",
    "view_level_change": (
        "from infusion {number} on: {from_level} to {to_level} ({reason}), signed by {by}"
    ),
    "view_ae_on_patient": "patient",
    "view_ae_on_infusion": "infusion {number}",
    "view_sae_due": "SAE report due by {due}",
    "view_sae_overdue": "SAE report overdue since {due}",
    "view_sae_reported": "SAE reported {at}",
    "view_dlt_confirmed": "DLT confirmed by {by} ({reason})",
    "view_dlt_rejected": "DLT rejected by {by} ({reason})",
    "view_deviation": "schedule deviation: {reason}",
    "view_enrolled_at": "enrolment at {level}",
    "view_enrolment_deviation": "enrolled against the dose-finding rule (a deviation): {reason}",
    # --- dose-finding rules (issue 15, h-logic15): level numbers count from 1
    "dlts_one": "1 DLT",
    "dlts_many": "{count} DLTs",
    "three_plus_three_escalate": (
        "{dlts} in {evaluable} evaluable at level {level}: escalate to level {next_level}"
    ),
    "three_plus_three_top_tolerated": (
        "{dlts} in {evaluable} evaluable at level {level}, the top level: tolerated, "
        "escalation complete"
    ),
    "three_plus_three_expand": (
        "{dlts} in {evaluable} evaluable at level {level}: expand level {level} to {size}"
    ),
    "three_plus_three_stop": (
        "{dlts} at level {level}: stop escalation; maximum tolerated level {mtd}"
    ),
    "three_plus_three_stop_lowest": (
        "{dlts} at level {level}, the lowest: stop escalation; no level is tolerated"
    ),
    "three_plus_three_waiting": (
        "waiting: {evaluable} of {size} evaluable at level {level} ({dlts} so far, "
        "{pending} pending)"
    ),
    "boin_escalate": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, at or below the "
        "escalation boundary: escalate to level {next_level}"
    ),
    "boin_stay": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, between the boundaries: stay"
    ),
    "boin_deescalate": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, above the de-escalation "
        "boundary: de-escalate to level {next_level}"
    ),
    "boin_stay_top": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, at or below the "
        "escalation boundary, but it is the top level: stay"
    ),
    "boin_stay_next_eliminated": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, at or below the "
        "escalation boundary, but level {blocked_level} is eliminated: stay"
    ),
    "boin_stay_lowest": (
        "BOIN: {dlts} in {evaluable} ({rate_pct} %) at level {level}, above the de-escalation "
        "boundary, but it is the lowest level: stay"
    ),
    "boin_eliminated_deescalate": (
        "BOIN: level {first} and every higher level are eliminated (probability above "
        "{cutoff_pct} % that the DLT rate exceeds {target_pct} %): de-escalate from level "
        "{level} to level {next_level}"
    ),
    "boin_stop": (
        "BOIN: {dlts} in {evaluable} at level {level}, the lowest, eliminates every level "
        "(probability above {cutoff_pct} % that the DLT rate exceeds {target_pct} %): stop "
        "the trial; no dose is selected"
    ),
    # the trial's dose finding (issue 15: logic/dose_finding.py, services/trial.py)
    "trial_waiting_enrolment": "{enrolled} of {needed} enrolled",
    "trial_waiting_evaluable": "{evaluable} of {needed} evaluable",
    "trial_waiting_window": "next DLT window ends {closes}",
    "trial_waiting_adjudication": "{dlts} flagged, awaiting the investigator's review",
    "trial_waiting_infusion": "{count} not infused yet",
    "trial_enrol_complete": (
        "the dose finding of {protocol} is over (signed): the rule enrols no one; a deviation "
        "needs a second investigator"
    ),
    "trial_enrol_decision_due": (
        "a dose-finding decision of {protocol} awaits its signed review: enrol after it"
    ),
    "trial_enrol_wrong_level": "the dose-finding rule enrols at {expected} now, not {level}",
    "trial_enrol_cohort_full": (
        "the cohort at {level} has its {size} patients: the next cohort waits for the decision"
    ),
    "trial_no_rule": "{protocol} has no dose-finding rule",
    "trial_nothing_to_review": (
        "no dose-finding decision of {protocol} is due: waiting ({waiting:; })"
    ),
    "trial_decision_changed": (
        "the record changed: the rule now says {now}, not {expected}; review it again"
    ),
    "trial_choice_not_asked": "the rule's decision ({decision}) has no level to choose",
    "trial_no_dose_to_select": "{protocol}: every level is eliminated, no dose can be selected",
    "trial_choice_not_offered": "level {level} is not one of the readings ({offered})",
    "trial_choice_needed": (
        "BOIN's select.mtd gives {boin} and the protocol's wording (the largest dose equal or "
        "closest) gives {seed}: choose one of them and give the reason"
    ),
    "trial_deviation_not_needed": (
        "the dose-finding rule allows enrolment at {level}: no deviation to record"
    ),
    "trial_second_signer_needed": (
        "second_user: an enrolment against the dose-finding rule needs a second investigator's "
        "signature"
    ),
    "trial_second_signer_same": "second_user: the second investigator must be another person",
    "trial_second_signer_not_allowed": (
        "second_user: {username} is not an investigator who may enrol patients"
    ),
    "trial_reason_expand": ("{dlts} in {evaluable} evaluable at {level}: expand {level} to {size}"),
    "trial_reason_escalate": (
        "{dlts} in {evaluable} evaluable at {level}: escalate to {next_level}"
    ),
    "trial_reason_deescalate": (
        "{dlts} in {evaluable} evaluable at {level}: de-escalate to {next_level}"
    ),
    "trial_reason_stay": "{dlts} in {evaluable} evaluable at {level}: stay at {level}",
    "trial_reason_tolerated": (
        "{dlts} in {evaluable} evaluable at {level}: the top level is tolerated; "
        "escalation complete"
    ),
    "trial_reason_stop": (
        "{dlts} in {evaluable} evaluable at {level}: stop escalation; the maximum "
        "tolerated level is {mtd}"
    ),
    "trial_reason_stop_none": (
        "{dlts} in {evaluable} evaluable at {level}: stop escalation; no level is tolerated"
    ),
    "trial_reason_lowest_eliminated": (
        "the lowest level {level} is eliminated (too toxic): stop the trial"
    ),
    "trial_reason_select": "dose finding complete: the optimal dose is {level}",
    "trial_reason_select_differ": (
        "dose finding complete: BOIN's select.mtd gives {boin}, the protocol's wording (the "
        "largest dose equal or closest to the target) gives {seed}: choose one, with the reason"
    ),
    "trial_reason_nothing_selected": "dose finding complete: every level is eliminated",
    # --- outcomes rules (issue 16, h-logic16) ---
    "label_hb": "haemoglobin (g/L)",
    "label_anc": "neutrophils (×10^9/L)",
    "label_plt": "platelets (×10^9/L)",
    "label_wbc": "white cells (×10^9/L)",
    "label_lym": "lymphocytes (×10^9/L)",
    "label_first_infusion": "first infusion",
    "label_last_infusion": "last infusion",
    "label_drawn_at": "time drawn",
    "label_given_at": "time given",
    "label_last_assessment": "last tumour assessment",
    "label_last_contact": "last contact",
    # --- trial summary (issue 16, h-summary16) ---
    "summary_rate": "{count}/{of} ({percent} %)",
    "summary_rate_empty": "{count}/{of}",
    "summary_not_reached": "not reached",
    "summary_days": "{days} d",
    "summary_week": (
        "{level}: week {week}: CR {cr}, PR {pr}, OR {overall}; {pending} not assessable yet"
    ),
    "summary_time_to_response": (
        "{level}: median time to response ({lineage}) {median}, {achieved} achieved"
    ),
    "summary_duration": (
        "{level}: median duration of response {median} (Kaplan-Meier), {responders} "
        "responders, {events} ended, {censored} censored"
    ),
    "summary_dcr": "{level}: disease control {rate}",
    "summary_survival": (
        "{level}: {endpoint} median {median} (95 % CI {lower} to {upper}), n = {n}, events {events}"
    ),
    # --- accounts in the window (issue 17, h-accounts17) ---
    "account_deactivated": "account '{username}' is deactivated",
    "account_locked_by_admin": (
        "account '{username}' is locked by an administrator until an administrator unlocks it"
    ),
    "account_must_change_password": (
        "account '{username}' must change its first password before it can act"
    ),
    "account_run_passwd": (
        "account '{username}' must change its password first: run "
        "`infusion-app user passwd --user {username}`"
    ),
    "account_not_own_reset": (
        "an administrator changes their own password as every user does, not by a reset"
    ),
    "account_not_own_lock": "an administrator cannot lock their own account",
    "account_not_own_deactivation": "an administrator cannot deactivate their own account",
    "account_locked_already": "account '{username}' is locked already",
    "account_deactivated_already": "account '{username}' is deactivated already",
    "account_password_unchanged": "the new password must differ from the current one",
    "account_state_active": "active",
    "account_state_must_change": "must change password",
    "account_state_locked_until": "locked until {until} after failed attempts",
    "account_state_locked_by_admin": "locked by an administrator",
    "account_state_deactivated": "deactivated {at}",
    # --- rules of text and time (issue 17: read in the window's language) ---
    "rule_printable": "must be one line of printable text (it contains {bad})",
    "rule_max_chars": "must be at most {most} characters, got {got}",
    "rule_time_required": "is required (HH:MM, or YYYY-MM-DD HH:MM)",
    "rule_time_form": "give HH:MM or YYYY-MM-DD HH:MM (station time), got {got}",
    "rule_time_implausible": "{at} is not a plausible time (years {first}-{last})",
    "rule_in_future": "{at} is in the future (now {now})",
    "rule_beyond_back_limit": "{at} is more than {span} back (the back-entry limit; now {now})",
    "rule_before": "{at} is before {what} ({since})",
    "rule_password_length": "must have at least {least} characters",
    "rule_password_spaces": "must not start or end with spaces",
    "rule_username_form": "must be 1-64 letters, digits, '.' or '_'",
    "rule_username_taken": "'{username}' is taken",
    "rule_no_account": "no account '{username}'",
    "rule_not_own_role": "an administrator cannot change their own role",
    "span_days": "{days} days",
    "span_one_day": "1 day",
    "span_minutes": "{minutes} min",
    "since_registered": "the patient was registered",
    "since_course_began": "the course began",
    "since_enrolled": "the patient was enrolled",
    "since_weighed": "the weight on record was measured",
    "since_back_limit": "the back-entry limit before the entry was recorded",
    "rule_late_reason": (
        "is required for an event entered more than {minutes} min after it happened"
    ),
    "wrong_credentials": "the username or password is wrong",
    "wrong_credentials_now_locked": (
        "the username or password is wrong; after {attempts} failed attempts the account is "
        "locked for {minutes} min"
    ),
    "account_locked_after_failures": (
        "the account '{username}' is locked until {until} after repeated failed attempts; "
        "an administrator can unlock it"
    ),
    # --- enumerated values, ordinals and more log fields (issue 17, h-zhmsg) ---
    # a stored value reads as stored; a field as its key in words, as log_pair said it
    **{code: stored for code, (_, stored) in VALUE_CODES.items()},
    "ordinal_st": "{number}st",
    "ordinal_nd": "{number}nd",
    "ordinal_rd": "{number}rd",
    "ordinal_th": "{number}th",
    "noun_infusion": "infusion",
    "noun_infusions": "infusions",
    "protocol_name": "{name}{name_zh:omit}",
    "rule_not_physiological": (
        "{value} {unit} is not physiologically possible here (plausible {low}-{high} {unit}): "
        "check the entry"
    ),
    "rule_required": "is required",
    "rule_whole_number": "must be a whole number, got {got}",
    "rule_one_decimal": "give at most one decimal place, got {got}",
    "rule_below_systolic": "must be below the systolic pressure ({systolic} mmHg), got {got}",
    "rule_number": "must be a number, got {got}",
    "rule_greater_than": "must be greater than {bound}, got {got}",
    "rule_at_least": "must be at least {bound}, got {got}",
    "rule_at_most": "must be at most {bound}, got {got}",
    "rule_digits": "must be a number written with the digits 0-9, got {got}",
    "rule_whole_digits": "must be a whole number written with the digits 0-9, got {got}",
    # --- the rules of the window forms (issue 17 item 1, h-rules) ---
    "rule_not_wristband": "not a patient wristband code: {got}",
    "rule_trial_id_or_wristband": "is required (or scan the wristband)",
    "rule_second_identifier": "give a second identifier: initials or date of birth",
    "rule_scan_product_id": "scan or type the bag's product ID",
    "rule_whole_number_range": "must be a whole number {low}-{high}, got {got}",
    "rule_infusion_reference": "give an ID or PATIENT/NUMBER (e.g. P001/1), got {got}",
    "rule_true_or_false": "must be true or false, got {got}",
    "rule_one_of_values": "must be one of: {allowed}; got {got}",
    "rule_other_term_required": "is required for a term not on the list",
    "rule_other_term_only": "only for 'Other, specify', not for {term}",
    "rule_whole_ctcae_grade": "must be a whole CTCAE grade, got {got}",
    "rule_ctcae_grades": "CTCAE v5.0 defines grades {first}-{last} for {term}, got {got}",
    "rule_time_zone_required": "must carry a time zone",
    "rule_aware_before_started": "the team cannot become aware before the event started",
    "rule_grade_required_no_fever": (
        "is required (no temperature of 38.0 °C or more to suggest one)"
    ),
    "rule_trial_id_form": (
        "must be 1-64 letters, digits, '.', '_' or '-', starting with one of the first two"
    ),
    "rule_initials_letters": "must be 1-8 letters",
    "rule_one_of_plain": "must be one of {allowed}",
    "rule_birth_date_or_age": "give the date of birth or the age, not both",
    "rule_is_in_future": "is in the future",
    "rule_between": "must be between {low} and {high}, got {got}",
    "rule_time_zone_include": "must include a time zone",
    "rule_file_too_large": "is larger than {most} bytes; a CoA is about 1 KB",
    "rule_nests_too_deep": "nests more than {most} levels deep",
    "rule_given_twice": "is given more than once in the file; give each field once",
    "rule_number_too_long": "has a number of {length} characters; at most {most}",
    "rule_not_json": "is not valid JSON: {problem} at line {line}",
    "rule_json_object": "must be a JSON object with the CoA fields",
    "rule_time_zone_offset": "must include a time zone offset, e.g. 2026-12-31T23:59:00+08:00",
    "rule_marker_pairs": "give NAME=PERCENT pairs, e.g. CD73=99.1; got {got}",
    "rule_product_registered": "product {product} is registered already",
    "rule_product_cannot_return": (
        "product {product} is {status}: it cannot be returned (only {only})"
    ),
    "rule_product_cannot_discard": (
        "product {product} is {status}: it cannot be discarded (only {only})"
    ),
    "rule_reason_required": "give the reason",
    "rule_at_most_chars": "at most {most} characters, got {got}",
    "rule_one_line_no_controls": "one line of text, without control characters",
    "rule_product_bound": (
        "product {product} belongs to infusion {infusion} already: one bag, one infusion"
    ),
    "rule_product_bound_elsewhere": (
        "product {product} belongs to another infusion already: one bag, one infusion"
    ),
    "rule_product_not_again": "product {product} is {status}: it cannot be given again",
    "rule_no_product": "no product {product}",
    "rule_no_patient_id": "no patient with id {patient_id}",
    "rule_not_float": "must be given as text or a Decimal, not a float ({got})",
    "rule_between_unit": "must be between {low} and {high} {unit}, got {got}",
    "rule_not_a_count": "is not a count; give {known}",
    "rule_required_unit": "is required ({unit})",
    "rule_csv_empty": "is empty: give a header ({header}) and rows",
    "rule_csv_too_many_rows": "has more than {most} rows; split the file",
    "rule_csv_invalid": "row {row}: is not valid CSV ({problem})",
    "rule_csv_no_rows": "has a header but no rows",
    "rule_csv_unknown_column": "unknown column {got}; the columns are {columns}",
    "rule_csv_column_twice": "column {column} is given twice",
    "rule_csv_lacks_column": "lacks the column {columns}",
    "rule_csv_lacks_columns": "lacks the columns {columns}",
    "rule_either": "must be {first} or {second}, got {got}",
    "rule_import_too_large": "is larger than {most} bytes: not a labs file",
    "rule_no_tumour_response": "{protocol} records no tumour response",
    "rule_before_entries": "{on} is before entries dated up to {latest}",
    "rule_one_of_codes": "must be one of {allowed}, got {got}",
    "rule_count_recorded": "a blood count drawn at {at} is recorded already",
    "rule_after_death": "{day} is after the death recorded on {death}",
    "rule_date_in_future": "{day} is in the future (today is {today})",
    "rule_date_before": "{day} is before {what} ({since})",
    "rule_recorded_already": "is recorded already ({found})",
    **{f"field_{key}": key.replace("_", " ") + ": {value}" for key in MORE_LOG_FIELDS},
}

TABLE = Table(language="en", templates=TEXTS, yes="yes", no="no", nothing="")


def render(message: Message) -> str:
    return render_with(TABLE, message)
