"""Recording the items of a patient's calendar: a visit, a check, an assessment, a sample.

One call, one transaction, one event on the patient's own stream (``visit_recorded`` or
``sample_collected``), so the calendar every screen shows is folded from that stream; the
record carries who did it (the event's user) and when (its occurred time, ``at``).

The calendar's rules are :func:`infusion_app.logic.course.check_record`'s: an item is
recorded once, never before its window opens, and after its window closed only with a
reason (it then shows as *late*). The bedside's back-entry rules hold too: ``at`` is not in
the future, not further back than the protocol's back-entry limit, not before the course
began, and more than 5 minutes back only with a reason. One ``reason`` serves both: why it is
late, or why it is entered afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import back_entry_limit, check_moment, check_times
from infusion_app.logic.course import (
    CalendarRecord,
    Occurrence,
    calendar,
    check_record,
    find_occurrence,
)
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import SampleCollected, VisitRecorded
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import (
    SHORT_TEXT_MAX,
    check_text,
    optional_free_text,
    optional_text,
)
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import load_course
from infusion_app.services.integrity import transaction
from infusion_app.services.patients import find_patient
from infusion_app.store.eventlog import append_event, lock_stream


def record_visit(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    key: str,
    *,
    at: datetime | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Occurrence:
    """A visit, check or assessment of the calendar done (``key`` as the calendar names it,
    e.g. ``follow_up_weekly:28d`` or ``acute_check:2:24h``); returns it as now recorded."""
    key = check_text("item", key, SHORT_TEXT_MAX)
    note = optional_free_text("note", note)
    return _record(
        ctx, actor, trial_id, key, VisitRecorded(item=key, note=note), at=at, reason=reason
    )


def collect_sample(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    key: str,
    *,
    sample_id: str | None = None,
    at: datetime | None = None,
    reason: str | None = None,
    note: str | None = None,
) -> Occurrence:
    """A sample of the calendar taken (``sample_id``: the tube's label or accession number)."""
    key = check_text("item", key, SHORT_TEXT_MAX)
    sample_id = optional_text("sample_id", sample_id, SHORT_TEXT_MAX)
    note = optional_free_text("note", note)
    model = SampleCollected(item=key, sample_id=sample_id, note=note)
    return _record(ctx, actor, trial_id, key, model, at=at, reason=reason)


def _record(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    key: str,
    model: VisitRecorded | SampleCollected,
    *,
    at: datetime | None,
    reason: str | None,
) -> Occurrence:
    reason = optional_free_text("reason", reason)
    now = ctx.now()
    with transaction(ctx) as session:
        user = require(session, actor, Action.RECORD_VISIT, now)
        patient = find_patient(session, trial_id)
        stream = patient_stream(patient.trial_id)
        lock_stream(session, stream)  # two stations cannot both record the same item
        course = load_course(ctx, session, patient)
        when = now
        if at is not None:
            when = check_moment(
                "at",
                plausible_utc("at", at),
                now,
                not_before=course.facts.starts_at,
                not_before_what=m.since_course_began(),
                limit=back_entry_limit(course.protocol),
            )
        check_times(when, now, reason, model.TYPE)
        occurrence = check_record(
            course.protocol,
            course.facts,
            key,
            when,
            reason,
            sample=isinstance(model, SampleCollected),
        )
        appended = append_event(
            session,
            stream,
            model.TYPE,
            model,
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=when,
            reason=reason,
        )
    record = CalendarRecord(
        key=key,
        at=when,
        recorded_at=now,
        by=actor.username,
        reason=reason,
        note=model.note,
        sample_id=model.sample_id if isinstance(model, SampleCollected) else None,
        seq=appended.seq,
        stream=stream,
    )
    facts = replace(course.facts, records=(*course.facts.records, record))
    done = calendar(course.protocol, facts, now)
    return find_occurrence(done, occurrence.key, patient=patient.trial_id)


__all__ = ["collect_sample", "record_visit"]
