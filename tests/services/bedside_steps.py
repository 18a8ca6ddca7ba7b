"""The usual way through an infusion, as service calls, for tests that need to get somewhere.

Times follow tests/logic/test_infusion_workflow.py: the test clock starts at 08:00 UTC,
premedication at 08:00, thaw 08:10, start 08:35, rate step 08:50, end 09:25.
"""

from __future__ import annotations

from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS


def prepare(
    ctx: AppContext,
    staff,
    infusion_id: int,
    *,
    wristband: str = "MSC|P001|WL",
    product_id: str = "UC-MSC-2026-0001",
) -> None:
    """Dose by the pharmacist (100 mL final volume), verified by the nurse, wristband and bag
    scanned, baseline vitals: the checks step done at the clock's time."""
    bedside.calculate_infusion_dose(ctx, staff.pharmacist, infusion_id, final_volume_ml="100")
    bedside.verify_dose(ctx, staff.nurse, infusion_id, PASSWORD)
    bedside.check_identity(
        ctx, staff.nurse, infusion_id, wristband=wristband, product_id=product_id
    )
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)


def run_to_fast_phase(ctx: AppContext, staff, infusion_id: int, clock: FakeClock) -> None:
    """From 08:00 to the rate step at 08:50, with the first vitals at 08:52."""
    prepare(ctx, staff, infusion_id)
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=25)
    bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)
    clock.advance(minutes=15)
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
