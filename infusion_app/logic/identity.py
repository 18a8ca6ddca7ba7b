"""Positive identification before an infusion: the right patient, the right bag.

The patient is identified by two identifiers (trial ID plus initials or date of birth), or by
scanning the wristband, whose code carries both. The bag's product ID must be the product of
this infusion, made for this patient (chain of identity). Any mismatch is a hard stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.messages import Message

WRISTBAND_PREFIX = "MSC"
WRISTBAND_SEPARATOR = "|"


@dataclass(frozen=True)
class Wristband:
    trial_id: str
    initials: str


def wristband_code(trial_id: str, initials: str) -> str:
    """What the wristband's barcode reads: ``MSC|P001|WL``. The one place the format is
    written; :func:`parse_wristband` reads it back."""
    return WRISTBAND_SEPARATOR.join((WRISTBAND_PREFIX, trial_id, initials))


def looks_like_wristband(text: str) -> bool:
    """A scan that starts as a wristband does (``MSC|``, in any case), not a bag's ID."""
    return text.strip().upper().startswith(WRISTBAND_PREFIX + WRISTBAND_SEPARATOR)


def parse_wristband(text: str) -> Wristband:
    """``MSC|P001|WL`` (the prefix in any case) -> ``Wristband("P001", "WL")``; anything
    else is InputError naming ``wristband``. The one parser: the bedside scan, the identity
    check and the worklist's search all read a wristband through it."""
    parts = text.strip().split(WRISTBAND_SEPARATOR)
    if len(parts) != 3 or parts[0].upper() != WRISTBAND_PREFIX:
        raise InputError("wristband", m.rule_not_wristband(got=repr(text)))
    return Wristband(parts[1], parts[2])


@dataclass(frozen=True)
class PatientFacts:
    trial_id: str
    initials: str
    date_of_birth: date | None


@dataclass(frozen=True)
class GivenIdentity:
    trial_id: str | None = None
    initials: str | None = None
    date_of_birth: date | None = None
    wristband: str | None = None

    def method(self) -> str:
        if self.wristband:
            return "wristband"
        return "trial ID + " + ("initials" if self.initials else "date of birth")


def identity_problems(
    patient: PatientFacts,
    given: GivenIdentity,
    *,
    infusion_product: str,
    product_owner: str | None,
    scanned_product: str,
) -> list[Message]:
    """Every mismatch, in words a nurse can act on; empty when all match."""
    problems: list[Message] = []
    if given.wristband:
        band = parse_wristband(given.wristband)
        if band.trial_id != patient.trial_id or band.initials.upper() != patient.initials.upper():
            problems.append(
                m.id_wristband_not_patient(
                    wristband=given.wristband.strip(), trial_id=patient.trial_id
                )
            )
    else:
        if not given.trial_id:
            raise InputError("trial_id", m.rule_trial_id_or_wristband())
        if not given.initials and given.date_of_birth is None:
            raise InputError("initials", m.rule_second_identifier())
        if given.trial_id.strip() != patient.trial_id:
            problems.append(
                m.id_trial_id_not_patient(given=given.trial_id.strip(), trial_id=patient.trial_id)
            )
        if given.initials and given.initials.strip().upper() != patient.initials.upper():
            problems.append(m.id_initials_mismatch(given=given.initials.strip()))
        if given.date_of_birth is not None:
            if patient.date_of_birth is None:
                problems.append(m.id_no_date_of_birth())
            elif given.date_of_birth != patient.date_of_birth:
                problems.append(m.id_date_of_birth_mismatch())
    scanned = scanned_product.strip()
    if not scanned:
        raise InputError("product_id", m.rule_scan_product_id())
    if scanned != infusion_product:
        owner = m.id_bag_owner(trial_id=product_owner) if product_owner else None
        problems.append(
            m.id_bag_not_product(scanned=scanned, product=infusion_product, owner=owner)
        )
    return problems


MAX_RECORD_ID = 2**31 - 1
"""The largest row ID or number a reference may name (PostgreSQL's integer)."""
MAX_REFERENCE_LENGTH = 80


def parse_count(field: str, text: str, *, low: int = 1, high: int = MAX_RECORD_ID) -> int:
    """A whole number typed by a person: ASCII digits only (no '²', no '1_000', no
    Arabic-Indic digits), within ``low``..``high``."""
    raw = text.strip()
    if not raw or len(raw) > 12 or not (raw.isascii() and raw.isdigit()):
        raise InputError(field, m.rule_whole_number_range(low=low, high=high, got=repr(text[:40])))
    value = int(raw)
    if not low <= value <= high:
        raise InputError(field, m.rule_whole_number_range(low=low, high=high, got=raw))
    return value


def parse_infusion_reference(text: str) -> tuple[str | None, int]:
    """``"12"`` -> (None, 12), the infusion's ID; ``"P001/1"`` -> ("P001", 1), the patient's
    trial ID and the infusion's number. Anything else is InputError naming ``infusion``."""
    raw = text.strip()
    hint = m.rule_infusion_reference(got=repr(text[:40]))
    if not raw or len(raw) > MAX_REFERENCE_LENGTH or not raw.isprintable():
        raise InputError("infusion", hint)
    trial_id, slash, number = raw.rpartition("/")
    if not slash:
        if not (raw.isascii() and raw.isdigit()):
            raise InputError("infusion", hint)
        return None, parse_count("infusion", raw)
    if not trial_id.strip() or not (number.isascii() and number.isdigit()):
        raise InputError("infusion", hint)
    return trial_id.strip(), parse_count("infusion", number)
