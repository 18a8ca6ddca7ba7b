"""Giving a patient's infusions as service calls, for the AE and DLT tests of the course.

Each infusion runs as tests/services/bedside_steps.py does from the clock's time: checks and
premedication at hh:00, thaw hh:10, start hh:35, rate step hh:50, end at hh+1:25. So with the
clock at 08:00 UTC, an infusion starts at 08:35 UTC (16:35 in Asia/Shanghai) that day.
"""

from __future__ import annotations

from datetime import datetime

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.services import bedside, infusions, patients, products
from infusion_app.services.context import AppContext
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare


def product_id(number: int) -> str:
    return f"UC-MSC-2026-{number:04d}"


def new_infusion(ctx: AppContext, staff, clock: FakeClock, number: int) -> int:
    """Infusion ``number`` of P001 with its own released product and today's weight (number 1
    takes the product the test world registered)."""
    product = product_id(number)
    if number > 1:
        coa = coa_from_mapping(example_coa(product_id=product))
        products.register_product(ctx, staff.pharmacist, coa)
        patients.record_weight(ctx, staff.nurse, "P001", "63.5", clock())
    products.release_product(ctx, staff.pharmacist, product, PASSWORD)
    return infusions.create_infusion(ctx, staff.nurse, "P001", product, number)


def give(ctx: AppContext, staff, clock: FakeClock, number: int) -> tuple[int, datetime]:
    """Infusion ``number`` from its creation to its end; returns its ID and start time (the
    clock's time + 35 min)."""
    infusion = new_infusion(ctx, staff, clock, number)
    prepare(ctx, staff, infusion, product_id=product_id(number))
    bedside.give_premedication(ctx, staff.nurse, infusion)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion)
    clock.advance(minutes=25)
    started = clock()
    bedside.start_infusion(ctx, staff.nurse, infusion, PASSWORD, drop_factor_gtt_per_ml=20)
    clock.advance(minutes=15)
    bedside.change_rate(ctx, staff.nurse, infusion, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ctx, staff.nurse, infusion, NORMAL_VITALS)
    clock.advance(minutes=33)
    bedside.end_infusion(ctx, staff.nurse, infusion, PASSWORD, volume_infused_ml=100)
    return infusion, started
