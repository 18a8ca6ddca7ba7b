"""The investigator's course commands: ``patient enrol``, ``patient level``,
``patient end-treatment``. Each is signed: the password read for ``--user`` is the signature.
"""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

from infusion_app.cli.common import count_argument, parse_time, print_json
from infusion_app.cli.context import log_in, read_password
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.course import EndReason
from infusion_app.services import course_acts
from infusion_app.services.context import AppContext

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

COMMANDS = frozenset({"enrol", "level", "end-treatment"})


def add_course_commands(patient_commands: Sub) -> None:
    enrol = _signed(
        patient_commands.add_parser(
            "enrol", help="enrol a registered patient at a dose level or group (investigator)"
        )
    )
    enrol.add_argument("--dose-level", required=True, help="dose level or group ID")
    enrol.add_argument(
        "--deviation-reason",
        help="enrol although the dose-finding rule refuses it: why (a listed deviation)",
    )
    enrol.add_argument(
        "--second-user",
        help="the second investigator who approves the deviation (asked for a password)",
    )

    level = _signed(
        patient_commands.add_parser(
            "level", help="change the dose level of later infusions (investigator)"
        )
    )
    level.add_argument("--to", required=True, dest="to_level", help="the new level or group")
    level.add_argument(
        "--from-infusion",
        required=True,
        type=count_argument("from_infusion", high=999),
        help="the first infusion given at the new level (never one that exists)",
    )
    level.add_argument("--why", required=True, help="the reason, one line")

    end = _signed(
        patient_commands.add_parser("end-treatment", help="no more infusions (investigator)")
    )
    end.add_argument("--why", required=True, help=", ".join(r.value for r in EndReason))
    end.add_argument("--details", help="what happened (required for 'other')")


def _signed(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--user", required=True, help="who signs (asked for a password)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--patient", required=True, help="trial ID")
    parser.add_argument("--at", help="when it was done, ISO 8601 with offset (default: now)")
    parser.add_argument("--reason", help="why it is entered late (needed > 5 min back)")
    return parser


def run_course(ctx: AppContext, args: argparse.Namespace) -> int:
    user, password = log_in(ctx, args.user)
    at = parse_time("at", args.at) if args.at is not None else None
    command = args.patient_command
    if command == "enrol":
        second_password = None
        if args.second_user is not None and args.deviation_reason is not None:
            second_password = read_password(f"Password for {args.second_user}: ")
        course_acts.enrol_patient(
            ctx,
            user,
            args.patient,
            dose_level=args.dose_level,
            password=password,
            at=at,
            reason=args.reason,
            deviation_reason=args.deviation_reason,
            second_user=args.second_user,
            second_password=second_password,
        )
        said = (
            f"patient {args.patient} enrolled at {args.dose_level}, signed by {user.printed_name}"
        )
        if args.deviation_reason is not None:
            said += f"; a deviation from the dose-finding rule, approved by {args.second_user}"
    elif command == "level":
        course_acts.change_dose_level(
            ctx,
            user,
            args.patient,
            to_level=args.to_level,
            from_infusion=args.from_infusion,
            reason=args.why,
            password=password,
            at=at,
            back_entry_reason=args.reason,
        )
        said = (
            f"patient {args.patient}: infusions from {args.from_infusion} on at "
            f"{args.to_level}, signed by {user.printed_name}"
        )
    else:
        course_acts.end_treatment(
            ctx,
            user,
            args.patient,
            reason=args.why,
            details=args.details,
            password=password,
            at=at,
            back_entry_reason=args.reason,
        )
        said = (
            f"treatment of patient {args.patient} ended ({args.why}), signed by {user.printed_name}"
        )
    if args.json:
        print_json({"patient": args.patient, "done": command})
    else:
        print(said)
    return EXIT_OK
