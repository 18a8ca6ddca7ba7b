"""Issue 12 §4, numbers: only ASCII decimal numbers of a sane size are numbers.

``Decimal()`` and ``int()`` accept Unicode digits ('٣' is 3, fullwidth '６３' is 63) and
underscores ('6_3.5' is 63.5): a person who typed that did not mean a number, and a scanner
that sends it is broken. Huge exponents made ``int()`` build a billion-digit number (a hang)
and Decimal division overflow (exit 70); both are refused before any arithmetic.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.adverse_events import parse_adverse_event
from infusion_app.logic.errors import InputError
from infusion_app.logic.numbers import MAX_DIGITS, MAX_EXPONENT, parse_decimal, parse_int


@pytest.mark.parametrize(
    "raw",
    [
        "٣",  # Arabic-Indic three
        "６３.５",  # fullwidth
        "6_3.5",
        "1_000",
        "६३",  # Devanagari
        "𝟔𝟑",  # mathematical bold digits
        "63.5\u200b",  # zero-width space after it
        "0x10",
        "1e",
        ".",
        "+-1",
        "٣e2",
        "1e٣",
    ],
)
def test_only_ascii_decimal_numbers_are_numbers(raw: str) -> None:
    with pytest.raises(InputError) as error:
        parse_decimal("weight_kg", raw)
    assert error.value.field == "weight_kg"
    assert "digits 0-9" in error.value.rule


@pytest.mark.parametrize(
    "raw", ["1e999999999", "1e-999999999", "9" * 5000, "1e31", "1e-31", "-1e40", Decimal("1e400")]
)
def test_numbers_beyond_any_clinical_size_are_refused_at_once(raw: object) -> None:
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        parse_decimal("grade", raw)
    assert error.value.field == "grade"
    assert time.monotonic() - started < 1  # the grade 1e999999999 hang


def test_size_bounds_are_inclusive_at_the_edge() -> None:
    # 1e30 and 1e-30: adjusted exponents 30 and -30, the last ones allowed
    assert parse_decimal("x", f"1e{MAX_EXPONENT}") == Decimal(f"1e{MAX_EXPONENT}")
    assert parse_decimal("x", f"1e-{MAX_EXPONENT}") == Decimal(f"1e-{MAX_EXPONENT}")
    assert parse_decimal("x", "0e-999") == 0  # zero has no size, whatever its exponent
    assert parse_decimal("x", "1" * MAX_DIGITS) == Decimal("1" * MAX_DIGITS)
    with pytest.raises(InputError, match="significant digits"):
        parse_decimal("x", "1." + "1" * MAX_DIGITS)


@pytest.mark.parametrize("raw", ["-0", "-0.0", "-0e5", Decimal("-0"), -0.0])
def test_negative_zero_is_stored_as_zero(raw: object) -> None:
    value = parse_decimal("volume_ml", raw)
    assert value == 0
    assert not value.is_signed()  # "-0" would be printed as typed on the record


@pytest.mark.parametrize(("raw", "expected"), [("63.5", "63.5"), (" +7 ", "7"), ("1.0E7", "1.0E7")])
def test_plain_numbers_still_parse(raw: str, expected: str) -> None:
    assert parse_decimal("x", raw) == Decimal(expected)


def test_parse_int() -> None:
    assert parse_int("seq", " 12 ") == 12
    assert parse_int("seq", 3) == 3
    for bad in ["٣", "1_0", "1.5", "1e3", "", True, "9" * 30]:
        with pytest.raises(InputError) as error:
            parse_int("seq", bad)
        assert error.value.field == "seq"


def test_ae_grade_of_huge_exponent_is_one_line_not_a_hang() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 3, 1, 9, tzinfo=UTC)
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        parse_adverse_event(
            term="Fever",
            grade="1e999999999",
            started_at=at,
            attribution="possible",
            serious=False,
            aware_at=at,
        )
    assert error.value.field == "grade"
    assert time.monotonic() - started < 1


@given(st.text(max_size=12))
def test_any_text_is_a_bounded_number_or_an_input_error(text: str) -> None:
    try:
        value = parse_decimal("x", text)
    except InputError as error:
        assert error.field == "x"
        return
    assert value.is_finite() and not (value == 0 and value.is_signed())
    assert text.strip().isascii()
    assert value == 0 or -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT
