"""The investigator's course commands on the CLI: ``patient enrol``, ``patient level`` and
``patient end-treatment``, with right and wrong input. A wrong one ends in one line naming
the field or the rule, exit 2, and leaves the record exactly as it was."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.cli_world import Result, build_world, clinical_snapshot, copy_world, run_cli
from tests.samples import example_coa


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """P001 enrolled in group A with infusion 1 (tests/cli_world.py), and P002 registered
    (group C) but not enrolled."""
    record, t0 = build_world(tmp_path_factory.mktemp("world"))
    added = run_cli(
        f"sqlite:///{record}",
        [
            *("patient", "add", "--user", "nurse", "--trial-id", "P002", "--initials", "ZY"),
            *("--sex", "male", "--weight-kg", "70", "--age", "61"),
            *("--weight-measured-at", t0.isoformat(), "--protocol", "ucmsc-cart-cytopenia"),
            *("--dose-level", "C"),
        ],
    )
    assert added.code == 0, added.err
    return record, t0


@pytest.fixture
def db_url(world, tmp_path: Path) -> str:
    return copy_world(world[0], tmp_path)


def enrol(db_url: str, *extra: str, patient: str = "P002", level: str = "C") -> Result:
    return run_cli(
        db_url,
        ["patient", "enrol", "--user", "inv", "--patient", patient, "--dose-level", level, *extra],
    )


def level(db_url: str, *extra: str, patient: str = "P002") -> Result:
    return run_cli(db_url, ["patient", "level", "--user", "inv", "--patient", patient, *extra])


def end(db_url: str, *extra: str, patient: str = "P002", user: str = "inv") -> Result:
    return run_cli(
        db_url, ["patient", "end-treatment", "--user", user, "--patient", patient, *extra]
    )


def refused(result: Result, starts: str) -> None:
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    assert result.err.startswith(starts), result.err


def test_enrol_change_the_level_and_end_the_treatment(db_url: str) -> None:
    done = enrol(db_url)
    assert (done.code, done.out) == (
        0,
        "patient P002 enrolled at C, signed by Ivan Investigator\n",
    )
    changed = level(db_url, "--to", "B", "--from-infusion", "1", "--why", "platelets low")
    assert (changed.code, changed.out) == (
        0,
        "patient P002: infusions from 1 on at B, signed by Ivan Investigator\n",
    )
    ended = end(db_url, "--why", "withdrawal", "--json")
    assert ended.code == 0
    assert json.loads(ended.out) == {"patient": "P002", "done": "end-treatment"}


@pytest.mark.parametrize(
    ("command", "starts"),
    [
        # unknown level: the known ones are named
        (
            lambda url: enrol(url, level="D"),
            "infusion-app patient: error: dose_level: 'D' is not a dose level of "
            "ucmsc-cart-cytopenia v1.5.0 (known: A, B, C)",
        ),
        (
            lambda url: enrol(url, patient="P999"),
            "infusion-app patient: error: trial_id: no patient",
        ),
        (
            lambda url: enrol(url, "--at", "yesterday"),
            "infusion-app patient: error: at: must be an ISO 8601 time with its UTC offset",
        ),
        (
            lambda url: enrol(url, patient="P001", level="A"),
            "infusion-app patient: error: patient P001 was enrolled already",
        ),
        (
            lambda url: run_cli(
                url,
                ["patient", "enrol", "--user", "nurse", "--patient", "P002", "--dose-level", "C"],
            ),
            "infusion-app patient: error: a nurse may not enrol a patient",
        ),
        (
            lambda url: level(url, "--to", "C", "--from-infusion", "2", patient="P001"),
            "infusion-app patient level: error: the following arguments are required: --why",
        ),
        (
            lambda url: level(
                url, "--to", "C", "--from-infusion", "1", "--why", "x", patient="P001"
            ),
            "infusion-app patient: error: infusion 1 of patient P001 exists already: a level "
            "change applies from infusion 2 on",
        ),
        (
            lambda url: level(
                url, "--to", "Z", "--from-infusion", "2", "--why", "x", patient="P001"
            ),
            "infusion-app patient: error: dose_level: 'Z' is not a dose level",
        ),
        (
            lambda url: level(url, "--to", "B", "--from-infusion", "1", "--why", "x"),
            "infusion-app patient: error: patient P002 is not enrolled",
        ),
        (
            lambda url: level(
                url, "--to", "B", "--from-infusion", "0", "--why", "x", patient="P001"
            ),
            "infusion-app patient level: error: argument --from-infusion: must be a whole "
            "number 1-999, got 0",
        ),
        (
            lambda url: end(url, "--why", "bored", patient="P001"),
            "infusion-app patient: error: reason: must be one of completed, toxicity, "
            "progression, withdrawal, death, other, got 'bored'",
        ),
        (
            lambda url: end(url, "--why", "other", patient="P001"),
            "infusion-app patient: error: details: say what the other reason is",
        ),
        (
            lambda url: end(
                url, "--why", "completed", "--at", "2026-13-01T08:00+08:00", patient="P001"
            ),
            "infusion-app patient: error: at: ",
        ),
        (
            lambda url: end(url, patient="P001"),
            "infusion-app patient end-treatment: error: the following arguments are required: "
            "--why",
        ),
        (
            lambda url: end(url, "--why", "completed", patient="P001", user="nurse"),
            "infusion-app patient: error: a nurse may not end a treatment",
        ),
    ],
)
def test_wrong_input_is_one_line_exit_2_and_nothing_written(db_url: str, command, starts) -> None:
    before = clinical_snapshot(db_url)
    refused(command(db_url), starts)
    assert clinical_snapshot(db_url) == before


def test_a_time_before_the_patient_was_registered_or_in_the_future_is_refused(
    db_url: str, world
) -> None:
    t0 = world[1]
    before = clinical_snapshot(db_url)
    too_early = (t0 - timedelta(hours=1)).isoformat()
    refused(
        enrol(db_url, "--at", too_early, "--reason", "paper"), "infusion-app patient: error: at: "
    )
    future = (t0 + timedelta(days=2)).isoformat()
    refused(enrol(db_url, "--at", future), "infusion-app patient: error: at: ")
    assert clinical_snapshot(db_url) == before


def test_a_level_change_past_the_next_infusion_or_the_new_groups_count_is_one_line(
    db_url: str, tmp_path: Path, world
) -> None:
    """P002 enrolled in group C with infusion 1 created: the next infusion is 2. From 3 is
    past it; to group A from 2 is past A's one infusion. Each is one line, exit 2, nothing
    signed; C -> B from 2 is signed."""
    assert enrol(db_url).code == 0
    expiry = (world[1] + timedelta(days=60)).isoformat()
    coa = tmp_path / "coa.json"
    bag = "UC-MSC-2026-0002"
    coa.write_text(
        json.dumps(example_coa(product_id=bag, patient_id="P002", expires_at=expiry)),
        encoding="utf-8",
    )
    for argv in (
        ["product", "add", "--user", "pharm", "--coa", str(coa)],
        ["product", "release", "--user", "pharm", bag],
        [
            *("infusion", "new", "--user", "nurse", "--patient", "P002"),
            *("--product", bag, "--number", "1"),
        ],
    ):
        made = run_cli(db_url, argv)
        assert made.code == 0, made.err
    before = clinical_snapshot(db_url)
    refused(
        level(db_url, "--to", "B", "--from-infusion", "3", "--why", "platelets low"),
        "infusion-app patient: error: the next infusion of patient P002 is number 2: a level "
        "change applies from it, not from infusion 3\n",
    )
    refused(
        level(db_url, "--to", "A", "--from-infusion", "2", "--why", "one is enough"),
        "infusion-app patient: error: group A plans 1 infusion: infusion 2 of patient P002 "
        "cannot be given at it (to give no more infusions, end the treatment)\n",
    )
    assert clinical_snapshot(db_url) == before
    changed = level(db_url, "--to", "B", "--from-infusion", "2", "--why", "platelets low")
    assert (changed.code, changed.out) == (
        0,
        "patient P002: infusions from 2 on at B, signed by Ivan Investigator\n",
    )
