"""The paper every record and log is printed on: size, margins, styles, tables, and a header on
every page ending in "Page X of Y".

The total page count is known only when the last page is laid out, so the canvas keeps each
finished page and draws the headers at save time (the usual reportlab two-step). Documents are
built ``invariant``: no creation date or random ID in the file, so the same content gives the
same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from itertools import groupby
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from infusion_app.records.fonts import (
    CJK,
    LATIN,
    LATIN_BOLD,
    LATIN_ITALIC,
    markup,
    needs_cjk,
    register_fonts,
)

PAPERS = {"a4": A4, "letter": LETTER}
MARGIN = 14 * mm
HEADER_HEIGHT = 21 * mm
CELL_SIZE = 7.5
CELL_PADDING = 3

BODY = ParagraphStyle("body", fontName=LATIN, fontSize=8.5, leading=11, alignment=TA_LEFT)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=CELL_SIZE, leading=9)
CELL_HEAD = ParagraphStyle("cell-head", parent=CELL, fontName=LATIN_BOLD)
NOTE = ParagraphStyle("note", parent=CELL, fontName=LATIN_ITALIC, textColor=colors.HexColor("#444"))
TITLE = ParagraphStyle("title", parent=BODY, fontName=LATIN_BOLD, fontSize=14, leading=18)
HEADING = ParagraphStyle(
    "heading",
    parent=BODY,
    fontName=LATIN_BOLD,
    fontSize=10.5,
    leading=14,
    spaceBefore=8,
    spaceAfter=3,
    keepWithNext=1,
)
MONO = ParagraphStyle("mono", parent=CELL, fontName="Courier", fontSize=7.5)

GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), LATIN, CELL_SIZE),
        ("FONT", (0, 0), (-1, 0), LATIN_BOLD, CELL_SIZE),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e8ee")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8a93a0")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)
# Key/value tables: the first column is the label.
FACTS = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), LATIN, CELL_SIZE),
        ("FONT", (0, 0), (0, -1), LATIN_BOLD, CELL_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#c5cad3")),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
)


def paper_size(paper: str, *, wide: bool = False) -> tuple[float, float]:
    try:
        size = PAPERS[paper.lower()]
    except KeyError:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}") from None
    return landscape(size) if wide else size


def text_width(paper: str, *, wide: bool = False) -> float:
    return paper_size(paper, wide=wide)[0] - 2 * MARGIN


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(markup(text), style)


def cell(text: str, width: float, style: ParagraphStyle = CELL) -> str | Paragraph:
    """A table cell: plain text where it fits on one line (cheap to lay out), else a wrapping
    Paragraph. Text needing the CJK font is always a Paragraph."""
    if (
        "\n" not in text
        and not needs_cjk(text)
        and stringWidth(text, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING
    ):
        return text
    return Paragraph(markup(text).replace("\n", "<br/>"), style)


def table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    style: TableStyle = GRID,
) -> Table:
    """A table that repeats its header row on every page it runs onto."""
    return _table(header is not None, _cells(header, rows, widths), widths, style)


def _cells(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
) -> list[list[Any]]:
    data: list[list[Any]] = []
    if header is not None:
        data.append([cell(h, w, CELL_HEAD) for h, w in zip(header, widths, strict=True)])
    for row in rows:
        data.append(
            [
                cell(value, w) if isinstance(value, str) else value
                for value, w in zip(row, widths, strict=True)
            ]
        )
    return data


def _table(
    headed: bool, data: list[list[Any]], widths: Sequence[float], style: TableStyle
) -> Table:
    return Table(
        data,
        colWidths=list(widths),
        repeatRows=1 if headed else 0,
        style=style,
        hAlign="LEFT",
    )


# One row of a grid is at least one line of cell text and its padding: the most rows a frame
# of a given height can hold, so a page's chunk is laid out from that many rows at most.
_MIN_ROW = CELL.leading + 1.5 + 2


def long_table(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str | Flowable]],
    widths: Sequence[float],
    style: TableStyle = GRID,
) -> Flowable:
    """A table whose rows grow with the record (a stream per patient, an infusion per row).

    reportlab splits a long table at each page by building a new table of all the rows left,
    so a table of n rows over p pages costs n x p. This one hands reportlab a table of only
    the rows that can fit the space left, its header repeated on each page, and keeps the
    rest for the next: linear in the rows, the same pages. Styles must not name body rows.
    """
    if len(rows) <= PagedTable.CHUNK:
        return table(header, rows, widths, style)
    cells = _cells(header, rows, widths)
    headed = 1 if header is not None else 0
    return PagedTable(cells[:headed], cells[headed:], widths, style)


class PagedTable(Flowable):
    """The rows of :func:`long_table` not yet laid out; see there for why."""

    # Longer than this, a table is laid out a page at a time: more rows than an A4 frame holds.
    CHUNK = 80

    def __init__(
        self,
        head: list[list[Any]],
        body: list[list[Any]],
        widths: Sequence[float],
        style: TableStyle,
    ) -> None:
        super().__init__()
        self._head = head  # the header row's cells, or none
        self._body = body  # made once (see _cells), whatever the pages
        self._widths = widths
        self._style = style
        self._whole: Table | None = None
        self.hAlign = "LEFT"

    def _table(self, body: list[list[Any]]) -> Table:
        return _table(bool(self._head), [*self._head, *body], self._widths, self._style)

    @staticmethod
    def _fitting(height: float) -> int:
        """The most rows ``height`` can hold, each at the least height a row can have."""
        return max(1, int(height // _MIN_ROW) + 1)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if len(self._body) <= self._fitting(availHeight):
            self._whole = self._table(self._body)
            return self._whole.wrap(availWidth, availHeight)
        # More rows than can fit, whatever their height: a height that says so without laying
        # them all out (each row is at least _MIN_ROW).
        self._whole = None
        return sum(self._widths), len(self._body) * _MIN_ROW

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        tried = self._body[: self._fitting(availHeight)]
        first = self._table(tried)
        parts: list[Flowable] = first.split(availWidth, availHeight)
        if not parts:
            return []  # not even one row fits here: the frame moves on and asks again
        # Unless all fit, reportlab's first part is a new table: the header and the rows that fit.
        laid: list[Any] = getattr(parts[0], "_cellvalues")  # noqa: B009  (reportlab's own)
        done = len(laid) - len(self._head)
        rest = self._body[done:]
        if not rest:
            return [parts[0]]
        return [parts[0], PagedTable(self._head, rest, self._widths, self._style)]

    def draw(self) -> None:
        assert self._whole is not None, "drawn without a wrap that fits"
        self._whole.drawOn(self.canv, 0, 0)


def facts(
    rows: Sequence[tuple[str, str | Flowable]], width: float, label_share: float = 0.3
) -> Table:
    widths = [width * label_share, width * (1 - label_share)]
    return table(None, [list(r) for r in rows], widths, FACTS)


@dataclass(frozen=True)
class PageHeader:
    """What heads every page: the left lines identify the record, the right one the page.

    ``page_text`` is a format with ``{page}`` and ``{pages}``, e.g. "Page {page} of {pages}".
    """

    lines: tuple[str, ...]
    page_text: str
    footer: str = ""


def build_pdf(
    flowables: list[Flowable],
    header: PageHeader,
    *,
    paper: str = "a4",
    wide: bool = False,
    title: str = "",
    author: str = "",
) -> bytes:
    register_fonts()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=paper_size(paper, wide=wide),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + 4 * mm,
        title=title,
        author=author,
        creator="infusion-app",
        invariant=1,
    )
    doc.build(flowables, canvasmaker=_numbered_canvas(header, doc.pagesize))
    return buffer.getvalue()


def _numbered_canvas(header: PageHeader, pagesize: tuple[float, float]) -> Callable[..., Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]  # reportlab's page reset

        def save(self) -> None:
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                _draw_header(self, header, pagesize, self.getPageNumber(), total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_header(
    canvas: Canvas, header: PageHeader, pagesize: tuple[float, float], page: int, pages: int
) -> None:
    width, height = pagesize
    top = height - MARGIN
    canvas.saveState()
    for index, line in enumerate(header.lines):
        size = 10 if index == 0 else 8
        draw_text(canvas, MARGIN, top - 3 - index * 11, line, size, bold=index == 0)
    page_line = header.page_text.format(page=page, pages=pages)
    right = width - MARGIN
    draw_text(canvas, right - _width(page_line, 10, True), top - 3, page_line, 10, bold=True)
    rule = top - HEADER_HEIGHT + 4 * mm
    canvas.setStrokeColor(colors.HexColor("#30415d"))
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, rule, right, rule)
    if header.footer:
        draw_text(canvas, MARGIN, MARGIN - 2, header.footer, 7)
    canvas.restoreState()


def draw_text(
    canvas: Canvas, x: float, y: float, text: str, size: float, bold: bool = False
) -> None:
    """Mixed Latin/Chinese text on a canvas, each run in its font."""
    latin_font = LATIN_BOLD if bold else LATIN
    for cjk, chars in groupby(text, key=lambda c: needs_cjk(c)):
        run = "".join(chars)
        font = CJK if cjk else latin_font
        canvas.setFont(font, size)
        canvas.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _width(text: str, size: float, bold: bool) -> float:
    latin_font = LATIN_BOLD if bold else LATIN
    return sum(
        stringWidth("".join(chars), CJK if cjk else latin_font, size)
        for cjk, chars in groupby(text, key=lambda c: needs_cjk(c))
    )
