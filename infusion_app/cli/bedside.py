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
from infusion_app.cli.store import open_context, read_password
from infusion_app.logic.errors import InputError
from infusion_app.logic.summaries import infusion_summary, release_summary
from infusion_app.logic.text_rules import (
    FREE_TEXT_MAX,
    LOT_MAX,
    PRODUCT_ID_MAX,
    check_payload_text,
    check_text,
    optional_text,
)
from infusion_app.services import accounts, bedside, infusions, patients, products
from infusion_app.services.bedside import Outcome
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.status import find_infusion, infusion_status

EXIT_OK = 0
MAX_INFUSION_NUMBER = 999

Sub: TypeAlias = "argparse._SubParsersAction[Any]"  # of cli._Parser: usage errors exit 2


def add_bedside_commands(commands: Sub) -> None:
    patient = commands.add_parser("patient", help="register a trial patient")
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

    dose = _step(
        steps, "dose", "calculate dose and drip plan from today's weight and the CoA", at=True
    )
    dose.add_argument("--final-volume-ml", help="final bag volume after dilution")
    dose.add_argument("--drop-factor", help="drop factor of the set, gtt/mL (protocol default)")
    _step(steps, "verify-dose", "second person verifies the calculation (signed)", at=True)
    check = _step(steps, "check", "identify patient and bag (hard stop on any mismatch)", at=True)
    check.add_argument("--product", required=True, help="the bag's product ID (scanned)")
    check.add_argument("--wristband", help="scanned wristband code, e.g. MSC|P001|WL")
    check.add_argument("--trial-id", help="patient trial ID (with --initials or --dob)")
    check.add_argument("--initials")
    check.add_argument("--dob", help="date of birth, YYYY-MM-DD")
    _step(steps, "premed", "premedication given (drug, dose, route from the protocol)", at=True)
    _step(steps, "thaw", "product thawed and mixed at room temperature", at=True)
    start = _step(steps, "start", "start at the slow rate (signed)", at=True)
    start.add_argument(
        "--drop-factor",
        required=True,
        type=count_argument("drop_factor", high=1000),
        help="the set in use, gtt/mL",
    )
    start.add_argument("--override-reason", help="why a start outside the window is right")
    rate = _step(steps, "rate", "rate step after the slow phase", at=True)
    rate.add_argument(
        "--no-discomfort",
        action="store_true",
        required=True,
        help="the patient has no discomfort (required to step up)",
    )
    rate.add_argument(
        "--rate", type=count_argument("rate", high=1000), help="gtt/min (default: the plan's)"
    )
    hold = _step(steps, "hold", "discomfort: stay at the slow rate", at=True)
    hold.add_argument("--why", required=True)
    vitals = _step(steps, "vitals", "one set of vital signs", at=True)
    vitals.add_argument("--temp", required=True, help="temperature, °C")
    vitals.add_argument("--hr", required=True, help="heart rate, /min")
    vitals.add_argument("--bp", required=True, help="blood pressure, e.g. 120/80")
    vitals.add_argument("--rr", required=True, help="respiratory rate, /min")
    vitals.add_argument("--spo2", required=True, help="SpO2, %%")
    vitals.add_argument("--o2", default="air", help="air or oxygen (default air)")
    vitals.add_argument("--avpu", default="A", help="A, C, V, P or U (default A)")
    ae = _step(steps, "ae", "an adverse event (CTCAE v5.0)", at=True)
    ae.add_argument("--term", required=True, help="e.g. 'Infusion related reaction', Fever")
    ae.add_argument("--other-term", help="the term, for 'Other, specify'")
    ae.add_argument("--grade", help="1-5 (for fever, suggested from the temperature)")
    ae.add_argument("--temp", help="temperature to grade a fever from, °C")
    ae.add_argument(
        "--attribution", required=True, help="unrelated, unlikely, possible, probable or definite"
    )
    ae.add_argument("--serious", action="store_true", help="a serious adverse event")
    ae.add_argument("--started-at", help="when it started (default: --at or now)")
    ae.add_argument("--aware-at", help="when the team became aware (default: --at or now)")
    ae.add_argument("--action-taken", default="none")
    ae.add_argument("--outcome", default="not recovered / ongoing")
    ae.add_argument("--description")
    sae = _step(steps, "sae-reported", "a serious adverse event was reported", at=True)
    sae.add_argument(
        "--ae", required=True, type=count_argument("ae"), help="the adverse event's number (seq)"
    )
    pause = _step(steps, "pause", "pause the drip", at=True)
    pause.add_argument("--why", required=True)
    _step(steps, "resume", "resume after a pause", at=True)
    stop = _step(steps, "stop", "stop for good (signed)", at=True)
    stop.add_argument("--why", required=True)
    stop.add_argument("--volume-ml", required=True, help="volume given")
    end = _step(steps, "end", "the bag has run through (signed)", at=True)
    end.add_argument("--volume-ml", required=True, help="volume infused")
    end.add_argument("--override-reason", help="why an end outside the window is right")
    _step(steps, "observe-end", "the observation period is complete", at=True)
    follow = _step(steps, "follow-up", "acute (24 h) or delayed-reaction check done", at=True)
    follow.add_argument("--check", required=True, help="acute_24h, week_4, week_8, ...")
    follow.add_argument("--finding")
    correct = _step(steps, "correct", "correct an earlier entry (signed)")
    correct.add_argument(
        "--seq", required=True, type=count_argument("seq"), help="the entry to correct"
    )
    correct.add_argument("--reason", required=True, help="why the entry was wrong")
    correct.add_argument("--time", help="its corrected bedside time")
    correct.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="a corrected value, e.g. --set temperature_c=38.6 (repeatable)",
    )
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


def _log_in(ctx: AppContext, args: argparse.Namespace) -> tuple[CurrentUser, str]:
    password = read_password(f"Password for {args.user}: ")
    return accounts.log_in(ctx, args.user, password), password


def run_patient(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
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
        outcome = _STEPS[args.infusion_command](ctx, user, password, infusion_id, args)
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
        when = item["due_at"].isoformat(timespec="minutes")
        print(
            f"  {item['priority'].upper():<6} {flag:<8} {when}  {item['kind']}: {item['message']}"
        )
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
        print(f"ALARM {alarm.priority.value.upper()}: {alarm.message}: {alarm.suggested_action}")
    upcoming = [i for i in status.due if not i.kind.startswith("alarm:")][:1]
    for item in upcoming:
        print(f"next: {item.message} at {item.due_at.isoformat(timespec='minutes')}")


def _when(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "at": parse_time("at", args.at) if getattr(args, "at", None) is not None else None,
        "late_reason": getattr(args, "reason", None),
    }


def _date(field: str, text: str | None) -> date | None:
    return None if text is None else parse_date(field, text)


def _vitals(args: argparse.Namespace) -> dict[str, Any]:
    systolic, slash, diastolic = args.bp.partition("/")
    if not slash:
        raise InputError("bp", f"give systolic/diastolic, e.g. 120/80, got {args.bp!r}")
    return {
        "temperature_c": args.temp,
        "heart_rate_bpm": args.hr,
        "systolic_mmhg": systolic,
        "diastolic_mmhg": diastolic,
        "respiratory_rate_per_min": args.rr,
        "spo2_pct": args.spo2,
        "on_oxygen": args.o2,
        "avpu": args.avpu,
    }


def _changes(pairs: list[str]) -> dict[str, str]:
    changes = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise InputError("set", f"give FIELD=VALUE, got {pair!r}")
        name = check_text("set", name, 64)
        changes[name] = check_text(f"set {name}", value, FREE_TEXT_MAX, required=False)
    return changes


_STEPS: dict[str, Any] = {
    "dose": lambda ctx, user, pw, inf, a: bedside.calculate_infusion_dose(
        ctx,
        user,
        inf,
        final_volume_ml=a.final_volume_ml,
        drop_factor_gtt_per_ml=a.drop_factor,
        **_when(a),
    ),
    "verify-dose": lambda ctx, user, pw, inf, a: bedside.verify_dose(
        ctx, user, inf, pw, **_when(a)
    ),
    "check": lambda ctx, user, pw, inf, a: bedside.check_identity(
        ctx,
        user,
        inf,
        product_id=a.product,
        wristband=a.wristband,
        trial_id=a.trial_id,
        initials=a.initials,
        date_of_birth=_date("dob", a.dob),
        **_when(a),
    ),
    "premed": lambda ctx, user, pw, inf, a: bedside.give_premedication(ctx, user, inf, **_when(a)),
    "thaw": lambda ctx, user, pw, inf, a: bedside.record_thaw(ctx, user, inf, **_when(a)),
    "start": lambda ctx, user, pw, inf, a: bedside.start_infusion(
        ctx,
        user,
        inf,
        pw,
        drop_factor_gtt_per_ml=a.drop_factor,
        override_reason=a.override_reason,
        **_when(a),
    ),
    "rate": lambda ctx, user, pw, inf, a: bedside.change_rate(
        ctx,
        user,
        inf,
        no_discomfort=a.no_discomfort,
        rate_gtt_per_min=a.rate,
        **_when(a),
    ),
    "hold": lambda ctx, user, pw, inf, a: bedside.hold_slow_rate(ctx, user, inf, a.why, **_when(a)),
    "vitals": lambda ctx, user, pw, inf, a: bedside.record_vitals(
        ctx, user, inf, _vitals(a), **_when(a)
    ),
    "ae": lambda ctx, user, pw, inf, a: bedside.record_adverse_event(
        ctx,
        user,
        inf,
        term=a.term,
        other_term=a.other_term,
        grade=a.grade,
        temperature_c=a.temp,
        attribution=a.attribution,
        serious=a.serious,
        started_at=parse_time("started_at", a.started_at) if a.started_at is not None else None,
        aware_at=parse_time("aware_at", a.aware_at) if a.aware_at is not None else None,
        action_taken=a.action_taken,
        outcome=a.outcome,
        description=a.description,
        **_when(a),
    ),
    "sae-reported": lambda ctx, user, pw, inf, a: bedside.report_sae(
        ctx, user, inf, a.ae, **_when(a)
    ),
    "pause": lambda ctx, user, pw, inf, a: bedside.pause_infusion(
        ctx, user, inf, a.why, **_when(a)
    ),
    "resume": lambda ctx, user, pw, inf, a: bedside.resume_infusion(ctx, user, inf, **_when(a)),
    "stop": lambda ctx, user, pw, inf, a: bedside.stop_infusion(
        ctx, user, inf, pw, why=a.why, volume_given_ml=a.volume_ml, **_when(a)
    ),
    "end": lambda ctx, user, pw, inf, a: bedside.end_infusion(
        ctx,
        user,
        inf,
        pw,
        volume_infused_ml=a.volume_ml,
        override_reason=a.override_reason,
        **_when(a),
    ),
    "observe-end": lambda ctx, user, pw, inf, a: bedside.end_observation(
        ctx, user, inf, **_when(a)
    ),
    "follow-up": lambda ctx, user, pw, inf, a: bedside.record_follow_up(
        ctx, user, inf, a.check, finding=a.finding, **_when(a)
    ),
    "correct": lambda ctx, user, pw, inf, a: bedside.correct_event(
        ctx,
        user,
        inf,
        a.seq,
        pw,
        reason=a.reason,
        occurred_at=parse_time("time", a.time) if a.time is not None else None,
        changes=_changes(a.set),
    ),
}
