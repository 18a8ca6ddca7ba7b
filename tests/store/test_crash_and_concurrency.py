"""Durability under SIGKILL, and two writers appending to one infusion at the same time."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from infusion_app.services import audit
from infusion_app.services.context import AppContext
from infusion_app.store.database import quick_check, sqlite_url
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion
from tests.stored import stored_events

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50


def spawn(url: str, infusion_id: int, count: int, station: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.appender", url, str(infusion_id), str(count), station],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def logged_notes(ctx: AppContext, infusion_id: int) -> dict[int, str]:
    return {
        e.seq: json.loads(e.payload)["text"]
        for e in stored_events(ctx, infusion_id)
        if e.type == "note_added"
    }


def test_sigkill_never_loses_an_acknowledged_event(tmp_path: Path, clock) -> None:
    path = tmp_path / "crash.sqlite3"
    url = sqlite_url(path).render_as_string()
    ctx = AppContext(
        db=open_database(url, clock()), station="setup", clock=clock, hasher=FAST_HASHER
    )
    _, infusion_id = register_sample_infusion(ctx, clock)
    ctx.db.dispose()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    acknowledged: set[int] = set()
    for kill in range(KILLS):
        child = spawn(url, infusion_id, 100_000, f"crash{kill}")
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", (
            child.stderr.read() if child.stderr else ""
        )
        # let it append for a random while, then pull the plug mid-write
        for _ in range(rng.randrange(1, 40)):
            acknowledged.add(int(child.stdout.readline()))
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = child.communicate()
        acknowledged.update(int(line) for line in rest.split())  # printed before the kill
        assert child.returncode == -signal.SIGKILL
        assert quick_check(path) is None, f"seed {seed}, kill {kill}"
        reopened = AppContext(
            db=open_database(url, clock()), station="check", clock=clock, hasher=FAST_HASHER
        )
        try:
            report = audit.verify_log(reopened, infusion_id)
            assert report.ok, f"seed {seed}, kill {kill}: {report.first_problem}"
            present = set(logged_notes(reopened, infusion_id))
        finally:
            reopened.db.dispose()
        missing = acknowledged - present
        assert not missing, f"seed {seed}, kill {kill}: acknowledged but lost: {sorted(missing)}"
    assert len(acknowledged) >= KILLS


def test_two_stations_append_to_one_infusion_at_once(database_url, clock) -> None:
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(
        db=open_database(url, clock()), station="setup", clock=clock, hasher=FAST_HASHER
    )
    try:
        _, infusion_id = register_sample_infusion(ctx, clock)
        children = [spawn(url, infusion_id, 500, station) for station in ("bed-1", "bed-2")]
        outputs = [child.communicate(timeout=300) for child in children]
        for child, (_, err) in zip(children, outputs, strict=True):
            assert child.returncode == 0 and err == "", err  # no error shown at either station
        acknowledged = [[int(x) for x in out.split()[1:]] for out, _ in outputs]
        assert all(len(acks) == 500 for acks in acknowledged)
        assert not set(acknowledged[0]) & set(acknowledged[1])  # each number given once
        notes = logged_notes(ctx, infusion_id)
        # infusion_created is 1; the 1000 notes are 2..1001 without a gap
        assert sorted(notes) == list(range(2, 1002))
        for station, acks in zip(("bed-1", "bed-2"), acknowledged, strict=True):
            assert [notes[seq] for seq in acks] == [f"{station} note {n}" for n in range(500)]
        report = audit.verify_log(ctx, infusion_id)
        assert report.ok and report.events == 1001
    finally:
        ctx.db.dispose()
