"""Child process of the crash and concurrency tests.

Appends notes to one infusion through the real service and prints each sequence number once
``add_note`` has returned, i.e. once COMMIT returned: those are the acknowledged events.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.stored import add_note, list_users


def note_from_another_process(url: str, infusion_id: int, station: str) -> None:
    """Run this module as another process that appends one note and ends (the CLI or
    another station, as a screen or a change feed sees it)."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.store.appender", url, str(infusion_id), "1", station],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def main(url: str, infusion_id: int, count: int, station: str) -> None:
    db = open_database(url, datetime.now(UTC), migrate=False)
    ctx = AppContext(db=db, station=station, hasher=FAST_HASHER)
    nurse = next(u for u in list_users(ctx) if u.username == "nurse")
    print("ready", flush=True)
    for number in range(count):
        seq = add_note(ctx, nurse, infusion_id, f"{station} note {number}")
        print(seq, flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
