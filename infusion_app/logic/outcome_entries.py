"""What the outcome entries of a patient's stream say, and the rules a new one must keep.

Blood counts and transfusions are timed to the minute (a count drawn, a unit given); tumour
assessments, progression, death and the last contact are dates, as the clinic records them.
The rules are the few that keep the survival and response arithmetic meaningful: one
progression and one death per patient, nothing dated after the death, no date in the
future, no two counts drawn at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.events import (
    DeathRecorded,
    LabRecorded,
    LastContactRecorded,
    ProgressionRecorded,
    TransfusionGiven,
    TumourAssessed,
)
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.labs import LabTest, Transfusion, TransfusionKind
from infusion_app.logic.messages import Message
from infusion_app.logic.tumour import OverallResponse


@dataclass(frozen=True)
class Assessment:
    seq: int
    on: date
    response: OverallResponse
    by: str | None


@dataclass(frozen=True)
class OutcomeEntries:
    """The patient's outcome entries in the order they were recorded."""

    labs: tuple[tuple[int, LabTest, str | None], ...]  # (seq, test, imported file or None)
    transfusions: tuple[tuple[int, Transfusion], ...]
    assessments: tuple[Assessment, ...]
    progression: date | None
    death: date | None
    cause_of_death: str | None
    last_contact: date | None  # the latest recorded

    @property
    def tests(self) -> tuple[LabTest, ...]:
        return tuple(sorted((t for _, t, _ in self.labs), key=lambda t: t.drawn_at))

    @property
    def given(self) -> tuple[Transfusion, ...]:
        return tuple(sorted((t for _, t in self.transfusions), key=lambda t: t.given_at))


def outcome_entries(events: Iterable[RecordedEvent]) -> OutcomeEntries:
    labs: list[tuple[int, LabTest, str | None]] = []
    transfusions: list[tuple[int, Transfusion]] = []
    assessments: list[Assessment] = []
    progression = death = last_contact = None
    cause = None
    for event in events:
        data = event.data
        if isinstance(data, LabRecorded):
            test = LabTest(data.drawn_at, data.hb, data.anc, data.plt, data.wbc, data.lym)
            labs.append((event.seq, test, data.source))
        elif isinstance(data, TransfusionGiven):
            given = Transfusion(data.given_at, TransfusionKind(data.kind), data.units)
            transfusions.append((event.seq, given))
        elif isinstance(data, TumourAssessed):
            response = OverallResponse(data.response)
            assessments.append(Assessment(event.seq, data.assessed_on, response, event.user))
        elif isinstance(data, ProgressionRecorded):
            progression = data.on
        elif isinstance(data, DeathRecorded):
            death, cause = data.on, data.cause
        elif isinstance(data, LastContactRecorded):
            last_contact = max(last_contact or data.on, data.on)
    return OutcomeEntries(
        tuple(labs),
        tuple(transfusions),
        tuple(sorted(assessments, key=lambda a: (a.on, a.seq))),
        progression,
        death,
        cause,
        last_contact,
    )


def check_new_tests(entries: OutcomeEntries, tests: Iterable[LabTest]) -> None:
    """No two counts of a patient drawn at the same moment (an import read twice, a row typed
    again): the second is refused, naming the time."""
    known = {t.drawn_at for _, t, _ in entries.labs}
    for test in tests:
        if test.drawn_at in known:
            raise InputError("drawn_at", m.rule_count_recorded(at=test.drawn_at))
        known.add(test.drawn_at)


def check_not_after_death(
    entries: OutcomeEntries, field: str, moment: date | datetime, zone: tzinfo
) -> None:
    """Nothing dated after the death; a time is compared by its local day in ``zone`` (the
    protocol's, where the death's date was written)."""
    if entries.death is None:
        return
    day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
    if day > entries.death:
        raise InputError(field, m.rule_after_death(day=day.isoformat(), death=str(entries.death)))


def check_date(field: str, day: date, today: date, *, not_before: date, what: Message) -> date:
    """An outcome's date: not in the future (the site's today), not before ``not_before``."""
    if day > today:
        raise InputError(field, m.rule_date_in_future(day=day.isoformat(), today=str(today)))
    if day < not_before:
        raise InputError(
            field, m.rule_date_before(day=day.isoformat(), what=what, since=str(not_before))
        )
    return day


def check_once(entries: OutcomeEntries, kind: str) -> None:
    """Progression and death are recorded once (PFS and OS end at the first)."""
    found = entries.progression if kind == "progression" else entries.death
    if found is not None:
        raise InputError(kind, m.rule_recorded_already(found=str(found)))
