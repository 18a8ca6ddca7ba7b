"""Child process of the ward board's test: another station records abnormal vital signs (a
high alarm) on an infusion, at a given time, and ends once the entry is committed."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

from infusion_app.services import bedside
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.logic.infusion_log import NORMAL_VITALS
from tests.stored import list_users


def alarm_from_another_process(url: str, infusion_id: int, station: str, at: datetime) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ui.ward_alarm_process",
            url,
            str(infusion_id),
            station,
            at.isoformat(),
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def main(url: str, infusion_id: int, station: str, at: str) -> None:
    moment = datetime.fromisoformat(at)
    db = open_database(url, moment, migrate=False)
    ctx = AppContext(db=db, station=station, clock=lambda: moment, hasher=FAST_HASHER)
    nurse = next(u for u in list_users(ctx) if u.username == "nurse2")
    bedside.record_vitals(ctx, nurse, infusion_id, {**NORMAL_VITALS, "systolic_mmhg": 80})
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
