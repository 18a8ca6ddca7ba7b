"""The records tests' shared set-up: one whole scripted infusion, a station zone, a PDF reader."""

from __future__ import annotations

import os
import stat
from datetime import timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.records.scenario import Scenario, full_infusion

# The Tianjin site's zone: stored times are UTC, the paper shows UTC+08:00
# (so the test clock's 08:00 UTC prints as 16:00).
ZONE = timezone(timedelta(hours=8))


@pytest.fixture
def scenario(ctx, staff, infusion_id, clock) -> Scenario:
    return full_infusion(ctx, staff, infusion_id, clock)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, as a PDF text extractor reads it back."""
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def one_line(text: str) -> str:
    """Extracted text with line breaks and runs of spaces folded, for phrases a table may wrap."""
    return " ".join(text.split())


def make_device(folder: Path) -> Path:
    """A character device like /dev/null (1, 3) in the test's folder; /dev/null itself where
    this user may not make devices (and so could not replace /dev/null either)."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        return Path("/dev/null")
    return node
