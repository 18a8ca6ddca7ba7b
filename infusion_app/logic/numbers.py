"""Strict parsing of entered numbers, named rounding rules and display of cell counts.

Entered values are ``Decimal`` so that 0.1 mL stays 0.1 mL; a float is accepted only from
code paths that already hold one (JSON output, tests) and is converted through its shortest
repr, never through its binary expansion.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from infusion_app.logic import messages as m
from infusion_app.logic.errors import InputError

# Entered numbers are written with ASCII digits only: Python's Decimal() and int() also take
# Unicode digits ('٣' is 3, fullwidth '６３' is 63) and underscores ('6_3.5' is 63.5), which no
# person means as a number at the bedside.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
# Size bounds checked before any arithmetic: no clinical quantity here (cells, mL, kg, grades)
# is near 1e30 or 1e-30, and int(Decimal("1e999999999")) would build a billion-digit number.
MAX_EXPONENT = 30
MAX_DIGITS = 20  # significant digits typed; more is a paste error, and would be rounded
MAX_TEXT = 64  # characters of a typed number


def parse_decimal(field: str, raw: object) -> Decimal:
    """Turn user input into a finite Decimal of sane size or raise an InputError naming ``field``.

    Only ASCII decimal notation is a number (``63.5``, ``-2``, ``1.0e7``); ``-0`` becomes 0 so
    that the record never shows a signed zero.
    """
    if isinstance(raw, bool):  # bool is an int subclass; True kg is a mistake, not 1 kg
        raise InputError(field, m.rule_number(got=repr(raw)))
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        if abs(raw) >= 10**MAX_EXPONENT * 10:
            raise InputError(field, f"must be a number below 1e{MAX_EXPONENT + 1} in size")
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        value = _decimal_from_text(field, raw)
    else:
        raise InputError(field, f"must be a number, got {type(raw).__name__}")
    if not value.is_finite():
        raise InputError(field, f"must be a finite number, got {_shown(raw)}")
    return bounded(field, value, raw)


def bounded(field: str, value: Decimal, raw: object = None) -> Decimal:
    """``value`` if its size is clinically possible at all, with ``-0`` made 0; else InputError."""
    if value.is_zero():
        return value.copy_abs()
    exponent = value.adjusted()
    if exponent > MAX_EXPONENT or exponent < -MAX_EXPONENT:
        raise InputError(
            field,
            f"must be between 1e-{MAX_EXPONENT} and 1e{MAX_EXPONENT} in size, "
            f"got {_shown(value if raw is None else raw)}",
        )
    return value


def _decimal_from_text(field: str, raw: str) -> Decimal:
    text = raw.strip()
    if len(text) > MAX_TEXT:
        raise InputError(field, f"must be a number of at most {MAX_TEXT} characters")
    if text.lstrip("+-").lower() in {"nan", "snan", "inf", "infinity"}:
        raise InputError(field, f"must be a finite number, got {_shown(raw)}")
    if not _NUMBER.fullmatch(text):
        raise InputError(field, m.rule_digits(got=_shown(raw)))
    value = Decimal(text)
    if len(value.as_tuple().digits) > MAX_DIGITS and not value.is_zero():
        raise InputError(field, f"give at most {MAX_DIGITS} significant digits, got {_shown(raw)}")
    return value


def parse_int(field: str, raw: object) -> int:
    """A whole number typed with the digits 0-9 (a sequence number, a count, a grade)."""
    if isinstance(raw, bool):
        raise InputError(field, f"must be a whole number, got {raw!r}")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and len(raw.strip()) <= MAX_DIGITS and _WHOLE.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        raise InputError(field, m.rule_whole_digits(got=_shown(raw)))
    if abs(value) >= 10**MAX_DIGITS:
        raise InputError(field, f"must have at most {MAX_DIGITS} digits")
    return value


def _shown(raw: object) -> str:
    """The offending input in a message: repr, cut short so one line stays one line."""
    text = repr(raw) if not isinstance(raw, Decimal) else str(raw)
    return text if len(text) <= 40 else f"{text[:37]}..."


def require_range(
    field: str,
    value: Decimal,
    *,
    gt: Decimal | None = None,
    ge: Decimal | None = None,
    le: Decimal | None = None,
    unit: str = "",
) -> Decimal:
    """Check bounds and return ``value`` unchanged: out of range is an error, never a clamp."""
    suffix = f" {unit}" if unit else ""
    shown = f"{value}{suffix}"
    if gt is not None and not value > gt:
        raise InputError(field, m.rule_greater_than(bound=f"{gt}{suffix}", got=shown))
    if ge is not None and not value >= ge:
        raise InputError(field, m.rule_at_least(bound=f"{ge}{suffix}", got=shown))
    if le is not None and not value <= le:
        raise InputError(field, m.rule_at_most(bound=f"{le}{suffix}", got=shown))
    return value


def round_half_up(value: Decimal, step: Decimal) -> Decimal:
    """Round to a multiple of ``step`` with halves going up (12.25 -> 12.3 for step 0.1).

    The result keeps the exponent of ``step`` so that 13.8 prints as 13.8, not 13.80000.
    """
    if step <= 0:
        raise ValueError("rounding step must be positive")
    multiples = (value / step).to_integral_value(rounding=ROUND_HALF_UP)
    return (multiples * step).quantize(step)


def to_places(value: Decimal, places: int) -> Decimal:
    """Round half-up to a number of decimal places for display (deviation %, mL/min)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_cells(cells: Decimal, *, significant: int = 3) -> str:
    """Show a cell count as ``1.27 × 10^8 cells``: raw floats are unreadable at the bedside."""
    if cells == 0:
        return "0 cells"
    exponent = cells.adjusted()
    mantissa = cells.scaleb(-exponent)
    mantissa = mantissa.quantize(Decimal(1).scaleb(-(significant - 1)), rounding=ROUND_HALF_UP)
    if abs(mantissa) >= 10:  # 9.996 rounds up to 10.0: carry into the exponent
        mantissa = (mantissa / 10).quantize(
            Decimal(1).scaleb(-(significant - 1)), rounding=ROUND_HALF_UP
        )
        exponent += 1
    return f"{mantissa} × 10^{exponent} cells"
