"""Strict parsing of entered numbers, named rounding rules and display of cell counts.

Entered values are ``Decimal`` so that 0.1 mL stays 0.1 mL; a float is accepted only from
code paths that already hold one (JSON output, tests) and is converted through its shortest
repr, never through its binary expansion.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from infusion_app.logic.errors import InputError


def parse_decimal(field: str, raw: object) -> Decimal:
    """Turn user input into a finite Decimal or raise an InputError naming ``field``."""
    if isinstance(raw, bool):  # bool is an int subclass; True kg is a mistake, not 1 kg
        raise InputError(field, f"must be a number, got {raw!r}")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InputError(field, f"must be a number, got {raw!r}") from None
    else:
        raise InputError(field, f"must be a number, got {type(raw).__name__}")
    if not value.is_finite():
        raise InputError(field, f"must be a finite number, got {raw!r}")
    return value


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
        raise InputError(field, f"must be greater than {gt}{suffix}, got {shown}")
    if ge is not None and not value >= ge:
        raise InputError(field, f"must be at least {ge}{suffix}, got {shown}")
    if le is not None and not value <= le:
        raise InputError(field, f"must be at most {le}{suffix}, got {shown}")
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
