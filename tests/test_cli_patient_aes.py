"""``patient ae``, ``patient sae-reported`` and ``patient dlt-review`` on the command line.

The CLI runs on the real clock, so the record is made first through the services with a fake
clock six hours back: T0 = now - 6 h, when P001 (group A) is registered and enrolled; where a
test needs it, infusion 1 is given from T0 as tests/services/ae_course_steps.py does (start
T0 + 35 min, end T0 + 85 min), so its DLT window runs from T0 + 35 min to 28 days later.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.cli_world import PW, Result, clinical_snapshot, run_cli
from tests.conftest import FAST_HASHER, make_staff, register_p001
from tests.fakes import FakeClock
from tests.services.ae_course_steps import give

NEUTROPENIA = ["--term", "Neutrophil count decreased", "--grade", "3", "--attribution", "possible"]


def made(tmp_path, *, given: bool) -> tuple[str, datetime]:
    url = f"sqlite:///{tmp_path / 'aes.sqlite3'}"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=6))
    t0 = clock()
    db = open_database(url, t0)
    try:
        ctx = AppContext(db=db, station="bed-7", clock=clock, hasher=FAST_HASHER)
        staff = make_staff(ctx)
        register_p001(ctx, staff.nurse, staff.pharmacist, clock, staff.investigator)
        if given:
            give(ctx, staff, clock, 1)
    finally:
        db.dispose()
    return url, t0


@pytest.fixture
def enrolled(tmp_path) -> tuple[str, datetime]:
    return made(tmp_path, given=False)


@pytest.fixture
def treated(tmp_path) -> tuple[str, datetime]:
    return made(tmp_path, given=True)


def at(t0: datetime, minutes: int) -> str:
    return (t0 + timedelta(minutes=minutes)).isoformat()


def ok(record: str, *argv: str) -> dict[str, Any]:
    result = run_cli(record, [*argv, "--json"])
    assert result.code == 0, result
    answer: dict[str, Any] = json.loads(result.out)
    return answer


def refused(record: str, argv: list[str], *fragments: str) -> str:
    """Exit 2, one line naming the rule, and the clinical record exactly as it was."""
    before = clinical_snapshot(record)
    result: Result = run_cli(record, argv)
    assert result.code == 2, result
    lines = result.err.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.err, result.err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert clinical_snapshot(record) == before
    return lines[0]


def patient_payloads(record: str, kind: str) -> list[dict[str, Any]]:
    path = record.removeprefix("sqlite:///")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT e.payload FROM events e JOIN streams s ON s.id = e.stream_id "
            "WHERE s.name = 'patient:P001' AND e.type = ? ORDER BY e.seq",
            (kind,),
        ).fetchall()
    finally:
        connection.close()
    return [json.loads(row[0]) for row in rows]


def test_a_serious_patient_ae_and_its_report(enrolled: tuple[str, datetime]) -> None:
    record, t0 = enrolled
    # began T0 + 30, known T0 + 60: the report is due T0 + 60 + 24 h; no infusion given yet,
    # so no DLT window and no flag
    done = ok(
        record,
        *("patient", "ae", "--user", "nurse", "--patient", "P001", *NEUTROPENIA, "--serious"),
        *("--started-at", at(t0, 30), "--aware-at", at(t0, 60)),
        *("--action", "treatment given", "--outcome", "recovering"),
    )
    assert done["dlt"] is False
    assert datetime.fromisoformat(done["report_due_at"]) == t0 + timedelta(hours=25)
    (stored,) = patient_payloads(record, "adverse_event_recorded")
    assert (stored["term"], stored["grade"], stored["serious"]) == (
        "Neutrophil count decreased",
        3,
        True,
    )
    assert (stored["action_taken"], stored["outcome"]) == ("treatment given", "recovering")

    argv = ["patient", "sae-reported", "--user", "nurse", "--patient", "P001"]
    reported = ok(record, *argv, "--ae", str(done["seq"]))
    assert reported["adverse_event_seq"] == done["seq"]
    assert patient_payloads(record, "sae_reported") == [{"adverse_event_seq": done["seq"]}]
    refused(record, [*argv, "--ae", str(done["seq"])], "reported already")


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["--term", "White blood cell decreased", "--grade", "5"], ("grade", "1-4")),
        (["--term", "Anemia", "--grade", "6"], ("grade", "1-5")),
        (["--term", "Anaemia", "--grade", "2"], ("term", "must be one of")),
    ],
)
def test_a_term_and_grade_ctcae_does_not_define_are_refused(
    enrolled: tuple[str, datetime], argv: list[str], fragments: tuple[str, ...]
) -> None:
    record, _ = enrolled
    base = ["patient", "ae", "--user", "nurse", "--patient", "P001", "--attribution", "possible"]
    refused(record, [*base, *argv], *fragments)


def test_an_ae_before_enrolment_is_refused(enrolled: tuple[str, datetime]) -> None:
    record, t0 = enrolled  # enrolled at T0: an onset at T0 - 1 h is before
    argv = ["patient", "ae", "--user", "nurse", "--patient", "P001", *NEUTROPENIA]
    refused(record, [*argv, "--started-at", at(t0, -60)], "before their enrolment")


def test_a_flagged_dlt_is_reviewed_once_by_an_investigator(treated: tuple[str, datetime]) -> None:
    record, t0 = treated
    argv = ["patient", "ae", "--user", "nurse", "--patient", "P001", *NEUTROPENIA]
    flagged = ok(record, *argv, "--started-at", at(t0, 90))
    assert flagged["dlt"] is True  # grade 3, possibly related, T0 + 90 min inside the window
    low = ok(record, *argv[:-6], "--term", "Anemia", "--grade", "2", "--attribution", "possible")
    assert low["dlt"] is False

    review = ["patient", "dlt-review", "--patient", "P001", "--stream", "patient:P001"]
    why = ["--why", "marrow recovery delayed, no other cause"]
    seq = str(flagged["seq"])
    refused(
        record,
        [*review, "--user", "nurse", "--seq", seq, "--confirm", *why],
        "a nurse may not review a DLT",
    )
    refused(
        record,
        [*review, "--user", "investigator", "--seq", str(low["seq"]), "--reject", *why],
        "not flagged as a DLT",
    )
    result = run_cli(record, [*review, "--user", "investigator", "--seq", seq, "--confirm", *why])
    assert result.code == 0, result
    assert f"DLT patient:P001 #{seq} confirmed" in result.out
    assert "signed by Ivan Investigator" in result.out
    (stored,) = patient_payloads(record, "dlt_reviewed")
    assert stored == {
        "stream": "patient:P001",
        "adverse_event_seq": flagged["seq"],
        "confirmed": True,
        "reason": "marrow recovery delayed, no other cause",
    }
    refused(
        record,
        [*review, "--user", "investigator", "--seq", seq, "--reject", *why],
        "reviewed already (confirmed by investigator",
    )
    # the log, its chain and the projections still agree
    check = run_cli(record, ["verify-log"], stdin="")
    assert check.code == 0, check


def test_a_review_says_confirm_or_reject(enrolled: tuple[str, datetime]) -> None:
    record, _ = enrolled
    argv = ["patient", "dlt-review", "--user", "investigator", "--patient", "P001"]
    argv += ["--stream", "patient:P001", "--seq", "2", "--why", "x"]
    for verdict in ([], ["--confirm", "--reject"]):
        result = run_cli(record, [*argv, *verdict], stdin=f"{PW}\n")
        assert result.code == 2
        assert "--confirm" in result.err
