"""Small helpers every CLI module uses: times, CoA files, JSON output."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from infusion_app.file_guard import read_coa_file
from infusion_app.logic.coa import CertificateOfAnalysis
from infusion_app.logic.entered_time import parse_iso_date, parse_iso_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.identity import MAX_RECORD_ID, parse_count
from infusion_app.logic.numbers import parse_int
from infusion_app.logic.summaries import json_default


def read_coa(path: Path) -> CertificateOfAnalysis:
    """A CoA file: a regular UTF-8 file of at most MAX_COA_BYTES, never a database file, a FIFO
    or a device (``/dev/zero`` hung), parsed strictly."""
    return read_coa_file(path, "coa")


def whole_number(text: str) -> int:
    """argparse ``type=`` for whole numbers: ``int()`` would take '٣' as 3 and '1_0' as 10."""
    try:
        return parse_int("value", text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.rule) from None


def count_argument(field: str, *, low: int = 1, high: int = MAX_RECORD_ID) -> Callable[[str], int]:
    """argparse ``type=`` for a count (an entry's number, a rate): checked with the other
    arguments, before anyone is asked for a password; ASCII digits only, within range."""

    def parse(text: str) -> int:
        try:
            return parse_count(field, text, low=low, high=high)
        except InputError as exc:
            raise argparse.ArgumentTypeError(exc.rule) from None

    return parse


def parse_time(field: str, text: str) -> datetime:
    """An ISO 8601 time with offset, in UTC; an empty text is refused (never "now")."""
    return parse_iso_time(field, text)


def parse_date(field: str, text: str) -> date:
    return parse_iso_date(field, text)


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, default=json_default, indent=2, ensure_ascii=False))
