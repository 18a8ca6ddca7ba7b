"""The trial summary: every enrolled patient of a protocol, counted per level, in one read.

A summary goes to a safety committee or a sponsor and is compared, months later, with the
record it came from. So it is read in ONE transaction (every course once: the patient's
stream and each infusion's), authorised for the trial's readers (:attr:`Action.PRINT_TRIAL`:
investigators and monitors), and carries the data cut and the head of every stream it was
computed from (the last entry read, its number and hash; the trial's own stream too, when
it has one). Anyone can then check that the same streams, up to the same entries, give the
same numbers; :attr:`TrialSummary.heads_digest` is one hash over all of them, the head the
audit entry of a printed or saved summary names.

``at`` (the data cut, default now) is the time the time-dependent rules are evaluated at:
the DLT windows, the week 4/8 statuses and the counts drawn by then (the haematological
response ignores later tests). It does not roll the record back: an entry recorded after
``at`` (an AE, a tumour assessment) is counted, and the heads say which entries those were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from infusion_app.logic.course import treatment_plan
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import patient_stream, trial_stream
from infusion_app.logic.infusion_state import AdverseEventEntry
from infusion_app.logic.patient_aes import patient_adverse_events
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.roles import Action
from infusion_app.logic.text_rules import check_text
from infusion_app.logic.trial_summary import (
    SummaryAe,
    SummaryNumbers,
    SummaryPatient,
    summarise,
)
from infusion_app.records.trial_summary import (
    StreamHead,
    SummarySource,
    render_trial_summary,
    trial_summary_csv,
)
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_courses
from infusion_app.services.outcomes import outcomes_of
from infusion_app.services.records import Document
from infusion_app.services.trial import patient_dlt
from infusion_app.store.models import Event, Infusion, Patient, Stream

OUTPUTS = ("pdf", "csv")


@dataclass(frozen=True)
class TrialSummary:
    """The summary of ``protocol`` at the data cut ``at``, read at ``read_at``."""

    protocol: Protocol
    at: datetime
    read_at: datetime
    numbers: SummaryNumbers
    patients: tuple[str, ...]  # the enrolled patients counted, in registration order
    heads: tuple[StreamHead, ...]  # every stream read, by name

    @property
    def heads_digest(self) -> str:
        """sha256 of one line "name seq hash" per stream, in name order."""
        return heads_digest(self.heads)

    @property
    def source(self) -> SummarySource:
        return SummarySource(
            protocol=self.protocol,
            at=self.at,
            read_at=self.read_at,
            numbers=self.numbers,
            patients=self.patients,
            heads=self.heads,
            digest=self.heads_digest,
        )


def heads_digest(heads: Sequence[StreamHead]) -> str:
    lines = "".join(f"{h.name} {h.seq} {h.hash}\n" for h in sorted(heads, key=lambda h: h.name))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def trial_summary(
    ctx: AppContext, actor: CurrentUser, protocol_id: str, *, at: datetime | None = None
) -> TrialSummary:
    """One read: the summary of ``protocol_id`` with the data cut ``at`` (default now; not in
    the future, since the week statuses and windows would then be guesses)."""
    protocol_id = check_text("protocol", protocol_id, 64)
    now = ctx.now()
    cut = now if at is None else plausible_utc("at", at)
    if cut > now:
        raise InputError("at", f"{cut.isoformat(timespec='minutes')} is in the future")
    protocol = ctx.protocol(protocol_id)
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT_TRIAL, now)
        courses = _enrolled_courses(ctx, session, protocol.id)
        heads = _heads(session, protocol.id, courses)
    rule = protocol.outcomes
    numbers = summarise(
        [level.id for level in protocol.dose_levels],
        (summary_patient(course, cut) for course in courses),
        haematological=rule is not None and rule.haematological_response is not None,
        tumour=rule is not None and rule.tumour_response is not None,
        weeks=_weeks(protocol),
    )
    return TrialSummary(
        protocol=protocol,
        at=cut,
        read_at=now,
        numbers=numbers,
        patients=tuple(c.patient.trial_id for c in courses),
        heads=heads,
    )


def summary_patient(course: LoadedCourse, at: datetime) -> SummaryPatient:
    """One enrolled patient's course folded into what the summary counts, at ``at``."""
    facts = course.facts
    enrolment = facts.enrolment
    assert enrolment is not None  # only enrolled courses are summarised
    outcomes = outcomes_of(course, at)
    entries = (
        *patient_adverse_events(course.events),
        *(entry for infusion in course.infusions for entry in infusion.state.adverse_events),
    )
    return SummaryPatient(
        trial_id=facts.trial_id,
        level=enrolment.dose_level,
        treated=bool(facts.given),
        planned=len(treatment_plan(course.protocol, facts, at).infusions),
        given=len(facts.given),
        dlt_status=patient_dlt(course).status(at),
        adverse_events=tuple(_ae(entry) for entry in entries),
        response=outcomes.response,
        response_final=not outcomes.response_provisional,
        best_response=outcomes.best_response,
        pfs=outcomes.pfs,
        os=outcomes.os,
    )


def summary_record(
    ctx: AppContext,
    actor: CurrentUser,
    protocol_id: str,
    *,
    language: str = "en",
    paper: str = "a4",
    output: str = "pdf",
    at: datetime | None = None,
    zone: tzinfo | None = None,
) -> Document:
    """The summary as a PDF or CSV :class:`Document` for the audited output path
    (``records.save_document`` or the window's put_out): its head is the heads digest."""
    check_output(output)
    summary = trial_summary(ctx, actor, protocol_id, at=at)
    return summary_document(
        summary,
        actor.printed_name,
        language=language,
        paper=paper,
        output=output,
        zone=zone or ctx.time_zone,
    )


def check_output(output: str) -> str:
    if output not in OUTPUTS:
        raise InputError("output", f"must be one of {', '.join(OUTPUTS)}, got {output!r}")
    return output


def summary_document(
    summary: TrialSummary,
    printed_by: str,
    *,
    language: str = "en",
    paper: str = "a4",
    output: str = "pdf",
    zone: tzinfo | None = None,
) -> Document:
    """A summary already read as a document (the CLI prints and saves the same read)."""
    label, stem = summary.protocol.label, summary.protocol.id
    if check_output(output) == "csv":
        data = trial_summary_csv(summary.source).encode("utf-8")
        what, name = "trial summary CSV", f"trial-summary-{stem}.csv"
    else:
        data = render_trial_summary(
            summary.source,
            printed_at=summary.read_at,
            printed_by=printed_by,
            zone=zone,
            paper=paper,
            language=language,
        )
        what, name = "trial summary", f"trial-summary-{stem}.pdf"
    subject = f"trial {label} data cut {summary.at.isoformat(timespec='minutes')}"
    return Document(data, what, subject, name, summary.heads_digest, None)


# --- reading ----------------------------------------------------------------------------------


def _enrolled_courses(
    ctx: AppContext, session: Session, protocol_id: str
) -> tuple[LoadedCourse, ...]:
    patients = session.execute(
        select(Patient).where(Patient.protocol_id == protocol_id).order_by(Patient.id)
    ).scalars()
    courses = load_courses(ctx, session, patients)
    return tuple(course for course in courses if course.facts.enrolment is not None)


def _heads(
    session: Session, protocol_id: str, courses: Sequence[LoadedCourse]
) -> tuple[StreamHead, ...]:
    """The last entry read of each stream (its number and hash): the patients', their
    infusions' and the trial's. The hash is looked up by the number read, so a writer that
    commits meanwhile (PostgreSQL reads each statement afresh) cannot move a head past what
    was counted."""
    read: list[tuple[int, str, int]] = []  # stream id, name, last seq read
    infusion_ids = [i.infusion_id for c in courses for i in c.infusions]
    stream_of: dict[int, int] = {}
    if infusion_ids:
        found = session.execute(
            select(Infusion.id, Infusion.stream_id).where(Infusion.id.in_(infusion_ids))
        )
        stream_of = {infusion_id: stream_id for infusion_id, stream_id in found}
    for course in courses:
        patient = course.patient
        if course.events:
            name = patient_stream(patient.trial_id)
            read.append((patient.stream_id, name, course.events[-1].seq))
        for infusion in course.infusions:
            if infusion.events:
                read.append(
                    (stream_of[infusion.infusion_id], infusion.stream, infusion.events[-1].seq)
                )
    trial = session.execute(
        select(Stream.id, Stream.name, Stream.head_seq).where(
            Stream.name == trial_stream(protocol_id)
        )
    ).first()
    if trial is not None and trial.head_seq:
        read.append((trial.id, trial.name, trial.head_seq))
    digests: dict[tuple[int, int], str] = {}
    for start in range(0, len(read), 400):  # one query per 400 streams, not one per stream
        pairs = [(stream_id, seq) for stream_id, _, seq in read[start : start + 400]]
        # (stream_id = ? AND seq = ?) OR ...: each term a lookup through the (stream_id, seq)
        # key; SQLite reads a row-value IN list by scanning every event (0.26 s a chunk on a
        # million-event log), both databases read this one through the key
        matches = or_(*(and_(Event.stream_id == sid, Event.seq == number) for sid, number in pairs))
        for stream_id, seq, digest in session.execute(
            select(Event.stream_id, Event.seq, Event.hash).where(matches)
        ):
            digests[(stream_id, seq)] = digest
    heads = [StreamHead(name, seq, digests[(stream_id, seq)]) for stream_id, name, seq in read]
    return tuple(sorted(heads, key=lambda h: h.name))


def _ae(entry: AdverseEventEntry) -> SummaryAe:
    event = entry.event
    return SummaryAe(
        term=event.name,
        grade=event.grade,
        related=event.attribution.related,
        serious=event.serious,
    )


def _weeks(protocol: Protocol) -> tuple[int, ...]:
    rule = protocol.outcomes.haematological_response if protocol.outcomes else None
    return tuple(rule.assessment_weeks.value) if rule is not None else ()


__all__ = [
    "OUTPUTS",
    "TrialSummary",
    "check_output",
    "heads_digest",
    "summary_document",
    "summary_record",
    "trial_summary",
]
