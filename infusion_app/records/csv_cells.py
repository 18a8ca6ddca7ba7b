"""Cells of the CSV files the app writes, made safe to open in a spreadsheet.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and a
leading tab or carriage return lets one hide behind white space), so a patient ID, a reason or
a name typed at the bedside could compute, or reach the network, on a monitor's computer
(OWASP "CSV injection"). Such a cell is written with a leading apostrophe, which spreadsheets
show as text and do not run; every other cell is written as it is. A script reading the file
back strips one leading apostrophe from a cell that then begins with one of those characters.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as a CSV cell a spreadsheet shows as text: ``=1+2`` -> ``'=1+2``."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def safe_row(values: Iterable[object]) -> list[str]:
    return [safe_cell(value) for value in values]
