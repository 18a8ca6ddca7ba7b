"""A signature bound to the event it signs (21 CFR 11.70), inside the caller's transaction.

Apart from :mod:`infusion_app.services.signing` because the accounts service signs the
administrator's acts with it, and ``signing`` itself needs the accounts' password check.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Signature as SignatureEvent
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.services.context import AppContext
from infusion_app.store.eventlog import Appended, append_event
from infusion_app.store.models import Event, Signature, Stream, User


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
