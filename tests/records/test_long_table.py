"""A table that grows with the record (the summary's appendix of streams, the site log's
infusions, a course's calendar) is handed to reportlab a page at a time.

reportlab splits a long table at each page break by building a new table of every row left,
so a 3,450-row appendix over 67 pages laid its rows out about 34 times each (1.4 s of the
summary PDF at a million events). These tests hold the paged table to the plain one's output
(the same pages, every row once and in order, the header at the top of each page) and count
the rows reportlab is given, so the quadratic cost cannot come back unseen.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable, Table

from infusion_app.records import pages
from infusion_app.records.pages import HEADING, PageHeader, build_pdf, long_table, para, table

HEADER = ["Stream", "Last entry read", "Head hash"]
SHARES = (0.4, 0.2, 0.4)


def _rows(n: int) -> list[list[str]]:
    """Rows of one line, with every seventh wrapping over several lines and every eleventh
    in Chinese (a Paragraph in the CJK font), as the site's records have."""
    out = []
    for i in range(n):
        hash_text = "ab12cd34ef56ab12cd34…"
        if i % 7 == 3:
            hash_text += " and a reason typed at the bedside that wraps" * 4
        name = f"row-{i:05d}" + (" 输液记录" if i % 11 == 5 else "")
        out.append([name, f"#{i % 40}", hash_text])
    return out


def _pdf(make: Any, rows: list[list[str]], *, before: list[Flowable] | None = None) -> bytes:
    width = pages.text_width("a4")
    story = [*(before or []), make(HEADER, rows, [width * s for s in SHARES]), para("The end.")]
    return build_pdf(story, PageHeader(("Paged table",), "Page {page} of {pages}"))


def _page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _rows_on(text: str) -> list[int]:
    return [int(word[4:9]) for word in text.split() if word.startswith("row-")]


@pytest.mark.parametrize("n", [1, 80, 81, 130, 700])
def test_the_paged_table_prints_what_the_plain_one_prints(n: int) -> None:
    rows = _rows(n)
    plain = _page_texts(_pdf(table, rows))
    paged = _page_texts(_pdf(long_table, rows))
    assert len(paged) == len(plain)
    # Each page holds the same rows as the plain table's page, so the breaks fall where
    # reportlab's own did: the paged table only saves the re-splitting.
    assert [_rows_on(t) for t in paged] == [_rows_on(t) for t in plain]
    on_pages = [r for t in paged for r in _rows_on(t)]
    assert on_pages == list(range(n))
    for text in paged:
        if _rows_on(text):
            # The header heads every page the table runs onto, once, above its first row.
            assert text.count("Last entry read") == 1
            assert text.index("Last entry read") < text.index("row-")
    assert "The end." in paged[-1]


def test_a_table_starting_low_on_a_page_and_after_a_kept_heading() -> None:
    # 52 short paragraphs push the table to the foot of page 1 (about 600 of 680 points),
    # and a heading kept with what follows goes with it. (Made afresh for each build:
    # reportlab clears a flowable's keepWithNext once it has handled it.)
    def before() -> list[Flowable]:
        return [*(para(f"line {i}") for i in range(52)), para("Appendix", HEADING)]

    rows = _rows(200)
    plain = _page_texts(_pdf(table, rows, before=before()))
    paged = _page_texts(_pdf(long_table, rows, before=before()))
    assert [_rows_on(t) for t in paged] == [_rows_on(t) for t in plain]
    assert [("Appendix" in t) for t in paged] == [("Appendix" in t) for t in plain]
    assert [r for t in paged for r in _rows_on(t)] == list(range(200))


class _Counting(Table):
    """reportlab's table, counting the rows each one is built with."""

    built = 0

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        _Counting.built += len(data)
        super().__init__(data, *args, **kwargs)


def _rows_built(monkeypatch: pytest.MonkeyPatch, make: Any, n: int) -> int:
    import reportlab.platypus.tables as tables

    _Counting.built = 0
    monkeypatch.setattr(pages, "Table", _Counting)
    monkeypatch.setattr(tables, "Table", _Counting)  # reportlab's own split builds these
    _pdf(make, _rows(n))
    return _Counting.built


def test_each_row_is_laid_out_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    n = 2_000
    # The plain table, about 50 rows a page over 40-odd pages, rebuilds what is left at each
    # break: about n x pages / 2, far above n (the count sees the quadratic cost).
    assert _rows_built(monkeypatch, table, n) > 10 * n
    # The paged one builds each page's table from at most one page of rows, twice (the rows
    # tried and the part that fits), plus a header per table: under 3 n.
    assert _rows_built(monkeypatch, long_table, n) < 3 * n


def test_a_short_list_is_one_plain_table() -> None:
    width = pages.text_width("a4")
    limit = pages.PagedTable.CHUNK
    assert isinstance(long_table(HEADER, _rows(limit), [width * s for s in SHARES]), Table)
    longer = long_table(HEADER, _rows(limit + 1), [width * s for s in SHARES])
    assert isinstance(longer, pages.PagedTable)


def test_reportlab_runs_with_its_c_accelerator() -> None:
    """Installed with the app (pyproject): reportlab's pure-Python fallbacks for number
    formatting and font widths were a quarter of the site log's and the summary's printing."""
    from reportlab.lib import rl_accel

    for name in ("fp_str", "asciiBase85Encode", "unicode2T1", "instanceStringWidthT1"):
        assert not getattr(rl_accel, name).__module__.startswith("reportlab"), name
