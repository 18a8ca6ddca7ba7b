"""The last classes of issue 12, section 4, found by ``benchmarks/bad_input_totals.py`` after
the sections were merged: file names and filters that are not one printable line. Each was
an internal error (exit 70) or silently taken; each is now one line naming the field, exit 2,
with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.samples import example_coa
from tests.test_cli import CALC
from tests.test_cli import run as run_plain
from tests.test_cli_records import db, printed, run  # noqa: F401  (db is a fixture)

FORGED = "P001\r\nSIGNED: Ada Admin"  # a line of its own in a list or a printout
SEPARATOR = "a\u2028b"  # Unicode's line separator: the same forgery, in one character


@pytest.mark.parametrize(
    "argv",
    [
        [*CALC, "--weight-kg", "63.5", "--coa", "a\x00b"],
        ["release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", "a\x00b"],
    ],
)
def test_a_nul_in_a_coa_path_is_one_line(capsys, argv: list[str]) -> None:
    code, out, err = run_plain(capsys, *argv)  # was: ValueError, embedded null byte, exit 70
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "coa: a file name cannot hold a NUL character" in err


@pytest.mark.parametrize("field", ["product_id", "patient_id", "lot"])
def test_a_coa_whose_ids_hold_a_line_break_is_refused(capsys, tmp_path: Path, field) -> None:
    coa = example_coa()
    coa[field] = FORGED
    path = tmp_path / "coa.json"
    path.write_text(json.dumps(coa, default=str), encoding="utf-8")
    code, out, err = run_plain(
        capsys, "release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", str(path)
    )
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and field in err and "one line of printable text" in err


@pytest.mark.parametrize(
    ("patient", "rule"),
    [
        (FORGED, "U+000D"),
        (SEPARATOR, "U+2028"),
        ("a\x00b", "U+0000"),
        ("P" * 65, "64"),
    ],
)
def test_the_log_refuses_a_patient_filter_that_is_not_a_trial_id(
    capsys, monkeypatch, db, tmp_path: Path, patient: str, rule: str  # noqa: F811
) -> None:
    target = tmp_path / "log.pdf"
    code, _, err = run(
        capsys, monkeypatch, db, "log", "--patient", patient, "-o", str(target), "--user",
        "monitor",
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1
    assert "patient:" in err and rule in err
    assert not target.exists() and printed(db) == []


@pytest.mark.parametrize("command", ["record", "export"])
def test_an_output_name_with_a_line_separator_is_refused(
    capsys, monkeypatch, db, tmp_path: Path, command: str  # noqa: F811
) -> None:
    target = tmp_path / SEPARATOR
    extra = ["--format", "csv"] if command == "export" else []
    code, _, err = run(
        capsys, monkeypatch, db, command, "P001/1", *extra, "-o", str(target), "--user",
        "monitor",
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "U+2028" in err
    assert not target.exists() and printed(db) == []


@pytest.mark.parametrize(
    "name",
    ["a\x00b", "x" * 300, "P001\r\nSIGNED", SEPARATOR],
)
def test_a_backup_name_no_file_can_have_is_one_line(
    capsys, monkeypatch, db, tmp_path: Path, name: str  # noqa: F811
) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run(capsys, monkeypatch, db, "db", "backup", str(tmp_path / name))
    assert (code, out) == (2, ""), err  # NUL and 300 characters were exit 70
    assert err.count("\n") == 1 and "output:" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before
