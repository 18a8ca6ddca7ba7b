"""Argument vectors and input files for every ``infusion-app`` subcommand, and the rule every
run must obey (issue 12, section 4): exit 0, 1, 2 or 3; at most one line on stderr for 2 and
3; no traceback; within a time bound; the clinical streams unchanged whenever the exit is
not 0. Used by the hypothesis property (tests/test_cli_property.py) and by the measurement
of the bad-input totals (benchmarks/bad_input_totals.py).

The subcommands and their options are read from the CLI's own parser, so a new subcommand is
fuzzed without touching this file. Each option draws either a value that fits (so a run gets
past the first check and reaches the services) or a bad one.
"""

from __future__ import annotations

import argparse
import json
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from infusion_app.cli import build_parser
from tests.cli_world import PW, clinical_snapshot, run_cli
from tests.samples import example_coa

TIME_BOUND_S = 20.0
"""No single command may take longer (the slowest honest one, a signed step, takes < 1 s)."""

Command = tuple[tuple[str, ...], tuple[argparse.Action, ...]]


def commands() -> list[Command]:
    """Every leaf subcommand (``("infusion", "vitals")``) with its arguments."""
    found: list[Command] = []

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.append((path, tuple(a for a in parser._actions if a.dest != "help")))
            return
        for name, sub in subs[0].choices.items():
            walk(sub, (*path, name))

    walk(build_parser(), ())
    return found


# --- values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    """Where the fuzzed files live: input files (read) and an output folder (written)."""

    inputs: Path
    outputs: Path
    t0: datetime


CONTROL = ["a\x00b", "P001\r\nSIGNED: Ada Admin", "a\nb", "a\u2028b", "a\u202eb", "a\tb", "\udcff"]
LONG = ["x" * 65, "x" * 3000, "é" * 300]
TIMES_BAD = [
    "",
    " ",
    "0001-01-01T00:00+14:00",
    "9999-12-31T23:59-12:00",
    "0001-01-01T00:00+00:00",
    "2026-11-21T08:00",
    "2999-01-01T00:00+00:00",
    "1990-01-01T00:00+00:00",
    "now",
    "２０２６-01-01T00:00+00:00",
]
COUNTS_BAD = ["²", "9" * 25, "-1", "0", "1_0", "٣", "1e3", "", "nan"]
NUMBERS_BAD = ["-0", "abc", "NaN", "inf", "1_000", "٣٦", "", "1e308", "1e-320", "9" * 400]
REFERENCES_BAD = ["P001/²", "P001/" + "9" * 25, "9" * 25, "²", "/1", "P001/", "P999/1", "P001/7"]
DATES_BAD = ["0001-01-01", "9999-12-31", "", "2026-02-30", "1880-01-01", "2999-01-01"]

TIME_FIELDS = {"at", "started_at", "aware_at", "time", "weight_measured_at"}
COUNT_FIELDS = {"seq", "ae", "number", "drop_factor", "rate", "age", "from_infusion"}
NUMBER_FIELDS = {
    "weight_kg", "temp", "hr", "rr", "spo2", "volume_ml", "final_volume_ml", "grade",
    "concentration", "viability", "bag_volume_ml",
}  # fmt: skip
FREE_TEXT_FIELDS = {
    "reason", "why", "description", "finding", "override_reason", "other_term",
    "deviation_reason", "details",
}  # fmt: skip


def _recent(places: Places) -> st.SearchStrategy[str]:
    minutes = st.integers(min_value=0, max_value=115)
    return minutes.map(lambda m: (places.t0 + timedelta(minutes=m)).isoformat())


def good_values(dest: str, places: Places) -> st.SearchStrategy[str]:
    """Values that fit the option, so a run can get as far as the services."""
    out = places.outputs
    table: dict[str, st.SearchStrategy[str]] = {
        "user": st.sampled_from(["nurse", "pharm", "mona", "admin", "nurse2"]),
        "by": st.just("admin"),
        "infusion": st.sampled_from(["P001/1", "1"]),
        "reason": st.sampled_from(["back-entry after downtime", "typo"]),
        "why": st.just("pump alarm"),
        "temp": st.sampled_from(["36.8", "38.4", "39.2"]),
        "hr": st.sampled_from(["72", "130"]),
        "bp": st.sampled_from(["122/76", "85/50"]),
        "rr": st.just("14"),
        "spo2": st.just("98"),
        "o2": st.sampled_from(["air", "oxygen"]),
        "avpu": st.sampled_from(["A", "V"]),
        "term": st.sampled_from(["Fever", "Infusion related reaction", "Other, specify"]),
        "attribution": st.sampled_from(["possible", "unrelated"]),
        "grade": st.sampled_from(["1", "2", "3"]),
        "drop_factor": st.sampled_from(["20", "60"]),
        "rate": st.sampled_from(["40", "45", "60"]),
        "volume_ml": st.sampled_from(["100", "50"]),
        "final_volume_ml": st.just("100"),
        "product": st.just("UC-MSC-2026-0001"),
        "product_id": st.just("UC-MSC-2026-0001"),
        "wristband": st.just("MSC|P001|WL"),
        "trial_id": st.sampled_from(["P001", "P002"]),
        "patient": st.just("P001"),
        "initials": st.just("WL"),
        "dob": st.just("1972-03-04"),
        "number": st.sampled_from(["1", "2"]),
        "weight_kg": st.sampled_from(["62.0", "63.5"]),
        "sex": st.just("female"),
        "protocol": st.sampled_from(["ucmsc-cart-cytopenia", "msc-l-crc"]),
        "dose_level": st.sampled_from(["A", "2"]),
        "age": st.just("54"),
        "seq": st.sampled_from(["3", "4", "5"]),
        "ae": st.just("6"),
        "check": st.just("acute_24h"),
        "set": st.sampled_from(["temperature_c=38.1", "volume_infused_ml=90"]),
        "username": st.sampled_from(["eve", "nurse"]),
        "name": st.just("Eve Example"),
        "role": st.sampled_from(["nurse", "monitor"]),
        "coa": st.just(str(places.inputs / "good.json")),
        "concentration": st.just("1.0e7"),
        "viability": st.just("92"),
        "bag_volume_ml": st.just("20"),
        "output": st.sampled_from([str(out / "out.pdf"), str(out / "out.csv")]),
        "path": st.just(str(out / "backup.sqlite3")),
        "format": st.sampled_from(["csv", "fhir"]),
        "paper": st.sampled_from(["a4", "letter"]),
        "language": st.sampled_from(["en", "zh_CN"]),
        "first": st.just((places.t0 - timedelta(days=1)).date().isoformat()),
        "last": st.just((places.t0 + timedelta(days=1)).date().isoformat()),
        "expect_head": st.just("0" * 64),
    }
    if dest in TIME_FIELDS:
        return _recent(places)
    return table.get(dest, st.just("1"))


def bad_values(dest: str, places: Places) -> st.SearchStrategy[str]:
    """Values the option must refuse with one line (or, for some, may take)."""
    specific: list[str] = []
    if dest in TIME_FIELDS:
        specific = TIMES_BAD
    elif dest in COUNT_FIELDS:
        specific = COUNTS_BAD
    elif dest in NUMBER_FIELDS:
        specific = NUMBERS_BAD
    elif dest == "infusion":
        specific = REFERENCES_BAD
    elif dest in {"dob", "first", "last"}:
        specific = DATES_BAD
    elif dest == "coa":
        specific = [str(places.inputs / name) for name in BAD_COA_FILES] + [
            str(places.inputs),
            str(places.inputs / "missing.json"),
        ]
    elif dest in {"output", "path"}:
        specific = [str(places.outputs), str(places.outputs / ("x" * 300)), ""]
        specific.append(str(places.outputs / "no" / "such" / "folder.pdf"))
    return st.one_of(
        st.sampled_from([*specific, *CONTROL, *LONG] if specific else [*CONTROL, *LONG]),
        st.text(max_size=20),
    )


def value_for(dest: str, places: Places) -> st.SearchStrategy[str]:
    return st.one_of(good_values(dest, places), bad_values(dest, places))


@st.composite
def argument_vectors(draw: st.DrawFn, places: Places) -> list[str]:
    """One run's arguments after ``--db``: maybe a station, a subcommand and its options.

    Most options get a value that fits and at most two a bad one, so that a run gets past
    the first check it meets and the bad value reaches the layer that must refuse it."""
    path, actions = draw(st.sampled_from(commands()))

    def rare(n: int) -> bool:  # about 1 in n+1 (a middle value: hypothesis favours the ends)
        return draw(st.integers(0, n)) == n // 2

    argv: list[str] = []
    if rare(9):
        argv += ["--station", draw(st.sampled_from([*CONTROL, *LONG, "bed-9", ""]))]
    if draw(st.integers(0, 19)) == 0:
        argv += [
            "--protocols-dir",
            draw(st.sampled_from(PROTOCOL_DIRS)).format(inputs=places.inputs),
        ]
    argv += list(path)
    slots = [a for a in actions if a.nargs != 0]
    bad = draw(st.sets(st.sampled_from(slots), max_size=2)) if slots else set()

    def value(action: argparse.Action) -> str:
        strategy = bad_values if action in bad else good_values
        return draw(strategy(action.dest, places))

    positionals: list[str] = []
    for action in actions:
        if not action.option_strings:
            positionals.append(value(action))
            continue
        flag = action.option_strings[-1]
        if action.nargs == 0:  # a switch
            if action.required or draw(st.booleans()):
                argv.append(flag)
            continue
        if action.required:
            wanted = action in bad or not rare(19)
        else:
            wanted = action in bad or draw(st.booleans())
        if wanted:
            repeat = isinstance(action, argparse._AppendAction) and draw(st.booleans())
            for _ in range(2 if repeat else 1):
                argv.append(f"{flag}={value(action)}")
    if positionals:
        argv += ["--", *positionals]
    if rare(29):
        argv.append(draw(st.sampled_from(["--bogus", "extra", "-x"])))
    return argv


STDINS: list[str | bytes] = [
    *[f"{PW}\n{PW}\n{PW}\n"] * 8,
    "wrong password\n",
    b"\xff\xfe not utf-8\n",
    b"",
    f"{PW}\x00\n",
    "\n",
]


def stdins() -> st.SearchStrategy[str | bytes]:
    return st.sampled_from(STDINS)


# --- input files -----------------------------------------------------------------------

BAD_COA_FILES = (
    "duplicate_keys.json",
    "deep.json",
    "long_number.json",
    "latin1.json",
    "empty.json",
    "not_json.json",
    "huge_concentration.json",
    "tiny_concentration.json",
    "control_chars.json",
    "other_patient.json",
)
PROTOCOL_DIRS = ("{inputs}/protocols_latin1", "{inputs}/protocols_empty", "{inputs}/good.json")


def write_input_files(folder: Path, t0: datetime) -> None:
    """A good CoA (a second product for P001) and the bad ones the issue names."""
    folder.mkdir(parents=True, exist_ok=True)
    expiry = (t0 + timedelta(days=60)).isoformat()
    good = example_coa(product_id="UC-MSC-2026-0002", expires_at=expiry)
    (folder / "good.json").write_text(json.dumps(good), encoding="utf-8")
    text = json.dumps(example_coa(product_id="UC-MSC-2026-0003", sterility="positive"))
    dup = text.replace(
        '"sterility": "positive"', '"sterility": "positive", "sterility": "negative"'
    )
    (folder / "duplicate_keys.json").write_text(dup, encoding="utf-8")
    (folder / "deep.json").write_text("[" * 1000 + "]" * 1000, encoding="utf-8")
    long_number = json.dumps(example_coa(product_id="UC-MSC-2026-0004")).replace(
        "10000000.0", "1" + "0" * 5000
    )
    (folder / "long_number.json").write_text(long_number, encoding="utf-8")
    latin = json.dumps(example_coa(product_id="UC-MSC-2026-0005", lot="Lot-é"), ensure_ascii=False)
    (folder / "latin1.json").write_bytes(latin.encode("latin-1"))
    (folder / "empty.json").write_bytes(b"")
    (folder / "not_json.json").write_text("{'product_id': ", encoding="utf-8")
    for name, value in (("huge_concentration.json", 1e308), ("tiny_concentration.json", 1e-320)):
        coa = example_coa(product_id="UC-MSC-2026-0006", total_cells_per_ml=value)
        (folder / name).write_text(json.dumps(coa), encoding="utf-8")
    ctl = example_coa(product_id="UC-MSC-2026-0007\nSIGNED", lot="a\x00b")
    (folder / "control_chars.json").write_text(json.dumps(ctl), encoding="utf-8")
    other = example_coa(product_id="UC-MSC-2026-0008", patient_id="P0\r\n01")
    (folder / "other_patient.json").write_text(json.dumps(other), encoding="utf-8")
    latin_dir = folder / "protocols_latin1"
    latin_dir.mkdir(exist_ok=True)
    (latin_dir / "x.toml").write_bytes('id = "x"\ntitle = "Essai clinique é"\n'.encode("latin-1"))
    (folder / "protocols_empty").mkdir(exist_ok=True)


# --- the rule --------------------------------------------------------------------------


PROJECTIONS = {"patients", "products", "infusions", "signatures"}
"""Rows a successful command may change (a new weight, a release); the log only grows."""


class Hang(BaseException):
    """Raised by the time bound's alarm (a BaseException, so the CLI's catch-all misses it)."""


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Run:
    argv: list[str]
    stdin: str | bytes
    code: int | None = None
    out: str = ""
    err: str = ""
    seconds: float = 0.0
    hung: bool = False
    new_clinical: list[tuple[object, ...]] = field(default_factory=list)
    lost_clinical: list[tuple[object, ...]] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every way this run broke the rule; empty when it obeyed it."""
        found: list[str] = []
        if self.hung or self.seconds > TIME_BOUND_S:
            found.append(f"no answer within {TIME_BOUND_S} s")
        if self.code not in (0, 1, 2, 3):
            found.append(f"exit {self.code}")
        if self.code in (2, 3) and len(self.err.splitlines()) > 1:
            found.append(f"{len(self.err.splitlines())} lines on stderr")
        if "Traceback" in self.err or "Traceback" in self.out:
            found.append("a traceback")
        if any(row[0] not in PROJECTIONS for row in self.lost_clinical):
            found.append("clinical entries changed or removed")  # the log is append-only
        if self.code != 0 and self.lost_clinical:
            found.append(f"exit {self.code} but a clinical row changed")
        if self.code != 0 and self.new_clinical and not self.near_miss_only():
            found.append(f"exit {self.code} but the clinical record changed")
        return found

    def near_miss_only(self) -> bool:
        """A failed identity check is recorded, then refused (DESIGN: a hard stop is a near
        miss the record must show): the one change a refusal may leave."""
        return bool(self.new_clinical) and all(
            row[0].__class__ is str
            and str(row[0]).startswith("infusion:")
            and len(row) > 2
            and row[2] == "check_failed"
            for row in self.new_clinical
        )


def run_checked(db_url: str, argv: list[str], stdin: str | bytes) -> Run:
    """Run the CLI in this process against ``db_url`` and record what the rule needs."""
    run = Run(argv, stdin)
    before = clinical_snapshot(db_url)
    started = time.monotonic()
    try:
        with time_bound(TIME_BOUND_S):
            result = run_cli(db_url, argv, stdin=stdin, station=None)
        run.code, run.out, run.err = result.code, result.out, result.err
    except Hang:
        run.hung = True
    run.seconds = time.monotonic() - started
    after = clinical_snapshot(db_url)
    before_set, after_set = set(before), set(after)
    run.new_clinical = [row for row in after if row not in before_set]
    run.lost_clinical = [row for row in before if row not in after_set]
    return run
