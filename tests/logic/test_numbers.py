"""Strict number parsing, named rounding and the display of cell counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import format_cells, parse_decimal, round_half_up


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("63.5", Decimal("63.5")),
        (" 70 ", Decimal(70)),
        (70, Decimal(70)),
        (0.1, Decimal("0.1")),
        ("1.0e7", Decimal("1.0e7")),
    ],
)
def test_parse_decimal_accepts_numbers(raw, expected) -> None:
    assert parse_decimal("weight_kg", raw) == expected


def test_parse_float_goes_through_its_repr() -> None:
    # Decimal(0.1) would be 0.1000000000000000055511151231257827...
    assert str(parse_decimal("x", 0.1)) == "0.1"


@pytest.mark.parametrize("raw", ["", "abc", "1,5", "nan", "-Infinity", True, None, [1]])
def test_parse_decimal_rejects(raw) -> None:
    with pytest.raises(InputError) as error:
        parse_decimal("weight_kg", raw)
    assert error.value.field == "weight_kg"


@pytest.mark.parametrize(
    ("value", "step", "expected"),
    [
        ("12.25", "0.1", "12.3"),
        ("12.24", "0.1", "12.2"),
        ("13.8043", "0.1", "13.8"),
        ("0.05", "0.1", "0.1"),
        ("0.049", "0.1", "0.0"),
        ("7.5", "0.5", "7.5"),
        ("7.74", "0.5", "7.5"),
        ("7.75", "0.5", "8.0"),
    ],
)
def test_round_half_up(value: str, step: str, expected: str) -> None:
    assert str(round_half_up(Decimal(value), Decimal(step))) == expected


@pytest.mark.parametrize(
    ("cells", "text"),
    [
        ("1.27e8", "1.27 × 10^8 cells"),
        ("126960000", "1.27 × 10^8 cells"),
        ("2e6", "2.00 × 10^6 cells"),
        ("9.996e6", "1.00 × 10^7 cells"),
        ("0", "0 cells"),
    ],
)
def test_format_cells(cells: str, text: str) -> None:
    assert format_cells(Decimal(cells)) == text
