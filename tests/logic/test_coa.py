"""Reading a certificate of analysis: what is pending, and what is malformed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from infusion_app.logic.coa import parse_coa
from infusion_app.logic.errors import InputError
from tests.samples import example_coa


def test_issue_example_is_accepted_with_exact_numbers() -> None:
    coa = parse_coa(json.dumps(example_coa()))
    assert coa.total_cells_per_ml == Decimal("1.0e7")
    assert coa.viability_pct == Decimal("92.0")
    assert coa.endotoxin_eu_per_ml == Decimal("0.2")
    assert coa.expires_at is not None and coa.expires_at.utcoffset().total_seconds() == 8 * 3600


@pytest.mark.parametrize(
    ("text", "field", "rule"),
    [
        (
            json.dumps(example_coa(viability_pct=120)),
            "coa.viability_pct",
            "less than or equal to 100",
        ),
        (
            json.dumps(example_coa(viability_pct=-1)),
            "coa.viability_pct",
            "greater than or equal to 0",
        ),
        (json.dumps(example_coa(sterility="maybe")), "coa.sterility", "'negative', 'positive'"),
        (
            json.dumps(example_coa(sterility={"bacteria": "cloudy"})),
            "coa.sterility.bacteria",
            "'negative', 'positive'",
        ),
        (
            json.dumps(example_coa(total_cells_per_ml=0)),
            "coa.total_cells_per_ml",
            "greater than or equal to 1E+4",
        ),
        (
            json.dumps(example_coa(total_cells_per_ml=True)),
            "coa.total_cells_per_ml",
            "not true/false",
        ),
        (
            json.dumps(example_coa()).replace("10000000.0", "NaN"),
            "coa.total_cells_per_ml",
            "finite number",
        ),
        (json.dumps(example_coa(volume_ml="lots")), "coa.volume_ml", "must be a number"),
        (
            json.dumps(example_coa(expires_at="2026-12-31T23:59:00")),
            "coa.expires_at",
            "must include a time zone offset",
        ),
        (json.dumps(example_coa(product_id=None)), "coa.product_id", "is required"),
        (json.dumps(example_coa(product_id=" ")), "coa.product_id", "must not be blank"),
        (
            json.dumps(example_coa(markers_pct={"CD73": "high"})),
            "coa.markers_pct.CD73",
            "must be a number",
        ),
        ("[1, 2]", "coa", "must be a JSON object"),
        ('{"product_id": ', "coa", "is not valid JSON"),
    ],
)
def test_malformed_coa_names_the_field(text: str, field: str, rule: str) -> None:
    with pytest.raises(InputError) as error:
        parse_coa(text)
    assert error.value.field == field
    assert rule in error.value.rule
    assert "\n" not in str(error.value)


def test_pending_results() -> None:
    coa = parse_coa(
        json.dumps(
            example_coa(viability_pct="pending", endotoxin_eu_per_ml=None, mycoplasma="Pending")
        )
    )
    assert coa.viability_pct is None
    assert coa.endotoxin_eu_per_ml is None
    assert coa.mycoplasma == "pending"
