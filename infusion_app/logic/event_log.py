"""An infusion's log as rows a person reads: the bedside table, the monitor view, the record.

Each stored event is one row, as it was recorded. Corrections do not rewrite it: the row says
which later entry corrected it and why, and the correction has its own row. Signatures are
shown beside the entry they sign (printed name and meaning) as well as in their own row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from infusion_app.logic import messages as m
from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    AdverseEventRecorded,
    AlarmAcknowledged,
    Correction,
    DoseCalculated,
    Signature,
    VitalsRecorded,
    plain,
)
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
        data = event.data
        if isinstance(data, Signature):
            signed.setdefault(data.signed_seq, []).append(
                m.signed_by(meaning=data.meaning.value, printed_name=data.printed_name)
            )
        elif isinstance(data, Correction):
            corrected.setdefault(data.corrects_seq, []).append(
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
    """One line of what the entry says, in the words of the bedside. Values are shown as the
    log stores them (``plain``): "95.5 mL", never a Python repr."""
    data = event.data
    match data:
        case VitalsRecorded():
            return describe_vitals(data)
        case DoseCalculated():
            # the stored text has its unit ("1.27 × 10^8 cells"); the message adds it once
            return m.log_dose(
                cells=data.delivered_cells_text.removesuffix(" cells"),
                final_volume_ml=plain(data.final_volume_ml),
                product_volume_ml=plain(data.product_volume_ml),
                weight_kg=plain(data.weight_kg),
            )
        case AdverseEventRecorded():
            flags = tuple(
                flag()
                for flag, on in ((m.flag_serious, data.serious), (m.flag_dlt, data.dlt))
                if on
            )
            return m.log_adverse_event(
                term=data.other_term or data.term,
                grade=data.grade,
                attribution=data.attribution,
                flags=m.ae_flags(flags=flags) if flags else None,
                said=m.ae_said(description=data.description) if data.description else None,
            )
        case Correction():
            # the moved time as a time: the reader's edge shows it in the station's zone
            moved = {"time": data.occurred_at} if data.occurred_at else {}
            return m.log_correction(
                seq=data.corrects_seq, pairs=_pairs({**moved, **plain(data.changes)})
            )
        case Signature():
            return m.log_signature(
                meaning=data.meaning.value,
                printed_name=data.printed_name,
                signed_seq=data.signed_seq,
            )
        case AlarmAcknowledged():
            return m.text(data.message or data.alarm)
        case _:
            return m.log_pairs(pairs=_pairs(event.payload))


def describe_vitals(v: VitalsRecorded) -> Message:
    return m.log_vitals(
        temperature_c=plain(v.temperature_c),
        heart_rate_bpm=v.heart_rate_bpm,
        systolic_mmhg=v.systolic_mmhg,
        diastolic_mmhg=v.diastolic_mmhg,
        respiratory_rate_per_min=v.respiratory_rate_per_min,
        spo2_pct=v.spo2_pct,
        oxygen=m.on_oxygen() if v.on_oxygen else None,
        avpu=v.avpu,
        news2=v.news2,
    )


_LEFT_OUT = {"warnings", "alarms", "phases", "coa", "release_check"}
# how events.plain stores a time: 2026-11-21T08:02:00.000000+00:00
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?([+-]\d\d:\d\d|Z)")


def _pairs(payload: Mapping[str, Any]) -> tuple[Message, ...]:
    """Each shown field in people's words ("rate: 50 gtt/min", "no discomfort: yes")."""
    return tuple(
        m.field(key, _value(value))
        for key, value in payload.items()
        if key not in _LEFT_OUT and value not in (None, "", [], {})
    )


def _value(value: Any) -> Param:
    """A stored JSON value as a message parameter: lists become tuples, a stored time (ISO
    8601 with its offset, as the log keeps it) a time, which the edge reads in the station's
    zone; the rest as stored."""
    if isinstance(value, str) and _STORED_TIME.fullmatch(value):
        return datetime.fromisoformat(value)
    if isinstance(value, bool | int | str | Decimal | datetime) or value is None:
        return value
    if isinstance(value, list | tuple):
        return tuple(_value(item) for item in value)
    return str(value)
