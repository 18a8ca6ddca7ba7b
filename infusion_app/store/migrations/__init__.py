"""Alembic migrations, run by ``infusion_app.store.migrate`` (never through an alembic.ini)."""
