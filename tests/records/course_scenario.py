"""A group C patient's course, for the course record and the monitor's log.

Site zone Asia/Shanghai (UTC+8); the test clock starts Saturday 2026-11-21 08:00 UTC = 16:00
local. Group C plans 4 weekly infusions, each due 7 days after the previous one's actual local
start date, with a -1/+2 local-day window (resources/protocols/ucmsc-cart-cytopenia.toml).

- 21 Nov 08:00 UTC: P001 registered and enrolled at C by Ivan Investigator; baseline
  immunology sample IMM-P001-00 collected (before the anchor: allowed from enrolment).
- Infusion 1: started 21 Nov 08:35 UTC (16:35 local), ended 09:25.
- Its 24-hour acute check: target 22 Nov 09:25 UTC, window -2 h/+4 h = 07:25-13:25 UTC;
  recorded 22 Nov 09:30 UTC by Nora Nurse: done.
- Infusion 2: target 21 Nov + 7 = 28 Nov; window 27 Nov 00:00 to 1 Dec 00:00 local
  (printed 2026-11-27 – 2026-11-30). Started 2 Dec 08:35 UTC (16:35 local), after its window
  closed, with the reason LATE_REASON: a schedule deviation. 11 local days after infusion 1.
  A fever grade 1 recorded during it by Ning Wang; its acute check done 3 Dec 09:30 UTC.
- Week-1 follow-up visit (follow_up_weekly:7d): target 28 Nov, window 27-29 Nov local
  (-1/+1 day), never recorded: missed.
- Week-1 immunology sample (immunology:7d): same window; collected 2 Dec 08:00 UTC, after the
  window closed (30 Nov 00:00 local), as IMM-P001-07 with SAMPLE_REASON: late.
- Infusion 3: target 2 Dec + 7 = 9 Dec; started 9 Dec 08:35 UTC, inside its window
  (8-11 Dec local); 7 local days after infusion 2.
- A platelet count decreased, grade 3, recorded against the patient on 10 Dec 08:00 UTC,
  flagged as a DLT and confirmed by the investigator.
- Infusion 4: target 9 Dec + 7 = 16 Dec, window 15-18 Dec local: planned at the print time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.event_types import infusion_stream, patient_stream
from infusion_app.logic.events import (
    AdverseEventRecorded,
    DltReviewed,
    Event,
    InfusionStarted,
    SampleCollected,
    VisitRecorded,
)
from infusion_app.logic.identity import wristband_code
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.services import bedside, infusions, patients, products
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import User
from tests.conftest import PASSWORD, register_p001
from tests.fakes import FakeClock
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare
from tests.stored import sign_infusion_event

LATE_REASON = "patient had a fever at home; infusion postponed by the investigator"
SAMPLE_REASON = "patient came back only for infusion 2"
DLT_REASON = "grade 3 thrombocytopenia in the DLT window, possibly related"
START = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Course:
    infusion_ids: dict[int, int]  # number -> infusion ID


def day(days: int, hours: int = 8, minutes: int = 0) -> datetime:
    """``days`` after 21 Nov at ``hours``:``minutes`` UTC."""
    return START + timedelta(days=days, hours=hours - 8, minutes=minutes)


def group_c_course(ctx: AppContext, staff, clock: FakeClock) -> Course:
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    append_patient_event(
        ctx,
        staff.nurse,
        SampleCollected(item="immunology_baseline:0d", sample_id="IMM-P001-00", note=None),
    )
    ids = {1: _infusion(ctx, staff, clock, 1, "UC-MSC-2026-0001")}
    clock.now = day(1, 9, 30)
    append_patient_event(ctx, staff.nurse, VisitRecorded(item="acute_check:1:24h", note=None))
    clock.now = day(11)  # 2 Dec 08:00 UTC
    append_patient_event(
        ctx,
        staff.nurse,
        SampleCollected(item="immunology:7d", sample_id="IMM-P001-07", note=None),
        reason=SAMPLE_REASON,
    )
    ids[2] = _infusion(ctx, staff, clock, 2, "UC-P001-2", late_reason=LATE_REASON, fever=True)
    clock.now = day(12, 9, 30)  # infusion 2 ended 2 Dec 09:25 UTC: its acute check on time
    append_patient_event(ctx, staff.nurse, VisitRecorded(item="acute_check:2:24h", note=None))
    clock.now = day(18)  # 9 Dec 08:00 UTC
    ids[3] = _infusion(ctx, staff, clock, 3, "UC-P001-3")
    clock.now = day(19)  # 10 Dec 08:00 UTC
    ae = append_patient_event(
        ctx,
        staff.nurse,
        AdverseEventRecorded(
            term="Platelet count decreased",
            other_term=None,
            grade=3,
            started_at=day(19, 7),
            aware_at=day(19, 8),
            attribution="possible",
            serious=False,
            action_taken="none",
            outcome="not recovered / ongoing",
            description=None,
            fever_grade_suggested=None,
            dlt=True,
            report_due_at=None,
        ),
    )
    append_patient_event(
        ctx,
        staff.investigator,
        DltReviewed(
            stream=patient_stream("P001"), adverse_event_seq=ae, confirmed=True, reason=DLT_REASON
        ),
    )
    return Course(ids)


def _infusion(
    ctx: AppContext,
    staff,
    clock: FakeClock,
    number: int,
    bag: str,
    *,
    late_reason: str | None = None,
    fever: bool = False,
) -> int:
    """From the clock's time T: weighed and dosed at T, premedication T, thaw T+10, start
    T+35, rate step T+50, vitals T+52, end T+85 (50 min after the start)."""
    if number > 1:
        coa = example_coa(product_id=bag, patient_id="P001")
        products.register_product(ctx, staff.pharmacist, coa_from_mapping(coa))
        patients.record_weight(ctx, staff.nurse, "P001", "63.5", clock())
    products.release_product(ctx, staff.pharmacist, bag, PASSWORD)
    infusion_id = infusions.create_infusion(ctx, staff.nurse, "P001", bag, number)
    prepare(ctx, staff, infusion_id, wristband=wristband_code("P001", "WL"), product_id=bag)
    bedside.give_premedication(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, staff.nurse, infusion_id)
    clock.advance(minutes=25)
    if late_reason is None:
        bedside.start_infusion(ctx, staff.nurse, infusion_id, PASSWORD, drop_factor_gtt_per_ml=20)
    else:
        start_late(ctx, staff.nurse, infusion_id, number, late_reason)
    clock.advance(minutes=15)
    bedside.change_rate(ctx, staff.nurse, infusion_id, no_discomfort=True)
    clock.advance(minutes=2)
    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    if fever:
        bedside.record_adverse_event(
            ctx,
            staff.nurse2,
            infusion_id,
            term="Fever",
            attribution="possible",
            serious=False,
            temperature_c="38.4",
            outcome="recovered",
        )
    clock.advance(minutes=33)
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    return infusion_id


def start_late(
    ctx: AppContext, nurse: CurrentUser, infusion_id: int, number: int, reason: str
) -> None:
    """The signed start of an infusion after its window closed, with the deviation's reason,
    as the START step stores it (appended here, so this test does not depend on how the
    step's form asks for the reason)."""
    seq = _append(
        ctx,
        nurse,
        infusion_stream("P001", number),
        InfusionStarted(drop_factor_gtt_per_ml=20, rate_gtt_per_min=20, schedule_deviation=reason),
    )
    sign_infusion_event(ctx, nurse, infusion_id, seq, SignatureMeaning.ADMINISTERED, PASSWORD)


def append_patient_event(
    ctx: AppContext, actor: CurrentUser, model: Event, *, reason: str | None = None
) -> int:
    """A calendar record, AE or DLT review on the patient's stream, as their services will
    store it (those acts are built in parallel; the record reads only the stored events)."""
    return _append(ctx, actor, patient_stream("P001"), model, reason=reason)


def _append(
    ctx: AppContext, actor: CurrentUser, stream: str, model: Event, *, reason: str | None = None
) -> int:
    with transaction(ctx) as session:
        user = session.query(User).filter_by(username=actor.username).one()
        return append_event(
            session,
            stream,
            model.TYPE,
            model,
            user=user,
            station=ctx.station,
            recorded_at=ctx.now(),
            reason=reason,
        ).seq
