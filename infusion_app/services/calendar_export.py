"""``patient calendar --ics``: the plan and the visit calendar of a patient for the site's
calendar program, as an iCalendar file.

The entries are the patient view's rows (:mod:`infusion_app.services.patient_view`), so the
file says what the page and ``patient show`` say. Writing it is an output like a printed
record: audited (``record_printed``, who exported which patient at which head of their log)
and written through the app's output-file rules (:func:`records.save_document`: never over a
database file, a link or a device; in place only after the audit).

What goes in: every infusion of the plan that has a date (given: its start; not given: its
window as whole local days) and every dated calendar occurrence (day windows as whole local
days, hour and minute windows as exact UTC times). Undated ones (infusion 1 before it is
given, items whose anchor has not happened) have nothing to put in a calendar yet.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from infusion_app.logic import messages as m
from infusion_app.logic.course import CalendarStatus, PlanStatus
from infusion_app.records.icalendar import CalendarEntry, icalendar
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.patient_view import (
    CalendarRow,
    PatientView,
    PlanRow,
    build_view,
    read_course,
)
from infusion_app.services.records import Document, save_document

UID_DOMAIN = "infusion-app"


def plan_key(number: int) -> str:
    return f"infusion:{number}"


def entry_uid(trial_id: str, key: str) -> str:
    """Stable across exports: the patient and the plan's or calendar's key."""
    return f"{trial_id}/{key}@{UID_DOMAIN}"


def calendar_entries(view: PatientView) -> list[CalendarEntry]:
    entries = [e for row in view.plan if (e := _plan_entry(view, row)) is not None]
    entries.extend(e for row in view.calendar if (e := _calendar_entry(view, row)) is not None)
    return entries


def _day(view: PatientView, moment: datetime) -> date:
    return moment.astimezone(view.zone).date()


def _window(view: PatientView, opens: datetime | None, closes: datetime | None, day: bool) -> str:
    shown = view.window_text(opens, closes, all_day=day)
    return f"window {shown} ({view.zone_name})" if shown else ""


def _plan_entry(view: PatientView, row: PlanRow) -> CalendarEntry | None:
    lines = [
        f"started {view.local(row.started_at)}" if row.started_at is not None else "",
        f"status: {row.status.value}, level {row.level}",
        f"target {row.target.isoformat()}" if row.target is not None else "",
        _window(view, row.opens, row.closes, True),
        str(m.view_deviation(reason=row.deviation)) if row.deviation else "",
        str(row.not_given_reason) if row.not_given_reason is not None else "",
    ]
    description = "\n".join(line for line in lines if line)
    summary = f"{view.trial_id}: {row.of_text} ({row.level})"
    uid = entry_uid(view.trial_id, plan_key(row.number))
    if row.started_at is not None:
        return CalendarEntry(uid, summary, row.started_at, None, description)
    if row.target is None or row.opens is None or row.closes is None:
        return None
    return CalendarEntry(
        uid,
        summary,
        _day(view, row.opens),
        _day(view, row.closes),
        description,
        cancelled=row.status is PlanStatus.NOT_GIVEN,
    )


def _calendar_entry(view: PatientView, row: CalendarRow) -> CalendarEntry | None:
    if row.opens is None or row.closes is None:
        return None
    lines = [
        f"{row.kind}, status: {row.status.value}",
        _window(view, row.opens, row.closes, row.all_day),
        f"done {view.local(row.done_at)} by {row.by or 'unknown'}" if row.done_at else "",
        f"sample {row.sample_id}" if row.sample_id else "",
        f"reason: {row.reason}" if row.reason else "",
    ]
    start: date | datetime = _day(view, row.opens) if row.all_day else row.opens
    end: date | datetime = _day(view, row.closes) if row.all_day else row.closes
    return CalendarEntry(
        entry_uid(view.trial_id, row.key),
        f"{view.trial_id}: {row.label}",
        start,
        end,
        "\n".join(line for line in lines if line),
        cancelled=row.status is CalendarStatus.CANCELLED,
    )


def calendar_document(
    ctx: AppContext, trial_id: str, now: datetime | None = None
) -> tuple[PatientView, Document]:
    """The view and its iCalendar file, read in one transaction (nothing written)."""
    moment = now or ctx.now()
    course, head_hash = read_course(ctx, trial_id)
    view = build_view(course, moment)
    data = icalendar(
        calendar_entries(view), stamp=moment, name=f"{view.trial_id} ({view.protocol})"
    )
    head_seq = course.events[-1].seq if course.events else None
    document = Document(
        data,
        "course calendar",
        f"patient {view.trial_id}",
        f"calendar-{view.trial_id}.ics",
        head_hash,
        head_seq,
    )
    return view, document


def export_calendar(
    ctx: AppContext, actor: CurrentUser, trial_id: str, target: str | os.PathLike[str]
) -> tuple[PatientView, Path]:
    """Write the file at ``target`` (audited as ``actor``'s output); returns the path."""
    view, document = calendar_document(ctx, trial_id)
    return view, save_document(ctx, actor, document, target)
