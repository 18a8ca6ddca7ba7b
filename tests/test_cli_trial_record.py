"""``trial status``, ``trial adjudicate``, ``trial review`` and ``patient enrol``'s deviation
on a record built through the services 60 days ago (so group A's 28-day DLT windows have
closed by the wall-clock now the CLI reads): P001-P003 enrolled in group A of the shipped
``ucmsc-cart-cytopenia`` and infused; P002 has a flagged grade 3 AE not yet adjudicated.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from infusion_app.services import accounts, patient_aes
from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.cli_world import run_cli
from tests.conftest import FAST_HASHER, PASSWORD, make_staff
from tests.fakes import FakeClock
from tests.services.course_steps import enrolled, give, registered

CART = "ucmsc-cart-cytopenia"


@pytest.fixture
def record(tmp_path: Path, dose_finding_rules: Path) -> tuple[str, str]:
    """The record's URL and P002's flagged AE as ``trial status`` names it."""
    url = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=60))
    db = open_database(url, clock())
    ctx = AppContext(
        db=db, station="ward-3", clock=clock, hasher=FAST_HASHER, protocols=dose_finding_rules
    )
    staff = make_staff(ctx)
    accounts.create_user(
        ctx,
        staff.admin,
        "inv2",
        "Iris Investigator",
        "investigator",
        PASSWORD,
        admin_password=PASSWORD,
    )
    for trial_id in ("P001", "P002", "P003"):
        enrolled(ctx, staff, trial_id, CART, "A")
        give(ctx, staff, clock, trial_id, 1)
    clock.advance(days=1)
    values = {
        "term": "Platelet count decreased",
        "grade": 3,
        "attribution": "probable",
        "serious": False,
    }
    ae = patient_aes.record_patient_ae(ctx, staff.nurse, "P002", values)
    assert ae.dlt
    registered(ctx, staff, "P004", CART, "B")
    db.dispose()
    return url, f"patient:P002#{ae.seq}"


def status(url: str) -> dict:
    result = run_cli(url, ["trial", "status", "--protocol", CART, "--json"])
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_adjudicate_then_review_from_the_command_line(record: tuple[str, str]) -> None:
    url, ref = record
    before = status(url)
    assert before["phase"] == "waiting"
    assert [a["ae"] for a in before["awaiting_adjudication"]] == [ref]
    assert "1 DLT flagged, awaiting the investigator's review" in before["waiting"]
    assert "boin_table" not in before

    done = run_cli(
        url,
        [
            *("trial", "adjudicate", "--ae", ref, "--confirm"),
            *("--reason", "no other cause", "--user", "investigator"),
        ],
    )
    assert done.code == 0, done.err
    assert done.out.strip() == f"DLT {ref} confirmed, signed by Ivan Investigator"

    due = status(url)
    assert due["phase"] == "decision_due"
    assert due["decision"]["kind"] == "expand"
    assert due["decision"]["reason"] == "1 DLT in 3 evaluable at A: expand A to 6"
    assert [(c["level"], c["evaluable"], c["dlts"]) for c in due["counts"]] == [
        ("A", 3, 1),
        ("B", 0, 0),
        ("C", 0, 0),
    ]

    stale = run_cli(
        url,
        [
            *("trial", "review", "--protocol", CART, "--user", "investigator"),
            "--decision",
            "escalate",
        ],
    )
    assert stale.code == 2
    assert stale.err.count("\n") == 1
    assert "the rule now says expand, not escalate" in stale.err

    signed = run_cli(
        url,
        [*("trial", "review", "--protocol", CART, "--user", "investigator"), "--comment", "r1"],
    )
    assert signed.code == 0, signed.err
    assert signed.out.strip().startswith("expand signed by Ivan Investigator")
    assert signed.out.strip().endswith("next patients at A")
    after = status(url)
    assert after["phase"] == "waiting" and after["current_level"] == "A"
    assert [r["decision"] for r in after["reviews"]] == ["expand"]

    text = run_cli(url, ["trial", "status", "--protocol", CART])
    assert text.code == 0
    assert "current level: A; waiting" in text.out
    assert "waiting: 0 of 3 enrolled" in text.out


def test_an_enrolment_against_the_rule_needs_the_second_investigator(
    record: tuple[str, str],
) -> None:
    url, _ = record
    enrol = ["patient", "enrol", "--user", "investigator", "--patient", "P004"]
    refused = run_cli(url, [*enrol, "--dose-level", "B"])
    assert refused.code == 2
    assert "the cohort at A has its 3 patients" in refused.err or "enrols at A" in refused.err
    deviation = [
        *enrol,
        *("--dose-level", "B", "--deviation-reason", "sponsor-approved exception"),
        *("--second-user", "inv2"),
    ]
    made = run_cli(url, deviation, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert made.code == 0, made.err
    assert "a deviation from the dose-finding rule, approved by inv2" in made.out
    patients = {p["trial_id"]: p for p in status(url)["patients"]}
    assert patients["P004"]["deviation"] is True and patients["P004"]["level"] == "B"


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["trial", "adjudicate", "--ae", "garbage", "--reject", "--reason", "r"], "--ae: give"),
        (["trial", "adjudicate", "--ae", "product:X#3", "--reject", "--reason", "r"], "--ae:"),
        (["trial", "adjudicate", "--ae", "patient:P002#0", "--reject", "--reason", "r"], "--ae:"),
        (["trial", "status", "--protocol", "no-such-trial"], "no-such-trial"),
    ],
)
def test_bad_input_is_one_line(record: tuple[str, str], argv: list[str], says: str) -> None:
    url, _ = record
    if argv[1] == "adjudicate":
        argv = [*argv, "--user", "investigator"]
    result = run_cli(url, argv)
    assert result.code == 2
    assert result.err.count("\n") == 1 and says in result.err
    assert "Traceback" not in result.err
