"""A user action's transaction, and what happens when a row it read disagrees with the log.

The checks themselves live in :mod:`infusion_app.store.projections`; they raise
:class:`RecordIntegrityError` inside the action's transaction, which rolls it back (nothing
done). :func:`transaction` then records the refusal in the ``system`` stream in a transaction
of its own, so the audit trail shows that the app met a changed row and refused it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.logic.events import IntegrityRefused
from infusion_app.services.context import AppContext
from infusion_app.store.errors import RecordIntegrityError, StoreError
from infusion_app.store.eventlog import append_event

log = logging.getLogger(__name__)


@contextmanager
def transaction(ctx: AppContext) -> Iterator[Session]:
    """``ctx.db.write()``, and a refusal recorded when an integrity check failed inside."""
    try:
        with ctx.db.write() as session:
            yield session
    except RecordIntegrityError as problem:
        record_refusal(ctx, problem)
        raise


def record_refusal(ctx: AppContext, problem: RecordIntegrityError) -> None:
    """Append ``integrity_refused`` (what, which fields) in its own transaction, once."""
    if problem.recorded:
        return
    problem.recorded = True
    try:
        with ctx.db.write() as session:
            append_event(
                session,
                SYSTEM_STREAM,
                EventType.INTEGRITY_REFUSED,
                IntegrityRefused(subject=problem.subject, fields=tuple(problem.fields)),
                user=None,
                station=ctx.station,
                recorded_at=ctx.now(),
            )
    except StoreError as failure:  # the refusal stands; say why it is not in the log
        log.error("could not record the integrity refusal (%s): %s", problem, failure)
