"""Record-store benchmark: durable append, chain verification, loading one infusion.

Prints, from one run:
- the median and p99 of one durable append (WAL + synchronous=FULL, COMMIT included) through
  the store on a file holding a site's history (``--events``), next to a bare ``sqlite3``
  INSERT + COMMIT with the same pragmas on a copy of that file (the same tables, indexes
  and triggers), interleaved, and their ratio (target <= 1.5); write + fdatasync beside them;
- a user action (vital signs at the bedside through the service: authorise, fold the
  infusion, check, append, commit) next to its bare append (the same entry, appended durably
  through the store into a record of its own, without the authorisation and the checks), in
  the same run (target <= 2.0, issue 18), and for information next to a one-letter note's
  append through the store and the bare sqlite3 INSERT + COMMIT;
- with ``--postgres``, the append on PostgreSQL next to psycopg taking the same head lock
  (target <= 1.5), in a database ``bench_happend`` made and dropped here;
- the time to verify one chain of 100,000 events (target < 2 s), beside its floor (the same
  rows read in chain order with plain ``sqlite3`` and the SHA-256 of each);
- the time to load one infusion's events when the database holds 250,000 (target < 50 ms).

Run: nice -n 5 .venv/bin/python benchmarks/store_append.py [--appends 500] [--events 30000]
     [--dir DIR] [--postgres]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import startup  # noqa: E402

from infusion_app.logic.event_types import EventType  # noqa: E402
from infusion_app.services import bedside  # noqa: E402
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
SQLITE_NOW = "2026-11-21 08:00:00.000000"  # NOW as the app's rows hold it on SQLite
NORMAL_VITALS = {  # tests/logic/infusion_log.py's
    "temperature_c": "36.8",
    "heart_rate_bpm": 72,
    "systolic_mmhg": 122,
    "diastolic_mmhg": 76,
    "respiratory_rate_per_min": 14,
    "spo2_pct": 98,
    "on_oxygen": False,
    "avpu": "A",
}
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
PG_DATABASE = "bench_happend"  # this benchmark's own; never the test suite's ``test``


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


PRAGMAS = ("journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON", "busy_timeout = 5000")


class BareSqlite:
    """The baseline: plain ``sqlite3`` with the app's pragmas on a copy of the app's own file
    (the same tables, the 0006 indexes, the append-only and head-moving triggers, the same
    history), one BEGIN IMMEDIATE + INSERT + COMMIT per append onto a stream of its own.

    Its head is kept in memory and the next event's hash computed before the clock starts: a
    floor, not a rival. The row is the app's row (the same columns, types and time text), so
    SQLite does the same work on both sides: the triggers check and move the head, three
    indexes take the new row, one fsync of the WAL commits it."""

    def __init__(self, path: Path, template: Path) -> None:
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        copy = sqlite3.connect(path)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in PRAGMAS:
            self.connection.execute(f"PRAGMA {pragma}")
        settings = [
            self.connection.execute(f"PRAGMA {p.split()[0]}").fetchone()[0] for p in PRAGMAS
        ]
        assert settings == ["wal", 2, 1, 5000], settings  # the app's, read back as the app does
        self.name = "bare-bench"
        self.stream_id = self.connection.execute(
            "INSERT INTO streams (name, head_seq, head_hash) VALUES (?, 0, ?) RETURNING id",
            (self.name, GENESIS_HASH),
        ).fetchone()[0]
        self.seq, self.head = 0, GENESIS_HASH

    def append(self, payload: str = '{"text":"x"}', type_: str = "note_added") -> float:
        seq = self.seq + 1
        digest = event_hash(
            self.head,
            stream=self.name,
            seq=seq,
            type=type_,
            payload_text=payload,
            occurred_at=NOW,
            recorded_at=NOW,
            user=None,
            station="bench",
            reason=None,
        )
        row = (
            self.stream_id,
            seq,
            type_,
            payload,
            SQLITE_NOW,
            SQLITE_NOW,
            "bench",
            self.head,
            digest,
        )
        start = time.perf_counter()
        self.connection.execute("BEGIN IMMEDIATE")
        self.connection.execute(
            "INSERT INTO events (stream_id, seq, type, payload, occurred_at, recorded_at, "
            "user_id, station, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, "
            "?, ?)",
            row,
        )
        self.connection.execute("COMMIT")
        elapsed = time.perf_counter() - start
        self.seq, self.head = seq, digest
        return elapsed

    def close(self) -> None:
        self.connection.close()


def store_append(
    ctx: AppContext,
    stream: str,
    type_: EventType = EventType.NOTE_ADDED,
    payload: Any = None,
) -> float:
    """The store's durable append, as every service uses it: one write transaction
    (a one-letter note unless given the entry)."""
    start = time.perf_counter()
    with ctx.db.write() as session:
        append_event(
            session,
            stream,
            type_,
            {"text": "x"} if payload is None else payload,
            user=None,
            station="bench",
            recorded_at=NOW,
        )
    return time.perf_counter() - start


def vitals_entry(ctx: AppContext) -> Any:
    """The entry a set of NORMAL_VITALS is stored as (values, NEWS2, no alarms), as its model:
    what the action appends, for its bare append through the store."""
    from infusion_app.logic.events import decode
    from infusion_app.logic.vitals import parse_vitals, vitals_payload
    from infusion_app.store.eventlog import jsonable

    limits = ctx.protocol("ucmsc-cart-cytopenia").vital_alert_limits
    payload = vitals_payload(parse_vitals(NORMAL_VITALS), limits)
    return decode(EventType.VITALS_RECORDED, canonical_json(jsonable(payload)))


def interleaved(*works: Callable[[], float], rounds: int) -> list[list[float]]:
    """``rounds`` timings of each of ``works``, their order rotated every round, so that each
    sees the same machine and disk noise and none is always first after the others' fsyncs
    (measured: the first of a fixed pair ran up to 1.5x slower than the second)."""
    times: list[list[float]] = [[] for _ in works]
    for round_ in range(rounds):
        order = list(range(len(works)))
        shift = round_ % len(works)
        order = order[shift:] + order[:shift]
        if round_ // len(works) % 2:
            order.reverse()
        for index in order:
            times[index].append(works[index]())
    return times


def fdatasync_writes(path: Path, count: int) -> list[float]:
    """The disk's floor: one write of about an event's row and one fdatasync, ``count`` times."""
    times = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        record = b"x" * 360
        for _ in range(count):
            start = time.perf_counter()
            os.write(fd, record)
            os.fdatasync(fd)
            times.append(time.perf_counter() - start)
    finally:
        os.close(fd)
    return times


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


def _infusion_under_way(ctx: AppContext, people: dict[str, Any], trial_id: str, clock: Any) -> int:
    """An infusion running at its fast rate: the bedside steps up to three sets of vitals
    after the rate change (14 entries), through the services."""
    infusion = startup.new_infusion(ctx, people, trial_id, clock)
    nurse = people["nurse"]
    bedside.calculate_infusion_dose(ctx, people["pharmacist"], infusion, final_volume_ml="100")
    bedside.verify_dose(ctx, nurse, infusion, startup.PASSWORD)
    bedside.check_identity(ctx, nurse, infusion, **startup._scans(ctx, infusion))
    bedside.record_vitals(ctx, nurse, infusion, NORMAL_VITALS)
    bedside.give_premedication(ctx, nurse, infusion)
    clock.advance(minutes=10)
    bedside.record_thaw(ctx, nurse, infusion)
    clock.advance(minutes=25)
    bedside.start_infusion(ctx, nurse, infusion, startup.PASSWORD, drop_factor_gtt_per_ml=20)
    clock.advance(minutes=15)
    bedside.change_rate(ctx, nurse, infusion, no_discomfort=True)
    for minutes in (2, 15, 15):
        clock.advance(minutes=minutes)
        bedside.record_vitals(ctx, nurse, infusion, NORMAL_VITALS)
    return infusion


def _count_events(ctx: AppContext, stream_ids: list[int] | None = None) -> int:
    query = select(func.count()).select_from(Event)
    if stream_ids is not None:
        query = query.where(Event.stream_id.in_(stream_ids))
    with ctx.db.read() as session:
        return int(session.execute(query).scalar_one())


def _entries(ctx: AppContext, infusions: list[int]) -> str:
    """The infusions' lengths, first and last: "14-34"."""
    with ctx.db.read() as session:
        streams = list(
            session.scalars(select(Infusion.stream_id).where(Infusion.id.in_(infusions)))
        )
    counts = [_count_events(ctx, [stream]) for stream in streams]
    return f"{min(counts)}-{max(counts)}"


def postgres_append(appends: int) -> tuple[list[float], list[float]] | None:
    """The store's append on PostgreSQL vs psycopg taking the same head lock (SELECT ... FOR
    UPDATE on the stream's row) and inserting the same row, interleaved, in a database of
    this benchmark's own made and dropped here: each one's times, or None (and why, printed)
    when the server cannot be reached. benchmarks/site.py measures with this too."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        admin = psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True, connect_timeout=3)
    except psycopg.Error as problem:
        print(f"PostgreSQL not measured: {str(problem).strip()[:160]}")
        return None
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
        ctx = AppContext(db=open_database(url, NOW), station="bench")
        with ctx.db.write() as session:
            session.add(Stream(name="bench", head_seq=0, head_hash=GENESIS_HASH))
            session.add(Stream(name="bare-bench", head_seq=0, head_hash=GENESIS_HASH))
        pg = psycopg.connect(f"{PG_SERVER} dbname={PG_DATABASE}")

        def bare() -> float:
            start = time.perf_counter()
            with pg.transaction():
                head = pg.execute(
                    "SELECT id, head_seq, head_hash FROM streams WHERE name = %s FOR UPDATE",
                    ("bare-bench",),
                ).fetchone()
                assert head is not None
                seq, payload = head[1] + 1, '{"text":"x"}'
                digest = event_hash(
                    head[2],
                    stream="bare-bench",
                    seq=seq,
                    type="note_added",
                    payload_text=payload,
                    occurred_at=NOW,
                    recorded_at=NOW,
                    user=None,
                    station="bench",
                    reason=None,
                )
                pg.execute(
                    "INSERT INTO events (stream_id, seq, type, payload, occurred_at, "
                    "recorded_at, user_id, station, reason, prev_hash, hash) VALUES "
                    "(%s, %s, 'note_added', %s, %s, %s, NULL, 'bench', NULL, %s, %s)",
                    (head[0], seq, payload, NOW, NOW, head[2], digest),
                )
            return time.perf_counter() - start

        try:
            interleaved(lambda: store_append(ctx, "bench"), bare, rounds=50)  # warm up
            ours, plain = interleaved(lambda: store_append(ctx, "bench"), bare, rounds=appends)
        finally:
            pg.close()
            ctx.db.dispose()
        return ours, plain
    finally:
        with psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None, help="where to put the files")
    parser.add_argument(
        "--events", type=int, default=30_000, help="events in the file before the appends"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"also the append on PostgreSQL at 127.0.0.1:5432, in a database {PG_DATABASE} "
        "made and dropped here",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="store-bench-", dir=args.dir))

    # 1. durable append: the store vs bare sqlite3 on a copy of the same file, same pragmas
    clock = startup.Clock(NOW - timedelta(days=1))
    path = workdir / "app.sqlite3"
    ctx = startup.context(sqlite_url(path).render_as_string(hide_password=False), clock)
    people = startup.staff(ctx)
    infusions = [
        _infusion_under_way(ctx, people, f"P{k:03d}", clock) for k in range(3)
    ]  # a cohort of 3
    bulk_chain(ctx, "history", args.events, NOW - timedelta(days=30))  # a site's history
    with ctx.db.write() as session:
        session.add(Stream(name="bench", head_seq=0, head_hash=GENESIS_HASH))
    baseline = BareSqlite(workdir / "bare.sqlite3", path)
    events = _count_events(ctx)
    ours, bare = interleaved(
        lambda: store_append(ctx, "bench"), baseline.append, rounds=50
    )  # warm both up: caches, pool, WAL files
    ours, bare = interleaved(
        lambda: store_append(ctx, "bench"), baseline.append, rounds=args.appends
    )
    sync = fdatasync_writes(workdir / "sync.bin", args.appends)
    ours_med, bare_med = statistics.median(ours), statistics.median(bare)
    print(
        f"durable append, SQLite ({len(ours)} each, interleaved; a file of {events:,} events; "
        "WAL + synchronous=FULL, COMMIT included)"
    )
    print(f"  store  median {ours_med * 1e3:7.3f} ms   p99 {percentile(ours, 0.99) * 1e3:7.3f} ms")
    print(
        f"  bare   median {bare_med * 1e3:7.3f} ms   p99 {percentile(bare, 0.99) * 1e3:7.3f} ms"
        "   (sqlite3 INSERT + COMMIT on a copy of the file: same tables, indexes, triggers)"
    )
    print(
        f"  write + fdatasync median {statistics.median(sync) * 1e3:7.3f} ms   (the disk's floor)"
    )
    print(
        f"  ratio (median) {ours_med / bare_med:.2f}   target <= 1.5   "
        f"(the store's own time: {(ours_med - bare_med) * 1e3:.3f} ms)"
    )

    # 1b. a user action (vitals at the bedside) vs the bare append, in the same run
    nurse = people["nurse"]
    rounds = 20 * len(infusions)

    def vitals() -> float:
        clock.advance(minutes=1)
        infusion = infusions[clock.now.minute % len(infusions)]
        start = time.perf_counter()
        bedside.record_vitals(ctx, nurse, infusion, NORMAL_VITALS)
        return time.perf_counter() - start

    entries = _entries(ctx, infusions)
    entry = vitals_entry(ctx)
    with ctx.db.write() as session:
        session.add(Stream(name="bench-vitals", head_seq=0, head_hash=GENESIS_HASH))
    acts, its, ours, bare = interleaved(
        vitals,
        lambda: store_append(ctx, "bench-vitals", EventType.VITALS_RECORDED, entry),
        lambda: store_append(ctx, "bench"),
        baseline.append,
        rounds=rounds,
    )
    acts_med, bare_med = statistics.median(acts), statistics.median(bare)
    its_med = statistics.median(its)
    print(
        f"user action: vital signs through bedside.record_vitals (authorise, fold the "
        f"infusion, check, append, commit), {rounds} on {len(infusions)} infusions grown "
        f"from {entries} to {_entries(ctx, infusions)} entries, interleaved with the appends"
    )
    print(f"  action median {acts_med * 1e3:7.3f} ms   p99 {percentile(acts, 0.99) * 1e3:7.3f} ms")
    ours_med = statistics.median(ours)
    print(
        f"  its append   median {its_med * 1e3:7.3f} ms   (the same vitals entry, through the "
        "store, into a record of its own)"
    )
    print(f"  store append median {ours_med * 1e3:7.3f} ms   (a one-letter note)")
    print(f"  bare append  median {bare_med * 1e3:7.3f} ms   (sqlite3, a one-letter note)")
    print(
        f"  ratio (median) action / its bare append through the store {acts_med / its_med:.2f}"
        f"   target <= 2.0; action / the note's append {acts_med / ours_med:.2f}; "
        f"action / bare sqlite3 append {acts_med / bare_med:.2f}"
    )
    baseline.close()
    clock.now = NOW

    measured = postgres_append(args.appends) if args.postgres else None
    if measured is not None:
        ours, plain = measured
        ours_med, bare_med = statistics.median(ours), statistics.median(plain)
        print(f"durable append, PostgreSQL ({args.appends} each, interleaved, {PG_DATABASE})")
        print(
            f"  store  median {ours_med * 1e3:7.3f} ms   p99 {percentile(ours, 0.99) * 1e3:7.3f} ms"
        )
        p99 = percentile(plain, 0.99)
        print(
            f"  bare   median {bare_med * 1e3:7.3f} ms   p99 {p99 * 1e3:7.3f} ms"
            "   (psycopg: BEGIN, the same SELECT ... FOR UPDATE, INSERT, COMMIT)"
        )
        print(f"  ratio (median) {ours_med / bare_med:.2f}   target <= 1.5")

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
    total = _count_events(ctx)
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
