"""Printing the trial's dose finding: the safety-review decision record (PDF) and the
per-level counts (CSV).

Each is one read transaction (the tracker, the trial's stream of signed reviews and the
printed names seen together), authorised for the trial's readers only
(:attr:`Action.PRINT_TRIAL`: investigators and monitors, who have the Trial tab; a nurse
prints her patients' records, not every patient's DLTs at once), and returned as a
:class:`Document` for the audited output path of :mod:`.records`
(``save_document`` writes ``record_printed`` before the file appears). The document's head is
the trial stream's: the signed reviews and their signatures are what the record certifies;
the counts now are read from the patients' streams at the print time and say so.
"""

from __future__ import annotations

from datetime import tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import trial_stream
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.roles import Action
from infusion_app.records.safety_review import (
    SafetyReviewSource,
    SignedDecision,
    render_safety_review,
    signed_decisions,
)
from infusion_app.records.trial_counts import trial_counts_csv as counts_csv
from infusion_app.services.authorisation import require
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.services.records import Document
from infusion_app.services.status import load_events
from infusion_app.services.trial import TrialView, read_view
from infusion_app.store.models import Stream, User


def safety_review_record(
    ctx: AppContext,
    actor: CurrentUser,
    protocol_id: str,
    *,
    review_seq: int | None = None,
    language: str = "en",
    paper: str = "a4",
    zone: tzinfo | None = None,
) -> Document:
    """The record of signed review ``review_seq`` (its number in the trial's log, as ``trial
    status`` lists it; default the latest), or the draft when nothing is signed yet. Times
    print in the station's zone (``ctx.time_zone``) unless ``zone`` is given; the trial's days
    are still the protocol's (logic.reading_time)."""
    now = ctx.now()
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT_TRIAL, now)
        view = read_view(ctx, session, protocol_id, now)
        head_hash, events = _trial_events(session, view.protocol.id)
        names = {
            str(u): str(n) for u, n in session.execute(select(User.username, User.printed_name))
        }
    chosen = _chosen(view, signed_decisions(events), review_seq)
    source = SafetyReviewSource(
        events=events,
        printed_names=names,
        protocol=view.protocol,
        state=view.state,
        dlts=view.dlts,
        table=view.table,
        chosen=chosen,
        head_hash=head_hash,
    )
    data = render_safety_review(
        source,
        printed_at=now,
        printed_by=actor.printed_name,
        zone=zone or ctx.time_zone,
        paper=paper,
        language=language,
    )
    which = f"review #{chosen.seq}" if chosen is not None else "draft"
    stem = f"{view.protocol.id}-{chosen.seq}" if chosen is not None else f"{view.protocol.id}-draft"
    return Document(
        data,
        "safety review record",
        f"trial {view.protocol.label} {which}",
        f"safety-review-{stem}.pdf",
        head_hash,
        source.head_seq if head_hash is not None else None,
    )


def trial_counts_csv(ctx: AppContext, actor: CurrentUser, protocol_id: str) -> Document:
    """The tracker's per-level counts now, with the decision columns, as CSV."""
    now = ctx.now()
    with ctx.db.read() as session:
        require(session, actor, Action.PRINT_TRIAL, now)
        view = read_view(ctx, session, protocol_id, now)
        head_hash, events = _trial_events(session, view.protocol.id)
    data = counts_csv(view.state, view.table).encode("utf-8")
    return Document(
        data,
        "trial counts CSV",
        f"trial {view.protocol.label}",
        f"trial-counts-{view.protocol.id}.csv",
        head_hash,
        events[-1].seq if events else None,
    )


def _trial_events(
    session: Session, protocol_id: str
) -> tuple[str | None, tuple[RecordedEvent, ...]]:
    """The trial stream's head hash and events; (None, ()) before its first signed review."""
    stream = session.execute(
        select(Stream).where(Stream.name == trial_stream(protocol_id))
    ).scalar_one_or_none()
    if stream is None:
        return None, ()
    events = tuple(load_events(session, stream.id))
    return (stream.head_hash if events else None), events


def _chosen(
    view: TrialView, reviews: tuple[SignedDecision, ...], review_seq: int | None
) -> SignedDecision | None:
    if review_seq is None:
        return reviews[-1] if reviews else None
    found = next((r for r in reviews if r.seq == review_seq), None)
    if found is None:
        known = ", ".join(f"#{r.seq}" for r in reviews) or "none yet"
        raise InputError(
            "review",
            f"{view.protocol.label} has no signed review #{review_seq} (signed reviews: {known})",
        )
    return found


__all__ = ["safety_review_record", "trial_counts_csv"]
