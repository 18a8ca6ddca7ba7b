"""Small helpers every CLI module uses: times, CoA files, JSON output."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from infusion_app.logic.coa import CertificateOfAnalysis, parse_coa
from infusion_app.logic.entered_time import parse_iso_date, parse_iso_time
from infusion_app.logic.errors import InputError
from infusion_app.logic.summaries import json_default


def read_coa(path: Path) -> CertificateOfAnalysis:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("coa", f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError("coa", f"{path} is not UTF-8 text") from None
    return parse_coa(text, source="coa")


def parse_time(field: str, text: str) -> datetime:
    """An ISO 8601 time with offset, in UTC; an empty text is refused (never "now")."""
    return parse_iso_time(field, text)


def parse_date(field: str, text: str) -> date:
    return parse_iso_date(field, text)


def print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, default=json_default, indent=2, ensure_ascii=False))
