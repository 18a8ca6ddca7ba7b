"""Cell dose and bag volume from the patient's actual body weight and the product's CoA.

The rule, step by step (every step is exact decimal arithmetic; only the named rounding
rules round):

1. dosing concentration = CoA total cells/mL × viability / 100 (``dose_basis = "viable"``),
   or the total concentration (``dose_basis = "total"``);
2. target cells = dose per kg of the dose level × actual body weight;
3. product volume = target cells / dosing concentration, rounded half-up to the protocol's
   syringe graduation;
4. delivered cells and the deviation from target are recomputed from the rounded volume;
   a deviation beyond the protocol tolerance, or more volume than the bag holds, is an error;
5. final bag volume = product volume, or the final volume after dilution when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from infusion_app.logic import messages as m
from infusion_app.logic.advisories import Advisory
from infusion_app.logic.errors import DoseError, InputError
from infusion_app.logic.numbers import format_cells, parse_decimal, require_range, round_half_up
from infusion_app.logic.protocol import Protocol

Number = Decimal | int | str

# Physical plausibility, not protocol policy: packed MSCs do not exceed ~1e9 cells/mL, and a
# gravity bag for a 30-60 min infusion is far below 1 L. Larger values are typing slips; so is
# a concentration below 1e4 cells/mL (no dose fits a bag): the CoA's bounds, logic.coa.
MIN_CONCENTRATION_CELLS_PER_ML = Decimal("1e4")
MAX_CONCENTRATION_CELLS_PER_ML = Decimal("1e9")
MAX_VOLUME_ML = Decimal(1000)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class DoseResult:
    protocol_label: str
    dose_level_id: str
    dose_basis: str
    dose_cells_per_kg: Decimal
    weight_kg: Decimal
    total_cells_per_ml: Decimal
    viability_pct: Decimal
    dosing_concentration_cells_per_ml: Decimal
    target_cells: Decimal
    product_volume_ml: Decimal
    delivered_cells: Decimal
    dose_deviation_pct: Decimal
    tolerance_pct: Decimal
    final_volume_ml: Decimal
    diluent_volume_ml: Decimal
    warnings: tuple[Advisory, ...]


def calculate_dose(
    protocol: Protocol,
    dose_level_id: str,
    *,
    weight_kg: Number,
    total_cells_per_ml: Number,
    viability_pct: Number,
    bag_volume_ml: Number | None = None,
    final_volume_ml: Number | None = None,
) -> DoseResult:
    """Compute the dose; raise InputError/DoseError naming the field when it must not be given."""
    level = protocol.dose_level(dose_level_id)
    dosing = protocol.dosing
    warnings: list[Advisory] = []

    weight = check_weight(protocol, parse_decimal("weight_kg", weight_kg), warnings)
    concentration = require_range(
        "total_cells_per_ml",
        parse_decimal("total_cells_per_ml", total_cells_per_ml),
        gt=Decimal(0),
        ge=MIN_CONCENTRATION_CELLS_PER_ML,
        le=MAX_CONCENTRATION_CELLS_PER_ML,
        unit="cells/mL",
    )
    viability = require_range(
        "viability_pct",
        parse_decimal("viability_pct", viability_pct),
        gt=Decimal(0),
        le=HUNDRED,
        unit="%",
    )
    release_min = protocol.release.viability_min_pct.value
    if viability < release_min:
        warnings.append(
            Advisory(
                "viability_below_release",
                "warning",
                "viability_pct",
                m.adv_viability_below_release(viability_pct=viability, release_min_pct=release_min),
            )
        )
    bag = _optional_volume("bag_volume_ml", bag_volume_ml)
    final_given = _optional_volume("final_volume_ml", final_volume_ml)
    if final_given is None and dosing.final_volume_ml is not None:
        final_given = dosing.final_volume_ml.value

    basis = dosing.dose_basis.value
    dosing_concentration = (
        concentration * viability / HUNDRED if basis == "viable" else concentration
    )
    dose_per_kg = level.dose_cells_per_kg.value
    target = dose_per_kg * weight

    graduation = dosing.syringe_graduation_ml.value
    exact_volume = target / dosing_concentration
    if exact_volume > MAX_VOLUME_ML:  # checked before rounding: 1e30 mL is a typo, not a dose
        raise DoseError(
            "product_volume_ml",
            f"{format_cells(target)} needs more than {MAX_VOLUME_ML} mL at "
            f"{format_cells(dosing_concentration)}/mL: check concentration and viability",
        )
    volume = round_half_up(exact_volume, graduation)
    if volume == 0:
        raise DoseError(
            "product_volume_ml",
            f"{format_cells(target)} needs less than half of one {graduation} mL graduation "
            "at this concentration: dilute the product before dosing",
        )
    delivered = volume * dosing_concentration
    deviation = (delivered - target) / target * HUNDRED
    tolerance = dosing.tolerance_pct.value
    if abs(deviation) > tolerance:
        raise DoseError(
            "dose_deviation_pct",
            f"{volume} mL delivers {format_cells(delivered)}, {deviation:+.2f}% from the target "
            f"{format_cells(target)}; the protocol allows ±{tolerance}%",
        )
    if bag is not None and volume > bag:
        raise DoseError(
            "product_volume_ml",
            f"{volume} mL is needed but the product bag holds only {bag} mL",
        )
    final = volume
    if final_given is not None:
        if final_given < volume:
            raise InputError(
                "final_volume_ml",
                f"must be at least the product volume of {volume} mL, got {final_given} mL",
            )
        final = final_given

    return DoseResult(
        protocol_label=protocol.label,
        dose_level_id=level.id,
        dose_basis=basis,
        dose_cells_per_kg=dose_per_kg,
        weight_kg=weight,
        total_cells_per_ml=concentration,
        viability_pct=viability,
        dosing_concentration_cells_per_ml=dosing_concentration,
        target_cells=target,
        product_volume_ml=volume,
        delivered_cells=delivered,
        dose_deviation_pct=deviation,
        tolerance_pct=tolerance,
        final_volume_ml=final,
        diluent_volume_ml=final - volume,
        warnings=tuple(warnings),
    )


def check_weight(protocol: Protocol, weight: Decimal, warnings: list[Advisory]) -> Decimal:
    """Hard limits raise; soft limits add a warning to acknowledge."""
    dosing = protocol.dosing
    require_range("weight_kg", weight, gt=Decimal(0), unit="kg")
    hard_min, hard_max = dosing.weight_hard_min_kg.value, dosing.weight_hard_max_kg.value
    if not hard_min <= weight <= hard_max:
        raise InputError(
            "weight_kg",
            f"must be between {hard_min} and {hard_max} kg ({protocol.label} limits), "
            f"got {weight} kg",
        )
    soft_min, soft_max = dosing.weight_soft_min_kg.value, dosing.weight_soft_max_kg.value
    if not soft_min <= weight <= soft_max:
        warnings.append(
            Advisory(
                "weight_outside_usual_range",
                "warning",
                "weight_kg",
                m.adv_weight_outside_usual(
                    weight_kg=weight,
                    usual_min_kg=soft_min,
                    usual_max_kg=soft_max,
                    protocol=protocol.label,
                ),
            )
        )
    return weight


def _optional_volume(field: str, raw: Number | None) -> Decimal | None:
    if raw is None:
        return None
    return require_range(
        field, parse_decimal(field, raw), gt=Decimal(0), le=MAX_VOLUME_ML, unit="mL"
    )
