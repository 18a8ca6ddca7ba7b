"""NEWS2 (Royal College of Physicians, 2017), SpO2 scale 1.

Each parameter scores 0-3 from the published chart; the aggregate and any single "red"
score of 3 give the clinical-risk band that decides how urgently the patient is reviewed.
Boundaries are the chart's: a value scores in the band whose printed range contains it, and
temperatures between printed bands (36.05 °C) fall in the lower band's upper edge, i.e. the
ranges are read as continuous ``lower < x <= upper`` intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infusion_app.logic.vitals import VitalSigns


class RiskBand(StrEnum):
    LOW = "low"
    LOW_MEDIUM = "low-medium"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class News2:
    respiration: int
    spo2: int
    air_or_oxygen: int
    systolic: int
    pulse: int
    consciousness: int
    temperature: int

    @property
    def parts(self) -> tuple[int, ...]:
        return (
            self.respiration,
            self.spo2,
            self.air_or_oxygen,
            self.systolic,
            self.pulse,
            self.consciousness,
            self.temperature,
        )

    @property
    def total(self) -> int:
        return sum(self.parts)

    @property
    def band(self) -> RiskBand:
        """0-4 low; a single parameter scoring 3 low-medium; 5-6 medium; 7 or more high."""
        if self.total >= 7:
            return RiskBand.HIGH
        if self.total >= 5:
            return RiskBand.MEDIUM
        if 3 in self.parts:
            return RiskBand.LOW_MEDIUM
        return RiskBand.LOW


def respiration_score(rate_per_min: int) -> int:
    # <=8: 3 | 9-11: 1 | 12-20: 0 | 21-24: 2 | >=25: 3
    if rate_per_min <= 8:
        return 3
    if rate_per_min <= 11:
        return 1
    if rate_per_min <= 20:
        return 0
    if rate_per_min <= 24:
        return 2
    return 3


def spo2_scale1_score(spo2_pct: int) -> int:
    # <=91: 3 | 92-93: 2 | 94-95: 1 | >=96: 0
    if spo2_pct <= 91:
        return 3
    if spo2_pct <= 93:
        return 2
    if spo2_pct <= 95:
        return 1
    return 0


def systolic_score(systolic_mmhg: int) -> int:
    # <=90: 3 | 91-100: 2 | 101-110: 1 | 111-219: 0 | >=220: 3
    if systolic_mmhg <= 90:
        return 3
    if systolic_mmhg <= 100:
        return 2
    if systolic_mmhg <= 110:
        return 1
    if systolic_mmhg <= 219:
        return 0
    return 3


def pulse_score(heart_rate_bpm: int) -> int:
    # <=40: 3 | 41-50: 1 | 51-90: 0 | 91-110: 1 | 111-130: 2 | >=131: 3
    if heart_rate_bpm <= 40:
        return 3
    if heart_rate_bpm <= 50:
        return 1
    if heart_rate_bpm <= 90:
        return 0
    if heart_rate_bpm <= 110:
        return 1
    if heart_rate_bpm <= 130:
        return 2
    return 3


def temperature_score(temperature_c: Decimal) -> int:
    # <=35.0: 3 | 35.1-36.0: 1 | 36.1-38.0: 0 | 38.1-39.0: 1 | >=39.1: 2
    if temperature_c <= Decimal("35.0"):
        return 3
    if temperature_c <= Decimal("36.0"):
        return 1
    if temperature_c <= Decimal("38.0"):
        return 0
    if temperature_c <= Decimal("39.0"):
        return 1
    return 2


def score(vitals: VitalSigns) -> News2:
    return News2(
        respiration=respiration_score(vitals.respiratory_rate_per_min),
        spo2=spo2_scale1_score(vitals.spo2_pct),
        air_or_oxygen=2 if vitals.on_oxygen else 0,
        systolic=systolic_score(vitals.systolic_mmhg),
        pulse=pulse_score(vitals.heart_rate_bpm),
        consciousness=0 if vitals.avpu == "A" else 3,
        temperature=temperature_score(vitals.temperature_c),
    )
