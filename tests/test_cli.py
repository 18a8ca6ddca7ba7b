"""The headless CLI: output, JSON shape and exit codes (0 ok, 1 not releasable, 2 bad input)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infusion_app import cli
from tests.samples import example_coa

CALC = ["calc", "--protocol", "ucmsc-cart-cytopenia", "--dose-level", "A"]
GOOD = ["--weight-kg", "63.5", "--concentration", "1.0e7", "--viability", "92.0"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse usage errors and --version
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def write_coa(tmp_path: Path, **changes) -> str:
    path = tmp_path / "coa.json"
    path.write_text(json.dumps(example_coa(**changes)), encoding="utf-8")
    return str(path)


def test_calc_json(capsys) -> None:
    code, out, err = run(capsys, *CALC, *GOOD, "--final-volume-ml", "100", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    # 63.5 × 2e6 = 1.27e8; / 9.2e6 = 13.80 -> 13.8 mL; × 9.2e6 = 1.2696e8; -0.03 %
    assert result["target_cells"] == 127_000_000
    assert result["product_volume_ml"] == 13.8
    assert result["delivered_cells"] == 126_960_000
    assert result["dose_deviation_pct"] == -0.03
    assert result["final_volume_ml"] == 100
    assert result["protocol"] == "ucmsc-cart-cytopenia v1.5.0"
    # 100 mL: 15 mL at 20 gtt/min, then 85 mL at 40 gtt/min for 42.5 min; 57.5 min in all
    assert result["drip_plan"] == [
        {
            "phase": 1,
            "rate_gtt_per_min": 20,
            "rate_ml_per_min": 1,
            "rate_ml_per_h": 60,
            "start_min": 0,
            "duration_min": 15,
            "volume_ml": 15,
        },
        {
            "phase": 2,
            "rate_gtt_per_min": 40,
            "rate_ml_per_min": 2,
            "rate_ml_per_h": 120,
            "start_min": 15,
            "duration_min": 42.5,
            "volume_ml": 85,
        },
    ]
    assert result["expected_duration_min"] == 57.5
    assert result["warnings"] == []


def test_calc_text_shows_the_working(capsys) -> None:
    code, out, _ = run(capsys, *CALC, *GOOD, "--final-volume-ml", "100")
    assert code == 0
    assert "ucmsc-cart-cytopenia v1.5.0" in out
    assert "× 63.5 kg = 1.27 × 10^8 cells" in out
    assert "Product volume  13.8 mL" in out
    assert "-0.03% from target" in out
    assert "phase 2  min 15.0–57.5: 40 gtt/min" in out


def test_calc_lists_warnings_and_still_prints_the_result(capsys) -> None:
    code, out, _ = run(
        capsys, *CALC, "--weight-kg", "25", "--concentration", "1e7", "--viability", "100", "--json"
    )
    assert code == 0
    result = json.loads(out)
    assert result["product_volume_ml"] == 5  # 25 kg × 2e6 / 1e7 = 5.0 mL
    assert {w["code"] for w in result["warnings"]} == {
        "weight_outside_usual_range",
        "shorter_than_min_duration",
    }


def test_calc_from_a_coa_file(capsys, tmp_path: Path) -> None:
    coa = write_coa(tmp_path, volume_ml=10)
    # the CoA's 20 mL bag is replaced by a 10 mL one: 13.8 mL cannot come out of it
    code, _, err = run(capsys, *CALC, "--weight-kg", "63.5", "--coa", coa)
    assert code == 2
    assert err == (
        "infusion-app calc: error: product_volume_ml: 13.8 mL is needed but the product bag "
        "holds only 10 mL\n"
    )
    code, out, _ = run(capsys, *CALC, "--weight-kg", "63.5", "--coa", write_coa(tmp_path), "--json")
    assert code == 0
    assert json.loads(out)["product_volume_ml"] == 13.8


def test_drop_factor_option(capsys) -> None:
    code, out, _ = run(
        capsys, *CALC, *GOOD, "--final-volume-ml", "40", "--drop-factor", "60", "--json"
    )
    assert code == 0
    result = json.loads(out)
    # 300 gtt / 60 gtt/mL = 5 mL; 35 mL × 60 = 2100 gtt / 45 min = 46.7 -> 47 gtt/min
    assert result["drop_factor_gtt_per_ml"] == 60
    assert [p["rate_gtt_per_min"] for p in result["drip_plan"]] == [20, 47]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--weight-kg", "0", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "-70", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "NaN", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "inf", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "abc", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "1e12", "--concentration", "1e7", "--viability", "92"], "weight_kg"),
        (["--weight-kg", "70", "--concentration", "0", "--viability", "92"], "total_cells_per_ml"),
        # argparse reads "-1e7" as an option name; "=-1e7" is how a negative value is typed
        (["--weight-kg", "70", "--concentration=-1e7", "--viability", "92"], "total_cells_per_ml"),
        (["--weight-kg", "70", "--concentration", "1e7", "--viability", "101"], "viability_pct"),
        (
            [
                "--weight-kg",
                "70",
                "--concentration",
                "1e7",
                "--viability",
                "92",
                "--drop-factor",
                "0",
            ],
            "drop_factor_gtt_per_ml",
        ),
        (["--weight-kg", "70", "--concentration", "1e7"], "viability"),
        (
            ["--weight-kg", "70", "--concentration", "1e7", "--viability", "92", "--coa", "x.json"],
            "concentration",
        ),
    ],
)
def test_calc_bad_input_is_one_line_naming_the_field(capsys, args, field: str) -> None:
    code, out, err = run(capsys, *CALC, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and field in err
    assert "Traceback" not in err


def test_unknown_protocol_and_dose_level(capsys) -> None:
    code, _, err = run(capsys, "calc", "--protocol", "nope", "--dose-level", "A", *GOOD)
    assert code == 2 and err.startswith("infusion-app calc: error: protocol: 'nope'")
    code, _, err = run(capsys, "calc", "--protocol", "msc-l-crc", "--dose-level", "A", *GOOD)
    assert code == 2 and "dose_level: 'A' is not a dose level of msc-l-crc v1.5.0" in err


def test_missing_option_is_one_line(capsys) -> None:
    code, _, err = run(capsys, *CALC)
    assert code == 2
    assert err.count("\n") == 1 and "--weight-kg" in err


AT = ["--at", "2026-11-21T08:00:00+00:00"]


def release_check(capsys, coa_path: str, *extra: str) -> tuple[int, str, str]:
    return run(
        capsys, "release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", coa_path, *extra
    )


def test_release_check_releasable(capsys, tmp_path: Path) -> None:
    code, out, _ = release_check(capsys, write_coa(tmp_path), *AT, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["verdict"] == "RELEASABLE"
    assert len(result["criteria"]) == 14
    viability = result["criteria"][0]
    assert (viability["name"], viability["value"], viability["limit"], viability["result"]) == (
        "Viability",
        "92.0%",
        ">= 85%",
        "pass",
    )


def test_release_check_not_releasable_and_incomplete_exit_1(capsys, tmp_path: Path) -> None:
    code, out, _ = release_check(capsys, write_coa(tmp_path, viability_pct=84.9), *AT)
    assert code == 1
    assert "NOT_RELEASABLE" in out and "FAIL" in out
    code, out, _ = release_check(capsys, write_coa(tmp_path, mycoplasma="pending"), *AT, "--json")
    assert code == 1
    assert json.loads(out)["verdict"] == "INCOMPLETE"
    # after expiry (2026-12-31 23:59 +08:00) the same product is not releasable
    code, out, _ = release_check(
        capsys, write_coa(tmp_path), "--at", "2027-01-01T00:00:00+08:00", "--json"
    )
    assert code == 1 and json.loads(out)["verdict"] == "NOT_RELEASABLE"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('{"product_id": "X"', "coa"),
        (json.dumps(example_coa(viability_pct=150)), "coa.viability_pct"),
        (json.dumps(example_coa(sterility="unknown")), "coa.sterility"),
        (b"\xff\xfe\x00", "coa"),
    ],
)
def test_release_check_malformed_coa(capsys, tmp_path: Path, content, field: str) -> None:
    path = tmp_path / "coa.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "release-check", "--protocol", "msc-l-crc", "--coa", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert f"error: {field}" in err


def test_release_check_missing_file_and_bad_time(capsys, tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "release-check", "--protocol", "msc-l-crc", "--coa", str(tmp_path / "none.json")
    )
    assert code == 2 and "error: coa: " in err and "none.json does not exist" in err
    code, _, err = run(
        capsys,
        "release-check",
        "--protocol",
        "msc-l-crc",
        "--coa",
        write_coa(tmp_path),
        "--at",
        "2026-11-21T08:00",
    )
    assert code == 2 and "at: must include a UTC offset" in err


def test_protocols_lists_versions(capsys) -> None:
    code, out, _ = run(capsys, "protocols")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["msc-l-crc", "v1.5.0"]
    assert lines[1].split()[:2] == ["ucmsc-cart-cytopenia", "v1.5.0"]
    code, out, _ = run(capsys, "protocols", "--json")
    assert [(p["id"], p["version"]) for p in json.loads(out)["protocols"]] == [
        ("msc-l-crc", "1.5.0"),
        ("ucmsc-cart-cytopenia", "1.5.0"),
    ]


def test_broken_protocol_file_is_reported(capsys, protocol_variant) -> None:
    path = protocol_variant(
        "ucmsc-cart-cytopenia", ("tolerance_pct = { value = 10,", "tolerance_pct = { value = -1,")
    )
    code, _, err = run(capsys, "--protocols-dir", str(path.parent), "protocols")
    assert code == 2
    assert f"{path}: dosing.tolerance_pct.value: Input should be greater than 0" in err
    code, _, err = run(capsys, "--protocols-dir", str(path.parent), *CALC, *GOOD)
    assert code == 2 and err.count("\n") == 1 and "dosing.tolerance_pct.value" in err


def test_no_command_opens_the_window(monkeypatch) -> None:
    opened = []
    import infusion_app.ui.app as app

    monkeypatch.setattr(
        app,
        "run_app",
        lambda db, station, protocols, zone: opened.append((db, station, protocols, zone)) or 0,
    )
    assert cli.main([]) == 0
    assert cli.main(["--db", "sqlite:///x.sqlite3", "--station", "bed-4"]) == 0
    # --protocols-dir reaches the window too (it was dropped before issue 13)
    assert cli.main(["--protocols-dir", "/trial/protocols", "--db", "sqlite:///y.sqlite3"]) == 0
    # and the station's time zone (issue 17): checked when the record opens, as the config's
    assert cli.main(["--time-zone", "Asia/Shanghai"]) == 0
    assert opened == [
        (None, None, None, None),
        ("sqlite:///x.sqlite3", "bed-4", None, None),
        ("sqlite:///y.sqlite3", None, Path("/trial/protocols"), None),
        (None, None, None, "Asia/Shanghai"),
    ]


def test_bug_is_one_line_not_a_traceback(capsys, monkeypatch, tmp_path) -> None:
    def broken(*_args):
        raise ZeroDivisionError("boom")

    monkeypatch.delenv("INFUSION_APP_DEBUG", raising=False)
    monkeypatch.setenv("INFUSION_APP_LOG_DIR", str(tmp_path))
    monkeypatch.setitem(cli._HANDLERS, "protocols", broken)
    code, _, err = run(capsys, "protocols")
    assert code == 70
    log = tmp_path / "infusion-app.log"
    assert err == (
        f"infusion-app protocols: internal error (ZeroDivisionError), details in {log}, "
        "nothing was saved; please report it\n"
    )
    assert "Traceback" in log.read_text(encoding="utf-8")  # the traceback went to the log


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed entry point, in a real process: exit codes and stderr as a user sees them."""
    script = Path(sys.executable).with_name("infusion-app")
    env = os.environ | {"PYTHONIOENCODING": "ascii"}  # a non-UTF-8 console must not crash
    ok = subprocess.run([script, *CALC, *GOOD], capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert "13.8 mL" in ok.stdout
    bad = subprocess.run(
        [script, *CALC, "--weight-kg", "x", "--concentration", "1e7", "--viability", "92"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr == (
        "infusion-app calc: error: weight_kg: must be a number written with the digits 0-9, "
        "got 'x'\n"
    )
    module = subprocess.run(
        [sys.executable, "-m", "infusion_app", "protocols"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert module.returncode == 0 and "ucmsc-cart-cytopenia" in module.stdout
