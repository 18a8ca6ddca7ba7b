"""Indexes for the reads that must stay flat with a site's years of history (issue 18).

``events.occurred_at`` serves every date range (today's ward list, the monitor's month or
year, the landing's "touched today"); ``events(type, stream_id)`` serves the reads that look
for one kind of entry across the record (which infusions have ended their observation, each
infusion's creation with its pinned protocol). Without them each of those reads scanned the
whole table: 0.6 s per nurse login on a million events. Nothing stored changes; the chain
is untouched. The SQLite file is backed up before this runs (store/migrate.py), a shared
PostgreSQL database only on an explicit ``db upgrade``.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_occurred_at", "events", ["occurred_at"])
    op.create_index("ix_events_type_stream", "events", ["type", "stream_id"])


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
