"""Stations see each other's entries: PostgreSQL notifies listeners when events are added.

Each committed transaction that appended events sends one notification per stream on the
channel ``infusion_changes`` (payload: the stream id), delivered at commit and in commit order.
Open screens LISTEN and refresh within a second or two (``store/change_feed.py``). SQLite
needs nothing stored: its ``PRAGMA data_version`` tells the same.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION infusion_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('infusion_changes', NEW.stream_id::text);
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER events_notify_change AFTER INSERT ON events "
        "FOR EACH ROW EXECUTE FUNCTION infusion_notify_change()"
    )


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
