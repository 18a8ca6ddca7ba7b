"""Buttons disabled with the rule book's reason, and the bedside countdown text."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.availability import blocked_reasons as reasons_as_messages
from infusion_app.logic.countdown import format_remaining, next_countdown
from infusion_app.logic.event_types import EventType
from infusion_app.logic.schedule import due_items
from tests.logic.infusion_log import InfusionLog, t


def blocked_reasons(*args: Any) -> dict[BedsideAction, str | None]:
    """The reasons as the English lines a person reads (they are message values)."""
    found = reasons_as_messages(*args)
    return {action: None if why is None else str(why) for action, why in found.items()}


def test_before_the_start_only_what_the_protocol_allows_is_enabled(cart):
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    reasons = blocked_reasons(log.state, cart, t("08:18"))
    # 08:18 is 12 min before premed + 30 = 08:30
    assert reasons[BedsideAction.START] == (
        "start blocked: 12 min left of the 30 min after dexamethasone"
    )
    assert reasons[BedsideAction.PREMEDICATION] == (
        "premedication: already given at 2026-11-21 08:00 UTC; correct that entry instead"
    )
    assert reasons[BedsideAction.RATE_STEP] == "rate: the infusion has not started"
    assert reasons[BedsideAction.VITALS] is None
    assert reasons[BedsideAction.ADVERSE_EVENT] is None
    assert blocked_reasons(log.state, cart, t("08:30"))[BedsideAction.START] is None


def test_a_late_start_is_a_reason_to_give_not_a_disabled_button(cart):
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    assert blocked_reasons(log.state, cart, t("09:30"))[BedsideAction.START] is None


def test_running_the_slow_phase(cart):
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    reasons = blocked_reasons(log.state, cart, t("08:47"))
    # 08:47: 12 of the 15 min slow phase run
    assert (
        reasons[BedsideAction.RATE_STEP] == "rate step blocked: 3 min left of the 15 min slow phase"
    )
    assert reasons[BedsideAction.PAUSE] is None
    assert reasons[BedsideAction.RESUME] == "resume: the infusion is not paused"
    assert reasons[BedsideAction.START] == "start: the infusion started at 2026-11-21 08:35 UTC"
    assert reasons[BedsideAction.END] is None


def test_countdown_texts(cart):
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    now = t("08:18") + timedelta(seconds=20)
    countdown = next_countdown(due_items(log.state, cart, now), now)
    # start allowed 08:30:00 - 08:18:20 = 11 min 40 s
    assert (countdown.label, countdown.text) == ("Start allowed in", "11:40")
    # once the start is allowed, the post-thaw limit (08:10 + 120 = 10:10) counts down
    now = t("08:31")
    countdown = next_countdown(due_items(log.state, cart, now), now)
    assert (countdown.label, countdown.text) == ("Post-thaw limit in", "1:39:00")
    log.started(t("08:35"))
    now = t("08:47") + timedelta(seconds=57)
    countdown = next_countdown(due_items(log.state, cart, now), now)
    # rate step and vitals both at 08:50:00, 2 min 3 s away: the rate step is named
    assert (countdown.label, countdown.text) == ("Rate step in", "02:03")
    now = t("08:56")
    countdown = next_countdown(due_items(log.state, cart, now), now)
    assert (countdown.label, countdown.text, countdown.overdue) == ("Rate step due", "", True)


def test_format_remaining():
    assert format_remaining(252) == "04:12"
    assert format_remaining(4365) == "1:12:45"  # 1 h 12 min 45 s
    assert format_remaining(0.2) == "00:01"  # a part second is shown as a whole one
    assert format_remaining(-5) == "00:00"


def test_a_start_too_late_for_now_is_open_to_a_back_entry_within_the_thaw_limit(cart):
    """After a downtime the start is entered with its paper time: the button must not be
    disabled because *now* is past the post-thaw limit, when the start happened within it."""
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    # 10:40 is 150 min after the thaw, past its 120 min limit (10:10)
    at_now = blocked_reasons(log.state, cart, t("10:40"))[BedsideAction.START]
    assert at_now is not None and "post-thaw limit" in at_now
    # a start could have happened from 08:30 (premed + 30) to 10:10: open to a back-entry
    found = reasons_as_messages(log.state, cart, t("10:40"), back_to=t("08:00"))
    assert found[BedsideAction.START] is None
    # but not when the back-entry limit reaches only to 10:15, after the thaw limit
    late = reasons_as_messages(log.state, cart, t("10:40"), back_to=t("10:15"))
    assert late[BedsideAction.START] is not None
    # order still holds: nothing opens the observation end before the infusion ended
    assert found[BedsideAction.OBSERVATION_END] is not None


def test_the_start_is_allowed_no_earlier_than_the_plans_window(cart):
    """``plan_opens`` is when the patient's plan lets this infusion start (logic.course); the
    start is allowed at the later of it and the premedication's 30 min, as the service will
    judge it, and before the premedication the opening itself is counted down."""
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    window = t("00:00", day=24)  # the plan's window opens 24 Nov 00:00 UTC
    # nothing given yet: the window's opening is what comes, 24 Nov 00:00 - 21 Nov 07:45
    # = 2 days 16 h 15 min = 64:15:00
    now = t("07:45")
    [item] = due_items(log.state, cart, now, plan_opens=window)
    assert (item.kind, item.due_at, item.overdue) == ("window_opens", window, False)
    assert str(item.message) == "the plan's window for this infusion opens at 2026-11-24 00:00 UTC"
    countdown = next_countdown([item], now)
    assert (countdown.label, countdown.text) == ("Plan window opens in", "64:15:00")

    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    now = t("08:18")
    start = next(
        i for i in due_items(log.state, cart, now, plan_opens=window) if i.kind == "start_allowed"
    )
    # premedication 08:00 + 30 = 08:30, before the window: the window's opening decides
    assert start.due_at == window
    assert str(start.message) == "start allowed from 2026-11-24 00:00 UTC"
    # the premedication's latest start (08:00 + 60 = 09:00) lies before it: overdue at once
    assert start.overdue_at == window
    countdown = next_countdown(due_items(log.state, cart, now, plan_opens=window), now)
    # 24 Nov 00:00 - 21 Nov 08:18 = 2 days 15 h 42 min = 63:42:00
    assert (countdown.label, countdown.text) == ("Start allowed in", "63:42:00")

    # a window open since the enrolment changes nothing: the premedication's 30 min decide
    opened = t("06:00")
    start = next(
        i for i in due_items(log.state, cart, now, plan_opens=opened) if i.kind == "start_allowed"
    )
    assert (start.due_at, start.overdue_at) == (t("08:30"), t("09:00"))
    assert due_items(log.state, cart, now, plan_opens=opened) == due_items(log.state, cart, now)
