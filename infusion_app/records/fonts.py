"""Fonts of the printed records: Helvetica for Latin text, a CID font for everything else.

STSong-Light is one of the CID fonts every PDF reader must supply (Adobe-GB1), so Chinese names,
free text and the Chinese interface language print without shipping a font file; Latin text
stays in Helvetica, which reads better on paper. A character Helvetica's encoding (cp1252)
cannot hold, such as "≥" or any Chinese character, is set in STSong-Light.
"""

from __future__ import annotations

from functools import cache
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

LATIN = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
LATIN_ITALIC = "Helvetica-Oblique"
CJK = "STSong-Light"


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK))


def _latin(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def needs_cjk(text: str) -> bool:
    # One encode of the whole text: a cell of a long table is asked once per layout.
    return not text.isascii() and not _latin(text)


def font_for(text: str, latin: str = LATIN) -> str:
    """The font to draw ``text`` in as one run (a chart's String has one font): the CJK font
    when any character lacks a Latin glyph. Drawn in Helvetica, a Chinese chart title printed
    as black boxes (reportlab's stand-in for a missing glyph)."""
    if needs_cjk(text):
        register_fonts()
        return CJK
    return latin


def markup(text: str) -> str:
    """``text`` as Paragraph markup: XML-escaped, non-Latin runs in the CJK font."""
    if not needs_cjk(text):
        return escape(text)
    register_fonts()  # the paragraph parser looks the font up as soon as it is made
    return "".join(
        escape(run) if latin else f'<font name="{CJK}">{escape(run)}</font>'
        for latin, chars in groupby(text, key=_latin)
        for run in ["".join(chars)]
    )
