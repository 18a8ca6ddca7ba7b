"""The account and infusion rows a bedside act reads, as plain values, each checked against
the log like the ORM rows the other services read.

A bedside act (a note, a set of vital signs) reads its user's account and its infusion,
checks both against the log, appends and commits. Loaded through the ORM, the two rows were
most of the act's own time (issue 18: a note took 2.9 times its bare append): the Session
began its own transaction for them, built a query per ``get`` and an object per row. Read
here with two statements run on the driver (``driver_rows.DriverQuery``) in the write
transaction (``write_connection``), they come back as frozen records with the same
attribute names and values as the ORM objects, so the same checks (``check_user``,
``check_infusion_facts``) and rules apply; a record cannot be changed, so nothing can be
written back through it by mistake. The same two statements bring what the act would
otherwise read in two more: the accounts' log head its account check compares, and the
infusion record's head under its lock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from infusion_app.logic.event_types import SYSTEM_STREAM
from infusion_app.store.database import write_connection
from infusion_app.store.driver_rows import DriverQuery
from infusion_app.store.eventlog import LockedHead
from infusion_app.store.models import Infusion, Stream, User
from infusion_app.store.projections import INFUSION_FACTS, check_infusion_facts


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A ``users`` row as the ORM's :class:`User` holds it."""

    id: int
    username: str
    printed_name: str
    role: str
    password_hash: str
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    must_change_password: bool
    locked_by_admin: bool
    deactivated_at: datetime | None


@dataclass(frozen=True, slots=True)
class InfusionRecord:
    """An ``infusions`` row as the ORM's :class:`Infusion` holds it."""

    id: int
    patient_id: int
    product_id: int
    number: int
    protocol_id: str
    protocol_version: str
    created_at: datetime
    stream_id: int


_USER_COLUMNS = tuple(c.name for c in User.__table__.columns)
_INFUSION_COLUMNS = tuple(c.name for c in Infusion.__table__.columns)
assert set(_USER_COLUMNS) == set(UserRecord.__slots__), _USER_COLUMNS
assert set(_INFUSION_COLUMNS) == set(InfusionRecord.__slots__), _INFUSION_COLUMNS

# the account's columns, then the accounts' log head (the ``system`` stream's) that its
# check compares with the fold it keeps (``expected_accounts``): one statement, not two
_USER = DriverQuery(
    select(
        *User.__table__.columns,
        select(Stream.head_seq).where(Stream.name == SYSTEM_STREAM).scalar_subquery(),
        select(Stream.head_hash).where(Stream.name == SYSTEM_STREAM).scalar_subquery(),
    ).where(User.id == bindparam("id"))
)
# the facts its check reads (INFUSION_FACTS), the infusion's columns, and its record's head
# under the record's lock (FOR UPDATE OF streams on PostgreSQL; SQLite's BEGIN IMMEDIATE has
# serialised every writer already): one statement where there were two
_INFUSION = DriverQuery(
    INFUSION_FACTS.add_columns(
        *Infusion.__table__.columns, Stream.head_seq, Stream.head_hash
    ).with_for_update(of=Stream)
)
_FACTS = tuple(c.key for c in INFUSION_FACTS.selected_columns)
_HEAD_AT = len(_FACTS) + len(_INFUSION_COLUMNS)


class _Facts(NamedTuple):
    """What ``check_infusion_facts`` reads of the row (the names of INFUSION_FACTS)."""

    name: str
    trial_id: str | None
    product_id: str | None
    seq: int | None
    type: str | None
    payload: str | None
    occurred_at: datetime | None
    recorded_at: datetime | None


assert _Facts._fields == _FACTS, _FACTS


class ActingUser(NamedTuple):
    """An account as an act reads it, with the accounts' log head read in the same statement
    (None: no ``system`` stream yet)."""

    record: UserRecord
    accounts_head: tuple[int, str] | None


def user_record(session: Session, user_id: int) -> ActingUser | None:
    """The account row ``user_id`` as stored now, in the act's transaction (None: no row).
    The caller checks it against the log (``check_user``), as it would the ORM's."""
    row = _USER.first(write_connection(session), {"id": user_id})
    if row is None:
        return None
    record = UserRecord(**dict(zip(_USER_COLUMNS, row[:-2], strict=True)))
    seq, digest = row[-2:]
    return ActingUser(record, None if seq is None else (int(seq), str(digest)))


def lock_infusion(session: Session, infusion_id: int) -> tuple[InfusionRecord, LockedHead] | None:
    """The infusion row ``infusion_id`` as stored now, checked against its creation event
    (``check_infusion_facts``: a row edited behind the app's back is refused), and its
    record's head under the record's lock, as :func:`~infusion_app.store.eventlog.
    lock_stream` gives it for the record's name; None: no row."""
    row = _INFUSION.first(write_connection(session), {"infusion_id": infusion_id})
    if row is None:
        return None
    facts = _Facts(*row[: len(_FACTS)])
    columns = row[len(_FACTS) : _HEAD_AT]
    record = InfusionRecord(**dict(zip(_INFUSION_COLUMNS, columns, strict=True)))
    check_infusion_facts(record, facts)
    seq, digest = row[_HEAD_AT:]
    return record, LockedHead(record.stream_id, facts.name, int(seq), str(digest))
