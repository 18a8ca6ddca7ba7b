"""The facts of a patient's course, folded from stored events (no database here).

The patient's stream gives registration, enrolment, level changes, the end of treatment and
the recorded visits and samples; each infusion's stream gives its number, start, end or stop.
An infusion's old ``follow_up_done`` checks (written before the calendar existed) keep their
meaning: each becomes the record of the calendar occurrence it stands for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from infusion_app.logic.course import (
    CalendarRecord,
    CourseFacts,
    EndReason,
    Enrolment,
    InfusionFacts,
    LevelChange,
    TreatmentEnd,
    legacy_follow_up_key,
)
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    DoseLevelChanged,
    FollowUpDone,
    InfusionStarted,
    InfusionStopped,
    PatientEnrolled,
    PatientRegistered,
    SampleCollected,
    TreatmentEnded,
    VisitRecorded,
)
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import InconsistentRecord


def fold_patient_course(trial_id: str, events: Iterable[RecordedEvent]) -> CourseFacts:
    """The course facts of the patient's own stream (its infusions are added after)."""
    registered = None
    facts: CourseFacts | None = None
    for event in events:
        data = event.data
        if isinstance(data, PatientRegistered):
            registered = event
            facts = CourseFacts(trial_id, event.occurred_at, data.dose_level)
            continue
        if facts is None:
            raise InconsistentRecord(f"patient {trial_id}: event {event.seq} before registration")
        if isinstance(data, PatientEnrolled):
            facts = replace(
                facts,
                enrolment=Enrolment(
                    event.occurred_at,
                    data.protocol,
                    data.dose_level,
                    event.user,
                    event.seq,
                    data.deviation_reason,
                ),
            )
        elif isinstance(data, DoseLevelChanged):
            change = LevelChange(
                event.occurred_at,
                data.from_level,
                data.to_level,
                data.from_infusion,
                data.reason,
                event.user,
                event.seq,
            )
            facts = replace(facts, level_changes=(*facts.level_changes, change))
        elif isinstance(data, TreatmentEnded):
            end = TreatmentEnd(
                event.occurred_at, EndReason(data.reason), data.details, event.user, event.seq
            )
            facts = replace(facts, end=end)
        elif isinstance(data, VisitRecorded | SampleCollected):
            record = CalendarRecord(
                key=data.item,
                at=event.occurred_at,
                recorded_at=event.recorded_at,
                by=event.user,
                reason=event.reason,
                note=data.note,
                sample_id=data.sample_id if isinstance(data, SampleCollected) else None,
                seq=event.seq,
                stream=f"patient:{trial_id}",
            )
            facts = replace(facts, records=(*facts.records, record))
    if facts is None or registered is None:
        raise InconsistentRecord(f"patient {trial_id}: no registration in the log")
    return facts


def infusion_facts(
    number: int, state: InfusionState, events: Iterable[RecordedEvent]
) -> InfusionFacts:
    """What the course needs of one infusion, from its folded state and its events."""
    created = None
    deviation = None
    stop_reason = None
    for event in events:
        if event.type is EventType.INFUSION_CREATED and created is None:
            created = event.occurred_at
        elif isinstance(event.data, InfusionStarted):
            deviation = event.data.schedule_deviation
        elif isinstance(event.data, InfusionStopped):
            stop_reason = event.data.reason
    assert created is not None, "an infusion's stream begins with infusion_created"
    return InfusionFacts(
        number=number,
        created_at=created,
        started_at=state.started_at,
        ended_at=state.ended_at,
        stopped_before_start=state.stopped and state.started_at is None,
        stop_reason=stop_reason,
        schedule_deviation=deviation,
    )


def legacy_follow_ups(
    protocol: Protocol, number: int, stream: str, events: Iterable[RecordedEvent]
) -> tuple[CalendarRecord, ...]:
    """An infusion's old follow-up checks as records of the patient's calendar."""
    found = []
    for event in events:
        if not isinstance(event.data, FollowUpDone):
            continue
        key = legacy_follow_up_key(protocol, event.data.check, number)
        if key is None:
            continue
        found.append(
            CalendarRecord(
                key=key,
                at=event.occurred_at,
                recorded_at=event.recorded_at,
                by=event.user,
                reason=event.reason,
                note=event.data.finding,
                seq=event.seq,
                stream=stream,
            )
        )
    return tuple(found)


def with_infusions(
    facts: CourseFacts,
    infusions: Iterable[InfusionFacts],
    legacy: Iterable[CalendarRecord] = (),
) -> CourseFacts:
    """The patient's facts with their infusions; a calendar record of the patient's own
    stream wins over an old infusion follow-up for the same occurrence."""
    own = {r.key for r in facts.records}
    extra = tuple(r for r in legacy if r.key not in own)
    return replace(
        facts,
        infusions=tuple(sorted(infusions, key=lambda i: i.number)),
        records=(*extra, *facts.records),
    )
