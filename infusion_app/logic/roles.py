"""Who may do what. The services enforce this table; the window only mirrors it.

An admin manages accounts but performs and signs no clinical act; a monitor reads, prints and
exports but writes nothing clinical; only a pharmacist releases or dispenses a product.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.messages import Message


class Role(StrEnum):
    NURSE = "nurse"
    PHARMACIST = "pharmacist"
    MONITOR = "monitor"
    ADMIN = "admin"
    INVESTIGATOR = "investigator"  # a physician of the trial


class Action(StrEnum):
    MANAGE_ACCOUNTS = "manage accounts"
    REGISTER_PATIENT = "register a patient"
    RECORD_WEIGHT = "record a weight"
    REGISTER_PRODUCT = "register a product"
    RELEASE_PRODUCT = "release a product"
    DISPENSE_PRODUCT = "dispense a product"
    RETURN_PRODUCT = "return or discard a product"
    CREATE_INFUSION = "create an infusion"
    CALCULATE_DOSE = "calculate a dose"
    VERIFY_DOSE = "verify a dose"
    RECORD_INFUSION_EVENT = "record an infusion event"
    ENROL_PATIENT = "enrol a patient"
    CHANGE_DOSE_LEVEL = "change a dose level"
    END_TREATMENT = "end a treatment"
    REVIEW_DLT = "review a DLT"
    REVIEW_TRIAL = "sign a dose-finding decision"
    RECORD_LAB = "record blood counts, transfusions and contacts"
    RECORD_OUTCOME = "record a tumour assessment, progression or death"
    RECORD_VISIT = "record a visit or sample"
    RECORD_ADVERSE_EVENT = "record an adverse event"
    SIGN = "sign a clinical record"
    # No READ: every role may read, so a check could never refuse; what gates reading is the
    # login (the window shows nothing before it), and putting a copy out is PRINT.
    PRINT = "print or export records"
    PRINT_TRIAL = "print the trial's dose-finding records"  # every patient's DLTs at once
    # verify-log --checkpoint: the heads a full walk found sound, for later --since walks
    CHECKPOINT_LOG = "sign a checkpoint of the verified log"


_CLINICAL = frozenset({Role.NURSE, Role.PHARMACIST})
_INVESTIGATOR = frozenset({Role.INVESTIGATOR})
# who sees and treats the patient: the bedside acts of the course
_CARE = frozenset({Role.NURSE, Role.INVESTIGATOR})

PERMISSIONS: dict[Action, frozenset[Role]] = {
    Action.MANAGE_ACCOUNTS: frozenset({Role.ADMIN}),
    Action.REGISTER_PATIENT: _CLINICAL | _INVESTIGATOR,
    Action.RECORD_WEIGHT: _CLINICAL | _INVESTIGATOR,
    Action.REGISTER_PRODUCT: frozenset({Role.PHARMACIST}),
    Action.RELEASE_PRODUCT: frozenset({Role.PHARMACIST}),
    Action.DISPENSE_PRODUCT: frozenset({Role.PHARMACIST}),
    Action.RETURN_PRODUCT: frozenset({Role.PHARMACIST}),
    Action.CREATE_INFUSION: _CLINICAL,
    Action.CALCULATE_DOSE: _CLINICAL,
    Action.VERIFY_DOSE: _CLINICAL,
    Action.RECORD_INFUSION_EVENT: frozenset({Role.NURSE}),
    Action.ENROL_PATIENT: _INVESTIGATOR,
    Action.CHANGE_DOSE_LEVEL: _INVESTIGATOR,
    Action.END_TREATMENT: _INVESTIGATOR,
    Action.REVIEW_DLT: _INVESTIGATOR,
    Action.REVIEW_TRIAL: _INVESTIGATOR,
    Action.RECORD_LAB: _CARE,
    Action.RECORD_OUTCOME: _INVESTIGATOR,
    Action.RECORD_VISIT: _CARE,
    Action.RECORD_ADVERSE_EVENT: _CARE,
    Action.SIGN: _CLINICAL | _INVESTIGATOR,
    Action.PRINT: frozenset({Role.MONITOR, Role.NURSE, Role.PHARMACIST, Role.INVESTIGATOR}),
    Action.PRINT_TRIAL: frozenset({Role.MONITOR, Role.INVESTIGATOR}),
    # who audits the record (a monitor) or keeps the installation (an administrator); no
    # clinical act, so an administrator may sign it
    Action.CHECKPOINT_LOG: frozenset({Role.MONITOR, Role.ADMIN}),
}


def may(role: Role, action: Action) -> bool:
    return role in PERMISSIONS[action]


_ROLE_NAMES: dict[Role, Callable[[], Message]] = {
    Role.NURSE: m.role_nurse,
    Role.PHARMACIST: m.role_pharmacist,
    Role.MONITOR: m.role_monitor,
    Role.ADMIN: m.role_admin,
    Role.INVESTIGATOR: m.role_investigator,
}

_ACTION_NAMES: dict[Action, Callable[[], Message]] = {
    Action.MANAGE_ACCOUNTS: m.may_manage_accounts,
    Action.REGISTER_PATIENT: m.may_register_patient,
    Action.RECORD_WEIGHT: m.may_record_weight,
    Action.REGISTER_PRODUCT: m.may_register_product,
    Action.RELEASE_PRODUCT: m.may_release_product,
    Action.DISPENSE_PRODUCT: m.may_dispense_product,
    Action.RETURN_PRODUCT: m.may_return_product,
    Action.CREATE_INFUSION: m.may_create_infusion,
    Action.CALCULATE_DOSE: m.may_calculate_dose,
    Action.VERIFY_DOSE: m.may_verify_dose,
    Action.RECORD_INFUSION_EVENT: m.may_record_infusion_event,
    Action.ENROL_PATIENT: m.may_enrol_patient,
    Action.CHANGE_DOSE_LEVEL: m.may_change_dose_level,
    Action.END_TREATMENT: m.may_end_treatment,
    Action.REVIEW_DLT: m.may_review_dlt,
    Action.REVIEW_TRIAL: m.may_review_trial,
    Action.RECORD_LAB: m.may_record_lab,
    Action.RECORD_OUTCOME: m.may_record_outcome,
    Action.RECORD_VISIT: m.may_record_visit,
    Action.RECORD_ADVERSE_EVENT: m.may_record_adverse_event,
    Action.SIGN: m.may_sign,
    Action.PRINT: m.may_print,
    Action.PRINT_TRIAL: m.may_print_trial,
    Action.CHECKPOINT_LOG: m.may_checkpoint_log,
}


def refusal(role: Role, action: Action) -> Message:
    """Why ``role`` may not do ``action``: "an admin may not print or export records"."""
    return m.role_may_not(role=_ROLE_NAMES[role](), action=_ACTION_NAMES[action]())
