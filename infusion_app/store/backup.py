"""Consistent SQLite backups through SQLite's own backup API, never a file copy.

A file copy of a live WAL database can miss committed pages still in the -wal file; the
backup API copies a consistent snapshot even while other connections write.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from infusion_app.store.database import quick_check, read_only_uri
from infusion_app.store.errors import DatabaseUnavailable, StoreError


def backup_sqlite(source: Path, destination: Path) -> Path:
    if destination.exists():
        raise StoreError(f"backup: {destination} exists already; choose a new file name")
    try:
        destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # created here, owner-only, before SQLite writes into it (nothing holds it yet)
        os.close(os.open(destination, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise StoreError(f"backup: {destination} exists already; choose a new file name") from None
    except OSError as exc:
        raise DatabaseUnavailable(f"backup to {destination} failed: {exc.strerror}") from None
    try:
        src = sqlite3.connect(read_only_uri(source), uri=True)
        try:
            dst = sqlite3.connect(destination)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        destination.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"backup of {source} to {destination} failed: {exc}") from exc
    problem = quick_check(destination)
    if problem is not None:
        destination.unlink(missing_ok=True)
        raise DatabaseUnavailable(f"backup {destination} failed its check ({problem})")
    return destination


def timestamped_backup_path(source: Path, label: str, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return source.parent / "backups" / f"{source.stem}-{label}-{stamp}{source.suffix}"
