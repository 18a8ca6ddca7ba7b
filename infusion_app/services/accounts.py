"""Accounts: create, log in, change role, reset password, unlock.

Every change to who may act, and every failed attempt to log in or sign, is an event of the
``system`` stream, so the audit trail shows who could act as well as what was done.
"""

from __future__ import annotations

from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import SYSTEM_STREAM
from infusion_app.logic.events import (
    Event,
    FailedAttemptsCleared,
    LoginFailed,
    LoginSucceeded,
    SignatureFailed,
    UserCreated,
    UserLocked,
    UserPasswordRehashed,
    UserPasswordReset,
    UserRoleChanged,
    UserUnlocked,
)
from infusion_app.logic.projections import password_digest
from infusion_app.logic.roles import Action, Role
from infusion_app.logic.security import check_password_rule, is_locked, locked_until_after_failure
from infusion_app.logic.text_rules import (
    PRINTED_NAME_MAX,
    USERNAME_MAX,
    check_password_text,
    check_text,
)
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import User
from infusion_app.store.projections import check_no_account, check_no_accounts, check_user

WRONG_CREDENTIALS = "the username or password is wrong"


def count_users(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(User)) or 0


def create_first_admin(
    ctx: AppContext, username: str, printed_name: str, password: str
) -> CurrentUser:
    """The first run: with no account at all, the first one is an administrator."""
    with transaction(ctx) as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise InputError("username", "accounts exist already: an admin must create new ones")
        check_no_accounts(session)  # an emptied users table is not a first run
        user = _new_user(ctx, session, None, username, printed_name, Role.ADMIN, password)
    return as_current(user)


def create_user(
    ctx: AppContext,
    actor: CurrentUser,
    username: str,
    printed_name: str,
    role: str,
    password: str,
) -> CurrentUser:
    now = ctx.now()
    with transaction(ctx) as session:
        admin = require(session, actor, Action.MANAGE_ACCOUNTS, now)
        user = _new_user(ctx, session, admin, username, printed_name, _role(role), password)
    return as_current(user)


def change_role(ctx: AppContext, actor: CurrentUser, username: str, role: str) -> None:
    now = ctx.now()
    new_role = _role(role)
    with transaction(ctx) as session:
        admin = require(session, actor, Action.MANAGE_ACCOUNTS, now)
        user = _user(session, username)
        if user.id == admin.id:
            raise InputError("username", "an administrator cannot change their own role")
        old = user.role
        user.role = new_role.value
        changed = UserRoleChanged(username=username, from_=old, to=new_role.value)
        _audit(ctx, session, admin, now, changed)


def reset_password(ctx: AppContext, actor: CurrentUser, username: str, password: str) -> None:
    now = ctx.now()
    check_password_rule(password, ctx.policy)
    with transaction(ctx) as session:
        admin = require(session, actor, Action.MANAGE_ACCOUNTS, now)
        user = _user(session, username)
        user.password_hash = ctx.hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        digest = password_digest(user.password_hash)
        reset = UserPasswordReset(username=username, password_digest=digest)
        _audit(ctx, session, admin, now, reset)


def unlock(ctx: AppContext, actor: CurrentUser, username: str) -> None:
    now = ctx.now()
    with transaction(ctx) as session:
        admin = require(session, actor, Action.MANAGE_ACCOUNTS, now)
        user = _user(session, username)
        user.failed_logins = 0
        user.locked_until = None
        _audit(ctx, session, admin, now, UserUnlocked(username=username))


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
        return AuthenticationFailed(WRONG_CREDENTIALS)
    check_user(session, user)
    if is_locked(user.locked_until, now):
        _audit(ctx, session, None, now, failed(username=username, why="account locked"))
        assert user.locked_until is not None
        return AuthenticationFailed(
            f"the account {username!r} is locked until "
            f"{user.locked_until.isoformat(timespec='minutes')} after repeated failed attempts; "
            "an administrator can unlock it"
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
                f"{WRONG_CREDENTIALS}; after {ctx.policy.max_failed_logins} failed attempts the "
                f"account is locked for {ctx.policy.lockout_minutes} min"
            )
        return AuthenticationFailed(WRONG_CREDENTIALS)
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
    return CurrentUser(user.id, user.username, user.printed_name, Role(user.role))


def list_users(ctx: AppContext) -> list[CurrentUser]:
    with ctx.db.read() as session:
        return [as_current(u) for u in session.scalars(select(User).order_by(User.username))]


def _new_user(
    ctx: AppContext,
    session: Session,
    admin: User | None,
    username: str,
    printed_name: str,
    role: Role,
    password: str,
) -> User:
    now = ctx.now()
    username = username.strip()
    if (
        not username
        or len(username) > 64
        or not username.replace("_", "").replace(".", "").isalnum()
    ):
        raise InputError("username", "must be 1-64 letters, digits, '.' or '_'")
    username = check_text("username", username, USERNAME_MAX)
    printed_name = check_text("name", printed_name, PRINTED_NAME_MAX)
    check_password_text(password)
    check_password_rule(password, ctx.policy)
    if session.execute(select(User.id).where(User.username == username)).first():
        raise InputError("username", f"{username!r} is taken")
    check_no_account(session, username)
    user = User(
        username=username,
        printed_name=printed_name,
        role=role.value,
        password_hash=ctx.hasher.hash(password),
        failed_logins=0,
        created_at=now,
    )
    session.add(user)
    session.flush()
    _audit(
        ctx,
        session,
        admin or user,
        now,
        UserCreated(
            username=username,
            printed_name=printed_name,
            role=role.value,
            password_digest=password_digest(user.password_hash),
        ),
    )
    return user


def _user(session: Session, username: str) -> User:
    username = check_text("username", username, USERNAME_MAX)
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        check_no_account(session, username)
        raise InputError("username", f"no account {username!r}")
    check_user(session, user)
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
) -> None:
    append_event(
        session, SYSTEM_STREAM, event.TYPE, event, user=user, station=ctx.station, recorded_at=now
    )
