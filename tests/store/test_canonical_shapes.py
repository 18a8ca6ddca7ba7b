"""The shapes verify-log learns from canonical payloads never accept a text the full check
(parse, then compare with the canonical dump) refuses, and accept the canonical texts of
every shape they were taught."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infusion_app.store.canonical_shapes import CanonicalShapes
from infusion_app.store.eventlog import canonical_json
from infusion_app.store.verification import _canonical_object

# JSON values as payloads hold them, and then some: controls, quotes, backslashes, line and
# paragraph separators, astral characters in strings; big and negative whole numbers; floats
texts = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(['"', "\\", "/", "\x00", "\x08", "\x0b", "\x1f", "\x7f", "\u2028", "😀"]),
    max_size=12,
)
scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | texts
    | st.floats(allow_nan=False, allow_infinity=False)
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)
objects = st.dictionaries(texts, values, max_size=6)


def spellings(value: dict) -> list[str]:
    """The canonical text of ``value`` and other JSON texts of the same value."""
    return [
        canonical_json(value),
        json.dumps(value),  # spaces, ASCII escapes
        json.dumps(value, sort_keys=True, separators=(",", ":")),  # ASCII escapes only
        json.dumps(value, separators=(",", ":"), ensure_ascii=False),  # keys unsorted
        json.dumps(value, sort_keys=True, separators=(", ", ": "), ensure_ascii=False),
        canonical_json(value).replace("/", "\\/"),
        canonical_json(value) + " ",
    ]


@settings(max_examples=400, deadline=None)
@given(taught=objects, asked=objects)
def test_a_shape_accepts_exactly_what_the_full_check_accepts(taught: dict, asked: dict) -> None:
    shapes = CanonicalShapes(_canonical_object)
    assert shapes.check("kind", canonical_json(taught))  # the exemplar teaches its shape
    learnt = list(shapes.shapes["kind"])  # none for a float or a list of mixed items
    if learnt:  # the shape alone accepts its exemplar's canonical text
        assert learnt[0](canonical_json(taught))
    for value in (taught, asked):
        for text in spellings(value):
            assert shapes.check("kind", text) == _canonical_object(text), text


@pytest.mark.parametrize(
    "text",
    [
        '{"a":"\\u0041"}',  # a plain letter escaped
        '{"a":"\\u000a"}',  # a newline has its short escape
        '{"a":"\\u001F"}',  # upper-case hex
        '{"a":"\\/"}',
        '{"a":-0}',
        '{"a":01}',
        '{"a":1.0}',  # a float: the full check decides (and 1.0 is canonical)
        '{"a":1e2}',
        '{"b":1,"a":2}',
        '{"a":1,"a":2}',
        '{"a":1} ',
        '{"a":"x","b":[1,"y"]}',
        '{"a":"' + "9" * 5000 + '"}',
        '{"a":' + "9" * 5000 + "}",  # more digits than Python reads from text
    ],
)
def test_texts_near_a_learnt_shape_go_to_the_full_check(text: str) -> None:
    shapes = CanonicalShapes(_canonical_object)
    for exemplar in ('{"a":"x"}', '{"a":1}', '{"a":1,"b":2}', '{"a":"x","b":[1,2]}'):
        assert shapes.check("kind", exemplar)
    assert shapes.check("kind", text) == _canonical_object(text)


def reshaped(value, data: st.DataObject):
    """Another value of ``value``'s shape: every string and whole number drawn anew (true,
    false and null are part of a shape; a float stays: floats have no shape)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return data.draw(st.integers(min_value=-(10**30), max_value=10**30))
    if isinstance(value, str):
        return data.draw(texts)
    if isinstance(value, list):
        return [reshaped(item, data) for item in value]
    if isinstance(value, dict):
        return {key: reshaped(item, data) for key, item in value.items()}
    return value


@settings(max_examples=400, deadline=None)
@given(taught=objects, data=st.data())
def test_another_value_of_a_learnt_shape_is_decided_alike(taught: dict, data) -> None:
    shapes = CanonicalShapes(_canonical_object)
    assert shapes.check("kind", canonical_json(taught))
    learnt = list(shapes.shapes["kind"])
    asked = reshaped(taught, data)
    if learnt:
        assert learnt[0](canonical_json(asked))  # accepted by the shape, without a parse
    for text in spellings(asked):
        assert shapes.check("kind", text) == _canonical_object(text), text


def test_a_type_is_checked_in_full_until_enough_of_its_texts_were_seen() -> None:
    """Compiling a shape costs as much as hundreds of full checks: with ``learn_after=3``
    the first two texts of a type are checked in full and teach nothing, the third teaches
    its shape, and the texts after it of that shape are accepted without a full check. A
    text that is not canonical is refused all along, and never counted."""
    calls: list[str] = []

    def full(text: str) -> bool:
        calls.append(text)
        return _canonical_object(text)

    shapes = CanonicalShapes(full, learn_after=3)
    assert not shapes.check("kind", '{"a": 1}')  # not canonical: refused, not counted
    assert shapes.check("kind", '{"a":1}')
    assert shapes.check("kind", '{"a":2}')
    assert "kind" not in shapes.shapes  # two texts checked in full: nothing learnt
    assert shapes.check("kind", '{"a":3}')  # the third teaches its shape
    assert len(shapes.shapes["kind"]) == 1
    calls.clear()
    assert shapes.check("kind", '{"a":40}')  # the shape decides
    assert not shapes.check("kind", '{"a":05}')  # not the shape: the full check refuses
    assert calls == ['{"a":05}']
    assert shapes.check("other", '{"a":1}')  # each type counts its own
    assert "other" not in shapes.shapes
