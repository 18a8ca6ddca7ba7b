"""Test-wide set-up: headless Qt and the shipped protocols."""

from __future__ import annotations

import os

# Before any QApplication exists: the suite runs on machines without a display.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pathlib import Path

import pytest

from infusion_app.logic.protocol import Protocol
from infusion_app.logic.protocol_files import load_protocol
from infusion_app.resources import protocols_dir

CART = "ucmsc-cart-cytopenia"
CRC = "msc-l-crc"


@pytest.fixture(scope="session")
def shipped_protocols_dir() -> Path:
    return protocols_dir()


@pytest.fixture(scope="session")
def cart(shipped_protocols_dir: Path) -> Protocol:
    return load_protocol(CART, shipped_protocols_dir)


@pytest.fixture(scope="session")
def crc(shipped_protocols_dir: Path) -> Protocol:
    return load_protocol(CRC, shipped_protocols_dir)


@pytest.fixture
def protocol_variant(tmp_path: Path, shipped_protocols_dir: Path):
    """Write a copy of a shipped protocol with text replaced, into its own folder."""

    def make(protocol_id: str, *replacements: tuple[str, str], name: str | None = None) -> Path:
        text = (shipped_protocols_dir / f"{protocol_id}.toml").read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"test set-up: {old!r} not in {protocol_id}.toml"
            text = text.replace(old, new, 1)
        folder = tmp_path / "protocols"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name or protocol_id}.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return make
