"""Printing and exporting from the command line: ``record``, ``log`` and ``export``.

``record INFUSION`` prints an infusion record; ``record patient ID`` the patient's course
record (plan against what was given, schedule deviations, visits and samples, AEs);
``record trial --protocol ID [--review N]`` the safety-review decision record of a
dose-finding trial, and ``record trial-counts --protocol ID`` its per-level counts as CSV.

Each asks for the user's password (a monitor's, a nurse's or a pharmacist's), makes the
document, and saves it through the service, which writes the file only once its output is audited.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from infusion_app.cli.common import count_argument, parse_date, parsed
from infusion_app.cli.context import GlobalOptions, log_in, open_context
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.errors import InputError
from infusion_app.logic.text_rules import TRIAL_ID_MAX, check_text
from infusion_app.records.infusion_log import LogFilter
from infusion_app.records.labels import LANGUAGES
from infusion_app.records.pages import PAPERS
from infusion_app.services import output_files, records, trial_records
from infusion_app.services.status import find_infusion


@dataclass(frozen=True)
class RecordsCommand:
    """``record``, ``log`` or ``export``, as parsed; an option a command lacks is None."""

    command: Literal["record", "log", "export"]
    output: str  # as typed: "" and a trailing "/" must reach the check as they are
    user: str
    infusion: str | None  # record, export; "patient" for the course record
    trial_id: str | None  # record patient ID
    format: Literal["csv", "fhir"] | None  # export
    paper: str | None  # record, log
    language: str | None  # record, log
    patient: str | None  # log
    first: str | None  # log --from
    last: str | None  # log --to
    protocol: str | None  # record trial, record trial-counts
    review: int | None  # record trial --review


def add_records_commands(commands: argparse._SubParsersAction[Any]) -> None:
    record = commands.add_parser(
        "record",
        help="print an infusion record, a patient's course record ('record patient ID'), a "
        "trial's safety-review record ('record trial --protocol ID') or its per-level counts "
        "('record trial-counts --protocol ID', CSV)",
    )
    record.add_argument(
        "infusion",
        help="infusion ID or PATIENT/NUMBER (e.g. P001/1), or the word 'patient', 'trial' or "
        "'trial-counts'",
    )
    record.add_argument(
        "trial_id", nargs="?", help="after 'patient': the trial ID whose course to print"
    )
    record.add_argument("--protocol", help="after 'trial' or 'trial-counts': the protocol ID")
    record.add_argument(
        "--review",
        type=count_argument("review"),
        help="after 'trial': the signed review's number as 'trial status' lists it "
        "(default: the latest)",
    )
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
    parser.add_argument("-o", "--output", "--out", required=True, help=help)
    parser.add_argument("--user", required=True, help="who prints (asked for a password)")


def _paper(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--paper", default="a4", choices=tuple(PAPERS), help="default a4")
    parser.add_argument("--language", default="en", choices=LANGUAGES, help="default en")


def run_records(args: argparse.Namespace, protocols: Path) -> int:
    """An output file that cannot be written is an environment error (exit 3): whatever was
    committed about it is in the log, and its message says so."""
    command = parsed(RecordsCommand, args)
    # Checked before the password is asked and before anything is committed; checked again
    # by the service when it writes.
    target = Path(output_files.check_target(os.path.expanduser(command.output)).path)
    trial_of = _trial_of(command)
    course_of = _course_of(command) if trial_of is None else None
    ctx = open_context(parsed(GlobalOptions, args), protocols)
    try:
        user, _password = log_in(ctx, command.user)
        if trial_of is not None and command.infusion == TRIAL_COUNTS:
            document = trial_records.trial_counts_csv(ctx, user, trial_of)
        elif trial_of is not None:
            document = trial_records.safety_review_record(
                ctx,
                user,
                trial_of,
                review_seq=command.review,
                paper=_given(command.paper),
                language=_given(command.language),
            )
        elif course_of is not None:
            document = records.patient_course_record(
                ctx,
                user,
                course_of,
                paper=_given(command.paper),
                language=_given(command.language),
            )
        elif command.command == "record":
            document = records.infusion_record(
                ctx,
                user,
                find_infusion(ctx, _given(command.infusion)),
                paper=_given(command.paper),
                language=_given(command.language),
            )
        elif command.command == "export":
            assert command.format is not None  # required by export's parser
            document = records.export_infusion(
                ctx, user, find_infusion(ctx, _given(command.infusion)), command.format
            )
        else:
            output = target.suffix.lower().lstrip(".")
            if output not in ("pdf", "csv"):
                raise InputError("output", f"must end in .pdf or .csv, got {target.name!r}")
            document = records.infusion_log(
                ctx,
                user,
                _log_filter(command),
                output=output,
                paper=_given(command.paper),
                language=_given(command.language),
            )
        written = records.save_document(ctx, user, document, target)
        print(f"{document.what} of {document.subject} written to {written}")
        return EXIT_OK
    finally:
        ctx.db.dispose()


COURSE_RECORD = "patient"  # ``record patient ID``
TRIAL_RECORD = "trial"  # ``record trial --protocol ID [--review N]``
TRIAL_COUNTS = "trial-counts"  # ``record trial-counts --protocol ID``


def _trial_of(command: RecordsCommand) -> str | None:
    """The protocol ID of ``record trial`` and ``record trial-counts``; None for the other
    records (which refuse --protocol and --review rather than ignore them)."""
    if command.command != "record":
        return None
    if command.infusion not in (TRIAL_RECORD, TRIAL_COUNTS):
        if command.protocol is not None or command.review is not None:
            raise InputError(
                "protocol",
                "--protocol and --review go with 'record trial' or 'record trial-counts'",
            )
        return None
    if command.trial_id is not None:
        raise InputError(
            "trial_id", f"'record {command.infusion}' takes --protocol ID, not {command.trial_id!r}"
        )
    if command.protocol is None:
        raise InputError("protocol", f"give --protocol ID after 'record {command.infusion}'")
    if command.infusion == TRIAL_COUNTS and command.review is not None:
        raise InputError("review", "the counts are the tracker's now: --review goes with 'trial'")
    return check_text("protocol", command.protocol, 64)


def _course_of(command: RecordsCommand) -> str | None:
    """The trial ID of ``record patient ID``; None for an infusion record or another command."""
    if command.command != "record":
        return None
    if command.infusion != COURSE_RECORD:
        if command.trial_id is not None:
            raise InputError(
                "infusion", f"give an infusion, or 'patient {command.trial_id}' for a course record"
            )
        return None
    if command.trial_id is None:
        raise InputError("trial_id", "give the patient's trial ID after 'record patient'")
    return check_text("trial_id", command.trial_id, TRIAL_ID_MAX)


def _given(value: str | None) -> str:
    """An argument this command's parser has (a positional, or an option with a default)."""
    assert value is not None
    return value


def _log_filter(command: RecordsCommand) -> LogFilter:
    if command.patient and (command.first or command.last):
        raise InputError("patient", "give --patient or --from/--to, not both")
    if command.patient:
        return LogFilter(patient=check_text("patient", command.patient, TRIAL_ID_MAX))
    if not (command.first and command.last):
        raise InputError("from", "give --patient ID, or both --from DATE and --to DATE")
    first, last = parse_date("from", command.first), parse_date("to", command.last)
    if last < first:
        raise InputError("to", f"{last} is before --from {first}")
    return LogFilter(first=first, last=last)
