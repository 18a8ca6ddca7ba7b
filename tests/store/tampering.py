"""What an attacker with SQL access could do once the append-only triggers are out of the way."""

from __future__ import annotations

from sqlalchemy import text

from infusion_app.services.context import AppContext


def tamper(ctx: AppContext, *statements: str, **params: object) -> None:
    """Run raw SQL against the log with its append-only triggers removed."""
    with ctx.db.engine.begin() as connection:
        if ctx.db.dialect == "sqlite":
            for table in ("events", "signatures"):
                for verb in ("update", "delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
        else:
            for table in ("events", "signatures"):
                connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        for statement in statements:
            connection.execute(text(statement), params)
