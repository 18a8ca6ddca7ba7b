"""Issue 12 §4 through the CLI: bad numbers and input files end in one line naming the field
(exit 2), never "internal error" (exit 70), never a hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.samples import example_coa
from tests.test_cli import CALC, run

CONC = ["--weight-kg", "63.5", "--viability", "92"]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([*CONC, "--concentration", "1e-999999999"], "total_cells_per_ml"),  # was exit 70
        ([*CONC, "--concentration", "1e999999999"], "total_cells_per_ml"),
        ([*CONC, "--concentration", "1e308"], "total_cells_per_ml"),
        ([*CONC, "--concentration", "9999"], "total_cells_per_ml"),  # the CoA's lower bound
        ([*CONC, "--concentration", "1e-320"], "total_cells_per_ml"),
        (["--weight-kg", "٦٣.٥", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "６３.５", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "6_3.5", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "63.5", "--concentration", "1e7", "--viability", "9_2"], "viability_pct"),
    ],
)
def test_calc_refuses_numbers_that_are_not_plain_or_sane(capsys, args, field: str) -> None:
    code, out, err = run(capsys, *CALC, *args)
    assert code == 2, err
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"infusion-app calc: error: {field}: ")


def cli_process(*argv: str) -> subprocess.CompletedProcess[str]:
    """The real entry point in a child process, so a hang fails the test instead of the run."""
    script = Path(sys.executable).with_name("infusion-app")
    return subprocess.run([script, *argv], capture_output=True, text=True, timeout=60)


def assert_one_line(result: subprocess.CompletedProcess[str], field: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"error: {field}" in result.stderr


@pytest.mark.parametrize("command", ["release-check", "calc"])
def test_coa_from_dev_zero_or_a_fifo_is_refused_at_once(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "coa.fifo"
    os.mkfifo(fifo)
    extra = ["--dose-level", "A", "--weight-kg", "63.5"] if command == "calc" else []
    for path in ("/dev/zero", str(fifo)):  # /dev/zero hung `product add`
        result = cli_process(command, "--protocol", "ucmsc-cart-cytopenia", *extra, "--coa", path)
        assert_one_line(result, "coa")
        assert "not a regular file" in result.stderr


def test_oversized_latin1_and_duplicate_key_coa_files(capsys, tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps(example_coa(comment="x" * 70_000)), encoding="utf-8")
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(example_coa(lot="Müller"), ensure_ascii=False).encode("latin-1"))
    twice = tmp_path / "twice.json"
    twice.write_text(
        json.dumps(example_coa())[:-1] + ', "sterility": "positive", "sterility": "negative"}',
        encoding="utf-8",
    )
    for path, field, rule in (
        (big, "coa", "bytes"),
        (latin, "coa", "not UTF-8"),
        (twice, "coa.sterility", "more than once"),
    ):
        code, out, err = run(
            capsys, "release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", str(path)
        )
        assert code == 2, err  # the duplicate was RELEASABLE (exit 0)
        assert out == ""
        assert err.count("\n") == 1 and f"error: {field}: " in err and rule in err


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"station = 5\n", "station: must be text in quotes"),
        ('station = "Müller"\n'.encode("latin-1"), "is not UTF-8 text"),
        (b"[security]\nlockout_minutes = 99999999999\n", "lockout_minutes: must be 5-1440"),
        (b"[security]\nmax_failed_logins = 1000000\n", "max_failed_logins: must be 1-10"),
    ],
)
def test_a_bad_config_file_is_one_line_for_every_store_command(
    capsys, monkeypatch, tmp_path: Path, content: bytes, rule: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(content)
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(config))
    code, out, err = run(capsys, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "user", "list")
    assert out == ""
    assert code == 2, err
    assert err.count("\n") == 1 and rule in err and str(config) in err
    assert not (tmp_path / "x.sqlite3").exists()  # refused before the store was touched


@pytest.mark.parametrize("typed", ["٣", "１", "1_0", "1.0", "9" * 30])
@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["infusion", "new", "--user", "n", "--patient", "P001", "--product", "X"], "--number"),
        (["infusion", "correct", "P001/1", "--user", "n", "--reason", "typo"], "--seq"),
        (["infusion", "start", "P001/1", "--user", "n"], "--drop-factor"),
        (["infusion", "sae-reported", "P001/1", "--user", "n"], "--ae"),
    ],
)
def test_whole_numbers_are_ascii_digits_only(
    capsys, tmp_path: Path, argv: list[str], option: str, typed: str
) -> None:
    # int() takes '٣' as 3 and '1_0' as 10: infusion 3 or entry 10 would have been acted on
    code, out, err = run(
        capsys, "--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", *argv, option, typed
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"argument {option}: must be a whole number" in err or "at most 20 digits" in err
