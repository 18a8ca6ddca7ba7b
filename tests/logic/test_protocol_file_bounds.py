"""Issue 12 §4, protocol files: unreadable, oversized or unbounded files are one clear line."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from infusion_app.logic.errors import InputError, ProtocolFileError
from infusion_app.logic.protocol_files import (
    MAX_PROTOCOL_BYTES,
    load_catalog,
    load_protocol,
    load_protocol_file,
)
from tests.test_cli import GOOD, run

CART = "ucmsc-cart-cytopenia"


def one_line(error: Exception) -> str:
    text = str(error)
    assert "\n" not in text
    return text


def test_a_latin1_protocol_file_is_one_line(protocol_variant) -> None:
    path = protocol_variant(CART)
    # the Chinese visit names have no latin-1 form: saved by an editor that replaced them
    text = path.read_text(encoding="utf-8").replace("°C", "°C Müller")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    with pytest.raises(ProtocolFileError) as error:  # was UnicodeDecodeError, exit 70
        load_protocol_file(path)
    assert "is not UTF-8 text" in one_line(error.value)
    assert str(path) in str(error.value)


@pytest.mark.parametrize("length", [65, 300, 5000])
def test_an_overlong_protocol_id_is_refused_before_it_names_a_file(
    shipped_protocols_dir: Path, length: int
) -> None:
    # 300 characters: "File name too long" from the OS, exit 70
    with pytest.raises(InputError) as error:
        load_protocol("a" * length, shipped_protocols_dir)
    assert error.value.field == "protocol"
    assert "at most 64 characters" in one_line(error.value)


@pytest.mark.parametrize("name", ["../ucmsc-cart-cytopenia", "UCMSC", "msc l", "٣", "", "-x"])
def test_a_protocol_id_is_plain_lower_case(shipped_protocols_dir: Path, name: str) -> None:
    with pytest.raises(InputError) as error:
        load_protocol(name, shipped_protocols_dir)
    assert error.value.field == "protocol"


def test_calc_with_a_300_character_protocol_is_exit_2(capsys) -> None:
    code, _out, err = run(capsys, "calc", "--protocol", "p" * 300, "--dose-level", "A", *GOOD)
    assert code == 2
    assert err.count("\n") == 1 and "error: protocol: must be at most 64 characters" in err


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('title = "', 'title = "' + "T" * 300, "title"),
        ('version = "1.5.0"', 'version = "1.1.' + "0" * 30 + '"', "version"),
        ('version = "1.5.0"', 'version = "١.١.٠"', "version"),
    ],
)
def test_names_in_a_protocol_file_are_bounded(protocol_variant, old: str, new: str, field: str):
    path = protocol_variant(CART, (old, new))
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert error.value.field == field
    assert len(one_line(error.value)) < 400


def test_a_protocol_fifo_or_oversized_file_is_refused_not_waited_for(tmp_path: Path) -> None:
    folder = tmp_path / "protocols"
    folder.mkdir()
    os.mkfifo(folder / "fifo-protocol.toml")
    (folder / "big-protocol.toml").write_bytes(b"#" * (MAX_PROTOCOL_BYTES + 1) + b"\n")
    catalog = load_catalog(folder)
    assert catalog.protocols == []
    problems = sorted(one_line(e) for e in catalog.errors)
    assert "bytes" in problems[0] and "big-protocol.toml" in problems[0]
    assert "not a regular file" in problems[1] and "fifo-protocol.toml" in problems[1]


def test_a_folder_named_like_a_protocol_is_refused(tmp_path: Path) -> None:
    (tmp_path / f"{CART}.toml").mkdir()
    with pytest.raises(ProtocolFileError, match="is a folder"):
        load_protocol(CART, tmp_path)


def test_the_content_digest_is_that_of_the_bytes_read(shipped_protocols_dir: Path) -> None:
    path = shipped_protocols_dir / f"{CART}.toml"
    protocol = load_protocol(CART, shipped_protocols_dir)
    assert protocol.content_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        # would overflow the dose arithmetic (exit 70): refused as the file is read
        ("dose_cells_per_kg = { value = 2e6", "dose_cells_per_kg = { value = 2e999999", "2e999999"),
        ("dose_cells_per_kg = { value = 2e6", "dose_cells_per_kg = { value = 2e-999", "2e-999"),
        ("max = 37.9 }", "max = 1e400 }", "1e400"),
    ],
)
def test_protocol_floats_are_of_a_sane_size(protocol_variant, old: str, new: str, problem: str):
    path = protocol_variant(CART, (old, new))
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert f"has a number out of any clinical range: {problem}" in one_line(error.value)


def test_protocol_counts_are_bounded(protocol_variant) -> None:
    # timedelta(minutes=10**18) overflows at the bedside
    old = "post_thaw_limit_min = { value = 120"
    path = protocol_variant(CART, (old, "post_thaw_limit_min = { value = 10000000"))
    with pytest.raises(ProtocolFileError) as error:
        load_protocol_file(path)
    assert error.value.field == "infusion.post_thaw_limit_min.value"
    assert "less than or equal to 1000000" in one_line(error.value)


def test_a_deeply_nested_protocol_file_is_one_line(protocol_variant) -> None:
    path = protocol_variant(CART)
    path.write_text(
        path.read_text(encoding="utf-8") + "\nx = " + "[" * 5000 + "]" * 5000 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ProtocolFileError, match="nests arrays or tables too deeply"):
        load_protocol_file(path)


@pytest.mark.parametrize("value", ["9" * 5000, "0x" + "f" * 5000])
def test_protocol_integers_of_thousands_of_digits_are_one_line(protocol_variant, value: str):
    old = "post_thaw_limit_min = { value = 120"
    path = protocol_variant(CART, (old, f"post_thaw_limit_min = {{ value = {value}"))
    with pytest.raises(ProtocolFileError) as error:  # int conversion limit: exit 70
        load_protocol_file(path)
    assert len(one_line(error.value)) < 400


def test_a_float_of_huge_exponent_in_a_whole_number_field_is_refused_at_once(protocol_variant):
    # pydantic turned Decimal("1e999999999") into a billion-digit int: calc hung
    import time

    old = "post_thaw_limit_min = { value = 120"
    path = protocol_variant(CART, (old, "post_thaw_limit_min = { value = 1e999999999"))
    started = time.monotonic()
    with pytest.raises(ProtocolFileError, match="out of any clinical range: 1e999999999"):
        load_protocol_file(path)
    assert time.monotonic() - started < 1
