"""Record-store benchmark: durable append, chain verification, loading one infusion.

Prints, from one run:
- the median and p99 of one durable append (WAL + synchronous=FULL, COMMIT included) through
  the store, next to a bare ``sqlite3`` INSERT + COMMIT with the same pragmas on the same
  disk, and their ratio (target <= 2.0);
- the time to verify one chain of 100,000 events (target < 2 s), beside its floor (the same
  rows read in chain order with plain ``sqlite3`` and the SHA-256 of each);
- the time to load one infusion's events when the database holds 250,000 (target < 50 ms).

Run: .venv/bin/python benchmarks/store_append.py [--appends 500] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infusion_app.logic.event_types import EventType  # noqa: E402
from infusion_app.services.context import AppContext  # noqa: E402
from infusion_app.services.status import get_infusion, load_events  # noqa: E402
from infusion_app.store.database import sqlite_url  # noqa: E402
from infusion_app.store.eventlog import append_event, canonical_json, event_hash  # noqa: E402
from infusion_app.store.models import (  # noqa: E402
    GENESIS_HASH,
    Event,
    Infusion,
    Patient,
    Product,
    Stream,
)
from infusion_app.store.opening import open_database  # noqa: E402
from infusion_app.store.verification import verify  # noqa: E402

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class BareSqlite:
    """The baseline: plain sqlite3, same pragmas, one INSERT + COMMIT per append."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in (
            "journal_mode = WAL",
            "synchronous = FULL",
            "foreign_keys = ON",
            "busy_timeout = 5000",
        ):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, stream_id INTEGER, seq INTEGER, "
            "type TEXT, payload TEXT, occurred_at TEXT, recorded_at TEXT, user_id INTEGER, "
            "station TEXT, reason TEXT, prev_hash TEXT, hash TEXT, UNIQUE (stream_id, seq))"
        )
        self.seq = 0

    def append(self) -> float:
        self.seq += 1
        start = time.perf_counter()
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute(
            "INSERT INTO events (stream_id, seq, type, payload, occurred_at, recorded_at, "
            "user_id, station, reason, prev_hash, hash) VALUES (1, ?, 'note_added', ?, ?, ?, "
            "NULL, 'bench', NULL, ?, ?)",
            (
                self.seq,
                '{"text":"x"}',
                "2026-11-21 08:00:00",
                "2026-11-21 08:00:00",
                "0" * 64,
                "0" * 64,
            ),
        )
        self.connection.execute("COMMIT")
        return time.perf_counter() - start


def store_append(ctx: AppContext, stream: str) -> float:
    """The store's durable append, as every service uses it: one write transaction."""
    start = time.perf_counter()
    with ctx.db.write() as session:
        append_event(
            session,
            stream,
            EventType.NOTE_ADDED,
            {"text": "x"},
            user=None,
            station="bench",
            recorded_at=NOW,
        )
    return time.perf_counter() - start


def bulk_chain(
    ctx: AppContext, name: str, count: int, when: datetime, first: dict | None = None
) -> int:
    """Write a valid chain of ``count`` events quickly (executemany), for the read benchmarks.

    ``first``: the payload of an ``infusion_created`` first event (the infusion row must be
    what the log says, or the services refuse to read it)."""
    with ctx.db.write() as session:
        stream = Stream(name=name, head_seq=0, head_hash=GENESIS_HASH)
        session.add(stream)
        session.flush()
        prev, rows = GENESIS_HASH, []
        note = canonical_json({"text": "vital signs stable"})
        for seq in range(1, count + 1):
            type_, payload = "note_added", note
            if seq == 1 and first is not None:
                type_, payload = "infusion_created", canonical_json(first)
            digest = event_hash(
                prev,
                stream=name,
                seq=seq,
                type=type_,
                payload_text=payload,
                occurred_at=when,
                recorded_at=when,
                user=None,
                station="bench",
                reason=None,
            )
            rows.append(
                {
                    "stream_id": stream.id,
                    "seq": seq,
                    "type": type_,
                    "payload": payload,
                    "occurred_at": when,
                    "recorded_at": when,
                    "user_id": None,
                    "station": "bench",
                    "reason": None,
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        session.execute(insert(Event), rows)  # the database moves the head row by row
        return stream.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="store-bench-", dir=args.dir))

    # 1. durable append vs bare sqlite3, same pragmas, same disk; interleaved halves
    ctx = AppContext(db=open_database(sqlite_url(workdir / "app.sqlite3"), NOW), station="bench")
    with ctx.db.write() as session:
        session.add(Stream(name="bench", head_seq=0, head_hash=GENESIS_HASH))
    baseline = BareSqlite(workdir / "bare.sqlite3")
    for _ in range(50):  # warm both up: caches, pool, WAL files
        baseline.append()
        store_append(ctx, "bench")
    bare, ours = [], []
    for _ in range(args.appends):  # alternate, so both see the same machine noise
        bare.append(baseline.append())
        ours.append(store_append(ctx, "bench"))
    ours_med, bare_med = statistics.median(ours), statistics.median(bare)
    print(f"append ({len(ours)} each, WAL + synchronous=FULL, commit included)")
    print(f"  store  median {ours_med * 1e3:7.3f} ms   p99 {percentile(ours, 0.99) * 1e3:7.3f} ms")
    print(f"  sqlite median {bare_med * 1e3:7.3f} ms   p99 {percentile(bare, 0.99) * 1e3:7.3f} ms")
    print(f"  ratio (median) {ours_med / bare_med:.2f}   target <= 2.0")

    # 2. verify a chain of 100,000 events, beside its floor: the same rows read in chain order
    # with plain sqlite3 and the SHA-256 of each (interleaved, so both see the same noise)
    bulk_chain(ctx, "verify-100k", 100_000, NOW)
    sys.path.append(str(ROOT / "benchmarks"))
    from verify_log import floor_walk

    bare_reader = sqlite3.connect(f"file:{workdir / 'app.sqlite3'}?mode=ro", uri=True)
    timings, floors = [], []
    for _ in range(3):
        start = time.perf_counter()
        floor_walk(bare_reader, "WHERE s.name = ?", "verify-100k")
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        with ctx.db.engine.connect() as connection:
            report = verify(connection, "verify-100k")
        timings.append(time.perf_counter() - start)
        assert report.ok and report.events == 100_000, report.first_problem
    bare_reader.close()
    walk, floor = statistics.median(timings), statistics.median(floors)
    print(
        f"verify 100,000 events: median {walk:.2f} s of 3   target < 2 s; floor (sqlite3, "
        f"chain order + SHA-256) {floor:.2f} s, ratio {walk / floor:.2f}"
    )

    # 3. load one infusion among 250,000 events (500 infusions x 500 events)
    total = 100_000 + len(ours)
    with ctx.db.write() as session:
        patient = Patient(
            trial_id="B",
            initials="B",
            sex="female",
            weight_kg=Decimal(60),
            weight_measured_at=NOW,
            protocol_id="x",
            dose_level="A",
            age_years=50,
            stream_id=session.execute(
                insert(Stream)
                .values(name="patient:B", head_seq=0, head_hash=GENESIS_HASH)
                .returning(Stream.id)
            ).scalar_one(),
        )
        session.add(patient)
        session.flush()
        product = Product(
            product_id="B",
            lot=None,
            patient_id=patient.id,
            coa="{}",
            status="released",
            stream_id=session.execute(
                insert(Stream)
                .values(name="product:B", head_seq=0, head_hash=GENESIS_HASH)
                .returning(Stream.id)
            ).scalar_one(),
        )
        session.add(product)
        session.flush()
        patient_id, product_id = patient.id, product.id
    index = 0
    while total < 250_000:
        created = NOW + timedelta(days=index)
        first = {
            "patient": "B",
            "product": "B",
            "number": index + 1,
            "protocol": "x v1.1.0",
            "dose_level": "A",
        }
        stream_id = bulk_chain(ctx, f"infusion:B/{index + 1}", 500, created, first)
        total += 500
        with ctx.db.write() as session:
            session.execute(
                insert(Infusion).values(
                    patient_id=patient_id,
                    product_id=product_id,
                    number=index + 1,
                    protocol_id="x",
                    protocol_version="1.1.0",
                    created_at=created,
                    stream_id=stream_id,
                )
            )
        index += 1
    with ctx.db.read() as session:
        target = session.scalars(select(Infusion.id).order_by(Infusion.id)).all()[index // 2]
    loads = []
    for _ in range(30):
        start = time.perf_counter()
        with ctx.db.read() as session:  # the app's own path: rows decoded into typed events
            events = load_events(session, get_infusion(session, target).stream_id)
        loads.append(time.perf_counter() - start)
    assert len(events) == 500
    print(
        f"load one infusion (500 events) of {total:,} events: median "
        f"{statistics.median(loads) * 1e3:.1f} ms of 30   target < 50 ms"
    )
    ctx.db.dispose()


if __name__ == "__main__":
    main()
