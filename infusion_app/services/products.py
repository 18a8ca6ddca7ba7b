"""A product's way to the bedside: registered with its CoA, released, dispensed, bound to
its one infusion, in use from the start, administered at the end, or returned / discarded
with a signed reason.

Release is a hard gate: only a RELEASABLE verdict (every criterion passed, nothing pending,
not expired) can be signed as released, and only by a pharmacist. Every status change is an
event of the product's stream, so the status is a fold of the log (and checked against it).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.coa import CertificateOfAnalysis, coa_from_mapping
from infusion_app.logic.errors import DomainError, InputError
from infusion_app.logic.event_types import EventType, product_stream
from infusion_app.logic.events import (
    ProductAdministered,
    ProductAssigned,
    ProductDiscarded,
    ProductDispensed,
    ProductInUse,
    ProductRegistered,
    ProductReleased,
    ProductReturned,
    ReleaseCheckRecord,
)
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.projections import (
    ASSIGNABLE,
    DISCARDABLE,
    RETURNABLE,
    ProductStatus,
)
from infusion_app.logic.release import PharmacyStep, ReleaseCheck, check_release, step_blocked
from infusion_app.logic.roles import Action
from infusion_app.logic.summaries import release_summary
from infusion_app.logic.text_rules import PRODUCT_ID_MAX, check_text
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.services.patients import find_patient
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.eventlog import (
    Author,
    append_event,
    canonical_json,
    create_stream,
    jsonable,
    lock_stream,
)
from infusion_app.store.models import Infusion, Patient, Product, Stream, User
from infusion_app.store.projections import check_patient, expected_product

REGISTERED = ProductStatus.REGISTERED.value
RELEASED = ProductStatus.RELEASED.value
DISPENSED = ProductStatus.DISPENSED.value
IN_USE = ProductStatus.IN_USE.value
ADMINISTERED = ProductStatus.ADMINISTERED.value
MAX_WHY_CHARS = 500


class NotReleasable(DomainError):
    pass


def register_product(ctx: AppContext, actor: CurrentUser, coa: CertificateOfAnalysis) -> None:
    now = ctx.now()
    with transaction(ctx) as session:
        user = require(session, actor, Action.REGISTER_PRODUCT, now)
        patient = find_patient(session, coa.patient_id)
        if session.execute(select(Product.id).where(Product.product_id == coa.product_id)).first():
            raise InputError(
                "coa.product_id", m.rule_product_registered(product=repr(coa.product_id))
            )
        if session.execute(
            select(Stream.id).where(Stream.name == product_stream(coa.product_id))
        ).first():
            raise RecordIntegrityError(
                f"product {coa.product_id}", "row", problem="is in the log but its row was deleted"
            )
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
            ProductRegistered(patient=patient.trial_id, coa=json.loads(coa_text)),
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
    product = _product(session, product_id, lock=True)
    patient = find_patient_by_id(session, product.patient_id)
    protocol = ctx.protocol(patient.protocol_id)
    check = check_release(protocol, coa_from_mapping(json.loads(product.coa)), now)
    model: type[ProductReleased | ProductDispensed]
    if action is Action.RELEASE_PRODUCT:
        step, new_status = PharmacyStep.RELEASE, RELEASED
        model, meaning = ProductReleased, SignatureMeaning.RELEASED
    else:
        step, new_status = PharmacyStep.DISPENSE, DISPENSED
        model, meaning = ProductDispensed, SignatureMeaning.DISPENSED
    blocked = step_blocked(step, product.status, check)
    if blocked is not None and blocked.wrong_status:
        raise NotReleasable(f"product {product_id} is {product.status}, not {blocked.wanted}")
    if blocked is not None:
        listed = "; ".join(f"{c.name} {c.result.value} ({c.value})" for c in blocked.blocking)
        raise NotReleasable(f"product {product_id} is {check.verdict.value}: {listed}")
    stream = session.execute(select(Stream).where(Stream.id == product.stream_id)).scalar_one()
    summary = ReleaseCheckRecord.model_validate(release_summary(check))
    event = append_event(
        session,
        stream.name,
        model.TYPE,
        model(release_check=summary),
        user=user,
        station=ctx.station,
        recorded_at=now,
    )
    sign_event(ctx, session, user, stream, event, meaning, now)
    product.status = new_status
    return check


def return_product(
    ctx: AppContext, actor: CurrentUser, product_id: str, why: str, password: str
) -> None:
    """Back to the pharmacy unused (before its infusion started), signed "returned"."""
    _signed_end(ctx, actor, product_id, why, password, returned=True)


def discard_product(
    ctx: AppContext, actor: CurrentUser, product_id: str, why: str, password: str
) -> None:
    """Destroyed (damaged, expired, left over), signed "discarded"."""
    _signed_end(ctx, actor, product_id, why, password, returned=False)


def _signed_end(
    ctx: AppContext,
    actor: CurrentUser,
    product_id: str,
    why: str,
    password: str,
    *,
    returned: bool,
) -> None:
    reason = _why(why)
    model: type[ProductReturned | ProductDiscarded]
    if returned:
        allowed, model, meaning = RETURNABLE, ProductReturned, SignatureMeaning.RETURNED
    else:
        allowed, model, meaning = DISCARDABLE, ProductDiscarded, SignatureMeaning.DISCARDED

    def act(session: Session, user: User, now: datetime) -> None:
        product = _product(session, product_id, lock=True)
        status = ProductStatus(product.status)
        if status not in allowed:
            refusal = m.rule_product_cannot_return if returned else m.rule_product_cannot_discard
            raise InputError(
                "product_id",
                refusal(
                    product=product_id,
                    status=m.value_of("product_status", status.value),
                    only=tuple(
                        m.value_of("product_status", value)
                        for value in sorted(s.value for s in allowed)
                    ),
                ),
            )
        stream = session.execute(select(Stream).where(Stream.id == product.stream_id)).scalar_one()
        event = append_event(
            session,
            stream.name,
            model.TYPE,
            model(why=reason, from_=status.value),
            user=user,
            station=ctx.station,
            recorded_at=now,
        )
        sign_event(ctx, session, user, stream, event, meaning, now)
        product.status = (ProductStatus.RETURNED if returned else ProductStatus.DISCARDED).value

    signed_act(ctx, actor, Action.RETURN_PRODUCT, password, act)


def _why(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise InputError("why", m.rule_reason_required())
    if len(reason) > MAX_WHY_CHARS:
        raise InputError("why", m.rule_at_most_chars(most=MAX_WHY_CHARS, got=len(reason)))
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in reason):
        raise InputError("why", m.rule_one_line_no_controls())
    return reason


def bind_to_infusion(
    ctx: AppContext, session: Session, user: User, product: Product, infusion: str, now: datetime
) -> None:
    """Bind ``product`` to the infusion ``infusion`` ("P001/1"), inside its creation.

    A product belongs to at most one infusion. The product's stream is locked first, so two
    stations binding the same bag queue here and the second sees the first's binding.
    """
    lock_stream(session, product_stream(product.product_id))
    session.refresh(product)
    expected = expected_product(session, product)
    if expected.infusion is not None:
        raise InputError(
            "product_id",
            m.rule_product_bound(product=product.product_id, infusion=expected.infusion),
        )
    earlier = session.execute(select(Infusion.id).where(Infusion.product_id == product.id)).first()
    if earlier is not None:
        raise InputError(
            "product_id",
            m.rule_product_bound_elsewhere(product=product.product_id),
        )
    if expected.status not in ASSIGNABLE:
        raise InputError(
            "product_id",
            m.rule_product_not_again(
                product=product.product_id,
                status=m.value_of("product_status", expected.status.value),
            ),
        )
    append_event(
        session,
        product_stream(product.product_id),
        EventType.PRODUCT_ASSIGNED,
        ProductAssigned(infusion=infusion),
        user=user,
        station=ctx.station,
        recorded_at=now,
    )


def follow_infusion(
    ctx: AppContext,
    session: Session,
    user: Author,
    product_id: int,
    step: EventType,
    started: bool,
    now: datetime,
) -> None:
    """The bag follows its infusion: in use from the start, administered at the end (or when
    a running infusion is stopped). Inside the bedside action's transaction; the product row
    is read only for those steps (not for every note and vital sign)."""
    if step is EventType.INFUSION_STARTED:
        wanted, event_type = ASSIGNABLE, EventType.PRODUCT_IN_USE
    elif step is EventType.INFUSION_ENDED or (step is EventType.INFUSION_STOPPED and started):
        wanted, event_type = frozenset({ProductStatus.IN_USE}), EventType.PRODUCT_ADMINISTERED
    else:
        return
    product = session.get(Product, product_id)
    assert product is not None  # the infusion's foreign key
    lock_stream(session, product_stream(product.product_id))
    session.refresh(product)
    expected = expected_product(session, product)
    if expected.status not in wanted:
        return  # e.g. a bag started under an older version, or discarded meanwhile
    append_event(
        session,
        product_stream(product.product_id),
        event_type,
        ProductInUse() if event_type is EventType.PRODUCT_IN_USE else ProductAdministered(),
        user=user,
        station=ctx.station,
        recorded_at=now,
    )
    in_use = event_type is EventType.PRODUCT_IN_USE
    product.status = (ProductStatus.IN_USE if in_use else ProductStatus.ADMINISTERED).value


def offerable_products(ctx: AppContext, trial_id: str) -> tuple[str, ...]:
    """The bags a new infusion of this patient may take: released (or dispensed), not bound
    to any infusion, each checked against its stream."""
    with ctx.db.read() as session:
        patient = find_patient(session, trial_id)
        bound = set(session.scalars(select(Infusion.product_id)))
        offers = []
        for product in session.scalars(
            select(Product).where(Product.patient_id == patient.id).order_by(Product.product_id)
        ):
            if product.id in bound or product.status not in (RELEASED, DISPENSED):
                continue
            if expected_product(session, product).infusion is None:
                offers.append(product.product_id)
        return tuple(offers)


def find_product(session: Session, product_id: str) -> Product:
    return _product(session, product_id)


def _product(session: Session, product_id: str, *, lock: bool = False) -> Product:
    """The product row, checked against its stream (locked first when about to change it)."""
    # an ID that is not text (a lone surrogate from a non-UTF-8 argument) gets its one line
    # here, not SQLite's encoder error (the CLI property test found it on product return)
    product_id = check_text("product_id", product_id, PRODUCT_ID_MAX)
    stream = product_stream(product_id)
    if lock and session.execute(select(Stream.id).where(Stream.name == stream)).first():
        lock_stream(session, stream)
    product = session.execute(
        select(Product)
        .where(Product.product_id == product_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if product is None:
        if session.execute(select(Stream.id).where(Stream.name == stream)).first():
            raise RecordIntegrityError(
                f"product {product_id}", "row", problem="is in the log but its row was deleted"
            )
        raise InputError("product_id", m.rule_no_product(product=repr(product_id)))
    expected_product(session, product)
    return product


def find_patient_by_id(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise InputError("patient", m.rule_no_patient_id(patient_id=patient_id))
    check_patient(session, patient)
    return patient
