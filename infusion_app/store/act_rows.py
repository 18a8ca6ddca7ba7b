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
written back through it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from infusion_app.store.database import write_connection
from infusion_app.store.driver_rows import DriverQuery
from infusion_app.store.models import Infusion, User
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

_USER = DriverQuery(select(*User.__table__.columns).where(User.id == bindparam("id")))
# the facts its check reads (INFUSION_FACTS), then the infusion's columns: one statement
_INFUSION = DriverQuery(INFUSION_FACTS.add_columns(*Infusion.__table__.columns))
_FACTS = tuple(c.key for c in INFUSION_FACTS.selected_columns)


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


def user_record(session: Session, user_id: int) -> UserRecord | None:
    """The account row ``user_id`` as stored now, in the act's transaction (None: no row).
    The caller checks it against the log (``check_user``), as it would the ORM's."""
    row = _USER.first(write_connection(session), {"id": user_id})
    return None if row is None else UserRecord(**dict(zip(_USER_COLUMNS, row, strict=True)))


def infusion_record(session: Session, infusion_id: int) -> InfusionRecord | None:
    """The infusion row ``infusion_id`` as stored now, checked against its creation event
    (``check_infusion_facts``: a row edited behind the app's back is refused); None: no row."""
    row = _INFUSION.first(write_connection(session), {"infusion_id": infusion_id})
    if row is None:
        return None
    facts = _Facts(*row[: len(_FACTS)])
    columns = row[len(_FACTS) :]
    record = InfusionRecord(**dict(zip(_INFUSION_COLUMNS, columns, strict=True)))
    check_infusion_facts(record, facts)
    return record
