"""The 3+3 rule (logic.three_plus_three) on scripted cohorts: every branch, decided as soon as
the outcome is certain (issue 15, ``ucmsc-cart-cytopenia``: groups A, B, C = levels 1, 2, 3)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.logic.escalation import Decision, DecisionKind, LevelTally
from infusion_app.logic.three_plus_three import cohort_target, three_plus_three, waiting_reason

T = LevelTally
A, B, C = 0, 1, 2


def at(level: int, tally: LevelTally, levels: int = 3) -> list[LevelTally]:
    """Three levels, the earlier ones tolerated (0 of 3), ``tally`` at ``level``."""
    tallies = [T(3, 0)] * levels
    tallies[level] = tally
    return tallies


def decide(level: int, tally: LevelTally, *, expanded: bool) -> Decision | None:
    return three_plus_three(at(level, tally), level, expanded=expanded)


def test_cohort_sizes() -> None:
    assert (cohort_target(False), cohort_target(True)) == (3, 6)


def test_zero_of_three_escalates() -> None:
    decision = decide(A, T(3, 0), expanded=False)
    assert decision is not None
    assert (decision.kind, decision.level, decision.next_level) == (DecisionKind.ESCALATE, A, B)
    assert (decision.mtd, decision.complete, decision.eliminated) == (None, False, ())
    assert str(decision.reason) == "0 DLTs in 3 evaluable at level 1: escalate to level 2"


def test_one_of_three_expands_the_level_to_six() -> None:
    decision = decide(B, T(3, 1), expanded=False)
    assert decision is not None
    assert (decision.kind, decision.next_level, decision.complete) == (
        DecisionKind.EXPAND,
        B,
        False,
    )
    assert str(decision.reason) == "1 DLT in 3 evaluable at level 2: expand level 2 to 6"


def test_one_of_six_escalates() -> None:
    decision = decide(B, T(6, 1), expanded=True)
    assert decision is not None
    assert (decision.kind, decision.next_level) == (DecisionKind.ESCALATE, C)
    assert str(decision.reason) == "1 DLT in 6 evaluable at level 2: escalate to level 3"


def test_zero_of_six_after_a_rejected_dlt_escalates() -> None:
    # expanded after 1 of 3, then the investigator rejected that DLT on review
    decision = decide(B, T(6, 0), expanded=True)
    assert decision is not None and decision.kind is DecisionKind.ESCALATE


@pytest.mark.parametrize(
    ("tally", "expanded"),
    [(T(3, 2), False), (T(3, 3), False), (T(6, 2), True), (T(6, 3), True)],
)
def test_two_or_more_dlts_stop_with_the_level_below_tolerated(
    tally: LevelTally, expanded: bool
) -> None:
    decision = decide(C, tally, expanded=expanded)
    assert decision is not None
    assert (decision.kind, decision.next_level, decision.mtd, decision.complete) == (
        DecisionKind.STOP,
        None,
        B,
        True,
    )
    assert str(decision.reason) == (
        f"{tally.dlts} DLTs at level 3: stop escalation; maximum tolerated level 2"
    )


def test_the_second_dlt_stops_at_once_with_a_patient_pending() -> None:
    # 2 evaluable, both DLTs, the 3rd patient's window still open: no result can undo it
    decision = decide(B, T(2, 2, pending=1), expanded=False)
    assert decision is not None
    assert (decision.kind, decision.mtd, decision.complete) == (DecisionKind.STOP, A, True)
    # in an expanded cohort too: 2 of 4 with 2 pending
    expanded = decide(B, T(4, 2, pending=2), expanded=True)
    assert expanded is not None and expanded.kind is DecisionKind.STOP


def test_a_stop_at_the_lowest_level_leaves_no_tolerated_level() -> None:
    decision = decide(A, T(3, 2), expanded=False)
    assert decision is not None
    assert (decision.kind, decision.mtd, decision.next_level) == (DecisionKind.STOP, None, None)
    assert str(decision.reason) == (
        "2 DLTs at level 1, the lowest: stop escalation; no level is tolerated"
    )


@pytest.mark.parametrize(("tally", "expanded"), [(T(3, 0), False), (T(6, 1), True)])
def test_the_top_level_tolerated_completes_escalation(tally: LevelTally, expanded: bool) -> None:
    decision = decide(C, tally, expanded=expanded)
    assert decision is not None
    # never "escalate" past the top: stop, with the top level tolerated
    assert (decision.kind, decision.next_level, decision.mtd, decision.complete) == (
        DecisionKind.STOP,
        None,
        C,
        True,
    )
    assert str(decision.reason) == (
        f"{tally.dlts} DLT{'s' if tally.dlts != 1 else ''} in {tally.evaluable} evaluable at "
        "level 3, the top level: tolerated, escalation complete"
    )


def test_the_top_level_expands_like_any_other() -> None:
    decision = decide(C, T(3, 1), expanded=False)
    assert decision is not None and decision.kind is DecisionKind.EXPAND


@pytest.mark.parametrize(
    ("tally", "expanded"),
    [
        (T(0, 0, pending=3), False),  # nobody evaluable yet
        (T(2, 0, pending=1), False),  # 0/3 or 1/3 still possible
        (T(2, 1, pending=1), False),  # expand (1/3) or stop (2/3) still possible
        (T(1, 1, pending=2), False),
        (T(5, 1, pending=1), True),  # escalate (1/6) or stop (2/6) still possible
        (T(3, 1, pending=3), True),  # expanded: the first 3 are not enough any more
        # 0 of 5 with one pending can only end in "escalate", but the next cohort starts only
        # once every patient of this one is evaluable, so the rule waits for the 6th
        (T(5, 0, pending=1), True),
    ],
)
def test_undecided_cohorts_wait(tally: LevelTally, expanded: bool) -> None:
    assert decide(B, tally, expanded=expanded) is None


def test_waiting_says_what_is_missing() -> None:
    reason = waiting_reason(T(2, 1, pending=1), A, expanded=False)
    assert str(reason) == "waiting: 2 of 3 evaluable at level 1 (1 DLT so far, 1 pending)"
    reason = waiting_reason(T(4, 1, pending=2), B, expanded=True)
    assert str(reason) == "waiting: 4 of 6 evaluable at level 2 (1 DLT so far, 2 pending)"


def test_a_patient_who_left_early_is_replaced() -> None:
    # 3 enrolled at A: one left before the window ended without a DLT (not evaluable, not
    # counted, to be replaced), so A has 2 evaluable and waits; the replacement's window
    # ends without a DLT and A is decided on 3 evaluable.
    assert decide(A, T(2, 0, pending=0), expanded=False) is None
    assert decide(A, T(2, 0, pending=1), expanded=False) is None  # the replacement enrolled
    decision = decide(A, T(3, 0), expanded=False)
    assert decision is not None and decision.kind is DecisionKind.ESCALATE


def test_a_scripted_trial_a_to_c() -> None:
    # A: 0/3 -> escalate; B: 1/3 -> expand; B: 1/6 -> escalate; C: the 2nd DLT with one
    # patient pending -> stop, maximum tolerated level B.
    script = [
        (A, [T(3, 0), T(0, 0), T(0, 0)], False, DecisionKind.ESCALATE, B),
        (B, [T(3, 0), T(3, 1), T(0, 0)], False, DecisionKind.EXPAND, B),
        (B, [T(3, 0), T(6, 1), T(0, 0)], True, DecisionKind.ESCALATE, C),
        (C, [T(3, 0), T(6, 1), T(2, 2, pending=1)], False, DecisionKind.STOP, None),
    ]
    for level, tallies, expanded, kind, next_level in script:
        decision = three_plus_three(tallies, level, expanded=expanded)
        assert decision is not None
        assert (decision.kind, decision.next_level) == (kind, next_level)
    assert decision.mtd == B and decision.complete


def test_a_level_outside_the_tallies_is_a_bug() -> None:
    with pytest.raises(ValueError):
        three_plus_three([T(3, 0)], 1, expanded=False)
    with pytest.raises(ValueError):
        three_plus_three([], 0, expanded=False)


@pytest.mark.parametrize(
    ("evaluable", "dlts", "pending"), [(-1, 0, 0), (3, -1, 0), (3, 0, -1), (2, 3, 0)]
)
def test_an_impossible_tally_is_a_bug(evaluable: int, dlts: int, pending: int) -> None:
    with pytest.raises(ValueError):
        T(evaluable, dlts, pending)


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.booleans(), min_size=0, max_size=30), st.integers(1, 5))
def test_a_trial_run_by_the_rule_never_goes_above_a_stop(outcomes: list[bool], levels: int) -> None:
    # patients one at a time at the level the rule names; a decision once the cohort is in
    evaluable, dlts = [0] * levels, [0] * levels
    current, expanded = 0, False
    for dlt in outcomes:
        evaluable[current] += 1
        dlts[current] += dlt
        tallies = [T(n, y) for n, y in zip(evaluable, dlts, strict=True)]
        decision = three_plus_three(tallies, current, expanded=expanded)
        if decision is None:
            continue
        if decision.kind is DecisionKind.STOP:
            assert decision.complete and decision.next_level is None
            if decision.mtd is not None:
                assert decision.mtd <= current
                assert all(y < 2 for y in dlts[: decision.mtd + 1])  # each tolerated
            return
        assert decision.next_level is not None
        assert dlts[current] < 2
        assert decision.next_level in (current, current + 1)
        expanded = decision.kind is DecisionKind.EXPAND
        current = decision.next_level
