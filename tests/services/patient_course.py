"""A patient's course built through the services, for the patient view's tests.

Each infusion is given the usual way of tests/services/bedside_steps.py on the day the clock
stands at: weighed at 08:00 UTC, premedication 08:00, thaw 08:10, start 08:35, rate step
08:50, end 09:25 (all UTC; 16:35 and 17:25 in Asia/Shanghai, UTC+8). Acts that other parts
of the course build (visits, samples, AEs against the patient, DLT reviews) are appended to
the patient's stream here as their typed events, the way their services store them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import Event
from infusion_app.services import bedside, infusions, patients, products
from infusion_app.services.context import AppContext
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import User
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare


def product_id(number: int) -> str:
    return f"UC-MSC-2026-{number:04d}"


def give_infusion(ctx: AppContext, staff, clock: FakeClock, number: int) -> int:
    """Infusion ``number`` of P001 from 08:00 (the clock's time) to its end at 09:25 UTC.
    Product 1 is registered with the patient (tests/conftest.py: register_p001)."""
    product = product_id(number)
    if number > 1:
        products.register_product(
            ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id=product))
        )
        patients.record_weight(ctx, staff.nurse, "P001", "63.5", clock())
    products.release_product(ctx, staff.pharmacist, product, PASSWORD)
    infusion_id = infusions.create_infusion(ctx, staff.nurse, "P001", product, number)
    prepare(ctx, staff, infusion_id, product_id=product)
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)  # 08:10
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=25)  # 08:35
    bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)
    clock.advance(minutes=15)  # 08:50
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    for minutes in (2, 15, 15):  # 08:52, 09:07, 09:22
        clock.advance(minutes=minutes)
        bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=3)  # 09:25
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    return infusion_id


def append_to_patient(
    ctx: AppContext,
    model: Event,
    *,
    by: str,
    at: datetime,
    reason: str | None = None,
    trial_id: str = "P001",
) -> int:
    """Store ``model`` in the patient's stream as done by ``by`` at ``at``; its seq."""
    with ctx.db.write() as session:
        user = session.execute(select(User).where(User.username == by)).scalar_one()
        appended = append_event(
            session,
            patient_stream(trial_id),
            model.TYPE,
            model,
            user=user,
            station=ctx.station,
            recorded_at=ctx.now(),
            occurred_at=at,
            reason=reason,
        )
    return int(appended.seq)
