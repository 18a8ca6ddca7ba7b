"""What a correction may change, and the corrected values with everything derived from them.

A correction never edits the stored event: it is a new event naming the one it corrects,
the fields it changes (old and new values) and why. Derived values are recomputed here, so a
corrected temperature carries its new NEWS2 and alarms, a corrected grade its new DLT flag.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from infusion_app.logic.adverse_events import is_dlt, parse_adverse_event, sae_report_due
from infusion_app.logic.course import Span
from infusion_app.logic.dosing import MAX_VOLUME_ML
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Correction, stored_form
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.numbers import parse_decimal, require_range
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.transitions import corrected
from infusion_app.logic.vitals import PLAUSIBLE, parse_vitals, vitals_payload

TIMED = frozenset(
    {
        EventType.IDENTITY_CHECKED,
        EventType.PREMEDICATION_GIVEN,
        EventType.PRODUCT_THAWED,
        EventType.INFUSION_STARTED,
        EventType.RATE_CHANGED,
        EventType.SLOW_RATE_HELD,
        EventType.VITALS_RECORDED,
        EventType.INFUSION_PAUSED,
        EventType.INFUSION_RESUMED,
        EventType.INFUSION_STOPPED,
        EventType.INFUSION_ENDED,
        EventType.OBSERVATION_ENDED,
        EventType.ADVERSE_EVENT_RECORDED,
    }
)

FIELDS: dict[EventType, frozenset[str]] = {
    EventType.VITALS_RECORDED: frozenset({*PLAUSIBLE, "on_oxygen", "avpu"}),
    EventType.INFUSION_ENDED: frozenset({"volume_infused_ml", "override_reason"}),
    EventType.INFUSION_STOPPED: frozenset({"volume_given_ml", "reason"}),
    EventType.INFUSION_PAUSED: frozenset({"reason"}),
    EventType.ADVERSE_EVENT_RECORDED: frozenset(
        {
            "grade",
            "attribution",
            "serious",
            "action_taken",
            "outcome",
            "description",
            "started_at",
            "aware_at",
            "other_term",
        }
    ),
    EventType.NOTE_ADDED: frozenset({"text"}),
}


def correction_payload(
    target: RecordedEvent,
    *,
    occurred_at: datetime | None,
    changes: Mapping[str, Any],
    protocol: Protocol,
    dlt_window: Span | None,
) -> Correction:
    """The CORRECTION event for ``target``, or InputError naming the field. A corrected
    adverse event is flagged again against ``dlt_window`` (the patient's, as it is now)."""
    if target.type in (EventType.CORRECTION, EventType.SIGNATURE):
        raise InputError(
            "seq", f"event {target.seq} is a {target.type.value}: it cannot be corrected"
        )
    if occurred_at is None and not changes:
        raise InputError("changes", "nothing to correct: give a new time or new values")
    if occurred_at is not None and target.type not in TIMED:
        raise InputError("occurred_at", f"the time of a {target.type.value} cannot be corrected")
    allowed = FIELDS.get(target.type, frozenset())
    for name in changes:
        if name not in allowed:
            listed = ", ".join(sorted(allowed)) or "none"
            raise InputError(
                name, f"cannot be corrected on a {target.type.value} (correctable: {listed})"
            )
    new_values = _checked_values(target.type, changes)
    before = stored_form(target.data)
    if target.type is EventType.VITALS_RECORDED:
        after = {**before, **new_values}
        new_values = vitals_payload(parse_vitals(after), protocol.vital_alert_limits)
    elif target.type is EventType.ADVERSE_EVENT_RECORDED:
        new_values = adverse_event_payload({**before, **new_values}, protocol, dlt_window)
    corrected(target, new_values)  # the corrected event must still be its model
    return Correction(
        corrects_seq=target.seq,
        corrects_type=target.type,
        changes=new_values,
        original={k: before.get(k) for k in new_values},
        occurred_at=occurred_at,
        original_occurred_at=target.occurred_at if occurred_at is not None else None,
    )


# Volumes as the bedside takes them (logic.dosing: no bag holds more than 1 L); the bag's own
# volume is checked again when the corrected log is folded.
_VOLUMES = frozenset({"volume_infused_ml", "volume_given_ml"})


def _checked_values(kind: EventType, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of a correction: a volume of "abc" is refused here by name (it was exit 70
    when the corrected log was folded), never stored."""
    values = dict(changes)
    if kind in (EventType.INFUSION_ENDED, EventType.INFUSION_STOPPED):
        for name in _VOLUMES & values.keys():
            values[name] = require_range(
                name, parse_decimal(name, values[name]), ge=Decimal(0), le=MAX_VOLUME_ML, unit="mL"
            )
    return values


def adverse_event_payload(
    raw: Mapping[str, Any], protocol: Protocol, dlt_window: Span | None
) -> dict[str, Any]:
    """An adverse event's stored form: what was entered plus the DLT flag (inside
    ``dlt_window``, from :func:`infusion_app.logic.course.dlt_window`) and the SAE deadline."""

    def when(value: Any) -> datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))

    event = parse_adverse_event(
        term=raw["term"],
        other_term=raw.get("other_term"),
        grade=raw["grade"],
        started_at=when(raw["started_at"]),
        attribution=raw["attribution"],
        serious=raw["serious"],
        action_taken=raw.get("action_taken", "none"),
        outcome=raw.get("outcome", "not recovered / ongoing"),
        aware_at=when(raw["aware_at"]),
        description=raw.get("description"),
    )
    design = protocol.design
    return {
        **event.as_payload(),
        "fever_grade_suggested": raw.get("fever_grade_suggested"),
        "dlt": is_dlt(
            event,
            min_grade=design.dlt_min_grade.value,
            window=dlt_window,
        ),
        "report_due_at": sae_report_due(event, protocol.monitoring.sae_report_h.value),
    }
