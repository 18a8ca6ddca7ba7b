"""Issue 12 §4, CoA files: nothing ambiguous, implausible or oversized is taken."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic.coa import MAX_COA_BYTES, MAX_NESTING, parse_coa
from infusion_app.logic.errors import InputError
from tests.samples import example_coa

BASE = json.dumps(example_coa())


def with_extra(text: str) -> str:
    """The sample CoA with ``text`` appended as further members of the object."""
    return BASE[:-1] + ", " + text + "}"


def refused(text: str) -> InputError:
    with pytest.raises(InputError) as error:
        parse_coa(text)
    assert "\n" not in str(error.value)
    return error.value


def test_a_key_given_twice_is_refused_not_the_last_one_kept() -> None:
    # json.loads keeps the last value: this was released as sterile.
    error = refused(with_extra('"sterility": "positive", "sterility": "negative"'))
    assert error.field == "coa.sterility"
    assert "more than once" in error.rule


def test_a_nested_key_given_twice_is_refused() -> None:
    text = with_extra('"markers_pct": {"CD73": 99.1, "CD73": 10}').replace(
        '"markers_pct": {', '"old_markers": {', 1
    )
    assert refused(text).field == "coa.CD73"


def test_same_key_in_two_different_objects_is_fine() -> None:
    coa = parse_coa(
        with_extra('"lab": {"bacteria": 1}').replace(
            '"sterility": "negative"', '"sterility": {"bacteria": "negative", "fungi": "negative"}'
        )
    )
    assert coa.sterility.bacteria == "negative"  # type: ignore[union-attr]


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 1000, 30000])
def test_deep_nesting_is_one_line_not_a_recursion_crash(depth: int) -> None:
    error = refused(with_extra('"x": ' + "[" * depth + "]" * depth))
    assert error.field == "coa"
    assert "levels deep" in error.rule or "bytes" in error.rule


def test_brackets_inside_strings_are_not_nesting() -> None:
    coa = parse_coa(with_extra('"note": "' + "[{" * 100 + '"'))
    assert coa.product_id == "UC-MSC-2026-0001"


def test_nesting_at_the_limit_is_read() -> None:
    # the object itself is level 1, so MAX_NESTING - 1 more arrays reach the limit exactly
    inner = MAX_NESTING - 1
    parse_coa(with_extra('"x": ' + "[" * inner + "]" * inner))


@pytest.mark.parametrize("digits", [5000, 41])
def test_numbers_with_thousands_of_digits_are_refused(digits: int) -> None:
    # 5000 digits hit Python's int conversion limit: ValueError, exit 70
    error = refused(with_extra('"volume_ml": ' + "9" * digits).replace('"volume_ml": 20.0, ', ""))
    assert error.field == "coa"
    assert f"{digits} characters" in error.rule


@pytest.mark.parametrize(
    ("field", "literal"),
    [
        ("total_cells_per_ml", "1e308"),  # was released
        ("total_cells_per_ml", "1e-320"),  # was released
        ("total_cells_per_ml", "2e9"),  # above packed cells (1e9 cells/mL)
        ("total_cells_per_ml", "9999"),  # below 1e4 cells/mL no dose fits a bag
        ("volume_ml", "1001"),
        ("volume_ml", "1e-320"),
        ("endotoxin_eu_per_ml", "1e308"),
        ("endotoxin_eu_per_ml", "1e-320"),
        ("viability_pct", "1e-320"),
    ],
)
def test_implausible_values_are_refused_by_field(field: str, literal: str) -> None:
    data = example_coa(**{field: "PLACEHOLDER"})
    error = refused(json.dumps(data).replace('"PLACEHOLDER"', literal))
    assert error.field == f"coa.{field}"


def test_plausible_edges_are_accepted() -> None:
    coa = parse_coa(json.dumps(example_coa(total_cells_per_ml="1e4", volume_ml=1000)))
    assert coa.total_cells_per_ml == Decimal("1e4") and coa.volume_ml == 1000
    coa = parse_coa(json.dumps(example_coa(total_cells_per_ml="1e9")))
    assert coa.total_cells_per_ml == Decimal("1e9")


@pytest.mark.parametrize("text", ["٣e7", "1_0e7", "１e7"])
def test_numbers_given_as_text_follow_the_same_digits_rule(text: str) -> None:
    error = refused(json.dumps(example_coa(total_cells_per_ml=text)))
    assert error.field == "coa.total_cells_per_ml"


def test_negative_zero_is_stored_as_zero() -> None:
    coa = parse_coa(json.dumps(example_coa(endotoxin_eu_per_ml=-0.0)))
    assert coa.endotoxin_eu_per_ml == 0 and not coa.endotoxin_eu_per_ml.is_signed()


def test_oversized_text_is_refused_before_parsing() -> None:
    padding = "x" * MAX_COA_BYTES
    error = refused(with_extra(f'"comment": "{padding}"'))
    assert error.field == "coa" and "bytes" in error.rule


def test_markers_are_bounded() -> None:
    many = {f"CD{i}": 1 for i in range(60)}
    assert refused(json.dumps(example_coa(markers_pct=many))).field == "coa.markers_pct"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='{}[]",:0123456789.eE-+ \\ntrufalsn', max_size=200))
def test_any_text_is_a_coa_or_one_input_error_quickly(text: str) -> None:
    started = time.monotonic()
    try:
        parse_coa(text)
    except InputError as error:
        assert "\n" not in str(error)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "text",
    [
        '"' + '\\"' * 30_000,  # unclosed string of escaped quotes: a regex backtracked 11 s
        '{"a": "' + "\\\\" * 30_000 + '"}',
        "[" * 60_000,
        '"' * 60_000,
    ],
)
def test_pathological_files_are_answered_quickly(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError):
        parse_coa(text)
    assert time.monotonic() - started < 1


def test_escaped_quotes_and_backslashes_inside_strings_are_not_nesting() -> None:
    coa = parse_coa(with_extra('"note": "a \\\\\\" [[[ \\\\", "n2": "]]]"'))
    assert coa.product_id == "UC-MSC-2026-0001"
