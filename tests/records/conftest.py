"""The records tests' shared set-up: one whole scripted infusion, a station zone, a PDF reader."""

from __future__ import annotations

from datetime import timedelta, timezone
from io import BytesIO

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
