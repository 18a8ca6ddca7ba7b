"""Headless bedside commands: the same services as the window, for back-entry after
downtime, scripting and tests.

Every write command takes ``--user`` and reads that user's password from the terminal, or
one line from standard input; a signed step (start, stop, end, correction, dose
verification, release) uses the same password as its signature. ``--at`` gives the bedside
time (ISO 8601 with offset): not in the future, and more than 5 min back only with
``--reason``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import count_argument, parse_date, parse_time, print_json, read_coa
from infusion_app.cli.context import log_in, open_context
from infusion_app.cli.course import COMMANDS as COURSE_COMMANDS
from infusion_app.cli.course import add_course_commands, run_course
from infusion_app.cli.declared import add_declared_flags, declared_values
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.cli.outcomes import COMMANDS as OUTCOME_COMMANDS
from infusion_app.cli.outcomes import add_outcome_commands, run_outcomes
from infusion_app.cli.patient_aes import COMMANDS as AE_COMMANDS
from infusion_app.cli.patient_aes import add_patient_ae_commands, run_patient_aes
from infusion_app.cli.patient_view import COMMANDS as VIEW_COMMANDS
from infusion_app.cli.patient_view import add_view_commands, run_view
from infusion_app.logic.reading_time import read_at
from infusion_app.logic.summaries import infusion_summary, release_summary
from infusion_app.logic.text_rules import (
    LOT_MAX,
    PRODUCT_ID_MAX,
    check_payload_text,
    check_text,
    optional_text,
)
from infusion_app.services import bedside, infusions, patients, products
from infusion_app.services.bedside import Outcome
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.status import find_infusion, infusion_status
from infusion_app.texts import render

MAX_INFUSION_NUMBER = 999

Sub: TypeAlias = "argparse._SubParsersAction[Any]"  # of cli._Parser: usage errors exit 2


def add_bedside_commands(commands: Sub) -> None:
    patient = commands.add_parser("patient", help="a trial patient and their course")
    patient_commands = patient.add_subparsers(dest="patient_command", required=True)
    add = _write(patient_commands.add_parser("add", help="register a patient and their weight"))
    add.add_argument("--trial-id", required=True)
    add.add_argument("--initials", required=True)
    add.add_argument("--sex", required=True, help="female, male, other or unknown")
    add.add_argument("--weight-kg", required=True)
    add.add_argument("--weight-measured-at", help="ISO 8601 time (default: now)")
    add.add_argument("--protocol", required=True, help="protocol ID")
    add.add_argument("--dose-level", required=True, help="dose level or group ID")
    add.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    add.add_argument(
        "--age",
        type=count_argument("age", low=0, high=150),
        help="age in years (when the date of birth is not known)",
    )
    weight = _write(
        patient_commands.add_parser("weight", help="record a new body weight (dose uses it)")
    )
    weight.add_argument("--patient", required=True, help="trial ID")
    weight.add_argument("--weight-kg", required=True)
    weight.add_argument("--at", help="when it was measured, ISO 8601 with offset (default: now)")
    weight.add_argument("--reason", help="why it is entered late (needed > 5 min back)")
    add_course_commands(patient_commands)
    add_patient_ae_commands(patient_commands)
    add_view_commands(patient_commands)
    add_outcome_commands(patient_commands)

    product = commands.add_parser("product", help="register and release cell products")
    product_commands = product.add_subparsers(dest="product_command", required=True)
    add_product = _write(product_commands.add_parser("add", help="register a product's CoA"))
    add_product.add_argument("--coa", required=True, type=Path, help="CoA JSON file")
    release = _write(product_commands.add_parser("release", help="release, signed"))
    release.add_argument("product_id")
    dispense = _write(product_commands.add_parser("dispense", help="dispense, signed"))
    dispense.add_argument("product_id")
    for verb, help in (
        ("return", "back to the pharmacy unused (before the start), signed, with the reason"),
        ("discard", "destroyed (damaged, expired, left over), signed, with the reason"),
    ):
        end = _write(product_commands.add_parser(verb, help=help))
        end.add_argument("product_id")
        end.add_argument("--why", required=True, help="the reason, one line")

    infusion = commands.add_parser("infusion", help="the bedside steps of an infusion")
    steps = infusion.add_subparsers(dest="infusion_command", required=True, metavar="STEP")
    new = _write(steps.add_parser("new", help="create the record of an infusion"))
    new.add_argument("--patient", required=True, help="trial ID")
    new.add_argument("--product", required=True, help="product ID")
    new.add_argument(
        "--number",
        required=True,
        type=count_argument("number", high=MAX_INFUSION_NUMBER),
        help="cycle or dose number",
    )

    for step in bedside.STEPS:
        if step.cli:
            _declared(steps, step)
    status = steps.add_parser("status", help="state, current step and due items")
    status.add_argument("infusion", help="infusion ID or PATIENT/NUMBER (e.g. P001/1)")
    status.add_argument("--at", help="as it is at this time (default: now)")
    status.add_argument("--json", action="store_true", help="print one JSON object")


def _write(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--user", required=True, help="who does it (asked for a password)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _step(steps: Sub, name: str, help: str, *, at: bool = False) -> argparse.ArgumentParser:
    parser = _write(steps.add_parser(name, help=help))
    parser.add_argument("infusion", help="infusion ID or PATIENT/NUMBER (e.g. P001/1)")
    if at:
        parser.add_argument("--at", help="bedside time, ISO 8601 with offset (default: now)")
        parser.add_argument("--reason", help="why it is entered late (needed > 5 min back)")
    return parser


def _declared(steps: Sub, step: bedside.BedsideStep) -> None:
    """A bedside step's sub-command, from its declaration."""
    parser = _step(steps, step.name, step.help, at=step.timed)
    add_declared_flags(parser, step)


def _perform(
    ctx: AppContext, user: CurrentUser, password: str, infusion_id: int, args: argparse.Namespace
) -> Outcome:
    """The step named on the command line, with its flags as its declaration says."""
    step = bedside.step_named(args.infusion_command)
    values = declared_values(step, args)
    return bedside.perform(
        ctx,
        user,
        infusion_id,
        step,
        values,
        password=password if step.meaning is not None else None,
        at=parse_time("at", args.at) if getattr(args, "at", None) is not None else None,
        late_reason=getattr(args, "reason", None) if step.timed else None,
    )


def _log_in(ctx: AppContext, args: argparse.Namespace) -> tuple[CurrentUser, str]:
    return log_in(ctx, args.user)


def run_patient(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
        if args.patient_command in COURSE_COMMANDS:
            return run_course(ctx, args)
        if args.patient_command in AE_COMMANDS:
            return run_patient_aes(ctx, args)
        if args.patient_command in OUTCOME_COMMANDS:
            return run_outcomes(ctx, args)
        if args.patient_command in VIEW_COMMANDS:
            return run_view(ctx, args)
        user, _ = _log_in(ctx, args)
        if args.patient_command == "weight":
            return _weight(ctx, user, args)
        measured = (
            parse_time("weight_measured_at", args.weight_measured_at)
            if args.weight_measured_at is not None
            else ctx.now()
        )
        warnings = patients.register_patient(
            ctx,
            user,
            trial_id=args.trial_id,
            initials=args.initials,
            sex=args.sex,
            weight_kg=args.weight_kg,
            weight_measured_at=measured,
            protocol_id=args.protocol,
            dose_level=args.dose_level,
            date_of_birth=_date("dob", args.dob),
            age_years=args.age,
        )
        for warning in warnings:
            print(f"acknowledged: {warning}")
        print(f"patient {args.trial_id} registered")
        return EXIT_OK
    finally:
        ctx.db.dispose()


def _weight(ctx: AppContext, user: CurrentUser, args: argparse.Namespace) -> int:
    measured = parse_time("at", args.at) if args.at is not None else ctx.now()
    warnings = patients.record_weight(
        ctx, user, args.patient, args.weight_kg, measured, reason=args.reason
    )
    for warning in warnings:
        print(f"acknowledged: {warning}")
    if args.json:
        print_json({"patient": args.patient, "weight_kg": args.weight_kg, "measured_at": measured})
    else:
        print(f"weight {args.weight_kg} kg recorded for patient {args.patient}")
    return EXIT_OK


def run_product(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
        user, password = _log_in(ctx, args)
        if args.product_command == "add":
            coa = read_coa(args.coa)
            check_text("coa.product_id", coa.product_id, PRODUCT_ID_MAX)
            optional_text("coa.lot", coa.lot, LOT_MAX)
            check_payload_text(coa.model_dump(mode="json"), prefix="coa.")
            products.register_product(ctx, user, coa)
            print(f"product {coa.product_id} registered for patient {coa.patient_id}")
            return EXIT_OK
        if args.product_command in ("return", "discard"):
            end = (
                products.return_product
                if args.product_command == "return"
                else products.discard_product
            )
            end(ctx, user, args.product_id, args.why, password)
            done = "returned" if args.product_command == "return" else "discarded"
            if args.json:
                print_json({"product": args.product_id, "status": done})
            else:
                print(f"product {args.product_id} {done}, signed by {user.printed_name}")
            return EXIT_OK
        act = (
            products.release_product
            if args.product_command == "release"
            else (products.dispense_product)
        )
        check_text("product_id", args.product_id, PRODUCT_ID_MAX)
        check = act(ctx, user, args.product_id, password)
        if args.json:
            print_json(release_summary(check))
        else:
            print(
                f"product {args.product_id} {args.product_command}d, signed by {user.printed_name}"
            )
        return EXIT_OK
    finally:
        ctx.db.dispose()


def run_infusion(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
        if args.infusion_command == "status":
            return _status(ctx, args)
        user, password = _log_in(ctx, args)
        if args.infusion_command == "new":
            check_text("product", args.product, PRODUCT_ID_MAX)
            number = args.number
            infusion_id = infusions.create_infusion(ctx, user, args.patient, args.product, number)
            if args.json:
                print_json({"infusion": infusion_id})
            else:
                print(f"infusion {infusion_id} created ({args.patient}/{number})")
            return EXIT_OK
        infusion_id = find_infusion(ctx, args.infusion)
        outcome = _perform(ctx, user, password, infusion_id, args)
        _report(ctx, infusion_id, outcome, args)
        return EXIT_OK
    finally:
        ctx.db.dispose()


def _status(ctx: AppContext, args: argparse.Namespace) -> int:
    now = parse_time("at", args.at) if args.at is not None else None
    status = infusion_status(ctx, find_infusion(ctx, args.infusion), now)
    summary = infusion_summary(status.state, status.due, status.now)
    summary = {"infusion": status.infusion_id, "stream": status.stream, **summary}
    if args.json:
        print_json(summary)
        return EXIT_OK
    print(
        f"infusion {status.infusion_id} ({status.stream}), {status.protocol.label}: "
        f"step {summary['step']}, {summary['status']}"
    )
    if status.state.rate_gtt_per_min and status.state.running:
        print(f"  drip rate {status.state.rate_gtt_per_min} gtt/min")
    for item in summary["due"]:
        flag = "OVERDUE" if item["overdue"] else item["state"]
        when = read_at(item["due_at"], ctx.time_zone)
        said = render(item["message"], "en", ctx.time_zone)
        print(f"  {item['priority'].upper():<6} {flag:<8} {when}  {item['kind']}: {said}")
    return EXIT_OK


def _report(ctx: AppContext, infusion_id: int, outcome: Outcome, args: argparse.Namespace) -> None:
    status = infusion_status(ctx, infusion_id)
    if args.json:
        print_json(
            {
                "infusion": infusion_id,
                "seq": outcome.seq,
                "alarms": [
                    {
                        "priority": a.priority.value,
                        "code": a.code,
                        "message": a.message,
                        "suggested_action": a.suggested_action,
                    }
                    for a in outcome.alarms
                ],
                **infusion_summary(status.state, status.due, status.now),
            }
        )
        return
    print(
        f"recorded entry {outcome.seq}: step {status.state.step.value}, {status.state.status.value}"
    )
    for alarm in outcome.alarms:
        # an alarm of a vitals set is its stored English line (no time in it)
        print(f"ALARM {alarm.priority.value.upper()}: {alarm.message}: {alarm.suggested_action}")
    upcoming = [i for i in status.due if not i.kind.startswith("alarm:")][:1]
    for item in upcoming:
        said = render(item.message, "en", ctx.time_zone)
        print(f"next: {said} at {read_at(item.due_at, ctx.time_zone)}")


def _date(field: str, text: str | None) -> date | None:
    return None if text is None else parse_date(field, text)
