"""Issue 12 §4 at the bedside: an impossible temperature, a grade of 1e999999999 and a volume
of "abc" are refused by field name, and nothing is written."""

from __future__ import annotations

import time

import pytest

from infusion_app.logic.errors import InputError
from infusion_app.services import bedside
from tests.conftest import PASSWORD
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.stored import stored_events


def refused_without_writing(ctx, infusion_id: int, field: str, call) -> None:
    before = stored_events(ctx, infusion_id)
    started = time.monotonic()
    with pytest.raises(InputError) as error:
        call()
    assert time.monotonic() - started < 5  # the grade 1e999999999 hung
    assert error.value.field == field
    assert stored_events(ctx, infusion_id) == before


@pytest.mark.parametrize("temperature", ["392", "3.92", "٣٩.٢"])
def test_fever_from_an_impossible_temperature_is_refused(ctx, staff, infusion_id, temperature):
    # 392 for 39.2 was recorded as grade 3 and flagged DLT
    prepare(ctx, staff, infusion_id)
    refused_without_writing(
        ctx,
        infusion_id,
        "temperature_c",
        lambda: bedside.record_adverse_event(
            ctx,
            staff.nurse,
            infusion_id,
            term="Fever",
            attribution="possible",
            serious=False,
            temperature_c=temperature,
        ),
    )


@pytest.mark.parametrize("grade", ["1e999999999", "2_0", "٣"])
def test_a_grade_that_is_no_grade_is_refused_at_once(ctx, staff, infusion_id, grade):
    prepare(ctx, staff, infusion_id)
    refused_without_writing(
        ctx,
        infusion_id,
        "grade",
        lambda: bedside.record_adverse_event(
            ctx,
            staff.nurse,
            infusion_id,
            term="Chills",
            attribution="possible",
            serious=False,
            grade=grade,
        ),
    )


@pytest.mark.parametrize("volume", ["abc", "1e999999999", "-1"])
def test_a_corrected_end_volume_that_is_no_volume_is_refused(
    ctx, staff, infusion_id, clock, volume
):
    run_to_fast_phase(ctx, staff, infusion_id, clock)  # started 08:35, now 08:52
    clock.advance(minutes=33)  # 09:25: 50 min after the start, inside 30-60
    bedside.end_infusion(ctx, staff.nurse, infusion_id, PASSWORD, volume_infused_ml=100)
    end_seq = stored_events(ctx, infusion_id)[-2].seq  # then its signature
    assert stored_events(ctx, infusion_id)[-2].type == "infusion_ended"
    refused_without_writing(
        ctx,
        infusion_id,
        "volume_infused_ml",
        lambda: bedside.correct_event(
            ctx,
            staff.nurse,
            infusion_id,
            end_seq,
            PASSWORD,
            reason="typed the wrong volume",
            changes={"volume_infused_ml": volume},
        ),
    )
