"""Whether the database account the app runs as could undo the log's own protection.

The triggers that keep ``events`` and ``signatures`` append-only bind every role except one
that may drop or disable them: a superuser, or the owner of those tables. The app should run
as a role that owns nothing (README: "PostgreSQL roles"); ``db status`` warns otherwise.
"""

from __future__ import annotations

from sqlalchemy import text

from infusion_app.store.database import Database, translate_errors

_ROLE = text(
    "SELECT current_user AS name, r.rolsuper AS super, "
    "(SELECT tableowner FROM pg_tables WHERE tablename = 'events' "
    " AND schemaname = current_schema()) AS owner "
    "FROM pg_roles r WHERE r.rolname = current_user"
)


def privilege_warning(db: Database) -> str | None:
    """One line when the connected role could drop the append-only triggers, else None."""
    if db.dialect != "postgresql":
        return None
    with translate_errors(db), db.engine.connect() as connection:
        role = connection.execute(_ROLE).one()
    if role.super:
        return (
            f"connected as {role.name}, a superuser: it can drop the log's append-only "
            "triggers; run the app as a role that owns nothing (README: PostgreSQL roles)"
        )
    if role.owner == role.name:
        return (
            f"connected as {role.name}, the owner of the events table: it can drop the log's "
            "append-only triggers; run the app as a role that owns nothing (README: "
            "PostgreSQL roles)"
        )
    return None
