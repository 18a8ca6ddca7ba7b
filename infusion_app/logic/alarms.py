"""Alarm priorities and the alarm a person must see.

The priorities follow IEC 60601-1-8 in spirit: high needs action now (abnormal vital signs,
a possible reaction, a product past its post-thaw limit), medium needs action soon (vital
signs or the rate step overdue), low is a reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infusion_app.logic.messages import Message


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """Sort key: high first."""
        return {"high": 0, "medium": 1, "low": 2}[self.value]


@dataclass(frozen=True)
class Alarm:
    priority: Priority
    code: str
    message: Message
    suggested_action: Message
