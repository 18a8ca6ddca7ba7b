"""What the lists say of a start matches what the start will be allowed (issue 14): the
worklist's countdown, ``infusion status``, the ward board and the bedside view count down to
the later of the premedication's 30 minutes and the plan's window, as
``bedside.start_infusion`` judges it (logic.course.check_start).

P007 in group C (ucmsc-cart-cytopenia): infusion 1 given Mon 23 Nov 2026 at 09:05 local
(Asia/Shanghai, UTC+8). Infusion 2 is due 7 days later, Mon 30 Nov, with a -1/+2 day window:
it may start from Sun 29 Nov 00:00 local. Its record is made on Thu 26 Nov 08:30 local.
"""

from __future__ import annotations

import pytest

from infusion_app.logic import messages as m
from infusion_app.logic.course import CourseRefused
from infusion_app.services.status import infusion_status
from infusion_app.services.views import bedside_view, list_infusions
from infusion_app.services.ward_board import ward_board
from infusion_app.texts import render
from tests.fakes import FakeClock
from tests.services.course_steps import (
    SHANGHAI,
    enrolled,
    give,
    local,
    new_infusion,
    ready_to_start,
    start,
)

WINDOW_OPENS = local(2026, 11, 29)  # Sun 29 Nov 00:00 local = Sat 28 Nov 16:00 UTC


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(2026, 11, 23, 8, 30))  # a Monday


def countdown_of(ctx, infusion_id: int):
    row = next(r for r in list_infusions(ctx) if r.infusion_id == infusion_id)
    return row.next_due


def test_the_lists_count_down_to_the_plans_window_as_the_start_is_judged(ctx, staff, clock):
    enrolled(ctx, staff, "P007", "ucmsc-cart-cytopenia", "C")
    give(ctx, staff, clock, "P007", 1)
    clock.now = local(2026, 11, 26, 8, 30)
    second = new_infusion(ctx, staff, "P007", 2)

    # nothing given yet: the window's opening is what comes, 29 Nov 00:00 - 26 Nov 08:30
    # = 2 days 15 h 30 min = 63:30:00
    said = countdown_of(ctx, second)
    assert (said.kind, said.label, said.text) == (
        "window_opens",
        "Plan window opens in",
        "63:30:00",
    )
    board = next(r for r in ward_board(ctx).infusions if r.infusion_id == second)
    assert board.next_due is not None
    assert (board.next_due.kind, board.next_due.due_at) == ("window_opens", WINDOW_OPENS)
    [item] = infusion_status(ctx, second).due
    assert (item.kind, item.due_at) == ("window_opens", WINDOW_OPENS)
    assert render(item.message, "en", SHANGHAI) == (
        "the plan's window for this infusion opens at 2026-11-29 00:00"
    )

    # premedication at 08:30, thawed 08:40, ready at 09:05: the premedication alone would
    # allow 09:00 (the lists said "Start allowed in" then), but the plan allows 29 Nov 00:00.
    # Nearer comes the thawed bag's limit, 08:40 + 120 min = 10:40: 1:35:00 from 09:05.
    ready_to_start(ctx, staff, clock, "P007", second)
    said = countdown_of(ctx, second)
    assert (said.kind, said.label, said.text) == (
        "post_thaw_limit",
        "Post-thaw limit in",
        "1:35:00",
    )
    status = infusion_status(ctx, second)
    allowed = next(i for i in status.due if i.kind == "start_allowed")
    assert allowed.due_at == WINDOW_OPENS
    assert render(allowed.message, "en", SHANGHAI) == "start allowed from 2026-11-29 00:00"
    assert next(i for i in bedside_view(ctx, second).status.due if i.kind == "start_allowed") == (
        allowed
    )

    # and the start is refused until that very moment
    with pytest.raises(CourseRefused) as refused:
        start(ctx, staff, second)
    assert refused.value.message == m.course_window_not_open(
        number=2, opens=WINDOW_OPENS, target="2026-11-30"
    )


def test_an_open_window_leaves_the_premedications_rule_alone(ctx, staff, clock):
    enrolled(ctx, staff, "P008", "ucmsc-cart-cytopenia", "A")
    first = new_infusion(ctx, staff, "P008", 1)  # due from the enrolment, 08:30 local
    ready_to_start(ctx, staff, clock, "P008", first)  # premedication 08:30, now 09:05
    allowed = next(i for i in infusion_status(ctx, first).due if i.kind == "start_allowed")
    # 08:30 + 30 min = 09:00 local, overdue after 08:30 + 60 min = 09:30
    assert (allowed.due_at, allowed.overdue_at) == (
        local(2026, 11, 23, 9),
        local(2026, 11, 23, 9, 30),
    )
    assert countdown_of(ctx, first).kind == "post_thaw_limit"  # the start is allowed already
