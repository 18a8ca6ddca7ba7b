"""``trial summary`` on a record built through the services 60 days before the wall clock the
CLI reads (tests/services/summary_world.py: P001 and P002 in group A, infused; P003 in B).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from infusion_app.services.context import AppContext
from infusion_app.store.models import Event
from infusion_app.store.opening import open_database
from tests.cli_world import run_cli
from tests.conftest import FAST_HASHER, make_staff
from tests.fakes import FakeClock
from tests.services.summary_world import CART, scripted_trial

SUMMARY = ["trial", "summary", "--protocol", CART]


@pytest.fixture
def record(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'summary.sqlite3'}"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=60))
    db = open_database(url, clock())
    ctx = AppContext(db=db, station="ward-3", clock=clock, hasher=FAST_HASHER)
    scripted_trial(ctx, make_staff(ctx), clock)
    db.dispose()
    return url


def printed(url: str) -> list[str]:
    db = open_database(url, datetime.now(UTC))
    try:
        with db.read() as session:
            return list(
                session.execute(select(Event.payload).where(Event.type == "record_printed"))
                .scalars()
                .all()
            )
    finally:
        db.dispose()


def test_the_json_shape(record: str) -> None:
    result = run_cli(record, [*SUMMARY, "--json", "--user", "monitor"])
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) == {
        "protocol",
        "label",
        "data_cut",
        "read_at",
        "patients",
        "levels",
        "overall",
        "heads",
        "heads_digest",
        "written",
    }
    assert data["protocol"] == CART and data["patients"] == ["P001", "P002", "P003"]
    assert datetime.fromisoformat(data["data_cut"]).tzinfo is not None
    assert [g["level"] for g in data["levels"]] == ["A", "B", "C"]
    a = data["levels"][0]
    assert (a["enrolled"], a["treated"], a["infusions_planned"], a["infusions_given"]) == (
        2,
        2,
        2,
        2,
    )
    assert a["dlt"] == {"count": 1, "of": 2, "rate": 0.5}
    assert a["related_ae"] == [
        {
            "term": "Platelet count decreased",
            "patients": 1,
            "worst_grade": 3,
            "by_worst_grade": {"3": 1},
        }
    ]
    haem = a["haematological_response"]
    week4 = haem["weeks"][0]
    assert week4["week"] == 4 and week4["or"] == {"count": 1, "of": 2, "rate": 0.5}
    assert haem["time_to_response_days"]["plt"] == {"achieved": 1, "median": 2.0}
    assert set(haem["duration_of_response"]) == {
        "responders",
        "n",
        "events",
        "censored",
        "median_days",
        "ci_lower_days",
        "ci_upper_days",
    }
    assert a["tumour_response"] is None
    assert data["levels"][2]["dlt"] == {"count": 0, "of": 0, "rate": None}
    assert data["overall"]["level"] == "all" and data["overall"]["enrolled"] == 3
    assert {h["stream"] for h in data["heads"]} >= {"patient:P001", "patient:P003"}
    assert len(data["heads_digest"]) == 64 and data["written"] is None
    assert printed(record) == []  # nothing put out: nothing audited


def test_text_output(record: str) -> None:
    result = run_cli(record, [*SUMMARY, "--user", "investigator"])
    assert result.code == 0, result.err
    assert "ucmsc-cart-cytopenia v1.5.0: trial summary, data cut" in result.out
    assert "A: week 4: CR 0/2 (0.0 %), PR 1/2 (50.0 %), OR 1/2 (50.0 %)" in result.out
    assert "A: related AE Platelet count decreased: 1 patients, worst grade 3" in result.out


@pytest.mark.parametrize("suffix", ["pdf", "csv"])
def test_a_saved_summary_is_audited(record: str, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"summary.{suffix}"
    result = run_cli(record, [*SUMMARY, "-o", str(target), "--json", "--user", "monitor"])
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["written"] == str(target) and target.exists()
    (entry,) = printed(record)
    assert data["heads_digest"] in entry
    if suffix == "pdf":
        assert target.read_bytes().startswith(b"%PDF")
    else:
        assert target.read_text().startswith("protocol,level,metric,")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        ([*SUMMARY, "-o", "summary.txt", "--user", "monitor"], "output: must end in .pdf or .csv"),
        (["trial", "summary", "--protocol", "no-such-trial", "--user", "monitor"], "no-such-trial"),
        ([*SUMMARY, "--user", "nurse"], "may not"),
        ([*SUMMARY, "--user", "nobody"], "the username or password is wrong"),
    ],
)
def test_bad_input_is_one_line(record: str, tmp_path: Path, argv: list[str], says: str) -> None:
    argv = [str(tmp_path / a) if a == "summary.txt" else a for a in argv]
    result = run_cli(record, argv)
    assert result.code == 2, (result.code, result.err)
    assert result.err.count("\n") == 1 and says in result.err
    assert "Traceback" not in result.err
    assert printed(record) == []
