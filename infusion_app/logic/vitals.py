"""One set of vital signs: checked for plausibility, scored, compared with alert limits.

Two kinds of bound, kept apart on purpose:

* physiological plausibility (in code, not in the protocol): a heart rate of 0 or 400, an
  SpO2 over 100 % or a temperature of 20 °C in a patient sitting at the bedside is a typing
  slip, so it is refused and nothing is saved;
* the protocol's alert limits: a value outside them is real and is saved, and it raises a
  high-priority alarm with the suggested action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from infusion_app.logic import messages as m
from infusion_app.logic import news2
from infusion_app.logic.alarms import Alarm, Priority
from infusion_app.logic.errors import InputError
from infusion_app.logic.messages import Message
from infusion_app.logic.numbers import parse_decimal
from infusion_app.logic.protocol import AlertRange, VitalAlertLimits

AVPU = {
    "A": "alert",
    "C": "new confusion",
    "V": "responds to voice",
    "P": "responds to pain",
    "U": "unresponsive",
}

# (field, lowest plausible, highest plausible, unit, whole numbers only)
PLAUSIBLE: dict[str, tuple[Decimal, Decimal, str, bool]] = {
    "temperature_c": (Decimal(25), Decimal(45), "°C", False),
    "heart_rate_bpm": (Decimal(20), Decimal(300), "/min", True),
    "systolic_mmhg": (Decimal(40), Decimal(300), "mmHg", True),
    "diastolic_mmhg": (Decimal(10), Decimal(200), "mmHg", True),
    "respiratory_rate_per_min": (Decimal(3), Decimal(80), "/min", True),
    "spo2_pct": (Decimal(50), Decimal(100), "%", True),
}

# The level of consciousness each AVPU letter means, for the alarm.
_LEVELS: dict[str, Callable[[], Message]] = {
    "A": m.avpu_alert,
    "C": m.avpu_confusion,
    "V": m.avpu_voice,
    "P": m.avpu_pain,
    "U": m.avpu_unresponsive,
}


@dataclass(frozen=True)
class VitalSigns:
    temperature_c: Decimal
    heart_rate_bpm: int
    systolic_mmhg: int
    diastolic_mmhg: int
    respiratory_rate_per_min: int
    spo2_pct: int
    on_oxygen: bool
    avpu: str

    def as_payload(self) -> dict[str, Any]:
        return {
            "temperature_c": self.temperature_c,
            "heart_rate_bpm": self.heart_rate_bpm,
            "systolic_mmhg": self.systolic_mmhg,
            "diastolic_mmhg": self.diastolic_mmhg,
            "respiratory_rate_per_min": self.respiratory_rate_per_min,
            "spo2_pct": self.spo2_pct,
            "on_oxygen": self.on_oxygen,
            "avpu": self.avpu,
        }


def check_temperature(field: str, value: Decimal) -> Decimal:
    """A temperature used anywhere (vital signs, fever grading) must be one a patient can have."""
    low, high, unit, _whole = PLAUSIBLE["temperature_c"]
    if not low <= value <= high:
        raise InputError(
            field, m.rule_not_physiological(value=value, unit=unit, low=low, high=high)
        )
    return value


def parse_vitals(raw: Mapping[str, Any]) -> VitalSigns:
    """Check each entered value; the first broken rule is raised, naming its field."""
    missing = [name for name in (*PLAUSIBLE, "on_oxygen", "avpu") if raw.get(name) is None]
    if missing:
        raise InputError(missing[0], m.rule_required())
    values: dict[str, Decimal] = {}
    for name, (low, high, unit, whole) in PLAUSIBLE.items():
        value = parse_decimal(name, raw[name])
        if whole and value != value.to_integral_value():
            raise InputError(name, m.rule_whole_number(got=str(raw[name])))
        if not whole and value.as_tuple().exponent < -1:  # type: ignore[operator]
            raise InputError(name, m.rule_one_decimal(got=str(raw[name])))
        if not low <= value <= high:
            raise InputError(
                name, m.rule_not_physiological(value=value, unit=unit, low=low, high=high)
            )
        values[name] = value
    if values["diastolic_mmhg"] >= values["systolic_mmhg"]:
        raise InputError(
            "diastolic_mmhg",
            m.rule_below_systolic(systolic=values["systolic_mmhg"], got=values["diastolic_mmhg"]),
        )
    oxygen = raw["on_oxygen"]
    if isinstance(oxygen, str):
        oxygen = {
            "air": False,
            "no": False,
            "false": False,
            "oxygen": True,
            "o2": True,
            "yes": True,
            "true": True,
        }.get(oxygen.strip().lower(), oxygen)
    if not isinstance(oxygen, bool):
        raise InputError("on_oxygen", f"must be air or oxygen, got {raw['on_oxygen']!r}")
    avpu = str(raw["avpu"]).strip().upper()
    if avpu not in AVPU:
        raise InputError("avpu", f"must be one of {', '.join(AVPU)} (ACVPU), got {raw['avpu']!r}")
    return VitalSigns(
        temperature_c=values["temperature_c"].quantize(Decimal("0.1")),
        heart_rate_bpm=int(values["heart_rate_bpm"]),
        systolic_mmhg=int(values["systolic_mmhg"]),
        diastolic_mmhg=int(values["diastolic_mmhg"]),
        respiratory_rate_per_min=int(values["respiratory_rate_per_min"]),
        spo2_pct=int(values["spo2_pct"]),
        on_oxygen=oxygen,
        avpu=avpu,
    )


_NAMES: dict[str, tuple[Callable[[], Message], str]] = {
    "temperature_c": (m.sign_temperature, "°C"),
    "heart_rate_bpm": (m.sign_heart_rate, "/min"),
    "systolic_mmhg": (m.sign_systolic, "mmHg"),
    "diastolic_mmhg": (m.sign_diastolic, "mmHg"),
    "respiratory_rate_per_min": (m.sign_respiratory_rate, "/min"),
    "spo2_pct": (m.sign_spo2, "%"),
}


def vitals_alarms(vitals: VitalSigns, limits: VitalAlertLimits) -> list[Alarm]:
    """High alarms for values outside the protocol's limits and for a NEWS2 needing review."""
    return _alarms(vitals, limits, news2.score(vitals))


def _alarms(vitals: VitalSigns, limits: VitalAlertLimits, scored: news2.News2) -> list[Alarm]:
    alarms: list[Alarm] = []
    for name, (sign, unit) in _NAMES.items():
        limit: AlertRange = getattr(limits, name).value
        value = Decimal(getattr(vitals, name))
        if value < limit.min or value > limit.max:
            side = "low" if value < limit.min else "high"
            alarms.append(
                Alarm(
                    Priority.HIGH,
                    f"{name}_{side}",
                    m.alarm_out_of_limits(
                        sign=sign(), value=value, unit=unit, low=limit.min, high=limit.max
                    ),
                    m.do_assess_reaction(),
                )
            )
    if vitals.avpu != "A":
        alarms.append(
            Alarm(
                Priority.HIGH,
                "consciousness",
                m.alarm_consciousness(level=_LEVELS[vitals.avpu](), avpu=vitals.avpu),
                m.do_stop_call_physician(),
            )
        )
    if scored.band in (news2.RiskBand.MEDIUM, news2.RiskBand.HIGH):
        alarms.append(
            Alarm(
                Priority.HIGH,
                "news2",
                m.alarm_news2_band(total=scored.total, band=m.value_of("news2_band", scored.band)),
                m.do_urgent_review(),
            )
        )
    elif scored.band is news2.RiskBand.LOW_MEDIUM:
        alarms.append(
            Alarm(
                Priority.MEDIUM,
                "news2",
                m.alarm_news2_single(total=scored.total),
                m.do_ward_review(),
            )
        )
    return alarms


def vitals_payload(vitals: VitalSigns, limits: VitalAlertLimits) -> dict[str, Any]:
    """What a stored set holds: the values, their NEWS2 and the alarms they raised then.

    Score and alarms are stored, not recomputed when read, so the record shows what the
    nurse was shown even if a later protocol version moves a limit.
    """
    scored = news2.score(vitals)
    return {
        **vitals.as_payload(),
        "news2": scored.total,
        "news2_band": scored.band.value,
        "alarms": [
            {
                "priority": alarm.priority.value,
                "code": alarm.code,
                # stored as the English line (str), as always; people see the message value
                "message": str(alarm.message),
                "suggested_action": str(alarm.suggested_action),
            }
            for alarm in _alarms(vitals, limits, scored)
        ],
    }
