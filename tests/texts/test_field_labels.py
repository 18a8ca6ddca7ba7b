"""Every field the app names in an input error is named in words on screen: "final volume
(mL): must be a number", never "Final_volume_ml: ..." (seen in the window during issue 13's
trial under Xvfb: the note, the dose calculator, the CoA form and the correction dialog).

The names are found in the code itself: the first argument, when it is a literal, of every
call that raises an input error for a named field. A new field with an underscore in its key
fails here until it has a label."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from infusion_app.logic import messages as m

APP = Path(__file__).parents[2] / "infusion_app"
# the calls that take the field's key first and raise InputError naming it
RAISERS = {
    "InputError", "DoseError", "parse_decimal", "parse_count", "check_text", "free_text",
    "optional_free_text", "optional_text", "parse_iso_time", "plausible_utc", "check_moment",
    "parse_time", "parse_date",
}  # fmt: skip


def named_fields() -> set[str]:
    found = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if name in RAISERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def test_the_scan_finds_the_fields_of_the_forms() -> None:
    fields = named_fields()
    # a sample read by hand from the forms: the dose calculator, the note, a correction
    assert {"final_volume_ml", "text", "occurred_at", "weight_kg", "why"} <= fields
    assert len(fields) > 40


@pytest.mark.parametrize("key", sorted(k for k in named_fields() if "_" in k))
def test_a_field_with_a_key_for_a_name_has_a_label(key: str) -> None:
    assert m.is_labelled(key), f"{key}: add a label_{key} text (logic/messages.py LABELS)"
    assert "_" not in str(m.label(key))


def test_a_field_read_from_a_file_is_named_with_the_file() -> None:
    # the CoA form's "coa.<field>" and an imported file's "<file>.<field>"
    assert str(m.label("coa.total_cells_per_ml")) == "total cells (/mL) in CoA"
    assert str(m.label("bag7.json.viability_pct")) == "viability (%) in bag7.json"
    # a name without a label is shown as given, never changed
    assert str(m.label("bag7.json")) == "bag7.json"
    assert not m.is_labelled("bag7.json")
