"""Checking the log: the monitor's and the CLI's ``verify-log``.

A full walk reads every event of every record (an audit); a walk ``since`` a checkpoint reads
only what was appended after it (a daily check). A checkpoint is written only after a full
walk found the whole log sound: one ``log_checkpoint`` event of the system stream holding each
record's head as the walk verified it, signed "verified" by the user who ran it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.logic.events import LogCheckpoint
from infusion_app.logic.patient import SignatureMeaning
from infusion_app.logic.roles import Action
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.infusions import infusion_stream_of
from infusion_app.services.signature_binding import sign_event
from infusion_app.services.signing import signed_act
from infusion_app.store.database import translate_errors
from infusion_app.store.eventlog import Appended, append_event
from infusion_app.store.models import Stream, User
from infusion_app.store.verification import Progress, VerifyReport, verify, verify_since

Since = int | Literal["latest"]  # a checkpoint's seq in the system stream, or the latest one


def verify_log(
    ctx: AppContext,
    infusion_id: int | None = None,
    *,
    expected_head: str | None = None,
    since: Since | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """The whole log (or one infusion's record); ``since``: only what follows a checkpoint.

    ``progress(done, total)`` is called every few thousand events of the walk.
    """
    stream = None
    if infusion_id is not None:
        with ctx.db.read() as session:
            stream = infusion_stream_of(session, infusion_id).name
    with translate_errors(ctx.db), ctx.db.engine.connect() as connection:
        if since is not None:
            assert stream is None, "a walk since a checkpoint covers the whole log"
            which = None if since == "latest" else since
            return verify_since(connection, which, expected_head=expected_head, progress=progress)
        return verify(connection, stream, expected_head=expected_head, progress=progress)


@dataclass(frozen=True)
class Checkpointed:
    """A full walk, and the checkpoint written after it (None: the log was not sound)."""

    report: VerifyReport
    seq: int | None  # the checkpoint's entry in the system stream
    hash: str | None


def checkpoint_log(
    ctx: AppContext, actor: CurrentUser, password: str, *, progress: Progress | None = None
) -> Checkpointed:
    """Walk the whole log; if it is sound, record every record's head as the walk found it
    in a ``log_checkpoint`` event signed "verified" with ``password`` (one transaction).

    Entries appended while the walk ran are after the recorded heads: the next walk since
    this checkpoint verifies them.
    """
    with ctx.db.read() as session:  # refused before the walk, not after it
        require(session, actor, Action.CHECKPOINT_LOG, ctx.now())
    report = verify_log(ctx, progress=progress)
    if not report.ok:
        return Checkpointed(report, None, None)
    heads = {s.stream: (s.events, s.head_hash) for s in report.streams}

    def act(session: Session, user: User, now: datetime) -> Appended:
        appended = append_event(
            session,
            SYSTEM_STREAM,
            EventType.LOG_CHECKPOINT,
            LogCheckpoint(events=report.events, heads=heads),
            user=user,
            station=ctx.station,
            recorded_at=now,
        )
        system = session.execute(select(Stream).where(Stream.name == SYSTEM_STREAM)).scalar_one()
        sign_event(ctx, session, user, system, appended, SignatureMeaning.VERIFIED, now)
        return appended

    appended = signed_act(ctx, actor, Action.CHECKPOINT_LOG, password, act)
    return Checkpointed(report, appended.seq, appended.hash)
