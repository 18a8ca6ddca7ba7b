"""A bedside act reads its account and its infusion as frozen records on the driver
(store/act_rows.py, issue 18) instead of ORM objects: the same values as the ORM loads, and
the same refusals when a row was edited behind the app's back. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from infusion_app.services import accounts, bedside
from infusion_app.services.context import NotAuthorised
from infusion_app.store.act_rows import lock_infusion, user_record
from infusion_app.store.errors import RecordIntegrityError
from infusion_app.store.models import Infusion, Stream, User
from tests.conftest import PASSWORD
from tests.store.tampering import tamper
from tests.store.test_projections import refused


def _orm_columns(row: object, record: object) -> dict[str, object]:
    return {f.name: getattr(row, f.name) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def test_every_account_reads_as_the_orm_loads_it(ctx, staff, clock) -> None:
    # times and flags set, not only their defaults: a lock until, a deactivation, a reset
    with pytest.raises(Exception, match="wrong"):
        accounts.log_in(ctx, "monitor", "wrong password")
    accounts.lock(ctx, staff.admin, "nurse2", admin_password=PASSWORD)
    accounts.deactivate(ctx, staff.admin, "investigator", "left the ward", admin_password=PASSWORD)
    accounts.reset_password(ctx, staff.admin, "pharmacist", "set by the admin",
                            admin_password=PASSWORD)  # fmt: skip
    ctx.policy = type(ctx.policy)(max_failed_logins=1, lockout_minutes=15)
    with pytest.raises(Exception, match="wrong"):
        accounts.log_in(ctx, "nurse", "wrong password")  # locked until a time
    with ctx.db.write() as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        assert len(users) >= 6
        for user in users:
            found = user_record(session, user.id)
            assert found is not None
            record = found.record
            assert dataclasses.asdict(record) == _orm_columns(user, record)
            # the accounts' log head read with it is the system stream's, as stored now
            system = session.execute(
                select(Stream.head_seq, Stream.head_hash).where(Stream.name == "system")
            ).one()
            assert found.accounts_head == tuple(system)
        assert user_record(session, max(u.id for u in users) + 1) is None
    nurse = next(u for u in users if u.username == "nurse")
    assert nurse.locked_until is not None and nurse.locked_until.utcoffset() == timedelta(0)


def test_an_infusion_reads_as_the_orm_loads_it(ctx, staff, infusion_id) -> None:
    with ctx.db.write() as session:
        infusion = session.get(Infusion, infusion_id)
        found = lock_infusion(session, infusion_id)
        assert found is not None and infusion is not None
        record, head = found
        assert dataclasses.asdict(record) == _orm_columns(infusion, record)
        stream = session.get(Stream, infusion.stream_id)
        assert stream is not None
        assert (head.stream_id, head.name, head.seq, head.hash) == (
            stream.id, stream.name, stream.head_seq, stream.head_hash
        )  # fmt: skip
        assert lock_infusion(session, infusion_id + 1000) is None


def test_a_note_on_an_infusion_row_edited_behind_the_apps_back_is_refused(
    ctx, staff, infusion_id
) -> None:
    tamper(ctx, "UPDATE infusions SET number = 7")
    refused(
        ctx,
        lambda: bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable"),
        # the stream is named after the number: P001/1 is not the stream of a number 7
        "record integrity: infusion P001/1's number, stream differ from the log; nothing done",
        "infusion P001/1",
        ["number", "stream"],
    )


def test_a_creation_event_edited_after_an_act_checked_it_is_refused_at_the_next(
    ctx, staff, infusion_id
) -> None:
    """The row a creation event sets up is kept by the event's stored values (each act
    checked the same event again): once the event's payload is edited, the next act reads
    other values, the row is worked out afresh from them, and the act is refused, as the
    first act after such an edit always was."""
    bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable")  # checked, and kept
    with ctx.db.read() as session:
        stream_id = session.get(Infusion, infusion_id).stream_id
    tamper(
        ctx,
        "UPDATE events SET payload = replace(payload, :was, :now) "
        f"WHERE seq = 1 AND stream_id = {stream_id}",
        was='"number":1',
        now='"number":2',
    )
    refused(
        ctx,
        lambda: bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable"),
        "record integrity: infusion P001/1's number differs from the log; nothing done",
        "infusion P001/1",
        ["number"],
    )


def test_a_note_by_an_account_edited_behind_the_apps_back_is_refused(
    ctx, staff, infusion_id
) -> None:
    """A monitor made a nurse in the table: the bedside refuses the note and records it."""
    tamper(ctx, "UPDATE users SET role = 'nurse' WHERE username = 'monitor'")
    refused(
        ctx,
        lambda: bedside.NOTE(ctx, staff.monitor, infusion_id, text="comfortable"),
        "record integrity: user monitor's role differs from the log; nothing done",
        "user monitor",
        ["role"],
    )


def test_a_locked_or_deactivated_account_may_not_write_at_the_bedside(
    ctx, staff, infusion_id
) -> None:
    accounts.lock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    with pytest.raises(NotAuthorised, match="locked"):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable")
    accounts.unlock(ctx, staff.admin, "nurse", admin_password=PASSWORD)
    bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable")  # allowed again
    accounts.deactivate(ctx, staff.admin, "nurse", "left the ward", admin_password=PASSWORD)
    with pytest.raises(NotAuthorised, match="deactivated"):
        bedside.NOTE(ctx, staff.nurse, infusion_id, text="comfortable")


def test_an_infusion_that_does_not_exist_is_one_clear_line(ctx, staff, infusion_id) -> None:
    with pytest.raises(Exception, match=f"no infusion {infusion_id + 1000}"):
        bedside.NOTE(ctx, staff.nurse, infusion_id + 1000, text="comfortable")


def test_records_cannot_be_changed(ctx, staff, infusion_id) -> None:
    with ctx.db.write() as session:
        found = lock_infusion(session, infusion_id)
    assert found is not None
    record = found[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.number = 2  # type: ignore[misc]
    with pytest.raises(RecordIntegrityError):  # and a tampered row is never returned
        tamper(ctx, "UPDATE infusions SET protocol_version = '0.0.1'")
        with ctx.db.write() as session:
            lock_infusion(session, infusion_id)
