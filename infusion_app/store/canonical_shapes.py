"""Is a stored payload canonical JSON? Answered by one regular expression per payload shape.

verify-log asks it of every event: ``canonical_json(json.loads(text)) == text``. Parsing and
dumping each payload cost about as much as reading the log and hashing it. But the payloads of
one event type come in a handful of shapes (the same keys, in the same order, holding the same
kinds of value), and the canonical texts of one shape are exactly the texts of a regular
language: the shape's keys written as ``canonical_json`` writes them, in their (sorted) order,
each value a canonical token of its kind:

- a string as ``json.encoder.encode_basestring`` writes it (``ensure_ascii=False``): any
  character but ``"``, ``\\`` and the controls, or the escapes ``\\"`` ``\\\\`` ``\\b``
  ``\\f`` ``\\n`` ``\\r`` ``\\t`` and, for the other controls, ``\\u00xx`` in lower case;
- a whole number as ``str(int)`` writes it (no ``-0``, no leading zeros, no exponent);
- ``true``, ``false``, ``null``;
- an object of a nested shape; a list whose items all have one shape.

So a text that matches a shape learnt from a canonical exemplar is canonical: parsing it and
dumping the result gives the same text back. Any other text (a new shape, a float, a list of
mixed items, anything not canonical) goes to the full check, which decides, and whose
canonical exemplars teach the shapes. Each walk learns its own shapes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

# one canonical string token: plain runs and canonical escapes ("unrolled": no backtracking)
_PLAIN = r'[^"\\\x00-\x1f]*'
_ESCAPE = r'\\(?:["\\bfnrt]|u00(?:0[0-7]|0b|0e|0f|1[0-9a-f]))'
_STRING = f'"{_PLAIN}(?:{_ESCAPE}{_PLAIN})*"'
# str(int); Python reads at most 4300 digits of an int from text (sys.int_info), so a longer
# run is not taken here but left to the full check
_INTEGER = r"(?:0|-?[1-9][0-9]{0,999})"
_LITERALS = {True: "true", False: "false", None: "null"}

SHAPES_PER_TYPE = 8  # a type with more shapes than this is checked in full beyond them


class _NoShape(ValueError):
    """A value whose canonical texts this module does not describe (a float, mixed lists)."""


def _pattern(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return _LITERALS[value]
    if isinstance(value, int):
        return _INTEGER
    if isinstance(value, str):
        return _STRING
    if isinstance(value, list):
        if not value:
            return r"\[\]"
        items = {_pattern(item) for item in value}
        if len(items) != 1:
            raise _NoShape("a list of items of several shapes")
        (item,) = items
        return rf"\[{item}(?:,{item})*\]"
    if isinstance(value, dict):
        members = ",".join(
            re.escape(json.dumps(key, ensure_ascii=False)) + ":" + _pattern(item)
            for key, item in value.items()
        )
        return rf"\{{{members}\}}"
    raise _NoShape(f"a {type(value).__name__}")  # a float: its repr is not described here


class CanonicalShapes:
    """``check(type, text)``: True when ``text`` is a JSON object in canonical form.

    ``full(text)`` is the full check (parse, then compare the canonical dump): it decides every
    text no learnt shape of its type matches, and a text it finds canonical teaches its shape
    once ``learn_after`` texts of its type have been checked in full. Compiling a shape costs
    as much as 60 to 500 full checks of its texts (measured on a site's log, issue 18): a type
    with fewer events than that is cheaper checked in full every time.
    """

    def __init__(self, full: Callable[[str], bool], *, learn_after: int = 1) -> None:
        self.full = full
        self.learn_after = learn_after
        self.shapes: dict[str, list[Callable[[str], Any]]] = {}
        self.unshaped: dict[str, int] = {}  # canonical texts of a type no shape describes
        self.checked: dict[str, int] = {}  # texts of a type checked in full

    def check(self, kind: str, text: str) -> bool:
        shapes = self.shapes.get(kind)
        if shapes is not None:
            for matches in shapes:
                if matches(text):
                    return True
        if not self.full(text):
            return False
        checked = self.checked[kind] = self.checked.get(kind, 0) + 1
        if checked < self.learn_after:
            return True
        if shapes is None:
            shapes = self.shapes[kind] = []
        if len(shapes) < SHAPES_PER_TYPE and self.unshaped.get(kind, 0) < SHAPES_PER_TYPE:
            try:
                shapes.append(re.compile(_pattern(json.loads(text))).fullmatch)
            except _NoShape:
                self.unshaped[kind] = self.unshaped.get(kind, 0) + 1
        return True
