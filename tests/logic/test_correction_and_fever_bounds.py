"""Issue 12 §4: a fever graded from an impossible temperature, and corrected values that were
stored untyped (exit 70 later, or a "false" taken as true)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from infusion_app.logic.adverse_events import fever_grade, parse_adverse_event
from infusion_app.logic.corrections import correction_payload
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.protocol import Protocol
from tests.logic.infusion_log import typed

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)


@pytest.mark.parametrize("temperature", ["392", "45.1", "24.9", "-39.2", "3920"])
def test_fever_is_never_graded_from_an_impossible_temperature(temperature: str) -> None:
    # 392 (a typo for 39.2) was graded 3 and flagged DLT
    with pytest.raises(InputError) as error:
        fever_grade(Decimal(temperature))
    assert error.value.field == "temperature_c"
    assert "25-45" in error.value.rule


@pytest.mark.parametrize(
    ("temperature", "grade"),
    [("25", None), ("37.9", None), ("38.0", 1), ("39.0", 1), ("39.1", 2), ("40.1", 3), ("45", 3)],
)
def test_fever_grades_inside_the_plausible_range(temperature: str, grade: int | None) -> None:
    # CTCAE v5.0: 38.0-39.0 -> 1, >39.0-40.0 -> 2, >40.0 -> 3; 25 and 45 are the plausible edges
    assert fever_grade(Decimal(temperature)) == grade


def event(type_: EventType, payload: dict[str, object]) -> RecordedEvent:
    return RecordedEvent(7, type_, typed(type_, payload), AT, AT, "nora")


@pytest.mark.parametrize(
    ("type_", "field", "value"),
    [
        (EventType.INFUSION_ENDED, "volume_infused_ml", "abc"),  # was exit 70
        (EventType.INFUSION_ENDED, "volume_infused_ml", "1e999999999"),
        (EventType.INFUSION_ENDED, "volume_infused_ml", "٣"),
        (EventType.INFUSION_ENDED, "volume_infused_ml", "-5"),
        (EventType.INFUSION_STOPPED, "volume_given_ml", "lots"),
        (EventType.INFUSION_STOPPED, "volume_given_ml", "1001"),
    ],
)
def test_a_corrected_volume_is_checked_by_name(
    cart: Protocol, type_: EventType, field: str, value: str
) -> None:
    target = event(
        type_, {field: "100", "reason": "bag leaked"} if "given" in field else {field: "100"}
    )
    with pytest.raises(InputError) as error:
        correction_payload(
            target, occurred_at=None, changes={field: value}, protocol=cart, dlt_window=None
        )
    assert error.value.field == field


def test_a_corrected_volume_is_stored_as_a_number(cart: Protocol) -> None:
    target = event(EventType.INFUSION_ENDED, {"volume_infused_ml": "100"})
    payload = correction_payload(
        target,
        occurred_at=None,
        changes={"volume_infused_ml": " 95.5 "},
        protocol=cart,
        dlt_window=None,
    )
    # the correction holds the value as the log stores a Decimal: its text, trimmed
    assert payload.changes == {"volume_infused_ml": "95.5"}


def ae(**changes: object) -> dict[str, object]:
    return {
        "term": "Chills",
        "grade": 1,
        "started_at": AT,
        "aware_at": AT,
        "attribution": "possible",
        "serious": True,
        "action_taken": "none",
        "outcome": "recovered",
        "description": None,
        "other_term": None,
        "fever_grade_suggested": None,
        "dlt": False,
        "report_due_at": None,
    } | changes


@pytest.mark.parametrize(("typed", "stored"), [("false", False), ("no", False), ("TRUE", True)])
def test_corrected_seriousness_is_read_not_truthiness(
    cart: Protocol, typed: str, stored: bool
) -> None:
    # bool("false") is True: "--set serious=false" kept the 24 h reporting countdown
    payload = correction_payload(
        event(EventType.ADVERSE_EVENT_RECORDED, ae()),
        occurred_at=None,
        changes={"serious": typed},
        protocol=cart,
        dlt_window=None,
    )
    assert payload.changes["serious"] is stored
    assert (payload.changes["report_due_at"] is None) is (not stored)


def test_seriousness_must_be_yes_or_no() -> None:
    with pytest.raises(InputError) as error:
        parse_adverse_event(
            term="Chills",
            grade=1,
            started_at=AT,
            attribution="possible",
            serious="maybe",
            aware_at=AT,
        )
    assert error.value.field == "serious"
