"""``infusion-app trial``: dose finding on the command line.

The calculators need no record, so a statistician can check the app's rules against their own
tools (the R packages BOIN and escalation):

- ``trial boundaries --target 0.30 [--max-n 30] [--cutoff 0.95] [--json]``: BOIN's decision
  table from the formulas, for n = 1..max-n;
- ``trial next --design 3+3|boin [--target PHI] --levels K --outcomes "1NNN 2NTN" [--json]``:
  the decision after the cohorts of an outcome string (escalation's convention), at the level
  of the last cohort;
- ``trial select-dose --target PHI --npts 3,6,9 --ntox 0,1,3 [--json]``: BOIN's optimal dose.

Levels count from 1 here, as in R. Subcommands are dispatched through :data:`TRIAL_COMMANDS`,
so the record's own (status, review, adjudicate; summary) join the same group.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import parsed, print_json
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.cli.trial_record import (
    RECORD_COMMANDS,
    add_trial_record_commands,
    run_trial_record,
)
from infusion_app.cli.trial_summary import add_trial_summary_command, run_trial_summary
from infusion_app.logic.boin import (
    DEFAULT_CUTOFF,
    boin_decision,
    boundaries,
    check_cutoff,
    check_target,
)
from infusion_app.logic.dose_selection import DoseSelection, select_dose
from infusion_app.logic.errors import InputError
from infusion_app.logic.escalation import Decision, DecisionKind, LevelTally
from infusion_app.logic.identity import parse_count
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.outcome_strings import parse_outcomes, tallies_from_outcomes
from infusion_app.logic.protocol import MAX_DOSE_FINDING_PATIENTS
from infusion_app.logic.three_plus_three import three_plus_three, waiting_reason

Sub: TypeAlias = "argparse._SubParsersAction[Any]"
Handler = Callable[[argparse.Namespace, Path], int]

MAX_LEVELS = 100
MAX_COUNT = 1000  # patients at one level in the calculators


def add_trial_commands(commands: Sub) -> None:
    trial = commands.add_parser(
        "trial", help="dose finding: BOIN boundaries, the next decision, the optimal dose"
    )
    subcommands = trial.add_subparsers(dest="trial_command", required=True, metavar="SUBCOMMAND")

    table = subcommands.add_parser("boundaries", help="BOIN's decision table for a target")
    _target(table, required=True)
    table.add_argument(
        "--max-n",
        default="30",
        help=f"rows for n = 1..N patients at a level (1-{MAX_DOSE_FINDING_PATIENTS}; default 30)",
    )
    _cutoff(table)
    _json(table)

    decide = subcommands.add_parser(
        "next", help="the decision after cohorts written as an outcome string"
    )
    decide.add_argument("--design", required=True, choices=("3+3", "boin"), help="the rule")
    _target(decide, required=False)
    _cutoff(decide)
    decide.add_argument("--levels", required=True, help="how many dose levels the trial has")
    decide.add_argument(
        "--outcomes",
        required=True,
        help='cohorts, e.g. "1NNN 2NTN": a level (from 1), then N (no DLT) or T (DLT) each',
    )
    _json(decide)

    select = subcommands.add_parser("select-dose", help="BOIN's optimal dose at the end")
    _target(select, required=True)
    select.add_argument("--npts", required=True, help="patients per level, e.g. 3,6,9")
    select.add_argument("--ntox", required=True, help="DLTs per level, e.g. 0,1,3")
    _cutoff(select)
    _json(select)

    add_trial_record_commands(subcommands)  # status, review, adjudicate: on the record
    add_trial_summary_command(subcommands)  # summary: every patient per level, on the record


def _target(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--target", required=required, help="target DLT rate, e.g. 0.30 (BOIN: below 5/7)"
    )


def _cutoff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cutoff", help="eliminate when P(DLT rate > target) exceeds it (BOIN; default 0.95)"
    )


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run_trial(args: argparse.Namespace, protocols: Path) -> int:
    return TRIAL_COMMANDS[args.trial_command](args, protocols)


# --- reading the arguments -------------------------------------------------------------------


def exact_fraction(field: str, text: str) -> Fraction:
    """A number typed in decimal notation, exactly: "0.30" is 3/10, never 0.299999..."""
    return Fraction(parse_decimal(field, text))


def read_target(text: str) -> Fraction:
    return check_target(exact_fraction("--target", text), "--target")


def read_cutoff(text: str | None) -> Fraction:
    if text is None:
        return DEFAULT_CUTOFF
    return check_cutoff(exact_fraction("--cutoff", text), "--cutoff")


def read_counts(field: str, text: str) -> list[int]:
    """``3,6,9``: one whole number per level, 0-1000, at most 100 levels."""
    pieces = text.split(",")
    if len(pieces) > MAX_LEVELS:
        raise InputError(field, f"give at most {MAX_LEVELS} levels, got {len(pieces)}")
    return [parse_count(field, piece, low=0, high=MAX_COUNT) for piece in pieces]


def read_tallies(npts_text: str, ntox_text: str) -> tuple[LevelTally, ...]:
    npts = read_counts("--npts", npts_text)
    ntox = read_counts("--ntox", ntox_text)
    if len(ntox) != len(npts):
        raise InputError("--ntox", f"gives {len(ntox)} levels but --npts gives {len(npts)}")
    for level, (n, y) in enumerate(zip(npts, ntox, strict=True), start=1):
        if y > n:
            raise InputError(
                "--ntox", f"level {level} has {y} DLTs in {n} patients: more DLTs than patients"
            )
    return tuple(LevelTally(evaluable=n, dlts=y) for n, y in zip(npts, ntox, strict=True))


def _level(index: int | None) -> int | None:
    """A 0-based level as people count it."""
    return None if index is None else index + 1


# --- trial boundaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class BoundariesCommand:
    target: str
    max_n: str
    cutoff: str | None
    json: bool


def _boundaries(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(BoundariesCommand, args)
    target = read_target(command.target)
    max_n = parse_count("--max-n", command.max_n, low=1, high=MAX_DOSE_FINDING_PATIENTS)
    table = boundaries(target, max_n, read_cutoff(command.cutoff))
    if command.json:
        print_json(
            {
                "target": float(table.target),
                "lambda_e": table.lambda_e,
                "lambda_d": table.lambda_d,
                "rows": [
                    {
                        "n": row.n,
                        "escalate_if_dlt_le": row.escalate_if_dlt_le,
                        "deescalate_if_dlt_ge": row.deescalate_if_dlt_ge,
                        "eliminate_if_dlt_ge": row.eliminate_if_dlt_ge,
                    }
                    for row in table.rows
                ],
            }
        )
        return EXIT_OK
    print(
        f"BOIN boundaries for target {float(table.target):g}: lambda_e {table.lambda_e:.4f}, "
        f"lambda_d {table.lambda_d:.4f}; a level and every higher one are eliminated when "
        f"P(DLT rate > target) > {float(table.cutoff):g} with n >= 3"
    )
    print(
        f"{'n':>4}  {'escalate if DLTs <=':>20}  {'de-escalate if >=':>18}  {'eliminate if >=':>16}"
    )
    for row in table.rows:
        print(
            f"{row.n:>4}  {_cell(row.escalate_if_dlt_le):>20}  "
            f"{_cell(row.deescalate_if_dlt_ge):>18}  {_cell(row.eliminate_if_dlt_ge):>16}"
        )
    return EXIT_OK


def _cell(value: int | None) -> str:
    return "-" if value is None else str(value)


# --- trial next ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextCommand:
    design: str
    target: str | None
    cutoff: str | None
    levels: str
    outcomes: str
    json: bool


def _next(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(NextCommand, args)
    levels = parse_count("--levels", command.levels, low=1, high=MAX_LEVELS)
    rule: Callable[[tuple[LevelTally, ...], int], Decision]
    if command.design == "boin":
        if command.target is None:
            raise InputError("--target", "is required for --design boin")
        target = read_target(command.target)
        cutoff = read_cutoff(command.cutoff)

        def rule(tallies: tuple[LevelTally, ...], current: int) -> Decision:
            return boin_decision(tallies, current, target, cutoff)

    else:
        for field, given in (("--target", command.target), ("--cutoff", command.cutoff)):
            if given is not None:
                raise InputError(field, "applies to --design boin only")
        rule = _three_plus_three_now
    cohorts = parse_outcomes(command.outcomes)
    if not cohorts:
        raise InputError("--outcomes", "no cohorts: give at least one, e.g. 1NNN")
    tallies = tallies_from_outcomes(cohorts, levels)
    current = cohorts[-1][0]  # the level of the last cohort
    decision = rule(tallies, current)
    summary = decision_summary(decision)
    if command.json:
        print_json(summary)
        return EXIT_OK
    _print_tallies(tallies, {current: "current"})
    next_level = summary["next_level"]
    where = f" (next cohort at level {next_level})" if next_level is not None else ""
    print(f"decision: {summary['decision']}{where}")
    print(f"reason: {summary['reason']}")
    if command.design == "boin":
        eliminated = ", ".join(str(level) for level in summary["eliminated"]) or "none"
        print(f"eliminated levels: {eliminated}")
    else:
        mtd = summary["mtd"]
        print(f"maximum tolerated level: {mtd if mtd is not None else 'not known yet'}")
    return EXIT_OK


def _three_plus_three_now(tallies: tuple[LevelTally, ...], current: int) -> Decision:
    """The 3+3 decision; while undecided, "stay" at the current level with what is missing.
    A level with more than 3 patients has been expanded to 6."""
    tally = tallies[current]
    expanded = tally.evaluable > 3
    decision = three_plus_three(tallies, current, expanded=expanded)
    if decision is not None:
        return decision
    return Decision(
        kind=DecisionKind.STAY,
        level=current,
        next_level=current,
        eliminated=(),
        mtd=None,
        complete=False,
        reason=waiting_reason(tally, current, expanded=expanded),
    )


def decision_summary(decision: Decision) -> dict[str, Any]:
    return {
        "decision": decision.kind.value,
        "next_level": _level(decision.next_level),
        "eliminated": [level + 1 for level in decision.eliminated],
        "mtd": _level(decision.mtd),
        "reason": str(decision.reason),
    }


def _print_tallies(
    tallies: tuple[LevelTally, ...],
    notes: dict[int, str],
    estimates: tuple[Fraction | None, ...] | None = None,
) -> None:
    head = f"{'level':>5}  {'patients':>8}  {'DLTs':>4}"
    print(head + (f"  {'estimate':>8}" if estimates is not None else ""))
    for index, tally in enumerate(tallies):
        line = f"{index + 1:>5}  {tally.evaluable:>8}  {tally.dlts:>4}"
        if estimates is not None:
            value = estimates[index]
            line += f"  {'-' if value is None else f'{float(value):.4f}':>8}"
        note = notes.get(index)
        print(f"{line}  {note}" if note else line)


# --- trial select-dose -----------------------------------------------------------------------


@dataclass(frozen=True)
class SelectDoseCommand:
    target: str
    npts: str
    ntox: str
    cutoff: str | None
    json: bool


def _select_dose(args: argparse.Namespace, protocols: Path) -> int:
    command = parsed(SelectDoseCommand, args)
    target = read_target(command.target)
    cutoff = read_cutoff(command.cutoff)
    tallies = read_tallies(command.npts, command.ntox)
    selection = select_dose(tallies, target, cutoff)
    if command.json:
        print_json(selection_summary(selection))
        return EXIT_OK
    notes = {index: "eliminated" for index in selection.eliminated}
    for index, tally in enumerate(tallies):
        if tally.evaluable == 0 and index not in notes:
            notes[index] = "untreated"
    if selection.selected is not None:
        notes[selection.selected] = "selected"
    _print_tallies(tallies, notes, selection.estimates)
    if selection.selected is None or selection.selected_largest_on_tie is None:
        why = (
            "the lowest level is eliminated"
            if selection.eliminated[:1] == (0,)
            else "no treated level is left"
        )
        print(f"selected: none ({why})")
    elif selection.selected == selection.selected_largest_on_tie:
        print(f"selected: level {selection.selected + 1}")
    else:
        print(
            f"selected: level {selection.selected + 1} by BOIN's select.mtd, level "
            f"{selection.selected_largest_on_tie + 1} by the seed's \"largest dose equal or "
            'closest": the investigator chooses, with the reason'
        )
    return EXIT_OK


def selection_summary(selection: DoseSelection) -> dict[str, Any]:
    return {
        "selected": _level(selection.selected),
        "selected_largest_on_tie": _level(selection.selected_largest_on_tie),
        "estimates": [
            None if value is None else round(float(value), 4) for value in selection.estimates
        ],
        "eliminated": [level + 1 for level in selection.eliminated],
    }


TRIAL_COMMANDS: dict[str, Handler] = {
    "boundaries": _boundaries,
    "next": _next,
    "select-dose": _select_dose,
    **dict.fromkeys(RECORD_COMMANDS, run_trial_record),
    "summary": run_trial_summary,
}
