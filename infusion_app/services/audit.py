"""Checking the log: the monitor's and the CLI's ``verify-log``."""

from __future__ import annotations

from infusion_app.services.context import AppContext
from infusion_app.services.infusions import infusion_stream_of
from infusion_app.store.database import translate_errors
from infusion_app.store.eventlog import VerifyReport, verify


def verify_log(
    ctx: AppContext, infusion_id: int | None = None, *, expected_head: str | None = None
) -> VerifyReport:
    stream = None
    if infusion_id is not None:
        with ctx.db.read() as session:
            stream = infusion_stream_of(session, infusion_id).name
    with translate_errors(ctx.db), ctx.db.engine.connect() as connection:
        return verify(connection, stream, expected_head=expected_head)
