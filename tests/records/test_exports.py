"""The CSV of an infusion's events and its FHIR R4 bundle."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle

from infusion_app.logic.errors import InputError
from infusion_app.services import records
from infusion_app.services.status import infusion_status
from infusion_app.services.views import bedside_view
from tests.records.conftest import one_line, pdf_pages


def test_events_csv_round_trips(ctx, staff, infusion_id, scenario):
    document = records.export_infusion(ctx, staff.monitor, infusion_id, "csv")
    assert document.file_name == "infusion-events-P001-1.csv"
    rows = list(csv.DictReader(io.StringIO(document.data.decode("utf-8"))))
    events = bedside_view(ctx, infusion_id).events
    assert len(rows) == len(events) == 22
    for row, event in zip(rows, events, strict=True):
        assert int(row["seq"]) == event.seq
        assert row["type"] == event.type.value
        assert datetime.fromisoformat(row["occurred_at"]) == event.occurred_at
        assert datetime.fromisoformat(row["recorded_at"]) == event.recorded_at
        assert row["user"] == (event.user or "")
        assert row["reason"] == (event.reason or "")
        assert json.loads(row["payload"]) == event.payload
    late = rows[scenario.late_vitals_seq - 1]
    assert late["reason"].startswith("monitor downtime")  # the back-entry's reason kept


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_bundle_validates_and_its_numbers_equal_the_record(ctx, staff, infusion_id, scenario):
    document = records.export_infusion(ctx, staff.monitor, infusion_id, "fhir")
    bundle = json.loads(document.data)
    Bundle.model_validate(bundle)  # raises if the bundle is not valid R4(B)
    state = infusion_status(ctx, infusion_id).state
    record = one_line(
        "\n".join(pdf_pages(records.infusion_record(ctx, staff.monitor, infusion_id).data))
    )

    (patient,) = _resources(bundle, "Patient")
    assert patient["identifier"][0]["value"] == "P001"
    assert patient["gender"] == "female"

    (given,) = _resources(bundle, "MedicationAdministration")
    assert given["status"] == "completed"
    # The whole 100 mL bag ran: the dose is all 13.8 mL × 9.2 × 10^6 = 126,960,000 cells,
    # printed on the record as 1.27 × 10^8.
    assert Decimal(str(given["dosage"]["dose"]["value"])) == Decimal("126960000")
    assert "Delivered cells 1.27 × 10^8 cells" in record
    assert given["dosage"]["rateQuantity"]["value"] == 40  # the fast phase's 40 gtt/min
    assert datetime.fromisoformat(given["effectivePeriod"]["start"]) == state.started_at
    assert datetime.fromisoformat(given["effectivePeriod"]["end"]) == state.ended_at
    assert [p["actor"]["display"] for p in given["performer"]] == ["Nora Nurse"]

    # Six sets of vital signs (baseline, 08:52, 09:05, 09:22, 09:25, 09:55 UTC), each as four
    # single observations and one blood-pressure panel.
    observations = _resources(bundle, "Observation")
    assert len(state.vitals) == 6
    assert len(observations) == 6 * 5
    temperatures = [o for o in observations if o["code"]["coding"][0]["code"] == "8310-5"]
    corrected = [o for o in temperatures if o["status"] == "amended"]
    assert [o["valueQuantity"]["value"] for o in corrected] == [38.6]  # as corrected
    assert corrected[0]["valueQuantity"]["code"] == "Cel"
    assert sorted(o["valueQuantity"]["value"] for o in temperatures) == [36.8] * 5 + [38.6]
    panels = [o for o in observations if o["code"]["coding"][0]["code"] == "85354-9"]
    assert {
        (c["code"]["coding"][0]["code"], c["valueQuantity"]["value"])
        for c in panels[0]["component"]
    } == {("8480-6", 122), ("8462-4", 76)}
    assert "122/76" in record

    (fever,) = _resources(bundle, "AdverseEvent")
    grades = {x["url"].rsplit("/", 1)[1]: x for x in fever["extension"]}
    assert grades["ctcae-grade"]["valueInteger"] == 1
    assert grades["dose-limiting-toxicity"]["valueBoolean"] is False
    assert fever["severity"]["coding"][0]["code"] == "mild"  # grade 1
    assert fever["seriousness"]["coding"][0]["code"] == "non-serious"
    assert fever["event"]["text"] == "Fever (CTCAE v5.0)"


def test_exporting_twice_gives_the_same_bundle(ctx, staff, infusion_id, scenario, clock):
    first = records.export_infusion(ctx, staff.monitor, infusion_id, "fhir")
    clock.advance(hours=1)
    assert records.export_infusion(ctx, staff.monitor, infusion_id, "fhir").data == first.data


def test_an_unknown_export_format_is_refused_in_one_line(ctx, staff, infusion_id):
    with pytest.raises(InputError, match="format: must be csv or fhir, got 'xml'"):
        records.export_infusion(ctx, staff.monitor, infusion_id, "xml")
