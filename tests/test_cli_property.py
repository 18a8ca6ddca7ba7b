"""The property of issue 12, section 4: whatever arguments, input files and standard input a
person or a script gives ``infusion-app``, every run ends with exit 0, 1, 2 or 3, at most one
line on stderr for 2 and 3, no traceback, within a time bound, and the clinical streams
unchanged whenever the exit is not 0.

Hypothesis draws a subcommand (all of them, read from the CLI's parser), its options (values
that fit and bad ones: control characters, over-long text, times at the calendar's edges,
references like ``P001/²``, malformed CoA files, ...) and standard input (passwords, wrong
ones, bytes that are not UTF-8). Each example runs in this process through
``infusion_app.cli.main`` on a fresh copy of one record (tests/cli_world.py), under an alarm
for the time bound. Inputs that hang inside C code (an alarm cannot stop them) are run in a
child process with a timeout and a memory limit by the second test.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli_fuzz import (
    TIME_BOUND_S,
    Places,
    argument_vectors,
    run_checked,
    stdins,
    write_input_files,
)
from tests.cli_world import PW, build_world, clinical_snapshot, copy_world

EXAMPLES = int(os.environ.get("INFUSION_APP_PROPERTY_EXAMPLES", "80"))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime, Places]:
    root = tmp_path_factory.mktemp("property")
    record, t0 = build_world(root / "world")
    places = Places(inputs=root / "inputs", outputs=root / "outputs", t0=t0)
    write_input_files(places.inputs, t0)
    places.outputs.mkdir()
    return record, t0, places


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_run_ends_cleanly(world, tmp_path, data, monkeypatch):
    record, _t0, places = world
    monkeypatch.chdir(places.outputs)  # a relative output path lands in the test's folder
    db_url = copy_world(record, tmp_path / "example")
    argv = data.draw(argument_vectors(places), label="argv")
    stdin = data.draw(stdins(), label="stdin")
    run = run_checked(db_url, ["--db", db_url, *argv], stdin)
    assert not run.problems(), (run.problems(), run.code, run.err[:2000])


def _limit_memory() -> None:  # in the child: a runaway read fails instead of filling the host
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


HANG_CASES = [
    ["infusion", "ae", "P001/1", "--user", "nurse", "--term", "Fever", "--attribution",
     "possible", "--grade", "1e999999999"],
    ["infusion", "vitals", "P001/1", "--user", "nurse", "--temp", "1e999999999", "--hr", "72",
     "--bp", "120/80", "--rr", "14", "--spo2", "98"],
    ["product", "add", "--user", "pharm", "--coa", "/dev/zero"],
    ["calc", "--protocol", "ucmsc-cart-cytopenia", "--dose-level", "A", "--weight-kg", "63.5",
     "--concentration", "1e-999999999", "--viability", "92"],
    ["infusion", "status", "P001/" + "9" * 5000],
    ["infusion", "correct", "P001/1", "--user", "nurse", "--seq", "3", "--reason", "typo",
     "--set", "volume_infused_ml=1e999999999"],
]  # fmt: skip


@pytest.mark.parametrize("argv", HANG_CASES, ids=lambda argv: " ".join(argv[:2]))
def test_inputs_that_could_hang_answer_within_the_time_bound(world, tmp_path, argv):
    record, _t0, _places = world
    db_url = copy_world(record, tmp_path)
    before = clinical_snapshot(db_url)
    done = subprocess.run(
        [sys.executable, "-m", "infusion_app", "--db", db_url, "--station", "bed-7", *argv],
        input=f"{PW}\n".encode(),
        capture_output=True,
        cwd=tmp_path,
        timeout=TIME_BOUND_S + 10,  # a hang fails the test with TimeoutExpired
        preexec_fn=_limit_memory,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1, 2, 3), err[:2000]
    assert "Traceback" not in err
    if done.returncode in (2, 3):
        assert len(err.splitlines()) == 1, err
    if done.returncode != 0:
        assert clinical_snapshot(db_url) == before
