"""Advisories: things a calculation lets through but a person must see.

A ``warning`` needs acknowledging (the window asks; the CLI lists it and still prints the
result). An ``error`` advisory marks a plan that cannot meet the protocol as calculated, for
example a bag too large to finish within the protocol's time by gravity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from infusion_app.logic.messages import Message

Level = Literal["warning", "error"]


@dataclass(frozen=True)
class Advisory:
    code: str
    level: Level
    field: str
    message: Message  # stored payloads keep its English line (str(message))

    def __str__(self) -> str:
        return f"{self.level}: {self.field}: {self.message}"
