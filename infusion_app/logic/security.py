"""Account security rules: password length, lockout after failed logins, idle lock.

All pure: the caller passes ``now``. The limits are configurable (see ``infusion_app.config``);
these are the defaults the issue and 21 CFR 11.300 ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError

# The range each setting may take. Outside it a setting would defeat its purpose: a huge
# lockout overflowed the date arithmetic of the 5th failed login (a crash that left guessing
# unlimited and unaudited), a huge max_failed_logins turned lockout off, a huge idle limit
# never locks an unattended bedside screen. A site that needs more asks for a code change.
BOUNDS: dict[str, tuple[int, int]] = {
    "min_password_length": (8, 128),
    "max_failed_logins": (1, 10),
    "lockout_minutes": (5, 24 * 60),
    "idle_lock_minutes": (1, 60),
}


@dataclass(frozen=True)
class SecurityPolicy:
    min_password_length: int = 8
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5

    def __post_init__(self) -> None:
        for name, (low, high) in BOUNDS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise InputError(name, f"must be a whole number {low}-{high}, got {value!r}")
            if not low <= value <= high:
                # str() of a 0x-and-5000-digits int would itself fail (conversion limit)
                shown = str(value) if abs(value) < 10**20 else "a number of over 20 digits"
                raise InputError(name, f"must be {low}-{high}, got {shown}")


def check_password_rule(password: str, policy: SecurityPolicy) -> None:
    if len(password) < policy.min_password_length:
        raise InputError("password", m.rule_password_length(least=policy.min_password_length))
    if password != password.strip():
        raise InputError("password", m.rule_password_spaces())


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
