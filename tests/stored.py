"""What the tests write and read beside the app's own actions (issue 13 §7: these were
service functions that nothing but the tests called).

``list_users`` gives every account as a logged-in user (what a scripted station acts as),
``add_note`` appends a plain event to an infusion through one service-style transaction (the
store tests need a cheap, always-allowed write), ``sign_infusion_event`` signs any earlier
entry, ``stored_events`` reads the rows exactly as stored (payload text and hash included),
and ``product_status`` reads a product's status the way the pharmacy page does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import FollowUpDone, NoteAdded
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action
from infusion_app.services import views
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.infusions import infusion_stream_of
from infusion_app.services.integrity import transaction
from infusion_app.services.signing import sign_event, signed_act
from infusion_app.services.status import get_infusion
from infusion_app.store.eventlog import append_event
from infusion_app.store.models import Event, User


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    type: str
    payload: str
    occurred_at: datetime
    recorded_at: datetime
    user_id: int | None
    station: str
    reason: str | None
    hash: str


def add_note(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    text: str,
    *,
    occurred_at: datetime | None = None,
    reason: str | None = None,
) -> int:
    """A free-text note event; returns its sequence number once committed."""
    text = text.strip()
    if not text:
        raise InputError("text", "must not be empty")
    return _append(ctx, actor, infusion_id, NoteAdded(text=text), occurred_at, reason)


def add_follow_up(
    ctx: AppContext, actor: CurrentUser, infusion_id: int, check: str, *, finding: str | None
) -> int:
    """An infusion's follow-up check as the bedside's step wrote it before the patient's
    calendar replaced it (make_v1_record.py writes the old record with it): the same entry,
    at the clock's time; its seq once committed."""
    return _append(ctx, actor, infusion_id, FollowUpDone(check=check, finding=finding), None, None)


def _append(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    model: NoteAdded | FollowUpDone,
    occurred_at: datetime | None,
    reason: str | None,
) -> int:
    now = ctx.now()
    with transaction(ctx) as session:
        user = require(session, actor, Action.RECORD_INFUSION_EVENT, now)
        stream = infusion_stream_of(session, infusion_id)
        event = append_event(
            session,
            stream.name,
            model.TYPE,
            model,
            user=user,
            station=ctx.station,
            recorded_at=now,
            occurred_at=occurred_at,
            reason=reason,
        )
        return event.seq


def sign_infusion_event(
    ctx: AppContext,
    actor: CurrentUser,
    infusion_id: int,
    seq: int,
    meaning: SignatureMeaning,
    password: str,
) -> None:
    """Sign an earlier event of the infusion with a meaning (verified, administered, ...)."""

    def act(session: Session, user: User, now: datetime) -> None:
        stream = infusion_stream_of(session, infusion_id)
        signed = session.execute(
            select(Event).where(Event.stream_id == stream.id, Event.seq == seq)
        ).scalar_one_or_none()
        if signed is None or signed.type == EventType.SIGNATURE.value:
            raise InputError("seq", f"infusion {infusion_id} has no signable event {seq}")
        sign_event(ctx, session, user, stream, signed, meaning, now)

    signed_act(ctx, actor, Action.SIGN, password, act)


def stored_events(ctx: AppContext, infusion_id: int) -> list[LoggedEvent]:
    """The infusion's rows in order, as stored."""
    with ctx.db.read() as session:
        infusion = get_infusion(session, infusion_id)
        rows = session.execute(
            select(
                Event.seq,
                Event.type,
                Event.payload,
                Event.occurred_at,
                Event.recorded_at,
                Event.user_id,
                Event.station,
                Event.reason,
                Event.hash,
            )
            .where(Event.stream_id == infusion.stream_id)
            .order_by(Event.seq)
        )
        return [LoggedEvent(*row) for row in rows]


def product_status(ctx: AppContext, product_id: str) -> str:
    """The status the pharmacy's list shows for ``product_id``."""
    (status,) = [r.status for r in views.list_products(ctx) if r.product_id == product_id]
    return status


def list_users(ctx: AppContext) -> list[CurrentUser]:
    """Every account as a current user, by username (the Accounts tab reads list_accounts)."""
    from infusion_app.services.accounts import as_current
    from infusion_app.store.models import User

    with ctx.db.read() as session:
        return [as_current(u) for u in session.scalars(select(User).order_by(User.username))]
