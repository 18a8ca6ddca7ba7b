"""The 3+3 rule of ``ucmsc-cart-cytopenia`` (issue 15), decided as soon as the outcome is certain.

On the evaluable patients of the current level: 0 DLTs in 3 -> escalate (at the top level: the
top level is tolerated, escalation complete); 1 in 3 -> expand the level to 6; at most 1 in 6 ->
escalate (top: tolerated); 2 or more DLTs at the level -> stop escalation, the maximum
tolerated level is the one below (none below the lowest). DLTs are counted per level, the
protocol's ``dlt_count_scope`` (a whole-trial count would stop earlier).

"As soon as certain" cuts one way only: the 2nd DLT stops escalation at once, whatever the
patients still pending would show, because no later result can undo it. Every other decision
waits for its whole cohort (3, or 6 once expanded) to be evaluable: the protocol starts the next
cohort only then, and a result still pending could turn "expand" into "stop".
"""

from __future__ import annotations

from collections.abc import Sequence

from infusion_app.logic import messages as m
from infusion_app.logic.escalation import (
    Decision,
    DecisionKind,
    LevelTally,
    check_level,
    dlt_count,
)
from infusion_app.logic.messages import Message

COHORT = 3
EXPANDED_COHORT = 6
STOP_DLTS = 2  # "if 2 or more DLTs occur", per level


def cohort_target(expanded: bool) -> int:
    """The evaluable patients a level needs before it is decided: 3, or 6 once expanded."""
    return EXPANDED_COHORT if expanded else COHORT


def three_plus_three(
    tallies: Sequence[LevelTally], current: int, *, expanded: bool
) -> Decision | None:
    """The decision at level ``current`` (0-based), or None while it is not yet certain.

    ``expanded`` says the level was expanded to 6 (after 1 DLT in its first 3); the caller
    knows it from its log, since 1 DLT in 4 evaluable reads differently before and after.
    None means "waiting": :func:`waiting_reason` says what is missing.
    """
    check_level(len(tallies), current)
    tally = tallies[current]
    top = len(tallies) - 1
    level = current + 1  # as people count
    if tally.dlts >= STOP_DLTS:
        if current == 0:
            reason = m.three_plus_three_stop_lowest(dlts=dlt_count(tally.dlts), level=level)
        else:
            reason = m.three_plus_three_stop(dlts=dlt_count(tally.dlts), level=level, mtd=current)
        return Decision(
            kind=DecisionKind.STOP,
            level=current,
            next_level=None,
            eliminated=(),
            mtd=current - 1 if current > 0 else None,
            complete=True,
            reason=reason,
        )
    if tally.evaluable < cohort_target(expanded):
        return None
    if not expanded and tally.dlts == 1:
        return Decision(
            kind=DecisionKind.EXPAND,
            level=current,
            next_level=current,
            eliminated=(),
            mtd=None,
            complete=False,
            reason=m.three_plus_three_expand(
                dlts=dlt_count(1), evaluable=tally.evaluable, level=level, size=EXPANDED_COHORT
            ),
        )
    # 0 DLTs in 3 (not expanded), or at most 1 in 6 (expanded): the level is tolerated
    if current == top:
        return Decision(
            kind=DecisionKind.STOP,
            level=current,
            next_level=None,
            eliminated=(),
            mtd=current,
            complete=True,
            reason=m.three_plus_three_top_tolerated(
                dlts=dlt_count(tally.dlts), evaluable=tally.evaluable, level=level
            ),
        )
    return Decision(
        kind=DecisionKind.ESCALATE,
        level=current,
        next_level=current + 1,
        eliminated=(),
        mtd=None,
        complete=False,
        reason=m.three_plus_three_escalate(
            dlts=dlt_count(tally.dlts),
            evaluable=tally.evaluable,
            level=level,
            next_level=level + 1,
        ),
    )


def waiting_reason(tally: LevelTally, current: int, *, expanded: bool) -> Message:
    """What an undecided level is waiting for: "waiting: 2 of 3 evaluable at level 1 (1 DLT so
    far, 1 pending)". The tracker adds the date the next window ends; logic has no clock."""
    return m.three_plus_three_waiting(
        evaluable=tally.evaluable,
        size=cohort_target(expanded),
        level=current + 1,
        dlts=dlt_count(tally.dlts),
        pending=tally.pending,
    )
