"""Accounts become a full projection of the log: record what the log did not hold yet.

Before this version the ``system`` stream said who each account is (name, role) but not
which password hash it has, and a correct signature password cleared the failed-login count
without an event. From now on account events carry ``password_digest`` (the SHA-256 of the
argon2id hash, never the hash) and every change of the count or lock is an event. For the
accounts that exist at the upgrade, one ``user_state_recorded`` event each records the
digest, the failed-login count and the lock as found, so ``verify-log`` and the services can
compare every column from then on. Old events are not touched; the chain stays valid.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
from sqlalchemy import select
from sqlalchemy.orm import Session

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from infusion_app.logic.event_types import SYSTEM_STREAM, EventType
    from infusion_app.logic.projections import password_digest
    from infusion_app.store.eventlog import append_event
    from infusion_app.store.models import User

    session = Session(bind=op.get_bind())
    now = datetime.now(UTC)
    users = session.execute(
        select(User.username, User.password_hash, User.failed_logins, User.locked_until).order_by(
            User.id
        )
    ).all()
    for username, password_hash, failed_logins, locked_until in users:
        append_event(
            session,
            SYSTEM_STREAM,
            EventType.USER_STATE_RECORDED,
            {
                "username": username,
                "password_digest": password_digest(password_hash),
                "failed_logins": failed_logins,
                "locked_until": locked_until,
                "why": "schema 0003: the log holds every account column from now on",
            },
            user=None,
            station="upgrade",
            recorded_at=now,
        )
    session.flush()


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
