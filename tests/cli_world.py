"""A small record built through the CLI itself, for the bad-input tests and the property test:
admin, nurse, pharmacist, monitor and investigator; patient P001 registered and weighed at T0
(2 hours ago) and enrolled in group A;
product UC-MSC-2026-0001 released; infusion P001/1 with its dose calculated and verified.

Building it costs a few seconds (argon2), so :func:`build_world` is run once and each test or
example works on a byte copy of the SQLite file (:func:`copy_world`).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infusion_app import cli
from tests.samples import example_coa

PW = "correct horse battery"
STATION = "bed-7"


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@contextlib.contextmanager
def _swapped(stdin: io.TextIOBase) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    saved = sys.stdin, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err  # type: ignore[assignment]
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def run_cli(
    db_url: str,
    argv: Sequence[str],
    *,
    stdin: str | bytes = f"{PW}\n",
    station: str | None = STATION,
) -> Result:
    """``infusion-app`` in this process, with its own stdin/stdout/stderr."""
    raw = stdin if isinstance(stdin, bytes) else stdin.encode("utf-8", "surrogateescape")
    reader = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    prefix = ["--db", db_url] + (["--station", station] if station is not None else [])
    with _swapped(reader) as (out, err):
        try:
            code = cli.main([*prefix, *argv])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 2)
    return Result(code, out.getvalue(), err.getvalue())


def t0_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


def build_world(folder: Path) -> tuple[Path, datetime]:
    """The record described above in ``folder/world.sqlite3``; returns it and T0."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "world.sqlite3"
    url = f"sqlite:///{path}"
    t0 = t0_now()
    coa = folder / "coa.json"
    expiry = (datetime.now(UTC) + timedelta(days=60)).isoformat()
    coa.write_text(json.dumps(example_coa(expires_at=expiry)), encoding="utf-8")
    # staff whose passwords stay (a scripted set-up: nobody else knows them)
    user = ["user", "add", "--by", "admin", "--no-forced-change", "--username"]
    steps: list[tuple[list[str], int]] = [
        (["user", "add", "--username", "admin", "--name", "Ada Admin", "--role", "admin"], 1),
        ([*user, "nurse", "--name", "Nora Nurse", "--role", "nurse"], 2),
        ([*user, "nurse2", "--name", "Ning Wang", "--role", "nurse"], 2),
        ([*user, "pharm", "--name", "Phil Pharmacist", "--role", "pharmacist"], 2),
        ([*user, "mona", "--name", "Mona Monitor", "--role", "monitor"], 2),
        ([*user, "inv", "--name", "Ivan Investigator", "--role", "investigator"], 2),
        (
            [
                *("patient", "add", "--user", "nurse", "--trial-id", "P001", "--initials", "WL"),
                *("--sex", "female", "--weight-kg", "63.5", "--age", "54"),
                *("--weight-measured-at", t0.isoformat(), "--protocol", "ucmsc-cart-cytopenia"),
                *("--dose-level", "A"),
            ],
            1,
        ),
        (  # enrolled at T0 like the rest (the plan lets infusion 1 start from the enrolment)
            [
                *("patient", "enrol", "--user", "inv", "--patient", "P001", "--dose-level", "A"),
                *("--at", t0.isoformat(), "--reason", "downtime"),
            ],
            1,
        ),
        (["product", "add", "--user", "pharm", "--coa", str(coa)], 1),
        (["product", "release", "--user", "pharm", "UC-MSC-2026-0001"], 1),
        (
            [
                *("infusion", "new", "--user", "nurse", "--patient", "P001"),
                *("--product", "UC-MSC-2026-0001", "--number", "1"),
            ],
            1,
        ),
        (
            [
                *("infusion", "dose", "P001/1", "--user", "pharm", "--final-volume-ml", "100"),
                *("--at", (t0 + timedelta(minutes=5)).isoformat(), "--reason", "downtime"),
            ],
            1,
        ),
        (
            [
                *("infusion", "verify-dose", "P001/1", "--user", "nurse"),
                *("--at", (t0 + timedelta(minutes=8)).isoformat(), "--reason", "downtime"),
            ],
            1,
        ),
    ]
    for argv, lines in steps:
        result = run_cli(url, argv, stdin=f"{PW}\n" * lines)
        if result.code != 0:
            raise RuntimeError(f"building the test record: {argv}: {result.err}")
    return path, t0


def copy_world(world: Path, folder: Path) -> str:
    """A private copy of the record (the main file only: the CLI left no WAL behind)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "record.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(world, target)
    return f"sqlite:///{target}"


def clinical_snapshot(db_url: str) -> list[tuple[object, ...]]:
    """Every entry of every clinical stream (patients, products, infusions) and the projection
    rows: what a refused command must leave exactly as it was."""
    path = db_url.removeprefix("sqlite:///")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows: list[tuple[object, ...]] = list(
            connection.execute(
                "SELECT s.name, e.seq, e.type, e.payload, e.occurred_at, e.reason, e.hash "
                "FROM events e JOIN streams s ON s.id = e.stream_id "
                "WHERE s.name != 'system' ORDER BY s.name, e.seq"
            )
        )
        for table in ("patients", "products", "infusions", "signatures"):
            rows.extend(connection.execute(f"SELECT '{table}', * FROM {table} ORDER BY id"))
        return rows
    finally:
        connection.close()
