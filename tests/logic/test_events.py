"""The typed event models (logic/events.py): one per type, decoded in one place, encoded back
to the stored bytes; the record_v1 fixture test proves the same on a whole record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from infusion_app.logic.corrections import correction_payload
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import (
    MODELS,
    InfusionCreated,
    InfusionStarted,
    NoteAdded,
    UndecodableEvent,
    decode,
    encode,
    stored_form,
    with_changes,
)
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.protocol import Protocol
from infusion_app.store.eventlog import canonical_json, jsonable

AT = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def stored(payload: object) -> str:
    return canonical_json(jsonable(payload))


def test_every_type_has_its_model_and_each_model_its_type() -> None:
    assert set(MODELS) == set(EventType)
    assert all(model.TYPE is kind for kind, model in MODELS.items())


def test_a_key_the_model_does_not_know_is_refused_not_dropped() -> None:
    # dropping it would change the stored bytes and break the chain on re-encoding
    with pytest.raises(UndecodableEvent, match="note_added: extra: Extra inputs"):
        decode("note_added", '{"extra":1,"text":"x"}')
    with pytest.raises(UndecodableEvent, match="unknown event type 'no_such'"):
        decode("no_such", "{}")


def test_absent_and_null_keys_come_back_as_they_were() -> None:
    # a start without an override reason has no such key; with one, it has it
    plain = '{"drop_factor_gtt_per_ml":20,"rate_gtt_per_min":null}'
    assert stored(encode(decode("infusion_started", plain))) == plain
    given = InfusionStarted(drop_factor_gtt_per_ml=20, rate_gtt_per_min=20, override_reason="x")
    assert stored(encode(given)) == (
        '{"drop_factor_gtt_per_ml":20,"override_reason":"x","rate_gtt_per_min":20}'
    )
    assert "override_reason" not in encode(InfusionStarted(drop_factor_gtt_per_ml=20,
                                                           rate_gtt_per_min=None,
                                                           override_reason=None))  # fmt: skip
    # an infusion created before the protocol hash was pinned has no key; a protocol without
    # a file hash stored null: both stay as they were
    old = '{"dose_level":"A","number":1,"patient":"P001","product":"B","protocol":"p v1"}'
    assert stored(encode(decode("infusion_created", old))) == old
    null = old[:-1] + ',"protocol_sha256":null}'
    assert stored(encode(decode("infusion_created", null))) == null
    built = InfusionCreated(
        patient="P001", product="B", number=1, protocol="p v1", dose_level="A",
        protocol_sha256=None,
    )  # fmt: skip
    assert stored(encode(built)) == null


@pytest.mark.parametrize("text", ["1.0", "1", "2E+6", "1.260E+8", "0.03", "10000000.0"])
def test_decimal_text_is_kept_digit_for_digit(text: str) -> None:
    payload = f'{{"reason":"leak","volume_given_ml":"{text}"}}'
    event = decode("infusion_stopped", payload)
    assert isinstance(event.volume_given_ml, Decimal)  # type: ignore[attr-defined]
    assert stored(encode(event)) == payload


def test_times_are_aware_utc_and_written_back_with_microseconds() -> None:
    # 16:00 at UTC+08:00 is 08:00 UTC
    local = datetime(2026, 11, 21, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    event = decode("user_locked", {"username": "n", "until": local})
    assert event.until == AT and event.until.tzinfo is UTC  # type: ignore[attr-defined]
    assert stored_form(event) == {"until": "2026-11-21T08:00:00.000000+00:00", "username": "n"}
    with pytest.raises(UndecodableEvent, match="until"):
        decode("user_locked", {"username": "n", "until": "2026-11-21T08:00:00"})  # naive


def test_models_are_frozen() -> None:
    note = NoteAdded(text="x")
    with pytest.raises(ValueError, match="frozen"):
        note.text = "y"  # type: ignore[misc]


def test_a_change_that_breaks_the_model_is_refused_as_input_naming_the_field() -> None:
    with pytest.raises(InputError) as error:
        with_changes(NoteAdded(text="x"), {"text": 5})
    assert error.value.field == "text"
    assert "valid string" in str(error.value)


def test_a_correction_is_checked_against_the_corrected_events_model(cart: Protocol) -> None:
    note = RecordedEvent(4, EventType.NOTE_ADDED, NoteAdded(text="x"), AT, AT, "nora")
    with pytest.raises(InputError) as error:
        correction_payload(
            note, occurred_at=None, changes={"text": ["a"]}, protocol=cart, dlt_window=None
        )
    assert error.value.field == "text"
    fixed = correction_payload(
        note, occurred_at=None, changes={"text": "y"}, protocol=cart, dlt_window=None
    )
    assert (fixed.changes, fixed.original) == ({"text": "y"}, {"text": "x"})


def test_a_stored_payload_that_is_not_its_model_is_an_integrity_problem() -> None:
    # a row edited behind the app's back: never "invalid input", never a bug's exit 70
    from infusion_app.logic.errors import ErrorKind, kind_of
    from infusion_app.logic.events import UndecodableEvent, decode

    with pytest.raises(UndecodableEvent) as broken:
        decode("note_added", '{"words":"not the field a note has"}')
    assert kind_of(broken.value) is ErrorKind.INTEGRITY
