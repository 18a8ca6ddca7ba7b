"""Authorisation is checked here, against the account as it is in the database now, and that
account row must be what the log says (a role or lock edited in the database is refused).
A deactivated or locked account, and one that has not yet replaced a password an
administrator gave it, may do nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from infusion_app.logic import messages as m
from infusion_app.logic.roles import Action, Role, may, refusal
from infusion_app.logic.security import is_locked
from infusion_app.services.context import CurrentUser, NotAuthorised
from infusion_app.store.act_rows import UserRecord, user_record
from infusion_app.store.models import User
from infusion_app.store.projections import check_no_account, check_user


def require(session: Session, current: CurrentUser, action: Action, now: datetime) -> User:
    user = session.get(User, current.id)
    if user is None:
        check_no_account(session, current.username)
        raise NotAuthorised(m.account_gone(username=current.username))
    _allow(session, user, action, now)
    return user


def require_record(
    session: Session, current: CurrentUser, action: Action, now: datetime
) -> UserRecord:
    """:func:`require` for an act that only reads its account (a bedside entry): the same
    checks of the same row, read as a frozen record instead of an ORM object (act_rows)."""
    found = user_record(session, current.id)
    if found is None:
        check_no_account(session, current.username)
        raise NotAuthorised(m.account_gone(username=current.username))
    _allow(session, found.record, action, now, found.accounts_head)
    return found.record


def _allow(
    session: Session,
    user: User | UserRecord,
    action: Action,
    now: datetime,
    accounts_head: tuple[int, str] | None = None,
) -> None:
    check_user(session, user, accounts_head)
    if user.deactivated_at is not None:
        raise NotAuthorised(m.account_deactivated(username=user.username))
    if user.locked_by_admin or is_locked(user.locked_until, now):
        raise NotAuthorised(m.account_locked(username=user.username))
    if user.must_change_password:  # its password is known to the administrator too
        raise NotAuthorised(m.account_must_change_password(username=user.username))
    role = Role(user.role)
    if not may(role, action):
        raise NotAuthorised(refusal(role, action))
