"""Printing and exporting from the command line: ``record``, ``log`` and ``export``.

Each asks for the user's password (a monitor's, a nurse's or a pharmacist's), makes the
document, and saves it through the service, which writes the file only once its output is audited.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from infusion_app.cli.common import parse_date
from infusion_app.cli.store import open_context, read_password
from infusion_app.logic.errors import InputError
from infusion_app.logic.text_rules import TRIAL_ID_MAX, check_text
from infusion_app.records.infusion_log import LogFilter
from infusion_app.records.labels import LANGUAGES
from infusion_app.records.pages import PAPERS
from infusion_app.services import accounts, output_files, records
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.output_files import OutputFileError
from infusion_app.services.status import find_infusion

PROG = "infusion-app"
EXIT_OK = 0
EXIT_ENVIRONMENT = 3


def add_records_commands(commands: argparse._SubParsersAction[Any]) -> None:
    record = commands.add_parser("record", help="print an infusion record to a PDF file")
    record.add_argument("infusion", help="infusion ID or PATIENT/NUMBER (e.g. P001/1)")
    _output(record, "the PDF file to write")
    _paper(record)

    log = commands.add_parser(
        "log", help="the monitor's infusion log of a patient, or of the site between two dates"
    )
    log.add_argument("--patient", help="trial ID: every infusion of this patient")
    log.add_argument("--from", dest="first", help="first date, YYYY-MM-DD (local)")
    log.add_argument("--to", dest="last", help="last date, YYYY-MM-DD (local, included)")
    _output(log, "FILE.pdf or FILE.csv")
    _paper(log)

    export = commands.add_parser("export", help="export an infusion as CSV events or FHIR JSON")
    export.add_argument("infusion", help="infusion ID or PATIENT/NUMBER (e.g. P001/1)")
    export.add_argument("--format", required=True, choices=("csv", "fhir"))
    _output(export, "the file to write")


def _output(parser: argparse.ArgumentParser, help: str) -> None:
    # A string, not a Path: "" and a trailing "/" must reach the check as typed.
    parser.add_argument("-o", "--output", required=True, help=help)
    parser.add_argument("--user", required=True, help="who prints (asked for a password)")


def _paper(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--paper", default="a4", choices=tuple(PAPERS), help="default a4")
    parser.add_argument("--language", default="en", choices=LANGUAGES, help="default en")


def run_records(args: argparse.Namespace, protocols: Path) -> int:
    try:
        return _run_records(args, protocols)
    except OutputFileError as exc:
        # The output file could not be written or put in place: the file system's doing
        # (exit 3). Whatever was committed about it is in the log, and the line says so.
        sys.stderr.write(f"{PROG} {args.command}: {exc}\n")
        return EXIT_ENVIRONMENT


def _run_records(args: argparse.Namespace, protocols: Path) -> int:
    # Checked before the password is asked and before anything is committed; checked again
    # by the service when it writes.
    target = Path(output_files.check_target(os.path.expanduser(args.output)).path)
    ctx = open_context(args, protocols)
    try:
        user = _log_in(ctx, args.user)
        if args.command == "record":
            document = records.infusion_record(
                ctx,
                user,
                find_infusion(ctx, args.infusion),
                paper=args.paper,
                language=args.language,
            )
        elif args.command == "export":
            document = records.export_infusion(
                ctx, user, find_infusion(ctx, args.infusion), args.format
            )
        else:
            output = target.suffix.lower().lstrip(".")
            if output not in ("pdf", "csv"):
                raise InputError("output", f"must end in .pdf or .csv, got {target.name!r}")
            document = records.infusion_log(
                ctx,
                user,
                _log_filter(args),
                output=output,
                paper=args.paper,
                language=args.language,
            )
        written = records.save_document(ctx, user, document, target)
        print(f"{document.what} of {document.subject} written to {written}")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def _log_in(ctx: AppContext, username: str) -> CurrentUser:
    return accounts.log_in(ctx, username, read_password(f"Password for {username}: "))


def _log_filter(args: argparse.Namespace) -> LogFilter:
    if args.patient and (args.first or args.last):
        raise InputError("patient", "give --patient or --from/--to, not both")
    if args.patient:
        return LogFilter(patient=check_text("patient", args.patient, TRIAL_ID_MAX))
    if not (args.first and args.last):
        raise InputError("from", "give --patient ID, or both --from DATE and --to DATE")
    first, last = parse_date("from", args.first), parse_date("to", args.last)
    if last < first:
        raise InputError("to", f"{last} is before --from {first}")
    return LogFilter(first=first, last=last)
