"""Adverse events recorded against the patient, not during an infusion.

A cytopenia found at a week-4 visit, a fever at home: these belong to the treatment as a whole,
so they are entries of the patient's own stream (``adverse_event_recorded``, then
``sae_reported`` when a serious one was reported), with the same model, the same DLT flag and
the same report deadline as an infusion's reaction. They may begin at any time from enrolment
to the end of follow-up (:func:`infusion_app.logic.course.follow_up_span`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import recorded_adverse_event
from infusion_app.logic.course import CourseFacts, CourseRefused, follow_up_span
from infusion_app.logic.events import AdverseEventRecorded, SaeReported
from infusion_app.logic.infusion_state import AdverseEventEntry, RecordedEvent
from infusion_app.logic.protocol import Protocol


def patient_adverse_events(events: Iterable[RecordedEvent]) -> tuple[AdverseEventEntry, ...]:
    """The adverse events of the patient's stream, each with its report once recorded."""
    entries: dict[int, AdverseEventEntry] = {}
    for event in events:
        data = event.data
        if isinstance(data, AdverseEventRecorded):
            entries[event.seq] = AdverseEventEntry(
                seq=event.seq,
                event=recorded_adverse_event(data),
                dlt=data.dlt,
                fever_grade_suggested=data.fever_grade_suggested,
                report_due_at=data.report_due_at,
            )
        elif isinstance(data, SaeReported) and data.adverse_event_seq in entries:
            reported = entries[data.adverse_event_seq]
            entries[reported.seq] = replace(reported, reported_at=event.occurred_at)
    return tuple(entries.values())


def require_enrolled(facts: CourseFacts) -> None:
    """The patient's own AEs begin with the course: an investigator enrols them first."""
    if facts.enrolment is None:
        raise CourseRefused(m.course_not_enrolled(patient=facts.trial_id))


def check_onset(protocol: Protocol, facts: CourseFacts, started_at: datetime) -> None:
    """An AE of the patient must begin after enrolment and by the end of follow-up (both ends
    inclusive); before enrolment the patient was not in the trial, after follow-up the trial
    no longer collects AEs."""
    require_enrolled(facts)
    span = follow_up_span(protocol, facts)
    if started_at < span.opens:
        raise CourseRefused(
            m.patient_ae_before_enrolment(
                patient=facts.trial_id, started=started_at, enrolled=span.opens
            )
        )
    if span.closes is not None and started_at > span.closes:
        raise CourseRefused(
            m.patient_ae_after_follow_up(
                patient=facts.trial_id, started=started_at, ended=span.closes
            )
        )


def check_sae_report(
    entries: Iterable[AdverseEventEntry], seq: int, *, patient: str
) -> AdverseEventEntry:
    """The patient's serious AE ``seq``, not yet reported: the one a report may be recorded
    for (as an infusion's rule book does for its own)."""
    entry = next((e for e in entries if e.seq == seq), None)
    if entry is None:
        raise CourseRefused(m.patient_ae_no_such_event(patient=patient, seq=seq))
    if not entry.event.serious:
        raise CourseRefused(m.sae_not_serious(seq=seq))
    if entry.reported_at is not None:
        raise CourseRefused(m.sae_reported_already(seq=seq))
    return entry
