"""Account security rules: password length, lockout after failed logins, idle lock.

All pure: the caller passes ``now``. The limits are configurable (see ``infusion_app.config``);
these are the defaults the issue and 21 CFR 11.300 ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from infusion_app.logic.errors import InputError


@dataclass(frozen=True)
class SecurityPolicy:
    min_password_length: int = 8
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5

    def __post_init__(self) -> None:
        for name in (
            "min_password_length",
            "max_failed_logins",
            "lockout_minutes",
            "idle_lock_minutes",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InputError(name, f"must be a whole number of at least 1, got {value!r}")
        if self.min_password_length < 8:
            raise InputError(
                "min_password_length", f"must be at least 8, got {self.min_password_length}"
            )


def check_password_rule(password: str, policy: SecurityPolicy) -> None:
    if len(password) < policy.min_password_length:
        raise InputError("password", f"must have at least {policy.min_password_length} characters")
    if password != password.strip():
        raise InputError("password", "must not start or end with spaces")


def locked_until_after_failure(
    failed_attempts: int, now: datetime, policy: SecurityPolicy
) -> datetime | None:
    """The lock that ``failed_attempts`` consecutive failures earn, or None."""
    if failed_attempts >= policy.max_failed_logins:
        return now + timedelta(minutes=policy.lockout_minutes)
    return None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def is_idle(last_activity: datetime, now: datetime, policy: SecurityPolicy) -> bool:
    """An unattended bedside session locks after the idle limit."""
    return now - last_activity >= timedelta(minutes=policy.idle_lock_minutes)
