"""Issue 12 §4, the property for the commands without a store: whatever the arguments and the
CoA file, `calc` and `release-check` end with exit 0, 1 or 2, at most one line on stderr for 2,
never a traceback or "internal error", and quickly."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infusion_app import cli
from tests.samples import example_coa

NUMBERS = st.one_of(
    st.sampled_from(
        [
            "63.5",
            "1e7",
            "-0",
            "0",
            "1e999999999",
            "1e-999999999",
            "1e308",
            "1e-320",
            "٣",
            "６３",
            "6_3.5",
            "NaN",
            "inf",
            "",
            " ",
            "1" * 60,
            "9" * 5000,
            "0x10",
            "+1",
            "-5",
        ]
    ),
    st.text(max_size=8),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
PROTOCOLS = st.one_of(
    st.sampled_from(["ucmsc-cart-cytopenia", "msc-l-crc", "x" * 300, "../etc", "", "UCMSC"]),
    st.text(max_size=10),
)
COA_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    NUMBERS,
    st.sampled_from(["negative", "positive", "pending", "pass", "fail"]),
    st.lists(st.integers(), max_size=3),
)


def run(argv: list[str]) -> tuple[int, str, float]:
    err = io.StringIO()
    started = time.monotonic()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, err.getvalue(), time.monotonic() - started


def check(code: int, err: str, seconds: float) -> None:
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.count("\n") == 1, err
    assert seconds < 5


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    protocol=PROTOCOLS,
    level=st.sampled_from(["A", "1", "Z", "", "٣"]),
    weight=NUMBERS,
    concentration=NUMBERS,
    viability=NUMBERS,
    extra=st.lists(
        st.tuples(
            st.sampled_from(["--final-volume-ml", "--drop-factor", "--bag-volume-ml"]), NUMBERS
        ),
        max_size=2,
    ),
)
def test_calc_never_crashes(protocol, level, weight, concentration, viability, extra) -> None:
    argv = [
        "calc",
        f"--protocol={protocol}",
        f"--dose-level={level}",
        f"--weight-kg={weight}",
        f"--concentration={concentration}",
        f"--viability={viability}",
    ]
    for option, value in extra:
        argv.append(f"{option}={value}")
    check(*run(argv))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    changes=st.dictionaries(
        st.sampled_from(
            [
                "total_cells_per_ml",
                "volume_ml",
                "viability_pct",
                "sterility",
                "endotoxin_eu_per_ml",
                "markers_pct",
                "expires_at",
                "product_id",
                "lot",
                "mycoplasma",
            ]
        ),
        COA_VALUES,
        max_size=4,
    ),
    duplicate=st.booleans(),
    depth=st.sampled_from([0, 3, 17, 1000]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
    as_json=st.booleans(),
)
def test_release_check_never_crashes(changes, duplicate, depth, encoding, as_json) -> None:
    data: dict[str, Any] = example_coa()
    data.update(changes)
    text = json.dumps(data, default=str, ensure_ascii=False)
    if duplicate:
        text = text[:-1] + ', "sterility": "negative"}'
    if depth:
        text = text[:-1] + ', "x": ' + "[" * depth + "]" * depth + "}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "coa.json"
        path.write_bytes(text.encode(encoding, errors="replace"))
        argv = ["release-check", "--protocol", "ucmsc-cart-cytopenia", "--coa", str(path)]
        check(*run([*argv, "--json"] if as_json else argv))


SHIPPED = Path(__file__).resolve().parent.parent / "resources" / "protocols"
CART_TEXT = (SHIPPED / "ucmsc-cart-cytopenia.toml").read_text(encoding="utf-8")
VALUE_SITES = [i for i, line in enumerate(CART_TEXT.splitlines()) if "value = " in line]
TOML_VALUES = st.one_of(
    st.sampled_from(
        [
            "1e999999999",
            "-1e999",
            "1e-999",
            "nan",
            "inf",
            "-0",
            "0",
            "9" * 5000,
            "0x" + "f" * 3000,
            "[" * 3000 + "]" * 3000,
            '"text"',
            "true",
            "1979-05-27",
            "{ min = 1e400, max = 1 }",
            "{ min = 40, max = 30 }",
            "[]",
            "1_000",
        ]
    ),
    st.integers().map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    site=st.sampled_from(VALUE_SITES),
    value=TOML_VALUES,
    encoding=st.sampled_from(["utf-8", "latin-1"]),
)
def test_calc_with_an_edited_protocol_file_never_crashes(site: int, value: str, encoding: str):
    lines = CART_TEXT.splitlines()
    head, _, tail = lines[site].partition("value = ")
    rest = tail.split(",", 1)[1] if "," in tail and not tail.startswith("{") else ""
    lines[site] = f"{head}value = {value}" + (f",{rest}" if rest else " }")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ucmsc-cart-cytopenia.toml"
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding, errors="replace"))
        argv = ["--protocols-dir", folder, "calc", "--protocol", "ucmsc-cart-cytopenia"]
        argv += ["--dose-level", "A", "--weight-kg", "63.5", "--concentration", "1e7"]
        check(*run([*argv, "--viability", "92", "--final-volume-ml", "100"]))
