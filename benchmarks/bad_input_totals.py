"""Bad-input totals for issue 12, section 4, measured the same way each time.

    .venv/bin/python benchmarks/bad_input_totals.py [--verbose] [--only CLASS]

Tries a fixed catalogue of bad inputs through ``infusion-app`` and counts: tried / clean
(exit 2 or 3, one line on stderr, no traceback, record unchanged) / exit 70 (or any exit
outside 0-3) / silent accepts (exit 0 on a bad input) / hangs (no answer within the time
bound) / other (several lines, a traceback, or the record changed on a refusal).

The catalogue: for every subcommand (read from the CLI's parser) a command line that fits,
then each option in turn given each bad value of its kind (control characters, over-long
text, times at the calendar's edges, impossible counts and references, malformed files, ...);
plus the cases issue 12 names one by one. Runs go in-process through ``infusion_app.cli.main``
on a fresh copy of one record (tests/cli_world.py) under an alarm; the cases that can hang
inside C code run in a child process with a timeout and a memory limit.

Measured 2026-11-30 on the test machine (the same catalogue; before = commit 90dd4e7, where
`patient weight` and `dose --at` did not exist yet, so it has fewer cases):
    before: tried 1472, clean 1304, exit 70 110, silent accepts 51, hangs 1, other 6
    after the times/text/references/CLI part (branch issue12-h4):
            tried 1542, clean 1490, exit 70 22, silent accepts 29, hangs 1, other 0
What is left is CoA and protocol files, number parsing, output paths and `db backup` paths,
which other parts of issue 12 fix (run with --verbose for the list).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cli_fuzz import (
    COUNT_FIELDS,
    COUNTS_BAD,
    DATES_BAD,
    FREE_TEXT_FIELDS,
    NUMBER_FIELDS,
    REFERENCES_BAD,
    TIME_BOUND_S,
    TIME_FIELDS,
    Places,
    Run,
    commands,
    run_checked,
    write_input_files,
)
from tests.cli_world import PW, build_world, clinical_snapshot, copy_world

SHORT_FIELDS = {
    "user", "username", "by", "trial_id", "patient", "product", "product_id", "protocol",
    "dose_level", "initials", "wristband", "sex", "role", "check", "term", "attribution",
}  # fmt: skip
TIMES_BAD = [
    "",
    "0001-01-01T00:00+14:00",
    "9999-12-31T23:59-12:00",
    "0001-01-01T00:00+00:00",
    "2026-11-21T08:00",
    "2999-01-01T00:00+00:00",
    "1990-01-01T00:00+00:00",
]
NUMBERS_BAD = ["abc", "NaN", "1_000", "٣٦", "", "1e308", "1e-320", "9" * 400, "-5"]


def good_value(dest: str, places: Places) -> str:
    t = places.t0
    table = {
        "user": "nurse", "by": "admin", "infusion": "P001/1", "reason": "downtime",
        "why": "pump alarm", "temp": "36.8", "hr": "72", "bp": "122/76", "rr": "14",
        "spo2": "98", "term": "Fever", "attribution": "possible", "grade": "1",
        "drop_factor": "20", "rate": "45", "volume_ml": "100", "final_volume_ml": "100",
        "product": "UC-MSC-2026-0001", "product_id": "UC-MSC-2026-0001",
        "wristband": "MSC|P001|WL", "trial_id": "P002", "patient": "P001", "initials": "WL",
        "dob": "1972-03-04", "number": "2", "weight_kg": "62.0", "sex": "female",
        "protocol": "ucmsc-cart-cytopenia", "dose_level": "A", "age": "54", "seq": "3",
        "ae": "6", "check": "acute_24h", "set": "temperature_c=38.1", "username": "eve",
        "name": "Eve Example", "role": "nurse", "coa": str(places.inputs / "good.json"),
        "concentration": "1.0e7", "viability": "92", "output": str(places.outputs / "o.pdf"),
        "path": str(places.outputs / "backup.sqlite3"), "format": "csv",
        "first": (t - timedelta(days=1)).date().isoformat(),
        "last": (t + timedelta(days=1)).date().isoformat(),
    }  # fmt: skip
    if dest in TIME_FIELDS:
        return (t + timedelta(minutes=100)).isoformat()
    return table.get(dest, "1")


QUERY_COMMANDS = {("infusion", "status"), ("release-check",)}
"""Their --at is a moment to look at, not one to record: any plausible time is fine."""


def bad_values(dest: str, places: Places, path: tuple[str, ...] = ()) -> list[str]:
    if dest in TIME_FIELDS and path in QUERY_COMMANDS:
        own = [v for v in TIMES_BAD if not v.startswith(("1990", "2999"))]
    elif dest in TIME_FIELDS:
        own = TIMES_BAD
    elif dest == "age":
        own = [v for v in COUNTS_BAD if v != "0"]  # a newborn is 0 years old
    elif dest in COUNT_FIELDS:
        own = COUNTS_BAD
    elif dest in NUMBER_FIELDS:
        own = NUMBERS_BAD
    elif dest == "infusion":
        own = REFERENCES_BAD
    elif dest in {"dob", "first", "last"}:
        own = DATES_BAD
    elif dest == "coa":
        own = [
            str(places.inputs / name)
            for name in ("duplicate_keys.json", "deep.json", "long_number.json", "latin1.json",
                         "empty.json", "not_json.json", "huge_concentration.json",
                         "tiny_concentration.json", "control_chars.json", "other_patient.json")
        ] + [str(places.inputs), str(places.inputs / "missing.json")]  # fmt: skip
    elif dest in {"output", "path"}:
        own = [str(places.outputs), str(places.outputs / ("x" * 300)), ""]
    else:
        own = []
    text = ["a\x00b", "P001\r\nSIGNED: Ada Admin", "a\u2028b", "x" * 3000]
    if dest in SHORT_FIELDS:
        text.append("x" * 65)
    if dest not in FREE_TEXT_FIELDS and dest not in TIME_FIELDS:
        text.append("")
    return [*own, *text]


@dataclass
class Case:
    label: str  # the class: "infusion vitals --at" or an issue item
    argv: list[str]
    stdin: str | bytes = f"{PW}\n{PW}\n{PW}\n"
    child: bool = False  # may hang in C code: run in a child process


def catalogue(places: Places) -> list[Case]:
    cases: list[Case] = []
    for path, actions in commands():
        base: list[tuple[argparse.Action, str | None]] = [
            (a, good_value(a.dest, places)) for a in actions if a.required or not a.option_strings
        ]
        optional = [a for a in actions if a.option_strings and not a.required and a.nargs != 0]
        for target in [a for a, _ in base if a.nargs != 0] + optional:
            for bad in bad_values(target.dest, places, path):
                argv = list(path)
                positionals = []
                chosen = dict(base)
                chosen[target] = bad
                for action, value in chosen.items():
                    if action.nargs == 0:
                        argv.append(action.option_strings[-1])
                    elif not action.option_strings:
                        positionals.append(value or "")
                    else:
                        argv.append(f"{action.option_strings[-1]}={value}")
                argv += ["--", *positionals] if positionals else []
                flag = target.option_strings[-1] if target.option_strings else target.dest
                cases.append(Case(f"{' '.join(path)} {flag}", argv))
    for station in ["a\x00b", "bed\r\n7", "a\u2028b", "s" * 65, "x" * 3000]:
        cases.append(Case("--station", ["--station", station, "infusion", "status", "P001/1"]))
    log_pdf = str(places.outputs / "log.pdf")
    latin = str(places.inputs / "protocols_latin1")
    cases += [
        Case("password not UTF-8", ["infusion", "resume", "P001/1", "--user", "nurse"], b"\xff\n"),
        Case("password with NUL", ["infusion", "resume", "P001/1", "--user", "nurse"], "a\x00b\n"),
        Case("issue: log over all dates", ["log", "--from", "0001-01-01", "--to", "9999-12-31",
                                           "-o", log_pdf, "--user", "mona"]),
        Case("issue: 300-character protocol", ["calc", "--protocol", "p" * 300, "--dose-level",
                                               "A", "--weight-kg", "63.5", "--concentration",
                                               "1e7", "--viability", "92"]),
        Case("issue: latin-1 protocols", ["--protocols-dir", latin, "protocols"]),
        Case("issue: ae grade 1e999999999", ["infusion", "ae", "P001/1", "--user", "nurse",
                                             "--term", "Fever", "--attribution", "possible",
                                             "--grade", "1e999999999"], child=True),
        Case("issue: product add /dev/zero", ["product", "add", "--user", "pharm", "--coa",
                                              "/dev/zero"], child=True),
        Case("issue: calc 1e-999999999", ["calc", "--protocol", "ucmsc-cart-cytopenia",
                                          "--dose-level", "A", "--weight-kg", "63.5",
                                          "--concentration", "1e-999999999", "--viability", "92"],
             child=True),
    ]  # fmt: skip
    return cases


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def run_child(db_url: str, case: Case) -> Run:
    run = Run(case.argv, case.stdin)
    before = clinical_snapshot(db_url)
    started = time.monotonic()
    stdin = case.stdin if isinstance(case.stdin, bytes) else case.stdin.encode()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "infusion_app",
                "--db",
                db_url,
                "--station",
                "bed-7",
                *case.argv,
            ],
            input=stdin,
            capture_output=True,
            cwd=Path.cwd(),
            timeout=TIME_BOUND_S,
            preexec_fn=_limit_memory,
        )
        run.code = done.returncode
        run.out = done.stdout.decode("utf-8", "replace")
        run.err = done.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        run.hung = True
    run.seconds = time.monotonic() - started
    after = set(clinical_snapshot(db_url))
    run.new_clinical = [row for row in after if row not in set(before)]
    return run


def classify(run: Run) -> str:
    if run.hung or run.seconds > TIME_BOUND_S:
        return "hang"
    if run.code not in (0, 1, 2, 3):
        return "exit 70"
    if run.code == 0:
        return "silent accept"
    problems = run.problems()
    return "other" if problems else "clean"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every case not clean")
    parser.add_argument("--only", help="only the cases whose label contains this")
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bad-input-"))
    os.environ["INFUSION_APP_CONFIG"] = str(root / "no-config.toml")
    os.chdir(root)  # a relative output path lands in the scratch folder
    os.environ.pop("INFUSION_APP_STATION", None)
    record, t0 = build_world(root / "world")
    places = Places(inputs=root / "inputs", outputs=root / "outputs", t0=t0)
    write_input_files(places.inputs, t0)
    places.outputs.mkdir()
    cases = [c for c in catalogue(places) if not options.only or options.only in c.label]
    totals: Counter[str] = Counter()
    by_label: dict[str, Counter[str]] = defaultdict(Counter)
    started = time.monotonic()
    for index, case in enumerate(cases):
        db_url = copy_world(record, root / "runs" / str(index % 2))
        if case.child:
            run = run_child(db_url, case)
        else:
            argv = [
                "--db",
                db_url,
                *([] if case.argv[:1] == ["--station"] else ["--station", "bed-7"]),
                *case.argv,
            ]
            run = run_checked(db_url, argv, case.stdin)
        kind = classify(run)
        totals[kind] += 1
        by_label[case.label][kind] += 1
        if options.verbose and kind != "clean":
            shown = [a if len(a) < 60 else a[:57] + "..." for a in case.argv]
            print(f"{kind:<13} {case.label}: {shown!r} -> {run.code} {run.err.strip()[:200]!r}")
    tried = len(cases)
    print(
        f"bad inputs tried {tried}: clean {totals['clean']}, exit 70 {totals['exit 70']}, "
        f"silent accepts {totals['silent accept']}, hangs {totals['hang']}, "
        f"other {totals['other']} ({time.monotonic() - started:.0f} s)"
    )
    for label, counts in sorted(by_label.items()):
        bad = {k: v for k, v in counts.items() if k != "clean"}
        if bad:
            print(f"  {label}: {dict(bad)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
