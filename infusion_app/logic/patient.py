"""The details that identify a trial patient and the weight the dose is computed from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.advisories import Advisory
from infusion_app.logic.dosing import check_weight
from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.protocol import Protocol

TRIAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class SignatureMeaning(StrEnum):
    """What a signature says (21 CFR 11.50(a)(3))."""

    RELEASED = "released"
    DISPENSED = "dispensed"
    VERIFIED = "verified"
    ADMINISTERED = "administered"
    REVIEWED = "reviewed"
    CORRECTED = "corrected"
    RETURNED = "returned"
    DISCARDED = "discarded"
    ENROLLED = "enrolled"
    APPROVED = "approved"  # a dose-level change
    ENDED = "ended"  # treatment ended
    ASSESSED = "assessed"  # a tumour assessment, progression or death


@dataclass(frozen=True)
class PatientDetails:
    trial_id: str
    initials: str
    sex: Sex
    weight_kg: Decimal
    weight_measured_at: datetime
    protocol_id: str
    dose_level: str
    date_of_birth: date | None = None
    age_years: int | None = None


def validate_patient(
    protocol: Protocol,
    *,
    trial_id: str,
    initials: str,
    sex: str,
    weight_kg: Decimal | int | str,
    weight_measured_at: datetime,
    dose_level: str,
    now: datetime,
    date_of_birth: date | None = None,
    age_years: int | None = None,
) -> tuple[PatientDetails, list[Advisory]]:
    """Check a new patient's details against the protocol; warnings come back to acknowledge."""
    if not TRIAL_ID.match(trial_id):
        raise InputError(
            "trial_id",
            m.rule_trial_id_form(),
        )
    initials = initials.strip()
    if not 1 <= len(initials) <= 8 or not all(ch.isalpha() or ch == "-" for ch in initials):
        raise InputError("initials", m.rule_initials_letters())
    try:
        sex_value = Sex(sex.strip().lower())
    except ValueError:
        sexes = tuple(m.value_of("sex", s.value) for s in Sex)
        raise InputError("sex", m.rule_one_of_plain(allowed=sexes)) from None
    if (date_of_birth is None) == (age_years is None):
        raise InputError("date_of_birth", m.rule_birth_date_or_age())
    if date_of_birth is not None and date_of_birth > now.date():
        raise InputError("date_of_birth", m.rule_is_in_future())
    if age_years is not None and not 0 <= age_years <= 120:
        raise InputError("age_years", m.rule_between(low=0, high=120, got=age_years))
    if weight_measured_at.tzinfo is None:
        raise InputError("weight_measured_at", m.rule_time_zone_include())
    if weight_measured_at > now:
        raise InputError("weight_measured_at", m.rule_is_in_future())
    protocol.dose_level(dose_level)  # raises for an unknown level
    warnings: list[Advisory] = []
    weight = check_weight(protocol, parse_decimal("weight_kg", weight_kg), warnings)
    details = PatientDetails(
        trial_id=trial_id,
        initials=initials.upper(),
        sex=sex_value,
        weight_kg=weight,
        weight_measured_at=weight_measured_at,
        protocol_id=protocol.id,
        dose_level=dose_level,
        date_of_birth=date_of_birth,
        age_years=age_years,
    )
    return details, warnings
