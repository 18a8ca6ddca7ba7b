"""The headless bedside commands: a whole infusion back-entered after downtime.

The real clock runs here, so every bedside time is given with ``--at``, counted from T0 =
4 hours ago, with ``--reason``. The plan (100 mL, 20 gtt/mL) is the one worked out in
tests/logic/test_infusion_workflow.py: rate step 15 min after the start.
"""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infusion_app import cli
from tests.samples import example_coa

PW = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'bedside.sqlite3'}"


def run(capsys, monkeypatch, db, *argv: str, stdin: str = f"{PW}\n") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = cli.main(["--db", db, "--station", "bed-7", *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def t0() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=4)


def at(t0: datetime, minutes: int) -> str:
    return (t0 + timedelta(minutes=minutes)).isoformat()


@pytest.fixture
def ready(capsys, monkeypatch, db, tmp_path, t0) -> None:
    """Accounts, patient P001 weighed at T0 and enrolled, a released product, infusion P001/1."""
    steps = [
        (["user", "add", "--username", "admin", "--name", "Ada Admin", "--role", "admin"], 1),
        (
            [
                "user",
                "add",
                "--username",
                "nurse",
                "--name",
                "Nora Nurse",
                "--role",
                "nurse",
                "--by",
                "admin",
                "--no-forced-change",
            ],
            2,
        ),
        (
            [
                "user",
                "add",
                "--username",
                "pharm",
                "--name",
                "Phil Pharmacist",
                "--role",
                "pharmacist",
                "--by",
                "admin",
                "--no-forced-change",
            ],
            2,
        ),
        (
            [
                *("user", "add", "--username", "inv", "--name", "Ivan Investigator"),
                *("--role", "investigator", "--by", "admin", "--no-forced-change"),
            ],
            2,
        ),
    ]
    for argv, lines in steps:
        code, _, err = run(capsys, monkeypatch, db, *argv, stdin=f"{PW}\n" * lines)
        assert code == 0, err
    coa = tmp_path / "coa.json"
    expiry = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    coa.write_text(json.dumps(example_coa(expires_at=expiry)), encoding="utf-8")
    for argv in (
        [
            "patient",
            "add",
            "--user",
            "nurse",
            "--trial-id",
            "P001",
            "--initials",
            "WL",
            "--sex",
            "female",
            "--weight-kg",
            "63.5",
            "--weight-measured-at",
            at(t0, 0),
            "--protocol",
            "ucmsc-cart-cytopenia",
            "--dose-level",
            "B",  # two weekly infusions: a second infusion has a place in the plan
            "--age",
            "54",
        ],
        # enrolled at T0 too (entered now, with its reason): infusion 1 is due from then on
        [
            *("patient", "enrol", "--user", "inv", "--patient", "P001", "--dose-level", "B"),
            *("--at", at(t0, 0), "--reason", "enrolled on paper during the downtime"),
        ],
        ["product", "add", "--user", "pharm", "--coa", str(coa)],
        ["product", "release", "--user", "pharm", "UC-MSC-2026-0001"],
        [
            "infusion",
            "new",
            "--user",
            "nurse",
            "--patient",
            "P001",
            "--product",
            "UC-MSC-2026-0001",
            "--number",
            "1",
        ],
    ):
        code, _out, err = run(capsys, monkeypatch, db, *argv)
        assert code == 0, err


def step(capsys, monkeypatch, db, t0, name, minutes, *extra, user="nurse"):
    return run(
        capsys,
        monkeypatch,
        db,
        "infusion",
        name,
        "P001/1",
        "--user",
        user,
        "--at",
        at(t0, minutes),
        "--reason",
        "back-entry after network downtime",
        *extra,
    )


def status(capsys, monkeypatch, db, t0, minutes) -> dict:
    code, out, err = run(
        capsys, monkeypatch, db, "infusion", "status", "P001/1", "--at", at(t0, minutes), "--json"
    )
    assert code == 0, err
    return json.loads(out)


def test_a_whole_infusion_from_the_command_line(capsys, monkeypatch, db, t0, ready):
    def ok(name, minutes, *extra, user="nurse"):
        code, out, err = step(capsys, monkeypatch, db, t0, name, minutes, *extra, user=user)
        assert code == 0, err
        return out

    code, out, err = run(
        capsys,
        monkeypatch,
        db,
        "infusion",
        "dose",
        "P001/1",
        "--user",
        "pharm",
        "--final-volume-ml",
        "100",
    )
    assert code == 0, err
    code, _, err = run(
        capsys, monkeypatch, db, "infusion", "verify-dose", "P001/1", "--user", "nurse"
    )
    assert code == 0, err
    ok("check", 5, "--wristband", "MSC|P001|WL", "--product", "UC-MSC-2026-0001")
    vitals = ["--temp", "36.8", "--hr", "72", "--bp", "122/76", "--rr", "14", "--spo2", "98"]
    ok("vitals", 6, *vitals)
    ok("premed", 10)
    ok("thaw", 20)
    code, _, err = step(capsys, monkeypatch, db, t0, "start", 25, "--drop-factor", "20")
    # premed at T0+10: start allowed from T0+40; at T0+25 15 min are left
    assert code == 2
    assert "start blocked: 15 min left of the 30 min after dexamethasone" in err
    ok("start", 45, "--drop-factor", "20")
    state = status(capsys, monkeypatch, db, t0, 50)
    due = {item["kind"]: item for item in state["due"]}
    assert (state["step"], state["status"]) == ("slow phase", "running")
    # start T0+45 -> rate step and first vitals at T0+60
    assert due["rate_step"]["due_at"] == due["vitals"]["due_at"] == at(t0, 60)
    ok("rate", 60, "--no-discomfort")
    ok("vitals", 62, *vitals)
    # vitals at T0+62 -> due T0+77, overdue from T0+82
    vitals_due = {i["kind"]: i for i in status(capsys, monkeypatch, db, t0, 81)["due"]}["vitals"]
    assert (vitals_due["due_at"], vitals_due["overdue"], vitals_due["priority"]) == (
        at(t0, 77),
        False,
        "low",
    )
    vitals_due = {i["kind"]: i for i in status(capsys, monkeypatch, db, t0, 82)["due"]}["vitals"]
    assert (vitals_due["overdue"], vitals_due["priority"]) == (True, "medium")
    out = ok(
        "vitals", 77, "--temp", "38.4", "--hr", "96", "--bp", "118/70", "--rr", "18", "--spo2", "97"
    )
    assert (
        "ALARM HIGH: temperature 38.4 °C is outside the alert limits 36.0-37.9 °C: pause "
        "infusion, assess for infusion reaction" in out
    )
    out = ok("ae", 78, "--term", "Fever", "--attribution", "possible")
    # 38.4 °C is 38.0-39.0: CTCAE fever grade 1, suggested and used
    assert status(capsys, monkeypatch, db, t0, 79)["adverse_events"][0]["grade"] == 1
    ok("vitals", 90, *vitals)
    ok("end", 100, "--volume-ml", "100")  # 55 min after the start: inside 30-60
    ok("vitals", 101, *vitals)
    code, _, err = step(capsys, monkeypatch, db, t0, "observe-end", 219)
    assert code == 2 and "1 min left of the 120 min observation" in err
    ok("observe-end", 220)
    final = status(capsys, monkeypatch, db, t0, 221)
    assert (final["step"], final["status"]) == ("done", "observation complete")
    assert final["due"] == []  # the 24-hour check is on the patient's calendar (site day)
    code, out, err = run(capsys, monkeypatch, db, "verify-log", "--infusion", "1")
    assert code == 0, err


def test_back_entry_needs_a_reason_and_the_future_is_refused(capsys, monkeypatch, db, t0, ready):
    code, _, err = run(
        capsys,
        monkeypatch,
        db,
        "infusion",
        "premed",
        "P001/1",
        "--user",
        "nurse",
        "--at",
        at(t0, 10),
    )
    assert code == 2
    assert err.strip().endswith(
        "reason: is required for an event entered more than 5 min after it happened"
    )
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    code, _, err = run(
        capsys, monkeypatch, db, "infusion", "premed", "P001/1", "--user", "nurse", "--at", future
    )
    assert code == 2 and "is in the future" in err


def test_a_wrong_bag_is_a_hard_stop_with_exit_2(capsys, monkeypatch, db, t0, ready):
    code, _, err = step(
        capsys,
        monkeypatch,
        db,
        t0,
        "check",
        5,
        "--trial-id",
        "P001",
        "--initials",
        "WL",
        "--product",
        "UC-MSC-2026-9999",
    )
    assert code == 2
    assert "hard stop: bag UC-MSC-2026-9999 is not this infusion's product" in err
    assert len(err.strip().splitlines()) == 1


def test_status_in_words(capsys, monkeypatch, db, t0, ready):
    code, out, _ = run(capsys, monkeypatch, db, "infusion", "status", "1")
    assert code == 0
    assert out.startswith(
        "infusion 1 (infusion:P001/1), ucmsc-cart-cytopenia v1.5.0: step checks, not started"
    )


# --- issue 12: one bag, one infusion; return and discard; verify-log by reference ----------


def test_a_bag_is_bound_to_one_infusion_only(capsys, monkeypatch, db, ready):
    code, _, err = run(
        capsys,
        monkeypatch,
        db,
        "infusion",
        "new",
        "--user",
        "nurse",
        "--patient",
        "P001",
        "--product",
        "UC-MSC-2026-0001",
        "--number",
        "2",
    )
    assert code == 2
    assert err == (
        "infusion-app infusion: error: product_id: product UC-MSC-2026-0001 belongs to "
        "infusion P001/1 already: one bag, one infusion\n"
    )


def test_return_and_discard_are_signed_with_a_reason(capsys, monkeypatch, db, ready, t0):
    argv = ("product", "return", "--user", "pharm", "UC-MSC-2026-0001")
    code, _, err = run(capsys, monkeypatch, db, *argv)
    assert code == 2 and "--why" in err  # the reason is required
    code, out, err = run(capsys, monkeypatch, db, *argv, "--why", "dose postponed")
    assert (code, out) == (0, "product UC-MSC-2026-0001 returned, signed by Phil Pharmacist\n")
    code, _, err = run(
        capsys, monkeypatch, db, "product", "discard", "--user", "pharm", "UC-MSC-2026-0001",
        "--why", "x",
    )  # fmt: skip
    assert code == 2
    assert "is returned: it cannot be discarded" in err
    # the returned bag stops the bedside check
    code, _, err = step(
        capsys, monkeypatch, db, t0, "check", 5, "--wristband", "MSC|P001|WL", "--product",
        "UC-MSC-2026-0001",
    )  # fmt: skip
    assert code == 2 and "is returned, not released by a pharmacist" in err
    code, out, _ = run(capsys, monkeypatch, db, "verify-log")
    assert code == 0, out


def test_verify_log_takes_the_infusion_reference_and_checks_the_head(
    capsys, monkeypatch, db, ready
):
    code, out, _ = run(capsys, monkeypatch, db, "verify-log", "--infusion", "P001/1")
    assert code == 0 and out.startswith("OK: infusion P001/1 (infusion:P001/1): 1 events")
    head = out.split()[-1]
    # without --infusion the head names its record (the system stream's head is another)
    code, out, _ = run(capsys, monkeypatch, db, "verify-log", "--expect-head", head)
    assert (code, out) == (0, f"OK: infusion:P001/1: 1 events, head {head}\n")
    code, out, _ = run(capsys, monkeypatch, db, "verify-log", "--expect-head", "a" * 64)
    assert code == 1 and out.startswith(f"BROKEN: no record's chain ends in {'a' * 64}")
    for malformed in ("abc", "g" * 64, head + "0"):
        code, out, err = run(capsys, monkeypatch, db, "verify-log", "--expect-head", malformed)
        assert (code, out) == (2, "")
        assert err == (
            "infusion-app verify-log: error: expect-head: must be the 64 hexadecimal digits "
            "printed on the record\n"
        )
    code, _, err = run(capsys, monkeypatch, db, "verify-log", "--infusion", "P001/9")
    assert code == 2 and "patient P001 has no infusion 9" in err


def test_a_row_edited_behind_the_app_is_exit_4_and_reported(capsys, monkeypatch, db, ready):
    path = db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE patients SET weight_kg = '35'")
    code, out, err = run(
        capsys, monkeypatch, db, "infusion", "dose", "P001/1", "--user", "pharm",
        "--final-volume-ml", "100",
    )  # fmt: skip
    assert (code, out) == (4, "")  # integrity (issue 13): 3 is a database that failed, retryable
    assert err == (
        "infusion-app infusion: record integrity: patient P001's weight differs from the log; "
        "nothing done\n"
    )
    code, out, _ = run(capsys, monkeypatch, db, "verify-log")
    assert code == 1
    assert out == "BROKEN: patients: P001's weight differs from the log\n"


def test_a_nursing_note_from_the_command_line(capsys, monkeypatch, db, t0, ready):
    # back-entered at T0+5 with the reason, like every bedside step; the record exists from T0
    code, out, err = step(
        capsys, monkeypatch, db, t0, "note", 5, "--text", "pale, comfortable", "--json"
    )
    assert code == 0, err
    assert json.loads(out)["seq"] == 2  # 1 is the infusion's creation
    with sqlite3.connect(db.removeprefix("sqlite:///")) as con:
        row = con.execute(
            "SELECT type, payload, occurred_at, reason FROM events WHERE type = 'note_added'"
        ).fetchone()
    assert row[:2] == ("note_added", '{"text":"pale, comfortable"}')
    assert datetime.fromisoformat(row[2]).astimezone(UTC) == t0 + timedelta(minutes=5)
    assert row[3] == "back-entry after network downtime"
    # --text is required, and a note is one line of text (exit 2, the field named)
    code, _, err = step(capsys, monkeypatch, db, t0, "note", 6)
    assert code == 2 and "--text" in err
    code, _, err = step(capsys, monkeypatch, db, t0, "note", 6, "--text", "a\tb")
    assert code == 2 and "text: must be one line" in err
