"""Schema versions: alembic migrations run at start-up, after a backup, never backwards.

A database written by a newer version of the app is refused: this code cannot know what the
newer columns mean, and guessing could corrupt a clinical record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from infusion_app.store.backup import backup_sqlite, timestamped_backup_path
from infusion_app.store.database import Database, translate_errors
from infusion_app.store.errors import SchemaTooNew, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration's revision. A store already at it is opened without loading alembic
# (a third of a second of the start-up, on the path to the login); any other revision goes
# through alembic as before. tests/store/test_sqlite_and_migrations.py holds it to alembic's.
SCHEMA_HEAD = "0006"


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str


@dataclass(frozen=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def schema_state(db: Database) -> SchemaState:
    if _stored_revisions(db) == [SCHEMA_HEAD]:
        return SchemaState(SCHEMA_HEAD, SCHEMA_HEAD)
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    with translate_errors(db), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    known = {revision.revision for revision in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaTooNew(
            f"the database is at schema version {current}, newer than this app knows "
            f"(up to {head}): open it with the newer version of the app that wrote it"
        )
    return SchemaState(current, head)


def _stored_revisions(db: Database) -> list[str] | None:
    """The revisions alembic_version holds, read with plain SQL; None when it cannot be
    read (a new database, a missing table: alembic decides)."""
    try:
        with db.engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return None
    return [str(row[0]) for row in rows]


def upgrade(db: Database, now: datetime, *, explicit: bool = False) -> UpgradeResult:
    """Bring the schema to the newest version, backing up an existing SQLite file first.

    On PostgreSQL, several stations share the database: an existing schema is upgraded only
    by an explicit ``infusion-app db upgrade`` after the server's own backup, never as a
    side effect of one station starting.
    """
    state = schema_state(db)
    if state.current == state.head:
        return UpgradeResult(state.current, state.head, None)
    backup = None
    if state.current is not None:
        path = db.sqlite_path
        if path is not None:
            label = f"schema{state.current}"
            backup = backup_sqlite(path, timestamped_backup_path(path, label, now))
        elif not explicit:
            raise StoreError(
                f"the shared database is at schema {state.current} and this app needs "
                f"{state.head}: back it up, then run `infusion-app db upgrade` once"
            )
    from alembic import command

    config = alembic_config()
    with translate_errors(db), db.engine.execution_options(infusion_app_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return UpgradeResult(state.current, state.head, backup)
