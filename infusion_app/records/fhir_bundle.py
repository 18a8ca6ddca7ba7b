"""One infusion as a FHIR R4 Bundle: Patient, MedicationAdministration, vital-sign
Observations (LOINC) and AdverseEvents with their CTCAE grade.

Built as plain JSON and validated with the ``fhir.resources`` models (R4B, the R4 line) before
it is returned, so a bundle that does not validate never leaves the app. Resource IDs are
UUIDs derived from the infusion's stream name and the event's seq, so exporting the same
infusion twice gives the same bundle.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from infusion_app.logic.infusion_state import AdverseEventEntry, Status, VitalsEntry
from infusion_app.logic.summaries import json_default
from infusion_app.records.infusion_log import dose_given
from infusion_app.records.source import RecordSource

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
AE_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
EXTENSIONS = "https://infusion-app.example/fhir/StructureDefinition"
CTCAE_GRADE = f"{EXTENSIONS}/ctcae-grade"
DLT = f"{EXTENSIONS}/dose-limiting-toxicity"
TRIAL_ID_SYSTEM = "urn:infusion-app:trial-id"

# (LOINC code, display, UCUM unit, value) for each single-value vital sign.
VITAL_CODES: tuple[tuple[str, str, str, str], ...] = (
    ("8310-5", "Body temperature", "Cel", "temperature_c"),
    ("8867-4", "Heart rate", "/min", "heart_rate_bpm"),
    ("9279-1", "Respiratory rate", "/min", "respiratory_rate_per_min"),
    ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "spo2_pct"),
)
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")
SYSTOLIC = ("8480-6", "Systolic blood pressure")
DIASTOLIC = ("8462-4", "Diastolic blood pressure")

_OUTCOMES = {
    "not recovered / ongoing": "ongoing",
    "recovering": "recovering",
    "recovered": "resolved",
    "recovered with sequelae": "resolvedWithSequelae",
    "fatal": "fatal",
    "unknown": "unknown",
}
_ADMINISTRATION_STATUS = {
    Status.NOT_STARTED: "not-done",
    Status.RUNNING: "in-progress",
    Status.PAUSED: "on-hold",
    Status.ENDED: "completed",
    Status.OBSERVATION_COMPLETE: "completed",
    Status.STOPPED: "stopped",
}


def fhir_bundle(source: RecordSource) -> dict[str, Any]:
    """The bundle as validated JSON data."""
    from fhir.resources.R4B.bundle import Bundle  # heavy: loaded only when exporting

    resources = [
        _patient(source),
        _administration(source),
        *(r for v in source.state.vitals for r in _vitals(source, v)),
        *(_adverse_event(source, a) for a in source.state.adverse_events),
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": _id(source, "bundle"),
        "type": "collection",
        "timestamp": _time(source.events[-1].recorded_at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    validated = Bundle.model_validate(bundle)
    data: dict[str, Any] = json.loads(validated.model_dump_json())
    return data


def fhir_bundle_json(source: RecordSource) -> str:
    return json.dumps(fhir_bundle(source), indent=2, ensure_ascii=False)


def _id(source: RecordSource, part: str) -> str:
    return str(uuid5(NAMESPACE_URL, f"infusion-app:{source.stream}:{part}"))


def _ref(source: RecordSource, part: str) -> dict[str, str]:
    return {"reference": f"urn:uuid:{_id(source, part)}"}


def _time(moment: datetime) -> str:
    return moment.isoformat()


def _number(value: Decimal | int) -> Any:
    """A FHIR decimal from an exact value, by the app's one Decimal-to-JSON rule."""
    return value if isinstance(value, int) else json_default(value)


def _patient(source: RecordSource) -> dict[str, Any]:
    patient = source.patient
    return {
        "resourceType": "Patient",
        "id": _id(source, "patient"),
        "identifier": [
            {"system": f"{TRIAL_ID_SYSTEM}:{source.protocol.id}", "value": patient.trial_id}
        ],
        "name": [{"text": patient.initials}],
        "gender": patient.sex if patient.sex in ("female", "male", "other") else "unknown",
    }


def _administration(source: RecordSource) -> dict[str, Any]:
    state = source.state
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": _id(source, "administration"),
        "status": _ADMINISTRATION_STATUS[state.status],
        "medicationCodeableConcept": {
            "text": f"{source.protocol.product.value}; product {source.product.product_id}"
            + (f", lot {source.product.lot}" if source.product.lot else "")
        },
        "subject": _ref(source, "patient"),
        "effectivePeriod": {
            k: _time(v)
            for k, v in (("start", state.started_at), ("end", state.ended_at))
            if v is not None
        }
        or {"start": _time(source.events[0].occurred_at)},
        "performer": [
            {"actor": {"display": name}}
            for name in dict.fromkeys(
                s.printed_name for s in state.signatures if s.meaning == "administered"
            )
        ],
    }
    if not resource["performer"]:
        del resource["performer"]
    dosage: dict[str, Any] = {}
    given = dose_given(source)
    if given is not None:
        dosage["dose"] = {
            "value": _number(given),
            "unit": "cells",
            "system": UCUM,
            "code": "{cells}",
        }
    if state.dose is not None:
        dosage["text"] = (
            f"{source.dose_level_label}; final volume "
            f"{state.dose.bag_volume_ml} mL, drop factor {state.dose.drop_factor_gtt_per_ml} gtt/mL"
            + (f"; volume infused {state.volume_infused_ml} mL" if state.volume_infused_ml else "")
        )
    if state.rate_gtt_per_min is not None:
        dosage["rateQuantity"] = {
            "value": state.rate_gtt_per_min,
            "unit": "drops/min",
            "system": UCUM,
            "code": "[drp]/min",
        }
    if dosage:
        resource["dosage"] = dosage
    return resource


def _vital_observation(
    source: RecordSource, entry: VitalsEntry, part: str, code: tuple[str, str]
) -> dict[str, Any]:
    corrected = any(c.corrects_seq == entry.seq for c in source.state.corrections)
    return {
        "resourceType": "Observation",
        "id": _id(source, f"vitals:{entry.seq}:{part}"),
        "status": "amended" if corrected else "final",
        "category": [
            {
                "coding": [
                    {
                        "system": OBSERVATION_CATEGORY,
                        "code": "vital-signs",
                        "display": "Vital Signs",
                    }
                ]
            }
        ],
        "code": {
            "coding": [{"system": LOINC, "code": code[0], "display": code[1]}],
            "text": code[1],
        },
        "subject": _ref(source, "patient"),
        "effectiveDateTime": _time(entry.at),
        "partOf": [_ref(source, "administration")],
    }


def _quantity(value: Decimal | int, unit: str) -> dict[str, Any]:
    return {"value": _number(value), "unit": unit, "system": UCUM, "code": unit}


def _vitals(source: RecordSource, entry: VitalsEntry) -> list[dict[str, Any]]:
    values = entry.vitals.as_payload()
    out = []
    for code, display, unit, key in VITAL_CODES:
        observation = _vital_observation(source, entry, key, (code, display))
        observation["valueQuantity"] = _quantity(values[key], unit)
        out.append(observation)
    panel = _vital_observation(source, entry, "bp", BP_PANEL)
    panel["component"] = [
        {
            "code": {"coding": [{"system": LOINC, "code": c[0], "display": c[1]}]},
            "valueQuantity": _quantity(values[key], "mm[Hg]"),
        }
        for c, key in ((SYSTOLIC, "systolic_mmhg"), (DIASTOLIC, "diastolic_mmhg"))
    ]
    out.append(panel)
    return out


def _adverse_event(source: RecordSource, entry: AdverseEventEntry) -> dict[str, Any]:
    ae = entry.event
    severity = "mild" if ae.grade == 1 else "moderate" if ae.grade == 2 else "severe"
    return {
        "resourceType": "AdverseEvent",
        "id": _id(source, f"ae:{entry.seq}"),
        "extension": [
            {"url": CTCAE_GRADE, "valueInteger": ae.grade},
            {"url": DLT, "valueBoolean": entry.dlt},
        ],
        "actuality": "actual",
        "event": {"text": f"{ae.name} (CTCAE v5.0)"},
        "subject": _ref(source, "patient"),
        "date": _time(ae.started_at),
        "detected": _time(ae.aware_at),
        "seriousness": {
            "coding": [
                {
                    "system": AE_SERIOUSNESS,
                    "code": "serious" if ae.serious else "non-serious",
                }
            ]
        },
        "severity": {"coding": [{"system": AE_SEVERITY, "code": severity}]},
        "outcome": {"coding": [{"system": AE_OUTCOME, "code": _OUTCOMES[ae.outcome.value]}]},
        "suspectEntity": [
            {
                "instance": _ref(source, "administration"),
                "causality": [{"assessment": {"text": ae.attribution.value}}],
            }
        ],
        "study": [{"display": source.protocol.label}],
    }
