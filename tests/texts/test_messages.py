"""Every message code has an English text that uses exactly its parameters."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

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
    # joined renders its parts with "; " between them; a boolean reads yes/no, a time as
    # local minutes (without a reader's zone: in its own zone, which it names), a Decimal as
    # written, a nested message as its own text.
    at = datetime(2026, 3, 1, 8, 5, 30, tzinfo=UTC)
    line = messages.joined(parts=(True, False, at, Decimal("1.50"), messages.plain(text="ok")))
    assert render(line) == "yes; no; 2026-03-01 08:05 UTC; 1.50; ok"


def test_a_time_reads_as_local_minutes_in_the_station_zone() -> None:
    # 01:05:42.5 UTC is 09:05 in Shanghai (UTC+8 all year): no "T", no offset, no seconds
    at = datetime(2026, 11, 30, 1, 5, 42, 500_000, tzinfo=UTC)
    line = messages.joined(parts=(at,))
    assert render(line, "en", ZoneInfo("Asia/Shanghai")) == "2026-11-30 09:05"
    # the same moment read at a station in New York (UTC-5 in November): 2026-11-29 20:05
    assert render(line, "en", ZoneInfo("America/New_York")) == "2026-11-29 20:05"
    # a time given in another zone is read in the station's all the same
    in_tokyo = at.astimezone(ZoneInfo("Asia/Tokyo"))  # 10:05 +09:00
    assert render(messages.joined(parts=(in_tokyo,)), "en", ZoneInfo("Asia/Shanghai")) == (
        "2026-11-30 09:05"
    )
    # without a reader's zone (a log line) the time says its own: never mistaken for local
    assert render(line) == "2026-11-30 01:05 UTC"
    assert render(messages.joined(parts=(in_tokyo,))) == "2026-11-30 10:05 UTC+09:00"


def test_str_of_a_message_is_its_english_text_and_unknown_languages_fall_back() -> None:
    hello = messages.plain(text="hello")
    assert str(hello) == "hello"
    assert render(hello, "xx") == "hello"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_template_renders_as_str_format_would(language: str) -> None:
    """The engine cuts each template once and fills its fields itself (issue 18: a monitor's
    record of 500 entries renders ~3,000 messages on the UI thread, and string.Formatter
    parsed each template again every time): for every code of each language, with values of
    each kind (text, number, time, tuple, nested message, yes/no, nothing), the text is
    the one ``string.Formatter.vformat`` gives through the same field rules."""
    from infusion_app.texts import chinese
    from infusion_app.texts.engine import _Formatter, _parts, render_with

    table = english.TABLE if language == "en" else chinese.TABLE
    zone = ZoneInfo("Asia/Shanghai")
    kinds = (
        "P001",
        Decimal("36.50"),
        datetime(2026, 11, 30, 1, 5, tzinfo=UTC),
        ("a_b", "c"),
        messages.account_gone(username="nurse1"),
        True,
        None,
    )
    checked = 0
    for number, code in enumerate(sorted(table.templates)):
        names = CODES.get(code, ())
        value = kinds[number % len(kinds)]
        message = Message(code, tuple((name, value) for name in names))
        template = table.templates[code]
        try:
            expected = _Formatter(table, zone).vformat(template, (), message.as_dict())
        except ValueError as refused:  # a value of a kind the field cannot take: the same
            with pytest.raises(type(refused)):
                render_with(table, message, zone)
        else:
            assert render_with(table, message, zone) == expected, code
        checked += _parts(template) is not None
    assert checked == len(table.templates)  # every template takes the quick way
