"""The patient's outcomes: blood counts, transfusions, tumour assessments, progression, death
and the last contact, recorded in the patient's stream; and what they add up to.

Nurses and investigators record counts, transfusions and contacts (Action.RECORD_LAB); the
investigator records, and signs ("assessed"), a tumour assessment, the progression and the
death (Action.RECORD_OUTCOME), since PFS and OS end on them. An import of a CSV file is one
transaction: every row is checked first and nothing is recorded if any row is bad.
:func:`patient_outcomes` reads it all back with each count's CTCAE grade, the haematological
response by the protocol's criteria and the survival times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import ABSOLUTE_BACK_LIMIT, check_moment
from infusion_app.logic.course import CourseFacts, first_infusion, last_infusion, local_date
from infusion_app.logic.entered_time import plausible_utc
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import patient_stream
from infusion_app.logic.events import (
    DeathRecorded,
    LabRecorded,
    LastContactRecorded,
    ProgressionRecorded,
    TransfusionGiven,
    TumourAssessed,
)
from infusion_app.logic.events import Event as EventModel
from infusion_app.logic.haem_response import HaemResponse, ResponseCriteria, haematological_response
from infusion_app.logic.labs import (
    MAX_UNITS,
    LabTest,
    Lineage,
    Lln,
    TransfusionKind,
    check_lab_values,
    ctcae_grade,
    parse_labs_csv,
)
from infusion_app.logic.outcome_entries import (
    OutcomeEntries,
    check_date,
    check_new_tests,
    check_not_after_death,
    check_once,
    outcome_entries,
)
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.patient_aes import require_enrolled
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.roles import Action
from infusion_app.logic.survival import SurvivalTime, os_time, pfs_time
from infusion_app.logic.text_rules import SHORT_TEXT_MAX, check_text, free_text
from infusion_app.logic.tumour import OverallResponse, best_overall_response
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.course_read import LoadedCourse, load_course
from infusion_app.services.integrity import transaction
from infusion_app.services.patients import find_patient
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.store.eventlog import Appended, append_event, lock_stream
from infusion_app.store.models import Stream, User

T = TypeVar("T")

# An import larger than this is not one patient's counts: a wrong file.
MAX_IMPORT_BYTES = 1_000_000


# --- recording ------------------------------------------------------------------------------


def record_lab(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    values: Mapping[str, object],
    *,
    drawn_at: datetime,
) -> int:
    """One blood count (hb, anc, plt required; wbc, lym optional) drawn at ``drawn_at``.
    Returns its number in the patient's stream."""
    checked = check_lab_values(values)

    def act(session: Session, user: User, course: LoadedCourse, entries: OutcomeEntries) -> int:
        now = ctx.now()
        when = _moment("drawn_at", drawn_at, now)
        test = LabTest(
            when,
            checked[Lineage.HB],
            checked[Lineage.ANC],
            checked[Lineage.PLT],
            checked.get(Lineage.WBC),
            checked.get(Lineage.LYM),
        )
        check_new_tests(entries, [test])
        check_not_after_death(entries, "drawn_at", when, course.protocol.zone)
        return _append(ctx, session, user, course, _lab_event(test, None), now)

    return _care_act(ctx, actor, trial_id, act)


def import_labs(
    ctx: AppContext, actor: CurrentUser, trial_id: str, text: str, *, source: str
) -> int:
    """Every row of a labs CSV (``time,hb,anc,plt[,wbc,lym]``) as blood counts, in one
    transaction; a bad row anywhere (each is named) and nothing is recorded. Returns how many
    were recorded."""
    source = check_text("source", source, SHORT_TEXT_MAX)
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise InputError(source, m.rule_import_too_large(most=MAX_IMPORT_BYTES))
    tests = parse_labs_csv(text, source=source)

    def act(session: Session, user: User, course: LoadedCourse, entries: OutcomeEntries) -> int:
        now = ctx.now()
        for test in tests:
            _moment(f"{source}: time", test.drawn_at, now)
            check_not_after_death(entries, f"{source}: time", test.drawn_at, course.protocol.zone)
        check_new_tests(entries, tests)
        for test in tests:
            _append(ctx, session, user, course, _lab_event(test, source), now)
        return len(tests)

    return _care_act(ctx, actor, trial_id, act)


def record_transfusion(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    kind: str,
    units: int,
    given_at: datetime,
) -> int:
    """A red-cell or platelet transfusion: it voids the haematological response around it."""
    chosen = _choice("kind", kind, TransfusionKind)
    if not 1 <= units <= MAX_UNITS:
        raise InputError("units", m.rule_between(low=1, high=MAX_UNITS, got=units))

    def act(session: Session, user: User, course: LoadedCourse, entries: OutcomeEntries) -> int:
        now = ctx.now()
        when = _moment("given_at", given_at, now)
        check_not_after_death(entries, "given_at", when, course.protocol.zone)
        model = TransfusionGiven(given_at=when, kind=chosen.value, units=units)
        return _append(ctx, session, user, course, model, now)

    return _care_act(ctx, actor, trial_id, act)


def record_last_contact(ctx: AppContext, actor: CurrentUser, trial_id: str, *, on: date) -> int:
    """The patient was known alive on ``on`` (a visit, a call): OS is censored there."""

    def act(session: Session, user: User, course: LoadedCourse, entries: OutcomeEntries) -> int:
        now = ctx.now()
        _outcome_date(course, "at", on, now)
        check_not_after_death(entries, "at", on, course.protocol.zone)
        return _append(ctx, session, user, course, LastContactRecorded(on=on), now)

    return _care_act(ctx, actor, trial_id, act)


def record_tumour_assessment(
    ctx: AppContext,
    actor: CurrentUser,
    trial_id: str,
    *,
    response: str,
    assessed_on: date,
    password: str,
) -> int:
    """A tumour assessment's overall response by the protocol's criteria, signed "assessed"."""
    chosen = _choice("response", response.upper(), OverallResponse)

    def act(session: Session, user: User, now: datetime) -> int:
        course, entries = _open(ctx, session, trial_id)
        rule = course.protocol.outcomes.tumour_response if course.protocol.outcomes else None
        if rule is None:
            raise InputError("response", m.rule_no_tumour_response(protocol=course.protocol.label))
        _outcome_date(course, "at", assessed_on, now)
        check_not_after_death(entries, "at", assessed_on, course.protocol.zone)
        model = TumourAssessed(
            assessed_on=assessed_on, response=chosen.value, criteria=rule.criteria.value
        )
        return _signed(ctx, session, user, course, model, now)

    return signed_act(ctx, actor, Action.RECORD_OUTCOME, password, act)


def record_progression(
    ctx: AppContext, actor: CurrentUser, trial_id: str, *, on: date, password: str
) -> int:
    """The date of progression (once), signed "assessed": PFS ends there."""

    def act(session: Session, user: User, now: datetime) -> int:
        course, entries = _open(ctx, session, trial_id)
        check_once(entries, "progression")
        _outcome_date(course, "at", on, now)
        check_not_after_death(entries, "at", on, course.protocol.zone)
        return _signed(ctx, session, user, course, ProgressionRecorded(on=on), now)

    return signed_act(ctx, actor, Action.RECORD_OUTCOME, password, act)


def record_death(
    ctx: AppContext, actor: CurrentUser, trial_id: str, *, on: date, cause: str, password: str
) -> int:
    """The date of death (once) and its cause, signed "assessed": PFS and OS end there.
    Nothing dated after it may be recorded afterwards."""
    cause = free_text("cause", cause)

    def act(session: Session, user: User, now: datetime) -> int:
        course, entries = _open(ctx, session, trial_id)
        check_once(entries, "death")
        _outcome_date(course, "at", on, now)
        later = [
            day
            for day in (
                *(local_date(t.drawn_at, course.protocol.zone) for _, t, _ in entries.labs),
                *(a.on for a in entries.assessments),
                entries.progression,
                entries.last_contact,
            )
            if day is not None and day > on
        ]
        if later:
            raise InputError("at", m.rule_before_entries(on=str(on), latest=str(max(later))))
        return _signed(ctx, session, user, course, DeathRecorded(on=on, cause=cause), now)

    return signed_act(ctx, actor, Action.RECORD_OUTCOME, password, act)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabRow:
    seq: int
    test: LabTest
    source: str | None
    grades: dict[Lineage, int]  # CTCAE v5.0 grade of each value given (0: not decreased)


@dataclass(frozen=True)
class PatientOutcomes:
    """What the patient's outcome entries add up to, at ``at``."""

    trial_id: str
    protocol: Protocol
    at: datetime
    labs: tuple[LabRow, ...]
    entries: OutcomeEntries
    response: HaemResponse | None  # the cytopenia trial's, once an infusion is given
    response_provisional: bool  # the course's last infusion is not known yet
    best_response: OverallResponse | None
    pfs: SurvivalTime | None
    os: SurvivalTime | None


def patient_outcomes(
    ctx: AppContext, trial_id: str, *, at: datetime | None = None
) -> PatientOutcomes:
    """One read: the outcomes of ``trial_id`` as they stand at ``at`` (default now)."""
    when = at or ctx.now()
    with ctx.db.read() as session:
        course = load_course(ctx, session, find_patient(session, trial_id))
    return outcomes_of(course, when)


def outcomes_of(course: LoadedCourse, at: datetime) -> PatientOutcomes:
    """The outcomes of a course already read (the trial summary reads every course once)."""
    protocol, facts = course.protocol, course.facts
    entries = outcome_entries(course.events)
    lln = lln_for(protocol, course.patient.sex)
    labs = tuple(
        LabRow(seq, test, source, _grades(test, lln) if lln else {})
        for seq, test, source in entries.labs
    )
    response, provisional = _response(protocol, facts, entries, at)
    first = first_infusion(facts)
    first_day = (
        local_date(first.started_at, protocol.zone)
        if first is not None and first.started_at is not None
        else None
    )
    assessed = [a for a in entries.assessments if first_day is not None and a.on >= first_day]
    last_assessed = max((a.on for a in assessed), default=None)
    return PatientOutcomes(
        trial_id=facts.trial_id,
        protocol=protocol,
        at=at,
        labs=tuple(sorted(labs, key=lambda r: r.test.drawn_at)),
        entries=entries,
        response=response,
        response_provisional=provisional,
        best_response=best_overall_response([a.response for a in assessed]),
        pfs=(
            pfs_time(
                first_day,
                progression=entries.progression,
                death=entries.death,
                last_assessment=last_assessed,
            )
            if first_day is not None
            else None
        ),
        os=(
            os_time(
                first_day,
                death=entries.death,
                last_contact=_last_known_alive(entries, protocol.zone, first_day),
            )
            if first_day is not None
            else None
        ),
    )


def lln_for(protocol: Protocol, sex: str) -> Lln | None:
    """The site's lower limits of normal for a patient of ``sex`` (haemoglobin differs)."""
    if protocol.outcomes is None:
        return None
    lln = protocol.outcomes.lln
    hb = lln.hb_male_g_per_l if sex == "male" else lln.hb_female_g_per_l
    return Lln(
        hb=hb.value,
        anc=lln.anc_10e9_per_l.value,
        plt=lln.plt_10e9_per_l.value,
        wbc=lln.wbc_10e9_per_l.value,
        lym=lln.lym_10e9_per_l.value,
    )


def criteria_of(protocol: Protocol) -> ResponseCriteria | None:
    """The protocol file's CR/PR criteria as the rule takes them."""
    rule = protocol.outcomes.haematological_response if protocol.outcomes else None
    if rule is None:
        return None
    return ResponseCriteria(
        cr_hb=rule.cr_hb_g_per_l.value,
        cr_anc=rule.cr_anc_10e9_per_l.value,
        cr_plt=rule.cr_plt_10e9_per_l.value,
        pr_hb_rise=rule.pr_hb_rise_g_per_l.value,
        pr_anc_rise=rule.pr_anc_rise_10e9_per_l.value,
        pr_plt_rise=rule.pr_plt_rise_10e9_per_l.value,
        pair_gap=timedelta(hours=rule.pair_gap_hours.value),
        transfusion_free=timedelta(days=rule.transfusion_free_days.value),
        lineage_specific_transfusions=rule.transfusion_voids.value == "own_lineage",
        follow_up=timedelta(weeks=rule.follow_up_weeks.value),
        weeks=tuple(rule.assessment_weeks.value),
    )


def _response(
    protocol: Protocol, facts: CourseFacts, entries: OutcomeEntries, at: datetime
) -> tuple[HaemResponse | None, bool]:
    """By the protocol's criteria, from the first infusion's start and the last's: the
    course's last infusion once known, else (provisionally) the last one given."""
    criteria = criteria_of(protocol)
    first = first_infusion(facts)
    if criteria is None or first is None or first.started_at is None:
        return None, False
    last = last_infusion(protocol, facts)
    provisional = last is None
    anchor = last if last is not None else facts.given[-1]
    assert anchor.started_at is not None  # given infusions have started
    response = haematological_response(
        entries.tests,
        entries.given,
        first_infusion=first.started_at,
        last_infusion=anchor.started_at,
        zone=protocol.zone,
        criteria=criteria,
        at=at,
    )
    return response, provisional


def _grades(test: LabTest, lln: Lln) -> dict[Lineage, int]:
    return {
        lineage: ctcae_grade(lineage, value, lln)
        for lineage in Lineage
        if (value := test.value(lineage)) is not None
    }


def _last_known_alive(entries: OutcomeEntries, zone: tzinfo, first_dose: date) -> date:
    """The last contact, or a later assessment or count (the patient was seen then), and at
    least the first dose: a patient treated then was alive then (a baseline count drawn
    before it, and nothing since, made the last contact earlier than the first dose, which
    survival refuses: one such patient refused the whole trial summary)."""
    seen = [
        first_dose,
        entries.last_contact,
        *(a.on for a in entries.assessments),
        *(local_date(t.drawn_at, zone) for _, t, _ in entries.labs),
    ]
    return max(d for d in seen if d is not None)


# --- shared steps -----------------------------------------------------------------------------

Act = Callable[[Session, User, LoadedCourse, OutcomeEntries], T]


def _care_act(ctx: AppContext, actor: CurrentUser, trial_id: str, act: Act[T]) -> T:
    """One transaction: authorised, the patient's stream locked, the course read."""
    with transaction(ctx) as session:
        user = require(session, actor, Action.RECORD_LAB, ctx.now())
        course, entries = _open(ctx, session, trial_id)
        return act(session, user, course, entries)


def _open(ctx: AppContext, session: Session, trial_id: str) -> tuple[LoadedCourse, OutcomeEntries]:
    patient = find_patient(session, trial_id)
    lock_stream(session, patient_stream(patient.trial_id))
    course = load_course(ctx, session, patient)
    require_enrolled(course.facts)
    return course, outcome_entries(course.events)


def _moment(field: str, moment: datetime, now: datetime) -> datetime:
    """A count's or transfusion's time: with its zone, not in the future, within a year."""
    return check_moment(field, plausible_utc(field, moment), now, limit=ABSOLUTE_BACK_LIMIT)


def _outcome_date(course: LoadedCourse, field: str, day: date, now: datetime) -> date:
    """Not in the future in the site's zone, not before the patient was registered."""
    zone = course.protocol.zone
    return check_date(
        field,
        day,
        local_date(now, zone),
        not_before=local_date(course.facts.registered_at, zone),
        what=m.since_registered(),
    )


def _choice(field: str, raw: str, kinds: type[T]) -> T:
    values = [k.value for k in kinds]  # type: ignore[attr-defined]
    if raw not in values:
        raise InputError(field, m.rule_one_of_codes(allowed=tuple(values), got=repr(raw)))
    return kinds(raw)  # type: ignore[call-arg]


def _lab_event(test: LabTest, source: str | None) -> LabRecorded:
    return LabRecorded(
        drawn_at=test.drawn_at,
        hb=test.hb,
        anc=test.anc,
        plt=test.plt,
        wbc=test.wbc,
        lym=test.lym,
        source=source,
    )


def _append(
    ctx: AppContext,
    session: Session,
    user: User,
    course: LoadedCourse,
    model: EventModel,
    now: datetime,
) -> int:
    return _appended(ctx, session, user, course, model, now).seq


def _signed(
    ctx: AppContext,
    session: Session,
    user: User,
    course: LoadedCourse,
    model: EventModel,
    now: datetime,
) -> int:
    """Appended and signed "assessed" by the investigator, in the same transaction."""
    appended = _appended(ctx, session, user, course, model, now)
    chain = session.get(Stream, course.patient.stream_id)
    assert chain is not None  # a foreign key guarantees it
    sign_event(ctx, session, user, chain, appended, SignatureMeaning.ASSESSED, now)
    return appended.seq


def _appended(
    ctx: AppContext,
    session: Session,
    user: User,
    course: LoadedCourse,
    model: EventModel,
    now: datetime,
) -> Appended:
    return append_event(
        session,
        patient_stream(course.patient.trial_id),
        model.TYPE,
        model,
        user=user,
        station=ctx.station,
        recorded_at=now,
    )


__all__ = [
    "LabRow",
    "PatientOutcomes",
    "criteria_of",
    "import_labs",
    "lln_for",
    "outcomes_of",
    "patient_outcomes",
    "record_death",
    "record_lab",
    "record_last_contact",
    "record_progression",
    "record_transfusion",
    "record_tumour_assessment",
]
