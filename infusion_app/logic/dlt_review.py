"""The patient's flagged DLTs and the investigator's review of each.

An adverse event is flagged as a possible DLT when it is recorded (grade, attribution, the
protocol's DLT window: :func:`infusion_app.logic.adverse_events.is_dlt`); whether it counts
as one is the investigator's decision, confirmed or rejected with a reason (a signed
``dlt_reviewed`` entry of the patient's stream naming the AE by its stream and number). The
patient view lists each flagged DLT with its state; the trial's dose decisions count the
confirmed ones and wait for the pending ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from infusion_app.logic import messages as m
from infusion_app.logic.adverse_events import AdverseEvent
from infusion_app.logic.course import CourseRefused
from infusion_app.logic.events import DltReviewed
from infusion_app.logic.infusion_state import AdverseEventEntry, RecordedEvent
from infusion_app.logic.patient_aes import patient_adverse_events


class ReviewState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Review:
    confirmed: bool
    reason: str
    by: str | None
    at: datetime
    seq: int  # the dlt_reviewed entry in the patient's stream


@dataclass(frozen=True)
class FlaggedDlt:
    """One adverse event flagged as a DLT, where it is recorded, and its review if any."""

    stream: str  # "patient:P001" or "infusion:P001/2"
    seq: int
    event: AdverseEvent
    review: Review | None = None

    @property
    def state(self) -> ReviewState:
        if self.review is None:
            return ReviewState.PENDING
        return ReviewState.CONFIRMED if self.review.confirmed else ReviewState.REJECTED


@dataclass(frozen=True)
class PatientFlags:
    """One enrolled patient's flagged DLTs: their level and each AE with its review (the
    trial's adjudication list, on screen and on paper)."""

    trial_id: str
    level: str
    flagged: tuple[FlaggedDlt, ...]


StreamAes = tuple[str, Iterable[AdverseEventEntry]]


def reviews(patient_events: Iterable[RecordedEvent]) -> dict[tuple[str, int], Review]:
    """The reviews of the patient's stream by the AE they decide on (the first one: a second
    is refused before it is written)."""
    found: dict[tuple[str, int], Review] = {}
    for event in patient_events:
        data = event.data
        if isinstance(data, DltReviewed):
            review = Review(data.confirmed, data.reason, event.user, event.occurred_at, event.seq)
            found.setdefault((data.stream, data.adverse_event_seq), review)
    return found


def _all_aes(
    patient_stream: str, patient_events: Iterable[RecordedEvent], infusions: Iterable[StreamAes]
) -> list[tuple[str, AdverseEventEntry]]:
    events = tuple(patient_events)
    found = [(patient_stream, entry) for entry in patient_adverse_events(events)]
    for stream, entries in infusions:
        found.extend((stream, entry) for entry in entries)
    return found


def flagged_dlts(
    patient_stream: str,
    patient_events: Iterable[RecordedEvent],
    infusions: Iterable[StreamAes],
) -> tuple[FlaggedDlt, ...]:
    """Every flagged AE of the patient (their own stream's and each infusion's, as corrected),
    in the order they began, each with its review state."""
    events = tuple(patient_events)
    decided = reviews(events)
    flagged = [
        FlaggedDlt(stream, entry.seq, entry.event, decided.get((stream, entry.seq)))
        for stream, entry in _all_aes(patient_stream, events, infusions)
        if entry.dlt
    ]
    return tuple(sorted(flagged, key=lambda d: (d.event.started_at, d.stream, d.seq)))


def check_review(
    patient: str,
    patient_stream: str,
    patient_events: Iterable[RecordedEvent],
    infusions: Iterable[StreamAes],
    *,
    stream: str,
    seq: int,
) -> FlaggedDlt:
    """The flagged DLT an investigator may review now: an AE of this patient's stream or of
    one of their infusions', flagged, and not reviewed yet (a decision is made once)."""
    events = tuple(patient_events)
    own = [(name, tuple(entries)) for name, entries in infusions]
    aes = _all_aes(patient_stream, events, own)
    streams = {patient_stream} | {name for name, _ in own}
    if stream not in streams:
        raise CourseRefused(m.dlt_not_patients_stream(patient=patient, stream=stream))
    entry = next((e for s, e in aes if s == stream and e.seq == seq), None)
    if entry is None:
        raise CourseRefused(m.dlt_no_such_event(stream=stream, seq=seq))
    if not entry.dlt:
        raise CourseRefused(m.dlt_not_flagged(stream=stream, seq=seq))
    review = reviews(events).get((stream, seq))
    if review is not None:
        verdict = ReviewState.CONFIRMED if review.confirmed else ReviewState.REJECTED
        raise CourseRefused(
            m.dlt_reviewed_already(
                stream=stream,
                seq=seq,
                verdict=m.value_of("review_state", verdict),
                by=review.by or "",
                at=review.at,
            )
        )
    return FlaggedDlt(stream, seq, entry.event)
