"""Append-only in the database itself, and the system stream.

The application never updates or deletes an event or a signature, and neither can anyone
else through SQL: triggers reject UPDATE and DELETE (and TRUNCATE on PostgreSQL). A new event
must continue its stream's chain (next sequence number, previous head hash), and inserting it
moves the stream's head, so the head can never disagree with the log it summarises.

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
        op.execute(
            "CREATE TRIGGER events_continue_chain BEFORE INSERT ON events "
            "WHEN NOT EXISTS (SELECT 1 FROM streams WHERE id = NEW.stream_id "
            "AND head_seq = NEW.seq - 1 AND head_hash = NEW.prev_hash) "
            "BEGIN SELECT RAISE(ABORT, 'append-only log: event does not continue its chain'); END"
        )
        op.execute(
            "CREATE TRIGGER events_move_head AFTER INSERT ON events BEGIN "
            "UPDATE streams SET head_seq = NEW.seq, head_hash = NEW.hash "
            "WHERE id = NEW.stream_id; END"
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
        op.execute(
            """
            CREATE FUNCTION infusion_move_head() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE streams SET head_seq = NEW.seq, head_hash = NEW.hash
                 WHERE id = NEW.stream_id AND head_seq = NEW.seq - 1
                   AND head_hash = NEW.prev_hash;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'append-only log: event % does not continue its chain',
                        NEW.seq USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$
            """
        )
        op.execute(
            "CREATE TRIGGER events_move_head BEFORE INSERT ON events "
            "FOR EACH ROW EXECUTE FUNCTION infusion_move_head()"
        )
    else:
        raise RuntimeError(f"no append-only triggers for the {dialect} dialect")
    op.execute(
        "INSERT INTO streams (name, head_seq, head_hash) "
        "VALUES ('system', 0, '0000000000000000000000000000000000000000000000000000000000000000')"
    )


def downgrade() -> None:
    raise NotImplementedError("clinical records are never migrated backwards")
