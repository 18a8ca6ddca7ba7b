"""Texts that payloads store are the same English lines as before messages became data.

Each expected line was written by the old f-strings (copied from the fixture record where
one holds it); the stored JSON and its hash chain depend on them staying byte for byte.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from infusion_app.logic import messages as m
from infusion_app.logic.advisories import Advisory
from infusion_app.logic.identity import GivenIdentity, PatientFacts, identity_problems
from infusion_app.logic.summaries import advisory_summary


def test_a_vitals_alarm_stores_the_line_of_the_fixture_record() -> None:
    # record_v1 (h-events' fixture) stores exactly this for a 38.4 °C against 36.0-37.9
    alarm = m.alarm_out_of_limits(
        sign=m.sign_temperature(),
        value=Decimal("38.4"),
        unit="°C",
        low=Decimal("36.0"),
        high=Decimal("37.9"),
    )
    assert str(alarm) == "temperature 38.4 °C is outside the alert limits 36.0-37.9 °C"
    assert str(m.do_assess_reaction()) == "pause infusion, assess for infusion reaction"
    assert str(m.do_urgent_review()) == (
        "urgent clinical review; pause infusion, assess for infusion reaction"
    )


def test_an_advisory_summary_stores_its_english_line() -> None:
    # old f-string: f"{weight} kg is outside the usual {soft_min}–{soft_max} kg of {label}: ..."
    warning = Advisory(
        "weight_outside_usual_range",
        "warning",
        "weight_kg",
        m.adv_weight_outside_usual(
            weight_kg=Decimal("29.5"),
            usual_min_kg=Decimal(30),
            usual_max_kg=Decimal(150),
            protocol="UC-MSC",
        ),
    )
    assert advisory_summary(warning)["message"] == (
        "29.5 kg is outside the usual 30–150 kg of UC-MSC: confirm the weight before dosing"
    )
    assert str(warning) == f"warning: weight_kg: {advisory_summary(warning)['message']}"


def test_identity_problems_keep_their_stored_lines() -> None:
    # a failed check stores its problems as these lines (old f-strings, filled by hand)
    patient = PatientFacts("P001", "WL", None)
    problems = identity_problems(
        patient,
        GivenIdentity(trial_id="P002", initials="XY", date_of_birth=date(1970, 1, 1)),
        infusion_product="UC-1",
        product_owner="P002",
        scanned_product="UC-2",
    )
    assert [str(p) for p in problems] == [
        "trial ID P002 is not this infusion's patient P001",
        "initials XY do not match the patient",
        "no date of birth on record: use the initials",
        "bag UC-2 is not this infusion's product UC-1 (it belongs to patient P002)",
    ]
    unowned = identity_problems(
        patient,
        GivenIdentity(trial_id="P001", initials="WL"),
        infusion_product="UC-1",
        product_owner=None,
        scanned_product="UC-9",
    )
    assert [str(p) for p in unowned] == ["bag UC-9 is not this infusion's product UC-1"]
