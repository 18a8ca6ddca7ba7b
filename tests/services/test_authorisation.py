"""Every role × every write action: allowed and done, or refused with nothing written.

The expectations are written from the issue, not read from logic/roles.py, so a wrong entry
in the permission table fails here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.services import accounts, infusions, patients, products
from infusion_app.services.context import AppContext, CurrentUser, NotAuthorised
from infusion_app.store.models import Event
from tests.conftest import PASSWORD
from tests.samples import example_coa

ROLES = ("admin", "nurse", "pharmacist", "monitor")


@pytest.fixture
def database_url(tmp_path):  # authorisation does not depend on the database: SQLite only
    from sqlalchemy.engine import make_url

    return make_url(f"sqlite:///{tmp_path / 'authz.sqlite3'}")


def second_product(ctx: AppContext, staff) -> None:
    products.register_product(
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )


ACTIONS: dict[str, tuple[set[str], Callable[[AppContext, CurrentUser, object, int], object]]] = {
    "create an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.create_user(
            ctx, who, "newnurse", "New Nurse", "nurse", PASSWORD
        ),
    ),
    "change a role": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.change_role(ctx, who, "nurse2", "pharmacist"),
    ),
    "reset a password": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.reset_password(
            ctx, who, "nurse2", "brand new password"
        ),
    ),
    "unlock an account": (
        {"admin"},
        lambda ctx, who, staff, inf: accounts.unlock(ctx, who, "nurse2"),
    ),
    "register a patient": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: patients.register_patient(
            ctx,
            who,
            trial_id="P002",
            initials="ZY",
            sex="male",
            weight_kg=70,
            weight_measured_at=ctx.now(),
            protocol_id="msc-l-crc",
            dose_level="2",
            age_years=61,
        ),
    ),
    "record a weight": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: patients.record_weight(ctx, who, "P001", "62.0", ctx.now()),
    ),
    "register a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: (
            second_product(ctx, staff)
            if False
            else products.register_product(
                ctx, who, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0003"))
            )
        ),
    ),
    "release a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.release_product(
            ctx, who, "UC-MSC-2026-0002", PASSWORD
        ),
    ),
    "dispense a product": (
        {"pharmacist"},
        lambda ctx, who, staff, inf: products.dispense_product(
            ctx, who, "UC-MSC-2026-0001", PASSWORD
        ),
    ),
    "create an infusion": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: infusions.create_infusion(
            ctx, who, "P001", "UC-MSC-2026-0001", 2
        ),
    ),
    "record at the bedside": (
        {"nurse"},
        lambda ctx, who, staff, inf: infusions.add_note(ctx, who, inf, "pale, comfortable"),
    ),
    "sign an infusion event": (
        {"nurse", "pharmacist"},
        lambda ctx, who, staff, inf: infusions.sign_infusion_event(
            ctx, who, inf, 1, SignatureMeaning.VERIFIED, PASSWORD
        ),
    ),
}


def event_count(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_and_action(ctx, staff, infusion_id, clock, action: str, role: str) -> None:
    second_product(ctx, staff)
    clock.advance(minutes=1)
    allowed, perform = ACTIONS[action]
    who = getattr(staff, role)
    before = event_count(ctx)
    if role in allowed:
        perform(ctx, who, staff, infusion_id)
        assert event_count(ctx) > before
    else:
        with pytest.raises(NotAuthorised) as error:
            perform(ctx, who, staff, infusion_id)
        assert str(error.value).startswith(f"a {role} may not ")
        assert event_count(ctx) == before  # nothing written, not even half


COVERED = {
    "create_user",
    "change_role",
    "reset_password",
    "unlock",
    "register_patient",
    "record_weight",
    "register_product",
    "release_product",
    "dispense_product",
    "create_infusion",
    "add_note",
    "sign_infusion_event",
}


def test_every_service_action_is_in_the_matrix() -> None:
    """A new service function taking an ``actor`` must get a row in ACTIONS."""
    import inspect

    found = {
        name
        for module in (accounts, infusions, patients, products)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(function).parameters
    }
    assert found == COVERED
    assert len(ACTIONS) == len(COVERED)
