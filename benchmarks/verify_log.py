"""verify-log on a built site (issue 18): the full walk beside its floor, and the daily walk
since a signed checkpoint after 1,000 new events beside the floor of those events.

Prints, from one run on a copy of the site (the file itself is never written):

- the full walk (``verify-log``: every check, the tables compared with the log) beside its
  floor: every event read in chain order with plain ``sqlite3`` and the SHA-256 of the bytes
  its hash covers (``site_measure._floor_walk``), and their ratio (target <= 2.0); beside it,
  what the payloads' canonical form check costs on its own (one parse and one dump of each);
- a checkpoint signed by a monitor after a full walk, then ``--new`` notes appended across
  the site's infusions, and the walk since that checkpoint beside the floor of just the new
  events (read in chain order + SHA-256) and beside the full walk.

Each figure is the median of ``--repeat`` runs, each interleaved with its floor so both see
the same machine noise. Run it under ``nice`` on a shared machine:

    nice -n 5 .venv/bin/python benchmarks/verify_log.py [--site FILE] [--repeat 7] [--new 1000]

``--site``: a site built by benchmarks/site.py (default: the largest in benchmarks/.cache;
``site.py --build-only --sizes 30000`` builds one in ~15 min).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:  # appended: benchmarks/site.py is not ``site``
    sys.path.append(str(ROOT / "benchmarks"))

CACHE = ROOT / "benchmarks" / ".cache"

CHAIN_ORDER = (
    "SELECT s.name, e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, u.username, "
    "e.station, e.reason, e.prev_hash FROM events e JOIN streams s ON s.id = e.stream_id "
    "LEFT JOIN users u ON u.id = e.user_id {where} ORDER BY e.stream_id, e.seq"
)


def floor_walk(connection: Any, where: str = "", *params: Any) -> int:
    """Plain sqlite3: the events read in chain order, SHA-256 over the bytes each hash covers
    (the previous hash and the event's canonical JSON, assembled from the stored text)."""
    count = 0
    sha256 = hashlib.sha256
    for (
        name,
        seq,
        type_,
        payload,
        occurred,
        recorded,
        user,
        station,
        reason,
        prev,
    ) in connection.execute(CHAIN_ORDER.format(where=where), params):
        canonical = (
            f'{{"occurred_at":"{occurred}","payload":{payload},"reason":"{reason}"'
            f',"recorded_at":"{recorded}","seq":{seq},"station":"{station}","stream":"{name}"'
            f',"type":"{type_}","user":"{user}"}}'
        )
        sha256((prev + canonical).encode("utf-8")).hexdigest()
        count += 1
    return count


def canonical_checks(connection: Any) -> tuple[float, float]:
    """What the payloads' canonical form check costs alone, in seconds: in full (one parse and
    one dump of each payload), and as the walk makes it (a learnt shape, in full otherwise)."""
    from infusion_app.store.canonical_shapes import CanonicalShapes
    from infusion_app.store.verification import _canonical_object

    payloads = connection.execute("SELECT type, payload FROM events").fetchall()
    start = time.perf_counter()
    assert all(_canonical_object(p) for _, p in payloads)
    full = time.perf_counter() - start
    shapes = CanonicalShapes(_canonical_object)
    start = time.perf_counter()
    assert all(shapes.check(t, p) for t, p in payloads)
    return full, time.perf_counter() - start


def paired(
    ours: Callable[[], Any], floor: Callable[[], Any], repeat: int
) -> tuple[float, float, list[float]]:
    """Medians of ``repeat`` interleaved runs (after one warm-up of each)."""
    ours()
    floor()
    mine, bare = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        floor()
        bare.append(time.perf_counter() - start)
        start = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - start)
    return statistics.median(mine), statistics.median(bare), mine


def default_site() -> Path:
    built = sorted(
        (p for p in CACHE.glob("site-v*-*.sqlite3") if p.with_suffix(".json").exists()),
        key=lambda p: p.stat().st_size,
    )
    if not built:
        raise SystemExit(
            "no site in benchmarks/.cache: build one with "
            "benchmarks/site.py --build-only --sizes 30000, or give --site FILE"
        )
    return built[-1]


def append_notes(site: Any, count: int) -> None:
    """``count`` notes through the store's append, spread over the site's infusions (20 to a
    record, 50 to a transaction): what a day or two of bedside entries adds."""
    from sqlalchemy import select

    from infusion_app.logic.event_types import EventType
    from infusion_app.store.eventlog import append_event
    from infusion_app.store.models import Stream

    with site.ctx.db.read() as session:
        streams = session.scalars(
            select(Stream.name).where(Stream.name.like("infusion:%")).order_by(Stream.id.desc())
        ).all()
    names = [streams[i // 20 % len(streams)] for i in range(count)]
    for start in range(0, count, 50):
        with site.ctx.db.write() as session:
            for name in names[start : start + 50]:
                append_event(
                    session,
                    name,
                    EventType.NOTE_ADDED,
                    {"text": f"benchmark note {start}"},
                    user=None,
                    station=site.station,
                    recorded_at=site.clock(),
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--new", type=int, default=1000, help="events appended after the checkpoint"
    )
    args = parser.parse_args()
    import site_build
    import site_measure

    from infusion_app.services import audit

    cached = args.site or default_site()
    workdir = Path(tempfile.mkdtemp(prefix="verify-bench-"))
    try:
        site = site_measure.Site(cached, workdir)
        try:
            events = int(site.scalar("SELECT count(*) FROM events"))
            payload = float(site.scalar("SELECT avg(length(payload)) FROM events"))
            print(f"site {cached.name}: {events:,} events, payload {payload:.0f} B on average")

            def full() -> None:
                report = audit.verify_log(site.ctx)
                assert report.ok, report.problems[:3]

            ours, bare, _ = paired(full, lambda: floor_walk(site.bare), args.repeat)
            checks = [canonical_checks(site.bare) for _ in range(args.repeat)]
            full_check = statistics.median(c[0] for c in checks)
            shaped = statistics.median(c[1] for c in checks)
            per_event = ours / events * 1e6
            print(f"full walk          median {ours * 1e3:8.1f} ms   ({per_event:.1f} us/event)")
            print(
                f"  floor (sqlite3, chain order + SHA-256) {bare * 1e3:8.1f} ms   "
                f"ratio {ours / bare:.2f}   target <= 2.0"
            )
            print(
                f"  the payloads' canonical form check alone: parse + dump of each "
                f"{full_check * 1e3:.1f} ms = {full_check / bare:.2f} x the floor; by learnt "
                f"shapes, as the walk makes it, {shaped * 1e3:.1f} ms = {shaped / bare:.2f} x"
            )

            made = audit.checkpoint_log(site.ctx, site.monitor, site_build.PASSWORD)
            assert made.seq is not None, made.report.problems[:3]
            last = int(site.scalar("SELECT max(id) FROM events"))
            append_notes(site, args.new)
            new = int(site.scalar("SELECT count(*) FROM events WHERE id > ?", last))

            def since() -> None:
                report = audit.verify_log(site.ctx, since=made.seq)
                assert report.ok, report.problems[:3]

            ours_since, bare_since, _ = paired(
                since, lambda: floor_walk(site.bare, "WHERE e.id > ?", last), args.repeat
            )
            print(
                f"walk since checkpoint system#{made.seq}, {new:,} new events  median "
                f"{ours_since * 1e3:8.1f} ms   ({ours_since / ours:.3f} of the full walk)"
            )
            print(
                f"  floor (sqlite3, the new events in chain order + SHA-256) "
                f"{bare_since * 1e3:8.1f} ms   ratio {ours_since / bare_since:.1f}"
            )
            streams = int(site.scalar("SELECT count(*) FROM streams"))
            print(
                f"  (it also reads and re-hashes each of the {streams:,} records' checkpointed "
                "head: a cost per record, not per event)"
            )
            figures = {"events": events, "full_s": ours, "floor_s": bare}
            figures |= {"since_s": ours_since, "since_floor_s": bare_since, "new": new}
            print(json.dumps(figures))
        finally:
            site.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
