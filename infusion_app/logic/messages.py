"""Messages as data: a stable code and named parameters, never display text.

The rule book, the alarms, the schedule and the log say what they mean with a :class:`Message`;
the text a person reads is made at the edge (CLI, window, PDF, exports) by one renderer per
language in :mod:`infusion_app.texts`. Each code has one small typed constructor below, whose
name is the code and whose keyword arguments are its parameters, so a translator's table can be
checked against this module (every code has a text; each text uses exactly its parameters).

``str(message)`` is the English line, so logs, exceptions and tests read as before.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ParamSpec, TypeAlias, cast

# A parameter is plain data; a tuple is a list (joined by the renderer); a Message nests.
Param: TypeAlias = "str | int | Decimal | bool | datetime | Message | tuple[Param, ...] | None"

# code -> its parameter names, in the constructor's order; filled by @_message below.
CODES: dict[str, tuple[str, ...]] = {}

_P = ParamSpec("_P")


@dataclass(frozen=True)
class Message:
    """What is said, as data: ``Message("start_blocked_premed", (("minutes_left", 12), ...))``."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    def __getitem__(self, name: str) -> Param:
        for key, value in self.params:
            if key == name:
                return value
        raise KeyError(name)

    def as_dict(self) -> dict[str, Param]:
        return dict(self.params)

    def __str__(self) -> str:
        from infusion_app.texts.english import render  # the edge's table; no Qt, no database

        return render(self)


def _message(shape: Callable[_P, None]) -> Callable[_P, Message]:
    """Register ``shape``'s name as a code with its keyword-only parameters."""
    code = shape.__name__
    names = tuple(inspect.signature(shape).parameters)
    if code in CODES:
        raise ValueError(f"message code {code} is declared twice")
    CODES[code] = names

    def build(*args: _P.args, **kwargs: _P.kwargs) -> Message:
        if args:
            raise TypeError(f"{code}: parameters are given by name")
        values = cast(dict[str, Param], kwargs)
        return Message(code, tuple((name, values[name]) for name in names))

    build.__name__ = code
    build.__doc__ = shape.__doc__
    return build


def text(value: str) -> Message:
    """A text that is data already (a name, a reason typed by a person): shown as it is."""
    return plain(text=value)


# --- generic ------------------------------------------------------------------------------


@_message
def plain(*, text: str) -> None:
    """Free text: a person's own words, or a text the domain does not own."""


@_message
def joined(*, parts: tuple[Param, ...]) -> None:
    """Several findings in one line, separated by "; "."""


# --- the bedside service's own refusals (services/bedside.py) -----------------------------


@_message
def hard_stop(*, problems: tuple[Param, ...]) -> None:
    """A pre-infusion check failed; no one can override it."""


@_message
def product_not_released(*, product: str, status: str) -> None:
    """The bag's product is not (or no longer) released for use."""


@_message
def product_expired(*, product: str) -> None:
    """The bag's product is past its expiry at the bedside time."""


@_message
def start_blocked_new_weight(*, dose_weight_kg: Decimal, weight_kg: Decimal) -> None:
    """A weight was recorded after the dose was calculated from an earlier one."""


@_message
def correction_would_not_hold(*, problem: Param) -> None:
    """The log with the correction in it would not replay under the rule book."""
