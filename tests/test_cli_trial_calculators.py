"""``trial boundaries``, ``trial next`` and ``trial select-dose``: the record-free calculators
(issue 15), through ``infusion_app.cli.main``. Levels count from 1 here. Expected values are
worked by hand in the comments (φ = 0.30: λe 0.2365, λd 0.3585; φ = 0.35: λe 0.2763,
λd 0.4189; see tests/logic/test_boin_rules.py for the working)."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from infusion_app.cli.trial import TRIAL_COMMANDS, exact_fraction
from tests.test_cli import run


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, "trial", *argv, "--json")
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def test_the_group_dispatches_through_one_table() -> None:
    assert set(TRIAL_COMMANDS) >= {"boundaries", "next", "select-dose"}


def test_a_target_is_read_exactly() -> None:
    assert exact_fraction("--target", "0.30") == Fraction(3, 10)
    assert exact_fraction("--target", "0.1") == Fraction(1, 10)  # never 0.1000000000000000055


# --- boundaries -----------------------------------------------------------------------------


def test_boundaries_json_for_30_percent(capsys) -> None:
    data = run_json(capsys, "boundaries", "--target", "0.30")
    assert set(data) == {"target", "lambda_e", "lambda_d", "rows"}
    assert data["target"] == 0.3
    assert (round(data["lambda_e"], 4), round(data["lambda_d"], 4)) == (0.2365, 0.3585)
    assert len(data["rows"]) == 30  # --max-n defaults to 30
    assert data["rows"][0] == {
        "n": 1,
        "escalate_if_dlt_le": 0,
        "deescalate_if_dlt_ge": 1,
        "eliminate_if_dlt_ge": None,
    }
    # the published table, n = 3, 6, ..., 30
    by_n = {row["n"]: row for row in data["rows"]}
    assert [by_n[n]["escalate_if_dlt_le"] for n in range(3, 31, 3)] == [
        0,
        1,
        2,
        2,
        3,
        4,
        4,
        5,
        6,
        7,
    ]
    assert [by_n[n]["deescalate_if_dlt_ge"] for n in range(3, 31, 3)] == [
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    ]  # fmt: skip
    assert [by_n[n]["eliminate_if_dlt_ge"] for n in range(3, 31, 3)] == [
        3, 4, 5, 7, 8, 9, 10, 11, 12, 14,
    ]  # fmt: skip


def test_boundaries_max_n_and_cutoff(capsys) -> None:
    data = run_json(capsys, "boundaries", "--target", "0.35", "--max-n", "10")
    assert [row["n"] for row in data["rows"]] == list(range(1, 11))
    # φ = 0.35, n = 10: 6 DLTs give P = 0.9499 (kept), 7 give 0.9878 (eliminated)
    assert data["rows"][9]["eliminate_if_dlt_ge"] == 7
    # with a cutoff of 0.94, 6 of 10 (0.9499) is enough
    lower = run_json(capsys, "boundaries", "--target", "0.35", "--max-n", "10", "--cutoff", "0.94")
    assert lower["rows"][9]["eliminate_if_dlt_ge"] == 6


def test_boundaries_text_is_a_table(capsys) -> None:
    code, out, err = run(capsys, "trial", "boundaries", "--target", "0.30")
    assert (code, err) == (0, "")
    assert "lambda_e 0.2365, lambda_d 0.3585" in out
    rows = [line.split() for line in out.splitlines()[2:]]
    assert rows[0] == ["1", "0", "1", "-"]
    assert rows[29] == ["30", "7", "11", "14"]


# --- next -----------------------------------------------------------------------------------


def next_json(capsys, design: str, outcomes: str, *extra: str, levels: str = "3") -> dict[str, Any]:
    return run_json(
        capsys, "next", "--design", design, "--levels", levels, "--outcomes", outcomes, *extra
    )


def test_next_boin_stays_between_the_boundaries(capsys) -> None:
    # φ = 0.35: level 2 has 1 DLT in 3 = 0.333, above 0.2763 and not above 0.4189
    data = next_json(capsys, "boin", "1NNN 2NTN", "--target", "0.35")
    assert data == {
        "decision": "stay",
        "next_level": 2,
        "eliminated": [],
        "mtd": None,
        "reason": "BOIN: 1 DLT in 3 (33 %) at level 2, between the boundaries: stay",
    }


@pytest.mark.parametrize(
    ("outcomes", "decision", "next_level", "eliminated"),
    [
        ("1NNN", "escalate", 2, []),  # 0/3 <= 0.2365
        ("1NNN 2NTT", "de-escalate", 1, []),  # 2/3 > 0.3585; P = 0.9163, kept
        ("1NNN 2TTT", "de-escalate", 1, [2, 3]),  # 3/3: P = 1 - 0.3^4 = 0.9919, eliminated
        ("1NNN 2NNN 3NNN", "stay", 3, []),  # 0/3 at the top
        ("1TTN", "stay", 1, []),  # 2/3 at the lowest, not eliminated
        ("1TTT", "stop", None, [1, 2, 3]),  # the lowest eliminated
        ("1NNN 2TTT 1NNN", "stay", 1, [2, 3]),  # 0/6 would escalate into level 2
    ],
)
def test_next_boin_decisions(
    capsys, outcomes: str, decision: str, next_level: int | None, eliminated: list[int]
) -> None:
    data = next_json(capsys, "boin", outcomes, "--target", "0.30")
    assert (data["decision"], data["next_level"], data["eliminated"], data["mtd"]) == (
        decision,
        next_level,
        eliminated,
        None,
    )


@pytest.mark.parametrize(
    ("outcomes", "decision", "next_level", "mtd"),
    [
        ("1NNN", "escalate", 2, None),
        ("1NNN 2NTN", "expand", 2, None),
        ("1NNN 2NTN 2NNN", "escalate", 3, None),  # 1/6 at level 2
        ("1NNN 2NTN 2NNN 3NNN", "stop", None, 3),  # the top level tolerated
        ("1NNN 2TT", "stop", None, 1),  # the 2nd DLT decides before the 3rd patient
        ("1NNN 2NTN 2NTN", "stop", None, 1),  # 2/6
        ("1TT", "stop", None, None),  # the lowest level not tolerated
    ],
)
def test_next_three_plus_three_decisions(
    capsys, outcomes: str, decision: str, next_level: int | None, mtd: int | None
) -> None:
    data = next_json(capsys, "3+3", outcomes)
    assert (data["decision"], data["next_level"], data["eliminated"], data["mtd"]) == (
        decision,
        next_level,
        [],
        mtd,
    )


def test_next_three_plus_three_undecided_stays_and_says_why(capsys) -> None:
    data = next_json(capsys, "3+3", "1NNN 2NT")
    assert data == {
        "decision": "stay",
        "next_level": 2,
        "eliminated": [],
        "mtd": None,
        "reason": "waiting: 2 of 3 evaluable at level 2 (1 DLT so far, 0 pending)",
    }


def test_next_text(capsys) -> None:
    code, out, err = run(
        capsys, "trial", "next", "--design", "3+3", "--levels", "3", "--outcomes", "1NNN 2NTN"
    )
    assert (code, err) == (0, "")
    assert "decision: expand (next cohort at level 2)" in out
    assert "reason: 1 DLT in 3 evaluable at level 2: expand level 2 to 6" in out
    assert ["2", "3", "1", "current"] in [line.split() for line in out.splitlines()]


# --- select-dose ----------------------------------------------------------------------------


def select_json(capsys, target: str, npts: str, ntox: str) -> dict[str, Any]:
    return run_json(capsys, "select-dose", "--target", target, "--npts", npts, "--ntox", ntox)


def test_select_dose_json(capsys) -> None:
    # the example at 0.30: 0.05/3.1 = 0.0161, 1.05/6.1 = 0.1721, 3.05/9.1 = 0.3352,
    # non-decreasing already; 3/9 is kept (P(Bin(10, 0.3) <= 3) = 0.6496); closest: level 3
    data = select_json(capsys, "0.30", "3,6,9", "0,1,3")
    assert data == {
        "selected": 3,
        "selected_largest_on_tie": 3,
        "estimates": [0.0161, 0.1721, 0.3352],
        "eliminated": [],
    }


def test_select_dose_tie_above_the_target_shows_both_readings(capsys) -> None:
    # 2/3 then 1/3 pool to 1/2 each (equal weights): above 0.3, BOIN takes level 1, the seed's
    # "largest dose equal or closest" level 2
    data = select_json(capsys, "0.3", "3,3", "2,1")
    assert data == {
        "selected": 1,
        "selected_largest_on_tie": 2,
        "estimates": [0.5, 0.5],
        "eliminated": [],
    }
    code, out, _ = run(
        capsys, "trial", "select-dose", "--target", "0.3", "--npts", "3,3", "--ntox", "2,1"
    )
    assert code == 0 and "the investigator chooses" in out


def test_select_dose_skips_untreated_and_eliminated_levels(capsys) -> None:
    data = select_json(capsys, "0.3", "3,0,6,3", "0,0,1,3")
    # level 4: 3/3 eliminated (0.9919); level 2 untreated; 0.0161 and 0.1721 -> level 3
    assert data == {
        "selected": 3,
        "selected_largest_on_tie": 3,
        "estimates": [0.0161, None, 0.1721, None],
        "eliminated": [4],
    }
    code, out, _ = run(
        capsys, "trial", "select-dose", "--target", "0.3", "--npts", "3,0,6,3", "--ntox", "0,0,1,3"
    )
    assert code == 0
    lines = [line.split() for line in out.splitlines()]
    assert ["2", "0", "0", "-", "untreated"] in lines
    assert ["4", "3", "3", "-", "eliminated"] in lines
    assert ["3", "6", "1", "0.1721", "selected"] in lines
    assert "selected: level 3" in out


def test_select_dose_with_the_lowest_level_eliminated(capsys) -> None:
    data = select_json(capsys, "0.3", "3,3", "3,0")
    assert data == {
        "selected": None,
        "selected_largest_on_tie": None,
        "estimates": [None, None],
        "eliminated": [1, 2],
    }
    code, out, _ = run(
        capsys, "trial", "select-dose", "--target", "0.3", "--npts", "3,3", "--ntox", "3,0"
    )
    assert code == 0 and "selected: none (the lowest level is eliminated)" in out


# --- bad input: one line naming the argument, exit 2 ----------------------------------------

SELECT = ["select-dose", "--target", "0.3"]
NEXT = ["next", "--design", "boin", "--target", "0.3", "--levels", "3"]


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        ([*SELECT, "--npts", "3,x", "--ntox", "0,0"], "--npts"),
        ([*SELECT, "--npts", "3,", "--ntox", "0,0"], "--npts"),
        ([*SELECT, "--npts", "", "--ntox", ""], "--npts"),
        ([*SELECT, "--npts", "3,-1", "--ntox", "0,0"], "--npts"),
        ([*SELECT, "--npts", "3,٣", "--ntox", "0,0"], "--npts"),
        ([*SELECT, "--npts", "3,3", "--ntox", "0,4"], "--ntox"),  # more DLTs than patients
        ([*SELECT, "--npts", "3,3,3", "--ntox", "0,0"], "--ntox"),  # different lengths
        (["select-dose", "--target", "0", "--npts", "3", "--ntox", "0"], "--target"),
        (["select-dose", "--target", "1", "--npts", "3", "--ntox", "0"], "--target"),
        (["select-dose", "--target", "1.5", "--npts", "3", "--ntox", "0"], "--target"),
        (["select-dose", "--target", "-0.1", "--npts", "3", "--ntox", "0"], "--target"),
        (["select-dose", "--target", "0.8", "--npts", "3", "--ntox", "0"], "--target"),  # > 5/7
        (["select-dose", "--target", "abc", "--npts", "3", "--ntox", "0"], "--target"),
        (["select-dose", "--target", "nan", "--npts", "3", "--ntox", "0"], "--target"),
        ([*SELECT, "--npts", "3", "--ntox", "0", "--cutoff", "1"], "--cutoff"),
        (["boundaries", "--target", "0.3", "--max-n", "0"], "--max-n"),
        (["boundaries", "--target", "0.3", "--max-n", "101"], "--max-n"),
        (["boundaries", "--target", "0.3", "--max-n", "ten"], "--max-n"),
        (["boundaries", "--target", "1e999999999"], "--target"),
        (["next", "--design", "boin", "--levels", "3", "--outcomes", "1NNN"], "--target"),
        (["next", "--design", "3+3", "--levels", "3", "--outcomes", "1N", "--target", "0.3"],
         "--target"),  # BOIN's only
        ([*NEXT[:-1], "0", "--outcomes", "1N"], "--levels"),
        ([*NEXT, "--outcomes", "0NNN"], "--outcomes"),
        ([*NEXT, "--outcomes", "1NNN 4NNN"], "--outcomes"),  # above --levels
        ([*NEXT, "--outcomes", "1NXN"], "--outcomes"),
        ([*NEXT, "--outcomes", "1NNN 2"], "--outcomes"),  # a cohort with no patients
        ([*NEXT, "--outcomes", ""], "--outcomes"),  # no cohort: no current level
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_argument(capsys, argv: list[str], field: str) -> None:
    code, out, err = run(capsys, "trial", *argv)
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1, err
    assert err.startswith(f"infusion-app trial: error: {field}: "), err


@pytest.mark.parametrize(
    "argv",
    [
        ["next", "--design", "crm", "--levels", "3", "--outcomes", "1N"],
        ["boundaries"],  # --target is required
        [],  # no subcommand
    ],
)
def test_usage_mistakes_are_one_line(capsys, argv: list[str]) -> None:
    code, out, err = run(capsys, "trial", *argv)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith("infusion-app trial"), err
