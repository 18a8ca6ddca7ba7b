"""The benchmarks import what they measure from the app: a renamed or removed service must
break a test, not the next person who runs a benchmark (the merge of issue 13 removed a
test-only service that store_append.py still imported, and nothing noticed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).parents[1] / "benchmarks").glob("*.py"))


def test_there_are_benchmarks() -> None:
    names = {path.stem for path in BENCHMARKS}
    assert {"store_append", "startup", "records", "bad_input_totals"} <= names


@pytest.mark.parametrize("path", BENCHMARKS, ids=lambda path: path.stem)
def test_each_benchmark_module_loads(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location(f"benchmark_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)  # imports only: each runs its work under __main__
    assert callable(module.main)
