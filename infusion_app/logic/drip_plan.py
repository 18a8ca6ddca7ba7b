"""Gravity drip-rate plan for an MSC infusion.

The protocol's procedure: a slow first phase (20 gtt/min for 15 min) to watch for a reaction,
then the rest at 40-60 gtt/min so that the infusion finishes within 30-60 min of its start.
Phase 2 takes the LOWEST whole rate in that range that still finishes within the maximum
time, because a slower drip is gentler on the patient. When no rate in the range can meet the
window, the plan says so instead of silently leaving the range.

Rounding rules: phase volumes are rounded half-up to 0.01 mL (phase 2 takes the rest of the
bag, so the phases always add up to the bag volume exactly); durations are exact and shown to
0.1 min.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from infusion_app.logic import messages as m
from infusion_app.logic.advisories import Advisory
from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import parse_decimal, require_range, round_half_up, to_places
from infusion_app.logic.protocol import InfusionSteps

PHASE_VOLUME_STEP_ML = Decimal("0.01")
MAX_DROP_FACTOR = 100  # ISO 8536-4 sets are 20 (standard) or 60 (micro-drip) gtt/mL
MINUTES_PER_HOUR = Decimal(60)


@dataclass(frozen=True)
class DripPhase:
    number: int
    rate_gtt_per_min: int
    rate_ml_per_min: Decimal
    start_min: Decimal
    duration_min: Decimal
    volume_ml: Decimal

    @property
    def rate_ml_per_h(self) -> Decimal:
        return self.rate_ml_per_min * MINUTES_PER_HOUR

    @property
    def end_min(self) -> Decimal:
        return self.start_min + self.duration_min


@dataclass(frozen=True)
class DripPlan:
    drop_factor_gtt_per_ml: int
    bag_volume_ml: Decimal
    phases: tuple[DripPhase, ...]
    warnings: tuple[Advisory, ...]

    @property
    def expected_duration_min(self) -> Decimal:
        return self.phases[-1].end_min


def parse_drop_factor(raw: Decimal | int | str) -> int:
    value = parse_decimal("drop_factor_gtt_per_ml", raw)
    if value != value.to_integral_value() or not 1 <= value <= MAX_DROP_FACTOR:
        raise InputError(
            "drop_factor_gtt_per_ml",
            f"must be a whole number of drops per mL from 1 to {MAX_DROP_FACTOR} "
            f"(20 for a standard set, 60 for micro-drip), got {raw}",
        )
    return int(value)


def plan_drip(
    steps: InfusionSteps,
    bag_volume_ml: Decimal | int | str,
    drop_factor_gtt_per_ml: Decimal | int | str | None = None,
) -> DripPlan:
    """Plan the two phases for a bag; the drop factor defaults to the protocol's."""
    bag = require_range(
        "bag_volume_ml", parse_decimal("bag_volume_ml", bag_volume_ml), gt=Decimal(0), unit="mL"
    )
    drop_factor = parse_drop_factor(
        steps.drop_factor_gtt_per_ml.value
        if drop_factor_gtt_per_ml is None
        else drop_factor_gtt_per_ml
    )
    df = Decimal(drop_factor)
    rate1 = steps.phase1_rate_gtt_per_min.value
    phase1_min = Decimal(steps.phase1_duration_min.value)
    rate2_min = steps.phase2_rate_min_gtt_per_min.value
    rate2_max = steps.phase2_rate_max_gtt_per_min.value
    total_min = Decimal(steps.duration_min_min.value)
    total_max = Decimal(steps.duration_max_min.value)
    warnings: list[Advisory] = []

    phase1_full_ml = round_half_up(rate1 * phase1_min / df, PHASE_VOLUME_STEP_ML)
    if bag <= phase1_full_ml:
        phase1 = DripPhase(1, rate1, rate1 / df, Decimal(0), bag * df / rate1, bag)
        warnings.append(_too_short(phase1.end_min, rate1, total_min))
        return DripPlan(drop_factor, bag, (phase1,), tuple(warnings))

    phase1 = DripPhase(1, rate1, rate1 / df, Decimal(0), phase1_min, phase1_full_ml)
    rest_ml = bag - phase1_full_ml
    rest_drops = rest_ml * df
    needed = rest_drops / (total_max - phase1_min)
    rate2 = max(rate2_min, math.ceil(needed))
    if rate2 > rate2_max:
        rate2 = rate2_max
        predicted = phase1_min + rest_drops / rate2
        warnings.append(
            Advisory(
                "exceeds_max_duration",
                "error",
                "final_volume_ml",
                m.adv_exceeds_max_duration(
                    rate=rate2_max, takes_min=to_places(predicted, 1), max_min=total_max
                ),
            )
        )
    phase2 = DripPhase(2, rate2, rate2 / df, phase1_min, rest_drops / rate2, rest_ml)
    if rate2 == rate2_min and phase2.end_min < total_min:
        warnings.append(_too_short(phase2.end_min, rate2_min, total_min))
    return DripPlan(drop_factor, bag, (phase1, phase2), tuple(warnings))


def _too_short(end_min: Decimal, rate: int, total_min: Decimal) -> Advisory:
    return Advisory(
        "shorter_than_min_duration",
        "warning",
        "final_volume_ml",
        m.adv_shorter_than_min(rate=rate, ends_min=to_places(end_min, 1), min_min=total_min),
    )
