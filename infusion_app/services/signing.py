"""Electronic signatures (21 CFR 11.50, 11.70, 11.200).

A signature is the signer's password re-entered for one act, with a stated meaning. It is
stored with the signer's printed name, the UTC time and the hash of the signed event, and it
is itself an event of the same chain, so it cannot be moved to another record or altered
without ``verify-log`` noticing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from infusion_app.logic.roles import Action
from infusion_app.services.accounts import check_credentials
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.services.signature_binding import sign_event
from infusion_app.store.models import User

T = TypeVar("T")


def signed_act(
    ctx: AppContext,
    actor: CurrentUser,
    action: Action,
    password: str,
    act: Callable[[Session, User, datetime], T],
) -> T:
    """Run ``act`` as one transaction after the signer re-entered their password.

    A wrong password is itself recorded (and counts towards the lockout): that transaction
    commits the failed attempt, then the failure is raised, and nothing else is written.
    """
    now = ctx.now()
    failure: AuthenticationFailed | None = None
    with transaction(ctx) as session:
        user = require(session, actor, action, now)
        outcome = check_credentials(ctx, session, user.username, password, now, signing=True)
        if isinstance(outcome, AuthenticationFailed):
            failure = outcome
        else:
            result = act(session, outcome, now)
    if failure is not None:
        raise failure
    return result


__all__ = ["sign_event", "signed_act"]
