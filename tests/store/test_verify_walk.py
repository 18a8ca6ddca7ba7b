"""verify-log's one-pass walk (issue 18): the rows read as stored, every check of the old walk
kept, and the corners where reading the stored text directly could have answered otherwise.

The verdicts on every tampering are those of tests/store/test_eventlog.py and
tests/store/test_projections.py, which run unchanged against the same walk.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import MODELS, decode
from infusion_app.logic.projections import STATUS_ONLY, LogEvent, fold_product
from infusion_app.services import audit
from infusion_app.store import verification
from infusion_app.store.eventlog import event_hash
from infusion_app.store.models import Event, Stream
from tests.services.bedside_steps import prepare
from tests.store.tampering import tamper
from tests.stored import add_note, stored_events

STREAM = "infusion:P001/1"
IN_INFUSION = f"stream_id = (SELECT id FROM streams WHERE name = '{STREAM}')"


def test_a_signature_payload_that_is_no_signature_is_reported_not_a_crash(ctx, staff, infusion_id):
    """The fold of the signatures decoded each signature event and let the failure out: the
    whole verify-log ended in an internal error (exit 70) instead of naming the event."""
    prepare(ctx, staff, infusion_id)  # #4 is the nurse's signature of the dose check (#3)
    tamper(
        ctx,
        "UPDATE events SET payload = :p WHERE type = 'signature' AND stream_id = "
        f"(SELECT id FROM streams WHERE name = '{STREAM}')",
        p='{"x":1}',
    )
    report = audit.verify_log(ctx, infusion_id)
    assert not report.ok
    assert report.problems == (
        f"event {STREAM}#4: hash does not match the event's content (the event was altered)",
        f"events: {STREAM}#4 (signature) cannot be folded: signature: meaning: Field required",
    )


def rehash(ctx, infusion_id: int, seq: int, payload: str) -> None:
    """Store ``payload`` as event ``seq`` (the record's last) with a hash computed over it,
    as someone writing the database directly would."""
    events = stored_events(ctx, infusion_id)
    event = events[seq - 1]
    assert event.seq == seq == len(events)
    digest = event_hash(
        events[seq - 2].hash, stream=STREAM, seq=seq, type=event.type, payload_text=payload,
        occurred_at=event.occurred_at, recorded_at=event.recorded_at, user="nurse",
        station=event.station, reason=event.reason,
    )  # fmt: skip
    tamper(
        ctx,
        "UPDATE events SET payload = :p, hash = :h WHERE hash = :old",
        f"UPDATE streams SET head_hash = :h WHERE name = '{STREAM}'",
        p=payload,
        h=digest,
        old=event.hash,
    )


def test_a_payload_hashed_as_written_but_not_canonical_is_named(ctx, staff, infusion_id):
    add_note(ctx, staff.nurse, infusion_id, "note 0")  # #2
    rehash(ctx, infusion_id, 2, '{"text": "note 0"}')  # a space after the colon
    assert audit.verify_log(ctx, infusion_id).problems == (
        f"event {STREAM}#2: payload is not in canonical form",
    )
    rehash(ctx, infusion_id, 2, '{"text":"note \\u0030"}')  # "0" escaped: the same text
    assert audit.verify_log(ctx, infusion_id).problems == (
        f"event {STREAM}#2: payload is not in canonical form",
    )


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ('{"text":', "payload is not valid JSON"),
        ('["note 0"]', "payload is not a JSON object"),
        # json.loads takes NaN, canonical JSON never holds it (the old walk: exit 70)
        ('{"text":NaN}', "payload is not in canonical form"),
    ],
)
def test_a_payload_that_is_no_canonical_object_is_named(ctx, staff, infusion_id, payload, problem):
    add_note(ctx, staff.nurse, infusion_id, "note 0")  # #2
    tamper(ctx, f"UPDATE events SET payload = :p WHERE seq = 2 AND {IN_INFUSION}", p=payload)
    assert audit.verify_log(ctx, infusion_id).problems == (f"event {STREAM}#2: {problem}",)


def test_an_unknown_event_type_is_named(ctx, staff, infusion_id):
    add_note(ctx, staff.nurse, infusion_id, "note 0")  # #2
    tamper(ctx, f"UPDATE events SET type = 'no_such' WHERE seq = 2 AND {IN_INFUSION}")
    assert audit.verify_log(ctx, infusion_id).problems == (
        f"event {STREAM}#2: unknown event type 'no_such'",
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_time_stored_in_another_form_the_column_reads_alike_still_verifies(
    ctx, staff, infusion_id
):
    """SQLite keeps times as text; the walk turns the app's own form into the chain's text
    by string operations, and any other form through the column type, as the old walk read
    every time: 08:00:00 without microseconds is the same time, 08:00:01 is not."""
    tamper(
        ctx,
        f"UPDATE events SET occurred_at = '2026-11-21 08:00:00' WHERE seq = 1 AND {IN_INFUSION}",
    )
    assert audit.verify_log(ctx, infusion_id).ok
    tamper(
        ctx,
        f"UPDATE events SET occurred_at = '2026-11-21T08:00:00.000000' "
        f"WHERE seq = 1 AND {IN_INFUSION}",
    )
    assert audit.verify_log(ctx, infusion_id).ok
    tamper(
        ctx,
        f"UPDATE events SET occurred_at = '2026-11-21 08:00:01.000000' "
        f"WHERE seq = 1 AND {IN_INFUSION}",
    )
    assert audit.verify_log(ctx, infusion_id).problems == (
        f"event {STREAM}#1: hash does not match the event's content (the event was altered)",
    )


ALTERED = "hash does not match the event's content (the event was altered)"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("stored", "problem"),
    [
        # as long as the app's form but not it: the walk's guess gives another text, its
        # hash fails, and the column's reading decides, as before
        ("2026-11-21 08:00:00.0000+0", "a stored time cannot be read (Invalid isoformat "
         "string: '2026-11-21 08:00:00.0000+0')"),
        ("2026-11-21 08:00:00.000000+00:00", None),  # longer: the type reads the same time
        ("2026-11-21 08:00:00.0000001", None),  # the type keeps six digits of the seven
        ("2026-11-21 08:00:00.000001", ALTERED),  # the app's form of another time
        ("2026-11-21T08:00:00.000000", None),  # 26 characters, ISO's T: the same time
        ("2026 11-21 08:00:00.000000", "a stored time cannot be read (Invalid isoformat "
         "string: '2026 11-21 08:00:00.000000')"),  # two spaces: no T where the app's has
        ("2026-11-21 08:00:00 000000", "a stored time cannot be read (Invalid isoformat "
         "string: '2026-11-21 08:00:00 000000')"),  # guessed as 08:00:00T000000: no
        ("2026-11-21", ALTERED),  # midnight
        ("tomorrow", "a stored time cannot be read (Invalid isoformat string: 'tomorrow')"),
    ],
)  # fmt: skip
def test_a_time_guessed_in_the_apps_form_is_confirmed_by_its_hash_or_read_by_the_column(
    ctx, staff, infusion_id, stored, problem
):
    """The walk takes a 26-character text for the app's form without a regular expression
    (its spaces made T), and lets the hash confirm it; when the hash does not match, the
    time is read through the column type and hashed again, so every text gets the old
    walk's verdict: verified when the type reads the time that was hashed, else altered.
    A text the type cannot read at all is named, not a crash of the whole walk (it was an
    internal error)."""
    tamper(ctx, f"UPDATE events SET occurred_at = '{stored}' WHERE seq = 1 AND {IN_INFUSION}")
    report = audit.verify_log(ctx)
    if problem is None:
        assert report.ok, report.problems
    else:
        infusion = next(r for r in report.streams if r.stream == STREAM)
        assert infusion.problem == f"event {STREAM}#1: {problem}"


def test_a_status_change_is_folded_from_its_type_alone(ctx, staff, infusion_id):
    """The walk does not decode the payloads no fold reads (a product's status changes: a
    release carries its whole check); the product's fold comes out the same."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.seq, Event.type, Event.payload, Event.occurred_at, Event.recorded_at)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == "product:UC-MSC-2026-0001")
            .order_by(Event.seq)
        ).all()

    def logged(row, data) -> LogEvent:
        return LogEvent(
            "product:…", row.seq, row.type, data, row.occurred_at, row.recorded_at, None
        )

    decoded = [logged(r, decode(r.type, r.payload)) for r in rows]
    placeholders = [
        logged(r, MODELS[EventType(r.type)].model_construct())
        if r.type in STATUS_ONLY
        else logged(r, decode(r.type, r.payload))
        for r in rows
    ]
    assert "product_released" in {r.type for r in rows}  # released by the fixture
    assert fold_product(placeholders) == fold_product(decoded) is not None
    assert fold_product(decoded).status == "released"


def test_progress_is_reported_as_the_walk_goes(ctx, staff, infusion_id, monkeypatch):
    monkeypatch.setattr(verification, "PROGRESS_EVERY", 2)
    seen: list[tuple[int, int]] = []
    report = audit.verify_log(ctx, progress=lambda done, total: seen.append((done, total)))
    total = report.events
    assert total > 10
    # every second event, out of the log's events (each record's recorded head, summed)
    assert seen == [(done, total) for done in range(2, total + 1, 2)]


def test_each_login_that_cannot_be_folded_is_named_though_short_payloads_decode_once(ctx, staff):
    """The walk decodes a short payload once and reuses the (frozen) model for the same text:
    a ward's system record is mostly logins of a few dozen accounts (issue 18). A payload that
    does not decode is never reused, so each event holding it is named."""
    from infusion_app.services import accounts
    from tests.conftest import PASSWORD

    for _ in range(3):
        accounts.log_in(ctx, "nurse", PASSWORD)
    tamper(
        ctx,
        "UPDATE events SET payload = :p WHERE type = 'login_succeeded' AND id IN "
        "(SELECT id FROM events WHERE type = 'login_succeeded' ORDER BY id DESC LIMIT 2)",
        p='{"username":5}',
    )
    with ctx.db.read() as session:
        seqs = session.scalars(
            select(Event.seq).where(Event.type == "login_succeeded").order_by(Event.seq)
        ).all()
    first, second, third = seqs[-3:]
    problems = audit.verify_log(ctx).problems
    assert problems[0] == (
        f"event system#{second}: hash does not match the event's content (the event was altered)"
    )
    unfoldable = [p for p in problems if "cannot be folded" in p]
    assert unfoldable == [
        f"events: system#{n} (login_succeeded) cannot be folded: login_succeeded: "
        "username: Input should be a valid string"
        for n in (second, third)
    ]
    assert not any(f"system#{first} " in p for p in problems)


def test_a_login_after_a_failed_attempt_is_folded_though_repeated_logins_are_not(ctx, staff):
    """The walk leaves out of the accounts fold a login of an account whose last account
    event was its own login (it changes nothing), so a ward's thousands of logins are not
    folded again; a failed attempt in between means the next login is folded (it clears the
    count), and the users table still has to say what the log says."""
    from sqlalchemy import update

    from infusion_app.services import accounts
    from infusion_app.services.context import AuthenticationFailed
    from infusion_app.store.models import User
    from tests.conftest import PASSWORD

    for _ in range(3):
        accounts.log_in(ctx, "nurse", PASSWORD)
    with pytest.raises(AuthenticationFailed):
        accounts.log_in(ctx, "nurse", "not the password")
    accounts.log_in(ctx, "nurse", PASSWORD)  # the count back at 0
    accounts.log_in(ctx, "nurse", PASSWORD)
    assert audit.verify_log(ctx).ok
    with ctx.db.write() as session:  # a row the log does not explain: still named
        session.execute(update(User).where(User.username == "nurse").values(failed_logins=1))
    assert audit.verify_log(ctx).problems == ("users: nurse's failed logins differs from the log",)


def test_a_login_text_found_canonical_before_does_not_vouch_for_another_text(ctx, staff):
    """The walk remembers the short payload texts it found canonical (a ward's logins are a
    few dozen texts), so each is checked once; the same login written another way, with a
    hash computed over it as someone writing the file directly would, is still named."""
    from infusion_app.services import accounts
    from tests.conftest import PASSWORD

    for _ in range(3):
        accounts.log_in(ctx, "nurse", PASSWORD)
    with ctx.db.read() as session:
        last = session.scalars(
            select(Event).where(Event.type == "login_succeeded").order_by(Event.id.desc())
        ).first()
        assert last is not None and last.payload == '{"username":"nurse"}'
        user = session.get(Stream, last.stream_id)  # the system record's row
        assert user is not None and user.head_seq == last.seq
        spaced = '{"username": "nurse"}'  # the same login, a space after the colon
        digest = event_hash(
            last.prev_hash, stream=user.name, seq=last.seq, type=last.type,
            payload_text=spaced, occurred_at=last.occurred_at, recorded_at=last.recorded_at,
            user=None if last.user_id is None else "nurse", station=last.station,
            reason=last.reason,
        )  # fmt: skip
    tamper(
        ctx,
        "UPDATE events SET payload = :p, hash = :h WHERE hash = :old",
        "UPDATE streams SET head_hash = :h WHERE name = 'system'",
        p=spaced,
        h=digest,
        old=last.hash,
    )
    assert audit.verify_log(ctx).problems == (
        f"event system#{last.seq}: payload is not in canonical form",
    )


def test_a_signature_row_pointed_at_a_repeated_login_is_still_checked_against_it(ctx, staff):
    """A login of an account logged in already is not folded again (most of a site's log);
    but an event a signature row names is kept for the bindings check even then. A row
    re-pointed at such a login, with the login's own hash, passes the first check (the event
    it claims to sign exists with that hash) and is caught by the second: its signature
    event in the log says otherwise. Had the login not been kept, the report would say the
    row matches no event, which is true only of a row pointed at nothing."""
    from infusion_app.services import accounts
    from tests.conftest import PASSWORD

    made = audit.checkpoint_log(ctx, staff.monitor, PASSWORD)  # a signature in the system
    assert made.seq is not None
    for _ in range(3):  # the second and third fold nothing
        accounts.log_in(ctx, "nurse", PASSWORD)
    with ctx.db.read() as session:
        last = session.execute(
            select(Event.seq, Event.hash)
            .where(Event.type == "login_succeeded")
            .order_by(Event.id.desc())
            .limit(1)
        ).one()
    tamper(
        ctx,
        "UPDATE signatures SET signed_seq = :seq, signed_hash = :hash WHERE signed_seq = :made",
        seq=last.seq,
        hash=last.hash,
        made=made.seq,
    )
    problems = audit.verify_log(ctx).problems
    assert len(problems) == 1
    assert problems[0].startswith("signature ")
    assert problems[0].endswith(" differs from its signature event in the log")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("column", "problem"),
    [
        ("station", "its station is not text"),
        ("reason", "its reason is not text"),
        ("payload", "its payload is not text"),
    ],
)
def test_a_column_holding_a_blob_instead_of_text_is_named(ctx, staff, infusion_id, column, problem):
    """SQLite keeps whatever a statement writes: a blob where the app writes text ended the
    whole walk in an internal error (a TypeError from the JSON quoting or the shapes' regular
    expressions); it is that event's problem, named, and the walk goes on."""
    add_note(ctx, staff.nurse, infusion_id, "a note")
    tamper(ctx, f"UPDATE events SET {column} = X'7b7d' WHERE seq = 2 AND {IN_INFUSION}")
    report = audit.verify_log(ctx)
    infusion = next(r for r in report.streams if r.stream == STREAM)
    assert infusion.problem == f"event {STREAM}#2: {problem}"
    assert [r.stream for r in report.streams if not r.ok] == [STREAM]
