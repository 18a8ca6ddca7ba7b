"""What the screens read: one read transaction per screen refresh, no writes.

The bedside screen reads its infusion here after every action and at start-up; everything it
shows between reads (countdowns, allowed actions, alarms) is recomputed from this snapshot
and the clock by pure functions, so a restart shows exactly what was shown before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, CompoundSelect, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from infusion_app.logic.coa import CertificateOfAnalysis, coa_from_mapping
from infusion_app.logic.countdown import Countdown, next_countdown
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent, Step
from infusion_app.logic.release import ReleaseCheck, Verdict, check_release
from infusion_app.logic.schedule import due_items
from infusion_app.logic.text_rules import TRIAL_ID_MAX, check_text
from infusion_app.services.audit import verify_log
from infusion_app.services.bedside import StartPlan, plan_of_start, start_plan, waits_to_start
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import load_courses
from infusion_app.services.open_infusions import unfinished_streams
from infusion_app.services.status import (
    InfusionStatus,
    ProtocolReader,
    get_infusion,
    infusion_state,
    protocol_of,
    stream_events,
)
from infusion_app.services.stream_cache import Head
from infusion_app.store.models import Event, Infusion, Patient, Product, Stream
from infusion_app.store.verification import VerifyReport


@dataclass(frozen=True)
class PatientSummary:
    trial_id: str
    initials: str
    sex: str
    weight_kg: Decimal
    weight_measured_at: datetime
    protocol_id: str
    dose_level: str


@dataclass(frozen=True)
class ProductSummary:
    product_id: str
    lot: str | None
    status: str
    expires_at: datetime | None


@dataclass(frozen=True)
class BedsideView:
    status: InfusionStatus
    patient: PatientSummary
    product: ProductSummary
    events: tuple[RecordedEvent, ...]
    start_plan: StartPlan | None = None  # what the patient's plan says of starting it

    @property
    def state(self) -> InfusionState:
        return self.status.state


def bedside_view(ctx: AppContext, infusion_id: int, now: datetime | None = None) -> BedsideView:
    moment = now or ctx.now()
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        protocol = protocol_of(ctx, infusion)
        events = stream_events(ctx, session, infusion.stream_id)
        stream = session.get(Stream, infusion.stream_id)
        patient = session.get(Patient, infusion.patient_id)
        product = session.get(Product, infusion.product_id)
        assert stream is not None and patient is not None and product is not None
        patient_summary = _patient_summary(patient)
        product_summary = _product_summary(product)
        state = infusion_state(ctx, session, infusion, protocol)
        plan = start_plan(ctx, session, infusion, state)
    opens = plan.opens(moment) if plan is not None else None
    due = due_items(state, protocol, moment, plan_opens=opens)
    status = InfusionStatus(infusion_id, stream.name, state, protocol, moment, tuple(due))
    return BedsideView(status, patient_summary, product_summary, tuple(events), plan)


def _patient_summary(patient: Patient) -> PatientSummary:
    return PatientSummary(
        patient.trial_id,
        patient.initials,
        patient.sex,
        patient.weight_kg,
        patient.weight_measured_at,
        patient.protocol_id,
        patient.dose_level,
    )


def _product_summary(product: Product) -> ProductSummary:
    coa = coa_from_mapping(json.loads(product.coa))
    return ProductSummary(product.product_id, product.lot, product.status, coa.expires_at)


# --- lists ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InfusionRow:
    infusion_id: int
    trial_id: str
    initials: str
    number: int
    product_id: str
    station: str
    created_at: datetime
    last_event_at: datetime
    step: Step
    status: str
    next_due: Countdown | None  # what is timed next (the screen words it); None: nothing

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due.overdue


def list_infusions(
    ctx: AppContext,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    trial_id: str = "",
    station: str | None = None,
    open_ones: bool = False,
    now: datetime | None = None,
) -> list[InfusionRow]:
    """Infusions with an entry in [since, until), matching a trial ID fragment and the station
    that created them; ``open_ones`` also keeps every unfinished infusion whatever its dates
    (the ward's list must not lose yesterday's observation running past midnight)."""
    # a fragment that is not text (a lone surrogate from a non-UTF-8 argument) gets its one
    # line here, not SQLite's encoder error
    trial_id = check_text("patient", trial_id, TRIAL_ID_MAX, required=False)
    moment = now or ctx.now()
    rows: list[InfusionRow] = []
    with ctx.db.read() as session:
        # per infusion, through the (stream_id, seq) key: never a pass over the whole log
        created_station = (
            select(Event.station)
            .where(Event.stream_id == Infusion.stream_id, Event.seq == 1)
            .scalar_subquery()
        )
        last_at = (
            select(func.max(Event.occurred_at))
            .where(Event.stream_id == Infusion.stream_id)
            .scalar_subquery()
        )
        query = (
            select(
                Infusion,
                Patient,
                Product.product_id,
                created_station.label("station"),
                last_at.label("last_at"),
                Stream.name,
                Stream.head_seq,
                Stream.head_hash,
            )
            .join(Stream, Stream.id == Infusion.stream_id)
            .join(Patient, Patient.id == Infusion.patient_id)
            .join(Product, Product.id == Infusion.product_id)
            .order_by(Infusion.created_at.desc(), Infusion.id.desc())
        )
        if trial_id.strip():
            query = query.where(Patient.trial_id.ilike(f"%{trial_id.strip()}%"))
        if station:
            query = query.where(created_station == station)
        # Narrowed in SQL (schema 0006's indexes), so a site with years of finished infusions
        # folds only these: an entry in the range, or (open_ones) not finished: neither an
        # observation end recorded nor stopped before its start (those never get one)
        dated = [Event.occurred_at >= since] if since is not None else []
        dated += [Event.occurred_at < until] if until is not None else []
        wanted: ColumnElement[bool] | None = (
            Infusion.stream_id.in_(select(Event.stream_id).where(*dated)) if dated else None
        )
        if open_ones:
            # kept with the log on SQLite (services/open_infusions.py): the years of finished
            # infusions are not looked at again at every login
            known = unfinished_streams(ctx, session)
            unfinished = (
                Infusion.stream_id.in_(sorted(known))
                if known is not None and len(known) <= 500
                else Infusion.stream_id.not_in(_finished_streams())
            )
            wanted = unfinished if wanted is None else or_(wanted, unfinished)
        if wanted is not None:
            query = query.where(wanted)
        protocols = ProtocolReader(ctx)
        kept = []
        for row in session.execute(query):
            infusion, patient, product_id, made_at, last_event_at, name, seq, digest = row
            head = Head(int(seq), str(digest))
            events = stream_events(ctx, session, infusion.stream_id, head)
            protocol = protocols.of_infusion(infusion, name, events)
            state = infusion_state(ctx, session, infusion, protocol, head)
            if (
                open_ones
                and state.step is Step.DONE  # finished, but without an observation end
                and not _touches(session, infusion.stream_id, since, until)
            ):
                continue
            kept.append((infusion, patient, product_id, made_at, last_event_at, protocol, state))
        # not started: the plan's window counts too (what the start will be allowed)
        opens = _plan_opens(ctx, session, [(row[1], row[0], row[-1]) for row in kept], moment)
        for infusion, patient, product_id, made_at, last_event_at, protocol, state in kept:
            due = due_items(state, protocol, moment, plan_opens=opens.get(infusion.id))
            countdown = next_countdown(due, moment)
            rows.append(
                InfusionRow(
                    infusion.id,
                    patient.trial_id,
                    patient.initials,
                    infusion.number,
                    product_id,
                    made_at,
                    infusion.created_at,
                    last_event_at,
                    state.step,
                    state.status.value,
                    countdown,
                )
            )
    return rows


def _plan_opens(
    ctx: AppContext,
    session: Session,
    infusions: list[tuple[Patient, Infusion, InfusionState]],
    now: datetime,
) -> dict[int, datetime]:
    """From when the plan lets each infusion not yet started start (issue 14), by infusion
    ID; their patients' courses read in one batch (a list holds the day's few of them)."""
    waiting = [(p, i) for p, i, state in infusions if waits_to_start(state)]
    patients = list({p.id: p for p, _ in waiting}.values())
    courses = {c.patient.id: c for c in load_courses(ctx, session, patients)}
    opens: dict[int, datetime] = {}
    for patient, infusion in waiting:
        plan = plan_of_start(courses[patient.id], infusion.number)
        opened = plan.opens(now) if plan is not None else None
        if opened is not None:
            opens[infusion.id] = opened
    return opens


def _finished_streams() -> CompoundSelect[int]:
    """Infusions whose state is done (``InfusionState.step``): the observation ended, or
    stopped before it started. The fold still decides; this only spares it the years."""
    started = aliased(Event)
    ended = select(Event.stream_id).where(Event.type == EventType.OBSERVATION_ENDED.value)
    stopped_unstarted = select(Event.stream_id).where(
        Event.type == EventType.INFUSION_STOPPED.value,
        ~exists().where(
            started.stream_id == Event.stream_id,
            started.type == EventType.INFUSION_STARTED.value,
        ),
    )
    return ended.union(stopped_unstarted)


def _touches(
    session: Session, stream_id: int, since: datetime | None, until: datetime | None
) -> bool:
    if since is None and until is None:
        return True
    conditions = [Event.stream_id == stream_id]
    if since is not None:
        conditions.append(Event.occurred_at >= since)
    if until is not None:
        conditions.append(Event.occurred_at < until)
    return session.execute(select(Event.id).where(and_(*conditions)).limit(1)).first() is not None


def open_infusion_at_station(ctx: AppContext, station: str) -> int | None:
    """The infusion this station was in the middle of: where a restart lands."""
    # An empty date range: only the unfinished ones are kept.
    rows = list_infusions(ctx, station=station, open_ones=True, since=ctx.now(), until=ctx.now())
    going = [r for r in rows if r.step not in (Step.CHECKS, Step.DONE)]
    chosen = max(going or rows, key=lambda r: r.last_event_at, default=None)
    return chosen.infusion_id if chosen else None


@dataclass(frozen=True)
class PatientRow:
    summary: PatientSummary
    products: tuple[tuple[str, str], ...]  # (product ID, status)
    infusions: int

    @property
    def next_number(self) -> int:
        return self.infusions + 1


def list_patients(ctx: AppContext, trial_id: str = "") -> list[PatientRow]:
    with ctx.db.read() as session:
        query = select(Patient).order_by(Patient.trial_id)
        if trial_id.strip():
            query = query.where(Patient.trial_id.ilike(f"%{trial_id.strip()}%"))
        patients = list(session.execute(query).scalars())
        out = []
        for patient in patients:
            products = session.execute(
                select(Product.product_id, Product.status)
                .where(Product.patient_id == patient.id)
                .order_by(Product.product_id)
            ).all()
            count = session.execute(
                select(func.count(Infusion.id)).where(Infusion.patient_id == patient.id)
            ).scalar_one()
            out.append(
                PatientRow(
                    _patient_summary(patient),
                    tuple((str(p), str(s)) for p, s in products),
                    int(count),
                )
            )
        return out


@dataclass(frozen=True)
class ProductRow:
    product_id: str
    lot: str | None
    trial_id: str
    status: str
    coa: CertificateOfAnalysis
    check: ReleaseCheck

    @property
    def verdict(self) -> Verdict:
        return self.check.verdict


def list_products(ctx: AppContext, now: datetime | None = None) -> list[ProductRow]:
    """Every product with its release criteria evaluated now (expiry depends on the time)."""
    moment = now or ctx.now()
    with ctx.db.read() as session:
        found = session.execute(
            select(Product, Patient)
            .join(Patient, Patient.id == Product.patient_id)
            .order_by(Product.product_id)
        ).all()
        rows = []
        for product, patient in found:
            coa = coa_from_mapping(json.loads(product.coa))
            check = check_release(ctx.protocol(patient.protocol_id), coa, moment)
            rows.append(
                ProductRow(
                    product.product_id, product.lot, patient.trial_id, product.status, coa, check
                )
            )
        return rows


@dataclass(frozen=True)
class MonitorRecord:
    """One infusion as the monitor reads it: the record and whether its chain holds."""

    view: BedsideView
    report: VerifyReport


def monitor_record(ctx: AppContext, infusion_id: int) -> MonitorRecord:
    view = bedside_view(ctx, infusion_id)
    return MonitorRecord(view, verify_log(ctx, infusion_id))
