"""A product's way to the bedside: registered with its CoA, released, dispensed.

Release is a hard gate: only a RELEASABLE verdict (every criterion passed, nothing pending,
not expired) can be signed as released, and only by a pharmacist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.coa import CertificateOfAnalysis, coa_from_mapping
from infusion_app.logic.errors import DomainError, InputError
from infusion_app.logic.event_types import EventType, product_stream
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.release import ReleaseCheck, Verdict, check_release
from infusion_app.logic.roles import Action
from infusion_app.logic.summaries import release_summary
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.patients import find_patient
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.store.eventlog import append_event, canonical_json, create_stream, jsonable
from infusion_app.store.models import Patient, Product, Stream, User

REGISTERED, RELEASED, DISPENSED = "registered", "released", "dispensed"


class NotReleasable(DomainError):
    pass


@dataclass(frozen=True)
class ProductView:
    product_id: str
    lot: str | None
    patient_trial_id: str
    status: str
    coa: CertificateOfAnalysis


def register_product(ctx: AppContext, actor: CurrentUser, coa: CertificateOfAnalysis) -> None:
    now = ctx.now()
    with ctx.db.write() as session:
        user = require(session, actor, Action.REGISTER_PRODUCT, now)
        patient = find_patient(session, coa.patient_id)
        if session.execute(select(Product.id).where(Product.product_id == coa.product_id)).first():
            raise InputError("coa.product_id", f"product {coa.product_id!r} is registered already")
        coa_text = canonical_json(jsonable(coa.model_dump(mode="python")))
        stream = create_stream(session, product_stream(coa.product_id))
        session.add(
            Product(
                product_id=coa.product_id,
                lot=coa.lot,
                patient_id=patient.id,
                coa=coa_text,
                status=REGISTERED,
                stream_id=stream.id,
            )
        )
        append_event(
            session,
            stream.name,
            EventType.PRODUCT_REGISTERED,
            {"patient": patient.trial_id, "coa": json.loads(coa_text)},
            user=user,
            station=ctx.station,
            recorded_at=now,
        )


def release_product(
    ctx: AppContext, actor: CurrentUser, product_id: str, password: str
) -> ReleaseCheck:
    """Check the CoA now and, if RELEASABLE, record the release signed "released"."""
    return _signed_step(ctx, actor, product_id, password, Action.RELEASE_PRODUCT)


def dispense_product(
    ctx: AppContext, actor: CurrentUser, product_id: str, password: str
) -> ReleaseCheck:
    """Hand a released, unexpired product out for infusion, signed "dispensed"."""
    return _signed_step(ctx, actor, product_id, password, Action.DISPENSE_PRODUCT)


def _signed_step(
    ctx: AppContext, actor: CurrentUser, product_id: str, password: str, action: Action
) -> ReleaseCheck:
    return signed_act(
        ctx,
        actor,
        action,
        password,
        lambda session, user, now: _apply(ctx, session, user, product_id, action, now),
    )


def _apply(
    ctx: AppContext, session: Session, user: User, product_id: str, action: Action, now: datetime
) -> ReleaseCheck:
    product = _product(session, product_id)
    patient = find_patient_by_id(session, product.patient_id)
    protocol = ctx.protocol(patient.protocol_id)
    check = check_release(protocol, coa_from_mapping(json.loads(product.coa)), now)
    if action is Action.RELEASE_PRODUCT:
        wanted, new_status = REGISTERED, RELEASED
        event_type, meaning = EventType.PRODUCT_RELEASED, SignatureMeaning.RELEASED
    else:
        wanted, new_status = RELEASED, DISPENSED
        event_type, meaning = EventType.PRODUCT_DISPENSED, SignatureMeaning.DISPENSED
    if product.status != wanted:
        raise NotReleasable(f"product {product_id} is {product.status}, not {wanted}")
    if check.verdict is not Verdict.RELEASABLE:
        blocking = [c for c in check.criteria if c.result.value != "pass"]
        listed = "; ".join(f"{c.name} {c.result.value} ({c.value})" for c in blocking)
        raise NotReleasable(f"product {product_id} is {check.verdict.value}: {listed}")
    stream = session.execute(select(Stream).where(Stream.id == product.stream_id)).scalar_one()
    event = append_event(
        session,
        stream.name,
        event_type,
        {"release_check": release_summary(check)},
        user=user,
        station=ctx.station,
        recorded_at=now,
    )
    sign_event(ctx, session, user, stream, event, meaning, now)
    product.status = new_status
    return check


def product_view(ctx: AppContext, product_id: str) -> ProductView:
    with ctx.db.read() as session:
        product = _product(session, product_id)
        patient = find_patient_by_id(session, product.patient_id)
        return ProductView(
            product.product_id,
            product.lot,
            patient.trial_id,
            product.status,
            coa_from_mapping(json.loads(product.coa)),
        )


def _product(session: Session, product_id: str) -> Product:
    product = session.execute(
        select(Product).where(Product.product_id == product_id)
    ).scalar_one_or_none()
    if product is None:
        raise InputError("product_id", f"no product {product_id!r}")
    return product


def find_patient_by_id(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise InputError("patient", f"no patient with id {patient_id}")
    return patient
