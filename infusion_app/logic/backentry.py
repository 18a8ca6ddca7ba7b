"""When an event may be recorded: never in the future, never before the patient was known,
not further back than the protocol's back-entry limit, and late only with a reason.

A nurse may back-enter what happened during downtime; the record must then say why. Two
stations' clocks may differ a little, so "future" allows a small skew. How far back is the
protocol's ``monitoring.back_entry_limit_days`` (site default 7 days); whatever a protocol
says, nothing is taken more than :data:`ABSOLUTE_BACK_LIMIT` back (a typed year 1 or 1026
is a typo, and the SAE deadline or the DLT window computed from it would be wrong).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.messages import Message
from infusion_app.logic.protocol import Protocol

BACK_ENTRY_AFTER = timedelta(minutes=5)
"""An entry recorded more than this after it happened is back-entered: it needs a reason, and
the log marks it (one threshold for both)."""
CLOCK_SKEW = timedelta(minutes=1)
DEFAULT_BACK_ENTRY_LIMIT = timedelta(days=7)
ABSOLUTE_BACK_LIMIT = timedelta(days=366)
OLDEST_PATIENT_YEARS = 130


def is_back_entered(occurred_at: datetime, recorded_at: datetime) -> bool:
    """Recorded more than :data:`BACK_ENTRY_AFTER` after it happened."""
    return recorded_at - occurred_at > BACK_ENTRY_AFTER


def check_moment(
    field: str,
    moment: datetime,
    now: datetime,
    *,
    not_before: datetime | None = None,
    not_before_what: Message | None = None,
    limit: timedelta = DEFAULT_BACK_ENTRY_LIMIT,
) -> datetime:
    """A bedside time: with its zone, not in the future, not before ``not_before``, not more
    than ``limit`` before ``now``. Returns it unchanged, or InputError naming ``field``."""
    if moment.tzinfo is None:
        raise InputError(field, "must include a UTC offset (e.g. 2026-11-21T08:35+08:00)")
    if moment > now + CLOCK_SKEW:
        raise InputError(field, m.rule_in_future(at=moment, now=now))
    back = min(limit, ABSOLUTE_BACK_LIMIT)
    if now - moment > back:
        raise InputError(field, m.rule_beyond_back_limit(at=moment, span=_span(back), now=now))
    if not_before is not None and moment < not_before:
        what = not_before_what or m.since_registered()
        raise InputError(field, m.rule_before(at=moment, what=what, since=not_before))
    return moment


def _span(delta: timedelta) -> Message:
    if delta % timedelta(days=1) == timedelta(0):
        return m.span_one_day() if delta.days == 1 else m.span_days(days=delta.days)
    return m.span_minutes(minutes=int(delta.total_seconds() // 60))


def check_times(
    occurred_at: datetime,
    recorded_at: datetime,
    reason: str | None,
    type: EventType,
    *,
    not_before: datetime | None = None,
    limit: timedelta | None = None,
) -> None:
    """Back-entered events and corrections must say why; the future cannot be recorded, nor
    a time before ``not_before`` (the patient's registration) or beyond the back-entry
    ``limit`` (never more than :data:`ABSOLUTE_BACK_LIMIT`, whoever calls)."""
    if occurred_at > recorded_at + CLOCK_SKEW:
        raise InputError("occurred_at", m.rule_in_future(at=occurred_at, now=recorded_at))
    check_moment(
        "occurred_at",
        occurred_at,
        recorded_at,
        not_before=not_before,
        limit=limit if limit is not None else ABSOLUTE_BACK_LIMIT,
    )
    has_reason = bool(reason and reason.strip())
    if is_back_entered(occurred_at, recorded_at) and not has_reason:
        minutes = int(BACK_ENTRY_AFTER.total_seconds() // 60)
        raise InputError("reason", m.rule_late_reason(minutes=minutes))
    if type is EventType.CORRECTION and not has_reason:
        raise InputError("reason", "is required for a correction")


def check_date_of_birth(value: date, now: datetime) -> date:
    """Not in the future, and not more than :data:`OLDEST_PATIENT_YEARS` years back."""
    today = now.astimezone(UTC).date() if now.tzinfo is not None else now.date()
    if value > today + timedelta(days=1):  # the station may be a day ahead of UTC
        raise InputError("date_of_birth", f"{value.isoformat()} is in the future")
    oldest = date(max(today.year - OLDEST_PATIENT_YEARS, 1), today.month, min(today.day, 28))
    if value < oldest:
        raise InputError(
            "date_of_birth",
            f"{value.isoformat()} is more than {OLDEST_PATIENT_YEARS} years back",
        )
    return value


def back_entry_limit(protocol: Protocol) -> timedelta:
    """How far back this protocol lets a bedside time be entered (site default 7 days)."""
    return timedelta(days=protocol.monitoring.back_entry_limit_days.value)
