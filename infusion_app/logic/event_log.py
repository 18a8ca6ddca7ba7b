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
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
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


def log_rows(events: Iterable[RecordedEvent], state: InfusionState | None = None) -> list[LogRow]:
    """``state`` (the fold of ``events``) lets an acknowledged alarm read in the reader's
    language: its stored English line is matched to the alarm it was (see :func:`seen`)."""
    stored = list(events)
    said = seen(state)
    signed: dict[int, list[Message]] = {}
    corrected: dict[int, list[Message]] = {}
    for event in stored:
        data = event.data
        if isinstance(data, Signature):
            signed.setdefault(data.signed_seq, []).append(
                m.signed_by(meaning=_meaning(data), printed_name=data.printed_name)
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
            _acknowledged(event, said) or describe(event),
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
                term=m.text(data.other_term)
                if data.other_term
                else m.value_of("ae_term", data.term),
                grade=data.grade,
                attribution=m.value_of("attribution", data.attribution),
                flags=m.ae_flags(flags=flags) if flags else None,
                said=m.ae_said(description=data.description) if data.description else None,
            )
        case Correction():
            # the moved time as a time: the reader's edge shows it in the station's zone
            moved = {"time": data.occurred_at} if data.occurred_at else {}
            return m.log_correction(
                seq=data.corrects_seq,
                pairs=_pairs({**moved, **plain(data.changes)}, data.corrects_type),
            )
        case Signature():
            return m.log_signature(
                meaning=_meaning(data),
                printed_name=data.printed_name,
                signed_seq=data.signed_seq,
            )
        case AlarmAcknowledged():
            return m.text(data.message or data.alarm)
        case _:
            return m.log_pairs(pairs=_pairs(event.payload, event.type))


# What the bedside's banner says of a due item with no value of its own (an acknowledgement
# stores the banner's English line: "Overdue: vital signs")
_PLAIN_DUE = (
    m.due_vitals, m.due_expected_end, m.due_end_vitals, m.due_observation_vitals,
    m.due_observation_end, m.due_post_thaw_passed, m.due_post_thaw_limit,
)  # fmt: skip


def seen(state: InfusionState | None) -> dict[str, Message]:
    """The banner's lines an acknowledgement may have stored (in English, as it stores them),
    each with the message it showed: every alarm of every set of vital signs (as the fold read
    it with the protocol's limits), the rate step, and the due items that carry no value."""
    items: list[Message] = [due() for due in _PLAIN_DUE]
    if state is not None:
        items += [
            m.due_alarm(alarm=alarm.message, action=alarm.suggested_action)
            for entry in state.vitals
            for alarm in entry.alarms
        ]
        if state.dose is not None:  # the rate step, to the plan's second rate
            items.append(m.due_rate_step(rate=state.dose.phase2_rate_gtt_per_min))
    shown = [m.board_due(item=item) for item in items] + [m.board_product_expired()]
    shown += [m.board_overdue(item=item) for item in items]
    return {str(message): message for message in shown}


def _acknowledged(event: RecordedEvent, said: Mapping[str, Message]) -> Message | None:
    """An acknowledgement's line as the message it was, where it is one the banner showed."""
    if isinstance(event.data, AlarmAcknowledged):
        return said.get(event.data.message)
    return None


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


# (a checkpoint's heads: one hash per record of the site, for verify-log --since, not a line)
_LEFT_OUT = {"warnings", "alarms", "phases", "coa", "release_check", "heads"}
# how events.plain stores a time: 2026-11-21T08:02:00.000000+00:00
_STORED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?([+-]\d\d:\d\d|Z)")


# The stored fields whose value is one of an enumeration's (messages.VALUES), by field; where
# a key means another enumeration in one kind of event, by event type first.
_VALUE_FIELDS = {
    "term": "ae_term", "attribution": "attribution", "outcome": "ae_outcome",
    "action_taken": "action_taken", "product_status": "product_status", "sex": "sex",
    "news2_band": "news2_band", "role": "role", "decision": "decision", "drug": "drug",
    "route": "route",
}  # fmt: skip
_VALUE_FIELDS_OF: dict[EventType, dict[str, str]] = {
    EventType.TREATMENT_ENDED: {"reason": "end_reason"},
    EventType.USER_ROLE_CHANGED: {"from": "role", "to": "role"},
    EventType.PRODUCT_RETURNED: {"from": "product_status"},
    EventType.PRODUCT_DISCARDED: {"from": "product_status"},
    EventType.TRANSFUSION_GIVEN: {"kind": "transfusion_kind"},
    EventType.IDENTITY_CHECKED: {"method": "id_method"},
    EventType.CHECK_FAILED: {"method": "id_method"},
}


def _meaning(data: Signature) -> Message:
    return m.value_of("signature_meaning", data.meaning)


def _pairs(payload: Mapping[str, Any], event_type: EventType | None = None) -> tuple[Message, ...]:
    """Each shown field in people's words ("rate: 50 gtt/min", "no discomfort: yes"); an
    enumerated value in the reader's words ("attribution: possible", 相关性：可能有关)."""
    kinds = {**_VALUE_FIELDS, **_VALUE_FIELDS_OF.get(event_type, {})} if event_type else {}
    return tuple(
        m.field(key, _shown(kinds.get(key), value))
        for key, value in payload.items()
        if key not in _LEFT_OUT and value not in (None, "", [], {})
    )


def _shown(kind: str | None, value: Any) -> Param:
    if kind is not None and isinstance(value, str):
        return m.value_of(kind, value)
    return _value(value)


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
