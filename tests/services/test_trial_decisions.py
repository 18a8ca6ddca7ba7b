"""The trial's dose finding end to end, on SQLite and PostgreSQL: enrolment by the rule,
infusions, a flagged AE adjudicated, the signed safety review and its counts, the refused
enrolments and the override a second investigator signs.

The shipped ``ucmsc-cart-cytopenia`` (3+3 over groups A, B, C; group A has one infusion;
the DLT window runs 28 days from the group's last planned infusion). The clock starts on
FakeClock's default time; each infusion takes about three hours of clock (course_steps.give).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from infusion_app.logic.dose_finding import Phase
from infusion_app.logic.escalation import DecisionKind
from infusion_app.logic.event_types import EventType, trial_stream
from infusion_app.logic.events import PatientEnrolled, TrialDecisionReviewed, decode
from infusion_app.services import accounts, course_index, patient_aes, records
from infusion_app.services.context import AppContext, AuthenticationFailed, NotAuthorised
from infusion_app.services.course_acts import enrol_patient
from infusion_app.services.dlt_review import review_dlt
from infusion_app.services.patient_view import patient_view
from infusion_app.services.trial import TrialRefused, review_decision, trial_status
from infusion_app.store.models import Event, Signature, Stream
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, PASSWORD, Staff, make_staff
from tests.fakes import FakeClock
from tests.records.conftest import pdf_pages
from tests.services.course_steps import enrolled, give, registered

CART = "ucmsc-cart-cytopenia"
GRADE_3 = {
    "term": "Platelet count decreased",
    "grade": 3,
    "attribution": "possible",
    "serious": False,
}


@pytest.fixture
def ctx(database_url, clock: FakeClock, dose_finding_rules: Path) -> Iterator[AppContext]:
    """The shipped protocols, dose-finding rule included."""
    db = open_database(database_url, clock())
    context = AppContext(
        db=db, station="ward-3", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    yield context
    db.dispose()


@pytest.fixture
def staff(ctx: AppContext) -> Staff:
    return make_staff(ctx)


@pytest.fixture
def second(ctx: AppContext, staff: Staff):
    return accounts.create_user(
        ctx,
        staff.admin,
        "inv2",
        "Iris Investigator",
        "investigator",
        PASSWORD,
        admin_password=PASSWORD,
    )


def signed(ctx: AppContext, stream: str, seq: int) -> list[tuple[str, str]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Signature.meaning, Signature.printed_name)
            .join(Stream, Stream.id == Signature.stream_id)
            .where(Stream.name == stream, Signature.signed_seq == seq)
            .order_by(Signature.id)
        ).all()
    return [(meaning, name) for meaning, name in rows]


def stored(ctx: AppContext, stream: str, type_: EventType) -> list[tuple[int, object]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.seq, Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == stream, Event.type == type_.value)
            .order_by(Event.seq)
        ).all()
    return [(seq, decode(type_, payload)) for seq, payload in rows]


def confirm_dlt(ctx: AppContext, staff: Staff, trial_id: str, seq: int) -> None:
    """The investigator confirms the patient's flagged AE ``seq`` as a DLT (signed)."""
    review_dlt(
        ctx,
        staff.investigator,
        trial_id,
        stream=f"patient:{trial_id}",
        adverse_event_seq=seq,
        confirmed=True,
        reason="no other cause; related to the infusion",
        password=PASSWORD,
    )


def cohort(ctx, staff, clock, ids: list[str], level: str) -> None:
    for trial_id in ids:
        enrolled(ctx, staff, trial_id, CART, level)
    for trial_id in ids:
        give(ctx, staff, clock, trial_id, 1)


def test_from_enrolment_to_a_signed_expansion_and_escalation(ctx, staff, clock, second) -> None:
    cohort(ctx, staff, clock, ["P001", "P002", "P003"], "A")
    # a fourth patient has no place in the cohort, nor at B
    registered(ctx, staff, "P004", CART, "A")
    with pytest.raises(TrialRefused, match="the cohort at A has its 3 patients"):
        enrol_patient(ctx, staff.investigator, "P004", dose_level="A", password=PASSWORD)
    with pytest.raises(TrialRefused, match="enrols at A now, not B"):
        enrol_patient(ctx, staff.investigator, "P004", dose_level="B", password=PASSWORD)

    # P002's grade 3 AE the next day is flagged; the investigator confirms it
    clock.advance(days=1)
    ae = patient_aes.record_patient_ae(ctx, staff.nurse, "P002", GRADE_3)
    assert ae.dlt
    view = trial_status(ctx, CART)
    assert [(p, d.seq) for p, d in view.awaiting_adjudication] == [("P002", ae.seq)]
    confirm_dlt(ctx, staff, "P002", ae.seq)
    view = trial_status(ctx, CART)
    state = view.state
    assert state.phase is Phase.WAITING
    # P002 is evaluable (a confirmed DLT); P001 and P003 wait for their 28-day windows
    assert str(state.waiting[0]) == "1 of 3 evaluable"
    with pytest.raises(TrialRefused, match=r"no dose-finding decision .* is due"):
        review_decision(
            ctx, staff.investigator, CART, expected_decision="expand", password=PASSWORD
        )

    clock.advance(days=28)
    state = trial_status(ctx, CART).state
    assert state.phase is Phase.DECISION_DUE
    assert state.decision is not None and state.decision.kind is DecisionKind.EXPAND
    # what the investigator was shown must be what they sign
    with pytest.raises(TrialRefused, match="the rule now says expand, not escalate"):
        review_decision(
            ctx, staff.investigator, CART, expected_decision="escalate", password=PASSWORD
        )
    with pytest.raises(NotAuthorised):
        review_decision(ctx, staff.nurse, CART, expected_decision="expand", password=PASSWORD)
    seq = review_decision(
        ctx,
        staff.investigator,
        CART,
        expected_decision="expand",
        password=PASSWORD,
        comment="safety review meeting 1",
    )
    stream = trial_stream(CART)
    assert signed(ctx, stream, seq) == [("reviewed", "Ivan Investigator")]
    ((_, first),) = stored(ctx, stream, EventType.TRIAL_DECISION_REVIEWED)
    assert isinstance(first, TrialDecisionReviewed)
    assert (first.decision, first.level, first.next_level, first.comment) == (
        "expand",
        "A",
        "A",
        "safety review meeting 1",
    )
    counts_a = first.counts[0]
    assert (counts_a.enrolled, counts_a.evaluable, counts_a.dlts, counts_a.pending) == (3, 3, 1, 0)
    assert first.patients == ["P001", "P002", "P003"]

    # the expansion: three more at A, none with a DLT -> 1 in 6 -> escalate to B
    enrol_patient(ctx, staff.investigator, "P004", dose_level="A", password=PASSWORD)
    cohort(ctx, staff, clock, ["P005", "P006"], "A")
    give(ctx, staff, clock, "P004", 1)
    clock.advance(days=29)
    state = trial_status(ctx, CART).state
    assert state.decision is not None and state.decision.kind is DecisionKind.ESCALATE
    review_decision(ctx, staff.investigator, CART, expected_decision="escalate", password=PASSWORD)
    after = trial_status(ctx, CART).state
    assert after.phase is Phase.WAITING and after.level_id(after.current) == "B"

    # P007 at A is against the rule: refused, then made a deviation with a second signature
    registered(ctx, staff, "P007", CART, "A")
    with pytest.raises(TrialRefused, match="enrols at B now, not A"):
        enrol_patient(ctx, staff.investigator, "P007", dose_level="A", password=PASSWORD)
    with pytest.raises(TrialRefused, match="second investigator"):
        enrol_patient(
            ctx,
            staff.investigator,
            "P007",
            dose_level="A",
            password=PASSWORD,
            deviation_reason="compassionate continuation at the tolerated group",
        )
    with pytest.raises(AuthenticationFailed):
        enrol_patient(
            ctx,
            staff.investigator,
            "P007",
            dose_level="A",
            password=PASSWORD,
            deviation_reason="compassionate continuation at the tolerated group",
            second_user="inv2",
            second_password="wrong password entirely",
        )
    assert stored(ctx, "patient:P007", EventType.PATIENT_ENROLLED) == []  # nothing written
    # ... but the second investigator's wrong password is on record, towards their lockout
    failed = stored(ctx, "system", EventType.SIGNATURE_FAILED)
    assert len(failed) == 1
    enrol_patient(
        ctx,
        staff.investigator,
        "P007",
        dose_level="A",
        password=PASSWORD,
        deviation_reason="compassionate continuation at the tolerated group",
        second_user="inv2",
        second_password=PASSWORD,
    )
    ((seq, enrolment),) = stored(ctx, "patient:P007", EventType.PATIENT_ENROLLED)
    assert isinstance(enrolment, PatientEnrolled)
    assert enrolment.deviation_of == "trial_enrol_wrong_level"
    assert enrolment.deviation_reason == "compassionate continuation at the tolerated group"
    assert signed(ctx, "patient:P007", seq) == [
        ("enrolled", "Ivan Investigator"),
        ("approved", "Iris Investigator"),
    ]
    # listed as a deviation: on the patient's page and in the course record
    shown = patient_view(ctx, "P007").enrolment_deviation
    assert str(shown) == (
        "enrolled against the dose-finding rule (a deviation): "
        "compassionate continuation at the tolerated group"
    )
    record = records.patient_course_record(ctx, staff.monitor, "P007")
    text = " ".join(" ".join(page.split()) for page in pdf_pages(record.data))
    assert "Enrolment against the dose-finding rule" in text
    assert "compassionate continuation at the tolerated group" in text
    # a deviation is not asked for where the rule allows the enrolment
    registered(ctx, staff, "P008", CART, "B")
    with pytest.raises(TrialRefused, match="no deviation to record"):
        enrol_patient(
            ctx,
            staff.investigator,
            "P008",
            dose_level="B",
            password=PASSWORD,
            deviation_reason="x",
            second_user="inv2",
            second_password=PASSWORD,
        )
    enrol_patient(ctx, staff.investigator, "P008", dose_level="B", password=PASSWORD)
    view = trial_status(ctx, CART)
    assert [(c.level, c.enrolled) for c in view.state.counts] == [("A", 7), ("B", 1), ("C", 0)]


def test_a_second_dlt_stops_escalation_and_nobody_is_enrolled_after(
    ctx, staff, clock, second
) -> None:
    cohort(ctx, staff, clock, ["P001", "P002", "P003"], "A")
    clock.advance(days=1)
    for trial_id in ("P001", "P002"):
        ae = patient_aes.record_patient_ae(ctx, staff.nurse, trial_id, GRADE_3)
        review_dlt(
            ctx,
            staff.investigator,
            trial_id,
            stream=f"patient:{trial_id}",
            adverse_event_seq=ae.seq,
            confirmed=True,
            reason="related",
            password=PASSWORD,
        )
    # P003's window is still open: the 2nd DLT decides at once
    state = trial_status(ctx, CART).state
    assert state.counts[0].pending == 1
    assert state.decision is not None and state.decision.kind is DecisionKind.STOP
    review_decision(ctx, staff.investigator, CART, expected_decision="stop", password=PASSWORD)
    assert trial_status(ctx, CART).state.phase is Phase.COMPLETE
    registered(ctx, staff, "P004", CART, "A")
    with pytest.raises(TrialRefused, match="is over"):
        enrol_patient(ctx, staff.investigator, "P004", dose_level="A", password=PASSWORD)


def test_a_protocol_without_a_rule_has_no_tracker(ctx, staff, clock, protocol_variant) -> None:
    folder = protocol_variant(CART).parent
    plain = AppContext(
        db=ctx.db, station="ward-3", clock=clock, hasher=FAST_HASHER, protocols=folder
    )
    with pytest.raises(TrialRefused, match="has no dose-finding rule"):
        trial_status(plain, CART)


def test_the_review_window_close_is_inclusive_of_the_last_minute(ctx, staff, clock) -> None:
    """A patient whose window closes exactly now is still pending (closes < now counts)."""
    enrolled(ctx, staff, "P001", CART, "A")
    give(ctx, staff, clock, "P001", 1)
    state = trial_status(ctx, CART).state
    (patient,) = state.patients
    assert patient.window_closes is not None
    clock.now = patient.window_closes
    assert trial_status(ctx, CART).state.counts[0].pending == 1
    clock.now = patient.window_closes + timedelta(minutes=1)
    assert trial_status(ctx, CART).state.counts[0].evaluable == 1


def test_two_stations_enrolling_the_last_place_of_a_cohort(
    fresh_postgres, clock, dose_finding_rules: Path
) -> None:
    """PostgreSQL, two stations: P001 and P002 are in group A's cohort of 3; P003 and P004
    are enrolled at once at two stations while a third connection holds the trial's stream.
    Both wait for it; when it is let go exactly one takes the last place and the other is
    refused by the rule (the cohort is full), not enrolled beside it."""
    import threading
    import time

    from sqlalchemy import create_engine, text

    url = fresh_postgres.render_as_string(hide_password=False)
    stations = [
        AppContext(
            db=open_database(url, clock()),
            station=name,
            clock=clock,
            hasher=FAST_HASHER,
            protocols=dose_finding_rules,
        )
        for name in ("bed-1", "bed-2")
    ]
    staff = make_staff(stations[0])
    for trial_id in ("P001", "P002"):
        enrolled(stations[0], staff, trial_id, CART, "A")
    for trial_id in ("P003", "P004"):
        registered(stations[0], staff, trial_id, CART, "A")
    holder = create_engine(fresh_postgres)
    outcomes: dict[str, object] = {}

    def enrol(index: int, trial_id: str) -> None:
        try:
            enrol_patient(
                stations[index], staff.investigator, trial_id, dose_level="A", password=PASSWORD
            )
            outcomes[trial_id] = "enrolled"
        except Exception as error:  # the loser's refusal is the expected outcome
            outcomes[trial_id] = error

    try:
        with holder.begin() as held:
            held.execute(text(f"SELECT id FROM streams WHERE name = 'trial:{CART}' FOR UPDATE"))
            threads = [
                threading.Thread(target=enrol, args=(i, t)) for i, t in ((0, "P003"), (1, "P004"))
            ]
            for thread in threads:
                thread.start()
            # both stations are now queued behind the held lock (a condition, not a delay)
            waiting, deadline = threading.Event(), time.monotonic() + 30
            while not waiting.is_set() and time.monotonic() < deadline:
                blocked = held.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
                if blocked == 2:
                    waiting.set()
                else:
                    waiting.wait(0.01)
            assert waiting.is_set(), "both stations should wait for the trial's lock"
        for thread in threads:
            thread.join(timeout=60)
        won = [t for t, o in outcomes.items() if o == "enrolled"]
        lost = [o for o in outcomes.values() if isinstance(o, TrialRefused)]
        assert len(won) == 1 and len(lost) == 1, outcomes
        assert "the cohort at A has its 3 patients" in str(lost[0])
        counts = trial_status(stations[0], CART).state.counts
        assert counts[0].enrolled == 3
    finally:
        holder.dispose()
        for station in stations:
            station.db.dispose()


def test_the_tab_a_station_keeps_is_the_tab_read_from_every_course(ctx, staff, clock) -> None:
    """Issue 18: the Trial tab keeps what the dose finding counts of each patient with the
    streams and protocol file it came from (services/course_index.py) and reads again only
    the courses that moved. At every step of a cohort's life, from registration to the signed
    expansion, it must equal the tab of a station that keeps nothing and reads them all."""
    read: list[set[str]] = []
    original = course_index.load_courses

    def load(ctx, session, rows):  # type: ignore[no-untyped-def]
        read.append({patient.trial_id for patient in rows})
        return original(ctx, session, rows)

    def same_tab() -> set[str]:
        kept = trial_status(ctx, CART)
        read_from = read[-1]
        station = AppContext(
            db=ctx.db, station="bed-9", clock=clock, hasher=FAST_HASHER, protocols=ctx.protocols
        )
        assert kept == trial_status(station, CART)
        assert read[-1] >= read_from  # the fresh station read every course (at least)
        return read_from

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(course_index, "load_courses", load)
        assert same_tab() == set()  # nobody yet
        enrolled(ctx, staff, "P001", CART, "A")
        assert same_tab() == {"P001"}
        assert same_tab() == set()  # nothing moved: nothing read
        enrolled(ctx, staff, "P002", CART, "A")
        enrolled(ctx, staff, "P003", CART, "A")
        # each enrolment's own check of the rule read the courses that moved before it
        # (P002's, in P003's check), so the tab reads only P003's
        assert same_tab() == {"P003"}
        give(ctx, staff, clock, "P001", 1)
        assert same_tab() == {"P001"}
        give(ctx, staff, clock, "P002", 1)
        give(ctx, staff, clock, "P003", 1)
        clock.advance(days=1)
        ae = patient_aes.record_patient_ae(ctx, staff.nurse, "P002", GRADE_3)
        assert same_tab() == {"P002", "P003"}
        confirm_dlt(ctx, staff, "P002", ae.seq)
        assert same_tab() == {"P002"}
        for days in (10, 10, 9):  # the windows close with time alone: nothing read
            clock.advance(days=days)
            assert same_tab() == set()
        assert trial_status(ctx, CART).state.phase is Phase.DECISION_DUE
        review_decision(
            ctx, staff.investigator, CART, expected_decision="expand", password=PASSWORD
        )
        assert same_tab() == set()  # the decision is the trial's stream, no course moved
        assert trial_status(ctx, CART).state.phase is Phase.WAITING
