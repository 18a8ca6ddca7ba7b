"""What text the record accepts: one line, printable, bounded. Checked before any database
sees the value, so SQLite and PostgreSQL take exactly the same strings.

Every stored string is single-line, free text included. The screen, the CLI listings, the
CSV and the printed record all show a value on its line; a line break inside a value (or a
carriage return, or a Unicode line separator) let a printed name forge a line of ``user
list`` and an adverse event's description forge a "signature" line on the PDF. So every
control character is refused (C0, DEL, C1: NUL, tab, CR and LF among them), as are the line
and paragraph separators, the bidirectional overrides and isolates (they reorder what a
reader sees on paper), lone surrogates (bytes that were not UTF-8) and non-characters.
Nothing is silently removed or clamped: the person sees the field and the rule, and types
it again.

Lengths: the column sizes of ``infusion_app/store/models.py`` for the short fields, and
:data:`FREE_TEXT_MAX` for reasons, descriptions and findings (stored as ``Text``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError

FREE_TEXT_MAX = 2000
"""Reasons, descriptions, findings: about a page of handwriting; a 120 KB reason is a paste."""

# The column sizes of infusion_app/store/models.py (a test compares the two).
USERNAME_MAX = 64
PRINTED_NAME_MAX = 200
TRIAL_ID_MAX = 64
INITIALS_MAX = 8
PRODUCT_ID_MAX = 64
LOT_MAX = 64
PROTOCOL_ID_MAX = 64
DOSE_LEVEL_MAX = 16
STATION_MAX = 64
SHORT_TEXT_MAX = 200
"""Terms, choices and other short values kept in an event's payload."""

PASSWORD_MAX = 1024
"""Never stored (only its argon2 hash), but hashed: a bound keeps one login cheap."""

_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"{code} {name}" if name else code


def bad_character(text: str) -> str | None:
    """The first character a stored string must not hold, described; None when all are fine."""
    for ch in text:
        category = unicodedata.category(ch)
        if category in _REFUSED_CATEGORIES or ch in _BIDI_CONTROLS:
            return _describe(ch)
        if category == "Cn" and (0xFDD0 <= ord(ch) <= 0xFDEF or (ord(ch) & 0xFFFE) == 0xFFFE):
            return _describe(ch)  # a non-character
    return None


def check_text(field: str, value: str, max_length: int, *, required: bool = True) -> str:
    """``value`` stripped of surrounding spaces, or InputError naming the field and the rule.

    One line of printable text, at most ``max_length`` characters; empty only when not
    ``required`` (then the empty string comes back).
    """
    if not isinstance(value, str):
        raise InputError(field, f"must be text, got {type(value).__name__}")
    bad = bad_character(value)
    if bad is not None:
        raise InputError(field, m.rule_printable(bad=bad))
    text = value.strip()
    if required and not text:
        raise InputError(field, m.rule_required())
    if len(text) > max_length:
        raise InputError(field, m.rule_max_chars(most=max_length, got=len(text)))
    return text


def optional_text(field: str, value: str | None, max_length: int) -> str | None:
    """Like :func:`check_text`; None or blank gives None."""
    if value is None:
        return None
    return check_text(field, value, max_length, required=False) or None


def free_text(field: str, value: str, *, required: bool = True) -> str:
    """A reason, a description, a finding: one line, at most :data:`FREE_TEXT_MAX`."""
    return check_text(field, value, FREE_TEXT_MAX, required=required)


def optional_free_text(field: str, value: str | None) -> str | None:
    return optional_text(field, value, FREE_TEXT_MAX)


def check_password_text(value: str) -> str:
    """A password as typed: not stored, but it must be text a hash can take (no NUL, no
    bytes that were not UTF-8) and bounded."""
    if "\x00" in value or any(unicodedata.category(ch) == "Cs" for ch in value):
        raise InputError("password", "contains a character that is not text (NUL or not UTF-8)")
    if len(value) > PASSWORD_MAX:
        raise InputError("password", f"must be at most {PASSWORD_MAX} characters")
    return value


def check_payload_text(payload: Mapping[str, Any], *, prefix: str = "") -> None:
    """Every string anywhere in an event's payload obeys the single-line rules and the
    free-text bound: the last line of defence for a value no field check named."""
    for key, value in payload.items():
        field = f"{prefix}{key}"
        _check_value(field, value)


def _check_value(field: str, value: Any) -> None:
    if isinstance(value, str):
        bad = bad_character(value)
        if bad is not None:
            raise InputError(field, f"must be one line of printable text (it contains {bad})")
        if len(value) > FREE_TEXT_MAX:
            raise InputError(field, f"must be at most {FREE_TEXT_MAX} characters, got {len(value)}")
    elif isinstance(value, Mapping):
        check_payload_text(value, prefix=f"{field}.")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_value(f"{field}.{index}", item)
