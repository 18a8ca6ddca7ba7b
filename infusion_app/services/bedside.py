"""The bedside actions: one declaration per thing a nurse does, one transaction each.

A :class:`BedsideStep` declares everything about an action in one place: who may do it
(the :class:`~infusion_app.logic.roles.Action` checked), whether it is signed and with what
meaning, its arguments (typed, with the CLI's flags and help and the window's form labels),
the window's button, and how its event is built from the arguments and the :class:`_Scope`.
The CLI's ``infusion`` steps and the bedside screen's buttons are made from :data:`STEPS`;
a step is also the service function itself (``bedside.give_premedication(ctx, nurse, 7)``).

Every action follows the same path (:func:`_act`): authorise against the account as stored
now, take the infusion's stream lock, fold the stored log into the current state, build the
event, let the rule book (:func:`infusion_app.logic.transitions.apply`) accept or refuse it,
append it, and sign it where the step is signed (start, stop, end, corrections, dose
verification). A refused action writes nothing; the exception's message says why.

``at`` is the bedside time of the action (default: now). A time more than 5 minutes back
needs ``late_reason`` (back-entry after downtime); a time in the future is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, TypeAlias

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic import events as ev
from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import check_adverse_event_text, entered_adverse_event
from infusion_app.logic.alarms import Alarm, Priority
from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.backentry import (
    ABSOLUTE_BACK_LIMIT,
    CLOCK_SKEW,
    back_entry_limit,
    check_moment,
    check_times,
)
from infusion_app.logic.coa import coa_from_mapping, is_expired
from infusion_app.logic.corrections import adverse_event_payload, correction_payload
from infusion_app.logic.course import (
    CourseFacts,
    CourseRefused,
    Span,
    check_start,
    dlt_window,
    start_opens,
)
from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.entered_time import parse_iso_time, plausible_utc
from infusion_app.logic.errors import DomainError, DoseError, InputError
from infusion_app.logic.event_types import EventType, patient_stream
from infusion_app.logic.events import Signature as SignatureEvent
from infusion_app.logic.events import decode
from infusion_app.logic.identity import GivenIdentity, PatientFacts, identity_problems
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.messages import Message
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.roles import Action
from infusion_app.logic.summaries import calculation_summary
from infusion_app.logic.text_rules import (
    PRODUCT_ID_MAX,
    SHORT_TEXT_MAX,
    TRIAL_ID_MAX,
    check_payload_text,
    check_text,
    free_text,
    optional_free_text,
    optional_text,
)
from infusion_app.logic.transitions import (
    ActionRefused,
    InconsistentRecord,
    apply,
    effective_events,
    fold,
)
from infusion_app.logic.vitals import parse_vitals, vitals_payload
from infusion_app.services.authorisation import require_record
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course
from infusion_app.services.integrity import transaction
from infusion_app.services.products import (
    ADMINISTERED,
    DISPENSED,
    IN_USE,
    RELEASED,
    follow_infusion,
)
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.services.status import (
    infusion_state,
    pinned_protocol_of,
    stream_events,
)
from infusion_app.services.stream_cache import Head
from infusion_app.store.act_rows import InfusionRecord, UserRecord, lock_infusion
from infusion_app.store.eventlog import (
    append_event,
    canonical_json,
    jsonable,
    lock_stream,
)
from infusion_app.store.models import Event, Infusion, Patient, Product, Stream, User
from infusion_app.store.projections import check_patient, check_product


class HardStop(DomainError):
    """A pre-infusion check failed: wrong patient, wrong bag, product not released or expired.

    No one can override it. The failed check itself is recorded before this is raised.
    ``message`` says what failed; ``str()`` is its English line.
    """

    def __init__(self, problems: Iterable[Message]) -> None:
        self.message = m.hard_stop(problems=tuple(problems))
        super().__init__(self.message)


@dataclass(frozen=True)
class Outcome:
    """What an action leaves behind: the new state, the event's number, alarms it raised."""

    state: InfusionState
    seq: int
    alarms: tuple[Alarm, ...] = ()


@dataclass
class _Scope:
    """What an action's builder may look at, inside the action's transaction."""

    session: Session
    infusion: Infusion | InfusionRecord
    protocol: Protocol
    state: InfusionState
    events: list[RecordedEvent]
    at: datetime
    now: datetime
    user: User | UserRecord
    ctx: AppContext  # for the patient's course (its current protocol)

    def patient(self) -> Patient:
        patient = self.session.get(Patient, self.infusion.patient_id)
        assert patient is not None  # foreign key
        check_patient(self.session, patient)  # the weight, dose level ... the log says
        return patient

    def product(self) -> Product:
        product = self.session.get(Product, self.infusion.product_id)
        assert product is not None  # foreign key
        check_product(self.session, product)  # the status and CoA the log says
        return product

    def known_since(self) -> datetime:
        return patient_known_since(self.session, self.patient())

    def check_moment(self, field: str, moment: datetime) -> datetime:
        """A time given for this infusion: not in the future, not before the patient was
        registered, not beyond the protocol's back-entry limit."""
        return check_moment(
            field,
            plausible_utc(field, moment),
            self.now,
            not_before=self.known_since(),
            limit=back_entry_limit(self.protocol),
        )


@dataclass
class _Draft:
    event: ev.Event  # the typed entry; stored as ``ev.encode(event)``
    meaning: SignatureMeaning | None = None
    alarms: tuple[Alarm, ...] = ()
    refold: bool = False  # a correction: the whole corrected log must still replay
    then: DomainError | None = None  # raised once the entry is committed (a failed check)

    @property
    def type(self) -> EventType:
        return self.event.TYPE

    @property
    def payload(self) -> dict[str, Any]:
        return ev.encode(self.event)


def _act(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    action: Action,
    build: Callable[[_Scope], _Draft],
    *,
    at: datetime | None = None,
    late_reason: str | None = None,
    password: str | None = None,
) -> Outcome:
    reason = optional_free_text("reason", late_reason)
    then: list[DomainError] = []

    def body(session: Session, user: User | UserRecord, now: datetime) -> Outcome:
        found = lock_infusion(session, infusion_id)  # the row, checked, and its head locked
        if found is None:
            raise InputError("infusion", f"no infusion {infusion_id}")
        infusion, locked = found
        stream_name = locked.name
        head = Head(locked.seq, locked.hash)  # read once, under the lock
        cached = stream_events(ctx, session, infusion.stream_id, head)
        # the pin from the creation event among them: protocol_of without its query
        version = ctx.protocol_version(infusion.protocol_id, infusion.protocol_version)
        protocol = pinned_protocol_of(version, infusion, stream_name, cached)
        events = list(cached)
        state = infusion_state(ctx, session, infusion, protocol, head)
        occurred = plausible_utc("occurred_at", _aware(at)) if at is not None else now
        scope = _Scope(session, infusion, protocol, state, events, occurred, now, user, ctx)
        if at is not None:
            scope.check_moment("occurred_at", occurred)
        draft = build(scope)
        if draft.then is not None:
            then.append(draft.then)
        check_times(occurred, now, reason, draft.type)
        raw = draft.payload
        check_payload_text(raw)
        # read back as the fold will read it from the database: that text is what is stored
        text = canonical_json(jsonable(raw))
        data = decode(draft.type, text)
        candidate = RecordedEvent(
            state.last_seq + 1, draft.type, data, occurred, now, user.username, reason
        )
        if draft.refold:
            try:
                new_state = fold([*events, candidate], protocol)
            except InconsistentRecord as broken:
                problem = m.text(str(broken))
                raise ActionRefused(m.correction_would_not_hold(problem=problem)) from None
        else:
            new_state = apply(state, candidate, protocol)
        appended = append_event(
            session,
            stream_name,
            draft.type,
            data,
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=occurred,
            reason=reason,
            locked=locked,
            payload_text=text,
        )
        if draft.meaning is not None:
            if not isinstance(user, User):  # a signed step runs through signed_act
                raise TypeError("a signed entry without its signer's password")
            stream = session.get(Stream, infusion.stream_id)
            assert stream is not None  # locked above
            signature = sign_event(ctx, session, user, stream, appended, draft.meaning, now)
            signed = RecordedEvent(
                signature.signature_seq,
                EventType.SIGNATURE,
                SignatureEvent(
                    meaning=draft.meaning,
                    printed_name=signature.printed_name,
                    signed_seq=signature.signed_seq,
                    signed_hash=signature.signed_hash,
                    username=user.username,
                ),
                now,
                now,
                user.username,
            )
            new_state = apply(new_state, signed, protocol)
        else:  # the entry as a read would decode it: the next act need not read it back
            ctx.streams.appended(
                infusion.stream_id,
                head,
                (replace(candidate, seq=appended.seq),),
                Head(appended.seq, appended.hash),
                protocol,
                new_state,
            )
        started = state.started_at is not None
        follow_infusion(ctx, session, user, infusion.product_id, draft.type, started, now)
        return Outcome(new_state, appended.seq, draft.alarms)

    if password is not None:
        outcome = signed_act(ctx, actor, action, password, body)
    else:
        now = ctx.now()
        with transaction(ctx) as session:
            # the account as a record: a bedside entry only reads it (act_rows)
            outcome = body(session, require_record(session, actor, action, now), now)
    if then:
        raise then[0]  # committed: the record shows what failed
    return outcome


def patient_known_since(session: Session, patient: Patient) -> datetime:
    """The earliest time an entry about this patient may carry: their registration, or the
    weighing it recorded when that was earlier (a registration entered after downtime)."""
    first = session.execute(
        select(Event).where(Event.stream_id == patient.stream_id).order_by(Event.seq).limit(1)
    ).scalar_one_or_none()
    if first is None:
        return patient.weight_measured_at
    registered = ev.decode(first.type, first.payload)
    if isinstance(registered, ev.PatientRegistered):
        return min(first.occurred_at, registered.weight_measured_at)
    return first.occurred_at


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InputError("at", "give the time with its time zone (e.g. 2026-11-21T08:35+08:00)")
    return moment


def _product_problems(product: Product, at: datetime, *, started: bool = False) -> list[Message]:
    problems = []
    # once this infusion has started, its bag is in use (then administered) by this infusion:
    # the rule book, not the hard stop, refuses a second check or start
    usable = (RELEASED, DISPENSED, IN_USE, ADMINISTERED) if started else (RELEASED, DISPENSED)
    if product.status not in usable:
        status = m.value_of("product_status", product.status)
        problems.append(m.product_not_released(product=product.product_id, status=status))
    if is_expired(coa_from_mapping(json.loads(product.coa)), at):
        problems.append(m.product_expired(product=product.product_id))
    return problems


def dlt_window_of(scope: _Scope) -> Span | None:
    """The patient's DLT window as the course stands now (the protocol's anchor: the first
    infusion, or the last planned one, open until it is given), read inside the action's
    transaction over all the patient's infusions."""
    course = load_course(scope.ctx, scope.session, scope.patient())
    return dlt_window(course.protocol, course.facts)


_TIME_FIELDS = frozenset({"started_at", "aware_at"})
_VOLUME_FIELDS = frozenset({"volume_infused_ml", "volume_given_ml"})


def _corrected_time(scope: _Scope, target: RecordedEvent, field: str, value: Any) -> datetime:
    """A corrected time obeys the rules the entry obeyed when it was made: not in the future,
    not before the patient was registered, not beyond the back-entry limit before the entry
    was recorded."""
    if isinstance(value, datetime):
        moment = plausible_utc(field, value)
    elif isinstance(value, str):
        moment = parse_iso_time(field, value)
    else:
        raise InputError(field, "must be an ISO 8601 time with its UTC offset")
    since = scope.known_since()
    earliest = target.recorded_at - back_entry_limit(scope.protocol)
    return check_moment(
        field,
        moment,
        scope.now,
        not_before=max(since, earliest),
        not_before_what=m.since_registered() if since >= earliest else m.since_back_limit(),
        limit=ABSOLUTE_BACK_LIMIT,
    )


# --- the declaration of a bedside action ----------------------------------------------------

Values: TypeAlias = dict[str, Any]
_Builder: TypeAlias = Callable[[_Scope, Values], _Draft]


class Kind(Enum):
    """What an argument holds; the CLI and the window turn typed text into it."""

    TEXT = "text"  # str (a number the service parses, such as a volume, is text too)
    COUNT = "count"  # int, ASCII digits within [low, high]
    FLAG = "flag"  # bool; on the CLI a switch
    TIME = "time"  # aware datetime; on the CLI ISO 8601 with offset
    DATE = "date"  # date; on the CLI YYYY-MM-DD
    PAIRS = "pairs"  # {field: text}; on the CLI a repeatable FIELD=VALUE
    MAPPING = "mapping"  # a mapping given whole (a set of vital signs)


@dataclass(frozen=True)
class Param:
    """One argument of a bedside action."""

    name: str  # the service's keyword
    kind: Kind = Kind.TEXT
    help: str = ""
    flag: str | None = None  # the CLI option; None: not on the CLI
    required: bool = False
    default: Any = None
    cli_required: bool | None = None  # None: as ``required``
    low: int = 1  # a COUNT's range
    high: int = 1_000_000_000
    label: str | None = None  # the window's form field; None: not asked in the form
    metavar: str | None = None

    @property
    def key(self) -> str:
        """Its name on the CLI (``args.<key>``) and in the window's form."""
        return self.flag.lstrip("-").replace("-", "_") if self.flag else self.name


class Dialog(Enum):
    """How the window asks for a bedside action before saving it."""

    CONFIRM = "confirm"  # one click: what will be recorded and when, then confirmed
    FORM = "form"  # a form of the step's labelled arguments
    OWN = "own"  # a widget of its own (the scanner, the reaction dialog, the vitals row)


@dataclass(frozen=True)
class Button:
    label: str  # with its Alt mnemonic (each letter once per screen)
    title: str  # the dialog's title, the confirmed entry's name
    done: str  # said when it is saved
    dialog: Dialog = Dialog.FORM
    note: str = ""  # shown in the form
    signs: str = ""  # what the signature dialog says is signed (default: the title)
    gate: BedsideAction | None = None  # the rule-book probe that enables it
    grid: bool = True  # in the grid of buttons (else its own row, or under "More")


@dataclass(frozen=True)
class BedsideStep:
    """One bedside action, declared once; calling it is the service function."""

    name: str  # the CLI's step: ``infusion-app infusion <name>``
    help: str
    action: Action  # who may do it (logic/roles.py)
    build: _Builder  # the event, from the arguments and the scope
    params: tuple[Param, ...] = ()
    positional: tuple[str, ...] = ()  # the service's positional arguments, in order
    meaning: SignatureMeaning | None = None  # signed with this meaning (asks a password)
    timed: bool = True  # takes ``at`` and ``late_reason``
    reason_param: str | None = None  # an argument stored as the entry's reason
    check: Callable[[Values], Values] | None = None  # before the transaction
    cli: bool = True  # an ``infusion`` step of the CLI
    cli_params: tuple[Param, ...] | None = None  # the CLI's own flags, when not ``params``
    cli_values: Callable[[Values], Values] | None = None  # those flags -> the arguments
    button: Button | None = None

    def __call__(
        self,
        ctx: AppContext,
        actor: CurrentUser,
        infusion_id: int,
        /,
        *args: Any,
        at: datetime | None = None,
        late_reason: str | None = None,
        **kwargs: Any,
    ) -> Outcome:
        """The service: positional arguments in the order of :attr:`positional`."""
        if len(args) > len(self.positional):
            raise TypeError(f"{self.name}: takes {len(self.positional)} positional arguments")
        values = dict(zip(self.positional, args, strict=False))
        for name, value in kwargs.items():
            if name in values:
                raise TypeError(f"{self.name}: {name} given twice")
            values[name] = value
        password = values.pop("password", None)
        return perform(
            ctx, actor, infusion_id, self, values, password=password, at=at, late_reason=late_reason
        )


def perform(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    step: BedsideStep,
    values: Mapping[str, Any],
    *,
    password: str | None = None,
    at: datetime | None = None,
    late_reason: str | None = None,
) -> Outcome:
    """One bedside action: ``values`` by the step's argument names; ``password`` signs it."""
    known = {p.name for p in step.params}
    unknown = sorted(values.keys() - known)
    if unknown:
        raise TypeError(f"{step.name}: unexpected argument {unknown[0]}")
    given = {p.name: values.get(p.name, p.default) for p in step.params}
    missing = [p.name for p in step.params if p.required and values.get(p.name) is None]
    if step.meaning is not None and password is None:
        missing.append("password")
    if missing:
        raise TypeError(f"{step.name}: missing argument {missing[0]}")
    if step.meaning is None and password is not None:
        raise TypeError(f"{step.name}: is not signed: it takes no password")
    if not step.timed and at is not None:
        raise TypeError(f"{step.name}: takes no time")
    if step.reason_param is not None:
        late_reason = given.pop(step.reason_param)
    if step.check is not None:
        given = step.check(given)

    def build(scope: _Scope) -> _Draft:
        try:
            draft = step.build(scope, given)
        except ValidationError as problem:  # a value its event's model cannot hold
            error = problem.errors()[0]
            field = ".".join(str(part) for part in error["loc"]) or step.name
            raise InputError(field, str(error["msg"]).lower()) from None
        draft.meaning = step.meaning
        return draft

    return _act(
        ctx,
        actor,
        infusion_id,
        step.action,
        build,
        at=at,
        late_reason=late_reason,
        password=password,
    )


def step_named(name: str) -> BedsideStep:
    for step in STEPS:
        if step.name == name:
            return step
    raise KeyError(name)


# --- how each action builds its event -------------------------------------------------------


def _model(type_: EventType, payload: Mapping[str, Any]) -> ev.Event:
    """The typed entry of a payload that logic put together as a mapping."""
    return ev.MODELS[type_].model_validate(payload)


def _dose(scope: _Scope, v: Values) -> _Draft:
    """Dose and drip plan from today's weight and this product's CoA, for a second person to
    verify. A plan that cannot meet the protocol (an error advisory) is not recorded. The
    weight must have been measured within the protocol's hours before the calculation."""
    patient, product, protocol = scope.patient(), scope.product(), scope.protocol
    max_age = protocol.dosing.weight_max_age_h.value
    if patient.weight_measured_at > scope.at + CLOCK_SKEW:
        raise InputError(
            "at",
            f"the dose cannot be calculated before the weight it uses was measured "
            f"({patient.weight_measured_at.isoformat(timespec='minutes')})",
        )
    if scope.at - patient.weight_measured_at > timedelta(hours=max_age):
        raise InputError(
            "weight_kg",
            f"the weight on record was measured "
            f"{patient.weight_measured_at.isoformat(timespec='minutes')}, more than "
            f"{max_age} h ago: record today's weight first",
        )
    coa = coa_from_mapping(json.loads(product.coa))
    if coa.viability_pct is None:
        raise InputError("coa.viability_pct", "is pending: the dose needs a viability result")
    dose = calculate_dose(
        protocol,
        # the infusion's own level, fixed when it was created: a later change of the
        # patient's level (from a later infusion on) never reaches back to this one
        scope.state.dose_level or patient.dose_level,
        weight_kg=patient.weight_kg,
        total_cells_per_ml=coa.total_cells_per_ml,
        viability_pct=coa.viability_pct,
        bag_volume_ml=coa.volume_ml,
        final_volume_ml=v["final_volume_ml"],
    )
    plan = plan_drip(protocol.infusion, dose.final_volume_ml, v["drop_factor_gtt_per_ml"])
    for advisory in plan.warnings:
        if advisory.level == "error":
            raise DoseError(advisory.field, str(advisory.message))
    payload = {
        **calculation_summary(dose, plan),
        "weight_measured_at": patient.weight_measured_at,
        "product": product.product_id,
    }
    return _Draft(_model(EventType.DOSE_CALCULATED, payload))


def _verify(scope: _Scope, v: Values) -> _Draft:
    """The calculation in force; without one the rule book refuses (as its probe does)."""
    dose = scope.state.dose
    return _Draft(ev.DoseVerified(calculation_seq=dose.seq if dose else 0))


def _check_identity_text(v: Values) -> Values:
    return {
        "product_id": check_text("product_id", v["product_id"], PRODUCT_ID_MAX, required=False),
        "given": GivenIdentity(
            optional_text("trial_id", v["trial_id"], TRIAL_ID_MAX),
            optional_text("initials", v["initials"], SHORT_TEXT_MAX),
            v["date_of_birth"],
            optional_text("wristband", v["wristband"], SHORT_TEXT_MAX),
        ),
    }


def _identity(scope: _Scope, v: Values) -> _Draft:
    """A mismatch is recorded (a near miss the record must show), then raised as HardStop."""
    product_id: str = v["product_id"]
    given: GivenIdentity = v["given"]
    patient, product = scope.patient(), scope.product()
    scanned_owner = scope.session.execute(
        select(Patient.trial_id)
        .join(Product, Product.patient_id == Patient.id)
        .where(Product.product_id == product_id.strip())
    ).scalar_one_or_none()
    found = identity_problems(
        PatientFacts(patient.trial_id, patient.initials, patient.date_of_birth),
        given,
        infusion_product=product.product_id,
        product_owner=scanned_owner,
        scanned_product=product_id,
    )
    problems = list(found)
    problems += _product_problems(product, scope.at, started=scope.state.started_at is not None)
    method, trial_id = given.method(), patient.trial_id
    if problems:
        failed = HardStop(problems)
        said = tuple(str(problem) for problem in problems)  # stored in English, as ever
        entry: ev.Event = ev.CheckFailed(
            method=method, trial_id=trial_id, product=product_id, problems=said
        )
        return _Draft(entry, then=failed)
    entry = ev.IdentityChecked(
        method=method, trial_id=trial_id, product=product_id, product_status=product.status
    )
    return _Draft(entry)


def _premedication(scope: _Scope, v: Values) -> _Draft:
    premed = scope.protocol.premedication
    return _Draft(
        ev.PremedicationGiven(
            drug=premed.drug.value, dose_mg=premed.dose_mg.value, route=premed.route.value
        )
    )


def _thaw(scope: _Scope, v: Values) -> _Draft:
    limit = scope.protocol.infusion.post_thaw_limit_min.value
    return _Draft(ev.ProductThawed(post_thaw_limit_min=limit))


def _start(scope: _Scope, v: Values) -> _Draft:
    """The plan's window first (a start before it opens is a hard stop; after it closed only
    with a reason, stored as the schedule deviation); then the product and the weight the dose
    was calculated from are checked again at the moment of the start."""
    deviation = None
    if scope.state.started_at is None:  # a second start is the rule book's to refuse
        deviation = start_deviation(scope, v["deviation_reason"])
    product, patient, dose = scope.product(), scope.patient(), scope.state.dose
    problems = _product_problems(product, scope.at, started=scope.state.started_at is not None)
    if problems:
        raise HardStop(problems)
    if dose is not None and (
        patient.weight_measured_at != dose.weight_measured_at or patient.weight_kg != dose.weight_kg
    ):
        raise ActionRefused(
            m.start_blocked_new_weight(dose_weight_kg=dose.weight_kg, weight_kg=patient.weight_kg)
        )
    started = ev.InfusionStarted(
        drop_factor_gtt_per_ml=v["drop_factor_gtt_per_ml"],
        rate_gtt_per_min=dose.phase1_rate_gtt_per_min if dose else None,
        override_reason=v["override_reason"] or None,
        schedule_deviation=deviation,
    )
    return _Draft(started)


@dataclass(frozen=True)
class StartPlan:
    """What the plan says of starting this infusion, read with the bedside view so the
    window can disable the start before the plan's window opens (its tooltip the service's
    refusal) and ask for the deviation's reason only after it closed; recomputed with the
    clock on every tick, as the buttons are."""

    protocol: Protocol  # the patient's current protocol, which plans the course
    facts: CourseFacts
    number: int

    def refusal(self, at: datetime) -> Message | None:
        """What the service would say to a start at ``at`` without a reason, or None."""
        try:
            check_start(self.protocol, self.facts, self.number, at, None)
        except CourseRefused as refused:
            return refused.message
        return None

    def needs_reason(self, at: datetime) -> bool:
        refusal = self.refusal(at)
        return refusal is not None and refusal.code == "course_window_closed"

    def opens(self, now: datetime) -> datetime | None:
        """From when the plan lets it start (the due items count down to it)."""
        return start_opens(self.protocol, self.facts, self.number, now)


def start_plan(
    ctx: AppContext, session: Session, infusion: Infusion, state: InfusionState
) -> StartPlan | None:
    """The plan check of a start, for a view of the infusion in ``state``; None once it
    started (nothing of the course is read then) or for a record whose protocol plans no
    course."""
    if not waits_to_start(state):
        return None
    patient = session.get(Patient, infusion.patient_id)
    assert patient is not None  # foreign key
    return plan_of_start(load_course(ctx, session, patient), infusion.number)


def waits_to_start(state: InfusionState) -> bool:
    """Neither started nor stopped: the plan still has a say in its start."""
    return state.started_at is None and not state.stopped


def plan_of_start(course: LoadedCourse, number: int) -> StartPlan | None:
    """The plan check of infusion ``number``'s start in ``course``; None for a record whose
    protocol plans no course."""
    if not course.protocol.plans_courses:
        return None
    return StartPlan(course.protocol, course.facts, number)


def start_deviation(scope: _Scope, reason: str | None) -> str | None:
    """Whether the patient's plan lets this infusion start at ``scope.at``
    (:func:`infusion_app.logic.course.check_start`), read from the log inside the step's
    transaction. The patient's stream is locked first, so an investigator's act on the
    course (a level change, the end of treatment) cannot slip in between."""
    patient = scope.patient()
    lock_stream(scope.session, patient_stream(patient.trial_id))
    course = load_course(scope.ctx, scope.session, patient)
    why = optional_free_text("deviation_reason", reason)
    return check_start(course.protocol, course.facts, scope.infusion.number, scope.at, why)


def _rate(scope: _Scope, v: Values) -> _Draft:
    dose = scope.state.dose
    rate = v["rate_gtt_per_min"]
    if rate is None:
        rate = dose.phase2_rate_gtt_per_min if dose else None
    if rate is None:
        raise InputError("rate_gtt_per_min", "is required")
    no_discomfort = bool(v["no_discomfort"])
    return _Draft(ev.RateChanged(rate_gtt_per_min=int(rate), no_discomfort=no_discomfort))


def _with_reason(model: type[ev.SlowRateHeld | ev.InfusionPaused]) -> _Builder:
    """An entry whose one value is the reason the nurse gives (``why``)."""
    return lambda scope, v: _Draft(model(reason=free_text("why", v["why"])))


def _bare(model: type[ev.InfusionResumed | ev.ObservationEnded]) -> _Builder:
    """An entry with nothing but its time and who made it."""
    return lambda scope, v: _Draft(model())


def _vitals(scope: _Scope, v: Values) -> _Draft:
    payload = vitals_payload(v["values"], scope.protocol.vital_alert_limits)
    alarms = tuple(
        Alarm(Priority(a["priority"]), a["code"], a["message"], a["suggested_action"])
        for a in payload["alarms"]
    )
    return _Draft(_model(EventType.VITALS_RECORDED, payload), alarms=alarms)


def _vitals_from_flags(flags: Values) -> Values:
    systolic, slash, diastolic = flags["bp"].partition("/")
    if not slash:
        raise InputError("bp", f"give systolic/diastolic, e.g. 120/80, got {flags['bp']!r}")
    return {
        "values": {
            "temperature_c": flags["temp"],
            "heart_rate_bpm": flags["hr"],
            "systolic_mmhg": systolic,
            "diastolic_mmhg": diastolic,
            "respiratory_rate_per_min": flags["rr"],
            "spo2_pct": flags["spo2"],
            "on_oxygen": flags["o2"],
            "avpu": flags["avpu"],
        }
    }


def _adverse_event(scope: _Scope, v: Values) -> _Draft:
    """A CTCAE v5.0 adverse event. For fever the grade is suggested from the temperature
    (given, or the highest recorded in this infusion) and used when no grade is given."""
    peak = max((s.vitals.temperature_c for s in scope.state.vitals), default=None)
    raw = entered_adverse_event(
        v, at=scope.at, check_time=scope.check_moment, peak_temperature_c=peak
    )
    payload = adverse_event_payload(raw, scope.protocol, dlt_window_of(scope))
    return _Draft(_model(EventType.ADVERSE_EVENT_RECORDED, payload))


def _sae(scope: _Scope, v: Values) -> _Draft:
    return _Draft(ev.SaeReported(adverse_event_seq=v["adverse_event_seq"]))


def _volume(name: str) -> Callable[[Values], Values]:
    return lambda v: {**v, name: parse_decimal(name, v[name])}


def _stop(scope: _Scope, v: Values) -> _Draft:
    reason = free_text("why", v["why"])
    return _Draft(ev.InfusionStopped(reason=reason, volume_given_ml=v["volume_given_ml"]))


def _end(scope: _Scope, v: Values) -> _Draft:
    ended = ev.InfusionEnded(
        volume_infused_ml=v["volume_infused_ml"], override_reason=v["override_reason"] or None
    )
    return _Draft(ended)


def _as_payload(model: type[ev.AlarmAcknowledged]) -> _Builder:
    """An entry whose fields are its checked arguments, as they are."""
    return lambda scope, v: _Draft(model(**v))


def _correction(scope: _Scope, v: Values) -> _Draft:
    seq: int = v["seq"]
    target = next((e for e in scope.events if e.seq == seq), None)
    if target is None:
        raise InputError("seq", f"infusion {scope.infusion.id} has no event {seq}")
    effective = next((e for e in effective_events(scope.events) if e.seq == seq), target)
    values = dict(v["changes"] or {})
    for name in _TIME_FIELDS & values.keys():
        values[name] = _corrected_time(scope, target, name, values[name])
    for name in _VOLUME_FIELDS & values.keys():
        values[name] = parse_decimal(name, values[name])
    occurred_at = v["occurred_at"]
    payload = correction_payload(
        effective,
        occurred_at=_corrected_time(scope, target, "time", occurred_at) if occurred_at else None,
        changes=values,
        protocol=scope.protocol,
        dlt_window=dlt_window_of(scope),
    )
    return _Draft(payload, refold=True)


def _alarm_text(v: Values) -> Values:
    return {
        "alarm": check_text("alarm", v["key"], SHORT_TEXT_MAX),
        "message": free_text("message", v["message"], required=False),
    }


def _note(scope: _Scope, v: Values) -> _Draft:
    return _Draft(ev.NoteAdded(text=v["text"]))


def _note_text(v: Values) -> Values:
    return {"text": free_text("text", v["text"])}


# --- the declarations -----------------------------------------------------------------------
# Window texts are marked with QT_TR_NOOP for tools/update_translations (the window shows
# them through Qt's translation, context "" as lupdate files them); CLI help stays English.


def QT_TR_NOOP(text: str) -> str:
    return text


_NURSE = Action.RECORD_INFUSION_EVENT
_WHY = Param("why", required=True, flag="--why", label=QT_TR_NOOP("Reason"))
_SIGNED = ("password",)

DOSE = BedsideStep(
    "dose", "calculate dose and drip plan from today's weight and the CoA", Action.CALCULATE_DOSE,
    _dose,
    params=(
        Param("final_volume_ml", help="final bag volume after dilution",
              flag="--final-volume-ml", label=QT_TR_NOOP("Final volume (mL)")),
        Param("drop_factor_gtt_per_ml", help="drop factor of the set, gtt/mL (protocol default)",
              flag="--drop-factor", label=QT_TR_NOOP("Drop factor (gtt/mL)")),
    ),
    button=Button(QT_TR_NOOP("Calculate &dose"), QT_TR_NOOP("Calculate the dose"),
                  QT_TR_NOOP("Dose calculated: a second person verifies it."),
                  note=QT_TR_NOOP("From today's weight and the product's certificate of analysis."),
                  gate=BedsideAction.DOSE),
)  # fmt: skip
VERIFY_DOSE = BedsideStep(
    "verify-dose", "second person verifies the calculation (signed)", Action.VERIFY_DOSE, _verify,
    positional=_SIGNED, meaning=SignatureMeaning.VERIFIED,
    button=Button(QT_TR_NOOP("&Verify dose"), QT_TR_NOOP("Verify the dose"),
                  QT_TR_NOOP("Dose verified."), gate=BedsideAction.VERIFY_DOSE),
)  # fmt: skip
CHECK = BedsideStep(
    "check", "identify patient and bag (hard stop on any mismatch)", _NURSE, _identity,
    check=_check_identity_text,  # the scanned texts, before anything is read
    params=(
        Param("product_id", required=True, flag="--product", help="the bag's product ID (scanned)"),
        Param("wristband", flag="--wristband", help="scanned wristband code, e.g. MSC|P001|WL"),
        Param("trial_id", flag="--trial-id", help="patient trial ID (with --initials or --dob)"),
        Param("initials", flag="--initials"),
        Param("date_of_birth", Kind.DATE, flag="--dob", help="date of birth, YYYY-MM-DD"),
    ),
    button=Button(QT_TR_NOOP("&Check identity"), QT_TR_NOOP("Check identity"),
                  QT_TR_NOOP("Patient and bag match; product released and in date."),
                  Dialog.OWN, gate=BedsideAction.CHECK),  # the scanner field
)  # fmt: skip
PREMEDICATION = BedsideStep(
    "premed", "premedication given (drug, dose, route from the protocol)", _NURSE, _premedication,
    button=Button(QT_TR_NOOP("&Premedication given"), QT_TR_NOOP("Premedication given"),
                  QT_TR_NOOP("Premedication recorded."), Dialog.CONFIRM,
                  gate=BedsideAction.PREMEDICATION),
)  # fmt: skip
THAW = BedsideStep(
    "thaw", "product thawed and mixed at room temperature", _NURSE, _thaw,
    button=Button(QT_TR_NOOP("&Thawed"), QT_TR_NOOP("Product thawed"), QT_TR_NOOP("Thaw recorded."),
                  Dialog.CONFIRM, gate=BedsideAction.THAW),
)  # fmt: skip
START = BedsideStep(
    "start", "start at the slow rate (signed)", _NURSE, _start,
    params=(
        Param("drop_factor_gtt_per_ml", Kind.COUNT, required=True, flag="--drop-factor", high=1000,
              help="the set in use, gtt/mL",
              label=QT_TR_NOOP("Drop factor of the giving set (gtt/mL)")),
        Param("override_reason", flag="--override-reason",
              help="why a start outside the window is right",
              label=QT_TR_NOOP("Reason for the late start")),
        Param("deviation_reason", flag="--deviation-reason",
              help="why it starts after the plan's window closed (a schedule deviation)",
              label=QT_TR_NOOP("Reason for starting after the plan's window")),
    ),
    positional=_SIGNED, meaning=SignatureMeaning.ADMINISTERED,
    button=Button(QT_TR_NOOP("&Start infusion"), QT_TR_NOOP("Start the infusion"),
                  QT_TR_NOOP("Infusion started."), signs=QT_TR_NOOP("Start of the infusion"),
                  gate=BedsideAction.START),
)  # fmt: skip
RATE = BedsideStep(
    "rate", "rate step after the slow phase", _NURSE, _rate,
    params=(
        Param("no_discomfort", Kind.FLAG, required=True, flag="--no-discomfort",
              help="the patient has no discomfort (required to step up)"),
        Param("rate_gtt_per_min", Kind.COUNT, flag="--rate", high=1000,
              help="gtt/min (default: the plan's)", label=QT_TR_NOOP("New rate (gtt/min)")),
    ),
    button=Button(QT_TR_NOOP("&Rate step"), QT_TR_NOOP("Rate step"), QT_TR_NOOP("Rate changed."),
                  note=QT_TR_NOOP(
                      "Only if the patient reports no discomfort; otherwise hold the slow rate."
                  ),
                  gate=BedsideAction.RATE_STEP),
)  # fmt: skip
HOLD = BedsideStep(
    "hold", "discomfort: stay at the slow rate", _NURSE, _with_reason(ev.SlowRateHeld),
    params=(Param("why", required=True, flag="--why", label=QT_TR_NOOP("Discomfort reported")),),
    positional=("why",),
    button=Button(QT_TR_NOOP("&Hold slow rate"), QT_TR_NOOP("Hold the slow rate"),
                  QT_TR_NOOP("Slow rate held."), gate=BedsideAction.HOLD),
)  # fmt: skip
VITALS = BedsideStep(
    "vitals", "one set of vital signs", _NURSE, _vitals,
    params=(Param("values", Kind.MAPPING, required=True),),
    positional=("values",),
    check=lambda v: {"values": parse_vitals(v["values"])},
    cli_params=(
        Param("temp", required=True, flag="--temp", help="temperature, °C"),
        Param("hr", required=True, flag="--hr", help="heart rate, /min"),
        Param("bp", required=True, flag="--bp", help="blood pressure, e.g. 120/80"),
        Param("rr", required=True, flag="--rr", help="respiratory rate, /min"),
        Param("spo2", required=True, flag="--spo2", help="SpO2, %%"),
        Param("o2", default="air", flag="--o2", help="air or oxygen (default air)"),
        Param("avpu", default="A", flag="--avpu", help="A, C, V, P or U (default A)"),
    ),
    cli_values=_vitals_from_flags,
    button=Button(QT_TR_NOOP("Record vital signs"), QT_TR_NOOP("Vital signs"),
                  QT_TR_NOOP("Vital signs recorded."), Dialog.OWN, gate=BedsideAction.VITALS,
                  grid=False),  # the vitals row under the buttons
)  # fmt: skip
ADVERSE_EVENT = BedsideStep(
    "ae", "an adverse event (CTCAE v5.0)", _NURSE, _adverse_event,
    params=(
        Param("term", required=True, flag="--term", help="e.g. 'Infusion related reaction', Fever"),
        Param("other_term", flag="--other-term", help="the term, for 'Other, specify'"),
        Param("grade", flag="--grade", help="1-5 (for fever, suggested from the temperature)"),
        Param("temperature_c", flag="--temp", help="temperature to grade a fever from, °C"),
        Param("attribution", required=True, flag="--attribution",
              help="unrelated, unlikely, possible, probable or definite"),
        Param("serious", Kind.FLAG, required=True, cli_required=False, flag="--serious",
              help="a serious adverse event"),
        Param("started_at", Kind.TIME, flag="--started-at",
              help="when it started (default: --at or now)"),
        Param("aware_at", Kind.TIME, flag="--aware-at",
              help="when the team became aware (default: --at or now)"),
        Param("action_taken", default="none", flag="--action-taken"),
        Param("outcome", default="not recovered / ongoing", flag="--outcome"),
        Param("description", flag="--description"),
    ),
    check=check_adverse_event_text,
    button=Button(QT_TR_NOOP("Reactio&n / AE"), QT_TR_NOOP("Reaction / adverse event"),
                  QT_TR_NOOP("Adverse event recorded."), Dialog.OWN,
                  gate=BedsideAction.ADVERSE_EVENT),  # the reaction dialog
)  # fmt: skip
SAE_REPORTED = BedsideStep(
    "sae-reported", "a serious adverse event was reported", _NURSE, _sae,
    params=(Param("adverse_event_seq", Kind.COUNT, required=True, flag="--ae",
                  help="the adverse event's number (seq)"),),
    positional=("adverse_event_seq",),
    button=Button(QT_TR_NOOP("Serious adverse event reported…"),
                  QT_TR_NOOP("Serious adverse event reported"),
                  QT_TR_NOOP("SAE report recorded."), Dialog.OWN, grid=False),  # under More
)  # fmt: skip
PAUSE = BedsideStep(
    "pause", "pause the drip", _NURSE, _with_reason(ev.InfusionPaused),
    params=(_WHY,), positional=("why",),
    button=Button(QT_TR_NOOP("P&ause"), QT_TR_NOOP("Pause the infusion"),
                  QT_TR_NOOP("Infusion paused."), gate=BedsideAction.PAUSE),
)  # fmt: skip
RESUME = BedsideStep(
    "resume", "resume after a pause", _NURSE, _bare(ev.InfusionResumed),
    button=Button(QT_TR_NOOP("Res&ume"), QT_TR_NOOP("Infusion resumed"),
                  QT_TR_NOOP("Infusion resumed."), Dialog.CONFIRM, gate=BedsideAction.RESUME),
)  # fmt: skip
STOP = BedsideStep(
    "stop", "stop for good (signed)", _NURSE, _stop,
    params=(_WHY, Param("volume_given_ml", required=True, flag="--volume-ml", help="volume given",
                        label=QT_TR_NOOP("Volume given (mL)"))),
    positional=_SIGNED, meaning=SignatureMeaning.ADMINISTERED,
    check=_volume("volume_given_ml"),
    button=Button(QT_TR_NOOP("St&op"), QT_TR_NOOP("Stop the infusion for good"),
                  QT_TR_NOOP("Infusion stopped."), signs=QT_TR_NOOP("Stop of the infusion"),
                  note=QT_TR_NOOP("Observation still follows a stop."), gate=BedsideAction.STOP),
)  # fmt: skip
END = BedsideStep(
    "end", "the bag has run through (signed)", _NURSE, _end,
    params=(
        Param("volume_infused_ml", required=True, flag="--volume-ml", help="volume infused",
              label=QT_TR_NOOP("Volume infused (mL)")),
        Param("override_reason", flag="--override-reason",
              help="why an end outside the window is right",
              label=QT_TR_NOOP("Reason (outside the time window or not the whole bag)")),
    ),
    positional=_SIGNED, meaning=SignatureMeaning.ADMINISTERED,
    check=_volume("volume_infused_ml"),
    button=Button(QT_TR_NOOP("&End infusion"), QT_TR_NOOP("End of the infusion"),
                  QT_TR_NOOP("Infusion ended: vital signs now, then observation."),
                  gate=BedsideAction.END),
)  # fmt: skip
OBSERVATION_END = BedsideStep(
    "observe-end", "the observation period is complete", _NURSE, _bare(ev.ObservationEnded),
    button=Button(QT_TR_NOOP("End o&bservation"), QT_TR_NOOP("Observation ended"),
                  QT_TR_NOOP("Observation ended."), Dialog.CONFIRM,
                  gate=BedsideAction.OBSERVATION_END),
)  # fmt: skip
NOTE = BedsideStep(
    "note", "a nursing note (free text, one line)", _NURSE, _note,
    params=(Param("text", required=True, flag="--text", help="the note, one line",
                  label=QT_TR_NOOP("Note")),),
    check=_note_text,
    button=Button(QT_TR_NOOP("&Write a note"), QT_TR_NOOP("Nursing note"),
                  QT_TR_NOOP("Note recorded."), gate=BedsideAction.NOTE),
)  # fmt: skip
CORRECT = BedsideStep(
    "correct", "correct an earlier entry (signed)", _NURSE, _correction,
    params=(
        Param("seq", Kind.COUNT, required=True, flag="--seq", help="the entry to correct"),
        Param("reason", required=True, flag="--reason", help="why the entry was wrong"),
        Param("occurred_at", Kind.TIME, flag="--time", help="its corrected bedside time"),
        Param("changes", Kind.PAIRS, flag="--set", metavar="FIELD=VALUE",
              help="a corrected value, e.g. --set temperature_c=38.6 (repeatable)"),
    ),
    positional=("seq", "password"), meaning=SignatureMeaning.CORRECTED,
    timed=False, reason_param="reason",
    button=Button(QT_TR_NOOP("Correct the time of the selected log entry…"),
                  QT_TR_NOOP("Correct an entry"), QT_TR_NOOP("Correction recorded."), Dialog.OWN,
                  grid=False),
)  # fmt: skip
ACKNOWLEDGE_ALARM = BedsideStep(
    "acknowledge", "someone at the bedside saw the alarm: the banner drops it", _NURSE,
    _as_payload(ev.AlarmAcknowledged),
    params=(Param("key", required=True), Param("message", required=True)),
    positional=("key", "message"), timed=False, check=_alarm_text,
    cli=False,  # the alarm banner's button
)  # fmt: skip

# In the order of the bedside: the CLI lists its steps and the window its buttons so.
STEPS: tuple[BedsideStep, ...] = (
    DOSE,
    VERIFY_DOSE,
    CHECK,
    PREMEDICATION,
    THAW,
    START,
    RATE,
    HOLD,
    PAUSE,
    RESUME,
    STOP,
    END,
    OBSERVATION_END,
    ADVERSE_EVENT,
    NOTE,
    VITALS,
    CORRECT,
    SAE_REPORTED,
    ACKNOWLEDGE_ALARM,
)

# The service functions by their names (callers before the declarations; a new step needs
# no name of its own: call the step, ``bedside.NOTE(ctx, nurse, infusion_id, text=...)``).
calculate_infusion_dose = DOSE
verify_dose = VERIFY_DOSE
check_identity = CHECK
give_premedication = PREMEDICATION
record_thaw = THAW
start_infusion = START
change_rate = RATE
hold_slow_rate = HOLD
record_vitals = VITALS
record_adverse_event = ADVERSE_EVENT
report_sae = SAE_REPORTED
pause_infusion = PAUSE
resume_infusion = RESUME
stop_infusion = STOP
end_infusion = END
end_observation = OBSERVATION_END
correct_event = CORRECT
acknowledge_alarm = ACKNOWLEDGE_ALARM
