"""``infusion-app patient show`` and ``patient calendar``: read-only, times in the protocol's
zone (Asia/Shanghai, UTC+8); ``--ics`` writes an audited iCalendar file.

The record: P001 in group C, infusion 1 on Sat 21 Nov 2026 and infusion 2 on Sat 28 Nov, each
started 08:35 UTC (16:35 local), built with the test clock (tests/services/patient_course.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from infusion_app.logic.event_types import EventType
from infusion_app.services.context import AppContext
from infusion_app.store.models import Event
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, make_staff, register_p001
from tests.fakes import FakeClock
from tests.services.patient_course import give_infusion
from tests.test_cli_records import run

AT = "2026-12-01T16:00+08:00"  # Tue 1 Dec, 08:00 UTC


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'course.sqlite3'}"
    clock = FakeClock()
    ctx = AppContext(
        db=open_database(url, clock()), station="bed-7", clock=clock, hasher=FAST_HASHER
    )
    staff = make_staff(ctx)
    register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level="C")
    give_infusion(ctx, staff, clock, 1)
    clock.now = datetime(2026, 11, 28, 8, tzinfo=UTC)
    give_infusion(ctx, staff, clock, 2)
    ctx.db.dispose()
    return url


def test_patient_show_json(capsys, monkeypatch, db):
    code, out, err = run(capsys, monkeypatch, db, "patient", "show", "P001", "--json", "--at", AT)
    assert (code, err) == (0, "")
    shown = json.loads(out)
    assert shown["patient"] == "P001" and shown["time_zone"] == "Asia/Shanghai"
    assert shown["now"] == "2026-12-01T16:00:00+08:00"
    assert shown["protocol"] == "ucmsc-cart-cytopenia v1.5.0"
    assert shown["enrolment"]["dose_level"] == "C"
    assert shown["enrolment"]["signed_by"] == "Ivan Investigator"
    assert (shown["dose_level"], shown["planned_infusions"], shown["given"]) == ("C", 4, 2)
    assert shown["min_infusions"] is None and shown["level_changes"] == []
    # infusion 3: infusion 2's local date 28 Nov + 7 = 5 Dec; window -1/+2 days, from Fri
    # 4 Dec 00:00 to Tue 8 Dec 00:00 local (excluded); not open on 1 Dec
    assert shown["next"] == {
        "number": 3,
        "text": "infusion 3 of 4",
        "level": "C",
        "status": "planned",
        "target": "2026-12-05",
        "opens": "2026-12-04T00:00:00+08:00",
        "closes": "2026-12-08T00:00:00+08:00",
        "started_at": None,
        "schedule_deviation": None,
        "not_given": None,
        "infusion": None,
    }
    plan = shown["plan"]
    assert [p["status"] for p in plan] == ["given", "given", "planned", "planned"]
    assert plan[0]["started_at"] == "2026-11-21T16:35:00+08:00"
    assert plan[1]["target"] == "2026-11-28" and plan[1]["infusion"] is not None
    # 28 Nov + 2 x 7 days = 12 Dec, until infusion 3 is given
    assert plan[3]["target"] == "2026-12-12"
    keys = {c["key"]: c for c in shown["calendar"]}
    # the week-1 visit: 21 Nov + 7 = 28 Nov, -1/+1 day; nothing recorded by 1 Dec: missed
    assert keys["follow_up_weekly:7d"]["status"] == "missed"
    assert keys["follow_up_weekly:7d"]["opens"] == "2026-11-27T00:00:00+08:00"
    assert keys["follow_up_weekly:7d"]["label"] == "Follow-up visit, week 1"
    assert keys["haem_response:28d"]["opens"] is None  # from the last infusion, not given
    assert shown["adverse_events"] == []
    assert [w["measured_at"] for w in shown["weights"]] == [
        "2026-11-21T16:00:00+08:00",
        "2026-11-28T16:00:00+08:00",
    ]
    assert shown["end"] is None
    assert shown["dlt_window"] == {"opens": "2026-11-21T16:35:00+08:00", "closes": None}


def test_patient_show_and_calendar_in_words(capsys, monkeypatch, db):
    code, out, _ = run(capsys, monkeypatch, db, "patient", "show", "P001", "--at", AT)
    assert code == 0
    assert "next: infusion 3 of 4, target 2026-12-05, window 2026-12-04 to 2026-12-07" in out
    assert "enrolled 2026-11-21 16:00 at C, signed by Ivan Investigator" in out
    assert "63.5 kg measured 2026-11-21 16:00 by nurse" in out
    code, out, _ = run(capsys, monkeypatch, db, "patient", "calendar", "P001", "--at", AT)
    assert code == 0
    # the 24-hour check of infusion 2: its end 09:25 UTC + 24 h - 2 h .. + 4 h, local time
    assert "2026-11-29 15:25 to 2026-11-29 21:25" in out
    code, out, _ = run(capsys, monkeypatch, db, "patient", "calendar", "P001", "--json")
    assert code == 0 and json.loads(out)["patient"] == "P001"


def test_an_unknown_patient_is_one_line(capsys, monkeypatch, db):
    code, out, err = run(capsys, monkeypatch, db, "patient", "show", "P404")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [err.strip()] and "P404" in err


def outputs(db: str) -> list[str]:
    ctx = AppContext(db=open_database(db, FakeClock()()), station="x", clock=FakeClock())
    try:
        with ctx.db.read() as session:
            rows = session.execute(
                select(Event.payload).where(Event.type == EventType.RECORD_PRINTED.value)
            ).scalars()
            return [json.loads(p)["what"] for p in rows]
    finally:
        ctx.db.dispose()


def test_the_ics_file_is_written_only_for_someone(capsys, monkeypatch, db, tmp_path):
    target = tmp_path / "p001.ics"
    code, _, err = run(capsys, monkeypatch, db, "patient", "calendar", "P001", "--ics", str(target))
    assert code == 2 and "user" in err and not target.exists()
    code, _, err = run(
        capsys, monkeypatch, db, "patient", "calendar", "P001", "--ics", str(target), "--at", AT
    )
    assert code == 2 and "at" in err and not target.exists()
    # never over the database itself
    database = db.removeprefix("sqlite:///")
    before = Path(database).read_bytes()
    code, _, err = run(
        capsys, monkeypatch, db, "patient", "calendar", "P001", "--ics", database, "--user", "nurse"
    )
    assert code == 2 and not err.startswith("Traceback")
    assert Path(database).read_bytes()[:16] == before[:16]
    assert outputs(db) == []

    code, out, err = run(
        capsys,
        monkeypatch,
        db,
        "patient",
        "calendar",
        "P001",
        "--ics",
        str(target),
        "--user",
        "nurse",
    )
    assert (code, err) == (0, "")
    assert out.strip() == f"course calendar of patient P001 written to {target}"
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    # infusions 1-4 all have a date (given, or a window); 2 of the 24 calendar items wait
    # for the last infusion (haematological response weeks 4 and 8)
    assert {f"P001/infusion:{n}@infusion-app" for n in (1, 2, 3, 4)} <= uids
    assert "P001/follow_up_weekly:7d@infusion-app" in uids
    assert "P001/haem_response:28d@infusion-app" not in uids
    assert outputs(db) == ["course calendar"]  # audited once
