"""How a language's table turns a message into text.

A table maps each code to a template in ``str.format`` syntax naming the code's parameters.
Values are shown by the table's ``show`` (a nested message is rendered with the same table; a
tuple is joined with the field's format spec as the separator, the table's own if none, and a
single value given where a list was expected is shown alone; a boolean as the language's
yes/no; a time as the reader reads it, ``2026-11-30 09:05`` in the zone given to
:func:`render_with`, or with its zone said when none is given, see
:mod:`infusion_app.logic.reading_time`), so no Python literal ("True", "None") and no ISO
``T``/offset reaches a person.
Three format specs are words: ``{x:cap}`` capitalises the first letter, ``{x:words}`` reads a
stored name's underscores as spaces, ``{x:omit}`` shows nothing (a parameter that another
language shows: the Chinese name of a protocol's calendar item beside the English one).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Any

from infusion_app.logic.messages import Message, Param
from infusion_app.logic.reading_time import read_at, utc_label


@dataclass(frozen=True)
class Table:
    language: str
    templates: Mapping[str, str]
    yes: str
    no: str
    nothing: str  # how a missing value reads
    separator: str = ", "  # between a list's items where the template names none


class _Formatter(string.Formatter):
    def __init__(self, table: Table, zone: tzinfo | None) -> None:
        self.table = table
        self.zone = zone

    def format_field(self, value: Any, format_spec: str) -> str:
        return _format_field(self.table, self.zone, value, format_spec)


def _format_field(table: Table, zone: tzinfo | None, value: Any, format_spec: str) -> str:
    if format_spec == "cap":  # a sentence's first word, where the language has capitals
        text = show(table, value, zone)
        return text[:1].upper() + text[1:]
    if format_spec == "omit":  # a parameter for another language (a name in Chinese)
        return ""
    if format_spec == "words":  # a stored name ("week_2") read as words ("week 2")
        return show(table, value, zone).replace("_", " ")
    if isinstance(value, tuple):
        separator = format_spec or table.separator
        return separator.join(show(table, item, zone) for item in value)
    if not any(ch.isalnum() for ch in format_spec):  # a list's separator, one value given
        return show(table, value, zone)
    return format(show(table, value, zone), format_spec)


_Part = tuple[str, str | None, str]  # literal text, then a parameter's name and format spec


@lru_cache(maxsize=8192)
def _parts(template: str) -> tuple[_Part, ...] | None:
    """The template cut once into literal text and plain fields (a name, a format spec);
    None for one ``str.format`` must read itself (an index, an attribute, a conversion, a
    nested spec): none of the tables' templates, today."""
    parts: list[_Part] = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            parts.append((literal, None, ""))
            continue
        if not name.isidentifier() or conversion is not None or "{" in (spec or ""):
            return None
        parts.append((literal, name, spec or ""))
    return tuple(parts)


def show(table: Table, value: Param, zone: tzinfo | None = None) -> str:
    if isinstance(value, Message):
        return render_with(table, value, zone)
    if isinstance(value, bool):
        return table.yes if value else table.no
    if value is None:
        return table.nothing
    if isinstance(value, datetime):
        # the station's local minutes; without a reader's zone (a log line) the zone is said
        return read_at(value, zone) if zone is not None else utc_label(value)
    if isinstance(value, tuple):
        return table.separator.join(show(table, item, zone) for item in value)
    return str(value)


def render_with(table: Table, message: Message, zone: tzinfo | None = None) -> str:
    """``message`` by ``table``; its times in ``zone`` (the station's), as the reader reads."""
    template = table.templates[message.code]
    parts = _parts(template)
    values = message.as_dict()
    if parts is None:
        return _Formatter(table, zone).vformat(template, (), values)
    # what vformat gives for plain fields, without its parse and recursion at every call (a
    # monitor's record of 500 entries renders ~3,000 messages on the UI thread)
    out = []
    for literal, name, spec in parts:
        out.append(literal)
        if name is not None:
            out.append(_format_field(table, zone, values[name], spec))
    return "".join(out)


def fields_of(template: str) -> set[str]:
    """The parameter names a template uses (for the completeness test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
