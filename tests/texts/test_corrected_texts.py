"""The English texts that were wrong before messages became data, now right, one test each."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infusion_app.logic.event_log import describe
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.messages import input_problem, label, text
from infusion_app.logic.roles import Action, Role, refusal
from tests.logic.infusion_log import typed


def test_an_admin_takes_an_not_a() -> None:
    # was "a admin may not print or export records"
    assert str(refusal(Role.ADMIN, Action.PRINT)) == "an admin may not print or export records"
    assert str(refusal(Role.NURSE, Action.MANAGE_ACCOUNTS)) == "a nurse may not manage accounts"


def test_every_role_and_action_has_words() -> None:
    # the refusal reads "<role with article> may not <action>" for each role and action;
    # the action words are the Action's own value, as the old f-string printed them
    for role in Role:
        for action in Action:
            line = str(refusal(role, action))
            assert line.endswith(f" {role.value} may not {action.value}")
            assert line.split(" ")[0] == ("an" if role in (Role.ADMIN, Role.INVESTIGATOR) else "a")


AT = datetime(2026, 11, 21, 8, 40, tzinfo=UTC)


def entry(type_: EventType, payload: dict[str, Any], reason: str | None = None) -> RecordedEvent:
    return RecordedEvent(7, type_, typed(type_, payload), AT, AT, "nurse", reason)


def test_a_rate_step_reads_in_words_not_keys_and_python_literals() -> None:
    # was "no discomfort: True; rate gtt per min: 50" (stored keys come back in sorted order)
    step = entry(EventType.RATE_CHANGED, {"rate_gtt_per_min": 50, "no_discomfort": True})
    assert str(describe(step)) == "no discomfort: yes; rate: 50 gtt/min"


def test_a_corrected_vital_sign_is_named_not_keyed() -> None:
    # was "corrects #3: heart rate bpm: 88; on oxygen: False" (and "Heart_rate_bpm" once
    # capitalised); the glossary names the sign and its unit, the boolean reads "no"
    fix = entry(
        EventType.CORRECTION,
        {"corrects_seq": 3, "changes": {"heart_rate_bpm": 88, "on_oxygen": False}},
        reason="misread",
    )
    line = str(describe(fix))
    assert line == "corrects #3: heart rate: 88 /min; on oxygen: no"
    assert "_" not in line


def stored_dose_calculation() -> dict[str, Any]:
    """The dose entry of the fixture record written by the services (tests/fixtures)."""
    record = Path(__file__).parents[1] / "fixtures" / "record_v1.sqlite3"
    with closing(sqlite3.connect(f"file:{record}?mode=ro&immutable=1", uri=True)) as con:
        (text,) = con.execute(
            "SELECT payload FROM events WHERE type = 'dose_calculated' ORDER BY id LIMIT 1"
        ).fetchone()
    stored: dict[str, Any] = json.loads(text)
    return stored


def test_the_dose_entry_names_its_cells_once() -> None:
    # the stored text carries its unit ("1.27 × 10^8 cells"); the line adds "cells" once,
    # and once too when a stored text lacks it
    payload = {
        **stored_dose_calculation(),  # a whole stored entry, the fields below set by hand
        "delivered_cells_text": "1.27 × 10^8 cells",
        "final_volume_ml": "100",
        "product_volume_ml": "13.8",
        "weight_kg": "70",
    }
    expected = "1.27 × 10^8 cells in 100 mL (13.8 mL of product), weight 70 kg"
    assert str(describe(entry(EventType.DOSE_CALCULATED, payload))) == expected
    bare = {**payload, "delivered_cells_text": "1.27 × 10^8"}
    assert str(describe(entry(EventType.DOSE_CALCULATED, bare))) == expected


def test_a_list_in_a_payload_is_not_printed_as_a_python_list() -> None:
    # was "problems: ['wrong patient', 'expired']"
    failed = entry(
        EventType.CHECK_FAILED,
        {
            "method": "wristband",
            "trial_id": "P001",
            "product": "UC-1",
            "problems": ["wrong patient", "expired"],
        },
    )
    line = str(describe(failed))
    assert "problems: wrong patient; expired;" in line
    assert "[" not in line and "'" not in line


def test_an_entered_field_is_named_for_people_and_unknown_names_stay_as_given() -> None:
    # the window used to capitalise the key: "Diastolic_mmhg: must be below ..."
    problem = input_problem(field=label("diastolic_mmhg"), rule=text("must be below 120"))
    assert str(problem) == "diastolic pressure (mmHg): must be below 120"
    # a name outside the glossary (a file's field path) is shown exactly as given
    assert str(label("my_coa.json.sterility")) == "my_coa.json.sterility"
