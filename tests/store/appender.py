"""Child process of the crash and concurrency tests.

Appends notes to one infusion through the real service and prints each sequence number once
``add_note`` has returned, i.e. once COMMIT returned: those are the acknowledged events.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from infusion_app.services import accounts, infusions
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER


def main(url: str, infusion_id: int, count: int, station: str) -> None:
    db = open_database(url, datetime.now(UTC), migrate=False)
    ctx = AppContext(db=db, station=station, hasher=FAST_HASHER)
    nurse = next(u for u in accounts.list_users(ctx) if u.username == "nurse")
    print("ready", flush=True)
    for number in range(count):
        seq = infusions.add_note(ctx, nurse, infusion_id, f"{station} note {number}")
        print(seq, flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
