"""``infusion-app``: the desktop window by default, headless subcommands for scripts.

One module per command group: :mod:`.store` (db, verify-log, user), :mod:`.bedside` (patient,
product, infusion), :mod:`.calendar` (visit, sample, worklist), :mod:`.records` (record, log,
export), :mod:`.trial` (dose finding), :mod:`.response_check` (haematological response from
CSV files); the calculations are here. Every
command opens the record through :func:`.context.open_context` and asks for passwords through
:func:`.context.log_in`.

Exit status: the table in :mod:`.exit_codes` (0 success, 1 a negative answer, 2 input,
3 environment, 4 integrity, 70 a bug). Every error is one line on stderr; a user never sees a
traceback: a bug's goes to the log file (:mod:`infusion_app.app_log`), and the line says where.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

from infusion_app import APP_NAME, __version__
from infusion_app.app_log import log_failure
from infusion_app.cli.bedside import add_bedside_commands, run_infusion, run_patient, run_product
from infusion_app.cli.calendar import add_calendar_commands, run_calendar
from infusion_app.cli.common import parse_time, parsed, print_json, read_coa
from infusion_app.cli.context import GlobalOptions
from infusion_app.cli.exit_codes import (
    EXIT_ENVIRONMENT,
    EXIT_FOR_KIND,
    EXIT_INTEGRITY,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_NOT_OK,
    EXIT_OK,
    ExitCode,
)
from infusion_app.cli.records import add_records_commands, run_records
from infusion_app.cli.response_check import add_response_check_command, run_response_check
from infusion_app.cli.store import add_store_commands, run_db, run_user, run_verify
from infusion_app.cli.trial import add_trial_commands, run_trial
from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.errors import ErrorKind, InputError, kind_of
from infusion_app.logic.numbers import format_cells
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_catalog, load_protocol
from infusion_app.logic.release import Verdict, check_release
from infusion_app.logic.summaries import calculation_summary, release_summary
from infusion_app.resources import protocols_dir
from infusion_app.store.errors import StoreError

__all__ = [
    "EXIT_ENVIRONMENT",
    "EXIT_INTEGRITY",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_NOT_OK",
    "EXIT_OK",
    "ExitCode",
    "build_parser",
    "main",
]

PROG = "infusion-app"


class _Parser(argparse.ArgumentParser):
    """Usage mistakes are invalid input: one line on stderr, exit 2 (argparse prints more)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_INVALID)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=f"{APP_NAME}: run with no command to open the window.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--protocols-dir",
        type=Path,
        default=None,
        help="folder of protocol files (default: the protocols shipped with the app)",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: INFUSION_APP_DB_URL, else one SQLite file in the user's "
        "data folder); e.g. postgresql+psycopg://user@host/infusion for several stations",
    )
    parser.add_argument(
        "--station", help="this station's name in the log (default: INFUSION_APP_STATION or host)"
    )
    parser.add_argument(
        "--time-zone",
        metavar="ZONE",
        help="the zone in which this station reads times, an IANA name (default: "
        "INFUSION_APP_TIME_ZONE, the config file's time_zone, else Asia/Shanghai)",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    listing = commands.add_parser("protocols", help="list the protocols and their versions")
    listing.add_argument("--json", action="store_true", help="print one JSON object")

    calc = commands.add_parser(
        "calc", help="cell dose, bag volume and drip-rate plan for a patient's weight"
    )
    calc.add_argument("--protocol", required=True, help="protocol ID, e.g. ucmsc-cart-cytopenia")
    calc.add_argument("--dose-level", required=True, help="dose level or group ID, e.g. A or 2")
    calc.add_argument("--weight-kg", required=True, help="actual body weight in kg")
    calc.add_argument("--concentration", help="CoA total cells per mL, e.g. 1.0e7")
    calc.add_argument("--viability", help="CoA viability in percent, e.g. 92.0")
    calc.add_argument("--bag-volume-ml", help="volume the product bag holds (checked if given)")
    calc.add_argument(
        "--coa", type=Path, help="take concentration, viability and bag volume from a CoA file"
    )
    calc.add_argument("--drop-factor", help="drop factor of the set in gtt/mL (protocol default)")
    calc.add_argument("--final-volume-ml", help="final bag volume after dilution")
    calc.add_argument("--json", action="store_true", help="print one JSON object")

    release = commands.add_parser(
        "release-check", help="check a certificate of analysis against the release criteria"
    )
    release.add_argument("--protocol", required=True, help="protocol ID")
    release.add_argument("--coa", required=True, type=Path, help="CoA JSON file")
    release.add_argument("--at", help="evaluate at this time (ISO 8601 with offset; default: now)")
    release.add_argument("--json", action="store_true", help="print one JSON object")
    add_store_commands(commands)
    add_bedside_commands(commands)
    add_calendar_commands(commands)
    add_records_commands(commands)
    add_trial_commands(commands)
    add_response_check_command(commands)
    return parser


class _GuardedOutput:
    """Standard output that never turns a committed write into a failure.

    Once a command has committed, a closed pipe (``| head -c0``) or a closed stdout must not
    change the exit status: a script reading "failed" would retry and record the entry
    twice. A write that fails is remembered and reported as one line on stderr at the end.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.problem: str | None = None

    def write(self, text: str) -> int:
        if self.problem is None:
            try:
                self._stream.write(text)
            except (OSError, ValueError) as exc:
                self._failed(exc)
        return len(text)

    def flush(self) -> None:
        if self.problem is None:
            try:
                self._stream.flush()
            except (OSError, ValueError) as exc:
                self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        self.problem = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _one_line(text: str) -> str:
    """A message for stderr: whatever it quotes, it stays one line of printable text."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="replace")  # a non-UTF-8 console still gets the result
    args = build_parser().parse_args(argv)
    options = parsed(GlobalOptions, args)
    if args.command is None:
        from infusion_app.ui.app import run_app  # Qt is loaded only for the window

        # every global option reaches the window, as it reaches every command
        return run_app(options.db, options.station, options.protocols_dir, options.time_zone)
    real_stdout = sys.stdout
    output = _GuardedOutput(real_stdout)
    sys.stdout = output
    try:
        return _run(args, options)
    finally:
        output.flush()
        sys.stdout = real_stdout
        if output.problem is not None:
            _silence(real_stdout)
            sys.stderr.write(
                f"{PROG} {args.command}: warning: standard output: {output.problem} "
                "(the command's result stands; see the exit status)\n"
            )


def _silence(stream: TextIO) -> None:
    """Point a broken stdout at /dev/null, so the interpreter's last flush cannot fail."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def _run(args: argparse.Namespace, options: GlobalOptions) -> int:
    try:
        handler = _HANDLERS[args.command]
        return handler(args, options.protocols_dir or protocols_dir())
    except Exception as exc:
        kind = kind_of(exc)
        if kind is ErrorKind.BUG and os.environ.get("INFUSION_APP_DEBUG"):
            raise
        log_failure(exc, f"{PROG} {args.command}")  # all but input: support's to look at
        sys.stderr.write(f"{PROG} {args.command}: {error_line(exc)}\n")
        return EXIT_FOR_KIND[kind]


def error_line(exc: BaseException) -> str:
    """The one line a person reads for an error, by its kind (the exit status says the kind)."""
    kind = kind_of(exc)
    text = _one_line(str(exc))
    if kind is ErrorKind.INPUT:
        return f"error: {text}"
    if kind is ErrorKind.ENVIRONMENT:
        # the database's own failures say so; a file the output could not be written to names it
        return f"database: {text}" if isinstance(exc, StoreError) else text
    if kind is ErrorKind.INTEGRITY:
        return text if text.startswith("record integrity") else f"record integrity: {text}"
    from infusion_app.app_log import log_file

    return (
        f"internal error ({type(exc).__name__}), details in {log_file()}, nothing was saved; "
        "please report it"
    )


@dataclass(frozen=True)
class ProtocolsCommand:
    json: bool


@dataclass(frozen=True)
class CalcCommand:
    protocol: str
    dose_level: str
    weight_kg: str
    concentration: str | None
    viability: str | None
    bag_volume_ml: str | None
    coa: Path | None
    drop_factor: str | None
    final_volume_ml: str | None
    json: bool


@dataclass(frozen=True)
class ReleaseCheckCommand:
    protocol: str
    coa: Path
    at: str | None
    json: bool


def _protocols(args: argparse.Namespace, directory: Path) -> int:
    command = parsed(ProtocolsCommand, args)
    catalog = load_catalog(directory)
    if command.json:
        print_json(
            {
                "protocols": [
                    {"id": p.id, "version": p.version, "title": p.title} for p in catalog.protocols
                ],
                "errors": [str(e) for e in catalog.errors],
            }
        )
    else:
        for p in catalog.protocols:
            print(f"{p.id:<24} v{p.version:<8} {p.title}")
    for error in catalog.errors:
        sys.stderr.write(f"{PROG} protocols: error: {error}\n")
    if not catalog.protocols and not catalog.errors:
        sys.stderr.write(f"{PROG} protocols: error: protocols-dir: no *.toml in {directory}\n")
        return EXIT_INVALID
    return EXIT_INVALID if catalog.errors else EXIT_OK


def _calc(args: argparse.Namespace, directory: Path) -> int:
    command = parsed(CalcCommand, args)
    protocol = load_protocol(command.protocol, directory)
    concentration: str | Decimal | None = command.concentration
    viability: str | Decimal | None = command.viability
    bag: str | Decimal | None = command.bag_volume_ml
    if command.coa is not None:
        for flag, value in (
            ("--concentration", concentration),
            ("--viability", viability),
            ("--bag-volume-ml", bag),
        ):
            if value is not None:
                raise InputError(flag.lstrip("-"), "give either --coa or this option, not both")
        coa = read_coa(command.coa)
        if coa.viability_pct is None:
            raise InputError("coa.viability_pct", "is pending: the dose needs a viability result")
        concentration, viability, bag = coa.total_cells_per_ml, coa.viability_pct, coa.volume_ml
    if concentration is None:
        raise InputError("concentration", "is required: give --concentration or --coa")
    if viability is None:
        raise InputError("viability", "is required: give --viability or --coa")
    dose = calculate_dose(
        protocol,
        command.dose_level,
        weight_kg=command.weight_kg,
        total_cells_per_ml=concentration,
        viability_pct=viability,
        bag_volume_ml=bag,
        final_volume_ml=command.final_volume_ml,
    )
    plan = plan_drip(protocol.infusion, dose.final_volume_ml, command.drop_factor)
    summary = calculation_summary(dose, plan)
    if command.json:
        print_json(summary)
    else:
        _print_calc(protocol, summary)
    return EXIT_OK


def _release_check(args: argparse.Namespace, directory: Path) -> int:
    command = parsed(ReleaseCheckCommand, args)
    protocol = load_protocol(command.protocol, directory)
    now = parse_time("at", command.at) if command.at is not None else datetime.now(UTC)
    check = check_release(protocol, read_coa(command.coa), now)
    summary = release_summary(check)
    if command.json:
        print_json(summary)
    else:
        print(f"{check.product_id} against {check.protocol_label}: {check.verdict.value}")
        for c in summary["criteria"]:
            print(f"  {c['result'].upper():<8} {c['name']:<36} {c['value']:<28} {c['limit']}")
        if check.unrecognised_fields:
            print(f"  Ignored fields (not CoA fields): {', '.join(check.unrecognised_fields)}")
    return EXIT_OK if check.verdict is Verdict.RELEASABLE else EXIT_NOT_OK


Handler = Callable[[argparse.Namespace, Path], int]

_HANDLERS: dict[str, Handler] = {
    "protocols": _protocols,
    "calc": _calc,
    "release-check": _release_check,
    "db": run_db,
    "verify-log": run_verify,
    "user": run_user,
    "patient": run_patient,
    "product": run_product,
    "infusion": run_infusion,
    "visit": run_calendar,
    "sample": run_calendar,
    "worklist": run_calendar,
    "record": run_records,
    "log": run_records,
    "export": run_records,
    "trial": run_trial,
    "response-check": run_response_check,
}


def _print_calc(protocol: Protocol, s: dict[str, Any]) -> None:
    level = protocol.dose_level(s["dose_level"])
    basis = "viable" if s["dose_basis"] == "viable" else "total"
    print(f"Protocol        {s['protocol']}, {level.label}")
    print(
        f"Target dose     {format_cells(s['dose_cells_per_kg']).removesuffix(' cells')} cells/kg"
        f" × {s['weight_kg']} kg = {s['target_cells_text']}"
    )
    print(
        f"Concentration   {format_cells(s['total_cells_per_ml'])}/mL × {s['viability_pct']}% "
        f"viable = {format_cells(s['dosing_concentration_cells_per_ml'])}/mL ({basis} basis)"
    )
    print(f"Product volume  {s['product_volume_ml']} mL")
    print(
        f"Delivered       {s['delivered_cells_text']} ({s['dose_deviation_pct']:+}% from target,"
        f" tolerance ±{s['tolerance_pct']}%)"
    )
    print(f"Final volume    {s['final_volume_ml']} mL ({s['diluent_volume_ml']} mL diluent)")
    print(
        f"Drip plan       drop factor {s['drop_factor_gtt_per_ml']} gtt/mL, "
        f"expected {s['expected_duration_min']} min"
    )
    for p in s["drip_plan"]:
        end = p["start_min"] + p["duration_min"]
        print(
            f"  phase {p['phase']}  min {p['start_min']}–{end}: {p['rate_gtt_per_min']} gtt/min"
            f" = {p['rate_ml_per_min']} mL/min = {p['rate_ml_per_h']} mL/h, {p['volume_ml']} mL"
        )
    for w in s["warnings"]:
        print(f"{w['level'].upper()}: {w['field']}: {w['message']}")
