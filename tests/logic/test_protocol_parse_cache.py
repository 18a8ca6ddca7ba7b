"""A protocol file is parsed and validated once per content (issue 18: the site benchmark
found parsing was most of every list's time: each infusion row parsed its protocol again),
and never served stale: a changed file is read again, a broken one is never remembered."""

from __future__ import annotations

import os
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


def _counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    """Every first argument ``owner.name`` is called with from now on, with the parse
    caches emptied."""
    seen: list[object] = []
    original = getattr(owner, name)

    def counted(first: object, *args: object, **kwargs: object) -> object:
        seen.append(first)
        return original(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    protocol_files.forget_parsed()
    return seen


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every full validation of a protocol's data."""
    return _counted(monkeypatch, Protocol, "model_validate")


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


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every read of a protocol file's bytes."""
    return _counted(monkeypatch, protocol_files, "read_input_file")


def _clock_after(monkeypatch: pytest.MonkeyPatch, path: Path, seconds: float) -> None:
    """The file system's clock ``seconds`` after the file's last change."""
    status = path.stat()
    changed = max(status.st_mtime_ns, status.st_ctime_ns)
    monkeypatch.setattr(protocol_files, "_now_ns", lambda: changed + int(seconds * 1e9))


def test_a_settled_unchanged_file_is_not_read_again(
    folder: Path, reads: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = folder / "msc-l-crc.toml"
    _clock_after(monkeypatch, path, 4)  # last changed 4 s ago: settled (3 s)
    first = protocol_files.load_protocol("msc-l-crc", folder)
    for _ in range(3):
        assert protocol_files.load_protocol("msc-l-crc", folder) is first
    assert reads == [path]


def test_a_file_changed_just_now_is_read_every_time(
    folder: Path, reads: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes of the same size within one tick of the file system's clock look alike to
    stat: until its last change is 3 s old, the file is read (its parse still remembered)."""
    path = folder / "msc-l-crc.toml"
    _clock_after(monkeypatch, path, 2.5)
    first = protocol_files.load_protocol("msc-l-crc", folder)
    assert protocol_files.load_protocol("msc-l-crc", folder) is first  # same bytes, same parse
    assert reads == [path, path]


def test_an_edit_of_the_same_size_with_its_time_put_back_is_seen(
    folder: Path, reads: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Size and modified time restored by hand: the change time (which nobody can set) and
    the read tell."""
    path = folder / "msc-l-crc.toml"
    before = path.stat()
    _clock_after(monkeypatch, path, 4)
    first = protocol_files.load_protocol("msc-l-crc", folder)
    text = path.read_text(encoding="utf-8")
    edited = text.replace('version = "', 'version = "9', 1).replace("\n\n", "\n", 1)
    assert len(edited.encode()) == len(text.encode())  # the same size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the old modified time
    _clock_after(monkeypatch, path, 4)
    after = protocol_files.load_protocol("msc-l-crc", folder)
    assert after.version == "9" + first.version
    assert len(reads) == 2
