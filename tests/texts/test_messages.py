"""Every message code has an English text that uses exactly its parameters."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from infusion_app.logic import messages
from infusion_app.logic.messages import CODES, Message
from infusion_app.texts import english, render
from infusion_app.texts.engine import fields_of


def test_every_code_has_an_english_text_and_no_text_is_orphaned() -> None:
    assert len(CODES) >= 2  # the registry was filled by the constructors
    assert set(english.TEXTS) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_english_text_uses_exactly_its_parameters(code: str) -> None:
    assert fields_of(english.TEXTS[code]) == set(CODES[code])


@pytest.mark.parametrize("code", sorted(set(CODES) - set(messages.FAMILIES)))
def test_each_constructor_makes_its_own_code(code: str) -> None:
    build = getattr(messages, code)
    made = build(**{name: "x" for name in CODES[code]})
    assert made == Message(code, tuple((name, "x") for name in CODES[code]))


def test_messages_are_hashable_values() -> None:
    a = messages.plain(text="hello")
    assert a == messages.plain(text="hello")
    assert len({a, messages.plain(text="hello"), messages.plain(text="bye")}) == 2


def test_a_constructor_takes_names_only() -> None:
    with pytest.raises(TypeError):
        messages.plain("hello")  # type: ignore[call-arg]


def test_values_are_shown_without_python_literals() -> None:
    # joined renders its parts with "; " between them; a boolean reads yes/no, a time ISO
    # minutes, a Decimal as written, a nested message as its own text.
    at = datetime(2026, 3, 1, 8, 5, 30, tzinfo=UTC)
    line = messages.joined(parts=(True, False, at, Decimal("1.50"), messages.plain(text="ok")))
    assert render(line) == "yes; no; 2026-03-01T08:05+00:00; 1.50; ok"


def test_str_of_a_message_is_its_english_text_and_unknown_languages_fall_back() -> None:
    hello = messages.plain(text="hello")
    assert str(hello) == "hello"
    assert render(hello, "xx") == "hello"
