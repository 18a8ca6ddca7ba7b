"""The tracker: tallies from patients, cohorts from signed reviews, what is due, who may enrol.

The protocols are the shipped files (3+3 over groups A, B, C for ``ucmsc-cart-cytopenia``;
BOIN at 35 % over levels 1, 2, 3 for ``msc-l-crc``, cohorts of 3, 18 patients, 9 per level).
Patients are made directly: enrolled a minute apart from T0, infused, their DLT window
closing a day after T0 unless a test says otherwise; "now" is 30 days after T0.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from itertools import count

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic.boin import eliminated_levels
from infusion_app.logic.dose_finding import (
    SELECT,
    DltStatus,
    PatientDlt,
    Phase,
    SignedReview,
    TrialState,
    decision_reason,
    enrolment_refusal,
    target_of,
    trial_state,
)
from infusion_app.logic.escalation import DecisionKind
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.resources import resources_dir

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=30)
SHIPPED = resources_dir() / "protocols"


@pytest.fixture(scope="module")
def ucmsc() -> Protocol:
    return load_protocol("ucmsc-cart-cytopenia", SHIPPED)


@pytest.fixture(scope="module")
def crc() -> Protocol:
    return load_protocol("msc-l-crc", SHIPPED)


_numbers = count(1)


def patient(
    level: str,
    dlt: bool | None = False,
    *,
    closes: datetime | None = T0 + timedelta(days=1),
    left: datetime | None = None,
    awaiting: int = 0,
) -> PatientDlt:
    """``dlt`` True: a confirmed DLT; False: none; None: window still open."""
    n = next(_numbers)
    return PatientDlt(
        trial_id=f"P{n:04d}",
        level=level,
        enrolled_at=T0 + timedelta(minutes=n),
        treated=True,
        window_closes=NOW + timedelta(days=7) if dlt is None else closes,
        confirmed=1 if dlt else 0,
        awaiting_review=awaiting,
        left_at=left,
    )


def review(state: TrialState) -> SignedReview:
    """What signing the due decision writes (as services.trial does)."""
    at = NOW
    seen = frozenset(p.trial_id for p in (*state.patients, *state.expansion))
    assert state.current is not None
    if state.phase is Phase.SELECTION_DUE:
        assert state.selection is not None
        return SignedReview(
            len(state.reviews) + 1,
            at,
            "inv",
            SELECT,
            state.levels[state.current],
            state.level_id(state.selection.selected),
            None,
            seen,
            True,
        )
    decision = state.decision
    assert state.phase is Phase.DECISION_DUE and decision is not None
    return SignedReview(
        len(state.reviews) + 1,
        at,
        "inv",
        decision.kind.value,
        state.levels[state.current],
        state.level_id(decision.next_level),
        state.level_id(decision.mtd),
        seen,
        decision.kind is DecisionKind.STOP,
        frozenset(state.levels[i] for i in decision.eliminated),
    )


# --- 3+3 -------------------------------------------------------------------------------------


def test_a_cohort_filling_waits_and_says_what_is_missing(ucmsc: Protocol) -> None:
    pts = [patient("A"), patient("A", None)]
    state = trial_state(ucmsc, pts, (), NOW)
    assert state.phase is Phase.WAITING and state.current == 0
    said = [str(x) for x in state.waiting]
    # 2 enrolled of 3; 1 of them evaluable (the other's window closes NOW + 7 days)
    assert said[0] == "2 of 3 enrolled"
    assert said[1] == "1 of 3 evaluable"
    assert said[2].startswith("next DLT window ends 2026-12-09")
    assert enrolment_refusal(state, "A") is None  # the third place is open
    wrong = enrolment_refusal(state, "B")
    assert wrong is not None and str(wrong) == "the dose-finding rule enrols at A now, not B"


def test_no_dlt_in_three_escalates_and_the_review_opens_the_next_cohort(ucmsc: Protocol) -> None:
    pts = [patient("A") for _ in range(3)]
    state = trial_state(ucmsc, pts, (), NOW)
    assert state.phase is Phase.DECISION_DUE
    assert state.decision is not None and state.decision.kind is DecisionKind.ESCALATE
    assert str(decision_reason(state)) == "0 DLTs in 3 evaluable at A: escalate to B"
    refused = enrolment_refusal(state, "A")
    assert refused is not None and "awaits its signed review" in str(refused)
    after = trial_state(ucmsc, pts, (review(state),), NOW)
    assert after.phase is Phase.WAITING and after.current == 1 and after.cohort == ()
    assert enrolment_refusal(after, "B") is None


def test_one_dlt_in_three_expands_and_the_signed_expansion_waits_for_three_more(
    ucmsc: Protocol,
) -> None:
    pts = [patient("A", True), patient("A"), patient("A")]
    state = trial_state(ucmsc, pts, (), NOW)
    assert state.decision is not None and state.decision.kind is DecisionKind.EXPAND
    assert str(decision_reason(state)) == "1 DLT in 3 evaluable at A: expand A to 6"
    signed = (review(state),)
    after = trial_state(ucmsc, pts, signed, NOW)
    # not asked to expand again: the new cohort of 3 fills at A
    assert after.phase is Phase.WAITING and after.decision is None
    assert [str(x) for x in after.waiting] == ["0 of 3 enrolled"]
    assert enrolment_refusal(after, "A") is None
    more = [*pts, patient("A"), patient("A"), patient("A")]
    done = trial_state(ucmsc, more, signed, NOW)
    # 1 DLT in 6 evaluable -> escalate to B
    assert done.decision is not None and done.decision.kind is DecisionKind.ESCALATE
    assert str(decision_reason(done)) == "1 DLT in 6 evaluable at A: escalate to B"


def test_the_second_dlt_stops_escalation_at_once_with_a_patient_still_pending(
    ucmsc: Protocol,
) -> None:
    a = [patient("A") for _ in range(3)]
    first = trial_state(ucmsc, a, (), NOW)
    signed = (review(first),)  # escalate to B
    b = [patient("B", True), patient("B", True), patient("B", None)]
    state = trial_state(ucmsc, [*a, *b], signed, NOW)
    assert state.counts[1].pending == 1 and state.counts[1].dlts == 2
    assert state.phase is Phase.DECISION_DUE
    assert state.decision is not None and state.decision.kind is DecisionKind.STOP
    # 2 DLTs at B: the maximum tolerated group is the one below, A
    assert str(decision_reason(state)) == (
        "2 DLTs in 2 evaluable at B: stop escalation; the maximum tolerated level is A"
    )
    over = trial_state(ucmsc, [*a, *b], (*signed, review(state)), NOW)
    assert over.phase is Phase.COMPLETE and over.current is None
    refused = enrolment_refusal(over, "A")
    assert refused is not None and "is over" in str(refused)


def test_two_dlts_at_the_lowest_group_leave_no_tolerated_group(ucmsc: Protocol) -> None:
    state = trial_state(ucmsc, [patient("A", True), patient("A", True)], (), NOW)
    assert state.decision is not None and state.decision.mtd is None
    assert str(decision_reason(state)) == (
        "2 DLTs in 2 evaluable at A: stop escalation; no level is tolerated"
    )


def test_the_top_group_tolerated_completes_escalation(ucmsc: Protocol) -> None:
    pts: list[PatientDlt] = []
    reviews: list[SignedReview] = []
    for level in "ABC":
        pts += [patient(level) for _ in range(3)]
        state = trial_state(ucmsc, pts, reviews, NOW)
        reviews.append(review(state))
    assert str(decision_reason(state)) == (
        "0 DLTs in 3 evaluable at C: the top level is tolerated; escalation complete"
    )
    assert state.decision is not None and state.decision.mtd == 2
    assert trial_state(ucmsc, pts, reviews, NOW).phase is Phase.COMPLETE


def test_a_patient_who_leaves_before_the_window_closes_is_replaced(ucmsc: Protocol) -> None:
    gone = patient("A", None, left=NOW - timedelta(days=1))
    pts = [patient("A"), patient("A"), gone]
    state = trial_state(ucmsc, pts, (), NOW)
    assert gone.status(NOW) is DltStatus.NOT_EVALUABLE
    assert state.to_replace == (gone,)
    assert state.counts[0].not_evaluable == 1 and state.counts[0].evaluable == 2
    assert state.phase is Phase.WAITING and len(state.cohort) == 2
    assert enrolment_refusal(state, "A") is None  # the place is open again
    replaced = trial_state(ucmsc, [*pts, patient("A")], (), NOW)
    assert replaced.decision is not None and replaced.decision.kind is DecisionKind.ESCALATE


def test_a_flag_awaiting_review_keeps_the_patient_pending_after_the_window(
    ucmsc: Protocol,
) -> None:
    waiting = patient("A", False, awaiting=1)
    state = trial_state(ucmsc, [patient("A"), patient("A"), waiting], (), NOW)
    assert waiting.status(NOW) is DltStatus.PENDING
    assert state.phase is Phase.WAITING
    assert "1 DLT flagged, awaiting the investigator's review" in [
        str(x) for x in state.waiting
    ]


def test_a_full_cohort_refuses_a_fourth_patient(ucmsc: Protocol) -> None:
    state = trial_state(ucmsc, [patient("A", None) for _ in range(3)], (), NOW)
    refused = enrolment_refusal(state, "A")
    assert refused is not None and "has its 3 patients" in str(refused)


# --- BOIN ------------------------------------------------------------------------------------


def test_boin_cohorts_follow_the_boundaries(crc: Protocol) -> None:
    # target 0.35: lambda_e = ln(0.79/0.65) / ln(0.35 x 0.79 / (0.21 x 0.65)) = 0.19502 /
    # 0.70433 = 0.2769; lambda_d = ln(0.65/0.51) / ln(0.49 x 0.65 / (0.35 x 0.51)) =
    # 0.24256 / 0.57903 = 0.4189. With n = 3: 0/3 = 0 <= 0.2769 escalates; 1/3 = 0.333 is
    # between: stay; 2/3 = 0.667 > 0.4189 de-escalates.
    one = [patient("1") for _ in range(3)]
    state = trial_state(crc, one, (), NOW)
    assert state.decision is not None and state.decision.kind is DecisionKind.ESCALATE
    assert str(decision_reason(state)) == "0 DLTs in 3 evaluable at 1: escalate to 2"
    signed = [review(state)]
    two = [patient("2", True), patient("2"), patient("2")]
    state = trial_state(crc, [*one, *two], signed, NOW)
    assert state.decision is not None and state.decision.kind is DecisionKind.STAY
    assert str(decision_reason(state)) == "1 DLT in 3 evaluable at 2: stay at 2"
    signed.append(review(state))
    more = [patient("2", True), patient("2", True), patient("2")]
    state = trial_state(crc, [*one, *two, *more], signed, NOW)
    # 3 DLTs in 6 at level 2: 0.5 > 0.4189 de-escalates to 1
    assert state.decision is not None and state.decision.kind is DecisionKind.DEESCALATE
    assert state.level_id(state.decision.next_level) == "1"


def test_boin_waits_for_every_patient_of_the_cohort(crc: Protocol) -> None:
    state = trial_state(crc, [patient("1"), patient("1"), patient("1", None)], (), NOW)
    assert state.phase is Phase.WAITING and state.decision is None


def test_boin_dose_finding_ends_with_the_selection_after_18_patients(crc: Protocol) -> None:
    pts: list[PatientDlt] = []
    reviews: list[SignedReview] = []
    state = trial_state(crc, pts, reviews, NOW)
    # every patient DLT-free: 1 -> 2 -> 3, then stay at 3 (escalate at the top means stay)
    while state.phase is not Phase.SELECTION_DUE:
        assert state.phase is Phase.WAITING
        assert state.current is not None
        pts += [patient(state.levels[state.current]) for _ in range(3)]
        state = trial_state(crc, pts, reviews, NOW)
        if state.phase is Phase.DECISION_DUE:
            reviews.append(review(state))
            state = trial_state(crc, pts, reviews, NOW)
    # 3 at level 1, 3 at level 2, then level 3 until its 9th patient (n.earlystop = 9) with
    # stay: 3 + 3 + 9 = 15 evaluable
    assert [c.evaluable for c in state.counts] == [3, 3, 9]
    assert state.selection is not None and state.selection.selected == 2
    assert all(e is not None for e in state.selection.estimates)  # every level was treated
    assert state.eliminated == ()
    assert str(decision_reason(state)) == "dose finding complete: the optimal dose is 3"
    refused = enrolment_refusal(state, "3")
    assert refused is not None and "awaits its signed review" in str(refused)
    reviews.append(review(state))
    after = trial_state(crc, pts, reviews, NOW)
    assert after.phase is Phase.EXPANSION
    assert enrolment_refusal(after, "3") is None
    wrong = enrolment_refusal(after, "2")
    assert wrong is not None and "enrols at 3" in str(wrong)
    expansion = trial_state(crc, [*pts, patient("3")], reviews, NOW)
    assert len(expansion.expansion) == 1 and [c.enrolled for c in expansion.counts] == [3, 3, 9]


def test_boin_stops_when_the_lowest_level_is_eliminated(crc: Protocol) -> None:
    # P(p > 0.35 | 3 DLTs in 3) = P(Binomial(4, 0.35) <= 3) = 1 - 0.35^4 = 0.985 > 0.95
    state = trial_state(crc, [patient("1", True) for _ in range(3)], (), NOW)
    assert state.decision is not None and state.decision.kind is DecisionKind.STOP
    assert state.decision.eliminated == (0, 1, 2)
    assert state.eliminated == (0, 1, 2)  # shown with the tracker, not only in the decision
    assert str(decision_reason(state)) == (
        "the lowest level 1 is eliminated (too toxic): stop the trial"
    )


def test_a_boin_level_stays_eliminated_once_signed(crc: Protocol) -> None:
    """As in R's BOIN: level 2 eliminated at 3 DLTs in 3 (P(Binomial(4, 0.35) <= 3) = 0.985)
    stays eliminated after six DLT-free patients are enrolled at it as deviations, although
    3 DLTs in 9 alone (P(Binomial(10, 0.35) <= 3) = 0.514) would not eliminate it."""
    one = [patient("1") for _ in range(3)]
    signed = [review(trial_state(crc, one, (), NOW))]  # 0/3: escalate to 2
    two = [patient("2", True) for _ in range(3)]
    state = trial_state(crc, [*one, *two], signed, NOW)
    assert state.decision is not None and state.decision.kind is DecisionKind.DEESCALATE
    assert state.eliminated == (1, 2)
    signed.append(review(state))
    more_one = [patient("1") for _ in range(3)]
    deviations = [patient("2") for _ in range(6)]
    state = trial_state(crc, [*one, *two, *more_one, *deviations], signed, NOW)
    assert state.counts[1].evaluable == 9 and state.counts[1].dlts == 3
    # 0 DLTs in 6 at level 1 would escalate; level 2 is out: stay at 1
    assert state.eliminated == (1, 2)
    assert state.decision is not None and state.decision.kind is DecisionKind.STAY
    assert state.decision.next_level == 0 and state.decision.eliminated == (1, 2)


# --- the property: nothing recommended beyond what the rules allow -------------------------


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from(["ucmsc-cart-cytopenia", "msc-l-crc"]))
def test_no_outcomes_make_the_tracker_recommend_an_eliminated_level_or_one_above_a_stop(
    data: st.DataObject, protocol_id: str
) -> None:
    protocol = load_protocol(protocol_id, SHIPPED)
    pts: list[PatientDlt] = []
    reviews: list[SignedReview] = []
    stopped_at: int | None = None
    for _ in range(40):
        state = trial_state(protocol, pts, reviews, NOW)
        if state.phase in (Phase.COMPLETE, Phase.EXPANSION):
            break
        tallies = [c.tally for c in state.counts]
        eliminated = (
            set(eliminated_levels(tallies, target_of(protocol), Fraction(95, 100)))
            if state.method == "boin"
            else set()
        )
        if state.phase is Phase.WAITING:
            assert state.current is not None
            assert state.current not in eliminated
            level = state.levels[state.current]
            pts += [patient(level, data.draw(st.booleans())) for _ in range(3)]
            continue
        if state.phase is Phase.SELECTION_DUE:
            assert state.selection is not None
            for pick in (state.selection.selected, state.selection.selected_largest_on_tie):
                assert pick is None or pick not in eliminated
        else:
            decision = state.decision
            assert decision is not None
            nxt = decision.next_level
            assert nxt is None or nxt not in eliminated
            if stopped_at is not None:
                assert nxt is None or nxt < stopped_at
            if decision.kind is DecisionKind.STOP:
                stopped_at = decision.level
        reviews.append(review(state))
