"""Alembic environment: always runs on the connection the app hands over, inside its
transaction, so a failed migration leaves the database as it was."""

from __future__ import annotations

from alembic import context

from infusion_app.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
