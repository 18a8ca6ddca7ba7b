"""``infusion-app response-check``: the record-free haematological response calculator
(issue 16), through ``infusion_app.cli.main``: the issue's JSON shape, the text form, and
one line with exit 2 for every bad input (never a traceback, never exit 70)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infusion_app import cli
from infusion_app.cli.response_check import parse_zone
from infusion_app.logic.errors import InputError
from tests.test_cli import run

FIRST = "2026-03-02T08:00+08:00"
# Baseline 70/0.2/15 the day before; CR on days 10 and 12 (48 h apart), every lineage's PR
# too; day 42 ANC 1.4 < 1.5 ends the CR (32 days after day 10, an event) while ANC 1.4 >= 0.7
# keeps the PR. Week 4 (2026-03-30): CR; week 8 (2026-04-27): PR, best CR.
LABS = """time,hb,anc,plt
2026-03-01T08:00+08:00,70,0.2,15
2026-03-12T08:00+08:00,105,1.6,110
2026-03-14T08:00+08:00,105,1.6,110
2026-04-13T08:00+08:00,105,1.4,110
"""
EXPECTED = {
    "baseline": {"hb": "70", "anc": "0.2", "plt": "15"},
    "week_4": {"date": "2026-03-30", "status": "CR", "best": "CR"},
    "week_8": {"date": "2026-04-27", "status": "PR", "best": "CR"},
    "time_to_response_days": {"hb": 10, "anc": 10, "plt": 10, "cr": 10},
    "duration_of_response": {
        "start": "2026-03-12T08:00:00+08:00",
        "end": "2026-04-13T08:00:00+08:00",
        "days": 32,
        "event": True,
    },
}


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def check(capsys, labs: str, *extra: str, last: str = FIRST) -> tuple[int, str, str]:
    return run(
        capsys,
        "response-check",
        "--first-infusion",
        FIRST,
        "--last-infusion",
        last,
        "--labs",
        labs,
        *extra,
    )


def check_json(capsys, labs: str, *extra: str, last: str = FIRST) -> dict[str, Any]:
    code, out, err = check(capsys, labs, *extra, "--json", last=last)
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_has_exactly_the_issues_shape(capsys, tmp_path: Path) -> None:
    assert check_json(capsys, write(tmp_path, "labs.csv", LABS)) == EXPECTED


def test_text_form(capsys, tmp_path: Path) -> None:
    code, out, err = check(capsys, write(tmp_path, "labs.csv", LABS))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "baseline: Hb 70 g/L, ANC 0.2 ×10^9/L, PLT 15 ×10^9/L",
        "week 4 (2026-03-30): CR (best CR)",
        "week 8 (2026-04-27): PR (best CR)",
        "time to response: Hb 10 days, ANC 10 days, PLT 10 days, CR 10 days",
        "duration of response: 32 days, 2026-03-12T08:00:00+08:00 to "
        "2026-04-13T08:00:00+08:00 (ended)",
    ]


def test_no_response_is_null_everywhere(capsys, tmp_path: Path) -> None:
    labs = write(tmp_path, "labs.csv", "time,hb,anc,plt\n2026-03-05T08:00+08:00,70,0.2,15\n")
    data = check_json(capsys, labs)
    assert data["baseline"] == {"hb": None, "anc": None, "plt": None}
    assert data["week_4"] == {"date": "2026-03-30", "status": "none", "best": "none"}
    assert data["time_to_response_days"] == {"hb": None, "anc": None, "plt": None, "cr": None}
    assert data["duration_of_response"] == {
        "start": None, "end": None, "days": None, "event": None,
    }  # fmt: skip
    code, out, _ = check(capsys, labs)
    assert code == 0 and "duration of response: no response" in out


def test_a_transfusion_voids_the_pair(capsys, tmp_path: Path) -> None:
    # red cells on 2026-03-06 08:00 (day 4): within 7 days before the day-10 test -> the
    # pair (10, 12) is voided. (12, 42): day 42 fails CR (ANC 1.4) but meets every PR rise,
    # and the transfusion is 8 days before day 12: PR achieved day 12 (2026-03-14) on every
    # lineage, confirmed only on day 42: week 4 none, week 8 PR; no CR at all.
    labs = write(tmp_path, "labs.csv", LABS)
    tx = write(tmp_path, "tx.csv", "time,kind,units\n2026-03-06T08:00+08:00,rbc,2\n")
    data = check_json(capsys, labs, "--transfusions", tx)
    assert data["time_to_response_days"] == {"hb": 12, "anc": 12, "plt": 12, "cr": None}
    assert data["week_4"]["status"] == "none"  # confirmed only on day 42
    assert data["week_8"] == {"date": "2026-04-27", "status": "PR", "best": "PR"}


def test_at_and_zone(capsys, tmp_path: Path) -> None:
    labs = write(tmp_path, "labs.csv", LABS)
    # at the day-11 moment only the day-10 test is known: nothing confirmed yet
    early = check_json(capsys, labs, "--at", "2026-03-13T08:00+08:00")
    assert early["time_to_response_days"]["cr"] is None
    # in UTC the same moments fall on other local days only near midnight; here the times
    # print in UTC and the days stay
    utc = check_json(capsys, labs, "--zone", "UTC")
    assert utc["duration_of_response"]["start"] == "2026-03-12T00:00:00+00:00"
    assert utc["time_to_response_days"]["cr"] == 10
    # far west, 08:00 at +08:00 is the evening before: the last infusion's local day is
    # 2026-03-01, so week 4 is 2026-03-29
    west = check_json(capsys, labs, "--zone", "America/Los_Angeles")
    assert west["week_4"]["date"] == "2026-03-29"


@pytest.mark.parametrize(
    ("labs", "extra", "line"),
    [
        (
            "time,hb,anc,plt\n2026-03-01T08:00+08:00,70,-1,15\n2026-03-02T08:00+08:00,2500,1,1\n",
            (),
            "{labs} row 2: anc: must be between 0 and 100 ×10^9/L, got -1 (and 1 more)",
        ),
        ("time,hb,anc\n", (), "{labs}: lacks the column plt"),
        ("", (), "{labs}: is empty: give a header (time,hb,anc,plt) and rows"),
        (LABS, ("--at", "yesterday"), "--at: must be an ISO 8601 time with its UTC offset, "
         "e.g. 2026-11-21T08:35+08:00, got 'yesterday'"),
        (LABS, ("--zone", "Mars/Olympus"), "--zone: 'Mars/Olympus' is not a time zone: give an "
         "IANA name (Asia/Shanghai) or +08:00"),
        (LABS, ("--transfusions", "/nonexistent/tx.csv"),
         "--transfusions: /nonexistent/tx.csv does not exist"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path: Path, labs, extra, line) -> None:
    path = write(tmp_path, "labs.csv", labs)
    code, out, err = check(capsys, path, *extra)
    assert (code, out) == (2, "")
    assert err == f"infusion-app response-check: error: {line.format(labs=path)}\n"


def test_last_before_first_and_a_folder(capsys, tmp_path: Path) -> None:
    labs = write(tmp_path, "labs.csv", LABS)
    code, _, err = check(capsys, labs, last="2026-03-01T08:00+08:00")
    assert code == 2 and "--last-infusion: is before --first-infusion" in err
    code, _, err = check(capsys, str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_a_large_file_is_refused_before_it_is_read(capsys, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"time,hb,anc,plt\n" + b"x" * (3 * 1024 * 1024))
    code, _, err = check(capsys, str(path))
    assert code == 2 and "at most 2097152 bytes are read" in err


def test_parse_zone() -> None:
    assert parse_zone("z", "+08:00").utcoffset(None).total_seconds() == 8 * 3600  # type: ignore[union-attr]
    assert parse_zone("z", "-0330").utcoffset(None).total_seconds() == -3.5 * 3600  # type: ignore[union-attr]
    assert str(parse_zone("z", "Asia/Shanghai")) == "Asia/Shanghai"
    for bad in ("+15:00", "/etc/localtime", "", "Asia/../Shanghai", "x" * 100):
        with pytest.raises(InputError):
            parse_zone("z", bad)


CSV_PIECES = st.sampled_from(
    ["time", "hb", "anc", "plt", "wbc", "lym", ",", "\n", '"', "2026-03-12T08:00+08:00",
     "2026-03-14T08:00+08:00", "2026-03-01T08:00Z", "105", "1.6", "0.2", "-1", "", "1e9", "NaN",
     "\x00", "\ufeff", "٣", "\r"]
)  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=200), st.lists(CSV_PIECES, max_size=40).map("".join)))
def test_arbitrary_csv_text_is_an_answer_or_one_input_error(capsys, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        labs = Path(folder) / "labs.csv"
        labs.write_text(text, encoding="utf-8", errors="surrogatepass")
        tx = Path(folder) / "tx.csv"
        tx.write_text(text.replace("hb,anc,plt", "kind"), encoding="utf-8", errors="surrogatepass")
        for extra in ((), ("--transfusions", str(tx))):
            capsys.readouterr()
            try:
                code = cli.main(
                    ["response-check", "--first-infusion", FIRST, "--last-infusion", FIRST,
                     "--labs", str(labs), *extra, "--json"]
                )  # fmt: skip
            except SystemExit as exit_:
                code = int(exit_.code or 0)
            out, err = capsys.readouterr()
            assert code in (0, 2), err
            if code == 2:
                assert out == "" and err.count("\n") == 1 and ": error: " in err
            else:
                assert set(json.loads(out)) >= {"baseline", "week_4", "week_8"}
