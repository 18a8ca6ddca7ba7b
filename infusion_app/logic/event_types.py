"""The kinds of event the log holds, and the streams they belong to.

A stream is one chain of events: the ``system`` stream (accounts, logins), one per patient,
one per product, one per infusion and one per trial (its dose-finding decisions). Each stream
has its own gap-free sequence and hash chain, so an infusion's record can be verified and
printed on its own.
"""

from __future__ import annotations

from enum import StrEnum

SYSTEM_STREAM = "system"


class EventType(StrEnum):
    # system stream: who could act
    USER_CREATED = "user_created"
    USER_ROLE_CHANGED = "user_role_changed"
    USER_PASSWORD_RESET = "user_password_reset"
    USER_LOCKED = "user_locked"
    USER_UNLOCKED = "user_unlocked"
    USER_PASSWORD_REHASHED = "user_password_rehashed"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    SIGNATURE_FAILED = "signature_failed"
    RECORD_PRINTED = "record_printed"  # a record or export put out: who, what, which head
    RECORD_OUTPUT_FAILED = "record_output_failed"  # a printed file not put in place: why
    # an account's hash digest, failed logins and lock as found when the log began to hold
    # them (written once per account by migration 0003)
    USER_STATE_RECORDED = "user_state_recorded"
    FAILED_ATTEMPTS_CLEARED = "failed_attempts_cleared"  # a correct signature password
    INTEGRITY_REFUSED = "integrity_refused"  # a row disagreed with the log: nothing was done
    # accounts in the window (issue 17): the user's own new password (clears a forced
    # change), an administrator's lock that lasts until unlocked, and a deactivation (kept
    # for the audit trail, never logs in or signs again)
    USER_PASSWORD_CHANGED = "user_password_changed"
    USER_LOCKED_BY_ADMIN = "user_locked_by_admin"
    USER_DEACTIVATED = "user_deactivated"
    # issue 18: every record's head as a full verify-log walk found it, signed "verified"
    LOG_CHECKPOINT = "log_checkpoint"
    # patient stream
    PATIENT_REGISTERED = "patient_registered"
    WEIGHT_RECORDED = "weight_recorded"
    # the patient's course (investigator's acts are signed)
    PATIENT_ENROLLED = "patient_enrolled"
    DOSE_LEVEL_CHANGED = "dose_level_changed"  # for infusions from a number on, never back
    TREATMENT_ENDED = "treatment_ended"
    VISIT_RECORDED = "visit_recorded"  # a visit, check or assessment of the calendar
    SAMPLE_COLLECTED = "sample_collected"  # a sample of the calendar
    DLT_REVIEWED = "dlt_reviewed"  # a flagged DLT confirmed or rejected
    # the patient's outcomes (issue 16): blood counts and transfusions (care staff), tumour
    # assessments, progression and death (the investigator, signed), the last contact
    LAB_RECORDED = "lab_recorded"
    TRANSFUSION_GIVEN = "transfusion_given"
    TUMOUR_ASSESSED = "tumour_assessed"
    PROGRESSION_RECORDED = "progression_recorded"
    DEATH_RECORDED = "death_recorded"
    LAST_CONTACT_RECORDED = "last_contact_recorded"
    # trial stream ("trial:<protocol id>"): the dose-finding decisions, signed "reviewed"
    TRIAL_DECISION_REVIEWED = "trial_decision_reviewed"
    # (a patient's stream also holds adverse_event_recorded and sae_reported: AEs recorded
    # against the patient rather than during an infusion)
    # product stream
    PRODUCT_REGISTERED = "product_registered"
    PRODUCT_RELEASED = "product_released"
    PRODUCT_DISPENSED = "product_dispensed"
    PRODUCT_ASSIGNED = "product_assigned"  # bound to its one infusion
    PRODUCT_IN_USE = "product_in_use"  # the infusion started
    PRODUCT_ADMINISTERED = "product_administered"  # the infusion ended (or stopped running)
    PRODUCT_RETURNED = "product_returned"  # signed, with the reason
    PRODUCT_DISCARDED = "product_discarded"  # signed, with the reason
    # infusion stream
    INFUSION_CREATED = "infusion_created"
    DOSE_CALCULATED = "dose_calculated"
    DOSE_VERIFIED = "dose_verified"
    IDENTITY_CHECKED = "identity_checked"
    CHECK_FAILED = "check_failed"
    PREMEDICATION_GIVEN = "premedication_given"
    PRODUCT_THAWED = "product_thawed"
    INFUSION_STARTED = "infusion_started"
    RATE_CHANGED = "rate_changed"
    SLOW_RATE_HELD = "slow_rate_held"
    VITALS_RECORDED = "vitals_recorded"
    ADVERSE_EVENT_RECORDED = "adverse_event_recorded"
    SAE_REPORTED = "sae_reported"
    INFUSION_PAUSED = "infusion_paused"
    INFUSION_RESUMED = "infusion_resumed"
    INFUSION_STOPPED = "infusion_stopped"
    INFUSION_ENDED = "infusion_ended"
    OBSERVATION_ENDED = "observation_ended"
    FOLLOW_UP_DONE = "follow_up_done"
    NOTE_ADDED = "note_added"  # the bedside's "note": a free-text nursing note with its time
    ALARM_ACKNOWLEDGED = "alarm_acknowledged"
    CORRECTION = "correction"
    # any stream: a signature binds a meaning to an earlier event of the same stream
    SIGNATURE = "signature"


def patient_stream(trial_id: str) -> str:
    return f"patient:{trial_id}"


def product_stream(product_id: str) -> str:
    return f"product:{product_id}"


def trial_stream(protocol_id: str) -> str:
    """One per protocol: the trial's signed dose-finding decisions, in the order made."""
    return f"trial:{protocol_id}"


def infusion_stream(trial_id: str, number: int) -> str:
    """Named by patient and cycle/dose number, which identify an infusion uniquely."""
    return f"infusion:{trial_id}/{number}"
