"""What is due now: ``due_items(state, protocol, now)``.

Nothing here is stored: every deadline is recomputed from the stored event times each time it
is asked for, so after a crash or a restart the same state and the same ``now`` give exactly
the same items. An item is *due* from ``due_at``; it is *overdue* from ``overdue_at`` (the
protocol's grace, 5 min by default), when its priority rises to medium. Some items are high
whatever the time: a product past its post-thaw limit, an open alarm of the latest vital
signs, a serious adverse event waiting to be reported.

The checks after an infusion (the 24-hour acute-reaction check, the delayed-reaction checks
of weeks 4 to 24) are not items of one infusion: they are occurrences of the patient's
calendar (``logic.course.calendar``), counted from the course's anchors, and the site's day
(``services.site_day``) lists them. An infusion's old ``follow_up_done`` entries still fold
and count as those occurrences done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from infusion_app.logic import messages as m
from infusion_app.logic.alarms import Priority
from infusion_app.logic.infusion_state import InfusionState
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import rate_step_due


@dataclass(frozen=True)
class DueItem:
    kind: str
    due_at: datetime
    overdue_at: datetime | None
    priority: Priority
    overdue: bool
    message: Message

    def state_at(self, now: datetime) -> str:
        if self.overdue:
            return "overdue"
        return "due" if now >= self.due_at else "upcoming"


class _Items:
    """Collects items; a low item past its ``overdue_at`` becomes medium."""

    def __init__(self, now: datetime, grace: timedelta) -> None:
        self.now = now
        self.grace = grace
        self.items: list[DueItem] = []

    def timed(
        self,
        kind: str,
        due: datetime,
        message: Message,
        *,
        overdue_after: timedelta | bool = True,
        priority: Priority = Priority.LOW,
    ) -> None:
        after = self.grace if overdue_after is True else overdue_after
        overdue_at = due + after if isinstance(after, timedelta) else None
        overdue = overdue_at is not None and self.now >= overdue_at
        if overdue and priority is Priority.LOW:
            priority = Priority.MEDIUM
        self.items.append(DueItem(kind, due, overdue_at, priority, overdue, message))


def due_items(
    state: InfusionState,
    protocol: Protocol,
    now: datetime,
    *,
    plan_opens: datetime | None = None,
) -> list[DueItem]:
    """Every timed item of this infusion, most urgent first, then by time.

    ``plan_opens``: when the patient's plan lets this infusion start at all (its window's
    opening, :func:`infusion_app.logic.course.start_opens`; the start is refused before it).
    A start the premedication allows earlier is allowed only then, and before the
    premedication the opening itself is what comes; None where no plan applies."""
    out = _Items(now, timedelta(minutes=protocol.monitoring.vitals_overdue_after_min.value))
    if state.started_at is None and not state.stopped:
        _before_start(state, protocol, out, plan_opens)
    elif state.running:
        _during(state, protocol, out)
    elif state.started_at is not None and state.observation_ended_at is None:
        _observation(state, protocol, out)

    for entry in state.adverse_events:
        if entry.report_due_at is not None and entry.reported_at is None:
            out.timed(
                "sae_report",
                entry.report_due_at,
                m.due_sae_report(
                    seq=entry.seq,
                    term=m.value_of("ae_term", entry.event.name),
                    grade=entry.event.grade,
                    by=entry.report_due_at,
                ),
                overdue_after=timedelta(),
                priority=Priority.HIGH,
            )

    latest = max(state.vitals, key=lambda v: (v.at, v.seq)) if state.vitals else None
    for alarm in state.open_alarms:
        assert latest is not None
        out.items.append(
            DueItem(
                f"alarm:{alarm.code}",
                latest.at,
                None,
                alarm.priority,
                False,
                m.due_alarm(alarm=alarm.message, action=alarm.suggested_action),
            )
        )
    return sorted(out.items, key=lambda i: (i.priority.rank, i.due_at, i.kind))


def _before_start(
    state: InfusionState, protocol: Protocol, out: _Items, plan_opens: datetime | None
) -> None:
    premed = protocol.premedication
    if state.premedication_at is not None:
        allowed = state.premedication_at + timedelta(minutes=premed.minutes_before.value)
        latest = state.premedication_at + timedelta(minutes=premed.latest_start_after_min.value)
        if plan_opens is not None and plan_opens > allowed:
            allowed = plan_opens  # the later of the two rules the start must pass
        out.timed(
            "start_allowed",
            allowed,
            m.due_start_allowed(at=allowed),
            overdue_after=max(latest - allowed, timedelta()),
        )
    elif plan_opens is not None and out.now < plan_opens:
        out.timed(
            "window_opens",
            plan_opens,
            m.due_window_opens(at=plan_opens),
            overdue_after=False,
        )
    if state.thawed_at is not None:
        limit = state.thawed_at + timedelta(minutes=protocol.infusion.post_thaw_limit_min.value)
        if out.now >= limit:
            message = m.due_post_thaw_passed()
            out.items.append(DueItem("post_thaw_limit", limit, limit, Priority.HIGH, True, message))
        else:
            out.timed(
                "post_thaw_limit",
                limit,
                m.due_post_thaw_limit(),
                overdue_after=False,
            )


def _during(state: InfusionState, protocol: Protocol, out: _Items) -> None:
    started = state.started_at
    assert started is not None
    step = rate_step_due(state, protocol, out.now)
    if step is not None:
        assert state.dose is not None
        rate = state.dose.phase2_rate_gtt_per_min
        out.timed("rate_step", step, m.due_rate_step(rate=rate))
    last = max((v.at for v in state.vitals if v.at >= started), default=started)
    interval = timedelta(minutes=protocol.monitoring.vitals_interval_min.value)
    out.timed("vitals", last + interval, m.due_vitals())
    expected = expected_end(state, protocol, out.now)
    if expected is not None:
        longest = timedelta(minutes=protocol.infusion.duration_max_min.value)
        latest = started + longest + state.paused_time(out.now)
        out.timed(
            "expected_end",
            expected,
            m.due_expected_end(),
            overdue_after=max(latest - expected, timedelta()),
        )


def _observation(state: InfusionState, protocol: Protocol, out: _Items) -> None:
    monitoring = protocol.monitoring
    end = state.ended_at
    assert end is not None
    observation_end = end + timedelta(minutes=monitoring.observation_min.value)
    if state.end_vitals is None:
        out.timed("vitals", end, m.due_end_vitals())
    else:
        last = max(v.at for v in state.vitals if v.at >= end)
        due = last + timedelta(minutes=monitoring.observation_vitals_interval_min.value)
        if due < observation_end:
            out.timed("vitals", due, m.due_observation_vitals())
    out.timed("observation_end", observation_end, m.due_observation_end())


def expected_end(state: InfusionState, protocol: Protocol, now: datetime) -> datetime | None:
    """When the bag should run dry at the rates set so far (an estimate: drops are manual)."""
    dose = state.dose
    if dose is None or state.started_at is None:
        return None
    if state.ended_at is not None:
        return state.ended_at
    df = Decimal(dose.drop_factor_gtt_per_ml)
    rate1 = Decimal(dose.phase1_rate_gtt_per_min)
    if dose.phase2_rate_gtt_per_min is None:
        minutes = dose.bag_volume_ml * df / rate1
    else:
        if state.rate_step_at is not None:
            slow = Decimal(state.active_time(state.rate_step_at).total_seconds()) / 60
            rate2 = Decimal(state.rate_gtt_per_min or dose.phase2_rate_gtt_per_min)
        else:
            slow = Decimal(protocol.infusion.phase1_duration_min.value)
            rate2 = Decimal(dose.phase2_rate_gtt_per_min)
        slow_volume = min(dose.bag_volume_ml, slow * rate1 / df)
        minutes = slow + (dose.bag_volume_ml - slow_volume) * df / rate2
    seconds = int((minutes * 60).to_integral_value())
    return state.started_at + timedelta(seconds=seconds) + state.paused_time(now)
