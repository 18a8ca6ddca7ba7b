"""An infusion's log as rows a person reads: the bedside table, the monitor view, the record.

Each stored event is one row, as it was recorded. Corrections do not rewrite it: the row says
which later entry corrected it and why, and the correction has its own row. Signatures are
shown beside the entry they sign (printed name and meaning) as well as in their own row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import Message, Param


@dataclass(frozen=True)
class LogRow:
    seq: int
    what: Message  # the event's name: "Infusion started"
    occurred_at: datetime
    recorded_at: datetime
    user: str
    details: Message
    back_entry_reason: str | None
    signed: tuple[Message, ...]  # "administered by Nora Nurse"
    corrected_by: tuple[Message, ...]  # "#14: wrong time (corrects #12: time: ...)"

    @property
    def back_entered(self) -> bool:
        return is_back_entered(self.occurred_at, self.recorded_at)


def log_rows(events: Iterable[RecordedEvent]) -> list[LogRow]:
    stored = list(events)
    signed: dict[int, list[Message]] = {}
    corrected: dict[int, list[Message]] = {}
    for event in stored:
        p = event.payload
        if event.type is EventType.SIGNATURE:
            signed.setdefault(int(p["signed_seq"]), []).append(
                m.signed_by(meaning=p["meaning"], printed_name=p["printed_name"])
            )
        elif event.type is EventType.CORRECTION:
            corrected.setdefault(int(p["corrects_seq"]), []).append(
                m.corrected_by(seq=event.seq, reason=event.reason or "", details=describe(event))
            )
    return [
        LogRow(
            event.seq,
            m.event_name(event.type),
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


def describe(event: RecordedEvent) -> Message:
    """One line of what the entry says, in the words of the bedside."""
    p = event.payload
    match event.type:
        case EventType.VITALS_RECORDED:
            return describe_vitals(p)
        case EventType.DOSE_CALCULATED:
            # the stored text has its unit ("1.27 × 10^8 cells"); the message adds it once
            cells = str(p.get("delivered_cells_text")).removesuffix(" cells")
            return m.log_dose(
                cells=cells,
                final_volume_ml=_value(p.get("final_volume_ml")),
                product_volume_ml=_value(p.get("product_volume_ml")),
                weight_kg=_value(p.get("weight_kg")),
            )
        case EventType.ADVERSE_EVENT_RECORDED:
            flags = tuple(
                flag()
                for flag, on in ((m.flag_serious, p.get("serious")), (m.flag_dlt, p.get("dlt")))
                if on
            )
            return m.log_adverse_event(
                term=_value(p.get("other_term") or p.get("term")),
                grade=_value(p.get("grade")),
                attribution=_value(p.get("attribution")),
                flags=m.ae_flags(flags=flags) if flags else None,
                said=m.ae_said(description=str(p["description"])) if p.get("description") else None,
            )
        case EventType.CORRECTION:
            return m.log_correction(
                seq=int(p["corrects_seq"]),
                pairs=_pairs(
                    {
                        **({"time": p["occurred_at"]} if p.get("occurred_at") else {}),
                        **p.get("changes", {}),
                    }
                ),
            )
        case EventType.SIGNATURE:
            return m.log_signature(
                meaning=_value(p.get("meaning")),
                printed_name=_value(p.get("printed_name")),
                signed_seq=_value(p.get("signed_seq")),
            )
        case EventType.ALARM_ACKNOWLEDGED:
            return m.text(str(p.get("message") or p.get("alarm")))
        case _:
            return m.log_pairs(pairs=_pairs(p))


def describe_vitals(p: Mapping[str, Any]) -> Message:
    return m.log_vitals(
        temperature_c=_value(p.get("temperature_c")),
        heart_rate_bpm=_value(p.get("heart_rate_bpm")),
        systolic_mmhg=_value(p.get("systolic_mmhg")),
        diastolic_mmhg=_value(p.get("diastolic_mmhg")),
        respiratory_rate_per_min=_value(p.get("respiratory_rate_per_min")),
        spo2_pct=_value(p.get("spo2_pct")),
        oxygen=m.on_oxygen() if p.get("on_oxygen") else None,
        avpu=_value(p.get("avpu")),
        news2=_value(p.get("news2")),
    )


_LEFT_OUT = {"warnings", "alarms", "phases", "coa", "release_check"}


def _pairs(payload: Mapping[str, Any]) -> tuple[Message, ...]:
    """Each shown field in people's words ("rate: 50 gtt/min", "no discomfort: yes")."""
    return tuple(
        m.field(key, _value(value))
        for key, value in payload.items()
        if key not in _LEFT_OUT and value not in (None, "", [], {})
    )


def _value(value: Any) -> Param:
    """A stored JSON value as a message parameter: lists become tuples, the rest as stored."""
    if isinstance(value, bool | int | str | Decimal | datetime) or value is None:
        return value
    if isinstance(value, list | tuple):
        return tuple(_value(item) for item in value)
    return str(value)
