"""A small scripted trial for the trial summary's service, record, CLI and screen tests.

``ucmsc-cart-cytopenia`` without its dose-finding rule (enrolment free), clock at T:

- P001, group A (one infusion): baseline PLT 20 an hour before T; infusion 1 started at
  S1 = T + 35 min; PLT 31 at S1 + 2 d and 32 at S1 + 4 d (both >= 20 + 10, 48 h apart, no
  transfusion): a platelet PR achieved on day 2, still on at week 4, censored at its last
  test (2 days); a grade 3 "Platelet count decreased", probable, recorded a day after the
  infusions and confirmed as a DLT.
- P002, group A: baseline PLT 20; infusion 1 at S2 (after P001's, about 3 h later); PLT 20 at
  S2 + 2 d and + 4 d: no response. A grade 1 fever, unrelated.
- P003, group B (two infusions planned): enrolled, never infused.

The clock ends 30 days after the infusions: group A's 28-day DLT windows have closed (P002
is evaluable without a DLT), week 4 (day 28 after the last infusion) is reached and week 8 is
not (pending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from infusion_app.services import outcomes, patient_aes
from infusion_app.services.context import AppContext
from infusion_app.services.dlt_review import review_dlt
from tests.conftest import PASSWORD
from tests.fakes import FakeClock
from tests.services.course_steps import enrolled, give

CART = "ucmsc-cart-cytopenia"


@dataclass(frozen=True)
class SummaryWorld:
    started: dict[str, datetime]  # each infused patient's infusion 1 start


def counts(hb: str, anc: str, plt: str) -> dict[str, str]:
    return {"hb": hb, "anc": anc, "plt": plt}


def scripted_trial(ctx: AppContext, staff, clock: FakeClock) -> SummaryWorld:
    t = clock.now
    for trial_id, level in (("P001", "A"), ("P002", "A"), ("P003", "B")):
        enrolled(ctx, staff, trial_id, CART, level)
    started = {}
    for trial_id in ("P001", "P002"):
        outcomes.record_lab(
            ctx, staff.nurse, trial_id, counts("70", "0.4", "20"), drawn_at=t - timedelta(hours=1)
        )
        started[trial_id] = clock.now + timedelta(minutes=35)
        give(ctx, staff, clock, trial_id, 1)
    clock.advance(days=1)
    ae = patient_aes.record_patient_ae(
        ctx,
        staff.nurse,
        "P001",
        {"term": "Platelet count decreased", "grade": 3, "attribution": "probable",
         "serious": False},
    )  # fmt: skip
    assert ae.dlt
    review_dlt(
        ctx,
        staff.investigator,
        "P001",
        stream="patient:P001",
        adverse_event_seq=ae.seq,
        confirmed=True,
        reason="no other cause",
        password=PASSWORD,
    )
    patient_aes.record_patient_ae(
        ctx,
        staff.nurse,
        "P002",
        {"term": "Fever", "grade": 1, "attribution": "unrelated", "serious": False},
    )
    clock.advance(days=29)
    for trial_id, values in (("P001", ("31", "32")), ("P002", ("20", "20"))):
        for days, plt in zip((2, 4), values, strict=True):
            outcomes.record_lab(
                ctx,
                staff.nurse,
                trial_id,
                counts("70", "0.4", plt),
                drawn_at=started[trial_id] + timedelta(days=days),
            )
    return SummaryWorld(started)
