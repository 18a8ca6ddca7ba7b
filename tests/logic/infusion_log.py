"""Build an infusion's log by hand, event by event, for the pure state machine tests.

Payloads are made by the same logic functions the services use and pass through the store's
canonical JSON, so the fold sees exactly what it would read back from the database.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from infusion_app.logic.dosing import calculate_dose
from infusion_app.logic.drip_plan import plan_drip
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import Event, decode
from infusion_app.logic.infusion_state import InfusionState, RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.logic.summaries import calculation_summary
from infusion_app.logic.transitions import apply
from infusion_app.logic.vitals import parse_vitals, vitals_payload
from infusion_app.store.eventlog import canonical_json, jsonable

NORMAL_VITALS = {
    "temperature_c": "36.8",
    "heart_rate_bpm": 72,
    "systolic_mmhg": 122,
    "diastolic_mmhg": 76,
    "respiratory_rate_per_min": 14,
    "spo2_pct": 98,
    "on_oxygen": False,
    "avpu": "A",
}


# Values of the fields a test leaves out because the rule book does not read them.
FILLERS: dict[EventType, dict[str, Any]] = {
    EventType.DOSE_CALCULATED: {"product": "UC-MSC-2026-0001"},
    EventType.IDENTITY_CHECKED: {
        "method": "wristband",
        "trial_id": "P001",
        "product": "UC-MSC-2026-0001",
        "product_status": "released",
    },
    EventType.PREMEDICATION_GIVEN: {"drug": "dexamethasone", "dose_mg": "5", "route": "IV"},
    EventType.PRODUCT_THAWED: {"post_thaw_limit_min": 120},
    EventType.INFUSION_STARTED: {"rate_gtt_per_min": None},
    EventType.RATE_CHANGED: {"no_discomfort": False},
    EventType.FOLLOW_UP_DONE: {"finding": None},
    # a reason left out is a blank one: the rule book refuses it by name
    EventType.INFUSION_STOPPED: {"reason": ""},
    EventType.INFUSION_PAUSED: {"reason": ""},
    EventType.SLOW_RATE_HELD: {"reason": ""},
    EventType.ALARM_ACKNOWLEDGED: {"message": ""},
    EventType.CORRECTION: {"corrects_type": "note_added", "changes": {}, "original": {}},
    EventType.SIGNATURE: {"signed_hash": "0" * 64, "username": "nurse"},
    EventType.PRODUCT_RELEASED: {
        "release_check": {
            "protocol": "ucmsc-cart-cytopenia v1.5.0",
            "product_id": "UC-1",
            "evaluated_at": "2026-11-21T08:00:00+00:00",
            "verdict": "RELEASABLE",
            "criteria": [],
            "unrecognised_fields": [],
        }
    },
}


def typed(type_: EventType, payload: Mapping[str, Any]) -> Event:
    """A test's payload as its model, read back as the fold reads it from the database."""
    text = canonical_json(jsonable({**FILLERS.get(type_, {}), **payload}))
    return decode(type_, json.loads(text))


def t(hhmm: str, day: int = 21) -> datetime:
    """A fixed UTC time on 2026-11-<day>: t("08:35")."""
    hours, minutes = hhmm.split(":")
    return datetime(2026, 11, day, int(hours), int(minutes), tzinfo=UTC)


class InfusionLog:
    """Events appended through ``apply``, so a refused step raises exactly as in a service."""

    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.events: list[RecordedEvent] = []
        self.state = InfusionState()

    def add(
        self,
        type_: EventType,
        at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        user: str = "nurse",
        reason: str | None = None,
    ) -> InfusionState:
        data = typed(type_, payload or {})
        event = RecordedEvent(len(self.events) + 1, type_, data, at, at, user, reason)
        self.state = apply(self.state, event, self.protocol)
        self.events.append(event)
        return self.state

    # --- the usual steps -------------------------------------------------------------------

    def created(self, at: datetime) -> InfusionState:
        return self.add(
            EventType.INFUSION_CREATED,
            at,
            {
                "patient": "P001",
                "product": "UC-MSC-2026-0001",
                "number": 1,
                "protocol": self.protocol.label,
                "dose_level": "A",
            },
        )

    def dose(
        self,
        at: datetime,
        *,
        final_volume_ml: str = "100",
        user: str = "pharm",
        drop_factor: int | None = None,
    ) -> InfusionState:
        dose = calculate_dose(
            self.protocol,
            self.protocol.dose_levels[0].id,
            weight_kg="63.5",
            total_cells_per_ml="1e7",
            viability_pct="92",
            bag_volume_ml="20",
            final_volume_ml=final_volume_ml,
        )
        plan = plan_drip(self.protocol.infusion, dose.final_volume_ml, drop_factor)
        payload = {**calculation_summary(dose, plan), "weight_measured_at": at}
        return self.add(EventType.DOSE_CALCULATED, at, payload, user=user)

    def verified(self, at: datetime, user: str = "nurse") -> InfusionState:
        assert self.state.dose is not None
        return self.add(
            EventType.DOSE_VERIFIED, at, {"calculation_seq": self.state.dose.seq}, user=user
        )

    def vitals(self, at: datetime, **changes: Any) -> InfusionState:
        values = {**NORMAL_VITALS, **changes}
        payload = vitals_payload(parse_vitals(values), self.protocol.vital_alert_limits)
        return self.add(EventType.VITALS_RECORDED, at, payload)

    def ready(self, at: datetime) -> InfusionState:
        """Created, dose calculated and verified, identity checked, baseline vitals: the
        checks step done at ``at``."""
        self.created(at)
        self.dose(at)
        self.verified(at)
        self.add(EventType.IDENTITY_CHECKED, at, {"method": "wristband"})
        return self.vitals(at)

    def started(self, at: datetime, **payload: Any) -> InfusionState:
        return self.add(EventType.INFUSION_STARTED, at, {"drop_factor_gtt_per_ml": 20, **payload})
