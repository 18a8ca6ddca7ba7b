"""Issue 12 §4 through the CLI: bad numbers and input files end in one line naming the field
(exit 2), never "internal error" (exit 70), never a hang."""

from __future__ import annotations

import pytest

from tests.test_cli import CALC, run

CONC = ["--weight-kg", "63.5", "--viability", "92"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([*CONC, "--concentration", "1e-999999999"], "total_cells_per_ml"),  # was exit 70
        ([*CONC, "--concentration", "1e999999999"], "total_cells_per_ml"),
        ([*CONC, "--concentration", "1e308"], "total_cells_per_ml"),
        (["--weight-kg", "٦٣.٥", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "６３.５", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "6_3.5", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "63.5", "--concentration", "1e7", "--viability", "9_2"], "viability_pct"),
    ],
)
def test_calc_refuses_numbers_that_are_not_plain_or_sane(capsys, args, field: str) -> None:
    code, out, err = run(capsys, *CALC, *args)
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"infusion-app calc: error: {field}: ")
