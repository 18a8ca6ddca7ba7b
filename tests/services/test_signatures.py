"""Electronic signatures: re-entered password, meaning, printed name, bound to what was signed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.services import accounts, audit, products
from infusion_app.services.context import AuthenticationFailed, NotAuthorised
from infusion_app.services.products import NotReleasable
from infusion_app.store.models import Event, Signature, Stream
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.store.tampering import tamper
from tests.stored import add_note, product_status, sign_infusion_event

PRODUCT = "UC-MSC-2026-0001"


def stream_events(ctx, name: str) -> list[tuple[int, str, dict]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.seq, Event.type, Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == name)
            .order_by(Event.seq)
        )
        return [(seq, type_, json.loads(payload)) for seq, type_, payload in rows]


def test_release_is_signed_and_bound_to_the_release_event(ctx, staff, registered, clock) -> None:
    check = products.release_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)
    assert check.verdict.value == "RELEASABLE"
    events = stream_events(ctx, f"product:{PRODUCT}")
    assert [(seq, t) for seq, t, _ in events] == [
        (1, "product_registered"),
        (2, "product_released"),
        (3, "signature"),
    ]
    with ctx.db.read() as session:
        # the product's one signature (the patient's enrolment is signed too)
        signature = session.execute(
            select(Signature).where(Signature.meaning == "released")
        ).scalar_one()
        released = session.execute(
            select(Event).where(Event.type == "product_released")
        ).scalar_one()
    assert (signature.printed_name, signature.meaning) == ("Phil Pharmacist", "released")
    assert signature.signed_at == clock.now
    assert (signature.signed_seq, signature.signed_hash) == (2, released.hash)
    assert events[2][2] == {
        "meaning": "released",
        "printed_name": "Phil Pharmacist",
        "signed_hash": released.hash,
        "signed_seq": 2,
        "username": "pharmacist",
    }
    assert product_status(ctx, PRODUCT) == "released"
    assert audit.verify_log(ctx).ok


def test_a_failing_criterion_blocks_release(ctx, staff, registered) -> None:
    products.register_product(
        ctx,
        staff.pharmacist,
        coa_from_mapping(example_coa(product_id="UC-MSC-2026-0009", viability_pct=84.9)),
    )
    with pytest.raises(NotReleasable) as error:
        products.release_product(ctx, staff.pharmacist, "UC-MSC-2026-0009", PASSWORD)
    assert "NOT_RELEASABLE: Viability fail (84.9%)" in str(error.value)
    assert [t for _, t, _ in stream_events(ctx, "product:UC-MSC-2026-0009")] == [
        "product_registered"
    ]
    assert product_status(ctx, "UC-MSC-2026-0009") == "registered"


def test_wrong_password_signs_nothing_and_counts_towards_lockout(ctx, staff, registered) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            products.release_product(ctx, staff.pharmacist, PRODUCT, "not my password")
    assert [t for _, t, _ in stream_events(ctx, f"product:{PRODUCT}")] == ["product_registered"]
    failed = [p for _, t, p in stream_events(ctx, "system") if t == "signature_failed"]
    assert [p["attempt"] for p in failed] == [1, 2, 3, 4]
    with pytest.raises(AuthenticationFailed, match="locked"):
        products.release_product(ctx, staff.pharmacist, PRODUCT, "not my password")
    with pytest.raises(NotAuthorised, match="is locked"):
        products.release_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)


def test_cannot_sign_with_someone_elses_password(ctx, staff, infusion_id) -> None:
    # nurse2 has the same test password: use a different one to be sure which is checked
    accounts.reset_password(ctx, staff.admin, "nurse2", "a first password", admin_password=PASSWORD)
    # a reset password must be changed before it signs anything: nurse2 chooses her own
    accounts.change_own_password(ctx, "nurse2", "a first password", "nurse two's own secret")
    with pytest.raises(AuthenticationFailed):
        sign_infusion_event(
            ctx, staff.nurse, infusion_id, 1, SignatureMeaning.VERIFIED, "nurse two's own secret"
        )
    sign_infusion_event(
        ctx, staff.nurse2, infusion_id, 1, SignatureMeaning.VERIFIED, "nurse two's own secret"
    )
    with ctx.db.read() as session:
        (signature,) = session.execute(select(Signature).where(Signature.meaning == "verified"))
    assert signature[0].printed_name == "Ning Wang 王宁"


@pytest.mark.parametrize("role", ["admin", "monitor"])
def test_admin_and_monitor_sign_nothing(ctx, staff, infusion_id, role) -> None:
    with pytest.raises(NotAuthorised):
        sign_infusion_event(
            ctx, getattr(staff, role), infusion_id, 1, SignatureMeaning.REVIEWED, PASSWORD
        )


def test_a_signature_moved_to_another_record_is_detected(ctx, staff, infusion_id) -> None:
    add_note(ctx, staff.nurse, infusion_id, "bag checked against the label")
    sign_infusion_event(ctx, staff.nurse, infusion_id, 2, SignatureMeaning.VERIFIED, PASSWORD)
    assert audit.verify_log(ctx).ok
    # point the "verified" signature at the infusion_created event instead of the note
    tamper(ctx, "UPDATE signatures SET signed_seq = 1 WHERE meaning = 'verified'")
    broken = audit.verify_log(ctx, infusion_id).first_problem
    assert broken is not None
    assert "(verified, Nora Nurse) does not match the event it claims to sign" in broken.problem


def test_dispense_needs_a_released_unexpired_product(ctx, staff, registered, clock) -> None:
    with pytest.raises(NotReleasable, match="is registered, not released"):
        products.dispense_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)
    products.release_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)
    # the CoA expires 2026-12-31 23:59 +08:00 = 15:59 UTC; the clock is at 2026-11-21 08:00
    clock.now = clock.now.replace(month=12, day=31, hour=15, minute=59) + timedelta(seconds=1)
    with pytest.raises(NotReleasable, match="Not past expiry fail"):
        products.dispense_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)
    clock.advance(days=-1)
    products.dispense_product(ctx, staff.pharmacist, PRODUCT, PASSWORD)
    assert product_status(ctx, PRODUCT) == "dispensed"
    assert [t for _, t, _ in stream_events(ctx, f"product:{PRODUCT}")][-2:] == [
        "product_dispensed",
        "signature",
    ]
