"""Adverse events graded by NCI CTCAE v5.0, the DLT flag and the SAE reporting deadline.

Each listed term carries the grades CTCAE v5.0 defines for it (anaphylaxis starts at grade 3,
chills and nausea stop at 3, hypoxia has no grade 1), so an impossible grade is refused at
entry. Other terms are free text ("Other, specify") with grades 1-5.

The DLT flag is a pure question of the event and the protocol's DLT window
(:func:`infusion_app.logic.course.dlt_window`: from the first infusion to the anchor's start
plus the window's days, still open while the anchor is to come), so an AE recorded at the
bedside and one recorded against the patient at a visit are flagged by the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from infusion_app.logic import messages as m
from infusion_app.logic.course import Span
from infusion_app.logic.errors import InputError
from infusion_app.logic.events import AdverseEventRecorded
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.text_rules import (
    SHORT_TEXT_MAX,
    check_text,
    optional_free_text,
    optional_text,
)
from infusion_app.logic.vitals import check_temperature


class Term(StrEnum):
    INFUSION_RELATED_REACTION = "Infusion related reaction"
    ALLERGIC_REACTION = "Allergic reaction"
    ANAPHYLAXIS = "Anaphylaxis"
    FEVER = "Fever"
    CHILLS = "Chills"
    HYPOTENSION = "Hypotension"
    HYPERTENSION = "Hypertension"
    HYPOXIA = "Hypoxia"
    NAUSEA = "Nausea"
    RASH = "Rash maculo-papular"
    # The cytopenias of the CAR-T population (NCI CTCAE v5.0, 27 Nov 2017): Anemia under
    # "Blood and lymphatic system disorders", the four counts under "Investigations".
    ANEMIA = "Anemia"
    NEUTROPHIL_COUNT_DECREASED = "Neutrophil count decreased"
    PLATELET_COUNT_DECREASED = "Platelet count decreased"
    WHITE_BLOOD_CELL_DECREASED = "White blood cell decreased"
    LYMPHOCYTE_COUNT_DECREASED = "Lymphocyte count decreased"
    OTHER = "Other, specify"


GRADES: dict[Term, range] = {
    Term.INFUSION_RELATED_REACTION: range(1, 6),
    Term.ALLERGIC_REACTION: range(1, 6),
    Term.ANAPHYLAXIS: range(3, 6),
    Term.FEVER: range(1, 6),
    Term.CHILLS: range(1, 4),
    Term.HYPOTENSION: range(1, 6),
    Term.HYPERTENSION: range(1, 6),
    Term.HYPOXIA: range(2, 6),
    Term.NAUSEA: range(1, 4),
    Term.RASH: range(1, 4),
    # CTCAE v5.0 Anemia: 1 Hgb <LLN-10.0 g/dL; 2 <10.0-8.0 g/dL; 3 <8.0 g/dL, transfusion
    # indicated; 4 life-threatening, urgent intervention indicated; 5 death.
    Term.ANEMIA: range(1, 6),
    # The counts are laboratory values: CTCAE v5.0 defines grades 1-4 and no grade 5 ("-").
    # Neutrophils: 1 <LLN-1500/mm3; 2 <1500-1000; 3 <1000-500; 4 <500/mm3.
    Term.NEUTROPHIL_COUNT_DECREASED: range(1, 5),
    # Platelets: 1 <LLN-75,000/mm3; 2 <75,000-50,000; 3 <50,000-25,000; 4 <25,000/mm3.
    Term.PLATELET_COUNT_DECREASED: range(1, 5),
    # White blood cells: 1 <LLN-3000/mm3; 2 <3000-2000; 3 <2000-1000; 4 <1000/mm3.
    Term.WHITE_BLOOD_CELL_DECREASED: range(1, 5),
    # Lymphocytes: 1 <LLN-800/mm3; 2 <800-500; 3 <500-200; 4 <200/mm3.
    Term.LYMPHOCYTE_COUNT_DECREASED: range(1, 5),
    Term.OTHER: range(1, 6),
}


class Attribution(StrEnum):
    UNRELATED = "unrelated"
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    PROBABLE = "probable"
    DEFINITE = "definite"

    @property
    def related(self) -> bool:
        """Possible, probable and definite count as related (the usual DLT convention)."""
        return self in (Attribution.POSSIBLE, Attribution.PROBABLE, Attribution.DEFINITE)


class Outcome(StrEnum):
    ONGOING = "not recovered / ongoing"
    RECOVERING = "recovering"
    RECOVERED = "recovered"
    RECOVERED_WITH_SEQUELAE = "recovered with sequelae"
    FATAL = "fatal"
    UNKNOWN = "unknown"


class ActionTaken(StrEnum):
    NONE = "none"
    RATE_REDUCED = "rate held or reduced"
    INTERRUPTED = "infusion interrupted"
    DISCONTINUED = "infusion discontinued"
    TREATED = "treatment given"


@dataclass(frozen=True)
class AdverseEvent:
    term: Term
    other_term: str | None
    grade: int
    started_at: datetime
    attribution: Attribution
    serious: bool
    action_taken: ActionTaken
    outcome: Outcome
    aware_at: datetime
    description: str | None

    @property
    def name(self) -> str:
        return self.other_term if self.term is Term.OTHER and self.other_term else self.term.value

    def as_payload(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "other_term": self.other_term,
            "grade": self.grade,
            "started_at": self.started_at,
            "attribution": self.attribution,
            "serious": self.serious,
            "action_taken": self.action_taken,
            "outcome": self.outcome,
            "aware_at": self.aware_at,
            "description": self.description,
        }


# the value_of kind (logic/messages.py VALUES) that names each choice's values for people
_VALUE_KINDS: dict[type[StrEnum], str] = {
    Term: "ae_term",
    Attribution: "attribution",
    Outcome: "ae_outcome",
    ActionTaken: "action_taken",
}


def parse_flag(field: str, raw: object) -> bool:
    """A yes/no value: a bool, or its name typed (``--set serious=false`` was taken as true)."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower() if isinstance(raw, str) else None
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise InputError(field, m.rule_true_or_false(got=repr(raw)))


def _choice(field: str, enum: type[StrEnum], raw: object) -> Any:
    text = str(raw).strip()
    for member in enum:
        if text.lower() in (member.value.lower(), member.name.lower()):
            return member
    kind = _VALUE_KINDS[enum]
    allowed = tuple(m.value_of(kind, member.value) for member in enum)
    raise InputError(field, m.rule_one_of_values(allowed=allowed, got=repr(raw)))


def parse_adverse_event(
    *,
    term: str,
    grade: int | str,
    started_at: datetime,
    attribution: str,
    serious: bool | str,
    action_taken: str = "none",
    outcome: str = "not recovered / ongoing",
    aware_at: datetime,
    other_term: str | None = None,
    description: str | None = None,
) -> AdverseEvent:
    chosen = _choice("term", Term, term)
    if chosen is Term.OTHER and not (other_term and other_term.strip()):
        raise InputError("other_term", m.rule_other_term_required())
    if chosen is not Term.OTHER and other_term:
        raise InputError(
            "other_term", m.rule_other_term_only(term=m.value_of("ae_term", chosen.value))
        )
    value = parse_decimal("grade", grade)
    if value != value.to_integral_value():
        raise InputError("grade", m.rule_whole_ctcae_grade(got=str(grade)))
    allowed = GRADES[chosen]
    if int(value) not in allowed:
        raise InputError(
            "grade",
            m.rule_ctcae_grades(
                first=allowed.start,
                last=allowed.stop - 1,
                term=m.value_of("ae_term", chosen.value),
                got=str(grade),
            ),
        )
    if started_at.tzinfo is None or aware_at.tzinfo is None:
        raise InputError("started_at", m.rule_time_zone_required())
    if aware_at < started_at:
        raise InputError("aware_at", m.rule_aware_before_started())
    return AdverseEvent(
        term=chosen,
        other_term=other_term.strip() if other_term else None,
        grade=int(value),
        started_at=started_at,
        attribution=_choice("attribution", Attribution, attribution),
        serious=parse_flag("serious", serious),
        action_taken=_choice("action_taken", ActionTaken, action_taken),
        outcome=_choice("outcome", Outcome, outcome),
        aware_at=aware_at,
        description=description.strip() if description and description.strip() else None,
    )


def fever_grade(temperature_c: Decimal) -> int | None:
    """CTCAE v5.0 Fever: grade 1 38.0-39.0 °C; 2 >39.0-40.0 °C; 3 >40.0 °C (for <= 24 h).

    Grade 4 (> 40.0 °C for more than 24 h) needs the duration, which one reading cannot
    give, so the suggestion stops at 3 and the nurse may raise it. Below 38.0: no fever.
    A temperature no patient can have (the vital signs' plausible 25-45 °C) is refused: 392
    for 39.2 was recorded as grade 3 and a DLT.
    """
    check_temperature("temperature_c", temperature_c)
    if temperature_c < Decimal("38.0"):
        return None
    if temperature_c <= Decimal("39.0"):
        return 1
    if temperature_c <= Decimal("40.0"):
        return 2
    return 3


def is_dlt(event: AdverseEvent, *, min_grade: int, window: Span | None) -> bool:
    """Grade >= the protocol's DLT grade, related to the product, begun inside the DLT window
    (both ends inclusive: an AE at the window's last minute counts). No window (no infusion
    given yet): nothing before a dose is a DLT."""
    if window is None or not window.holds(event.started_at):
        return False
    return event.grade >= min_grade and event.attribution.related


def sae_report_due(event: AdverseEvent, report_h: int) -> datetime | None:
    """A serious event must be reported within ``report_h`` hours of the team's awareness."""
    return event.aware_at + timedelta(hours=report_h) if event.serious else None


def recorded_adverse_event(stored: AdverseEventRecorded) -> AdverseEvent:
    """The adverse event a stored entry holds (an infusion's or the patient's), read back
    through the same rules it was entered with."""
    return parse_adverse_event(
        term=stored.term,
        other_term=stored.other_term,
        grade=stored.grade,
        started_at=stored.started_at,
        attribution=stored.attribution,
        serious=stored.serious,
        action_taken=stored.action_taken,
        outcome=stored.outcome,
        aware_at=stored.aware_at,
        description=stored.description,
    )


def check_adverse_event_text(values: Mapping[str, Any]) -> dict[str, Any]:
    """The texts of an entered adverse event, checked in the order of the form (the bedside's
    reaction dialog and ``patient ae`` take the same fields)."""
    return {
        **values,
        "term": check_text("term", values["term"], SHORT_TEXT_MAX),
        "other_term": optional_text("other_term", values["other_term"], SHORT_TEXT_MAX),
        "attribution": check_text("attribution", values["attribution"], SHORT_TEXT_MAX),
        "action_taken": check_text("action_taken", values["action_taken"], SHORT_TEXT_MAX),
        "outcome": check_text("outcome", values["outcome"], SHORT_TEXT_MAX),
        "description": optional_free_text("description", values["description"]),
    }


def entered_adverse_event(
    values: Mapping[str, Any],
    *,
    at: datetime,
    check_time: Callable[[str, datetime], datetime],
    peak_temperature_c: Decimal | None = None,
) -> dict[str, Any]:
    """An adverse event as entered, before the DLT flag and the SAE deadline are added.

    For fever the grade is suggested from the temperature (given, else ``peak_temperature_c``,
    the highest of the infusion's vital signs) and used when no grade is given. The onset and
    awareness default to ``at`` (the entry's time); given ones pass ``check_time``.
    """
    suggested = None
    if values["term"].strip().lower() == Term.FEVER.value.lower():
        peak = peak_temperature_c
        if values.get("temperature_c") is not None:
            peak = parse_decimal("temperature_c", values["temperature_c"])
        suggested = fever_grade(peak) if peak is not None else None
    grade = values["grade"] if values["grade"] is not None else suggested
    if grade is None:
        raise InputError("grade", m.rule_grade_required_no_fever())
    started_at, aware_at = values["started_at"], values["aware_at"]
    return {
        "term": values["term"],
        "other_term": values["other_term"],
        "grade": grade,
        "started_at": check_time("started_at", started_at) if started_at else at,
        "aware_at": check_time("aware_at", aware_at) if aware_at else at,
        "attribution": values["attribution"],
        "serious": values["serious"],
        "action_taken": values["action_taken"],
        "outcome": values["outcome"],
        "description": values["description"],
        "fever_grade_suggested": suggested,
    }
