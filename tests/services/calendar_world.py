"""Getting a patient through an infusion for the calendar's tests, and its times.

The test clock starts Saturday 21 November 2026 08:00 UTC = 16:00 in Asia/Shanghai, the
protocols' zone; P001 (group A unless told) is enrolled then. The infusion follows
tests/services/bedside_steps.py: start 08:35 UTC (16:35 local, so the first infusion's local
day is 21 November), rate step 08:50, end 09:25 UTC, observation ended 11:25 UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from infusion_app.logic.course import Occurrence, calendar
from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.services.course_read import load_course
from infusion_app.services.patients import find_patient
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import run_to_fast_phase

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(day: str, clock: str = "00:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=SHANGHAI)


def end_infusion(ctx: AppContext, staff, infusion_id: int, clock: FakeClock) -> None:
    """From 08:00 to the end at 09:25 UTC and the set of vitals at the end."""
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # 08:52
    clock.advance(minutes=33)  # 09:25
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)


def give_infusion(ctx: AppContext, staff, infusion_id: int, clock: FakeClock) -> None:
    """The whole infusion, to the end of the observation at 11:25 UTC."""
    end_infusion(ctx, staff, infusion_id, clock)
    clock.advance(minutes=120)  # 11:25
    bedside.end_observation(ctx, staff.nurse, infusion_id)


def occurrences(ctx: AppContext, trial_id: str = "P001") -> dict[str, Occurrence]:
    """The patient's calendar at the clock's time, by key, read as every screen reads it."""
    now = ctx.now()
    with ctx.db.read() as session:
        course = load_course(ctx, session, find_patient(session, trial_id))
    return {o.key: o for o in calendar(course.protocol, course.facts, now)}
