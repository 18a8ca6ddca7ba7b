"""The measurements of benchmarks/site.py: each read, print and write of issue 18's table
timed on a built site, beside a bare baseline measured in the same run on the same file.

The baselines are floors, not rivals: what the app's answer cannot do without (the rows it
must read, the bytes it must hash, reportlab's own time for the same number of pages, one
INSERT + COMMIT with the same pragmas). A ratio far above 1 is room for the speed work of
issue 18; a growth column far above 1 is what grows with the history.

The site's clock is :data:`site_build.TODAY` (a Monday, 10:30 in Shanghai, infusions under
way) and the process runs in the site's zone (``TZ=Asia/Shanghai``), as the stations do.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "benchmarks") not in sys.path:  # appended: benchmarks/site.py is not ``site``
    sys.path.append(str(ROOT / "benchmarks"))


@dataclass
class Figure:
    """One row of the table at one size: the app's median, the baseline's, and notes."""

    what: str
    ours: float  # seconds (or bytes for the size row)
    bare: float | None
    bare_what: str
    unit: str = "s"
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.bare is None or self.bare <= 0:
            return None
        return self.ours / self.bare


@dataclass
class _Pauses:
    seen: list[tuple[int, float]] = field(default_factory=list)
    started: float = 0.0

    def record(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seen.append((int(info["generation"]), time.perf_counter() - self.started))


def _collector_pauses() -> _Pauses:
    """Each collection's generation and length from now on (gc.callbacks)."""
    pauses = _Pauses()
    gc.callbacks.append(pauses.record)
    return pauses


def timed(work: Callable[[], Any], repeat: int) -> list[float]:
    """``repeat`` timings of ``work`` after a first run that warms the caches for both sides
    alike. A first run over 5 s is repeated at most twice, and one over 20 s is the figure
    itself (a cold first run: slightly slower than a warm one), so a 1M site can be measured
    within the hour; the table says how many runs a figure is the median of."""
    first_start = time.perf_counter()
    work()
    first = time.perf_counter() - first_start
    if repeat <= 1 or first > 20:
        return [first]
    times = []
    for _ in range(min(repeat, 2) if first > 5 else repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


class Site:
    """A working copy of a cached site, opened as a station of the ward would open it."""

    def __init__(self, cached: Path, workdir: Path) -> None:
        import site_build

        from infusion_app.services import accounts
        from infusion_app.services.context import AppContext
        from infusion_app.store.database import sqlite_url
        from infusion_app.store.opening import open_database
        from tests.fakes import FakeClock

        self.path = workdir / "site.sqlite3"
        shutil.copyfile(cached, self.path)
        self.url = sqlite_url(self.path).render_as_string(hide_password=False)
        self.clock = FakeClock(site_build.TODAY)
        self.station = site_build.STATIONS[0]
        self.ctx = AppContext(
            db=open_database(self.url, self.clock()),
            station=self.station,
            clock=self.clock,
            hasher=site_build.FAST_HASHER,
        )
        self.nurse = accounts.log_in(self.ctx, "nurse1", site_build.PASSWORD)
        self.monitor = accounts.log_in(self.ctx, "monitor1", site_build.PASSWORD)
        self.investigator = accounts.log_in(self.ctx, "inv1", site_build.PASSWORD)
        self.bare = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)

    def scalar(self, sql: str, *params: Any) -> Any:
        return self.bare.execute(sql, params).fetchone()[0]

    def close(self) -> None:
        self.bare.close()
        self.ctx.db.dispose()


def measure(cached: Path, *, repeat: int, quick: bool = False) -> dict[str, Any]:
    """Every figure of the table on the site in ``cached`` (a copy of it is used)."""
    os.environ["TZ"] = "Asia/Shanghai"
    time.tzset()
    workdir = Path(tempfile.mkdtemp(prefix="site-bench-"))
    try:
        site = Site(cached, workdir)
        try:
            return _measure(site, repeat, quick)
        finally:
            site.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _measure(site: Site, repeat: int, quick: bool) -> dict[str, Any]:
    import site_build

    from infusion_app.records.infusion_log import LogFilter
    from infusion_app.services import (
        audit,
        records,
        site_day,
        trial,
        trial_records,
        trial_summary,
        views,
        ward_board,
    )
    from infusion_app.services.patient_view import patient_view

    ctx, now = site.ctx, site.clock()
    started = time.perf_counter()
    gc.collect()  # the floor: a full pass over what the app holds before any read
    full_before = time.perf_counter() - started
    objects_before = len(gc.get_objects())
    pauses = _collector_pauses()
    events = int(site.scalar("SELECT count(*) FROM events"))
    infusions = int(site.scalar("SELECT count(*) FROM infusions"))
    figures: list[Figure] = []
    print(f"measuring {events:,} events ({infusions:,} infusions) ...", flush=True)

    def add(what: str, work: Callable[[], Any], bare_what: str, bare: Callable[[], Any] | None,
            note: str = "") -> Figure:  # fmt: skip
        from infusion_app.logic.errors import KnownError

        try:
            ours = timed(work, repeat)
        except KnownError as refusal:  # a read the app refuses on this site: shown, not hidden
            figure = Figure(what, float("nan"), None, bare_what, note=f"REFUSED: {refusal}")
            figures.append(figure)
            print(f"  {what:<44} REFUSED: {refusal}", flush=True)
            return figure
        base = median(timed(bare, repeat)) if bare is not None else None
        if len(ours) < repeat:
            note = f"{note}; " if note else ""
            note += "1 cold run" if len(ours) == 1 else f"median of {len(ours)}"
        figure = Figure(what, median(ours), base, bare_what, note=note, samples=ours)
        figures.append(figure)
        _say(figure)
        return figure

    def pdf(what: str, make: Callable[[], Any], wide: bool = False, note: str = "") -> None:
        """A document beside reportlab alone making as many pages."""
        from infusion_app.logic.errors import KnownError

        try:
            pages = _pages(make().data)
        except KnownError:
            add(what, make, "reportlab alone", None)  # shows the refusal
            return
        add(what, make, f"reportlab alone, {pages} pages", lambda: _bare_pdf(pages, wide),
            note=f"{pages} pages{note}")  # fmt: skip

    # --- the bare floors, in plain sqlite3 on the same file -----------------------------------
    def full_scan() -> Any:
        return site.bare.execute(
            "SELECT stream_id, max(occurred_at) FROM events GROUP BY stream_id"
        ).fetchall()

    def stream_rows(stream_ids: list[int]) -> Callable[[], Any]:
        marks = ",".join("?" * len(stream_ids))
        sql = f"SELECT * FROM events WHERE stream_id IN ({marks}) ORDER BY stream_id, seq"
        return lambda: site.bare.execute(sql, stream_ids).fetchall()

    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)

    def ids_between(since: datetime, until: datetime) -> Callable[[], Any]:
        low, high = _stored(site, since), _stored(site, until)

        def query() -> Any:
            return site.bare.execute(
                "SELECT DISTINCT i.id FROM infusions i JOIN events e "
                "ON e.stream_id = i.stream_id WHERE e.occurred_at >= ? AND e.occurred_at < ?",
                (low, high),
            ).fetchall()

        return query

    # --- the ward: every login, every refresh -------------------------------------------------
    add(
        "today's ward list (list_infusions, today + open)",
        lambda: views.list_infusions(
            ctx, since=midnight, until=midnight + timedelta(days=1), open_ones=True, now=now
        ),
        "full scan in sqlite3",
        full_scan,
    )
    add(
        "login landing (open_infusion_at_station)",
        lambda: views.open_infusion_at_station(ctx, site.station),
        "full scan in sqlite3",
        full_scan,
    )
    open_rows = views.list_infusions(
        ctx, since=midnight, until=midnight + timedelta(days=1), open_ones=True, now=now
    )
    todays = [r for r in open_rows if r.last_event_at >= midnight]
    going = [r for r in todays if r.step.name not in ("CHECKS", "DONE")]
    candidates = going or todays or open_rows
    running = candidates[0] if candidates else None
    # none open this morning (a young site infuses weekly): the latest one, finished
    latest = site.scalar("SELECT max(id) FROM infusions")
    infusion_id = running.infusion_id if running else int(latest or 1)
    trial_id = (
        running.trial_id
        if running
        else site.scalar("SELECT trial_id FROM patients ORDER BY id DESC LIMIT 1")
    )
    infusion_stream = int(site.scalar("SELECT stream_id FROM infusions WHERE id = ?", infusion_id))
    patient_streams = [
        int(r[0])
        for r in site.bare.execute(
            "SELECT s.id FROM streams s WHERE s.name = ? OR s.name LIKE ? OR s.name LIKE ?",
            (f"patient:{trial_id}", f"infusion:{trial_id}/%", f"product:UC-{trial_id}-%"),
        )
    ]
    add(
        "bedside view (one infusion)",
        lambda: views.bedside_view(ctx, infusion_id),
        "its stream's rows in sqlite3",
        stream_rows([infusion_stream]),
    )
    add(
        "patient view",
        lambda: patient_view(ctx, trial_id),
        "the patient's streams' rows in sqlite3",
        stream_rows(patient_streams),
    )
    add(
        "nurse's day list (site_day, this station)",
        lambda: site_day.site_day(ctx, now, station=site.station),
        "full scan in sqlite3",
        full_scan,
    )
    add(
        "ward board refresh",
        lambda: ward_board.ward_board(ctx, now),
        "full scan in sqlite3",
        full_scan,
    )

    # --- the trial ----------------------------------------------------------------------------
    for protocol_id, prefix in ((site_build.CRC, "L"), (site_build.CART, "C")):
        trial_streams = [
            int(r[0])
            for r in site.bare.execute(
                "SELECT id FROM streams WHERE name LIKE ? OR name LIKE ? OR name LIKE ? "
                "OR name = ?",
                (f"patient:{prefix}%", f"infusion:{prefix}%", f"product:UC-{prefix}%",
                 f"trial:{protocol_id}"),
            )
        ]  # fmt: skip
        rows = stream_rows(trial_streams)
        investigator = site.investigator
        floor = "the trial's streams' rows in sqlite3"
        add(f"trial tab ({protocol_id})", partial(trial.trial_status, ctx, protocol_id),
            floor, rows)  # fmt: skip
        summary = partial(trial_summary.trial_summary, ctx, investigator, protocol_id)
        add(f"trial summary ({protocol_id})", summary, floor, rows)
        summary_pdf = partial(trial_summary.summary_record, ctx, investigator, protocol_id)
        pdf(f"trial summary PDF ({protocol_id})", summary_pdf)
        review = partial(trial_records.safety_review_record, ctx, investigator, protocol_id)
        pdf(f"safety review PDF ({protocol_id})", review)

    # --- the monitor --------------------------------------------------------------------------
    for label, days in (("one month", 30), ("one year", 365)):
        since = midnight - timedelta(days=days)
        until = midnight + timedelta(days=1)
        add(
            f"monitor list, {label}",
            partial(views.list_infusions, ctx, since=since, until=until),
            "infusion IDs only in sqlite3",
            ids_between(since, until),
        )
    year = LogFilter(first=local_date(now) - timedelta(days=365), last=local_date(now))
    year_rows = len(views.list_infusions(ctx, since=midnight - timedelta(days=365),
                                         until=midnight + timedelta(days=1)))  # fmt: skip
    pdf(
        "site log PDF, one year",
        lambda: records.infusion_log(ctx, site.monitor, year),
        wide=True,
        note=f", {year_rows} infusions",
    )

    # --- the same reads by a station just started: nothing in its stream cache yet ---------
    def fresh() -> Any:
        from infusion_app.services.context import AppContext

        return AppContext(db=ctx.db, station=ctx.station, clock=ctx.clock, hasher=ctx.hasher)

    cold = "first read after start (cold cache)"
    add(f"nurse's day list, {cold}",
        lambda: site_day.site_day(fresh(), now, station=site.station),
        "full scan in sqlite3", full_scan)  # fmt: skip
    add(f"trial tab ({site_build.CRC}), {cold}",
        lambda: trial.trial_status(fresh(), site_build.CRC), "full scan in sqlite3",
        full_scan)  # fmt: skip
    pdf(f"site log PDF, one year, {cold}",
        lambda: records.infusion_log(fresh(), site.monitor, year), wide=True,
        note=f", {year_rows} infusions")  # fmt: skip

    def first_login() -> Any:
        """A nurse's login as the first after start: the accounts fold kept by the process is
        gone, so the account is checked against the system record read afresh."""
        from infusion_app.services import accounts
        from infusion_app.store import projections

        projections._ACCOUNTS.clear()
        return accounts.log_in(ctx, "nurse2", site_build.PASSWORD)

    add(f"login, {cold}", first_login, "full scan in sqlite3", full_scan)

    def fold_ahead() -> None:
        """What the window does behind the login form after start (accounts.prepare_logins):
        the accounts folded in a read transaction, so the first login only continues it."""
        from infusion_app.services import accounts
        from infusion_app.store import projections

        projections._ACCOUNTS.clear()
        accounts.prepare_logins(ctx)

    def login_after_fold() -> Any:
        from infusion_app.services import accounts

        return accounts.log_in(ctx, "nurse2", site_build.PASSWORD)

    add(f"accounts folded ahead of the login, {cold}", fold_ahead, "full scan in sqlite3",
        full_scan, note="behind the form, off the UI thread")  # fmt: skip
    add("login after the fold ahead", login_after_fold, "full scan in sqlite3", full_scan)

    # --- the audit ----------------------------------------------------------------------------
    verify = add(
        "verify the whole log (verify_log)",
        lambda: _verified(audit.verify_log(ctx)),
        "chain order + SHA-256 in sqlite3",
        lambda: _floor_walk(site.bare),
    )
    verify.note = f"{verify.ours / events * 1e6:.1f} us per event"

    # --- the garbage collector: a full pass stops every thread, the window's too ----------
    gc.callbacks.remove(pauses.record)
    full = [ms for generation, ms in pauses.seen if generation == 2]
    figures.append(
        Figure(
            "longest full garbage collection during the reads",
            max(full, default=0.0),
            full_before,
            f"a full pass before the reads ({objects_before:,} objects)",
            note=f"{len(full)} full passes; {len(gc.get_objects()):,} objects tracked after",
        )
    )
    _say(figures[-1])

    # --- writes, on the working copy ----------------------------------------------------------
    figures.extend(_writes(site, repeat, infusion_id if latest is not None else None, quick))

    # --- start-up -----------------------------------------------------------------------------
    figures.extend(_startup(site, repeat, quick))

    # --- the file -----------------------------------------------------------------------------
    size = site.path.stat().st_size
    payload = float(site.scalar("SELECT avg(length(payload)) FROM events"))
    figures.append(
        Figure(
            "file size per event",
            size / events,
            payload,
            "payload alone",
            unit="B",
            note=f"{size / 1e6:.0f} MB",
        )
    )
    print(f"  {'file size per event':<44} {size / events:9.0f} B    payload {payload:.0f} B")
    return {"events": events, "infusions": infusions, "figures": figures}


def local_date(moment: datetime) -> date:
    return moment.astimezone().date()


def _stored(site: Site, moment: datetime) -> str:
    """A time as the events table stores it (the app's UTCDateTime text), for the bare query."""
    sample = str(site.scalar("SELECT occurred_at FROM events LIMIT 1"))
    from datetime import UTC

    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%d %H:%M:%S.%f")
    if "T" in sample:
        text = text.replace(" ", "T")
    return text


def _verified(report: Any) -> Any:
    assert report.ok, "the site's log does not verify"
    return report


def _floor_walk(connection: sqlite3.Connection) -> int:
    """Every event read in chain order and SHA-256 over the bytes the chain hashes (the
    previous hash and the event's canonical JSON, assembled from the stored text)."""
    count = 0
    rows = connection.execute(
        "SELECT s.name, e.seq, e.type, e.payload, e.occurred_at, e.recorded_at, u.username, "
        "e.station, e.reason, e.prev_hash FROM events e JOIN streams s ON s.id = e.stream_id "
        "LEFT JOIN users u ON u.id = e.user_id ORDER BY e.stream_id, e.seq"
    )
    sha256 = hashlib.sha256
    for name, seq, type_, payload, occurred, recorded, user, station, reason, prev in rows:
        canonical = (
            f'{{"occurred_at":"{occurred}","payload":{payload},"reason":"{reason}"'
            f',"recorded_at":"{recorded}","seq":{seq},"station":"{station}","stream":"{name}"'
            f',"type":"{type_}","user":"{user}"}}'
        )
        sha256((prev + canonical).encode("utf-8")).hexdigest()
        count += 1
    return count


def _pages(data: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def _bare_pdf(pages: int, wide: bool = False) -> bytes:
    """reportlab alone: ``pages`` pages, one short paragraph each (benchmarks/records.py)."""
    from io import BytesIO

    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    buffer = BytesIO()
    style = getSampleStyleSheet()["Normal"]
    story: list[Any] = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}", style), PageBreak()]
    SimpleDocTemplate(buffer, pagesize=landscape(A4) if wide else A4, invariant=1).build(story)
    return buffer.getvalue()


def _writes(site: Site, repeat: int, infusion_id: int | None, quick: bool) -> list[Figure]:
    """The durable append on the site's own file vs a bare INSERT + COMMIT with the same
    pragmas (and vs write + fdatasync); a user action vs its bare append; PostgreSQL's."""
    import store_append

    from infusion_app.logic.event_types import SYSTEM_STREAM
    from infusion_app.services import bedside

    appends = 50 if quick else 300
    out = []
    # the floor on a copy of the site's own file: the same tables, indexes and triggers
    bare_db = store_append.BareSqlite(site.path.parent / "bare.sqlite3", site.path)
    ours, bare = store_append.interleaved(
        lambda: store_append.store_append(site.ctx, SYSTEM_STREAM), bare_db.append, rounds=appends
    )
    bare_db.close()
    sync = _fdatasync_writes(site.path.parent / "sync.bin", appends)
    out.append(Figure("durable append, SQLite", median(ours), median(bare),
                      "INSERT + COMMIT, same pragmas",
                      note=f"p99 {store_append.percentile(ours, 0.99) * 1e3:.2f} ms; "
                           f"write + fdatasync {median(sync) * 1e3:.2f} ms"))  # fmt: skip
    _say(out[-1])
    if infusion_id is not None:
        # its bare append goes to a record of its own: one into the infusion's record would
        # be another station's entry between two of this nurse's, and the act would read
        # the record again each time (a nurse's own entries keep her station's cache warm)
        from infusion_app.store.eventlog import create_stream

        stream = f"bench-{_stream_name(site, infusion_id)}"
        with site.ctx.db.write() as session:
            create_stream(session, stream)
        rounds = iter(range(appends))

        def note() -> float:
            start = time.perf_counter()
            bedside.NOTE(site.ctx, site.nurse, infusion_id, text=f"round {next(rounds)}")
            return time.perf_counter() - start

        # interleaved like the appends above: both see the same disk and machine noise
        actions, plain = store_append.interleaved(
            note, lambda: store_append.store_append(site.ctx, stream), rounds=appends // 3
        )
        out.append(Figure("user action (a bedside note)", median(actions), median(plain),
                          "its bare append through the store"))  # fmt: skip
        _say(out[-1])
    # never in the smoke run: the test suite's PostgreSQL server is not the benchmark's
    postgres = None if quick else _postgres_append(appends)
    if postgres is not None:
        out.append(postgres)
        _say(postgres)
    return out


def _stream_name(site: Site, infusion_id: int) -> str:
    return str(
        site.scalar(
            "SELECT s.name FROM streams s JOIN infusions i ON i.stream_id = s.id WHERE i.id = ?",
            infusion_id,
        )
    )


def _fdatasync_writes(path: Path, count: int) -> list[float]:
    times = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        record = b"x" * 360  # about one event's row
        for _ in range(count):
            start = time.perf_counter()
            os.write(fd, record)
            os.fdatasync(fd)
            times.append(time.perf_counter() - start)
    finally:
        os.close(fd)
    return times


def _postgres_append(appends: int) -> Figure | None:
    """The store's append on PostgreSQL vs psycopg taking the same head lock, interleaved, in
    a database of its own (benchmarks/store_append.py's measurement: one way for both)."""
    import store_append

    measured = store_append.postgres_append(appends)
    if measured is None:
        return None
    ours, bare = measured
    return Figure("durable append, PostgreSQL", median(ours), median(bare),
                  "psycopg, same head lock",
                  note=f"p99 {store_append.percentile(ours, 0.99) * 1e3:.2f} ms; "
                       "on an empty database, interleaved")  # fmt: skip


def _startup(site: Site, repeat: int, quick: bool) -> list[Figure]:
    """``quick_check`` at start (the app's, vs a bare read of the file), and process start
    to the window shown and to the login enabled (benchmarks/startup.py's children)."""
    import startup

    from infusion_app.store.database import quick_check

    site.ctx.db.dispose()  # the children open the file as the app does, alone
    out = []
    checks = timed(lambda: quick_check(site.path), repeat)
    read = timed(lambda: _read_file(site.path), repeat)
    out.append(Figure("quick_check at start", median(checks), median(read),
                      "reading the file once"))  # fmt: skip
    _say(out[-1])
    if not quick:  # warm the disk cache for both
        startup.run_child("bare")
        startup.run_child("app", site.url)
    bare, shown, ready = [], [], []
    for _ in range(1 if quick else max(2, min(repeat, 5))):
        bare.append(startup.run_child("bare")[0])
        seconds, result = startup.run_child("app", site.url)
        shown.append(seconds)
        ready.append(seconds + result["ready"] - result["shown"])
    out.append(Figure("start-up: window shown", median(shown), median(bare),
                      "a bare PySide6 window"))  # fmt: skip
    _say(out[-1])
    out.append(Figure("start-up: login enabled", median(ready), median(bare),
                      "a bare PySide6 window"))  # fmt: skip
    _say(out[-1])
    return out


def _read_file(path: Path) -> int:
    total = 0
    with open(path, "rb") as handle:  # the benchmark's own read, never inside the app
        while chunk := handle.read(1 << 20):
            total += len(chunk)
    return total


def _say(figure: Figure) -> None:
    shown = f"{figure.ours * 1e3:9.2f} ms"
    if figure.bare is not None and figure.ratio is not None:
        shown += f"   bare {figure.bare * 1e3:8.2f} ms   x{figure.ratio:.1f}"
    print(f"  {figure.what:<44} {shown}  {figure.note}", flush=True)


def _format(value: float, unit: str) -> str:
    if unit == "B":
        return f"{value:.0f} B"
    if value >= 1:
        return f"{value:.2f} s"
    if value >= 0.01:
        return f"{value * 1e3:.0f} ms"
    return f"{value * 1e3:.2f} ms"


def print_table(results: dict[int, dict[str, Any]]) -> None:
    """Issue 18's table: each size's figure, its bare baseline and ratio; growth is the
    largest size's figure over the smallest's."""
    sizes = sorted(results)
    names = [f"{results[s]['events']:,} ev" for s in sizes]
    print()
    header = "| what | " + " | ".join(f"{n}: today / bare / ratio" for n in names)
    header += " | growth |" if len(sizes) > 1 else " |"
    print(header)
    print("|---" * (2 + len(sizes) - (0 if len(sizes) > 1 else 1)) + "|")
    rows: dict[str, dict[int, Figure]] = {}
    for size in sizes:
        for figure in results[size]["figures"]:
            rows.setdefault(figure.what, {})[size] = figure
    for what, by_size in rows.items():
        cells = []
        for size in sizes:
            figure = by_size.get(size)
            if figure is None:
                cells.append("-")
                continue
            if figure.note.startswith("REFUSED"):
                cells.append(figure.note)
                continue
            bare = _format(figure.bare, figure.unit) if figure.bare is not None else "-"
            ratio = f"{figure.ratio:.1f}x" if figure.ratio is not None else "-"
            note = f" ({figure.note})" if figure.note else ""
            cells.append(f"{_format(figure.ours, figure.unit)} / {bare} / {ratio}{note}")
        line = f"| {what} | " + " | ".join(cells)
        if len(sizes) > 1:
            first, last = by_size.get(sizes[0]), by_size.get(sizes[-1])
            measured = first and last and first.ours > 0 and last.ours == last.ours
            growth = f"{last.ours / first.ours:.1f}x" if measured and first and last else "-"
            line += f" | {growth}"
        print(line + " |")
    print(f"\nload: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


def child(args: list[str]) -> None:  # reserved for per-process measurements
    raise SystemExit(f"unknown child {args!r}")


def main() -> None:
    """``site_measure.py SITE.sqlite3``: the table for one built site file."""
    path = Path(sys.argv[1])
    print_table({0: measure(path, repeat=int(sys.argv[2]) if len(sys.argv) > 2 else 3)})


if __name__ == "__main__":
    main()
