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

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Signature as SignatureEvent
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action
from infusion_app.services.accounts import check_credentials
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, AuthenticationFailed, CurrentUser
from infusion_app.services.integrity import transaction
from infusion_app.store.eventlog import Appended, append_event
from infusion_app.store.models import Event, Signature, Stream, User

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


def sign_event(
    ctx: AppContext,
    session: Session,
    signer: User,
    stream: Stream,
    signed: Appended | Event,
    meaning: SignatureMeaning,
    now: datetime,
) -> Signature:
    """Bind ``signer``'s signature to ``signed``, inside the caller's transaction.

    The caller has already checked the re-entered password and the signer's authority.
    """
    own = append_event(
        session,
        stream.name,
        EventType.SIGNATURE,
        SignatureEvent(
            meaning=meaning,
            printed_name=signer.printed_name,
            signed_hash=signed.hash,
            signed_seq=signed.seq,
            username=signer.username,
        ),
        user=signer,
        station=ctx.station,
        recorded_at=now,
    )
    signature = Signature(
        user_id=signer.id,
        printed_name=signer.printed_name,
        meaning=meaning.value,
        signed_at=now,
        stream_id=stream.id,
        signed_seq=signed.seq,
        signed_hash=signed.hash,
        signature_seq=own.seq,
    )
    session.add(signature)
    session.flush()
    return signature
