"""``visit record``, ``sample collect`` and ``worklist`` on a record built through the CLI
(tests/cli_world.py: P001 of group A enrolled now, infusion P001/1 not started). The real
clock runs, so only what does not depend on the hour is asserted: before the first infusion
the baseline immunology sample is due and nothing else of the calendar has a date."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_world import build_world, clinical_snapshot, copy_world, run_cli


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_world(tmp_path_factory.mktemp("world"))[0]


@pytest.fixture
def db(world: Path, tmp_path: Path) -> str:
    return copy_world(world, tmp_path)


BASELINE = "immunology_baseline:0d"


def worklist(db: str) -> dict:
    result = run_cli(db, ["worklist", "--json"], stdin="")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_sample_collected_once(db: str) -> None:
    before = worklist(db)
    assert [(i["patient"], i["number"]) for i in before["infusions"]] == [("P001", 1)]
    assert [(c["item"], c["status"], c["opens"]) for c in before["calendar"]] == [
        (BASELINE, "due", None)
    ]
    assert before["calendar"][0]["label"] == "Immunology samples, baseline"
    collect = ["sample", "collect", "--user", "nurse", "--patient", "P001", BASELINE]
    done = run_cli(db, [*collect, "--sample-id", "IMM-0001", "--json"])
    assert done.code == 0, done.err
    shown = json.loads(done.out)
    assert (shown["item"], shown["status"], shown["by"], shown["sample_id"]) == (
        BASELINE,
        "done",
        "nurse",
        "IMM-0001",
    )
    assert worklist(db)["calendar"] == []
    snapshot = clinical_snapshot(db)
    again = run_cli(db, [*collect, "--sample-id", "IMM-0002"])
    assert again.code == 2
    assert again.err.startswith(f"infusion-app sample: error: {BASELINE} was recorded already")
    assert clinical_snapshot(db) == snapshot


def test_refusals_are_one_line_and_write_nothing(db: str) -> None:
    snapshot = clinical_snapshot(db)
    visit = ["visit", "record", "--user", "nurse", "--patient", "P001"]
    early = run_cli(db, [*visit, "follow_up_weekly:7d"])
    assert early.code == 2
    assert early.err == (
        "infusion-app visit: error: follow_up_weekly:7d: its window counts from the "
        "first_infusion, which has not happened\n"
    )
    wrong = run_cli(db, [*visit, BASELINE])
    assert wrong.code == 2 and "is a sample" in wrong.err
    ahead = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    future = run_cli(
        db, ["sample", "collect", "--user", "nurse", "--patient", "P001", BASELINE, "--at", ahead]
    )
    assert future.code == 2
    assert future.err.startswith("infusion-app sample: error: at: ")
    assert "is in the future" in future.err
    pharmacist = run_cli(
        db, ["sample", "collect", "--user", "pharm", "--patient", "P001", BASELINE]
    )
    assert pharmacist.code == 2 and "a pharmacist may not record a visit or sample" in (
        pharmacist.err
    )
    assert clinical_snapshot(db) == snapshot


def enrolled_at(db: str) -> datetime:
    """When the world enrolled P001 (the real clock's time of the build)."""
    path = db.removeprefix("sqlite:///")
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as con:
        (text,) = con.execute(
            "SELECT occurred_at FROM events WHERE type = 'patient_enrolled'"
        ).fetchone()
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_given_a_time_and_a_reason(db: str) -> None:
    """The times and the reason reach the service (its rules: tests/services/
    test_calendar_acts.py, on a fake clock: the course here began at the real clock's now)."""
    back = enrolled_at(db).replace(microsecond=0) + timedelta(seconds=1)
    done = run_cli(
        db,
        [
            *("sample", "collect", "--user", "nurse", "--patient", "P001", BASELINE),
            *("--at", back.isoformat(), "--reason", "paper form during downtime", "--json"),
        ],
    )
    assert done.code == 0, done.err
    shown = json.loads(done.out)
    assert datetime.fromisoformat(shown["at"]) == back
    assert shown["reason"] == "paper form during downtime"


def test_the_worklist_in_words(db: str) -> None:
    result = run_cli(db, ["worklist"], stdin="")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[1] == "Infusions today:"
    assert lines[2].startswith("  P001/1  UC-MSC-2026-0001  ")
    assert lines[3] == "Visits, checks and samples:"
    assert lines[4] == (
        f"  due      P001  {BASELINE}  Immunology samples, baseline  (before the first infusion)"
    )
    assert lines[5] == "SAE reports open: none"


def test_the_worklist_reads_the_station_zone_not_the_machine(db: str, machine_zone) -> None:
    """Issue 17 §2: a human line is local minutes in the station's zone, named once; the
    machine's own zone (UTC here) plays no part. JSON stays ISO."""
    machine_zone("UTC")
    at = ["worklist", "--at", "2026-11-30T01:05+00:00"]
    result = run_cli(db, at, stdin="")  # the default station zone: Asia/Shanghai
    assert result.code == 0, result.err
    # 01:05 UTC + 8 h = 09:05 the same day in Shanghai
    assert result.out.splitlines()[0] == "Site day at 2026-11-30 09:05 (Asia/Shanghai (UTC+08:00))"
    # a station in New York (UTC-5 in November) reads 20:05 the day before
    result = run_cli(db, ["--time-zone", "America/New_York", *at], stdin="")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == (
        "Site day at 2026-11-29 20:05 (America/New_York (UTC-05:00))"
    )
    assert "T01:05" not in result.out and "+00:00" not in result.out
    result = run_cli(db, ["--time-zone", "Shanghai", *at], stdin="")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "--time-zone: must be an IANA time zone name such as Asia/Shanghai" in result.err
    result = run_cli(db, [*at, "--json"], stdin="")
    assert json.loads(result.out)["now"] == "2026-11-30T01:05:00+00:00"


def test_a_search_fragment_that_is_not_text_gets_one_line(db: str) -> None:
    """Found by the CLI property test: an argument with a byte that is not UTF-8 (read as a
    lone surrogate) reached SQLite's encoder and ended as exit 70 with a traceback."""
    result = run_cli(db, ["worklist", "--patient", "P\udcff"], stdin="")
    assert result.code == 2, result.err
    assert result.err.strip().splitlines() == [
        "infusion-app worklist: error: patient: must be one line of printable text (it contains "
        "U+DCFF)"
    ]


def test_a_product_id_that_is_not_text_gets_one_line(db: str) -> None:
    """The CLI property test again: 'product return -- <non-UTF-8 byte>' exited 70."""
    argv = ["product", "return", "--user=pharm", "--why=pump alarm", "--", "\udcff"]
    result = run_cli(db, argv, stdin="correct horse battery\n")
    assert result.code == 2, result.err
    assert "product_id: must be one line of printable text (it contains U+DCFF)" in result.err
