"""The benchmarks import what they measure from the app: a renamed or removed service must
break a test, not the next person who runs a benchmark (the merge of issue 13 removed a
test-only service that store_append.py still imported, and nothing noticed)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).parents[1] / "benchmarks").glob("*.py"))


def test_there_are_benchmarks() -> None:
    names = {path.stem for path in BENCHMARKS}
    assert {"store_append", "startup", "records", "bad_input_totals", "site"} <= names


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda path: path.stem)
def test_each_benchmark_module_loads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)  # imports only: each runs its work under __main__
    assert callable(module.main)


def test_the_site_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """benchmarks/site.py --quick builds a tiny site through the services (two and a half
    months of both trials' dose finding) and prints every row of issue 18's table with a
    baseline; the speed work of issue 18 measures with it, so it must keep working."""
    script = Path(__file__).parents[1] / "benchmarks" / "site.py"
    done = subprocess.run(
        [sys.executable, str(script), "--quick", "--cache", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    table = [line for line in out.splitlines() if line.startswith("| ")]
    rows = {line.split(" | ")[0].removeprefix("| ") for line in table[1:]}
    assert {
        "today's ward list (list_infusions, today + open)",
        "login landing (open_infusion_at_station)",
        "bedside view (one infusion)",
        "patient view",
        "nurse's day list (site_day, this station)",
        "ward board refresh",
        "monitor list, one year",
        "site log PDF, one year",
        "login, first read after start (cold cache)",
        "verify the whole log (verify_log)",
        "durable append, SQLite",
        "user action (a bedside note)",
        "quick_check at start",
        "start-up: login enabled",
        "file size per event",
    } <= rows, out
    # every row but the size's is a time beside its baseline and their ratio ("12 ms / 3 ms
    # / 4.0x"); a row with "-" for the baseline would be a figure without its floor
    for line in table[1:]:
        cell = line.split(" | ")[1]
        if cell.startswith("REFUSED"):  # the app refused the read: the table says so
            continue
        assert cell.count(" / ") >= 2 and cell.split(" / ")[1] != "-", line
    built = json.loads(next(tmp_path.glob("quick-*.json")).read_text(encoding="utf-8"))
    # the site was built through the services: infusions and patients exist, and the
    # builder's refusals are few (a refusal is a step the site could not take)
    assert built["infusions"] >= 3 and sum(built["patients"].values()) >= 3, built
    assert sum(built["refused"].values()) <= built["calls"] // 20, built["refused"]


def test_the_records_benchmark_renders_its_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/records.py builds a record's source by hand: it must stay what a record
    reads from the log (its product's release came as a plain dict after the sources took
    decoded models, and the benchmark failed until issue 18's last session ran it)."""
    path = Path(__file__).parents[1] / "benchmarks" / "records.py"
    spec = importlib.util.spec_from_file_location("benchmark_records_render", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    source = module.long_infusion()
    pdf = module.render_infusion_record(
        source, printed_at=module.T0, printed_by="Mona Monitor", zone=module.UTC
    )
    assert module.page_count(pdf) >= 2  # 30 vitals sets do not fit on one page
