"""A whole infusion through the services, with what a record must show: a reaction, a
correction, a back-entered entry, a Chinese name and Chinese free text.

The test clock starts at 08:00 UTC (tests/fakes.py). Times of the run:
08:00 baseline vitals, premedication; 08:10 thaw; 08:35 start; 08:50 rate step; 08:52 vitals;
09:05 vitals by 王宁 with T 38.4, fever grade 1 recorded; 09:07 the 09:05 temperature corrected
to 38.6; 09:20 vitals back-entered at 09:30 ("monitor downtime"); 09:25 end (100 mL), vitals;
11:25 observation ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.services.bedside_steps import run_to_fast_phase

FEVER_NOTE = "轻度发热，予物理降温"
LATE_REASON = "monitor downtime, taken from the paper chart"
CORRECTION_REASON = "transcription error: thermometer read 38.6"


@dataclass(frozen=True)
class Scenario:
    fever_vitals_seq: int
    ae_seq: int
    correction_seq: int
    late_vitals_seq: int


def full_infusion(ctx: AppContext, staff, infusion_id: int, clock: FakeClock) -> Scenario:
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # to 08:52, vitals taken
    clock.advance(minutes=13)  # 09:05
    fever = bedside.record_vitals(
        ctx, staff.nurse2, infusion_id, {**NORMAL_VITALS, "temperature_c": "38.4"}
    )
    ae = bedside.record_adverse_event(
        ctx,
        staff.nurse2,
        infusion_id,
        term="Fever",
        attribution="possible",
        serious=False,
        temperature_c="38.4",
        description=FEVER_NOTE,
        outcome="recovered",
    )
    clock.advance(minutes=2)  # 09:07
    correction = bedside.correct_event(
        ctx,
        staff.nurse2,
        infusion_id,
        fever.seq,
        PASSWORD,
        reason=CORRECTION_REASON,
        changes={"temperature_c": "38.6"},
    )
    clock.advance(minutes=15)  # 09:22
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=3)  # 09:25: 50 min after the start
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=45)  # 10:10: the 09:55 observation set entered 15 min late
    late = bedside.record_vitals(
        ctx,
        staff.nurse,
        infusion_id,
        NORMAL_VITALS,
        at=clock.now - timedelta(minutes=15),
        late_reason=LATE_REASON,
    )
    clock.advance(minutes=75)  # 11:25
    bedside.end_observation(ctx, staff.nurse, infusion_id)
    return Scenario(fever.seq, ae.seq, correction.seq, late.seq)
