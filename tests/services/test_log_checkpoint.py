"""verify-log's signed checkpoint and the walk since it (issue 18), on SQLite and PostgreSQL.

A checkpoint records every record's head as a full walk found it, signed "verified"; a walk
since it hashes only what was appended after those heads, and proves each record still holds
its checkpointed head. So an edit before the checkpoint is the full walk's to find (audits),
an edit after it is found by the daily walk, and a checkpoint that does not match the log is
refused in one line.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
from infusion_app.logic.events import LogCheckpoint
from infusion_app.services import audit, infusions, products
from infusion_app.services.context import AppContext, NotAuthorised
from infusion_app.store.eventlog import append_event, event_hash
from infusion_app.store.models import Event, Stream
from tests.conftest import PASSWORD
from tests.store.tampering import tamper
from tests.stored import add_note, stored_events

STREAM = "infusion:P001/1"
IN_INFUSION = f"stream_id = (SELECT id FROM streams WHERE name = '{STREAM}')"


def notes(ctx: AppContext, staff, infusion_id: int, *texts: str) -> None:
    for text in texts:
        add_note(ctx, staff.nurse, infusion_id, text)


def checkpoint(ctx: AppContext, staff) -> audit.Checkpointed:
    made = audit.checkpoint_log(ctx, staff.monitor, PASSWORD)
    assert made.report.ok and made.seq is not None, made.report.problems
    return made


def system_events(ctx: AppContext) -> list[tuple[int, str, str]]:
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.seq, Event.type, Event.payload)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == SYSTEM_STREAM)
            .order_by(Event.seq)
        ).all()
    return [(r.seq, r.type, r.payload) for r in rows]


def test_a_checkpoint_then_only_what_follows_it_is_walked(ctx, staff, infusion_id):
    notes(ctx, staff, infusion_id, "note 0", "note 1")  # infusion #2, #3
    made = checkpoint(ctx, staff)
    # the checkpoint is a system entry holding every record's head as the walk found it,
    # and the monitor's signature "verified" is bound to it right after
    (seq, kind, payload), (signed_seq, signed_kind, signature) = system_events(ctx)[-2:]
    assert (seq, kind, signed_kind, signed_seq) == (
        made.seq,
        "log_checkpoint",
        "signature",
        seq + 1,
    )
    heads = json.loads(payload)["heads"]
    assert heads[STREAM] == [3, stored_events(ctx, infusion_id)[-1].hash]
    assert heads[SYSTEM_STREAM][0] == seq - 1  # the system record up to the entry before it
    assert set(heads) == {SYSTEM_STREAM, "patient:P001", "product:UC-MSC-2026-0001", STREAM}
    assert json.loads(signature)["printed_name"] == "Mona Monitor"
    assert json.loads(payload)["events"] == made.report.events

    notes(ctx, staff, infusion_id, "note 2", "note 3", "note 4")  # #4, #5, #6
    since = audit.verify_log(ctx, since="latest")
    assert since.ok, since.problems
    assert since.checkpoint is not None and since.checkpoint.seq == made.seq
    assert since.checkpoint.signers == ("Mona Monitor",)
    # hashed: each of the 4 records' checkpointed head (its content must still give its
    # hash) + the checkpoint and its signature (system) + the 3 new notes = 4 + 2 + 3 = 9
    assert since.walked == 9
    assert {s.stream: s.events for s in since.streams}[STREAM] == 6
    whole = audit.verify_log(ctx)
    assert [(s.stream, s.events, s.head_hash) for s in since.streams] == [
        (s.stream, s.events, s.head_hash) for s in whole.streams
    ]
    # the same checkpoint named by its number
    assert audit.verify_log(ctx, since=made.seq).walked == 9


def test_a_record_made_after_the_checkpoint_is_walked_whole(ctx, staff, registered):
    made = checkpoint(ctx, staff)
    products.release_product(ctx, staff.pharmacist, registered, PASSWORD)
    infusions.create_infusion(ctx, staff.nurse, "P001", registered, 1)
    since = audit.verify_log(ctx, since=made.seq)
    assert since.ok, since.problems
    assert since.checkpoint is not None and STREAM not in since.checkpoint.heads
    assert {s.stream: s.events for s in since.streams}[STREAM] == 1


def test_an_edit_before_the_checkpoint_is_the_full_walks_to_find(ctx, staff, infusion_id):
    notes(ctx, staff, infusion_id, "note 0", "note 1", "note 2")  # #2, #3, #4 (the head)
    made = checkpoint(ctx, staff)
    tamper(
        ctx,
        'UPDATE events SET payload = \'{"text":"note 9"}\' '
        'WHERE seq = 2 AND payload = \'{"text":"note 0"}\'',
    )
    assert audit.verify_log(ctx, since=made.seq).ok  # #2 is before the head: not walked
    full = audit.verify_log(ctx)
    assert full.problems[0] == (
        f"event {STREAM}#2: hash does not match the event's content (the event was altered)"
    )


def test_an_edit_after_the_checkpoint_is_found(ctx, staff, infusion_id):
    made = checkpoint(ctx, staff)
    notes(ctx, staff, infusion_id, "note 0", "note 1")  # #2, #3
    tamper(
        ctx,
        'UPDATE events SET payload = \'{"text":"note 9"}\' '
        'WHERE seq = 3 AND payload = \'{"text":"note 1"}\'',
    )
    since = audit.verify_log(ctx, since=made.seq)
    assert since.problems == (
        f"event {STREAM}#3: hash does not match the event's content (the event was altered)",
    )


def test_an_edited_checkpointed_head_is_found(ctx, staff, infusion_id):
    """The head row itself: its content must still give the hash the checkpoint recorded."""
    notes(ctx, staff, infusion_id, "note 0")  # #2, the head
    made = checkpoint(ctx, staff)
    tamper(ctx, f"UPDATE events SET station = 'forged' WHERE seq = 2 AND {IN_INFUSION}")
    assert audit.verify_log(ctx, since=made.seq).problems == (
        f"event {STREAM}#2: hash does not match the event's content (the event was altered)",
    )


def recompute(ctx: AppContext, infusion_id: int, old: str, new: str) -> None:
    """An attacker edits a note and recomputes every hash after it, and the record's head."""
    events = stored_events(ctx, infusion_id)
    prev, statements, params = events[0].hash, [], {}
    for event in events[1:]:
        payload = new if event.payload == old else event.payload
        digest = event_hash(
            prev, stream=STREAM, seq=event.seq, type=event.type, payload_text=payload,
            occurred_at=event.occurred_at, recorded_at=event.recorded_at, user="nurse",
            station=event.station, reason=event.reason,
        )  # fmt: skip
        n = event.seq
        statements.append(
            f"UPDATE events SET payload = :p{n}, prev_hash = :prev{n}, hash = :h{n} "
            f"WHERE seq = {n} AND hash = :old{n}"
        )
        params |= {f"p{n}": payload, f"prev{n}": prev, f"h{n}": digest, f"old{n}": event.hash}
        prev = digest
    statements.append(f"UPDATE streams SET head_hash = '{prev}' WHERE name = '{STREAM}'")
    tamper(ctx, *statements, **params)


def test_a_chain_recomputed_before_the_checkpoint_does_not_match_it(ctx, staff, infusion_id):
    notes(ctx, staff, infusion_id, "note 0", "note 1")  # #2, #3 (the head)
    made = checkpoint(ctx, staff)
    recorded = stored_events(ctx, infusion_id)[-1].hash
    recompute(ctx, infusion_id, '{"text":"note 0"}', '{"text":"note 9"}')
    assert audit.verify_log(ctx).ok  # internally consistent again ...
    rewritten = stored_events(ctx, infusion_id)[-1].hash
    since = audit.verify_log(ctx, since=made.seq)  # ... but not what the checkpoint recorded
    assert since.problems == (
        f"event {STREAM}#3 has hash {rewritten[:12]}… but checkpoint system#{made.seq} "
        f"recorded {recorded[:12]}… (the record was rewritten before the checkpoint, or the "
        "checkpoint is not this log's)",
    )


def test_a_record_shorter_than_its_checkpoint_is_found(ctx, staff, infusion_id):
    notes(ctx, staff, infusion_id, "note 0", "note 1")  # #2, #3 (the head)
    made = checkpoint(ctx, staff)
    tamper(
        ctx,
        'DELETE FROM events WHERE seq = 3 AND payload = \'{"text":"note 1"}\'',
        f"UPDATE streams SET head_seq = 2, head_hash = (SELECT hash FROM events WHERE seq = 2 "
        f"AND payload = '{{\"text\":\"note 0\"}}') WHERE name = '{STREAM}'",
    )
    assert audit.verify_log(ctx).ok  # the tail is gone without a trace in the chain itself
    assert audit.verify_log(ctx, since=made.seq).problems == (
        f"stream {STREAM} has no event #3, which checkpoint system#{made.seq} recorded as its "
        "head (events removed?)",
    )


def test_a_renamed_record_is_missing_from_the_log(ctx, staff, infusion_id):
    made = checkpoint(ctx, staff)
    tamper(ctx, f"UPDATE streams SET name = 'infusion:P001/9' WHERE name = '{STREAM}'")
    problems = audit.verify_log(ctx, since=made.seq).problems
    # walked whole as a record made since, whose hashes name another record ...
    assert problems[0] == (
        "event infusion:P001/9#1: hash does not match the event's content (the event was altered)"
    )
    # ... and the checkpoint's record is gone
    assert problems[-1] == (
        f"stream {STREAM} of checkpoint system#{made.seq} is not in the log (removed?)"
    )


def forge(ctx: AppContext, heads: dict[str, tuple[int, str]]) -> int:
    """A checkpoint entry appended straight through the store (database access, no
    signature): hashes and chain in order."""
    with ctx.db.write() as session:
        appended = append_event(
            session,
            SYSTEM_STREAM,
            EventType.LOG_CHECKPOINT,
            LogCheckpoint(events=0, heads=heads),
            user=None,
            station="forger",
            recorded_at=ctx.now(),
        )
    return appended.seq


def test_an_unsigned_checkpoint_is_refused(ctx, staff, infusion_id):
    made = checkpoint(ctx, staff)
    report = audit.verify_log(ctx, since=made.seq)
    forged = forge(ctx, {s.stream: (s.events, s.head_hash) for s in report.streams})
    assert audit.verify_log(ctx, since="latest").problems == (
        f"checkpoint system#{forged} is not signed: it is not a checkpoint the app wrote",
    )


def test_a_checkpoint_that_skips_the_system_record_is_refused(ctx, staff, infusion_id):
    checkpoint(ctx, staff)
    forged = forge(ctx, {STREAM: (1, stored_events(ctx, infusion_id)[0].hash)})
    assert audit.verify_log(ctx, since=forged).problems == (
        f"checkpoint system#{forged} does not record the system record's head before itself: "
        "it is not a checkpoint the app wrote",
    )


def test_an_edited_checkpoint_is_refused(ctx, staff, infusion_id):
    notes(ctx, staff, infusion_id, "note 0")
    made = checkpoint(ctx, staff)
    # the checkpoint's heads rewritten to hide the infusion record's head ...
    (_, _, payload) = next(e for e in system_events(ctx) if e[0] == made.seq)
    edited = json.loads(payload)
    edited["heads"][STREAM] = [1, stored_events(ctx, infusion_id)[0].hash]
    tamper(
        ctx,
        "UPDATE events SET payload = :p WHERE type = 'log_checkpoint'",
        p=json.dumps(edited, sort_keys=True, separators=(",", ":")),
    )
    problems = audit.verify_log(ctx, since=made.seq).problems
    # ... changes its own hash: the system record's walk, through the checkpoint, sees it
    assert problems == (
        f"event system#{made.seq}: hash does not match the event's content (the event was altered)",
    )
    # an unreadable one says so
    tamper(ctx, "UPDATE events SET payload = '{}' WHERE type = 'log_checkpoint'")
    assert audit.verify_log(ctx, since=made.seq).problems == (
        f"checkpoint system#{made.seq} cannot be read: log_checkpoint: events: Field required",
    )


def test_naming_a_checkpoint_that_is_not_one_is_input(ctx, staff, infusion_id):
    with pytest.raises(InputError, match="no checkpoint yet: make one with verify-log"):
        audit.verify_log(ctx, since="latest")
    with pytest.raises(InputError, match="system#1 is a user_created entry, not a checkpoint"):
        audit.verify_log(ctx, since=1)
    with pytest.raises(InputError, match="the system record has no entry #999"):
        audit.verify_log(ctx, since=999)


def test_only_a_monitor_or_administrator_signs_a_checkpoint_and_only_of_a_sound_log(
    ctx, staff, infusion_id
):
    def total() -> int:
        with ctx.db.read() as session:
            return session.scalar(select(func.count()).select_from(Event)) or 0

    before = total()
    with pytest.raises(NotAuthorised):
        audit.checkpoint_log(ctx, staff.nurse, PASSWORD)
    assert total() == before  # refused before the walk, nothing written
    tamper(ctx, f"UPDATE events SET station = 'forged' WHERE seq = 1 AND {IN_INFUSION}")
    refused = audit.checkpoint_log(ctx, staff.admin, PASSWORD)
    assert (refused.seq, refused.report.ok) == (None, False)
    assert "log_checkpoint" not in {kind for _, kind, _ in system_events(ctx)}
