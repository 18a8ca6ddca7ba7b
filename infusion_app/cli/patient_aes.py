"""The patient's adverse events on the command line: ``patient ae``, ``patient sae-reported``
and the investigator's ``patient dlt-review`` (signed: the password read for ``--user`` is the
signature).

``patient ae`` takes the options of the bedside's ``infusion ae`` (made from the same
declaration, services/bedside.py ADVERSE_EVENT), for an AE found between infusions.
"""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

from infusion_app.cli.common import count_argument, parse_time, print_json
from infusion_app.cli.context import log_in
from infusion_app.cli.declared import add_declared_flags, declared_values
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.reading_time import read_at
from infusion_app.services import dlt_review, patient_aes
from infusion_app.services.bedside import ADVERSE_EVENT
from infusion_app.services.context import AppContext

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

COMMANDS = frozenset({"ae", "sae-reported", "dlt-review"})


def add_patient_ae_commands(patient_commands: Sub) -> None:
    ae = _patient_act(
        patient_commands.add_parser(
            "ae", help="an adverse event of the patient between infusions (CTCAE v5.0)"
        )
    )
    add_declared_flags(ae, ADVERSE_EVENT)
    # the shorter name the course's instructions use, for --action-taken
    ae.add_argument("--action", dest="action_taken", help="same as --action-taken")

    sae = _patient_act(
        patient_commands.add_parser(
            "sae-reported", help="a serious adverse event of the patient was reported"
        )
    )
    sae.add_argument(
        "--ae",
        required=True,
        dest="adverse_event_seq",
        type=count_argument("adverse_event_seq"),
        help="the adverse event's number (seq) in the patient's record",
    )

    review = patient_commands.add_parser(
        "dlt-review", help="confirm or reject a flagged DLT, signed (investigator)"
    )
    _who(review)
    review.add_argument(
        "--stream", required=True, help="where the AE is: patient:P001 or infusion:P001/2"
    )
    review.add_argument(
        "--seq",
        required=True,
        type=count_argument("seq"),
        help="the adverse event's number in that record",
    )
    verdict = review.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_true", help="it is a DLT")
    verdict.add_argument("--reject", action="store_true", help="it is not a DLT")
    review.add_argument("--why", required=True, help="the reason, one line")


def _who(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", required=True, help="who does it (asked for a password)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--patient", required=True, help="trial ID")


def _patient_act(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    _who(parser)
    parser.add_argument("--at", help="when it was recorded, ISO 8601 with offset (default: now)")
    parser.add_argument("--reason", help="why it is entered late (needed > 5 min back)")
    return parser


def run_patient_aes(ctx: AppContext, args: argparse.Namespace) -> int:
    user, password = log_in(ctx, args.user)
    command = args.patient_command
    if command == "dlt-review":
        seq = dlt_review.review_dlt(
            ctx,
            user,
            args.patient,
            stream=args.stream,
            adverse_event_seq=args.seq,
            confirmed=args.confirm,
            reason=args.why,
            password=password,
        )
        verdict = "confirmed" if args.confirm else "rejected"
        said = (
            f"DLT {args.stream} #{args.seq} {verdict} (entry {seq} of patient {args.patient}), "
            f"signed by {user.printed_name}"
        )
        done: dict[str, Any] = {"review_seq": seq, "verdict": verdict}
    else:
        at = parse_time("at", args.at) if args.at is not None else None
        if command == "ae":
            recorded = patient_aes.record_patient_ae(
                ctx,
                user,
                args.patient,
                declared_values(ADVERSE_EVENT, args),
                at=at,
                reason=args.reason,
            )
            flags = "".join(
                [
                    ", flagged as a DLT" if recorded.dlt else "",
                    f", report due by {read_at(recorded.report_due_at, ctx.time_zone)}"
                    if recorded.report_due_at is not None
                    else "",
                ]
            )
            said = f"recorded adverse event {recorded.seq} of patient {args.patient}{flags}"
            done = {
                "seq": recorded.seq,
                "dlt": recorded.dlt,
                "report_due_at": recorded.report_due_at,
            }
        else:
            seq = patient_aes.report_patient_sae(
                ctx, user, args.patient, args.adverse_event_seq, at=at, reason=args.reason
            )
            said = (
                f"report of serious adverse event {args.adverse_event_seq} of patient "
                f"{args.patient} recorded (entry {seq})"
            )
            done = {"seq": seq, "adverse_event_seq": args.adverse_event_seq}
    if args.json:
        print_json({"patient": args.patient, "done": command, **done})
    else:
        print(said)
    return EXIT_OK
