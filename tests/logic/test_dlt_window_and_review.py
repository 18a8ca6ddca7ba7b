"""The cytopenia terms of CTCAE v5.0, the DLT window by each protocol's anchor (pure, at the
minute), and the list of flagged DLTs with the investigator's review.

Times: the first infusion starts T1 = 2026-11-23 09:00 UTC (a Monday, 17:00 in Shanghai).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from infusion_app.logic.adverse_events import (
    GRADES,
    Term,
    is_dlt,
    parse_adverse_event,
    recorded_adverse_event,
)
from infusion_app.logic.course import (
    CourseFacts,
    CourseRefused,
    EndReason,
    Enrolment,
    InfusionFacts,
    TreatmentEnd,
    dlt_window,
)
from infusion_app.logic.dlt_review import ReviewState, check_review, flagged_dlts
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import AdverseEventRecorded, DltReviewed, SaeReported
from infusion_app.logic.infusion_state import AdverseEventEntry, RecordedEvent
from infusion_app.logic.patient_aes import check_sae_report, patient_adverse_events

T1 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)

# --- CTCAE v5.0 cytopenias ---------------------------------------------------------------

CYTOPENIAS = {
    # term as CTCAE v5.0 spells it: the grades it defines
    "Anemia": (1, 5),  # grade 5: death
    "Neutrophil count decreased": (1, 4),  # laboratory values: no grade 5
    "Platelet count decreased": (1, 4),
    "White blood cell decreased": (1, 4),
    "Lymphocyte count decreased": (1, 4),
}


def ae(**changes: object):
    values: dict[str, object] = {
        "term": "Neutrophil count decreased",
        "grade": 3,
        "started_at": T1,
        "attribution": "possible",
        "serious": False,
        "aware_at": T1,
    }
    values.update(changes)
    return parse_adverse_event(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("term", "grades"), sorted(CYTOPENIAS.items()))
def test_cytopenia_terms_take_exactly_their_grades(term: str, grades: tuple[int, int]) -> None:
    low, high = grades
    assert GRADES[Term(term)] == range(low, high + 1)
    for grade in range(low, high + 1):
        assert ae(term=term, grade=grade).grade == grade
    for impossible in (low - 1, high + 1):
        with pytest.raises(InputError, match=rf"grades {low}-{high} for {term}, got"):
            ae(term=term, grade=impossible)


def test_the_terms_stored_before_keep_their_spelling() -> None:
    before = {
        "Infusion related reaction", "Allergic reaction", "Anaphylaxis", "Fever", "Chills",
        "Hypotension", "Hypertension", "Hypoxia", "Nausea", "Rash maculo-papular",
        "Other, specify",
    }  # fmt: skip
    assert before | set(CYTOPENIAS) == {t.value for t in Term}
    assert list(Term)[-1] is Term.OTHER  # "Other, specify" stays last in the dialog's list


# --- the DLT window by the anchor, at the minute ------------------------------------------


def course(*starts: datetime, end: bool = False, level: str = "C") -> CourseFacts:
    given = tuple(
        InfusionFacts(number=n, created_at=s - timedelta(hours=1), started_at=s)
        for n, s in enumerate(starts, start=1)
    )
    enrolled = Enrolment(T1 - timedelta(days=3), "x", level, "inv", 2)
    ended = TreatmentEnd(T1 + timedelta(days=30), EndReason.TOXICITY, None, "inv", 9)
    return CourseFacts(
        "P001", enrolled.at, level, enrolled, infusions=given, end=ended if end else None
    )


def flagged(protocol, facts: CourseFacts, at: datetime) -> bool:
    return is_dlt(
        ae(started_at=at, aware_at=at),
        min_grade=protocol.design.dlt_min_grade.value,
        window=dlt_window(protocol, facts),
    )


def test_group_c_counts_28_days_from_its_fourth_infusion(cart) -> None:
    # infusions on days 0, 7, 14, 21: T4 = 2026-12-14 09:00; closes T4 + 28 d = 2027-01-11 09:00
    starts = [T1 + timedelta(days=7 * k) for k in range(4)]
    closes = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    facts = course(*starts)
    assert dlt_window(cart, facts).closes == closes
    assert flagged(cart, facts, closes)
    assert not flagged(cart, facts, closes + MINUTE)
    assert flagged(cart, facts, T1)
    assert not flagged(cart, facts, T1 - MINUTE)


def test_group_c_window_is_open_while_its_last_infusion_is_to_come(cart) -> None:
    # 3 of 4 given: no end yet, so T1 + 28 d + 1 min (2026-12-21 09:01) is inside
    facts = course(T1, T1 + timedelta(days=7), T1 + timedelta(days=14))
    assert dlt_window(cart, facts).closes is None
    assert flagged(cart, facts, T1 + timedelta(days=28) + MINUTE)
    # treatment ended after infusion 3 (T3 = 2026-12-07 09:00): the last given is the anchor,
    # closes T3 + 28 d = 2027-01-04 09:00
    ended = course(T1, T1 + timedelta(days=7), T1 + timedelta(days=14), end=True)
    assert dlt_window(cart, ended).closes == datetime(2027, 1, 4, 9, 0, tzinfo=UTC)


def test_group_a_counts_28_days_from_its_one_infusion(cart) -> None:
    facts = course(T1, level="A")
    closes = datetime(2026, 12, 21, 9, 0, tzinfo=UTC)  # Nov 23 + 7 d = Nov 30, + 21 d = Dec 21
    assert flagged(cart, facts, closes)
    assert not flagged(cart, facts, closes + MINUTE)


def test_crc_counts_120_days_from_the_first_infusion(crc) -> None:
    # cycles every 21 days do not move it: T1 + 120 d = 2027-03-23 09:00 UTC
    # (Nov 23 -> Dec 23: 30 d, -> Jan 23: 31, -> Feb 23: 31, -> Mar 23: 28)
    facts = course(*(T1 + timedelta(days=21 * k) for k in range(7)), level="1")
    closes = datetime(2027, 3, 23, 9, 0, tzinfo=UTC)
    assert dlt_window(crc, facts).closes == closes
    assert flagged(crc, facts, closes)
    assert not flagged(crc, facts, closes + MINUTE)


def test_no_infusion_given_no_window(cart) -> None:
    assert dlt_window(cart, course()) is None
    assert not flagged(cart, course(), T1)


# --- the patient's AEs and the review of flagged DLTs ---------------------------------------


def stored(seq: int, *, dlt: bool, serious: bool = False, at: datetime = T1) -> RecordedEvent:
    model = AdverseEventRecorded(
        term="Anemia",
        other_term=None,
        grade=3,
        started_at=at,
        aware_at=at,
        attribution="possible",
        serious=serious,
        action_taken="none",
        outcome="recovering",
        description=None,
        fever_grade_suggested=None,
        dlt=dlt,
        report_due_at=at + timedelta(hours=24) if serious else None,
    )
    return RecordedEvent(seq, EventType.ADVERSE_EVENT_RECORDED, model, at, at, "nurse")


def reviewed(seq: int, stream: str, ae_seq: int, confirmed: bool) -> RecordedEvent:
    model = DltReviewed(
        stream=stream, adverse_event_seq=ae_seq, confirmed=confirmed, reason="judged"
    )
    at = T1 + timedelta(days=40)
    return RecordedEvent(seq, EventType.DLT_REVIEWED, model, at, at, "inv")


OWN = "patient:P001"


def infusion_ae(seq: int, dlt: bool, at: datetime) -> AdverseEventEntry:
    entry = stored(seq, dlt=dlt, at=at)
    assert isinstance(entry.data, AdverseEventRecorded)
    return AdverseEventEntry(seq, recorded_adverse_event(entry.data), dlt, None, None)


def test_the_list_holds_every_flagged_dlt_with_its_state() -> None:
    events = [
        stored(5, dlt=True, at=T1 + timedelta(days=3)),
        stored(6, dlt=False),
        stored(7, dlt=True, at=T1 + timedelta(days=9)),
        reviewed(8, OWN, 5, True),
        reviewed(10, "infusion:P001/2", 14, False),
    ]
    infusions = [
        ("infusion:P001/1", [infusion_ae(20, False, T1)]),
        ("infusion:P001/2", [infusion_ae(14, True, T1 + timedelta(days=7))]),
    ]
    found = flagged_dlts(OWN, events, infusions)
    # in the order they began: day 3 (own #5), day 7 (infusion 2 #14), day 9 (own #7)
    assert [(d.stream, d.seq, d.state) for d in found] == [
        (OWN, 5, ReviewState.CONFIRMED),
        ("infusion:P001/2", 14, ReviewState.REJECTED),
        (OWN, 7, ReviewState.PENDING),
    ]
    assert (found[0].review.by, found[0].review.reason) == ("inv", "judged")


def test_only_a_flagged_unreviewed_ae_of_the_patient_may_be_reviewed() -> None:
    events = [stored(5, dlt=True), stored(6, dlt=False), reviewed(8, OWN, 5, True)]
    infusions = [("infusion:P001/1", [infusion_ae(20, True, T1)])]

    def check(stream: str, seq: int):
        return check_review("P001", OWN, events, infusions, stream=stream, seq=seq)

    assert check("infusion:P001/1", 20).state is ReviewState.PENDING
    with pytest.raises(CourseRefused, match=r"reviewed already \(confirmed by inv"):
        check(OWN, 5)
    with pytest.raises(CourseRefused, match="not flagged as a DLT"):
        check(OWN, 6)
    with pytest.raises(CourseRefused, match="has no adverse event 21"):
        check("infusion:P001/1", 21)
    with pytest.raises(CourseRefused, match="is not a record of patient P001"):
        check("infusion:P002/1", 20)


def test_a_patient_sae_is_reported_once() -> None:
    events = [stored(5, dlt=False, serious=True), stored(6, dlt=False)]
    report = SaeReported(adverse_event_seq=5)
    at = T1 + timedelta(hours=3)
    reported = [*events, RecordedEvent(7, EventType.SAE_REPORTED, report, at, at, "nurse")]
    assert check_sae_report(patient_adverse_events(events), 5, patient="P001").seq == 5
    entries = patient_adverse_events(reported)
    assert [(e.seq, e.reported_at) for e in entries] == [(5, at), (6, None)]
    with pytest.raises(CourseRefused, match="reported already"):
        check_sae_report(entries, 5, patient="P001")
    with pytest.raises(CourseRefused, match="not serious"):
        check_sae_report(entries, 6, patient="P001")
