"""Issue 12, section 4 (times, text, references, CLI robustness): each class of bad input the
issue found is refused with one line naming the field and the rule (exit 2), never a
traceback, never exit 70, and the clinical record is left exactly as it was.

Each test works on a copy of one record built through the CLI (tests/cli_world.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli_world import (
    PW,
    Result,
    build_world,
    clinical_snapshot,
    copy_world,
    run_cli,
)

VITALS = ["--temp", "36.8", "--hr", "72", "--bp", "122/76", "--rr", "14", "--spo2", "98"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, datetime]:
    return build_world(tmp_path_factory.mktemp("world"))


@pytest.fixture
def record(world: tuple[Path, datetime], tmp_path: Path) -> str:
    return copy_world(world[0], tmp_path)


@pytest.fixture
def t0(world: tuple[Path, datetime]) -> datetime:
    return world[1]


def refused(result: Result, *fragments: str) -> str:
    """Exit 2 with exactly one line on stderr that holds every fragment."""
    assert result.code == 2, result
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert "Traceback" not in result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def refused_unchanged(
    record: str, argv: list[str], *fragments: str, stdin: str | bytes = f"{PW}\n"
) -> str:
    before = clinical_snapshot(record)
    line = refused(run_cli(record, argv, stdin=stdin), *fragments)
    assert clinical_snapshot(record) == before
    return line


def step(name: str, *extra: str, user: str = "nurse") -> list[str]:
    return ["infusion", name, "P001/1", "--user", user, *extra]


def late(moment: datetime) -> list[str]:
    return ["--at", moment.isoformat(), "--reason", "downtime"]


# --- times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "when",
    [
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59-12:00",
        "1026-03-01T08:00+00:00",
    ],
)
def test_vitals_at_impossible_times_are_refused(record, when):
    line = refused_unchanged(record, step("vitals", *VITALS, "--at", when, "--reason", "x"))
    assert "at" in line or "occurred_at" in line


def test_vitals_before_the_patient_was_registered_are_refused(record, t0):
    refused_unchanged(
        record,
        step("vitals", *VITALS, *late(t0 - timedelta(hours=1))),
        "occurred_at",
        "before the patient was registered",
    )


def test_a_time_beyond_the_protocols_back_entry_limit_is_refused(record):
    eight_days = datetime.now(UTC) - timedelta(days=8)
    refused_unchanged(
        record, step("vitals", *VITALS, *late(eight_days)), "occurred_at", "7 days back"
    )


def test_a_future_time_is_refused(record):
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    refused_unchanged(record, step("vitals", *VITALS, *late(tomorrow)), "in the future")


@pytest.mark.parametrize("option", ["--started-at", "--aware-at"])
def test_an_adverse_event_starting_tomorrow_is_refused(record, option):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    argv = step("ae", "--term", "Fever", "--grade", "1", "--attribution", "possible")
    refused_unchanged(
        record, [*argv, "--serious", option, tomorrow], option[2:].replace("-", "_"), "future"
    )


def test_an_adverse_event_started_in_year_1_is_refused(record):
    argv = step("ae", "--term", "Fever", "--grade", "1", "--attribution", "possible")
    refused_unchanged(record, [*argv, "--started-at", "0001-01-01T00:00+00:00"], "started_at")


@pytest.mark.parametrize("option", ["--at", "--started-at", "--aware-at"])
def test_an_empty_time_is_refused_not_taken_as_now(record, option):
    argv = step("ae", "--term", "Fever", "--grade", "1", "--attribution", "possible")
    refused_unchanged(record, [*argv, option, ""], "is empty")


def test_an_empty_status_time_is_refused(record):
    refused(run_cli(record, ["infusion", "status", "P001/1", "--at", ""]), "at", "is empty")


@pytest.mark.parametrize("when", ["0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00"])
def test_calendar_edges_are_one_line_everywhere(record, when):
    refused(run_cli(record, ["infusion", "status", "P001/1", "--at", when]), "at")
    refused(
        run_cli(
            record,
            ["release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", "x", "--at", when],
        ),
        "at",
    )


def _vitals_seq(record: str, t0: datetime) -> str:
    result = run_cli(
        record, [*step("vitals", *VITALS, *late(t0 + timedelta(minutes=20))), "--json"]
    )
    assert result.code == 0, result.err
    import json

    return str(json.loads(result.out)["seq"])


@pytest.mark.parametrize("when", ["0001-01-01T00:00+00:00", "2999-01-01T00:00+00:00"])
def test_a_correction_to_an_impossible_time_is_refused(record, t0, when):
    seq = _vitals_seq(record, t0)
    refused_unchanged(
        record, step("correct", "--seq", seq, "--reason", "typo", "--time", when), "time"
    )


def test_a_correction_before_registration_is_refused(record, t0):
    seq = _vitals_seq(record, t0)
    earlier = (t0 - timedelta(days=1)).isoformat()
    refused_unchanged(
        record,
        step("correct", "--seq", seq, "--reason", "typo", "--time", earlier),
        "time",
        "before the patient was registered",
    )


def _add_patient(*extra: str, trial_id: str = "P002") -> list[str]:
    return [
        *("patient", "add", "--user", "nurse", "--trial-id", trial_id, "--initials", "AB"),
        *("--sex", "male", "--weight-kg", "70", "--protocol", "ucmsc-cart-cytopenia"),
        *("--dose-level", "A", *extra),
    ]


@pytest.mark.parametrize(
    ("dob", "rule"),
    [
        ("0001-01-01", "dob"),
        ("1880-01-01", "dob"),
        ((date.today() + timedelta(days=30)).isoformat(), "future"),
    ],
)
def test_implausible_dates_of_birth_are_refused(record, dob, rule):
    refused_unchanged(record, _add_patient("--dob", dob), rule)


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00+00:00", "", "1990-01-01T00:00+00:00", "2999-01-01T00:00+00:00"]
)
def test_implausible_weight_times_are_refused(record, when):
    refused_unchanged(
        record, _add_patient("--age", "40", "--weight-measured-at", when), "weight_measured_at"
    )


# --- text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Eve\r\nSIGNED: Ada Admin", "Eve\nX", "Eve\x00", "Eve\u2028X", "Eve\u202eX", "E" * 201]
)
def test_printed_names_are_one_line_of_printable_text(record, name):
    argv = ["user", "add", "--by", "admin", "--username", "eve", "--name", name, "--role", "nurse"]
    refused(run_cli(record, argv, stdin=f"{PW}\n{PW}\n"), "name")
    listing = run_cli(record, ["user", "list"])
    assert "eve" not in listing.out


def test_an_adverse_event_description_cannot_forge_a_line(record):
    argv = step("ae", "--term", "Fever", "--grade", "1", "--attribution", "possible")
    forged = "chills\nSignature: Dr Ada Admin, verified 2026-11-21 09:00"
    refused_unchanged(record, [*argv, "--description", forged], "description", "one line")


@pytest.mark.parametrize("field", ["--why", "--reason"])
def test_free_text_is_bounded(record, field):
    huge = "x" * 120_000
    argv = step("pause", "--why", "pump alarm")
    if field == "--why":
        argv = step("pause", "--why", huge)
    else:
        argv = [*argv, "--at", datetime.now(UTC).isoformat(), "--reason", huge]
    refused_unchanged(record, argv, "at most 2000 characters")


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (_add_patient("--age", "40", trial_id="P0\x0002"), "trial_id"),
        (_add_patient("--age", "40", trial_id="P003\n"), "trial_id"),
        (_add_patient("--age", "40", trial_id="P" * 65), "trial_id"),
        (["product", "release", "--user", "pharm", "UC\x00X"], "product_id"),
        (step("check", "--product", "UC\x00", "--wristband", "MSC|P001|WL"), "product_id"),
        (
            step("check", "--product", "UC-MSC-2026-0001", "--wristband", "MSC|P001|WL\r"),
            "wristband",
        ),
    ],
)
def test_ids_with_control_characters_or_too_long_are_refused(record, argv, field):
    refused_unchanged(record, argv, field)


@pytest.mark.parametrize("station", ["s" * 65, "bed\n7", "bed\x007", "bed\u20287"])
def test_the_station_name_is_checked_at_start_up(record, station):
    refused(run_cli(record, ["infusion", "status", "P001/1"], station=station), "station")


def test_the_station_from_the_environment_is_checked_too(record, monkeypatch):
    monkeypatch.setenv("INFUSION_APP_STATION", "s" * 65)
    refused(run_cli(record, ["infusion", "status", "P001/1"], station=None), "station")


def test_a_username_with_nul_is_refused_before_the_database(record):
    refused(run_cli(record, step("vitals", *VITALS, user="nu\x00rse")), "username")


# --- references, numbers given as counts, --set ------------------------------------------


@pytest.mark.parametrize(
    "reference", ["P001/²", "P001/" + "9" * 25, "9" * 25, "²", "P001/1_0", "P001/٣", "/1", "P001/"]
)
def test_infusion_references_are_one_line(record, reference):
    refused(run_cli(record, ["infusion", "status", reference]), "infusion")
    refused_unchanged(record, ["infusion", "resume", reference, "--user", "nurse"], "infusion")


@pytest.mark.parametrize(
    "argv",
    [
        step("sae-reported", "--ae", "9" * 25),
        step("correct", "--seq", "²", "--reason", "x", "--set", "temperature_c=37"),
        step("start", "--drop-factor", "9" * 25),
        step("rate", "--no-discomfort", "--rate", "1e9"),
        [
            *("infusion", "new", "--user", "nurse", "--patient", "P001"),
            *("--product", "UC-MSC-2026-0001", "--number", "9" * 25),
        ],
    ],
)
def test_counts_are_whole_numbers_in_range(record, argv):
    refused_unchanged(record, argv)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ("nonsense=1", "nonsense"),
        ("temperature_c=abc", "temperature_c"),
        ("temperature_c=", "temperature_c"),
        ("=37", "set"),
        ("temperature_c", "set"),
        ("temp\nerature_c=37", "set"),
    ],
)
def test_correct_set_gives_one_line(record, t0, change, field):
    seq = _vitals_seq(record, t0)
    refused_unchanged(
        record, step("correct", "--seq", seq, "--reason", "typo", "--set", change), field
    )


def test_correct_set_of_a_volume_that_is_not_a_number_is_one_line(record, t0):
    def at(minutes: int) -> list[str]:
        return late(t0 + timedelta(minutes=minutes))

    bag = ["--wristband", "MSC|P001|WL", "--product", "UC-MSC-2026-0001"]
    for argv in (
        step("check", *bag, *at(10)),
        step("vitals", *VITALS, *at(11)),
        step("premed", *at(12)),
        step("thaw", *at(20)),
        step("start", "--drop-factor", "20", *at(45)),
        step("rate", "--no-discomfort", *at(60)),
        step("vitals", *VITALS, *at(62)),
        step("end", "--volume-ml", "100", *at(90)),
    ):
        result = run_cli(record, argv)
        assert result.code == 0, (argv, result.err)
    seq = _end_seq(record)
    for change in ("volume_infused_ml=abc", "volume_infused_ml=", "volume_infused_ml=1e999999999"):
        refused_unchanged(
            record,
            step("correct", "--seq", seq, "--reason", "typo", "--set", change),
            "volume_infused_ml",
        )


def _end_seq(record: str) -> str:
    import sqlite3

    path = record.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        (seq,) = connection.execute(
            "SELECT seq FROM events WHERE type = 'infusion_ended' ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    return str(seq)


# --- passwords and output --------------------------------------------------------------


@pytest.mark.parametrize("stdin", [b"\xff\xfe not utf-8\n", b"\xc3\n", b"pass\x00word\n"])
def test_a_password_that_is_not_text_is_one_line(record, stdin):
    refused_unchanged(record, step("resume"), "password", stdin=stdin)


def test_a_closed_stdout_after_a_committed_write_still_exits_0(record, t0, monkeypatch):
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

    from infusion_app import cli

    before = clinical_snapshot(record)
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(f"{PW}\n"))
    monkeypatch.setattr("sys.stdout", Closed())
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    argv = [
        "--db",
        record,
        "--station",
        "bed-7",
        *step("vitals", *VITALS, *late(t0 + timedelta(minutes=20))),
    ]
    code = cli.main(argv)
    monkeypatch.undo()
    assert code == 0, err.getvalue()
    assert len(clinical_snapshot(record)) == len(before) + 1  # saved once
    assert "standard output" in err.getvalue() and len(err.getvalue().splitlines()) == 1


def test_a_closed_pipe_in_a_real_process_exits_0_and_saves_once(record, t0):
    before = len(clinical_snapshot(record))
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -c0` that has already gone
    argv = [
        sys.executable,
        "-m",
        "infusion_app",
        "--db",
        record,
        "--station",
        "bed-7",
        *step("vitals", *VITALS, *late(t0 + timedelta(minutes=20))),
    ]
    try:
        done = subprocess.run(
            argv, input=f"{PW}\n".encode(), stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert len(done.stderr.decode().splitlines()) <= 1
    assert len(clinical_snapshot(record)) == before + 1


# --- small defects: dose and verify-dose take --at; a new weight from the CLI ---------------


def test_dose_and_verify_dose_take_at_for_a_back_entry(world, tmp_path):
    # a fresh infusion P001/2 needs a second released product: use the world's P001/1 copy
    # instead, whose dose was back-entered at T0+5 and verified at T0+8 (tests/cli_world.py)
    record = copy_world(world[0], tmp_path)
    t0 = world[1]
    import sqlite3

    path = record.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT e.type, e.occurred_at, e.reason FROM events e JOIN streams s "
            "ON s.id = e.stream_id WHERE s.name = 'infusion:P001/1' ORDER BY e.seq"
        ).fetchall()
    kinds = {kind: (occurred, reason) for kind, occurred, reason in rows}
    assert "dose_calculated" in kinds and "dose_verified" in kinds
    assert datetime.fromisoformat(str(kinds["dose_calculated"][0])).replace(
        tzinfo=UTC
    ) == t0 + timedelta(minutes=5)
    assert kinds["dose_verified"][1] == "downtime"


def test_a_dose_back_entered_before_the_weight_was_measured_is_refused(record, t0):
    argv = step("dose", "--final-volume-ml", "100", *late(t0 - timedelta(minutes=1)), user="pharm")
    refused_unchanged(record, argv)


def test_a_new_weight_from_the_command_line(record, t0):
    argv = ["patient", "weight", "--user", "nurse", "--patient", "P001", "--weight-kg", "62.0"]
    result = run_cli(record, [*argv, *late(t0 + timedelta(minutes=30))])
    assert result.code == 0, result.err
    assert "62.0 kg" in result.out
    # the dose was calculated for 63.5 kg: the start is now blocked until it is recalculated
    status = run_cli(record, ["infusion", "status", "P001/1"])
    assert status.code == 0


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--at", "0001-01-01T00:00+00:00"], "at"),
        (["--at", (datetime.now(UTC) + timedelta(hours=2)).isoformat()], "future"),
        (
            ["--at", (datetime.now(UTC) - timedelta(hours=3)).isoformat(), "--reason", "x"],
            "weight on record",
        ),
        (["--at", (datetime.now(UTC) - timedelta(hours=1)).isoformat()], "reason"),
        (["--reason", "a\nb"], "reason"),
    ],
)
def test_a_new_weight_with_a_bad_time_is_refused(record, extra, field):
    argv = ["patient", "weight", "--user", "nurse", "--patient", "P001", "--weight-kg", "62.0"]
    refused_unchanged(record, [*argv, *extra], field)


def test_verify_log_takes_the_same_infusion_references(record):
    by_reference = run_cli(record, ["verify-log", "--infusion", "P001/1"])
    assert by_reference.code == 0, by_reference.err
    assert by_reference.out.startswith("OK: infusion P001/1")
    for reference in ("9" * 25, "P001/²", "P001/9"):
        refused(run_cli(record, ["verify-log", "--infusion", reference]), "infusion")


@pytest.mark.parametrize(
    "changes",
    [
        {"product_id": "UC-MSC-2026-0009\nSIGNED: Phil"},
        {"product_id": "UC-" + "9" * 62},
        {"product_id": "UC-MSC-2026-0009", "lot": "L\x00T"},
        {"product_id": "UC-MSC-2026-0009", "lot": "L" * 65},
    ],
)
def test_a_coa_with_bad_text_is_refused_before_the_database(record, tmp_path, changes):
    import json

    from tests.samples import example_coa

    coa = tmp_path / "coa.json"
    coa.write_text(json.dumps(example_coa(**changes)), encoding="utf-8")
    refused_unchanged(record, ["product", "add", "--user", "pharm", "--coa", str(coa)], "coa.")
