"""Printing and exporting: the infusion record, the patient's course record, the monitor's log,
the CSV and FHIR exports.

Making a document reads only. Putting it out (a printer, a file) is audited: a
``record_printed`` event in the system stream says who put out what, when, where, of which
chain head, with the output's SHA-256. The event goes to the system stream, not the
infusion's, so printing does not move the infusion's head: the same infusion printed twice
without new events shows the same head hash and the same pages (the print time aside).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.logic.course import Plan, calendar, treatment_plan
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.logic.events import RecordOutputFailed, RecordPrinted, decode
from infusion_app.logic.roles import Action
from infusion_app.records.course_record import CourseInfusion, CourseSource, render_course_record
from infusion_app.records.events_csv import events_csv
from infusion_app.records.fhir_bundle import fhir_bundle_json
from infusion_app.records.infusion_log import (
    LogFilter,
    course_place,
    infusion_log_csv,
    log_entry,
    render_log,
)
from infusion_app.records.infusion_record import render_infusion_record
from infusion_app.records.source import ChainFacts, PatientFacts, ProductFacts, RecordSource
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course, load_courses
from infusion_app.services.output_files import IncompleteFile, OutputFileError, check_target
from infusion_app.services.patients import find_patient
from infusion_app.services.status import get_infusion, load_events, protocol_of
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import Event, Infusion, Patient, Product, Stream, User
from infusion_app.store.verification import verify


@dataclass(frozen=True)
class Document:
    """A document made for output, with what the audit entry will say about it."""

    data: bytes
    what: str  # "infusion record", "infusion log", "events CSV", "FHIR bundle"
    subject: str  # "infusion:P001/1", "patient P001", "site 2026-11-01 to 2026-11-30"
    file_name: str  # a sensible default name for "Save as"
    head_hash: str | None = None
    head_seq: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def infusion_record(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    *,
    paper: str = "a4",
    language: str = "en",
    zone: tzinfo | None = None,
) -> Document:
    now = ctx.now()
    source = _read_source(ctx, actor, infusion_id, now)
    data = render_infusion_record(
        source,
        printed_at=now,
        printed_by=actor.printed_name,
        zone=zone or ctx.time_zone,  # the station's: how its people read times
        paper=paper,
        language=language,
    )
    return _document(source, data, "infusion record", "pdf")


def patient_course_record(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    paper: str = "a4",
    language: str = "en",
    zone: tzinfo | None = None,
) -> Document:
    """The patient's course record: the plan and calendar as they stand at the print time."""
    now = ctx.now()
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT, now)
        patient = find_patient(session, trial_id)
        source = course_source(
            load_course(ctx, session, patient),
            _stream_head(session, patient.stream_id),
            _printed_names(session),
            now,
        )
    data = render_course_record(
        source,
        printed_at=now,
        printed_by=actor.printed_name,
        zone=zone or ctx.time_zone,  # the station's: how its people read times
        paper=paper,
        language=language,
    )
    trial = source.patient.trial_id
    return Document(
        data,
        "patient course record",
        f"patient {trial}",
        f"course-record-{trial}.pdf",
        source.head_hash,
        source.head_seq,
    )


def course_source(
    course: LoadedCourse, head_hash: str, names: dict[str, str], now: datetime
) -> CourseSource:
    """The course as the record prints it: the plan and calendar at ``now`` (none for a
    protocol version that plans no course)."""
    plan = _plan_at(course, now)
    occurrences = calendar(course.protocol, course.facts, now) if plan is not None else ()
    return CourseSource(
        protocol=course.protocol,
        patient=_patient_facts(course.patient),
        facts=course.facts,
        plan=plan,
        calendar=occurrences,
        events=course.events,
        infusions=tuple(CourseInfusion(i.number, i.stream, i.events) for i in course.infusions),
        head_hash=head_hash,
        printed_names=names,
    )


def _plan_at(course: LoadedCourse, now: datetime) -> Plan | None:
    """The plan at ``now``; None for a protocol version that plans no course."""
    if not course.protocol.plans_courses:
        return None
    return treatment_plan(course.protocol, course.facts, now)


def _stream_head(session: Session, stream_id: int) -> str:
    stream = session.get(Stream, stream_id)
    assert stream is not None  # a foreign key guarantees it
    return stream.head_hash


def export_infusion(
    ctx: AppContext, actor: CurrentUser, infusion_id: int, export_format: str
) -> Document:
    """``csv``: every stored event; ``fhir``: an R4 Bundle of the infusion (validated)."""
    source = _read_source(ctx, actor, infusion_id, ctx.now())
    if export_format == "csv":
        return _document(source, events_csv(source.events).encode("utf-8"), "events CSV", "csv")
    if export_format == "fhir":
        data = fhir_bundle_json(source).encode("utf-8")
        return _document(source, data, "FHIR bundle", "json")
    raise InputError("format", f"must be csv or fhir, got {export_format!r}")


def infusion_log(
    ctx: AppContext,
    actor: CurrentUser,
    chosen: LogFilter,
    *,
    output: str = "pdf",
    paper: str = "a4",
    language: str = "en",
    zone: tzinfo | None = None,
) -> Document:
    """The monitor's list of infusions: one patient's, or the site's in a date range."""
    now = ctx.now()
    local = zone or ctx.time_zone  # whose days the range means, and how times read
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT, now)
        entries = []
        names = _printed_names(session)
        plans: dict[int, Plan | None] = {}
        for source, course in _log_sources(
            ctx, session, _log_infusions(session, chosen, local), names
        ):
            if course.patient.id not in plans:
                plans[course.patient.id] = _plan_at(course, now)
            plan = plans[course.patient.id]
            place = course_place(course.protocol, course.facts, plan, source.number)
            entry = log_entry(source, place)
            if chosen.covers(entry, local):
                entries.append(entry)
    if output == "csv":
        data = infusion_log_csv(entries, local).encode("utf-8")
    else:
        data = render_log(
            entries,
            chosen,
            printed_at=now,
            printed_by=actor.printed_name,
            zone=local,
            paper=paper,
            language=language,
        )
    return Document(data, "infusion log", chosen.subject, f"{chosen.file_stem}.{output}")


def record_output(
    ctx: AppContext,
    actor: CurrentUser,
    document: Document,
    destination: str,
    *,
    folder: str | None = None,
    incomplete: str | None = None,
    abandoned: Sequence[str] = (),
) -> None:
    """The audit entry for a document put out on paper or to a file (``folder``: where;
    ``incomplete``: the name it is written under until it is put in place).

    ``abandoned``: incomplete files this save found in the folder and removed, whose writers
    were killed. One killed after its audit committed left an entry for a file that never
    appeared: its ``record_output_failed`` goes into this same transaction."""
    now = ctx.now()
    printed = RecordPrinted(**_output_fields(document, destination, folder, incomplete))
    with ctx.db.write() as session:
        user = require(session, actor, Action.PRINT, now)
        for name in abandoned:
            found = _printed_under(session, name, folder)
            if found is not None:
                seq, earlier = found
                append_event(
                    session,
                    SYSTEM_STREAM,
                    EventType.RECORD_OUTPUT_FAILED,
                    RecordOutputFailed(
                        **earlier.model_dump(exclude_unset=True),
                        printed_seq=seq,
                        reason=ABANDONED_REASON,
                    ),
                    user=user,
                    station=ctx.station,
                    recorded_at=now,
                )
        append_event(
            session,
            SYSTEM_STREAM,
            EventType.RECORD_PRINTED,
            printed,
            user=user,
            station=ctx.station,
            recorded_at=now,
        )


ABANDONED_REASON = (
    "the program ended after this output was recorded and before its file was put in place; "
    "the incomplete file was removed"
)


def _printed_under(
    session: Session, incomplete: str, folder: str | None
) -> tuple[int, RecordPrinted] | None:
    """The ``record_printed`` entry written under this incomplete file's name, if no failure
    was recorded for it yet."""
    system = select(Stream.id).where(Stream.name == SYSTEM_STREAM).scalar_subquery()
    rows = session.execute(
        select(Event.seq, Event.type, Event.payload).where(
            Event.stream_id == system,
            Event.type.in_((EventType.RECORD_PRINTED.value, EventType.RECORD_OUTPUT_FAILED.value)),
            Event.payload.contains(incomplete),
        )
    ).all()
    found: tuple[int, RecordPrinted] | None = None
    for seq, kind, text in rows:
        output = decode(kind, text)
        assert isinstance(output, RecordPrinted | RecordOutputFailed)  # the query's types
        if output.incomplete != incomplete or output.folder != folder:
            continue
        if isinstance(output, RecordOutputFailed):
            return None  # its failure is in the log already
        found = (int(seq), output)
    return found


def record_output_failed(
    ctx: AppContext,
    actor: CurrentUser,
    document: Document,
    destination: str,
    reason: str,
    *,
    folder: str | None = None,
    incomplete: str | None = None,
) -> None:
    """The second entry of an output whose audit was committed but whose file could not be
    put in place: the log then says both that it was meant and that it did not happen."""
    failed = RecordOutputFailed(
        **_output_fields(document, destination, folder, incomplete), reason=reason
    )
    now = ctx.now()
    with ctx.db.write() as session:
        user = require(session, actor, Action.PRINT, now)
        append_event(
            session,
            SYSTEM_STREAM,
            EventType.RECORD_OUTPUT_FAILED,
            failed,
            user=user,
            station=ctx.station,
            recorded_at=now,
        )


def _output_fields(
    document: Document, destination: str, folder: str | None, incomplete: str | None
) -> dict[str, Any]:
    """The fields an output's entry shares with its failure (no folder: the key is absent)."""
    return {
        "what": document.what,
        "subject": document.subject,
        "destination": destination,
        **({"folder": folder} if folder is not None else {}),
        **({"incomplete": incomplete} if incomplete is not None else {}),
        "head_seq": document.head_seq,
        "head_hash": document.head_hash,
        "sha256": document.sha256,
    }


def save_document(
    ctx: AppContext, actor: CurrentUser, document: Document, target: str | os.PathLike[str]
) -> Path:
    """Write a document to a file that exists only if its output was audited, and nowhere but
    where the person said (see :mod:`infusion_app.services.output_files`): the target checked
    before anything is committed, the bytes written and fsynced beside it, the audit committed,
    then the file put in place. A failure after the audit is a second entry, then an
    :class:`OutputFileError`. Returns the path written."""
    checked = check_target(target)
    destination = f"file {checked.name}"
    with IncompleteFile(checked) as incomplete:
        incomplete.write(document.data)
        name = incomplete.name
        record_output(
            ctx,
            actor,
            document,
            destination,
            folder=checked.real_folder,
            incomplete=name,
            abandoned=incomplete.abandoned,
        )
        try:
            incomplete.put_in_place()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            record_output_failed(
                ctx,
                actor,
                document,
                destination,
                reason,
                folder=checked.real_folder,
                incomplete=name,
            )
            raise OutputFileError(
                f"output: {checked.path} could not be put in place ({reason}); the printing "
                "and its failure are recorded in the log; nothing was saved"
            ) from None
    return Path(checked.path)


# --- reading ---------------------------------------------------------------------------------


def _read_source(
    ctx: AppContext, actor: CurrentUser, infusion_id: int, now: datetime
) -> RecordSource:
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT, now)
        infusion = get_infusion(session, infusion_id)
        return _source(ctx, session, infusion, _printed_names(session), verified=True)


def _printed_names(session: Session) -> dict[str, str]:
    return {str(u): str(n) for u, n in session.execute(select(User.username, User.printed_name))}


def _source(
    ctx: AppContext,
    session: Session,
    infusion: Infusion,
    names: dict[str, str],
    *,
    verified: bool,
) -> RecordSource:
    """One infusion's record as read in this transaction; ``verified`` walks its chain too
    (the log of a thousand infusions leaves that to verify-log)."""
    protocol = protocol_of(ctx, infusion)
    stream = session.get(Stream, infusion.stream_id)
    patient = session.get(Patient, infusion.patient_id)
    product = session.get(Product, infusion.product_id)
    assert stream is not None and patient is not None and product is not None
    events = tuple(load_events(session, infusion.stream_id))
    product_events = tuple(load_events(session, product.stream_id)) if verified else ()
    station = session.execute(
        select(Event.station).where(Event.stream_id == stream.id, Event.seq == 1)
    ).scalar_one_or_none()
    if verified:
        report = verify(session.connection(), stream.name).streams[0]
        chain = ChainFacts(report.ok, report.events, report.head_hash, report.problem)
    else:
        chain = ChainFacts(True, len(events), stream.head_hash)
    return RecordSource(
        protocol=protocol,
        infusion_id=infusion.id,
        number=infusion.number,
        stream=stream.name,
        station=station or "",
        patient=_patient_facts(patient),
        product=ProductFacts(
            product.product_id,
            product.lot,
            product.status,
            coa_from_mapping(json.loads(product.coa)),
            product_events,
        ),
        events=events,
        chain=chain,
        printed_names=names,
    )


def _log_sources(
    ctx: AppContext, session: Session, infusion_ids: list[int], names: dict[str, str]
) -> list[tuple[RecordSource, LoadedCourse]]:
    """The log's infusions, each with its patient's course, read in a few queries for the
    whole list (the courses, their events and folds through the stream cache) plus each
    infusion row's check against its creation event; what :func:`_source` gives one by one
    (``verified=False``)."""
    found: dict[int, tuple[str, Product]] = {}
    stations: dict[int, str] = {}
    patient_ids: set[int] = set()
    for start in range(0, len(infusion_ids), 500):  # bounded IN lists on both databases
        chunk = infusion_ids[start : start + 500]
        for infusion, head_hash, product in session.execute(
            select(Infusion, Stream.head_hash, Product)
            .join(Stream, Stream.id == Infusion.stream_id)
            .join(Product, Product.id == Infusion.product_id)
            .where(Infusion.id.in_(chunk))
        ):
            found[infusion.id] = (str(head_hash), product)
            patient_ids.add(infusion.patient_id)
        for infusion_id, station in session.execute(
            select(Infusion.id, Event.station)
            .join(Event, Event.stream_id == Infusion.stream_id)
            .where(Infusion.id.in_(chunk), Event.seq == 1)
        ):
            stations[infusion_id] = str(station)
    wanted = sorted(patient_ids)
    patients = [
        patient
        for start in range(0, len(wanted), 500)
        for patient in session.execute(
            select(Patient).where(Patient.id.in_(wanted[start : start + 500]))
        ).scalars()
    ]
    courses = {c.patient.id: c for c in load_courses(ctx, session, patients)}
    out = []
    for infusion_id in infusion_ids:
        infusion = get_infusion(session, infusion_id)  # the row checked against the log
        course = courses[infusion.patient_id]
        of_course = next(i for i in course.infusions if i.infusion_id == infusion_id)
        head_hash, product = found[infusion_id]
        source = RecordSource(
            protocol=of_course.protocol,
            infusion_id=infusion.id,
            number=infusion.number,
            stream=of_course.stream,
            station=stations.get(infusion_id, ""),
            patient=_patient_facts(course.patient),
            product=ProductFacts(
                product.product_id,
                product.lot,
                product.status,
                coa_from_mapping(json.loads(product.coa)),
                (),
            ),
            events=of_course.events,
            chain=ChainFacts(True, len(of_course.events), head_hash),
            printed_names=names,
            folded=of_course.state,
        )
        out.append((source, course))
    return out


def _patient_facts(patient: Patient) -> PatientFacts:
    return PatientFacts(
        patient.trial_id,
        patient.initials,
        patient.sex,
        patient.dose_level,
        patient.weight_kg,
        patient.weight_measured_at,
    )


def _log_infusions(session: Session, chosen: LogFilter, zone: tzinfo) -> list[int]:
    query = select(Infusion.id).join(Patient, Patient.id == Infusion.patient_id)
    if chosen.patient is not None:
        query = query.where(Patient.trial_id == chosen.patient)
    else:
        since, until = chosen.utc_range(zone)
        query = query.where(
            Infusion.stream_id.in_(
                select(Event.stream_id).where(Event.occurred_at >= since, Event.occurred_at < until)
            )
        )
    return list(session.execute(query.order_by(Infusion.id)).scalars())


def _document(source: RecordSource, data: bytes, what: str, extension: str) -> Document:
    stem = f"{source.patient.trial_id}-{source.number}"
    names = {
        "pdf": f"infusion-record-{stem}.pdf",
        "csv": f"infusion-events-{stem}.csv",
        "json": f"infusion-{stem}.fhir.json",
    }
    return Document(
        data, what, source.stream, names[extension], source.chain.head_hash, source.head_seq
    )
