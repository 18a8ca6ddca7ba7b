"""benchmarks/verify_log.py runs end to end on a tiny site (issue 18's verify figures): the
full walk beside its floor, and a checkpoint then the walk since it beside the new events'
floor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def test_the_verify_benchmark_runs_on_a_small_site(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    built = subprocess.run(
        [sys.executable, str(BENCHMARKS / "site.py"), "--quick", "--build-only", "--cache",
         str(tmp_path)],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    (site,) = tmp_path.glob("quick-*.sqlite3")
    before = site.read_bytes()
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "verify_log.py"), "--site", str(site), "--repeat",
         "1", "--new", "60"],
        capture_output=True, text=True, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[1].startswith("full walk ") and "floor (sqlite3" in lines[2]
    assert "walk since checkpoint system#" in lines[4] and ", 60 new events" in lines[4]
    figures = json.loads(lines[-1])
    assert figures["new"] == 60 and figures["floor_s"] > 0 and figures["since_floor_s"] > 0
    assert site.read_bytes() == before  # measured on a copy
