"""Append-only in the database itself, and the system stream.

The application never updates or deletes an event or a signature, and neither can anyone
else through SQL: triggers reject UPDATE and DELETE (and TRUNCATE on PostgreSQL).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

APPEND_ONLY = ("events", "signatures")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: {verb} refused'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            """
            CREATE FUNCTION infusion_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% are append-only: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
            END $$
            """
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION infusion_reject_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION infusion_reject_change()"
            )
    else:
        raise RuntimeError(f"no append-only triggers for the {dialect} dialect")
    op.execute(
        "INSERT INTO streams (name, head_seq, head_hash) "
        "VALUES ('system', 0, '0000000000000000000000000000000000000000000000000000000000000000')"
    )


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
