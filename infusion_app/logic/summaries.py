"""Plain-data summaries of calculation results, one shape for the CLI's JSON, the window and
the printed record, so that every front end shows the same numbers rounded the same way.

Display rounding (half-up): deviation 0.01 %, mL/min 0.01, mL/h 0.1, minutes 0.1, phase
volumes 0.01 mL. Exact values stay in the result objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from infusion_app.logic.advisories import Advisory
from infusion_app.logic.dosing import DoseResult
from infusion_app.logic.drip_plan import DripPlan
from infusion_app.logic.infusion_state import InfusionState
from infusion_app.logic.messages import Message
from infusion_app.logic.numbers import format_cells, to_places
from infusion_app.logic.release import ReleaseCheck
from infusion_app.logic.schedule import DueItem


def advisory_summary(advisory: Advisory) -> dict[str, Any]:
    return {
        "code": advisory.code,
        "level": advisory.level,
        "field": advisory.field,
        "message": str(advisory.message),  # stored in the dose entry: its English line
    }


def drip_plan_summary(plan: DripPlan) -> dict[str, Any]:
    return {
        "drop_factor_gtt_per_ml": plan.drop_factor_gtt_per_ml,
        "bag_volume_ml": plan.bag_volume_ml,
        "phases": [
            {
                "phase": phase.number,
                "rate_gtt_per_min": phase.rate_gtt_per_min,
                "rate_ml_per_min": to_places(phase.rate_ml_per_min, 2),
                "rate_ml_per_h": to_places(phase.rate_ml_per_h, 1),
                "start_min": to_places(phase.start_min, 1),
                "duration_min": to_places(phase.duration_min, 1),
                "volume_ml": to_places(phase.volume_ml, 2),
            }
            for phase in plan.phases
        ],
        "expected_duration_min": to_places(plan.expected_duration_min, 1),
    }


def calculation_summary(dose: DoseResult, plan: DripPlan) -> dict[str, Any]:
    drip = drip_plan_summary(plan)
    return {
        "protocol": dose.protocol_label,
        "dose_level": dose.dose_level_id,
        "dose_basis": dose.dose_basis,
        "dose_cells_per_kg": dose.dose_cells_per_kg,
        "weight_kg": dose.weight_kg,
        "total_cells_per_ml": dose.total_cells_per_ml,
        "viability_pct": dose.viability_pct,
        "dosing_concentration_cells_per_ml": dose.dosing_concentration_cells_per_ml,
        "target_cells": dose.target_cells,
        "target_cells_text": format_cells(dose.target_cells),
        "product_volume_ml": dose.product_volume_ml,
        "delivered_cells": dose.delivered_cells,
        "delivered_cells_text": format_cells(dose.delivered_cells),
        "dose_deviation_pct": to_places(dose.dose_deviation_pct, 2),
        "tolerance_pct": dose.tolerance_pct,
        "final_volume_ml": dose.final_volume_ml,
        "diluent_volume_ml": dose.diluent_volume_ml,
        "drop_factor_gtt_per_ml": drip["drop_factor_gtt_per_ml"],
        "drip_plan": drip["phases"],
        "expected_duration_min": drip["expected_duration_min"],
        "warnings": [advisory_summary(a) for a in (*dose.warnings, *plan.warnings)],
    }


def release_summary(check: ReleaseCheck) -> dict[str, Any]:
    return {
        "protocol": check.protocol_label,
        "product_id": check.product_id,
        "evaluated_at": check.evaluated_at.isoformat(),
        "verdict": check.verdict.value,
        "criteria": [
            {
                "key": c.key,
                "name": str(c.name),  # stored: the English line
                "value": c.value,
                "limit": c.limit,
                "result": c.result.value,
                "source": c.source,
            }
            for c in check.criteria
        ],
        "unrecognised_fields": list(check.unrecognised_fields),
    }


def json_default(value: object) -> Any:
    """For ``json.dumps(default=...)``: Decimals leave as JSON numbers, only at this boundary."""
    if isinstance(value, Decimal):
        return (
            int(value)
            if value == value.to_integral_value() and abs(value) < 2**53
            else float(value)
        )
    if isinstance(value, datetime | date):  # a date (an outcome's day) as YYYY-MM-DD
        return value.isoformat()
    if isinstance(value, Message):  # the JSON output is English, like the CLI
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def infusion_summary(state: InfusionState, due: Sequence[DueItem], now: datetime) -> dict[str, Any]:
    """The state, the current step and the due items, as `infusion status --json` prints them."""
    dose = state.dose
    return {
        "patient": state.patient,
        "product": state.product,
        "number": state.number,
        "protocol": state.protocol,
        "now": now,
        "step": state.step.value,
        "status": state.status.value,
        "checks": {
            "identity_checked_at": state.identity_checked_at,
            "dose_calculated_by": dose.calculated_by if dose else None,
            "dose_verified_by": dose.verified_by if dose else None,
            "baseline_vitals_at": state.baseline_vitals.at if state.baseline_vitals else None,
            "failed_checks": state.failed_checks,
        },
        "dose": None
        if dose is None
        else {
            "bag_volume_ml": dose.bag_volume_ml,
            "drop_factor_gtt_per_ml": dose.drop_factor_gtt_per_ml,
            "phase1_rate_gtt_per_min": dose.phase1_rate_gtt_per_min,
            "phase2_rate_gtt_per_min": dose.phase2_rate_gtt_per_min,
            "expected_duration_min": dose.expected_duration_min,
            "delivered_cells_text": format_cells(dose.delivered_cells),
        },
        "premedication_at": state.premedication_at,
        "thawed_at": state.thawed_at,
        "started_at": state.started_at,
        "rate_gtt_per_min": state.rate_gtt_per_min,
        "rate_step_at": state.rate_step_at,
        "paused": state.paused,
        "paused_min": to_places(Decimal(state.paused_time(now).total_seconds()) / 60, 1),
        "ended_at": state.ended_at,
        "volume_infused_ml": state.volume_infused_ml,
        "observation_ended_at": state.observation_ended_at,
        "vitals": [
            {"seq": v.seq, "at": v.at, "news2": v.news2, "band": v.band, **v.vitals.as_payload()}
            for v in state.vitals
        ],
        "adverse_events": [
            {
                "seq": a.seq,
                "term": a.event.name,
                "grade": a.event.grade,
                "serious": a.event.serious,
                "dlt": a.dlt,
                "report_due_at": a.report_due_at,
                "reported_at": a.reported_at,
            }
            for a in state.adverse_events
        ],
        "overrides": [{"seq": o.seq, "what": o.what, "reason": o.reason} for o in state.overrides],
        "due": [
            {
                "kind": item.kind,
                "due_at": item.due_at,
                "overdue_at": item.overdue_at,
                "priority": item.priority.value,
                "overdue": item.overdue,
                "state": item.state_at(now),
                "message": item.message,
            }
            for item in due
        ],
    }
