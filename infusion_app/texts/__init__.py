"""Message values made into text, one table per language (DESIGN.md: messages are data).

``render(message, language)`` is the one entry the CLI, the window, the PDF and the exports call.
Adding a language is adding one table module like :mod:`infusion_app.texts.english` and one line
in ``_TABLES`` below.
"""

from __future__ import annotations

from datetime import tzinfo

from infusion_app.logic.messages import Message
from infusion_app.texts import chinese, english
from infusion_app.texts.engine import Table, render_with

_TABLES: dict[str, Table] = {"en": english.TABLE, "zh_CN": chinese.TABLE}

LANGUAGES = tuple(_TABLES)


def render(message: Message, language: str = "en", zone: tzinfo | None = None) -> str:
    """``message`` in ``language``; a language without a table falls back to English. Its
    times read as local minutes in ``zone`` (the station's: pass it wherever a person reads
    the text); without one, a time says its own zone ("2026-11-30 01:05 UTC")."""
    table = _TABLES.get(language, english.TABLE)
    return render_with(table, message, zone)


__all__ = ["LANGUAGES", "Message", "render"]
