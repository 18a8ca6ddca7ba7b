"""Dose and bag volume: worked examples computed by hand from the rule in dosing.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.errors import DoseError, InputError
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_protocol_file
from infusion_app.logic.summaries import calculation_summary


def first_example(cart: Protocol, **extra):
    """63.5 kg, CoA 1.0e7 cells/mL at 92 % viable: 13.8 mL (worked in the first test)."""
    return calculate_dose(
        cart, "A", weight_kg="63.5", total_cells_per_ml="1e7", viability_pct=92, **extra
    )


def test_group_a_worked_example(cart: Protocol) -> None:
    dose = calculate_dose(
        cart, "A", weight_kg="63.5", total_cells_per_ml="1.0e7", viability_pct="92.0"
    )
    # 63.5 kg × 2 × 10^6 cells/kg = 1.27 × 10^8 cells
    assert dose.target_cells == Decimal("1.27e8")
    # viable concentration = 1.0 × 10^7 × 92.0 / 100 = 9.2 × 10^6 cells/mL
    assert dose.dosing_concentration_cells_per_ml == Decimal("9.2e6")
    # 1.27e8 / 9.2e6 = 13.8043... mL -> half-up to 0.1 mL = 13.8 mL
    assert dose.product_volume_ml == Decimal("13.8")
    assert str(dose.product_volume_ml) == "13.8"
    # 13.8 mL × 9.2e6 = 1.2696 × 10^8 cells delivered
    assert dose.delivered_cells == Decimal("1.2696e8")
    # (1.2696 - 1.27) / 1.27 × 100 = -0.0315 % -> shown as -0.03
    assert calculation_summary(dose, plan_drip(cart.infusion, dose.final_volume_ml))[
        "dose_deviation_pct"
    ] == Decimal("-0.03")
    assert abs(dose.dose_deviation_pct - Decimal("-0.0314960630")) < Decimal("1e-9")
    # no final volume given: the bag holds the product only
    assert dose.final_volume_ml == Decimal("13.8")
    assert dose.diluent_volume_ml == 0
    assert dose.warnings == ()


def test_crc_dose_level_3(crc: Protocol) -> None:
    dose = calculate_dose(crc, "3", weight_kg=70, total_cells_per_ml="5e6", viability_pct=90)
    # 70 kg × 3e6 = 2.1e8 cells; 5e6 × 0.90 = 4.5e6 viable/mL
    assert dose.target_cells == Decimal("2.1e8")
    # 2.1e8 / 4.5e6 = 46.666... mL -> 46.7 mL
    assert dose.product_volume_ml == Decimal("46.7")
    # 46.7 × 4.5e6 = 2.1015e8 cells; (2.1015 - 2.1) / 2.1 = +0.0714 %
    assert dose.delivered_cells == Decimal("2.1015e8")
    assert round(dose.dose_deviation_pct, 4) == Decimal("0.0714")


def test_half_up_rounding_not_bankers(cart: Protocol) -> None:
    # 61.25 kg × 2e6 = 1.225e8 cells; 1e7 × 100 % = 1e7/mL -> 12.25 mL exactly.
    # Half-up gives 12.3 mL (banker's rounding would give 12.2).
    dose = calculate_dose(cart, "B", weight_kg="61.25", total_cells_per_ml="1e7", viability_pct=100)
    assert dose.product_volume_ml == Decimal("12.3")
    # 12.3 × 1e7 = 1.23e8; (1.23 - 1.225) / 1.225 = +0.408 %
    assert round(dose.dose_deviation_pct, 3) == Decimal("0.408")


def test_total_basis_ignores_viability(protocol_variant) -> None:
    path = protocol_variant(
        "ucmsc-cart-cytopenia",
        ('dose_basis = { value = "viable"', 'dose_basis = { value = "total"'),
    )
    protocol = load_protocol_file(path)
    dose = calculate_dose(
        protocol, "A", weight_kg="63.5", total_cells_per_ml="1e7", viability_pct="92"
    )
    # total basis: 1.27e8 / 1e7 = 12.7 mL exactly, deviation 0
    assert dose.product_volume_ml == Decimal("12.7")
    assert dose.delivered_cells == Decimal("1.27e8")
    assert dose.dose_deviation_pct == 0


def test_deviation_exactly_at_tolerance_is_allowed(cart: Protocol) -> None:
    # 200 kg × 2e6 = 4e8 cells; 9e8 cells/mL at 100 %: 4/9 = 0.444 mL -> 0.4 mL;
    # 0.4 × 9e8 = 3.6e8 = 90 % of target: -10 % exactly, the tolerance itself.
    dose = calculate_dose(cart, "A", weight_kg=200, total_cells_per_ml="9e8", viability_pct=100)
    assert dose.product_volume_ml == Decimal("0.4")
    assert dose.dose_deviation_pct == Decimal(-10)
    # 200 kg is above the usual 150 kg: computed, with a warning to confirm
    assert [w.code for w in dose.warnings] == ["weight_outside_usual_range"]


def test_deviation_beyond_tolerance_is_an_error(cart: Protocol) -> None:
    # 202 kg × 2e6 = 4.04e8; / 9e8 = 0.4489 mL -> 0.4 mL -> 3.6e8; (3.6 - 4.04)/4.04 = -10.89 %
    with pytest.raises(DoseError) as error:
        calculate_dose(cart, "A", weight_kg=202, total_cells_per_ml="9e8", viability_pct=100)
    assert error.value.field == "dose_deviation_pct"
    assert "-10.89% from the target" in str(error.value)
    assert "±10%" in str(error.value)


def test_volume_rounding_to_zero_is_an_error(crc: Protocol) -> None:
    # 2 kg × 1e6 = 2e6 cells; / 1e9 per mL = 0.002 mL -> rounds to 0.0 mL
    with pytest.raises(DoseError) as error:
        calculate_dose(crc, "1", weight_kg=2, total_cells_per_ml="1e9", viability_pct=100)
    assert error.value.field == "product_volume_ml"


def test_more_than_the_bag_holds_is_an_error(cart: Protocol) -> None:
    # 13.8 mL needed (first example), bag of 10 mL
    with pytest.raises(DoseError) as error:
        first_example(cart, bag_volume_ml=10)
    assert str(error.value) == (
        "product_volume_ml: 13.8 mL is needed but the product bag holds only 10 mL"
    )


def test_bag_that_holds_exactly_enough(cart: Protocol) -> None:
    dose = first_example(cart, bag_volume_ml="13.8")
    assert dose.product_volume_ml == Decimal("13.8")


def test_final_volume_after_dilution(cart: Protocol) -> None:
    dose = first_example(cart, final_volume_ml=100)
    # 100 mL final = 13.8 mL product + 86.2 mL diluent
    assert dose.final_volume_ml == 100
    assert dose.diluent_volume_ml == Decimal("86.2")


def test_final_volume_smaller_than_product_is_an_error(cart: Protocol) -> None:
    with pytest.raises(InputError) as error:
        first_example(cart, final_volume_ml=10)
    assert error.value.field == "final_volume_ml"
    assert "at least the product volume of 13.8 mL" in str(error.value)


def test_weight_outside_soft_limits_warns(cart: Protocol) -> None:
    dose = calculate_dose(cart, "A", weight_kg=25, total_cells_per_ml="1e7", viability_pct=100)
    # 25 kg × 2e6 = 5e7 cells / 1e7 = 5.0 mL, computed despite the warning
    assert dose.product_volume_ml == 5
    (warning,) = dose.warnings
    assert (warning.level, warning.field) == ("warning", "weight_kg")
    assert "outside the usual 30–150 kg" in str(warning.message)


def test_viability_below_release_limit_warns(cart: Protocol) -> None:
    dose = calculate_dose(cart, "A", weight_kg=50, total_cells_per_ml="1e7", viability_pct="84.9")
    assert [w.code for w in dose.warnings] == ["viability_below_release"]


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"weight_kg": 0}, "weight_kg", "must be greater than 0 kg"),
        ({"weight_kg": "-5"}, "weight_kg", "must be greater than 0 kg"),
        ({"weight_kg": "NaN"}, "weight_kg", "must be a finite number"),
        ({"weight_kg": "inf"}, "weight_kg", "must be a finite number"),
        ({"weight_kg": "sixty"}, "weight_kg", "must be a number"),
        ({"weight_kg": "1e12"}, "weight_kg", "must be between 2 and 300 kg"),
        ({"weight_kg": "1.9"}, "weight_kg", "must be between 2 and 300 kg"),
        ({"total_cells_per_ml": 0}, "total_cells_per_ml", "must be greater than 0"),
        ({"total_cells_per_ml": "-1e7"}, "total_cells_per_ml", "must be greater than 0"),
        ({"total_cells_per_ml": "1e12"}, "total_cells_per_ml", "must be at most"),
        ({"total_cells_per_ml": "Infinity"}, "total_cells_per_ml", "must be a finite number"),
        ({"viability_pct": "100.1"}, "viability_pct", "must be at most 100 %"),
        ({"viability_pct": 0}, "viability_pct", "must be greater than 0 %"),
        ({"viability_pct": ""}, "viability_pct", "must be a number"),
        ({"final_volume_ml": 0}, "final_volume_ml", "must be greater than 0 mL"),
        ({"final_volume_ml": "5000"}, "final_volume_ml", "must be at most 1000 mL"),
        ({"bag_volume_ml": "-3"}, "bag_volume_ml", "must be greater than 0 mL"),
    ],
)
def test_bad_input_names_field_and_rule(cart: Protocol, kwargs, field: str, rule: str) -> None:
    args = {"weight_kg": "63.5", "total_cells_per_ml": "1e7", "viability_pct": "92"} | kwargs
    with pytest.raises(InputError) as error:
        calculate_dose(cart, "A", **args)
    assert error.value.field == field
    assert rule in error.value.rule
    assert "\n" not in str(error.value)


def test_unknown_dose_level(crc: Protocol) -> None:
    with pytest.raises(InputError) as error:
        calculate_dose(crc, "A", weight_kg=70, total_cells_per_ml="1e7", viability_pct=90)
    assert error.value.field == "dose_level"


def test_absurdly_dilute_product_is_refused_before_rounding(cart: Protocol) -> None:
    # 63.5 kg × 2e6 = 1.27e8 cells at 1e4 × 0.1 % = 10 viable cells/mL would be 1.27e7 mL
    with pytest.raises(DoseError) as error:
        calculate_dose(cart, "A", weight_kg="63.5", total_cells_per_ml="1e4", viability_pct="0.1")
    assert error.value.field == "product_volume_ml"
    assert "needs more than 1000 mL" in str(error.value)
    # below 1e4 cells/mL the concentration itself is implausible (the CoA's bound too)
    with pytest.raises(InputError) as implausible:
        calculate_dose(cart, "A", weight_kg="63.5", total_cells_per_ml="1e-20", viability_pct=92)
    assert implausible.value.field == "total_cells_per_ml"
