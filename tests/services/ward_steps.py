"""A second patient at a second station, for the ward board's service and screen tests.

P002 (initials ZQ) is enrolled at the other station at the clock's time T, premedication
then, thaw T+10, start T+35 (its rate step due T+50).
"""

from __future__ import annotations

from infusion_app.logic.identity import wristband_code
from infusion_app.services import bedside, course_acts, patients
from infusion_app.services.context import AppContext
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.services.bedside_steps import prepare
from tests.services.course_steps import new_infusion, start

CART = "ucmsc-cart-cytopenia"
OTHER_STATION = "ward-3-bed-5"


def enrol_p002(ctx: AppContext, staff) -> None:
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id="P002",
        initials="ZQ",
        sex="male",
        weight_kg="70",
        weight_measured_at=ctx.now(),
        protocol_id=CART,
        dose_level="A",
        age_years=61,
    )
    course_acts.enrol_patient(ctx, staff.investigator, "P002", dose_level="A", password=PASSWORD)


def running_at_the_other_station(other: AppContext, staff, clock: FakeClock) -> int:
    """P002's infusion 1, created and started at ``other``'s station."""
    enrol_p002(other, staff)
    infusion = new_infusion(other, staff, "P002", 1)
    prepare(other, staff, infusion, wristband=wristband_code("P002", "ZQ"), product_id="UC-P002-1")
    bedside.give_premedication(other, staff.nurse, infusion)
    clock.advance(minutes=10)
    bedside.record_thaw(other, staff.nurse, infusion)
    clock.advance(minutes=25)
    start(other, staff, infusion)
    return infusion
