"""A patient's course as service calls, for tests that give infusion after infusion.

Day windows are local days of Asia/Shanghai (UTC+8, no summer time) for both trials, so the
tests set the clock by local time (:func:`local`) and work the dates out in that zone.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.course import CourseFacts, Plan, treatment_plan
from infusion_app.logic.identity import wristband_code
from infusion_app.services import bedside, course_acts, infusions, patients, products
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import load_course
from infusion_app.services.patients import find_patient
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare

SHANGHAI = ZoneInfo("Asia/Shanghai")
INITIALS = "WL"


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A local time of the trials' zone, as the UTC time the clock and the record keep."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def registered(ctx: AppContext, staff, trial_id: str, protocol_id: str, level: str) -> None:
    """Registered by a nurse at the clock's time (63.5 kg), not enrolled."""
    patients.register_patient(
        ctx,
        staff.nurse,
        trial_id=trial_id,
        initials=INITIALS,
        sex="female",
        weight_kg="63.5",
        weight_measured_at=ctx.now(),
        protocol_id=protocol_id,
        dose_level=level,
        age_years=54,
    )


def enrolled(ctx: AppContext, staff, trial_id: str, protocol_id: str, level: str) -> None:
    """Registered by a nurse and enrolled by the investigator at the clock's time."""
    registered(ctx, staff, trial_id, protocol_id, level)
    course_acts.enrol_patient(
        ctx, staff.investigator, trial_id, dose_level=level, password=PASSWORD
    )


def new_infusion(ctx: AppContext, staff, trial_id: str, number: int) -> int:
    """Infusion ``number`` with a released bag of its own (good until the end of 2027)."""
    bag = f"UC-{trial_id}-{number}"
    coa = example_coa(product_id=bag, patient_id=trial_id, expires_at="2027-12-31T23:59:00+08:00")
    products.register_product(ctx, staff.pharmacist, coa_from_mapping(coa))
    products.release_product(ctx, staff.pharmacist, bag, PASSWORD)
    return infusions.create_infusion(ctx, staff.nurse, trial_id, bag, number)


def ready_to_start(ctx: AppContext, staff, clock: FakeClock, trial_id: str, infusion_id: int):
    """Today's weight, the dose (100 mL) verified, patient and bag checked, baseline vitals and
    premedication at the clock's time T, thaw at T+10; the clock is left at T+35, when the
    start is due (30 min after the premedication)."""
    patients.record_weight(ctx, staff.nurse, trial_id, "63.5", clock())
    number = infusion_number(ctx, infusion_id)
    prepare(
        ctx,
        staff,
        infusion_id,
        wristband=wristband_code(trial_id, INITIALS),
        product_id=f"UC-{trial_id}-{number}",
    )
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=25)


def start(ctx: AppContext, staff, infusion_id: int, **options) -> bedside.Outcome:
    return bedside.start_infusion(
        ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20, **options
    )


def run_to_the_end(ctx: AppContext, staff, clock: FakeClock, infusion_id: int) -> None:
    """From a start at S: rate step S+15, vitals S+17, end S+50, vitals, observation to S+170."""
    clock.advance(minutes=15)
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=33)
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=120)
    bedside.end_observation(ctx, staff.nurse, infusion_id)


def give(ctx: AppContext, staff, clock: FakeClock, trial_id: str, number: int, **options) -> int:
    """Infusion ``number`` created, prepared from the clock's time T, started at T+35 and run
    to the end of its observation."""
    infusion_id = new_infusion(ctx, staff, trial_id, number)
    ready_to_start(ctx, staff, clock, trial_id, infusion_id)
    start(ctx, staff, infusion_id, **options)
    run_to_the_end(ctx, staff, clock, infusion_id)
    return infusion_id


def infusion_number(ctx: AppContext, infusion_id: int) -> int:
    from infusion_app.services.status import get_infusion

    with ctx.db.read() as session:
        return get_infusion(session, infusion_id).number


def course_of(
    ctx: AppContext, trial_id: str, at: datetime | None = None
) -> tuple[CourseFacts, Plan]:
    """The course's facts and plan at ``at`` (default: the clock's now), read from the log."""
    with ctx.db.read() as session:
        course = load_course(ctx, session, find_patient(session, trial_id))
        return course.facts, treatment_plan(course.protocol, course.facts, at or ctx.now())
