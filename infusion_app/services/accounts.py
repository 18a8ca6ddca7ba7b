"""Accounts: create, log in, change role, reset password, lock, unlock, deactivate, and the
user's own password change.

Every change to who may act, and every failed attempt to log in or sign, is an event of the
``system`` stream, so the audit trail shows who could act as well as what was done. An
administrator's act is recorded under the administrator's account (the event's user) and
signed by the administrator's password, re-entered for that act.

A first password given by an administrator (a new account, a reset) is known to two people:
the account must replace it before it acts (``must_change_password``). Its login succeeds,
and the window then asks for the new password; every service refuses the account until then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.errors import DomainError, InputError
from infusion_app.logic.event_types import SYSTEM_STREAM
from infusion_app.logic.events import (
    Event,
    FailedAttemptsCleared,
    LoginFailed,
    LoginSucceeded,
    SignatureFailed,
    UserCreated,
    UserDeactivated,
    UserLocked,
    UserLockedByAdmin,
    UserPasswordChanged,
    UserPasswordRehashed,
    UserPasswordReset,
    UserRoleChanged,
    UserUnlocked,
)
from infusion_app.logic.messages import Message
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.projections import password_digest
from infusion_app.logic.roles import Action, Role
from infusion_app.logic.security import check_password_rule, is_locked, locked_until_after_failure
from infusion_app.logic.text_rules import (
    FREE_TEXT_MAX,
    PRINTED_NAME_MAX,
    USERNAME_MAX,
    check_password_text,
    check_text,
)
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.services.signature_binding import sign_event
from infusion_app.store.eventlog import Appended, append_event
from infusion_app.store.models import Stream, User
from infusion_app.store.projections import (
    check_no_account,
    check_no_accounts,
    check_user,
    expected_accounts,
)

T = TypeVar("T")


class AccountRefused(DomainError):
    """An administrator's act the account's state does not allow (a deactivated account, an
    administrator's own lock); ``message`` says why, ``str()`` is its English line."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class AccountRow:
    """One account as the Accounts tab and ``user list`` show it, with its state now."""

    username: str
    printed_name: str
    role: str
    created_at: datetime
    must_change_password: bool
    locked_until: datetime | None  # a lockout after failed attempts, still running
    locked_by_admin: bool
    deactivated_at: datetime | None

    @property
    def states(self) -> tuple[Message, ...]:
        """What the account is now, as the list says it: deactivated says it all; else each
        lock and a pending forced change, or active."""
        if self.deactivated_at is not None:
            return (m.account_state_deactivated(at=self.deactivated_at),)
        found = []
        if self.locked_by_admin:
            found.append(m.account_state_locked_by_admin())
        if self.locked_until is not None:
            found.append(m.account_state_locked_until(until=self.locked_until))
        if self.must_change_password:
            found.append(m.account_state_must_change())
        return tuple(found) or (m.account_state_active(),)


def create_first_admin(
    ctx: AppContext, username: str, printed_name: str, password: str
) -> CurrentUser:
    """The first run: with no account at all, the first one is an administrator."""
    with transaction(ctx) as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise InputError("username", "accounts exist already: an admin must create new ones")
        check_no_accounts(session)  # an emptied users table is not a first run
        user, _created = _new_user(ctx, session, None, username, printed_name, Role.ADMIN, password)
    return as_current(user)


def create_user(
    ctx: AppContext,
    actor: CurrentUser,
    username: str,
    printed_name: str,
    role: str,
    password: str,
    *,
    admin_password: str,
    must_change_password: bool = False,
) -> CurrentUser:
    """A new account. The window and ``user add`` give it a first password the user must
    change at first login (``must_change_password``); a password that stays is for scripted
    set-ups, where nobody else knows it."""

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, User]:
        user, created = _new_user(
            ctx,
            session,
            admin,
            username,
            printed_name,
            _role(role),
            password,
            must_change_password=must_change_password,
        )
        return created, user

    return as_current(_signed_by_admin(ctx, actor, admin_password, act))


def change_role(
    ctx: AppContext, actor: CurrentUser, username: str, role: str, *, admin_password: str
) -> None:
    new_role = _role(role)

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, None]:
        user = _active_user(session, username)
        if user.id == admin.id:
            raise InputError("username", m.rule_not_own_role())
        old = user.role
        user.role = new_role.value
        changed = UserRoleChanged(username=username, from_=old, to=new_role.value)
        return _audit(ctx, session, admin, now, changed), None

    _signed_by_admin(ctx, actor, admin_password, act)


def reset_password(
    ctx: AppContext, actor: CurrentUser, username: str, password: str, *, admin_password: str
) -> None:
    """A new password the administrator knows too: the user must change it at next login.
    It also ends a lockout after failed attempts (not an administrator's lock: that one
    ends only by an explicit unlock)."""
    check_password_text(password)
    check_password_rule(password, ctx.policy)

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, None]:
        user = _active_user(session, username)
        if user.id == admin.id:
            raise AccountRefused(m.account_not_own_reset())
        user.password_hash = ctx.hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        user.must_change_password = True
        digest = password_digest(user.password_hash)
        reset = UserPasswordReset(
            username=user.username, password_digest=digest, must_change_password=True
        )
        return _audit(ctx, session, admin, now, reset), None

    _signed_by_admin(ctx, actor, admin_password, act)


def unlock(ctx: AppContext, actor: CurrentUser, username: str, *, admin_password: str) -> None:
    """Ends a lockout after failed attempts and an administrator's lock alike."""

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, None]:
        user = _active_user(session, username)
        user.failed_logins = 0
        user.locked_until = None
        user.locked_by_admin = False
        return _audit(ctx, session, admin, now, UserUnlocked(username=user.username)), None

    _signed_by_admin(ctx, actor, admin_password, act)


def lock(ctx: AppContext, actor: CurrentUser, username: str, *, admin_password: str) -> None:
    """No login and no signature until an administrator unlocks (a lost badge, a leave)."""

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, None]:
        user = _active_user(session, username)
        if user.id == admin.id:
            raise AccountRefused(m.account_not_own_lock())
        if user.locked_by_admin:
            raise AccountRefused(m.account_locked_already(username=user.username))
        user.locked_by_admin = True
        return _audit(ctx, session, admin, now, UserLockedByAdmin(username=user.username)), None

    _signed_by_admin(ctx, actor, admin_password, act)


def deactivate(
    ctx: AppContext, actor: CurrentUser, username: str, reason: str, *, admin_password: str
) -> None:
    """The account never logs in or signs again. Its row stays: the log's entries and the
    signatures name it, and the list shows it as deactivated. There is no reactivation: a
    person who returns gets a new account."""
    reason = check_text("reason", reason, FREE_TEXT_MAX)

    def act(session: Session, admin: User, now: datetime) -> tuple[Appended, None]:
        user = _user(session, username)
        if user.id == admin.id:
            raise AccountRefused(m.account_not_own_deactivation())
        if user.deactivated_at is not None:
            raise AccountRefused(m.account_deactivated_already(username=user.username))
        user.deactivated_at = now
        deactivated = UserDeactivated(username=user.username, reason=reason)
        return _audit(ctx, session, admin, now, deactivated), None

    _signed_by_admin(ctx, actor, admin_password, act)


def _signed_by_admin(
    ctx: AppContext,
    actor: CurrentUser,
    admin_password: str,
    act: Callable[[Session, User, datetime], tuple[Appended, T]],
) -> T:
    """An administrator's change to an account, signed (21 CFR 11.50): the administrator
    re-enters their password for this one act, and a signature meaning "approved" is bound
    to the change's event in the system chain, as an investigator's approval is. A wrong
    password is recorded (and counts towards the administrator's lockout) and nothing else is
    written; the command line passes the password its ``--by`` login was proved with."""
    # signing's signed_act checks the password with this module's check_credentials
    from infusion_app.services.signing import signed_act

    def signed(session: Session, admin: User, now: datetime) -> T:
        changed, result = act(session, admin, now)
        system = session.scalar(select(Stream).where(Stream.name == SYSTEM_STREAM))
        assert system is not None  # the change was just appended to it
        sign_event(ctx, session, admin, system, changed, SignatureMeaning.APPROVED, now)
        return result

    return signed_act(ctx, actor, Action.MANAGE_ACCOUNTS, admin_password, signed)


def change_own_password(
    ctx: AppContext, username: str, old_password: str, new_password: str
) -> CurrentUser:
    """The user's own change, proved by the current password (no ``actor``: the password is
    the proof, and an account that must change it may do nothing else). A wrong current
    password is a failed login: recorded, and it counts towards the lockout. Returns the
    account, free to act."""
    now = ctx.now()
    check_password_text(new_password)
    check_password_rule(new_password, ctx.policy)
    if new_password == old_password:
        raise AccountRefused(m.account_password_unchanged())
    with transaction(ctx) as session:
        outcome = check_credentials(ctx, session, username, old_password, now, signing=False)
        if isinstance(outcome, User):
            outcome.password_hash = ctx.hasher.hash(new_password)
            outcome.must_change_password = False
            changed = UserPasswordChanged(
                username=outcome.username, password_digest=password_digest(outcome.password_hash)
            )
            _audit(ctx, session, outcome, now, changed)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome
    return as_current(outcome)


def prepare_logins(ctx: AppContext) -> None:
    """Fold the accounts from the log now, in a read transaction, so the first login after
    start finds the fold kept (``expected_accounts``) and only checks its head. The window
    asks for it while the login form waits for a name: at a ten-year site that first fold is
    about a second, which the login would otherwise spend holding the write lock."""
    with ctx.db.read() as session:
        expected_accounts(session)


def log_in(ctx: AppContext, username: str, password: str) -> CurrentUser:
    """Check the password; a failure is recorded (and committed) before it is reported."""
    now = ctx.now()
    with transaction(ctx) as session:
        outcome = check_credentials(ctx, session, username, password, now, signing=False)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome
    return as_current(outcome)


def check_credentials(
    ctx: AppContext,
    session: Session,
    username: str,
    password: str,
    now: datetime,
    *,
    signing: bool,
) -> User | AuthenticationFailed:
    """Verify a password inside the caller's transaction.

    Returns the account, or the error to raise after the transaction has committed the
    failed attempt (and any lock it triggered) to the log. Used for logins and for the
    password re-entry of an electronic signature, which counts towards the same lockout.
    """
    username = check_text("username", username, USERNAME_MAX)
    check_password_text(password)
    failed = SignatureFailed if signing else LoginFailed
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        check_no_account(session, username)
        # Not the name itself: people type their password into the username field.
        _audit(
            ctx,
            session,
            None,
            now,
            failed(account="unknown", username_length=len(username), why="unknown user"),
        )
        return AuthenticationFailed(m.wrong_credentials())
    check_user(session, user)
    if user.deactivated_at is not None:
        _audit(ctx, session, None, now, failed(username=username, why="account deactivated"))
        return AuthenticationFailed(m.account_deactivated(username=username))
    if user.locked_by_admin:
        _audit(ctx, session, None, now, failed(username=username, why="account locked"))
        return AuthenticationFailed(m.account_locked_by_admin(username=username))
    if is_locked(user.locked_until, now):
        _audit(ctx, session, None, now, failed(username=username, why="account locked"))
        assert user.locked_until is not None
        return AuthenticationFailed(
            m.account_locked_after_failures(username=username, until=user.locked_until)
        )
    try:
        ctx.hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        user.failed_logins += 1
        _audit(
            ctx,
            session,
            None,  # nobody was authenticated: the account is named in the payload
            now,
            failed(username=username, why="wrong password", attempt=user.failed_logins),
        )
        lock = locked_until_after_failure(user.failed_logins, now, ctx.policy)
        if lock is not None:
            user.locked_until = lock
            user.failed_logins = 0
            _audit(ctx, session, None, now, UserLocked(username=username, until=lock))
            return AuthenticationFailed(
                m.wrong_credentials_now_locked(
                    attempts=ctx.policy.max_failed_logins, minutes=ctx.policy.lockout_minutes
                )
            )
        return AuthenticationFailed(m.wrong_credentials())
    cleared = user.failed_logins != 0 or user.locked_until is not None
    user.failed_logins = 0
    user.locked_until = None
    if ctx.hasher.check_needs_rehash(user.password_hash):
        user.password_hash = ctx.hasher.hash(password)
        digest = password_digest(user.password_hash)
        rehashed = UserPasswordRehashed(username=username, password_digest=digest)
        _audit(ctx, session, user, now, rehashed)
    if not signing:
        _audit(ctx, session, user, now, LoginSucceeded(username=username))
    elif cleared:  # the log explains every change of the row, this one too
        _audit(ctx, session, user, now, FailedAttemptsCleared(username=username))
    return user


def as_current(user: User) -> CurrentUser:
    return CurrentUser(
        user.id,
        user.username,
        user.printed_name,
        Role(user.role),
        must_change_password=user.must_change_password,
    )


def list_accounts(ctx: AppContext) -> list[AccountRow]:
    """Every account with its state now (a lockout that has run out is no longer shown),
    deactivated ones included: they stay for the audit trail."""
    now = ctx.now()
    with ctx.db.read() as session:
        return [
            AccountRow(
                username=u.username,
                printed_name=u.printed_name,
                role=u.role,
                created_at=u.created_at,
                must_change_password=u.must_change_password,
                locked_until=u.locked_until if is_locked(u.locked_until, now) else None,
                locked_by_admin=u.locked_by_admin,
                deactivated_at=u.deactivated_at,
            )
            for u in session.scalars(select(User).order_by(User.username))
        ]


def _new_user(
    ctx: AppContext,
    session: Session,
    admin: User | None,
    username: str,
    printed_name: str,
    role: Role,
    password: str,
    *,
    must_change_password: bool = False,
) -> tuple[User, Appended]:
    """The account and its ``user_created`` event (which an administrator's signature binds)."""
    now = ctx.now()
    username = username.strip()
    if (
        not username
        or len(username) > 64
        or not username.replace("_", "").replace(".", "").isalnum()
    ):
        raise InputError("username", m.rule_username_form())
    username = check_text("username", username, USERNAME_MAX)
    printed_name = check_text("name", printed_name, PRINTED_NAME_MAX)
    check_password_text(password)
    check_password_rule(password, ctx.policy)
    if session.execute(select(User.id).where(User.username == username)).first():
        raise InputError("username", m.rule_username_taken(username=username))
    check_no_account(session, username)
    user = User(
        username=username,
        printed_name=printed_name,
        role=role.value,
        password_hash=ctx.hasher.hash(password),
        failed_logins=0,
        created_at=now,
        must_change_password=must_change_password,
        locked_by_admin=False,
    )
    session.add(user)
    session.flush()
    created = _audit(
        ctx,
        session,
        admin or user,
        now,
        UserCreated(
            username=username,
            printed_name=printed_name,
            role=role.value,
            password_digest=password_digest(user.password_hash),
            must_change_password=True if must_change_password else None,
        ),
    )
    return user, created


def _user(session: Session, username: str) -> User:
    username = check_text("username", username, USERNAME_MAX)
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        check_no_account(session, username)
        raise InputError("username", m.rule_no_account(username=username))
    check_user(session, user)
    return user


def _active_user(session: Session, username: str) -> User:
    """An account an administrator may still act on: not deactivated."""
    user = _user(session, username)
    if user.deactivated_at is not None:
        raise AccountRefused(m.account_deactivated(username=user.username))
    return user


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError("role", f"must be one of {', '.join(r.value for r in Role)}") from None


def _audit(
    ctx: AppContext,
    session: Session,
    user: User | None,
    now: datetime,
    event: Event,
) -> Appended:
    return append_event(
        session, SYSTEM_STREAM, event.TYPE, event, user=user, station=ctx.station, recorded_at=now
    )
