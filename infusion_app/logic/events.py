"""One typed, immutable model per kind of event, and the one place a stored payload is decoded.

Field names and units are the stored JSON's, unchanged: ``encode(decode(type, payload))``
gives back a dict whose canonical JSON (``store.eventlog.canonical_json(jsonable(...))``) is
byte for byte what was stored, so the hash chain of every existing record still holds
(tests/store/test_record_v1.py proves it on a record written before these models existed).

What the stored form needs kept exactly:

- Decimals are stored as their text ("63.0", "2E+6"): ``Decimal`` keeps that text.
- Times are stored as UTC ISO 8601 with microseconds; they decode to aware UTC datetimes.
- Some keys are absent rather than null when there is no value (``override_reason`` of a
  start or end, ``folder`` of an output ...): each model lists those in ``OMIT_IF_NONE``;
  every other optional key is stored as null. A key with a default that was not given
  (read from an older record that lacks it, or left out by the builder) stays absent.
- A product's certificate of analysis and a correction's changed values are kept as the
  mappings that were stored: the CoA has its own model (:mod:`infusion_app.logic.coa`), and
  a correction's values are checked by applying them to the corrected event's model
  (:func:`with_changes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from infusion_app.logic.alarms import Priority
from infusion_app.logic.errors import InputError, IntegrityProblem
from infusion_app.logic.event_types import EventType
from infusion_app.logic.patient import SignatureMeaning


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


UtcTime = Annotated[AwareDatetime, AfterValidator(_utc)]


class _Part(BaseModel):
    """A value nested in a payload (an alarm, a drip phase, a release criterion)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Event(BaseModel):
    """The payload of one stored event; each subclass knows its ``TYPE``."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_by_name=True)

    TYPE: ClassVar[EventType]
    OMIT_IF_NONE: ClassVar[frozenset[str]] = frozenset()


# --- system stream: accounts, logins, outputs ---------------------------------------------


class UserCreated(Event):
    TYPE = EventType.USER_CREATED
    # logs begun before schema 0003 carry no digest (user_state_recorded supplies it);
    # ``must_change_password`` (issue 17) is stored only when true: a first password the
    # user must replace at first login, so every older record keeps its bytes
    OMIT_IF_NONE = frozenset({"password_digest", "must_change_password"})
    username: str
    printed_name: str
    role: str
    password_digest: str | None = None
    must_change_password: bool | None = None


class UserRoleChanged(Event):
    TYPE = EventType.USER_ROLE_CHANGED
    username: str
    from_: str = Field(alias="from")
    to: str


class UserPasswordReset(Event):
    TYPE = EventType.USER_PASSWORD_RESET
    OMIT_IF_NONE = frozenset({"password_digest", "must_change_password"})  # as in user_created
    username: str
    password_digest: str | None = None
    must_change_password: bool | None = None  # true from issue 17 on: an admin's reset


class UserLocked(Event):
    TYPE = EventType.USER_LOCKED
    username: str
    until: UtcTime


class UserUnlocked(Event):
    TYPE = EventType.USER_UNLOCKED
    username: str


class UserPasswordChanged(Event):
    """The user's own change, proved by the current password: clears a forced change."""

    TYPE = EventType.USER_PASSWORD_CHANGED
    username: str
    password_digest: str


class UserLockedByAdmin(Event):
    """An administrator's lock: no login or signature until an administrator unlocks."""

    TYPE = EventType.USER_LOCKED_BY_ADMIN
    username: str


class UserDeactivated(Event):
    """The account is kept (its entries name it) but never logs in or signs again."""

    TYPE = EventType.USER_DEACTIVATED
    username: str
    reason: str


class UserPasswordRehashed(Event):
    TYPE = EventType.USER_PASSWORD_REHASHED
    OMIT_IF_NONE = frozenset({"password_digest"})  # as in user_created
    username: str
    password_digest: str | None = None


class LoginSucceeded(Event):
    TYPE = EventType.LOGIN_SUCCEEDED
    username: str


class _Failed(Event):
    """A wrong password, a locked account, or (``account`` "unknown") no such account, whose
    name is not stored, only its length: people type their password into that field."""

    OMIT_IF_NONE = frozenset({"username", "attempt", "account", "username_length"})
    why: str
    username: str | None = None
    attempt: int | None = None
    account: str | None = None
    username_length: int | None = None


class LoginFailed(_Failed):
    TYPE = EventType.LOGIN_FAILED


class SignatureFailed(_Failed):
    TYPE = EventType.SIGNATURE_FAILED


class _Output(Event):
    OMIT_IF_NONE = frozenset({"folder", "incomplete"})
    what: str
    subject: str
    destination: str
    folder: str | None = None
    incomplete: str | None = None
    head_seq: int | None  # null for a list of many infusions
    head_hash: str | None
    sha256: str


class RecordPrinted(_Output):
    TYPE = EventType.RECORD_PRINTED


class RecordOutputFailed(_Output):
    TYPE = EventType.RECORD_OUTPUT_FAILED
    OMIT_IF_NONE = frozenset({"folder", "incomplete", "printed_seq"})
    reason: str
    printed_seq: int | None = None  # the record_printed entry of an abandoned file


class UserStateRecorded(Event):
    TYPE = EventType.USER_STATE_RECORDED
    username: str
    password_digest: str
    failed_logins: int
    locked_until: UtcTime | None
    why: str


class FailedAttemptsCleared(Event):
    TYPE = EventType.FAILED_ATTEMPTS_CLEARED
    username: str


class IntegrityRefused(Event):
    TYPE = EventType.INTEGRITY_REFUSED
    subject: str
    fields: tuple[str, ...]


class LogCheckpoint(Event):
    """The head of every record as a full ``verify-log`` walk found them sound, signed
    "verified" by the user who ran it: ``verify-log --since`` walks only what follows."""

    TYPE = EventType.LOG_CHECKPOINT
    events: int  # in all the records below
    heads: dict[str, tuple[int, str]]  # record (stream name) -> (head seq, head hash)


# --- patient stream -----------------------------------------------------------------------


class PatientRegistered(Event):
    TYPE = EventType.PATIENT_REGISTERED
    trial_id: str
    initials: str
    sex: str
    date_of_birth: date | None
    age_years: int | None
    weight_kg: Decimal
    weight_measured_at: UtcTime
    protocol: str  # "<id> v<version>"
    dose_level: str
    warnings_acknowledged: tuple[str, ...]


class WeightRecorded(Event):
    TYPE = EventType.WEIGHT_RECORDED
    weight_kg: Decimal
    warnings_acknowledged: tuple[str, ...]


class PatientEnrolled(Event):
    """The investigator's enrolment (signed "enrolled"); the event's time is the enrolment."""

    TYPE = EventType.PATIENT_ENROLLED
    # an enrolment the dose-finding rule refused, made anyway with a second investigator's
    # signature: what the rule said (``deviation_of``) and why (listed as a deviation)
    OMIT_IF_NONE = frozenset({"deviation_of", "deviation_reason"})
    protocol: str  # "<id> v<version>"
    dose_level: str
    deviation_of: str | None = None
    deviation_reason: str | None = None


class DoseLevelChanged(Event):
    """Infusions numbered ``from_infusion`` and later are given at ``to_level`` (signed)."""

    TYPE = EventType.DOSE_LEVEL_CHANGED
    from_level: str
    to_level: str
    from_infusion: int
    reason: str


class TreatmentEnded(Event):
    """No more infusions (signed); follow-up goes on unless the patient died or withdrew."""

    TYPE = EventType.TREATMENT_ENDED
    reason: str  # logic.course.EndReason
    details: str | None


class VisitRecorded(Event):
    TYPE = EventType.VISIT_RECORDED
    item: str  # the calendar occurrence's key, "follow_up_weekly:7d"
    note: str | None


class SampleCollected(Event):
    TYPE = EventType.SAMPLE_COLLECTED
    item: str
    sample_id: str | None  # the tube's label or accession number
    note: str | None


class DltReviewed(Event):
    """The investigator's decision on a flagged DLT (signed "reviewed")."""

    TYPE = EventType.DLT_REVIEWED
    stream: str  # where the adverse event is: "patient:P001" or "infusion:P001/2"
    adverse_event_seq: int
    confirmed: bool
    reason: str


# --- the patient's outcomes (issue 16) -------------------------------------------------


class LabRecorded(Event):
    """A blood count as drawn: haemoglobin in g/L, the counts in 10^9/L, exact as entered."""

    TYPE = EventType.LAB_RECORDED
    OMIT_IF_NONE = frozenset({"wbc", "lym", "source"})
    drawn_at: UtcTime
    hb: Decimal
    anc: Decimal
    plt: Decimal
    wbc: Decimal | None = None
    lym: Decimal | None = None
    source: str | None = None  # the imported file's name; absent when typed


class TransfusionGiven(Event):
    TYPE = EventType.TRANSFUSION_GIVEN
    given_at: UtcTime
    kind: str  # "rbc" or "platelets"
    units: int


class TumourAssessed(Event):
    """A tumour assessment's overall response (signed by the investigator)."""

    TYPE = EventType.TUMOUR_ASSESSED
    assessed_on: date
    response: str  # CR, PR, SD, PD or NE
    criteria: str  # "RECIST 1.1", from the protocol file


class ProgressionRecorded(Event):
    """The date of progression (signed by the investigator): PFS ends there."""

    TYPE = EventType.PROGRESSION_RECORDED
    on: date


class DeathRecorded(Event):
    """The date of death and its cause (signed by the investigator): PFS and OS end there."""

    TYPE = EventType.DEATH_RECORDED
    on: date
    cause: str


class LastContactRecorded(Event):
    """The patient was last known alive on ``on``: OS is censored there."""

    TYPE = EventType.LAST_CONTACT_RECORDED
    on: date


# --- trial stream --------------------------------------------------------------------------


class LevelCounts(_Part):
    """One dose level's patients as the tracker counted them when a decision was signed."""

    level: str
    enrolled: int
    treated: int
    evaluable: int
    pending: int
    dlts: int
    not_evaluable: int


class TrialDecisionReviewed(Event):
    """The investigator's signed review of what the dose-finding rule says (signed "reviewed").

    The counts the decision came from are part of the signed payload, so the minute of the
    safety review cannot drift from the data: ``patients`` are those enrolled when it was
    signed (the next cohort is whoever is enrolled after). ``decision`` is the rule's
    (escalate, stay, de-escalate, expand, stop, or select at the end of dose finding);
    ``next_level`` is where the next patients go (the chosen optimal dose after a select).
    """

    TYPE = EventType.TRIAL_DECISION_REVIEWED
    OMIT_IF_NONE = frozenset({"comment", "choice_reason"})
    protocol: str  # "<id> v<version>"
    method: str  # "3+3" or "boin"
    decision: str
    level: str  # the level decided on
    next_level: str | None
    mtd: str | None  # 3+3: the maximum tolerated level once escalation is over
    eliminated: list[str]
    counts: list[LevelCounts]
    patients: list[str]
    selected: str | None = None  # BOIN select.mtd at the end of dose finding
    selected_largest_on_tie: str | None = None  # the seed's reading, when it differs
    choice_reason: str | None = None  # why the investigator chose between the two readings
    comment: str | None = None


# --- product stream -----------------------------------------------------------------------


class ProductRegistered(Event):
    TYPE = EventType.PRODUCT_REGISTERED
    patient: str
    coa: dict[str, Any]  # the certificate as stored; read with logic.coa.coa_from_mapping


class Criterion(_Part):
    key: str
    name: str
    value: str
    limit: str
    result: str
    source: str


class ReleaseCheckRecord(_Part):
    protocol: str
    product_id: str
    evaluated_at: str  # ISO 8601 text as the release check wrote it (no microseconds)
    verdict: str
    criteria: tuple[Criterion, ...]
    unrecognised_fields: tuple[str, ...]


class ProductReleased(Event):
    TYPE = EventType.PRODUCT_RELEASED
    release_check: ReleaseCheckRecord


class ProductDispensed(Event):
    TYPE = EventType.PRODUCT_DISPENSED
    release_check: ReleaseCheckRecord


class ProductAssigned(Event):
    TYPE = EventType.PRODUCT_ASSIGNED
    infusion: str  # "P001/1"


class ProductInUse(Event):
    TYPE = EventType.PRODUCT_IN_USE


class ProductAdministered(Event):
    TYPE = EventType.PRODUCT_ADMINISTERED


class ProductReturned(Event):
    TYPE = EventType.PRODUCT_RETURNED
    from_: str = Field(alias="from")  # the status it left
    why: str


class ProductDiscarded(Event):
    TYPE = EventType.PRODUCT_DISCARDED
    from_: str = Field(alias="from")
    why: str


# --- infusion stream ----------------------------------------------------------------------


class InfusionCreated(Event):
    TYPE = EventType.INFUSION_CREATED
    patient: str
    product: str
    number: int
    protocol: str
    dose_level: str | None
    # infusions created before the protocol file's hash was pinned have no such key; one
    # whose protocol had no file hash stores null: a key not given stays absent
    protocol_sha256: str | None = None


class DripPhaseRecord(_Part):
    phase: int
    rate_gtt_per_min: int
    rate_ml_per_min: Decimal
    rate_ml_per_h: Decimal
    start_min: Decimal
    duration_min: Decimal
    volume_ml: Decimal


class AdvisoryRecord(_Part):
    code: str
    level: str
    field: str | None
    message: str


class DoseCalculated(Event):
    TYPE = EventType.DOSE_CALCULATED
    protocol: str
    product: str
    dose_level: str
    dose_basis: str
    dose_cells_per_kg: Decimal
    weight_kg: Decimal
    weight_measured_at: UtcTime
    total_cells_per_ml: Decimal
    viability_pct: Decimal
    dosing_concentration_cells_per_ml: Decimal
    target_cells: Decimal
    target_cells_text: str
    product_volume_ml: Decimal
    delivered_cells: Decimal
    delivered_cells_text: str
    dose_deviation_pct: Decimal
    tolerance_pct: Decimal
    final_volume_ml: Decimal
    diluent_volume_ml: Decimal
    drop_factor_gtt_per_ml: int
    drip_plan: tuple[DripPhaseRecord, ...]
    expected_duration_min: Decimal
    warnings: tuple[AdvisoryRecord, ...]


class DoseVerified(Event):
    TYPE = EventType.DOSE_VERIFIED
    calculation_seq: int


class IdentityChecked(Event):
    TYPE = EventType.IDENTITY_CHECKED
    method: str
    trial_id: str
    product: str
    product_status: str


class CheckFailed(Event):
    TYPE = EventType.CHECK_FAILED
    method: str
    trial_id: str
    product: str
    problems: tuple[str, ...]


class PremedicationGiven(Event):
    TYPE = EventType.PREMEDICATION_GIVEN
    drug: str
    dose_mg: Decimal
    route: str


class ProductThawed(Event):
    TYPE = EventType.PRODUCT_THAWED
    post_thaw_limit_min: int


class InfusionStarted(Event):
    TYPE = EventType.INFUSION_STARTED
    OMIT_IF_NONE = frozenset({"override_reason", "schedule_deviation"})
    drop_factor_gtt_per_ml: int
    rate_gtt_per_min: int | None
    override_reason: str | None = None
    # started after the plan's window closed: the reason given (a schedule deviation)
    schedule_deviation: str | None = None


class RateChanged(Event):
    TYPE = EventType.RATE_CHANGED
    rate_gtt_per_min: int
    no_discomfort: bool


class SlowRateHeld(Event):
    TYPE = EventType.SLOW_RATE_HELD
    reason: str


class AlarmRecord(_Part):
    priority: Priority
    code: str
    message: str
    suggested_action: str


class VitalsRecorded(Event):
    TYPE = EventType.VITALS_RECORDED
    temperature_c: Decimal
    heart_rate_bpm: int
    systolic_mmhg: int
    diastolic_mmhg: int
    respiratory_rate_per_min: int
    spo2_pct: int
    on_oxygen: bool
    avpu: str
    news2: int
    news2_band: str
    alarms: tuple[AlarmRecord, ...]


class AdverseEventRecorded(Event):
    TYPE = EventType.ADVERSE_EVENT_RECORDED
    term: str
    other_term: str | None
    grade: int
    started_at: UtcTime
    aware_at: UtcTime
    attribution: str
    serious: bool
    action_taken: str
    outcome: str
    description: str | None
    fever_grade_suggested: int | None
    dlt: bool
    report_due_at: UtcTime | None


class SaeReported(Event):
    TYPE = EventType.SAE_REPORTED
    adverse_event_seq: int


class InfusionPaused(Event):
    TYPE = EventType.INFUSION_PAUSED
    reason: str


class InfusionResumed(Event):
    TYPE = EventType.INFUSION_RESUMED


class InfusionStopped(Event):
    TYPE = EventType.INFUSION_STOPPED
    reason: str
    volume_given_ml: Decimal


class InfusionEnded(Event):
    TYPE = EventType.INFUSION_ENDED
    OMIT_IF_NONE = frozenset({"override_reason"})
    volume_infused_ml: Decimal
    override_reason: str | None = None


class ObservationEnded(Event):
    TYPE = EventType.OBSERVATION_ENDED


class FollowUpDone(Event):
    TYPE = EventType.FOLLOW_UP_DONE
    check: str  # "acute_24h", "week_4" ...
    finding: str | None


class NoteAdded(Event):
    TYPE = EventType.NOTE_ADDED
    text: str


class AlarmAcknowledged(Event):
    TYPE = EventType.ALARM_ACKNOWLEDGED
    alarm: str  # the alarm's key
    message: str


class Correction(Event):
    """A new reading of an earlier event: ``changes`` are stored values of the corrected
    event's fields (with what they derive recomputed), ``original`` the values they replace."""

    TYPE = EventType.CORRECTION
    OMIT_IF_NONE = frozenset({"occurred_at", "original_occurred_at"})
    corrects_seq: int
    corrects_type: EventType
    changes: dict[str, Any]
    original: dict[str, Any]
    occurred_at: UtcTime | None = None
    original_occurred_at: UtcTime | None = None

    @field_validator("changes", "original", mode="before")
    @classmethod
    def _as_stored(cls, value: Any) -> Any:
        """The values as they read back from the log (a Decimal as its text), so a correction
        built by a service equals the one folded from the database."""
        return plain(value) if isinstance(value, Mapping) else value


class Signature(Event):
    TYPE = EventType.SIGNATURE
    meaning: SignatureMeaning
    printed_name: str
    signed_seq: int
    signed_hash: str
    username: str


MODELS: dict[EventType, type[Event]] = {
    model.TYPE: model
    for model in (
        UserCreated,
        UserRoleChanged,
        UserPasswordReset,
        UserLocked,
        UserUnlocked,
        UserPasswordRehashed,
        LoginSucceeded,
        LoginFailed,
        SignatureFailed,
        RecordPrinted,
        RecordOutputFailed,
        UserStateRecorded,
        FailedAttemptsCleared,
        IntegrityRefused,
        LogCheckpoint,
        UserPasswordChanged,
        UserLockedByAdmin,
        UserDeactivated,
        PatientRegistered,
        WeightRecorded,
        PatientEnrolled,
        DoseLevelChanged,
        TreatmentEnded,
        VisitRecorded,
        SampleCollected,
        DltReviewed,
        LabRecorded,
        TransfusionGiven,
        TumourAssessed,
        ProgressionRecorded,
        DeathRecorded,
        LastContactRecorded,
        TrialDecisionReviewed,
        ProductRegistered,
        ProductReleased,
        ProductDispensed,
        ProductAssigned,
        ProductInUse,
        ProductAdministered,
        ProductReturned,
        ProductDiscarded,
        InfusionCreated,
        DoseCalculated,
        DoseVerified,
        IdentityChecked,
        CheckFailed,
        PremedicationGiven,
        ProductThawed,
        InfusionStarted,
        RateChanged,
        SlowRateHeld,
        VitalsRecorded,
        AdverseEventRecorded,
        SaeReported,
        InfusionPaused,
        InfusionResumed,
        InfusionStopped,
        InfusionEnded,
        ObservationEnded,
        FollowUpDone,
        NoteAdded,
        AlarmAcknowledged,
        Correction,
        Signature,
    )
}


_BY_VALUE: dict[str, type[Event]] = {kind.value: model for kind, model in MODELS.items()}


class UndecodableEvent(IntegrityProblem, ValueError):
    """A stored payload that is not its type's model: an integrity problem, never input
    (exit 4 wherever it escapes, not a bug's 70)."""


def decode(type: EventType | str, payload: Mapping[str, Any] | str | bytes) -> Event:
    """The one place a stored payload becomes its typed model."""
    model = _BY_VALUE.get(type)
    if model is None:
        raise UndecodableEvent(f"unknown event type {type!r}")
    kind = model.TYPE
    try:
        if isinstance(payload, str | bytes):  # pydantic's own JSON parser: faster than json
            return model.model_validate_json(payload)
        return model.model_validate(payload)
    except ValidationError as problem:
        raise UndecodableEvent(f"{kind.value}: {_first(problem)}") from None


def encode(event: Event) -> dict[str, Any]:
    """The payload dict as it is stored (values still Decimal/datetime/enum for ``jsonable``):
    absent keys stay absent, null ones null."""
    data = event.model_dump(by_alias=True, exclude_unset=True)
    for name in event.OMIT_IF_NONE:
        if data.get(name, 0) is None:
            del data[name]
    return data


def stored_form(event: Event) -> dict[str, Any]:
    """The payload as ``json.loads`` reads it back from the log: Decimals and times as text."""
    result: dict[str, Any] = plain(encode(event))
    return result


def plain(value: Any) -> Any:
    """A value as the log's canonical JSON stores it and ``json.loads`` gives it back
    (store.eventlog.jsonable, which logic may not import, makes the same choices)."""
    if isinstance(value, Mapping):  # keys in the canonical JSON's (sorted) order
        return {k: plain(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in the event log")
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def with_changes(event: Event, changes: Mapping[str, Any]) -> Event:
    """``event`` as a correction says it should read; a change that breaks the model is
    refused as input, naming the field."""
    try:
        return type(event).model_validate({**encode(event), **changes})
    except ValidationError as problem:
        error = problem.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "changes"
        raise InputError(field, str(error["msg"]).lower()) from None


def _first(problem: ValidationError) -> str:
    error = problem.errors()[0]
    return f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
