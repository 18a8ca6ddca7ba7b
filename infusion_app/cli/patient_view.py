"""Reading a patient's course: ``patient show ID`` and ``patient calendar ID [--ics FILE]``.

Both only read (no ``--user``), like ``infusion status``; ``--at`` shows the course as it
stood, or will stand, at another time. Writing the calendar to a file is an output, audited
like a printed record, so ``--ics`` asks who exports (``--user`` and their password).
Times are shown in the protocol's time zone, where its day windows are counted.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from typing import Any, TypeAlias

from infusion_app.cli.common import parse_time, print_json
from infusion_app.cli.context import log_in
from infusion_app.cli.exit_codes import EXIT_OK
from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.messages import Message
from infusion_app.logic.text_rules import TRIAL_ID_MAX, check_text
from infusion_app.services import calendar_export, output_files
from infusion_app.services.context import AppContext
from infusion_app.services.patient_view import (
    AdverseEventRow,
    CalendarRow,
    PatientView,
    PlanRow,
    patient_view,
)
from infusion_app.texts import render

Sub: TypeAlias = "argparse._SubParsersAction[Any]"

COMMANDS = frozenset({"show", "calendar"})


def add_view_commands(patient_commands: Sub) -> None:
    show = patient_commands.add_parser(
        "show", help="a patient's course: enrolment, plan, calendar, AEs, weights"
    )
    show.add_argument("patient", help="trial ID")
    show.add_argument("--at", help="as it is at this time, ISO 8601 with offset (default: now)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    cal = patient_commands.add_parser(
        "calendar", help="the plan and visit calendar; --ics writes an iCalendar file"
    )
    cal.add_argument("patient", help="trial ID")
    cal.add_argument("--at", help="as it is at this time (not with --ics: a file is of now)")
    cal.add_argument("--json", action="store_true", help="print one JSON object")
    cal.add_argument("--ics", metavar="FILE", help="write the calendar as iCalendar (RFC 5545)")
    cal.add_argument("--user", help="who exports (with --ics; asked for a password)")


def run_view(ctx: AppContext, args: argparse.Namespace) -> int:
    trial_id = check_text("patient", args.patient, TRIAL_ID_MAX)
    now = parse_time("at", args.at) if args.at is not None else None
    if args.patient_command == "calendar" and args.ics is not None:
        return _export(ctx, args, trial_id, now)
    view = patient_view(ctx, trial_id, now)
    if args.patient_command == "show":
        if args.json:
            print_json(view_json(view))
        else:
            print("\n".join(show_lines(view)))
        return EXIT_OK
    if args.json:
        print_json(
            {
                "patient": view.trial_id,
                "now": _t(view, view.now),
                "time_zone": view.zone_name,
                "plan": [_plan_json(view, row) for row in view.plan],
                "calendar": [_calendar_json(view, row) for row in view.calendar],
            }
        )
    else:
        print("\n".join([_heading(view), *_plan_lines(view), *_calendar_lines(view)]))
    return EXIT_OK


def _export(ctx: AppContext, args: argparse.Namespace, trial_id: str, now: datetime | None) -> int:
    if now is not None:
        raise InputError("at", "an iCalendar file is of now: leave out --at with --ics")
    if not args.user:
        raise InputError("user", "writing a file is audited: give --user (who exports)")
    # checked before the password is asked and before anything is read or committed
    target = output_files.check_target(os.path.expanduser(args.ics)).path
    user, _password = log_in(ctx, args.user)
    view, written = calendar_export.export_calendar(ctx, user, trial_id, target)
    if args.json:
        print_json({"patient": view.trial_id, "ics": str(written)})
    else:
        print(f"course calendar of patient {view.trial_id} written to {written}")
    return EXIT_OK


# --- words ------------------------------------------------------------------------------------


def _t(view: PatientView, moment: datetime | None) -> str | None:
    """A time in the protocol's zone, with its offset (JSON)."""
    return None if moment is None else moment.astimezone(view.zone).isoformat()


def _said(view: PatientView, message: Message) -> str:
    """A message of the page in English, its times as local minutes in the page's zone (the
    protocol's, named in the heading: the page is the trial calendar's, read in its days)."""
    return render(message, "en", view.zone)


def _heading(view: PatientView) -> str:
    age = f", {view.age_years} y" if view.age_years is not None else ""
    return (
        f"patient {view.trial_id} ({view.initials}, {view.sex}{age}), {view.protocol}; "
        f"times in {view.zone_name}, as of {view.local(view.now)}"
    )


def show_lines(view: PatientView) -> list[str]:
    lines = [_heading(view), _said(view, view.enrolment_text)]
    if view.enrolment_deviation is not None:
        lines.append(_said(view, view.enrolment_deviation))
    lines.append(f"level {view.current_level}: {view.current_level_label}")
    lines.extend(f"  level change {_said(view, c.text)}" for c in view.level_changes)
    if view.end is not None:
        details = f": {view.end.details}" if view.end.details else ""
        lines.append(f"{_said(view, view.end.text)}{details}, signed by {view.end.act.who}")
    if view.next is not None:
        row = view.next
        window = view.window_text(row.opens, row.closes, all_day=True)
        target = f", target {row.target.isoformat()}" if row.target is not None else ""
        lines.append(f"next: {row.of_text}{target}, window {window} ({row.status.value})")
    lines.extend(_plan_lines(view))
    lines.extend(_calendar_lines(view))
    lines.append("adverse events:" if view.adverse_events else "adverse events: none")
    lines.extend(f"  {_ae_line(view, row)}" for row in view.adverse_events)
    lines.append("weights:")
    lines.extend(
        f"  {w.weight_kg} kg measured {view.local(w.measured_at)} by {w.by or 'unknown'}"
        for w in view.weights
    )
    return lines


def _plan_lines(view: PatientView) -> list[str]:
    lines = ["plan:"]
    for row in view.plan:
        parts = [f"  {row.of_text!s:<24} {row.level:<4} {row.status.value:<10}"]
        if row.target is not None:
            window = view.window_text(row.opens, row.closes, all_day=True)
            parts.append(f"target {row.target.isoformat()} (window {window})")
        if row.started_at is not None:
            parts.append(f"started {view.local(row.started_at)}")
        if row.deviation:
            parts.append(str(m.view_deviation(reason=row.deviation)))
        if row.not_given_reason is not None:
            parts.append(_said(view, row.not_given_reason))
        lines.append("  ".join(parts).rstrip())
    return lines


def _calendar_lines(view: PatientView) -> list[str]:
    lines = ["calendar:"]
    for row in view.calendar:
        window = view.window_text(row.opens, row.closes, all_day=row.all_day) or "not dated yet"
        line = f"  {row.status.value:<13} {window:<36} {row.label}"
        if row.done_at is not None:
            line += f"; done {view.local(row.done_at)} by {row.by or 'unknown'}"
        if row.sample_id:
            line += f", sample {row.sample_id}"
        lines.append(line)
    return lines


def _ae_line(view: PatientView, row: AdverseEventRow) -> str:
    parts = [
        f"{view.local(row.started_at)} {row.term}, grade {row.grade} ({row.where}), "
        f"{row.attribution}"
    ]
    if row.dlt:
        parts.append("DLT")
    if row.sae_text is not None:
        parts.append(_said(view, row.sae_text))
    if row.review is not None:
        parts.append(_said(view, row.review.text))
    return "; ".join(parts)


# --- JSON -------------------------------------------------------------------------------------


def view_json(view: PatientView) -> dict[str, Any]:
    """``patient show --json``: times in the protocol's zone with their offset, dates as
    YYYY-MM-DD, each text in English beside the values it is made of."""
    return {
        "patient": view.trial_id,
        "initials": view.initials,
        "sex": view.sex,
        "age_years": view.age_years,
        "protocol": view.protocol,
        "time_zone": view.zone_name,
        "now": _t(view, view.now),
        "registered_at": _t(view, view.registered_at),
        "enrolment": (
            {
                "at": _t(view, view.enrolment.act.at),
                "dose_level": view.enrolment.dose_level,
                "by": view.enrolment.act.by,
                "signed_by": view.enrolment.act.signed_by,
            }
            if view.enrolment is not None
            else None
        ),
        "enrolment_text": view.enrolment_text,
        "enrolment_deviation": view.enrolment_deviation,
        "dose_level": view.current_level,
        "dose_level_label": view.current_level_label,
        "level_changes": [
            {
                "at": _t(view, c.act.at),
                "from_level": c.from_level,
                "to_level": c.to_level,
                "from_infusion": c.from_infusion,
                "reason": c.reason,
                "by": c.act.by,
                "signed_by": c.act.signed_by,
            }
            for c in view.level_changes
        ],
        "planned_infusions": view.planned_total,
        "min_infusions": view.min_infusions,
        "given": view.given_count,
        "next": _plan_json(view, view.next) if view.next is not None else None,
        "plan": [_plan_json(view, row) for row in view.plan],
        "calendar": [_calendar_json(view, row) for row in view.calendar],
        "adverse_events": [_ae_json(view, row) for row in view.adverse_events],
        "weights": [
            {
                "weight_kg": w.weight_kg,
                "measured_at": _t(view, w.measured_at),
                "by": w.by,
            }
            for w in view.weights
        ],
        "end": (
            {
                "at": _t(view, view.end.act.at),
                "reason": view.end.reason.value,
                "details": view.end.details,
                "by": view.end.act.by,
                "signed_by": view.end.act.signed_by,
            }
            if view.end is not None
            else None
        ),
        "dlt_window": (
            {"opens": _t(view, view.dlt_window.opens), "closes": _t(view, view.dlt_window.closes)}
            if view.dlt_window is not None
            else None
        ),
        "follow_up": {
            "opens": _t(view, view.follow_up.opens),
            "closes": _t(view, view.follow_up.closes),
        },
    }


def _plan_json(view: PatientView, row: PlanRow) -> dict[str, Any]:
    return {
        "number": row.number,
        "text": row.of_text,
        "level": row.level,
        "status": row.status.value,
        "target": row.target.isoformat() if row.target is not None else None,
        "opens": _t(view, row.opens),
        "closes": _t(view, row.closes),
        "started_at": _t(view, row.started_at),
        "schedule_deviation": row.deviation,
        "not_given": row.not_given_reason,
        "infusion": row.infusion_id,
    }


def _calendar_json(view: PatientView, row: CalendarRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "kind": row.kind,
        "status": row.status.value,
        "target": _t(view, row.target),
        "opens": _t(view, row.opens),
        "closes": _t(view, row.closes),
        "done_at": _t(view, row.done_at),
        "by": row.by,
        "recorded_at": _t(view, row.recorded_at),
        "reason": row.reason,
        "sample_id": row.sample_id,
    }


def _ae_json(view: PatientView, row: AdverseEventRow) -> dict[str, Any]:
    return {
        "stream": row.stream,
        "seq": row.seq,
        "infusion": row.infusion,
        "term": row.term,
        "grade": row.grade,
        "started_at": _t(view, row.started_at),
        "attribution": row.attribution,
        "serious": row.serious,
        "outcome": row.outcome,
        "dlt": row.dlt,
        "sae": row.sae.value,
        "report_due_at": _t(view, row.report_due_at),
        "reported_at": _t(view, row.reported_at),
        "dlt_review": (
            {
                "confirmed": row.review.confirmed,
                "reason": row.review.reason,
                "by": row.review.by,
                "signed_by": row.review.signed_by,
            }
            if row.review is not None
            else None
        ),
    }
