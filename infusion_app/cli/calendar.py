"""The patient's calendar and the site's day on the command line.

``visit record --patient P001 ITEM_KEY`` and ``sample collect --patient P001 ITEM_KEY`` record
an item of the patient's calendar (its key as the calendar names it, e.g.
``follow_up_weekly:28d``, ``acute_check:2:24h``, ``immunology:7d``); ``--at`` with ``--reason``
back-enters it like the bedside steps, and ``--reason`` also says why an item is recorded
after its window closed. ``worklist`` prints the site's day: today's infusions, the calendar
items due or overdue, and every open SAE report, for every patient.
"""

from __future__ import annotations

import argparse
from datetime import tzinfo
from pathlib import Path
from typing import Any, TypeAlias

from infusion_app.cli.common import parse_time, print_json
from infusion_app.cli.context import log_in, open_context
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic.countdown import format_remaining
from infusion_app.logic.course import Occurrence
from infusion_app.logic.reading_time import read_at, zone_label
from infusion_app.services import calendar_acts
from infusion_app.services.site_day import SiteDay, site_day

Sub: TypeAlias = "argparse._SubParsersAction[Any]"


def add_calendar_commands(commands: Sub) -> None:
    visit = commands.add_parser("visit", help="a visit, check or assessment of the calendar")
    visits = visit.add_subparsers(dest="visit_command", required=True)
    _record(visits.add_parser("record", help="a visit, check or assessment done"))

    sample = commands.add_parser("sample", help="a sample of the calendar")
    samples = sample.add_subparsers(dest="sample_command", required=True)
    collect = _record(samples.add_parser("collect", help="a sample taken"))
    collect.add_argument("--sample-id", help="the tube's label or accession number")

    worklist = commands.add_parser(
        "worklist", help="the site's day: infusions, visits and samples due, open SAE reports"
    )
    worklist.add_argument("--at", help="as it is at this time (default: now)")
    worklist.add_argument("--patient", default="", help="only patients matching this trial ID")
    worklist.add_argument("--station", dest="only_station", help="only this station's infusions")
    worklist.add_argument("--json", action="store_true", help="print one JSON object")


def _record(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("item", metavar="ITEM_KEY", help="the calendar item, e.g. immunology:7d")
    parser.add_argument("--patient", required=True, help="trial ID")
    parser.add_argument("--user", required=True, help="who did it (asked for a password)")
    parser.add_argument("--at", help="when it was done, ISO 8601 with offset (default: now)")
    parser.add_argument(
        "--reason", help="why late: after its window closed, or entered > 5 min afterwards"
    )
    parser.add_argument("--note", help="a note, one line")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def run_calendar(args: argparse.Namespace, protocols: Path) -> int:
    ctx = open_context(args, protocols)
    try:
        if args.command == "worklist":
            at = parse_time("at", args.at) if args.at is not None else None
            day = site_day(ctx, at, station=args.only_station, trial_id=args.patient)
            if args.json:
                print_json(day_summary(day))
            else:
                _print_day(day, ctx.time_zone)
            return EXIT_OK
        user, _ = log_in(ctx, args.user)
        at = parse_time("at", args.at) if args.at is not None else None
        if args.command == "visit":
            done = calendar_acts.record_visit(
                ctx, user, args.patient, args.item, at=at, reason=args.reason, note=args.note
            )
        else:
            done = calendar_acts.collect_sample(
                ctx,
                user,
                args.patient,
                args.item,
                sample_id=args.sample_id,
                at=at,
                reason=args.reason,
                note=args.note,
            )
        if args.json:
            print_json({"patient": args.patient, **occurrence_summary(done)})
        else:
            print(
                f"{done.key} of patient {args.patient} recorded ({done.status.value}): {done.label}"
            )
        return EXIT_OK
    finally:
        ctx.db.dispose()


def occurrence_summary(o: Occurrence) -> dict[str, Any]:
    record = o.record
    return {
        "item": o.key,
        "label": o.label,
        "kind": o.item.kind,
        "opens": o.opens,
        "closes": o.closes,
        "status": o.status.value,
        "at": record.at if record else None,
        "by": record.by if record else None,
        "reason": record.reason if record else None,
        "note": record.note if record else None,
        "sample_id": record.sample_id if record else None,
    }


def day_summary(day: SiteDay) -> dict[str, Any]:
    return {
        "now": day.now,
        "infusions": [
            {
                "infusion": r.infusion_id,
                "patient": r.trial_id,
                "number": r.number,
                "product": r.product_id,
                "station": r.station,
                "step": r.step.value,
                "status": r.status,
                "next_due": (
                    {"label": r.next_due.label, "in": r.next_due.text, "overdue": r.overdue}
                    if r.next_due
                    else None
                ),
            }
            for r in day.infusions
        ],
        "calendar": [
            {
                "patient": r.trial_id,
                "item": r.key,
                "label": r.label,
                "kind": r.kind,
                "opens": r.opens,
                "closes": r.closes,
                "status": r.status.value,
                "overdue": r.overdue,
            }
            for r in day.calendar
        ],
        "sae_reports": [
            {
                "patient": r.trial_id,
                "stream": r.stream,
                "infusion": r.infusion_id,
                "adverse_event_seq": r.adverse_event_seq,
                "term": r.term,
                "grade": r.grade,
                "due_at": r.due_at,
                "overdue": r.overdue,
            }
            for r in day.sae_reports
        ],
    }


def _print_day(day: SiteDay, zone: tzinfo) -> None:
    """The day as a person reads it: local minutes in the station's zone, named once."""
    print(f"Site day at {read_at(day.now, zone)} ({zone_label(zone, day.now)})")
    print("Infusions today:" if day.infusions else "Infusions today: none")
    for i in day.infusions:
        due = f"; {i.next_due.label} {i.next_due.text}".rstrip() if i.next_due else ""
        print(f"  {i.trial_id}/{i.number}  {i.product_id}  {i.step.value}, {i.status}{due}")
    print("Visits, checks and samples:" if day.calendar else "Visits, checks and samples: none")
    for c in day.calendar:
        flag = "OVERDUE" if c.overdue else c.status.value
        window = (
            f"{read_at(c.opens, zone)} to {read_at(c.closes, zone)}"
            if c.opens is not None and c.closes is not None
            else "before the first infusion"
        )
        print(f"  {flag:<8} {c.trial_id}  {c.key}  {c.label}  ({window})")
    print("SAE reports open:" if day.sae_reports else "SAE reports open: none")
    for s in day.sae_reports:
        left = (s.due_at - day.now).total_seconds()
        when = "OVERDUE" if s.overdue else f"due in {format_remaining(left)}"
        print(
            f"  {when:<8} {s.trial_id}  {s.stream} #{s.adverse_event_seq}  {s.term}, grade "
            f"{s.grade}: report by {read_at(s.due_at, zone)}"
        )
