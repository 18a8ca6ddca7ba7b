"""The outcome commands on the command line: ``patient lab``, ``labs-import``,
``transfusion``, ``last-contact``, ``tumour``, ``progression``, ``death`` and ``response``.

The CLI runs on the real clock, so the record is made through the services with a fake clock
ten days back (T0): P001 on ``msc-l-crc`` (level 1) registered and enrolled, infusion 1 given
from T0 (started T0 + 35 min). Bad input is one line on stderr with exit 2.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from infusion_app.services.context import AppContext
from infusion_app.store.opening import open_database
from tests.cli_world import PW, run_cli
from tests.conftest import FAST_HASHER, make_staff
from tests.fakes import FakeClock
from tests.services.course_steps import enrolled, give


@pytest.fixture
def record(tmp_path: Path) -> tuple[str, datetime]:
    url = f"sqlite:///{tmp_path / 'outcomes.sqlite3'}"
    clock = FakeClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=10))
    t0 = clock()
    db = open_database(url, t0)
    try:
        ctx = AppContext(db=db, station="bed-7", clock=clock, hasher=FAST_HASHER)
        staff = make_staff(ctx)
        enrolled(ctx, staff, "P001", "msc-l-crc", "1")
        give(ctx, staff, clock, "P001", 1)
    finally:
        db.dispose()
    return url, t0


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


def test_counts_typed_and_imported_then_read_back(record, tmp_path: Path) -> None:
    url, t0 = record
    typed = run_cli(
        url,
        [
            *("patient", "lab", "P001", "--user", "nurse", "--hb", "95", "--anc", "0.8"),
            *("--plt", "30", "--at", iso(t0 + timedelta(days=1))),
        ],
    )
    assert typed.code == 0, typed.err
    assert typed.out.startswith("blood count recorded (entry ")
    labs = tmp_path / "labs.csv"
    labs.write_text(
        "time,hb,anc,plt\n"
        f"{iso(t0 + timedelta(days=2))},96,0.9,35\n"
        f"{iso(t0 + timedelta(days=3))},97,1.0,40\n",
        encoding="utf-8",
    )
    imported = run_cli(url, ["patient", "labs-import", "P001", str(labs), "--user", "nurse"])
    assert imported.code == 0, imported.err
    assert imported.out.strip() == "2 blood counts recorded from labs.csv"
    shown = run_cli(url, ["patient", "response", "P001", "--json"])
    assert shown.code == 0, shown.err
    data = json.loads(shown.out)
    assert [(row["hb"], row["source"]) for row in data["labs"]] == [
        ("95", None),
        ("96", "labs.csv"),
        ("97", "labs.csv"),
    ]
    # female limits (Hb LLN 115 g/L): 95 < 100 and >= 80 -> grade 2; ANC 0.8 -> grade 3;
    # PLT 30 < 50 and >= 25 -> grade 3
    assert data["labs"][0]["grades"] == {"hb": 2, "anc": 3, "plt": 3}
    assert data["haematological_response"] is None  # msc-l-crc has no CR/PR rule


def test_tumour_progression_death_and_survival(record) -> None:
    url, t0 = record
    # the first dose's local day (Asia/Shanghai, the protocol's zone) + 5 days
    first_day = (t0 + timedelta(minutes=35)).astimezone(ZoneInfo("Asia/Shanghai")).date()
    day = first_day + timedelta(days=5)
    assessed = run_cli(
        url,
        [
            *("patient", "tumour", "P001", "--user", "investigator", "--response", "SD"),
            *("--at", day.isoformat()),
        ],
    )
    assert assessed.code == 0, assessed.err
    contact = run_cli(
        url, ["patient", "last-contact", "P001", "--user", "nurse", "--at", day.isoformat()]
    )
    assert contact.code == 0, contact.err
    died = run_cli(
        url,
        [
            *("patient", "death", "P001", "--user", "investigator", "--at", day.isoformat()),
            *("--cause", "pulmonary embolism"),
        ],
    )
    assert died.code == 0, died.err
    data = json.loads(run_cli(url, ["patient", "response", "P001", "--json"]).out)
    tumour = data["tumour"]
    assert tumour["best_overall_response"] == "SD"
    assert tumour["cause_of_death"] == "pulmonary embolism"
    assert tumour["os"]["event"] is True and tumour["pfs"]["event"] is True
    assert tumour["os"]["days"] == tumour["pfs"]["days"] == 5  # death: both end there
    text = run_cli(url, ["patient", "response", "P001"])
    assert "best overall response SD" in text.out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["lab", "P001", "--hb", "2500", "--anc", "1", "--plt", "50"], "hb: must be between"),
        (["lab", "P001", "--hb", "95", "--anc", "1", "--plt", "50"], "at"),  # --at missing
        (["transfusion", "P001", "--kind", "plasma", "--units", "1"], "--kind"),
        (["tumour", "P001", "--response", "XX", "--at", "2026-01-01"], "response: must be one"),
        (["progression", "P001", "--at", "2026-13-01"], "at:"),
        (["labs-import", "P001", "/nonexistent/labs.csv"], "file:"),
        (["response", "NOBODY"], "NOBODY"),
    ],
)
def test_bad_input_is_one_line(record, argv: list[str], says: str) -> None:
    url, t0 = record
    if argv[0] == "lab" and "--hb" in argv and argv[2:4] == ["--hb", "2500"]:
        argv = [*argv, "--at", iso(t0 + timedelta(days=1))]
    if argv[0] == "transfusion":
        argv = [*argv, "--at", iso(t0)]
    if argv[0] != "response":
        argv = [*argv, "--user", "investigator"]
    result = run_cli(url, ["patient", *argv], stdin=f"{PW}\n")
    assert result.code == 2, (result.out, result.err)
    assert result.err.count("\n") == 1 and says in result.err, result.err
    assert "Traceback" not in result.err
