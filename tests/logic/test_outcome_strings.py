"""Outcome strings in the R package escalation's convention (logic.outcome_strings)."""

from __future__ import annotations

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.logic.escalation import LevelTally
from infusion_app.logic.outcome_strings import parse_outcomes, tallies_from_outcomes

N, Y = False, True  # no DLT, a DLT


def test_cohorts_in_order_with_levels_from_zero() -> None:
    assert parse_outcomes("1NNN 2NTN") == ((0, (N, N, N)), (1, (N, Y, N)))


def test_whitespace_and_cohorts_run_together_as_escalation_reads_them() -> None:
    # escalation's pattern allows optional white space between cohorts and around them
    expected = ((0, (N, N, N)), (1, (N, Y, Y)), (0, (N,)))
    assert parse_outcomes("1NNN2NTT1N") == expected
    assert parse_outcomes("  1NNN \t2NTT\n 1N  ") == expected


def test_no_cohorts() -> None:
    assert parse_outcomes("") == ()
    assert tallies_from_outcomes((), 3) == (LevelTally(0, 0),) * 3


def test_levels_of_two_digits() -> None:
    assert parse_outcomes("12T") == ((11, (Y,)),)


def test_tallies_add_every_cohort_of_a_level() -> None:
    cohorts = parse_outcomes("1NNN 2NTN 2NNN 1T")
    assert tallies_from_outcomes(cohorts, 3) == (
        LevelTally(evaluable=4, dlts=1),
        LevelTally(evaluable=6, dlts=1),
        LevelTally(evaluable=0, dlts=0),
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("0NNN", "cohort 1 '0NNN': levels are numbered from 1, got 0"),
        ("1NNN 2NXN", "cohort 2 '2NXN': each patient is N (no DLT) or T (DLT), got 'X'"),
        ("1nnn", "got 'n'"),  # upper case only, as in escalation
        ("1NNN 2 3NN", "cohort 2 '2' has no patients"),
        ("NNN", "cohort 1 'NNN' does not start with a level number"),
        ("1NNN,2NNN", "got ','"),
        ("1N٣N", "got '٣'"),  # an Arabic-Indic digit is not a level number
        ("99999NN", "levels are numbered from 1, got 99999"),
    ],
)
def test_a_bad_string_names_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_outcomes(text)
    assert caught.value.field == "--outcomes"
    assert says in caught.value.rule
    assert "\n" not in str(caught.value)


def test_a_level_above_the_trials_levels() -> None:
    with pytest.raises(InputError, match="cohort 2 is at level 4, but there are only 3 levels"):
        tallies_from_outcomes(parse_outcomes("1NNN 4NNN"), 3)


def test_a_long_string_is_refused_before_it_is_read() -> None:
    with pytest.raises(InputError, match="at most 10000 characters"):
        parse_outcomes("1" + "N" * 10_000)


def test_a_control_character_is_shown_escaped() -> None:
    with pytest.raises(InputError) as caught:
        parse_outcomes("1N\x07N")
    assert "\x07" not in str(caught.value) and "\\x07" in str(caught.value)
