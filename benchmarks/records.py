"""Records benchmark: the infusion record of a long infusion and the site log of 1,000.

Prints, from one run (medians of --runs each, interleaved with the baseline):
- the time to render the record of a 6-hour infusion with 30 sets of vital signs (target
  < 0.5 s), next to a bare reportlab document of the same page count, and the ratio;
- the time to make the site log of 1,000 infusions: each infusion's line derived from its
  events (fold) and the PDF rendered (target < 5 s), next to a bare reportlab document of the
  same page count, and the ratio.

The records are made from values in memory, as the service hands them over after its read;
the database read is measured by benchmarks/store_append.py.

Run: .venv/bin/python benchmarks/records.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infusion_app.logic.coa import coa_from_mapping  # noqa: E402
from infusion_app.logic.event_types import EventType  # noqa: E402
from infusion_app.logic.events import decode  # noqa: E402
from infusion_app.logic.infusion_state import RecordedEvent  # noqa: E402
from infusion_app.logic.protocol_files import load_protocol  # noqa: E402
from infusion_app.logic.release import check_release  # noqa: E402
from infusion_app.logic.summaries import release_summary  # noqa: E402
from infusion_app.records.infusion_log import LogFilter, log_entry, render_log  # noqa: E402
from infusion_app.records.infusion_record import render_infusion_record  # noqa: E402
from infusion_app.records.source import (  # noqa: E402
    ChainFacts,
    PatientFacts,
    ProductFacts,
    RecordSource,
)
from infusion_app.resources import protocols_dir  # noqa: E402
from infusion_app.store.eventlog import canonical_json, jsonable  # noqa: E402

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def long_infusion() -> RecordSource:
    """08:00 checks and premedication, 08:35 start, 09:25 end, observation to 14:00: six
    hours, with a set of vital signs every 12 minutes (30 sets)."""
    from tests.logic.infusion_log import InfusionLog
    from tests.samples import example_coa

    protocol = load_protocol("ucmsc-cart-cytopenia", protocols_dir())
    log = InfusionLog(protocol)
    log.ready(T0)
    log.add(EventType.PREMEDICATION_GIVEN, T0, {"drug": "dexamethasone"})
    log.add(EventType.PRODUCT_THAWED, T0 + timedelta(minutes=10))
    log.started(T0 + timedelta(minutes=35))
    log.add(
        EventType.RATE_CHANGED,
        T0 + timedelta(minutes=50),
        {"rate_gtt_per_min": 40, "no_discomfort": True},
    )
    moments = [T0 + timedelta(minutes=12 * i) for i in range(1, 30)]  # + the baseline = 30
    end = T0 + timedelta(minutes=85)
    ended = False
    for at in moments:
        if not ended and at >= end:
            log.add(EventType.INFUSION_ENDED, end, {"volume_infused_ml": 100})
            ended = True
        log.vitals(at)
    log.add(EventType.OBSERVATION_ENDED, T0 + timedelta(hours=6))
    coa = coa_from_mapping(example_coa())
    check = check_release(protocol, coa, T0)
    # the release as a record reads it from the log: its payload decoded into its model
    payload = canonical_json(jsonable({"release_check": release_summary(check)}))
    released = RecordedEvent(
        2, EventType.PRODUCT_RELEASED, decode(EventType.PRODUCT_RELEASED, payload), T0, T0, "pharm"
    )
    return RecordSource(
        protocol=protocol,
        infusion_id=1,
        number=1,
        stream="infusion:P001/1",
        station="ward-3-bed-2",
        patient=PatientFacts("P001", "WL", "female", "A", Decimal("63.5"), T0),
        product=ProductFacts(coa.product_id, coa.lot, "released", coa, (released,)),
        events=tuple(log.events),
        chain=ChainFacts(True, len(log.events), "ab" * 32),
        printed_names={"nurse": "Nora Nurse", "pharm": "Phil Pharmacist"},
    )


def bare(pages: int, wide: bool = False) -> bytes:
    """The baseline: a reportlab document of ``pages`` pages, one short paragraph on each."""
    buffer = BytesIO()
    style = getSampleStyleSheet()["Normal"]
    story = []
    for page in range(pages):
        story += [Paragraph(f"Page {page + 1}", style), PageBreak()]
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4) if wide else A4, invariant=1)
    doc.build(story[:-1])
    return buffer.getvalue()


def page_count(data: bytes) -> int:
    return len(PdfReader(BytesIO(data)).pages)


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    source = long_infusion()

    def record() -> bytes:
        return render_infusion_record(
            replace(source),
            printed_at=T0 + timedelta(hours=6),
            printed_by="Mona Monitor",
            zone=UTC,
        )

    record_pages = page_count(record())
    sources = [replace(source, infusion_id=i, number=i) for i in range(1, 1001)]
    site = LogFilter(first=T0.date(), last=T0.date())

    def site_log() -> bytes:
        entries = [log_entry(replace(s)) for s in sources]  # replace: a fresh fold each time
        return render_log(entries, site, printed_at=T0, printed_by="Mona Monitor", zone=UTC)

    log_pages = page_count(site_log())
    results: dict[str, list[float]] = {"record": [], "bare record": [], "log": [], "bare log": []}
    for _ in range(args.runs):
        results["record"].append(timed(record))
        results["bare record"].append(timed(lambda: bare(record_pages)))
        results["log"].append(timed(site_log))
        results["bare log"].append(timed(lambda: bare(log_pages, wide=True)))
    median = {name: statistics.median(times) for name, times in results.items()}
    print(f"runs: {args.runs} each, interleaved; medians")
    print(
        f"record of a 6-hour infusion, 30 vitals sets, {len(source.events)} events, "
        f"{record_pages} pages: {median['record']:.3f} s (target < 0.5 s); bare reportlab "
        f"{record_pages} pages: {median['bare record']:.4f} s; ratio "
        f"{median['record'] / median['bare record']:.1f}"
    )
    print(
        f"site log of 1,000 infusions, {log_pages} pages: {median['log']:.3f} s (target < 5 s); "
        f"bare reportlab {log_pages} pages: {median['bare log']:.4f} s; ratio "
        f"{median['log'] / median['bare log']:.1f}"
    )


if __name__ == "__main__":
    main()
