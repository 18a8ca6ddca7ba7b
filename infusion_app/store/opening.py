"""Open the record store the way the app starts: check, configure, migrate.

A file that fails ``PRAGMA quick_check`` or cannot be written is opened read-only with a
banner message, so the record stays readable and nothing is ever written to it; the app still
opens. A schema newer than the code is refused outright.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import URL, make_url

from infusion_app.store.database import (
    Database,
    Health,
    quick_check,
    read_only_url,
    sqlite_file,
)
from infusion_app.store.errors import ReadOnlyDatabase, SchemaTooNew
from infusion_app.store.migrate import schema_state, upgrade


def open_database(url: str | URL, now: datetime, *, migrate: bool = True) -> Database:
    url = make_url(url)
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        problem = quick_check(path)
        if problem is not None:
            return Database(
                read_only_url(path),
                read_only=True,
                health=Health(
                    writable=False,
                    message=(
                        f"The database {path} failed its integrity check ({problem}). It is "
                        "open read-only: nothing can be recorded. Call support and keep the file."
                    ),
                ),
            )
    db = Database(url)
    try:
        db.ping()
        db.probe_writable()
        if migrate:
            upgrade(db, now)
        else:
            schema_state(db)
    except ReadOnlyDatabase as exc:
        db.dispose()
        if path is None:
            raise
        return Database(
            read_only_url(path),
            read_only=True,
            health=Health(writable=False, message=f"{exc}. It is open read-only."),
        )
    except SchemaTooNew:
        db.dispose()
        raise
    return db
