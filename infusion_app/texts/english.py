"""The English texts of every message code (:mod:`infusion_app.logic.messages`).

Word for word what the app said before messages became data, except the texts that were wrong.
"""

from __future__ import annotations

from infusion_app.logic.messages import Message
from infusion_app.texts.engine import Table, render_with

TEXTS: dict[str, str] = {
    # generic
    "plain": "{text}",
    "joined": "{parts:; }",
}

TABLE = Table(language="en", templates=TEXTS, yes="yes", no="no", nothing="")


def render(message: Message) -> str:
    return render_with(TABLE, message)
