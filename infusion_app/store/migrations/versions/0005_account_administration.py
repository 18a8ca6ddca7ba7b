"""Accounts administered from the window: forced password change, admin lock, deactivation.

Three columns of ``users``, each a projection of new account events (issue 17):
``must_change_password`` (set by ``user_created`` / ``user_password_reset`` carrying
``must_change_password: true``, cleared by ``user_password_changed``), ``locked_by_admin``
(``user_locked_by_admin`` until ``user_unlocked``) and ``deactivated_at``
(``user_deactivated``'s time). An existing account has none of those events, so its fold
says false, false and null: exactly the defaults given here. No event is written and no old
event is touched; the chain stays valid. The SQLite file is backed up before this runs
(store/migrate.py), a shared PostgreSQL database only on an explicit ``db upgrade``.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMNs (no table rebuild: events and signatures point at users' ids)
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "users",
        sa.Column("locked_by_admin", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("users", sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
