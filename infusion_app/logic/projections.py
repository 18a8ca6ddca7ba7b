"""What the rows the services act on must hold, folded from the log alone.

``users``, ``patients``, ``products``, ``infusions`` and ``signatures`` are projections of
the event log: each row is what the chained events say, nothing more. These pure folds
compute the expected rows; the store compares them with the tables (``verify-log``) and the
services compare the rows one action reads with a fold of just their stream(s) before acting.

Password hashes never enter the log: account events carry ``password_digest``, the SHA-256 of
the stored hash, and the fold compares digests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    Event,
    FailedAttemptsCleared,
    InfusionCreated,
    LoginFailed,
    LoginSucceeded,
    PatientEnrolled,
    PatientRegistered,
    ProductAssigned,
    ProductRegistered,
    Signature,
    SignatureFailed,
    UndecodableEvent,
    UserCreated,
    UserDeactivated,
    UserLocked,
    UserLockedByAdmin,
    UserPasswordChanged,
    UserPasswordRehashed,
    UserPasswordReset,
    UserRoleChanged,
    UserStateRecorded,
    UserUnlocked,
    WeightRecorded,
    decode,
)


def password_digest(password_hash: str) -> str:
    """What the log keeps of a password hash: enough to notice a replaced hash, nothing to
    attack (a digest of an argon2id hash, not of the password)."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()


class ProductStatus(StrEnum):
    """A bag's life: registered -> released -> (dispensed) -> in use -> administered, or
    returned / discarded with a signed reason."""

    REGISTERED = "registered"
    RELEASED = "released"
    DISPENSED = "dispensed"
    IN_USE = "in_use"
    ADMINISTERED = "administered"
    RETURNED = "returned"
    DISCARDED = "discarded"


# A product may be bound to an infusion while it is one of these (and not bound already);
# the bedside hard stop still refuses to start one that is not released.
ASSIGNABLE = frozenset({ProductStatus.REGISTERED, ProductStatus.RELEASED, ProductStatus.DISPENSED})
# ... returned while one of these (before the infusion starts) ...
RETURNABLE = frozenset({ProductStatus.RELEASED, ProductStatus.DISPENSED})
# ... and discarded while one of these.
DISCARDABLE = frozenset(
    {
        ProductStatus.REGISTERED,
        ProductStatus.RELEASED,
        ProductStatus.DISPENSED,
        ProductStatus.IN_USE,
    }
)


class LogEvent(NamedTuple):
    """One stored event as the folds need it (a named tuple: verify-log makes one for each
    folded event of the whole log, and a frozen dataclass costs five times as much to make)."""

    stream: str
    seq: int
    type: str
    data: Event
    occurred_at: datetime
    recorded_at: datetime
    user: str | None


@dataclass(frozen=True)
class UserRow:
    username: str
    printed_name: str
    role: str
    password_digest: str | None  # None: no event of the log says which hash is right
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    # issue 17: defaults are what a log without these events says (every older record)
    must_change_password: bool = False
    locked_by_admin: bool = False
    deactivated_at: datetime | None = None


@dataclass(frozen=True)
class PatientRow:
    trial_id: str
    initials: str
    date_of_birth: str | None  # ISO date as logged
    age_years: int | None
    sex: str
    weight_kg: Decimal
    weight_measured_at: datetime
    protocol_id: str
    dose_level: str


@dataclass(frozen=True)
class ProductRow:
    product_id: str
    lot: str | None
    patient: str  # trial ID
    coa: Mapping[str, Any]
    status: ProductStatus
    infusion: str | None  # "P001/1" once bound


@dataclass(frozen=True)
class InfusionRow:
    patient: str
    product: str
    number: int
    protocol_id: str
    protocol_version: str
    created_at: datetime


@dataclass(frozen=True)
class SignatureRow:
    stream: str
    signature_seq: int
    signed_seq: int
    signed_hash: str
    meaning: str
    printed_name: str
    username: str
    signed_at: datetime


class FoldProblem(Exception):
    """The log itself cannot be folded: an event for a record that does not exist."""


# --- accounts (the system stream) ----------------------------------------------------------

ACCOUNT_TYPES = frozenset(
    {
        EventType.USER_CREATED,
        EventType.USER_ROLE_CHANGED,
        EventType.USER_PASSWORD_RESET,
        EventType.USER_PASSWORD_REHASHED,
        EventType.USER_LOCKED,
        EventType.USER_UNLOCKED,
        EventType.USER_STATE_RECORDED,
        EventType.LOGIN_SUCCEEDED,
        EventType.LOGIN_FAILED,
        EventType.SIGNATURE_FAILED,
        EventType.FAILED_ATTEMPTS_CLEARED,
        EventType.USER_PASSWORD_CHANGED,
        EventType.USER_LOCKED_BY_ADMIN,
        EventType.USER_DEACTIVATED,
    }
)


def fold_accounts(
    events: Iterable[LogEvent], start: Mapping[str, UserRow] | None = None
) -> dict[str, UserRow]:
    """The ``users`` rows the system stream's events set up, by username.

    ``start`` continues an earlier fold (the services keep one and fold only what is new).
    """
    users = dict(start or {})
    for event in events:
        if event.type not in ACCOUNT_TYPES:
            continue
        p = event.data
        name = getattr(p, "username", None)  # every account event has one, but a failure
        if isinstance(p, UserCreated):
            users[p.username] = UserRow(
                username=p.username,
                printed_name=p.printed_name,
                role=p.role,
                password_digest=p.password_digest,
                failed_logins=0,
                locked_until=None,
                created_at=event.recorded_at,
                must_change_password=bool(p.must_change_password),
            )
            continue
        user = users.get(name) if name is not None else None
        if user is None:
            if event.type in (EventType.LOGIN_FAILED, EventType.SIGNATURE_FAILED):
                continue  # an unknown account (or one named only by its length)
            raise FoldProblem(f"system#{event.seq} {event.type} names no account {name or ''!r}")
        users[user.username] = _account_change(user, p, event.recorded_at)
    return users


def _account_change(user: UserRow, p: Event, recorded_at: datetime) -> UserRow:
    match p:
        # first: a login is most of a ward's system record (the window locks after a few
        # idle minutes), and one that changes nothing keeps the row as it is
        case LoginSucceeded() | FailedAttemptsCleared():
            if user.failed_logins == 0 and user.locked_until is None:
                return user
            return replace(user, failed_logins=0, locked_until=None)
        case UserRoleChanged():
            return replace(user, role=p.to)
        case UserPasswordReset():
            return replace(
                user,
                password_digest=p.password_digest,
                failed_logins=0,
                locked_until=None,
                must_change_password=bool(p.must_change_password),
            )
        case UserPasswordChanged():
            return replace(
                user,
                password_digest=p.password_digest,
                failed_logins=0,
                locked_until=None,
                must_change_password=False,
            )
        case UserPasswordRehashed():
            return replace(user, password_digest=p.password_digest)
        case UserLocked():
            return replace(user, locked_until=p.until, failed_logins=0)
        case UserLockedByAdmin():
            return replace(user, locked_by_admin=True)
        case UserUnlocked():
            return replace(user, failed_logins=0, locked_until=None, locked_by_admin=False)
        case UserDeactivated():
            return replace(user, deactivated_at=recorded_at)
        case UserStateRecorded():
            return replace(
                user,
                password_digest=p.password_digest,
                failed_logins=p.failed_logins,
                locked_until=p.locked_until,
            )
        case LoginFailed() | SignatureFailed():  # of an existing account
            if p.why == "wrong password":
                if p.attempt is None:
                    raise FoldProblem(f"a wrong password for {user.username} without its count")
                return replace(user, failed_logins=p.attempt)
            return user
    raise FoldProblem(f"{p.TYPE.value} is not an account event")


# --- patients, products, infusions ----------------------------------------------------------

# the row's dose level is the enrolment's (a later change applies to later infusions only,
# which carry their own level)
PATIENT_TYPES = frozenset(
    {EventType.PATIENT_REGISTERED, EventType.WEIGHT_RECORDED, EventType.PATIENT_ENROLLED}
)


def fold_patient(events: Iterable[LogEvent]) -> PatientRow | None:
    """The ``patients`` row one patient stream sets up (None: no registration logged)."""
    row: PatientRow | None = None
    for event in events:
        p = event.data
        if isinstance(p, PatientRegistered):
            protocol_id, _ = split_protocol_label(p.protocol)
            row = PatientRow(
                trial_id=p.trial_id,
                initials=p.initials,
                date_of_birth=p.date_of_birth.isoformat() if p.date_of_birth else None,
                age_years=p.age_years,
                sex=p.sex,
                weight_kg=p.weight_kg,
                weight_measured_at=p.weight_measured_at,
                protocol_id=protocol_id,
                dose_level=p.dose_level,
            )
        elif isinstance(p, WeightRecorded):
            if row is None:
                raise FoldProblem(f"{event.stream}#{event.seq}: a weight before registration")
            row = replace(row, weight_kg=p.weight_kg, weight_measured_at=event.occurred_at)
        elif isinstance(p, PatientEnrolled):
            if row is None:
                raise FoldProblem(f"{event.stream}#{event.seq}: an enrolment before registration")
            row = replace(row, dose_level=p.dose_level)
    return row


PRODUCT_TYPES = frozenset(
    {
        EventType.PRODUCT_REGISTERED,
        EventType.PRODUCT_RELEASED,
        EventType.PRODUCT_DISPENSED,
        EventType.PRODUCT_ASSIGNED,
        EventType.PRODUCT_IN_USE,
        EventType.PRODUCT_ADMINISTERED,
        EventType.PRODUCT_RETURNED,
        EventType.PRODUCT_DISCARDED,
    }
)
_STATUS_AFTER = {
    EventType.PRODUCT_RELEASED: ProductStatus.RELEASED,
    EventType.PRODUCT_DISPENSED: ProductStatus.DISPENSED,
    EventType.PRODUCT_IN_USE: ProductStatus.IN_USE,
    EventType.PRODUCT_ADMINISTERED: ProductStatus.ADMINISTERED,
    EventType.PRODUCT_RETURNED: ProductStatus.RETURNED,
    EventType.PRODUCT_DISCARDED: ProductStatus.DISCARDED,
}
# The folds read only the type of these events, never their payload (a product's status).
STATUS_ONLY = frozenset(_STATUS_AFTER)


def fold_product(events: Iterable[LogEvent]) -> ProductRow | None:
    """The ``products`` row one product stream sets up, its status and its infusion.

    The status and the binding are carried along and set on the row once, at the end (a row
    copied at every event was most of verify-log's time in the products)."""
    row: ProductRow | None = None
    status, infusion = ProductStatus.REGISTERED, None
    for event in events:
        if event.type not in PRODUCT_TYPES:
            continue
        p = event.data
        if isinstance(p, ProductRegistered):
            coa = p.coa
            row = ProductRow(
                product_id=coa["product_id"],
                lot=coa.get("lot"),
                patient=p.patient,
                coa=coa,
                status=ProductStatus.REGISTERED,
                infusion=None,
            )
            status, infusion = ProductStatus.REGISTERED, None
        elif row is None:
            raise FoldProblem(f"{event.stream}#{event.seq}: {event.type} before registration")
        elif isinstance(p, ProductAssigned):
            infusion = p.infusion
        else:
            status = _STATUS_AFTER[EventType(event.type)]
    if row is None or (row.status, row.infusion) == (status, infusion):
        return row
    return replace(row, status=status, infusion=infusion)


def infusion_row(created: LogEvent) -> InfusionRow:
    """The ``infusions`` row an ``infusion_created`` event sets up."""
    p = created.data
    if not isinstance(p, InfusionCreated):
        raise FoldProblem(f"{created.stream}#{created.seq}: {created.type} is not a creation")
    protocol_id, version = split_protocol_label(p.protocol)
    return InfusionRow(
        patient=p.patient,
        product=p.product,
        number=p.number,
        protocol_id=protocol_id,
        protocol_version=version,
        created_at=created.recorded_at,
    )


def signature_row(event: LogEvent) -> SignatureRow:
    p = event.data
    if not isinstance(p, Signature):
        raise FoldProblem(f"{event.stream}#{event.seq}: {event.type} is not a signature")
    return SignatureRow(
        stream=event.stream,
        signature_seq=event.seq,
        signed_seq=p.signed_seq,
        signed_hash=p.signed_hash,
        meaning=p.meaning.value,
        printed_name=p.printed_name,
        username=p.username,
        signed_at=event.recorded_at,
    )


def split_protocol_label(label: str) -> tuple[str, str]:
    """``"ucmsc-cart-cytopenia v1.0"`` -> (ID, version): how events name a protocol."""
    protocol_id, sep, version = label.rpartition(" v")
    if not sep:
        raise FoldProblem(f"protocol {label!r} is not 'ID vVERSION'")
    return protocol_id, version


def differing(expected: object, actual: Mapping[str, object]) -> list[str]:
    """The fields of ``actual`` (column name -> stored value) that differ from ``expected``."""
    return [name for name, value in actual.items() if getattr(expected, name) != value]


def decoded(type: str, payload_text: str) -> Event:
    """A stored payload as its model; one that does not fit cannot be folded."""
    try:
        return decode(type, payload_text)
    except UndecodableEvent as problem:
        raise FoldProblem(str(problem)) from None
