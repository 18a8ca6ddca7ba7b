"""Recording a patient's outcomes, on SQLite and PostgreSQL: blood counts typed and imported,
transfusions, the investigator's signed tumour assessments, progression and death, the last
contact; and what they add up to (CTCAE grades, the haematological response, PFS and OS).

The clock starts 2026-11-21 08:00 UTC (16:00 in Asia/Shanghai). course_steps.give prepares
an infusion from the clock's time T and starts it at T+35 min; patients are female.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from infusion_app.logic.errors import InputError
from infusion_app.logic.haem_response import Response
from infusion_app.logic.labs import CsvRowsError, Lineage
from infusion_app.logic.tumour import OverallResponse
from infusion_app.services import outcomes
from infusion_app.services.context import AuthenticationFailed, NotAuthorised
from infusion_app.store.models import Event, Signature
from tests.conftest import PASSWORD
from tests.services.course_steps import enrolled, give

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"
T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def count(ctx, table=Event) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def counts(hb: str, anc: str, plt: str, **more: str) -> dict[str, str]:
    return {"hb": hb, "anc": anc, "plt": plt, **more}


def test_a_typed_count_is_graded_by_the_sites_limits(ctx, staff, clock) -> None:
    enrolled(ctx, staff, "P001", CART, "A")
    seq = outcomes.record_lab(
        ctx, staff.nurse, "P001", counts("95", "0.8", "30", wbc="2.5", lym="0.9"), drawn_at=T0
    )
    (row,) = outcomes.patient_outcomes(ctx, "P001").labs
    assert row.seq == seq and row.source is None
    assert row.test.hb == Decimal("95") and row.test.anc == Decimal("0.8")
    # female LLN (WS/T 405-2012): Hb 115 g/L; ANC 1.8, PLT 125, WBC 3.5, LYM 1.1 x 10^9/L
    # Hb 95: < 100 and >= 80 -> anaemia grade 2; ANC 0.8: < 1.0 and >= 0.5 -> grade 3;
    # PLT 30: < 50 and >= 25 -> grade 3; WBC 2.5: < 3.0 and >= 2.0 -> grade 2;
    # LYM 0.9: < LLN 1.1 and >= 0.8 -> grade 1
    assert row.grades == {
        Lineage.HB: 2,
        Lineage.ANC: 3,
        Lineage.PLT: 3,
        Lineage.WBC: 2,
        Lineage.LYM: 1,
    }


def test_impossible_duplicate_or_future_counts_are_refused_with_nothing_written(
    ctx, staff, clock
) -> None:
    enrolled(ctx, staff, "P001", CART, "A")
    outcomes.record_lab(ctx, staff.nurse, "P001", counts("95", "0.8", "30"), drawn_at=T0)
    before = count(ctx)
    with pytest.raises(InputError, match="hb: must be between 10 and 250 g/L"):
        outcomes.record_lab(ctx, staff.nurse, "P001", counts("950", "0.8", "30"), drawn_at=T0)
    with pytest.raises(InputError, match=r"drawn_at: a blood count drawn at .* is recorded"):
        outcomes.record_lab(ctx, staff.nurse, "P001", counts("96", "0.8", "30"), drawn_at=T0)
    with pytest.raises(InputError, match=r"drawn_at: .* is in the future"):
        outcomes.record_lab(
            ctx, staff.nurse, "P001", counts("96", "0.8", "30"), drawn_at=T0 + timedelta(days=1)
        )
    with pytest.raises(NotAuthorised):
        outcomes.record_lab(
            ctx,
            staff.pharmacist,
            "P001",
            counts("96", "0.8", "30"),
            drawn_at=T0 - timedelta(hours=1),
        )
    assert count(ctx) == before


def test_an_import_is_all_or_nothing_and_names_every_bad_row(ctx, staff, clock) -> None:
    enrolled(ctx, staff, "P001", CART, "A")
    bad = (
        "time,hb,anc,plt\n"
        "2026-11-19T08:00+08:00,70,0.3,12\n"
        "2026-11-20T08:00+08:00,71,-1,13\n"
        "2026-11-20T20:00+08:00,abc,0.4,14\n"
    )
    before = count(ctx)
    with pytest.raises(CsvRowsError) as refused:
        outcomes.import_labs(ctx, staff.nurse, "P001", bad, source="labs.csv")
    assert len(refused.value.problems) == 2  # rows 3 and 4 (the header is row 1)
    assert count(ctx) == before
    good = "time,hb,anc,plt\n2026-11-19T08:00+08:00,70,0.3,12\n2026-11-20T08:00+08:00,71,0.3,13\n"
    assert outcomes.import_labs(ctx, staff.nurse, "P001", good, source="labs.csv") == 2
    rows = outcomes.patient_outcomes(ctx, "P001").labs
    assert [(r.test.hb, r.source) for r in rows] == [
        (Decimal(70), "labs.csv"),
        (Decimal(71), "labs.csv"),
    ]
    # the same file again: its first row is refused as recorded already, nothing added
    with pytest.raises(InputError, match="recorded already"):
        outcomes.import_labs(ctx, staff.nurse, "P001", good, source="labs.csv")
    assert len(outcomes.patient_outcomes(ctx, "P001").labs) == 2


def test_a_platelet_response_after_the_infusion(ctx, staff, clock) -> None:
    """Group A: one infusion, started 2026-11-21 08:35 UTC. Baseline PLT 20 (before it).
    PLT 31 at +2 days and 32 at +4 days (48 h later): both >= 20 + 10, no transfusion in the
    7 days before the first -> a confirmed PR of platelets achieved at +2 days, the 23rd
    local day... time to response = 2 calendar days (Nov 21 -> Nov 23, Asia/Shanghai).
    Haemoglobin and neutrophils stay at baseline: no CR."""
    enrolled(ctx, staff, "P001", CART, "A")
    outcomes.record_lab(
        ctx, staff.nurse, "P001", counts("70", "0.4", "20"), drawn_at=T0 - timedelta(hours=1)
    )
    give(ctx, staff, clock, "P001", 1)
    start = T0 + timedelta(minutes=35)
    clock.now = start + timedelta(days=4, hours=1)
    for days, plt in ((2, "31"), (4, "32")):
        outcomes.record_lab(
            ctx,
            staff.nurse,
            "P001",
            counts("70", "0.4", plt),
            drawn_at=start + timedelta(days=days),
        )
    result = outcomes.patient_outcomes(ctx, "P001")
    response = result.response
    assert response is not None and not result.response_provisional
    assert response.baseline[Lineage.PLT] == Decimal(20)
    assert response.achieved["plt"] == start + timedelta(days=2)
    assert response.time_to_response_days["plt"] == 2
    assert response.achieved["cr"] is None and response.achieved["hb"] is None
    # week 4 lies ahead (last infusion + 28 days): its status uses what is known by then
    week4 = response.week(4)
    assert week4 is not None and week4.status is Response.PR


def test_a_transfusion_is_recorded_and_checked(ctx, staff, clock) -> None:
    enrolled(ctx, staff, "P001", CART, "A")
    outcomes.record_transfusion(ctx, staff.nurse, "P001", kind="rbc", units=2, given_at=T0)
    with pytest.raises(InputError, match="kind: must be one of rbc, platelets"):
        outcomes.record_transfusion(ctx, staff.nurse, "P001", kind="plasma", units=1, given_at=T0)
    with pytest.raises(InputError, match="units: must be between 1 and"):
        outcomes.record_transfusion(ctx, staff.nurse, "P001", kind="rbc", units=0, given_at=T0)
    (given,) = outcomes.patient_outcomes(ctx, "P001").entries.given
    assert (given.kind.value, given.units, given.given_at) == ("rbc", 2, T0)


def test_tumour_response_progression_death_and_survival(ctx, staff, clock) -> None:
    """msc-l-crc, first dose 2026-11-21 (local). SD on 2027-01-02 (day 42), PR on 2027-02-13
    (day 84), progression 2027-04-10 (day 140), death 2027-05-01 (day 161): best PR; PFS 140
    days (event), OS 161 days (event)."""
    enrolled(ctx, staff, "P001", CRC, "1")
    give(ctx, staff, clock, "P001", 1)
    clock.now = datetime(2027, 5, 2, 2, 0, tzinfo=UTC)
    sign = {"password": PASSWORD}
    outcomes.record_tumour_assessment(
        ctx, staff.investigator, "P001", response="SD", assessed_on=date(2027, 1, 2), **sign
    )
    outcomes.record_tumour_assessment(
        ctx, staff.investigator, "P001", response="pr", assessed_on=date(2027, 2, 13), **sign
    )
    with pytest.raises(NotAuthorised):
        outcomes.record_tumour_assessment(
            ctx, staff.nurse, "P001", response="SD", assessed_on=date(2027, 3, 1), **sign
        )
    with pytest.raises(AuthenticationFailed):
        outcomes.record_progression(
            ctx, staff.investigator, "P001", on=date(2027, 4, 10), password="not the password"
        )
    outcomes.record_progression(ctx, staff.investigator, "P001", on=date(2027, 4, 10), **sign)
    with pytest.raises(InputError, match="progression: is recorded already"):
        outcomes.record_progression(ctx, staff.investigator, "P001", on=date(2027, 4, 11), **sign)
    outcomes.record_last_contact(ctx, staff.nurse, "P001", on=date(2027, 4, 20))
    with pytest.raises(InputError, match="before entries dated up to 2027-04-20"):
        outcomes.record_death(
            ctx, staff.investigator, "P001", on=date(2027, 4, 15), cause="sepsis", **sign
        )
    outcomes.record_death(
        ctx, staff.investigator, "P001", on=date(2027, 5, 1), cause="disease progression", **sign
    )
    with pytest.raises(InputError, match="at: 2027-05-03 is in the future"):
        outcomes.record_last_contact(ctx, staff.nurse, "P001", on=date(2027, 5, 3))
    with pytest.raises(InputError, match="at: 2027-05-02 is after the death"):
        outcomes.record_last_contact(ctx, staff.nurse, "P001", on=date(2027, 5, 2))
    result = outcomes.patient_outcomes(ctx, "P001")
    assert result.best_response is OverallResponse.PR
    assert result.pfs is not None and (result.pfs.days, result.pfs.event) == (140, True)
    assert result.os is not None and (result.os.days, result.os.event) == (161, True)
    assert result.entries.cause_of_death == "disease progression"
    with ctx.db.read() as session:
        meanings = session.scalars(select(Signature.meaning)).all()
    assert meanings.count("assessed") == 4  # two assessments, the progression, the death


def test_the_cytopenia_trial_records_no_tumour_response(ctx, staff, clock) -> None:
    enrolled(ctx, staff, "P001", CART, "A")
    with pytest.raises(InputError, match="records no tumour response"):
        outcomes.record_tumour_assessment(
            ctx,
            staff.investigator,
            "P001",
            response="SD",
            assessed_on=date(2026, 11, 21),
            password=PASSWORD,
        )


def test_after_the_death_is_counted_in_the_sites_local_days(ctx, staff, clock) -> None:
    """Death on 2026-11-25 (Asia/Shanghai, UTC+8). A count drawn at 23:30 local that day
    (15:30 UTC) is before the end of it and is kept; one at 00:30 local on the 26th is 16:30
    UTC on the 25th: by its UTC date it would pass, by the site's day it is after the death."""
    enrolled(ctx, staff, "P001", CART, "A")
    clock.now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    outcomes.record_death(
        ctx, staff.investigator, "P001", on=date(2026, 11, 25), cause="sepsis", password=PASSWORD
    )
    same_day = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    outcomes.record_lab(ctx, staff.nurse, "P001", counts("90", "1.0", "40"), drawn_at=same_day)
    next_day = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
    with pytest.raises(InputError, match="drawn_at: 2026-11-26 is after the death"):
        outcomes.record_lab(ctx, staff.nurse, "P001", counts("91", "1.0", "40"), drawn_at=next_day)


def test_a_patient_seen_last_before_the_first_dose_is_censored_at_the_first_dose(
    ctx, staff, clock
) -> None:
    """Found by the site benchmark: a blood count drawn before the first dose and nothing
    since made the patient's last contact earlier than the first dose, which os_time refuses,
    and one such patient refused the whole trial summary. Treated at the first dose, the
    patient was alive then: OS is censored at day 0. (msc-l-crc; count on 2026-11-21 local,
    first dose two days later, 2026-11-23: last known alive 11-23, 0 days, censored.)"""
    enrolled(ctx, staff, "P001", CRC, "1")
    outcomes.record_lab(ctx, staff.nurse, "P001", counts("120", "2.0", "150"), drawn_at=T0)
    clock.advance(days=2)
    give(ctx, staff, clock, "P001", 1)
    result = outcomes.patient_outcomes(ctx, "P001")
    assert result.os is not None and (result.os.days, result.os.event) == (0, False)
    assert result.pfs is None  # no tumour assessment yet: not in the PFS analysis
