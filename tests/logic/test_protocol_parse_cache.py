"""A protocol file is parsed and validated once per content (issue 18: the site benchmark
found parsing was most of every list's time: each infusion row parsed its protocol again),
and never served stale: a changed file is read again, a broken one is never remembered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from infusion_app.logic import protocol_files
from infusion_app.logic.errors import ProtocolFileError
from infusion_app.logic.protocol import Protocol
from infusion_app.resources import protocols_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(protocols_dir() / "msc-l-crc.toml", tmp_path / "msc-l-crc.toml")
    return tmp_path


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every full validation of a protocol's data."""
    seen: list[object] = []
    validate = Protocol.model_validate

    def counted(data: object, *args: object, **kwargs: object) -> Protocol:
        seen.append(data)
        return validate(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Protocol, "model_validate", counted)
    protocol_files.forget_parsed()
    return seen


def test_the_same_content_is_parsed_once(folder: Path, validations: list[object]) -> None:
    first = protocol_files.load_protocol("msc-l-crc", folder)
    again = protocol_files.load_protocol("msc-l-crc", folder)
    assert again is first and len(validations) == 1
    assert first.content_sha256 is not None


def test_a_changed_file_is_read_again(folder: Path, validations: list[object]) -> None:
    path = folder / "msc-l-crc.toml"
    before = protocol_files.load_protocol("msc-l-crc", folder)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('version = "', 'version = "9', 1), encoding="utf-8")
    after = protocol_files.load_protocol("msc-l-crc", folder)
    assert after.version == "9" + before.version  # the new content, not the remembered one
    assert after.content_sha256 != before.content_sha256 and len(validations) == 2
    path.write_text(text, encoding="utf-8")  # back as it was: its parse is remembered
    assert protocol_files.load_protocol("msc-l-crc", folder) is before
    assert len(validations) == 2


def test_a_broken_file_is_refused_every_time(folder: Path, validations: list[object]) -> None:
    path = folder / "msc-l-crc.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("[design]", "[design]\nx = 1"))
    for _ in range(2):
        with pytest.raises(ProtocolFileError, match="x"):
            protocol_files.load_protocol("msc-l-crc", folder)
    assert len(validations) == 2


def test_the_same_content_under_another_name_is_checked_against_that_name(
    folder: Path, validations: list[object]
) -> None:
    """The file name must match the protocol's id: a copy under another name is refused even
    though its content was parsed before."""
    protocol_files.load_protocol("msc-l-crc", folder)
    shutil.copy(folder / "msc-l-crc.toml", folder / "other-trial.toml")
    with pytest.raises(ProtocolFileError, match="must match the file name"):
        protocol_files.load_protocol("other-trial", folder)
