"""Gravity drip plan: worked examples from the rule in drip_plan.py.

Protocol steps (both trials): 20 gtt/min for 15 min, then the lowest whole rate in 40-60
gtt/min that finishes within 60 min of the start; the infusion should take 30-60 min.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.errors import InputError
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.summaries import drip_plan_summary


def test_100_ml_at_20_gtt_per_ml(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "100")
    one, two = plan.phases
    # phase 1: 20 gtt/min × 15 min = 300 gtt = 300 / 20 = 15 mL; 20/20 = 1 mL/min = 60 mL/h
    assert (one.rate_gtt_per_min, one.start_min, one.duration_min) == (20, 0, 15)
    assert one.volume_ml == 15
    assert one.rate_ml_per_min == 1
    assert one.rate_ml_per_h == 60
    # phase 2: 85 mL × 20 = 1700 gtt in the 45 min left -> 37.8 gtt/min needed -> 40 (lowest)
    assert two.rate_gtt_per_min == 40
    assert two.volume_ml == 85
    # 1700 gtt / 40 gtt/min = 42.5 min, from minute 15; 40/20 = 2 mL/min = 120 mL/h
    assert (two.start_min, two.duration_min) == (15, Decimal("42.5"))
    assert two.rate_ml_per_h == 120
    # total 15 + 42.5 = 57.5 min, inside 30-60
    assert plan.expected_duration_min == Decimal("57.5")
    assert plan.warnings == ()


def test_120_ml_takes_the_lowest_rate_that_finishes_in_time(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "120")
    two = plan.phases[1]
    # 105 mL × 20 = 2100 gtt / 45 min = 46.67 gtt/min -> 47 (46 would take 45.65 min)
    assert two.rate_gtt_per_min == 47
    # 2100 / 47 = 44.68 min; total 59.68 -> 59.7 shown
    summary = drip_plan_summary(plan)
    assert summary["phases"][1]["duration_min"] == Decimal("44.7")
    assert summary["expected_duration_min"] == Decimal("59.7")
    # 47 / 20 = 2.35 mL/min = 141.0 mL/h
    assert summary["phases"][1]["rate_ml_per_min"] == Decimal("2.35")
    assert summary["phases"][1]["rate_ml_per_h"] == Decimal("141.0")
    assert plan.warnings == ()


def test_150_ml_needs_exactly_the_maximum_rate(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "150")
    # 135 mL × 20 = 2700 gtt / 45 min = 60 gtt/min exactly: allowed, ends at 60 min
    assert plan.phases[1].rate_gtt_per_min == 60
    assert plan.expected_duration_min == 60
    assert plan.warnings == ()


def test_151_ml_cannot_finish_within_60_min(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "151")
    # 136 mL × 20 = 2720 gtt / 45 = 60.4 gtt/min > 60: plan uses 60 and says so
    assert plan.phases[1].rate_gtt_per_min == 60
    # predicted 15 + 2720 / 60 = 60.33 min -> "60.3 min"
    (warning,) = plan.warnings
    assert warning.level == "error"
    assert warning.code == "exceeds_max_duration"
    assert "takes 60.3 min" in str(warning.message)


def test_small_bag_ends_too_early_even_at_40(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "40")
    # 25 mL × 20 = 500 gtt / 40 gtt/min = 12.5 min; total 27.5 min < 30
    assert plan.phases[1].rate_gtt_per_min == 40
    assert plan.expected_duration_min == Decimal("27.5")
    (warning,) = plan.warnings
    assert (warning.level, warning.code) == ("warning", "shorter_than_min_duration")
    assert "ends after 27.5 min" in str(warning.message)


def test_45_ml_ends_at_exactly_30_min(cart: Protocol) -> None:
    # 30 mL × 20 = 600 gtt / 40 = 15 min; 15 + 15 = 30 min: the minimum, no warning
    plan = plan_drip(cart.infusion, "45")
    assert plan.expected_duration_min == 30
    assert plan.warnings == ()


def test_bag_smaller_than_phase_one(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "13.8")
    # 13.8 mL × 20 = 276 gtt at 20 gtt/min = 13.8 min, all in phase 1
    (only,) = plan.phases
    assert (only.rate_gtt_per_min, only.volume_ml, only.duration_min) == (
        20,
        Decimal("13.8"),
        Decimal("13.8"),
    )
    assert [w.code for w in plan.warnings] == ["shorter_than_min_duration"]


def test_micro_drip_set(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "40", 60)
    one, two = plan.phases
    # phase 1: 300 gtt / 60 gtt/mL = 5 mL; 20/60 = 0.33 mL/min = 20 mL/h
    assert one.volume_ml == 5
    assert one.rate_ml_per_h == 20
    assert drip_plan_summary(plan)["phases"][0]["rate_ml_per_min"] == Decimal("0.33")
    # phase 2: 35 mL × 60 = 2100 gtt / 45 = 46.67 -> 47 gtt/min
    assert two.rate_gtt_per_min == 47
    assert plan.warnings == ()


def test_micro_drip_with_a_large_bag_cannot_meet_the_window(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "100", "60")
    # 95 mL × 60 = 5700 gtt / 60 gtt/min = 95 min; total 110 min
    assert plan.phases[1].rate_gtt_per_min == 60
    assert "takes 110.0 min" in str(plan.warnings[0].message)


def test_drop_factor_15(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "100", 15)
    # phase 1: 300 / 15 = 20 mL; phase 2: 80 mL × 15 = 1200 gtt / 45 = 26.7 -> 40;
    # 1200 / 40 = 30 min; total 45 min
    assert plan.phases[0].volume_ml == 20
    assert plan.phases[1].rate_gtt_per_min == 40
    assert plan.expected_duration_min == 45


def test_drop_factor_that_does_not_divide_300(cart: Protocol) -> None:
    plan = plan_drip(cart.infusion, "50", 7)
    # phase 1: 300 / 7 = 42.857 mL -> 42.86 mL (0.01 mL rule); phase 2 takes the rest: 7.14 mL
    assert plan.phases[0].volume_ml == Decimal("42.86")
    assert plan.phases[1].volume_ml == Decimal("7.14")
    assert sum(p.volume_ml for p in plan.phases) == 50


@pytest.mark.parametrize("drop_factor", ["0", "-20", "20.5", "abc", "101", "NaN"])
def test_bad_drop_factor(cart: Protocol, drop_factor: str) -> None:
    with pytest.raises(InputError) as error:
        plan_drip(cart.infusion, "100", drop_factor)
    assert error.value.field == "drop_factor_gtt_per_ml"


@pytest.mark.parametrize("volume", ["0", "-1", "x"])
def test_bad_bag_volume(cart: Protocol, volume: str) -> None:
    with pytest.raises(InputError) as error:
        plan_drip(cart.infusion, volume)
    assert error.value.field == "bag_volume_ml"
