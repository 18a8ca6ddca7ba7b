"""An infusion's log as rows a person reads: the bedside table, the monitor view, the record.

Each stored event is one row, as it was recorded. Corrections do not rewrite it: the row says
which later entry corrected it and why, and the correction has its own row. Signatures are
shown beside the entry they sign (printed name and meaning) as well as in their own row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import RecordedEvent


@dataclass(frozen=True)
class LogRow:
    seq: int
    what: str
    occurred_at: datetime
    recorded_at: datetime
    user: str
    details: str
    back_entry_reason: str | None
    signed: tuple[str, ...]  # "administered by Nora Nurse"
    corrected_by: tuple[str, ...]  # "#14: wrong time (08:35 -> 08:33)"

    @property
    def back_entered(self) -> bool:
        return is_back_entered(self.occurred_at, self.recorded_at)


def log_rows(events: Iterable[RecordedEvent]) -> list[LogRow]:
    stored = list(events)
    signed: dict[int, list[str]] = {}
    corrected: dict[int, list[str]] = {}
    for event in stored:
        p = event.payload
        if event.type is EventType.SIGNATURE:
            signed.setdefault(int(p["signed_seq"]), []).append(
                f"{p['meaning']} by {p['printed_name']}"
            )
        elif event.type is EventType.CORRECTION:
            corrected.setdefault(int(p["corrects_seq"]), []).append(
                f"#{event.seq}: {event.reason or ''} ({describe(event)})"
            )
    return [
        LogRow(
            event.seq,
            event.type.value.replace("_", " ").capitalize(),
            event.occurred_at,
            event.recorded_at,
            event.user or "",
            describe(event),
            event.reason if event.type is not EventType.CORRECTION else None,
            tuple(signed.get(event.seq, ())),
            tuple(corrected.get(event.seq, ())),
        )
        for event in stored
    ]


def describe(event: RecordedEvent) -> str:
    """One line of what the entry says, in the words of the bedside."""
    p = event.payload
    match event.type:
        case EventType.VITALS_RECORDED:
            return describe_vitals(p)
        case EventType.DOSE_CALCULATED:
            cells = str(p.get("delivered_cells_text"))  # "1.27 × 10^8 cells": has its unit
            if not cells.endswith(" cells"):
                cells = f"{cells} cells"
            return (
                f"{cells} in {p.get('final_volume_ml')} mL "
                f"({p.get('product_volume_ml')} mL of product), weight {p.get('weight_kg')} kg"
            )
        case EventType.ADVERSE_EVENT_RECORDED:
            flags = [x for x, on in (("serious", p.get("serious")), ("DLT", p.get("dlt"))) if on]
            extra = f", {', '.join(flags)}" if flags else ""
            said = f": {p['description']}" if p.get("description") else ""
            return (
                f"{p.get('other_term') or p.get('term')} grade {p.get('grade')}, "
                f"{p.get('attribution')}{extra}{said}"
            )
        case EventType.CORRECTION:
            return _pairs(
                {
                    **({"time": p["occurred_at"]} if p.get("occurred_at") else {}),
                    **p.get("changes", {}),
                },
                prefix=f"corrects #{p.get('corrects_seq')}: ",
            )
        case EventType.SIGNATURE:
            return f"{p.get('meaning')} by {p.get('printed_name')} (signs #{p.get('signed_seq')})"
        case EventType.ALARM_ACKNOWLEDGED:
            return str(p.get("message") or p.get("alarm"))
        case _:
            return _pairs(p)


def describe_vitals(p: Mapping[str, Any]) -> str:
    oxygen = " on O2" if p.get("on_oxygen") else ""
    return (
        f"T {p.get('temperature_c')} °C, HR {p.get('heart_rate_bpm')}, "
        f"BP {p.get('systolic_mmhg')}/{p.get('diastolic_mmhg')}, "
        f"RR {p.get('respiratory_rate_per_min')}, SpO2 {p.get('spo2_pct')}%{oxygen}, "
        f"{p.get('avpu')}, NEWS2 {p.get('news2')}"
    )


_LEFT_OUT = {"warnings", "alarms", "phases", "coa", "release_check"}


def _pairs(payload: Mapping[str, Any], prefix: str = "") -> str:
    shown = [
        f"{key.replace('_', ' ')}: {value}"
        for key, value in payload.items()
        if key not in _LEFT_OUT and value not in (None, "", [], {})
    ]
    return prefix + "; ".join(shown)
