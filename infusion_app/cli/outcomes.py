"""The patient's outcomes on the command line: ``patient lab``, ``labs-import``,
``transfusion``, ``last-contact`` (nurse or investigator), ``tumour``, ``progression`` and
``death`` (the investigator, signed: the password read for ``--user`` is the signature), and
``patient response`` (a read: counts with their grades, the haematological response, the
tumour response and the survival times).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import count_argument, parse_date, parse_time, print_json
from infusion_app.cli.context import log_in
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.file_guard import read_text_input_file
from infusion_app.logic.labs import MAX_UNITS, Lineage
from infusion_app.logic.reading_time import read_at, zone_label
from infusion_app.logic.survival import SurvivalTime
from infusion_app.logic.text_rules import TRIAL_ID_MAX, check_text
from infusion_app.services import outcomes
from infusion_app.services.context import AppContext, CurrentUser

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

COMMANDS = frozenset(
    {
        "lab",
        "labs-import",
        "transfusion",
        "last-contact",
        "tumour",
        "progression",
        "death",
        "response",
    }
)
MAX_LABS_FILE = 1_000_000


def add_outcome_commands(patient_commands: Sub) -> None:
    lab = _act(patient_commands.add_parser("lab", help="record a blood count (nurse)"))
    lab.add_argument("--hb", required=True, help="haemoglobin, g/L")
    lab.add_argument("--anc", required=True, help="absolute neutrophil count, 10^9/L")
    lab.add_argument("--plt", required=True, help="platelets, 10^9/L")
    lab.add_argument("--wbc", help="white cells, 10^9/L")
    lab.add_argument("--lym", help="lymphocytes, 10^9/L")
    lab.add_argument("--at", required=True, help="when drawn, ISO 8601 with offset")

    imported = _act(
        patient_commands.add_parser(
            "labs-import", help="record blood counts from a CSV file (time,hb,anc,plt[,wbc,lym])"
        )
    )
    imported.add_argument("file", type=Path, help="the CSV file: all rows or none")

    transfusion = _act(patient_commands.add_parser("transfusion", help="record a transfusion"))
    transfusion.add_argument("--kind", required=True, choices=("rbc", "platelets"))
    transfusion.add_argument(
        "--units", required=True, type=count_argument("units", high=MAX_UNITS), help="units"
    )
    transfusion.add_argument("--at", required=True, help="when given, ISO 8601 with offset")

    contact = _act(
        patient_commands.add_parser("last-contact", help="the patient was known alive on a date")
    )
    contact.add_argument("--at", required=True, help="the date, YYYY-MM-DD")

    tumour = _act(
        patient_commands.add_parser(
            "tumour", help="a tumour assessment's overall response (investigator, signed)"
        )
    )
    tumour.add_argument("--response", required=True, help="CR, PR, SD, PD or NE (RECIST 1.1)")
    tumour.add_argument("--at", required=True, help="the assessment's date, YYYY-MM-DD")

    progression = _act(
        patient_commands.add_parser("progression", help="the progression date (signed)")
    )
    progression.add_argument("--at", required=True, help="the date, YYYY-MM-DD")

    death = _act(patient_commands.add_parser("death", help="the date and cause of death (signed)"))
    death.add_argument("--at", required=True, help="the date, YYYY-MM-DD")
    death.add_argument("--cause", required=True, help="the cause, one line")

    response = patient_commands.add_parser(
        "response", help="blood counts and grades, the response, the survival times"
    )
    response.add_argument("patient", help="trial ID")
    response.add_argument("--at", help="as it is at this time, ISO 8601 with offset")
    response.add_argument("--json", action="store_true", help="print one JSON object")


def _act(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("patient", help="trial ID")
    parser.add_argument("--user", required=True, help="who records it (asked for a password)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def run_outcomes(ctx: AppContext, args: argparse.Namespace) -> int:
    trial_id = check_text("patient", args.patient, TRIAL_ID_MAX)
    command = args.patient_command
    if command == "response":
        at = parse_time("at", args.at) if args.at is not None else None
        shown = outcomes.patient_outcomes(ctx, trial_id, at=at)
        if args.json:
            print_json(response_summary(shown))
        else:
            print_response(shown, ctx.time_zone)
        return EXIT_OK
    # what can be checked before anyone is asked for a password
    when = parse_time("at", args.at) if command in ("lab", "transfusion") else None
    day = parse_date("at", args.at) if command in _DATED else None
    text = (
        read_text_input_file(args.file, "file", max_bytes=MAX_LABS_FILE)
        if command == "labs-import"
        else None
    )
    user, password = log_in(ctx, args.user)
    done: dict[str, Any]
    if command == "lab":
        assert when is not None
        values = {k: getattr(args, k) for k in ("hb", "anc", "plt", "wbc", "lym")}
        seq = outcomes.record_lab(
            ctx, user, trial_id, {k: v for k, v in values.items() if v is not None}, drawn_at=when
        )
        said, done = f"blood count recorded (entry {seq} of {trial_id})", {"seq": seq}
    elif command == "labs-import":
        assert text is not None
        n = outcomes.import_labs(ctx, user, trial_id, text, source=args.file.name)
        said, done = f"{n} blood counts recorded from {args.file.name}", {"recorded": n}
    elif command == "transfusion":
        assert when is not None
        seq = outcomes.record_transfusion(
            ctx, user, trial_id, kind=args.kind, units=args.units, given_at=when
        )
        said, done = f"transfusion recorded (entry {seq} of {trial_id})", {"seq": seq}
    else:
        assert day is not None
        seq = _dated(ctx, args, user, trial_id, day, password)
        said, done = f"{command} recorded (entry {seq} of {trial_id})", {"seq": seq}
    if args.json:
        print_json(done)
    else:
        print(said)
    return EXIT_OK


_DATED = ("last-contact", "tumour", "progression", "death")


def _dated(
    ctx: AppContext,
    args: argparse.Namespace,
    user: CurrentUser,
    trial_id: str,
    day: date,
    password: str,
) -> int:
    command = args.patient_command
    if command == "last-contact":
        return outcomes.record_last_contact(ctx, user, trial_id, on=day)
    if command == "tumour":
        return outcomes.record_tumour_assessment(
            ctx, user, trial_id, response=args.response, assessed_on=day, password=password
        )
    if command == "progression":
        return outcomes.record_progression(ctx, user, trial_id, on=day, password=password)
    return outcomes.record_death(ctx, user, trial_id, on=day, cause=args.cause, password=password)


def response_summary(shown: outcomes.PatientOutcomes) -> dict[str, Any]:
    """Plain data: lab values as exact strings, times ISO, null where nothing applies."""
    response = shown.response
    entries = shown.entries
    summary: dict[str, Any] = {
        "patient": shown.trial_id,
        "protocol": shown.protocol.label,
        "at": shown.at,
        "labs": [
            {
                "seq": row.seq,
                "drawn_at": row.test.drawn_at,
                **{
                    lineage.value: str(value)
                    for lineage in Lineage
                    if (value := row.test.value(lineage)) is not None
                },
                "grades": {lineage.value: grade for lineage, grade in row.grades.items()},
                "source": row.source,
            }
            for row in shown.labs
        ],
        "transfusions": [
            {"given_at": t.given_at, "kind": t.kind.value, "units": t.units} for t in entries.given
        ],
        "haematological_response": None,
        "tumour": {
            "assessments": [
                {"on": a.on, "response": a.response.value} for a in entries.assessments
            ],
            "best_overall_response": shown.best_response.value if shown.best_response else None,
            "progression": entries.progression,
            "death": entries.death,
            "cause_of_death": entries.cause_of_death,
            "last_contact": entries.last_contact,
            "pfs": _time(shown.pfs),
            "os": _time(shown.os),
        },
    }
    if response is not None:
        summary["haematological_response"] = {
            "provisional": shown.response_provisional,
            "baseline": {k.value: _exact(v) for k, v in response.baseline.items()},
            **{
                f"week_{w.week}": {
                    "date": w.day,
                    "status": w.status.value,
                    "best": w.best.value,
                }
                for w in response.weeks
            },
            "achieved": response.achieved,
            "time_to_response_days": response.time_to_response_days,
            "duration_of_response": {
                "start": response.duration.start,
                "end": response.duration.end,
                "days": response.duration.days,
                "event": response.duration.event,
            },
        }
    return summary


def _exact(value: object) -> str | None:
    return None if value is None else str(value)


def _time(value: SurvivalTime | None) -> dict[str, Any] | None:
    return None if value is None else {"days": value.days, "event": value.event}


def print_response(shown: outcomes.PatientOutcomes, zone: tzinfo) -> None:
    """The outcomes as a person reads them: times in the station's zone, named once."""
    print(
        f"patient {shown.trial_id} ({shown.protocol.label}), as of {_stamp(shown.at, zone)} "
        f"({zone_label(zone, shown.at)})"
    )
    if not shown.labs:
        print("no blood counts recorded")
    for row in shown.labs:
        values = ", ".join(
            f"{lineage.value} {value} (grade {row.grades.get(lineage, 0)})"
            for lineage in Lineage
            if (value := row.test.value(lineage)) is not None
        )
        print(f"  {_stamp(row.test.drawn_at, zone)}  {values}")
    for given in shown.entries.given:
        print(f"  transfusion {given.kind.value} x{given.units} at {_stamp(given.given_at, zone)}")
    response = shown.response
    if response is not None:
        note = " (provisional: the course's last infusion is not known yet)"
        print("haematological response" + (note if shown.response_provisional else "") + ":")
        for week in response.weeks:
            print(f"  week {week.week} ({week.day}): {week.status.value}, best {week.best.value}")
        for key, days in response.time_to_response_days.items():
            if days is not None:
                print(f"  time to response ({key}): {days} days")
        d = response.duration
        if d.start is not None:
            end = "censored" if not d.event else "ended"
            print(f"  duration of response: {d.days} days from {_stamp(d.start, zone)} ({end})")
    entries = shown.entries
    if entries.assessments:
        said = ", ".join(f"{a.on} {a.response.value}" for a in entries.assessments)
        best = shown.best_response.value if shown.best_response else "-"
        print(f"tumour assessments: {said}; best overall response {best}")
    for name, time in (("PFS", shown.pfs), ("OS", shown.os)):
        if time is not None:
            print(f"{name}: {time.days} days ({'event' if time.event else 'censored'})")


def _stamp(moment: datetime, zone: tzinfo) -> str:
    return read_at(moment, zone)
