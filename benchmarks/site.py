"""Issue 18's measurements on a representative site of 100k, 300k and 1M events.

The site is built through the app's own services (benchmarks/site_build.py), once per size
and builder version, and cached in benchmarks/.cache/ (``--rebuild`` builds it again). Each
measurement is the median of several repetitions beside a bare baseline measured in the same
run on the same file (a plain ``sqlite3`` query, reportlab alone, hashlib alone, ...), with
their ratio; the growth column is the figure at the largest size over the one at the
smallest. Writes (the durable append, a user action) go to a working copy, never the cache.

Run: .venv/bin/python benchmarks/site.py [--sizes 100k,300k,1M] [--repeat 5] [--rebuild]
     .venv/bin/python benchmarks/site.py --build-only --sizes 1M    (build and cache only)
     .venv/bin/python benchmarks/site.py --quick     (a smoke run on a tiny site, ~30 s)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# appended, not first: this file's name must not hide the standard library's ``site``
if str(ROOT / "benchmarks") not in sys.path:
    sys.path.append(str(ROOT / "benchmarks"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CACHE = ROOT / "benchmarks" / ".cache"
SIZES = {"100k": 100_000, "300k": 300_000, "1M": 1_000_000}
QUICK_TARGET = 2_000


def size_name(text: str) -> int:
    if text in SIZES:
        return SIZES[text]
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"size: one of {', '.join(SIZES)} or a number of events, got {text!r}"
        ) from None


def cached_site(target: int, *, rebuild: bool, cache: Path = CACHE, quick: bool = False) -> Path:
    """The site's SQLite file for ``target`` events, built (and its build report written
    beside it) when missing, stale or ``rebuild``."""
    import site_build

    cache.mkdir(parents=True, exist_ok=True)
    kind = "quick" if quick else "site"
    path = cache / f"{kind}-v{site_build.BUILDER_VERSION}-{target}.sqlite3"
    report = path.with_suffix(".json")
    if path.exists() and report.exists() and not rebuild:
        return path
    building = path.with_name(path.name + ".building")
    for stale in cache.glob(building.name + "*"):
        stale.unlink()
    print(f"building the site of ~{target:,} events into {building} ...", flush=True)
    options: dict[str, Any] = {}
    if quick:
        from datetime import timedelta

        options["first_day"] = site_build.local_day(site_build.TODAY) - timedelta(days=120)
        options["logins_per_station_day"] = 1  # the smoke run's time goes to the infusions
    built = site_build.build(building, target, progress=not quick, **options)
    os.replace(building, path)
    report.write_text(json.dumps(built, indent=1), encoding="utf-8")
    print(
        f"built {built['events']:,} events ({built['infusions']:,} infusions, "
        f"{built['stopped_before_start']} stopped before their start, "
        f"{sum(built['patients'].values())} patients) in {built['seconds']:.0f} s "
        f"({built['seconds'] / max(built['events'], 1) * 1e3:.2f} ms per event); "
        f"{sum(built['refused'].values())} refusals of {built['calls']:,} calls",
        flush=True,
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,300k,1M")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    # The site runs the protocol files the app ships, dose-finding rules and all (the test
    # suite points this setting at copies without the rules; its children inherit it).
    os.environ.pop("INFUSION_APP_PROTOCOLS_DIR", None)
    if args.child:
        import site_measure

        site_measure.child(args.child)
        return
    if args.quick:
        sizes = [QUICK_TARGET]
        args.repeat = 1
    else:
        sizes = [size_name(s.strip()) for s in args.sizes.split(",") if s.strip()]
    files = {
        n: cached_site(n, rebuild=args.rebuild, cache=args.cache, quick=args.quick) for n in sizes
    }
    if args.build_only:
        return
    import site_measure

    results = {}
    for target, path in files.items():
        results[target] = site_measure.measure(path, repeat=args.repeat, quick=args.quick)
    site_measure.print_table(results)


if __name__ == "__main__":
    main()
