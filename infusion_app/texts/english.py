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
    # the bedside service's own refusals
    "hard_stop": "hard stop: {problems:; }",
    "product_not_released": "product {product} is {status}, not released by a pharmacist",
    "product_expired": "product {product} is past its expiry",
    "start_blocked_new_weight": (
        "start blocked: the dose was calculated for {dose_weight_kg} kg, but a new weight "
        "({weight_kg} kg) was recorded since: recalculate and verify"
    ),
    "correction_would_not_hold": "correct: the corrected record would not hold: {problem}",
}

TABLE = Table(language="en", templates=TEXTS, yes="yes", no="no", nothing="")


def render(message: Message) -> str:
    return render_with(TABLE, message)
