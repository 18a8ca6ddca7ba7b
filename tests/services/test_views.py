"""What the lists show: today's ward list keeps unfinished infusions from earlier days and
drops finished ones; the monitor's date range finds finished ones too."""

from __future__ import annotations

from datetime import timedelta

import pytest

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.infusion_state import Step
from infusion_app.services import bedside, infusions, products, views
from tests.samples import example_coa
from tests.services.bedside_steps import run_to_fast_phase


def day(clock):
    start = clock().replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


@pytest.mark.parametrize("p001_group", ["C"])  # infusion 2 has a place in the plan
def test_ward_list_and_monitor_range(ctx, staff, infusion_id, clock):
    # infusion 1: run and finished on the 21st (observation end 11:25)
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # 08:52
    clock.advance(minutes=33)  # 09:25
    bedside.end_infusion(
        ctx, staff.nurse, infusion_id, "correct horse battery", volume_infused_ml="100"
    )
    clock.advance(minutes=1)
    from tests.logic.infusion_log import NORMAL_VITALS

    bedside.record_vitals(ctx, staff.nurse, infusion_id, NORMAL_VITALS)
    clock.advance(minutes=119)  # 11:25
    bedside.end_observation(ctx, staff.nurse, infusion_id)
    # infusion 2 of the same patient: created on the 21st, never started
    products.register_product(  # one bag, one infusion: the second dose has its own bag
        ctx, staff.pharmacist, coa_from_mapping(example_coa(product_id="UC-MSC-2026-0002"))
    )
    second = infusions.create_infusion(ctx, staff.nurse, "P001", "UC-MSC-2026-0002", 2)

    clock.advance(days=1)  # the 22nd
    since, until = day(clock)
    today = views.list_infusions(ctx, since=since, until=until, open_ones=True)
    assert [(r.infusion_id, r.step) for r in today] == [(second, Step.CHECKS)]
    assert today[0].station == "ward-3-bed-2"
    elsewhere = views.list_infusions(
        ctx, since=since, until=until, open_ones=True, station="ward-9"
    )
    assert elsewhere == []
    month = views.list_infusions(ctx, since=since - timedelta(days=30), until=until)
    assert sorted(r.infusion_id for r in month) == sorted([infusion_id, second])
    done = next(r for r in month if r.infusion_id == infusion_id)
    assert (done.step, done.status) == (Step.DONE, "observation complete")
    assert views.list_infusions(ctx, since=since, until=until, trial_id="P00") == []
    assert views.open_infusion_at_station(ctx, "ward-3-bed-2") == second
