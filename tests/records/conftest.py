"""The records tests' shared set-up: one whole scripted infusion, a station zone, a PDF reader."""

from __future__ import annotations

import os
import stat
from datetime import timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from infusion_app.logic.messages import Message
from infusion_app.records import labels
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


class LabelsAsked:
    """Every label a record asked ``Labels`` for in zh_CN, and those it had no Chinese for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    @property
    def untranslated(self) -> set[str]:
        return {
            text
            for text in self.asked
            if text not in labels.ZH_CN and any(c.isalpha() for c in text) and text.isascii()
            and text not in PASSED_AS_IS
        }  # fmt: skip


# what a record hands to Labels that is not a label: printed as it is in either language
PASSED_AS_IS = {"SpO2 %"}  # the chart's series: an abbreviation the wards read as it is


@pytest.fixture
def labels_asked(monkeypatch: pytest.MonkeyPatch) -> LabelsAsked:
    """Labels asked for directly; a message value (Labels.message) is the message table's
    to translate (infusion_app/texts), not a label, and is left out."""
    seen = LabelsAsked()
    original, original_message = labels.Labels.__call__, labels.Labels.message
    in_message = [False]

    def asked(self: labels.Labels, text: str) -> str:
        if self.language == "zh_CN" and not in_message[0]:
            seen.asked.add(text)
        return original(self, text)

    def message(self: labels.Labels, value: Message) -> str:
        in_message[0] = True
        try:
            return original_message(self, value)
        finally:
            in_message[0] = False

    monkeypatch.setattr(labels.Labels, "__call__", asked)
    monkeypatch.setattr(labels.Labels, "message", message)
    return seen
