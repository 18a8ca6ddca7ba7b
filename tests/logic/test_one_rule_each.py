"""Issue 13 §7: rules that were stated twice, differently, now stated once and used by all.

The wristband's format (written by ``wristband_code``, read by ``parse_wristband``) and the
back-entry threshold (a reason is required and the log marks the entry from the same moment).
"""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infusion_app.logic.backentry import BACK_ENTRY_AFTER, check_times, is_back_entered
from infusion_app.logic.errors import InputError
from infusion_app.logic.event_log import log_rows
from infusion_app.logic.event_types import EventType
from infusion_app.logic.events import NoteAdded
from infusion_app.logic.identity import (
    GivenIdentity,
    PatientFacts,
    Wristband,
    identity_problems,
    looks_like_wristband,
    parse_wristband,
    wristband_code,
)
from infusion_app.logic.infusion_state import RecordedEvent
from infusion_app.logic.release import (
    CriterionResult,
    PharmacyStep,
    ReleaseCheck,
    Result,
    Verdict,
    step_blocked,
    verdict_of,
)

NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)

# --- the wristband ---------------------------------------------------------------------------

# what a trial ID or initials are made of (printed on a band: no separator, no blanks)
part = st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=1, max_size=12)


@given(part, part)
def test_what_a_wristband_prints_reads_back(trial_id: str, initials: str) -> None:
    code = wristband_code(trial_id, initials)
    assert looks_like_wristband(code)
    assert parse_wristband(code) == Wristband(trial_id, initials)


def test_the_wristband_format_by_hand() -> None:
    assert wristband_code("P001", "WL") == "MSC|P001|WL"
    assert parse_wristband("  MSC|P001|WL\n") == Wristband("P001", "WL")


@pytest.mark.parametrize("text", ["MSC|P001", "MSC|P001|WL|X", "XYZ|P001|WL", "P001", ""])
def test_what_is_not_a_wristband_is_input_naming_the_wristband(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_wristband(text)
    assert caught.value.field == "wristband"


def test_a_bag_id_does_not_look_like_a_wristband() -> None:
    # a product ID may contain MSC (UC-MSC-2026-0001), but does not start with "MSC|"
    assert not looks_like_wristband("UC-MSC-2026-0001")
    assert not looks_like_wristband("MSC-2026-0001")


def test_the_identity_check_reads_what_the_screen_calls_a_wristband() -> None:
    """The bedside screen took a scan starting "msc|" (any case) for a wristband, and the
    check then refused it as "not a patient wristband code": one parser, one answer."""
    scan = "msc|P001|wl"
    patient = PatientFacts("P001", "WL", date(1972, 3, 4))
    assert looks_like_wristband(scan)
    problems = identity_problems(
        patient,
        GivenIdentity(wristband=scan),
        infusion_product="UC-1",
        product_owner="P001",
        scanned_product="UC-1",
    )
    assert problems == []


# --- back-entry ------------------------------------------------------------------------------


def _note(occurred_at: datetime, recorded_at: datetime, reason: str | None) -> RecordedEvent:
    return RecordedEvent(
        1,
        EventType.NOTE_ADDED,
        NoteAdded(text="pump alarm"),
        occurred_at,
        recorded_at,
        "nurse",
        reason,
    )


@pytest.mark.parametrize(
    ("late", "back_entered"),
    [
        (timedelta(seconds=0), False),
        # 3 min late: no reason asked, so no "back-entered" mark either (the log used to mark
        # anything over 60 s, while a reason was asked only over 5 min)
        (timedelta(minutes=3), False),
        (timedelta(minutes=5), False),  # "more than 5 min": 5:00 is not more
        (timedelta(minutes=5, seconds=1), True),
        (timedelta(minutes=40), True),
    ],
)
def test_the_log_marks_back_entered_exactly_where_a_reason_is_required(
    late: timedelta, back_entered: bool
) -> None:
    assert timedelta(minutes=5) == BACK_ENTRY_AFTER
    occurred = NOW - late
    assert is_back_entered(occurred, NOW) is back_entered
    (row,) = log_rows([_note(occurred, NOW, None)])
    assert row.back_entered is back_entered
    if back_entered:
        with pytest.raises(InputError) as caught:
            check_times(occurred, NOW, None, EventType.NOTE_ADDED)
        assert caught.value.field == "reason"
    else:
        check_times(occurred, NOW, None, EventType.NOTE_ADDED)  # no reason needed


# --- release and dispense ---------------------------------------------------------------------


def _check(*results: Result) -> ReleaseCheck:
    criteria = tuple(
        CriterionResult(f"c{i}", f"Criterion {i}", "v", "l", result, "CoA")
        for i, result in enumerate(results)
    )
    return ReleaseCheck("label", "UC-1", NOW, verdict_of(results), criteria, ())


def test_the_release_and_dispense_rule() -> None:
    good, expired = _check(Result.PASS, Result.PASS), _check(Result.PASS, Result.FAIL)
    assert step_blocked(PharmacyStep.RELEASE, "registered", good) is None
    assert step_blocked(PharmacyStep.DISPENSE, "released", good) is None
    # released, then past expiry: not dispensed (the criterion that failed is named)
    blocked = step_blocked(PharmacyStep.DISPENSE, "released", expired)
    assert blocked is not None and not blocked.wrong_status
    assert blocked.verdict is Verdict.NOT_RELEASABLE
    assert [c.name for c in blocked.blocking] == ["Criterion 1"]
    # the status comes first: a dispensed product is not dispensed again, however good
    again = step_blocked(PharmacyStep.DISPENSE, "dispensed", good)
    assert again is not None and again.wrong_status and again.wanted == "released"
    assert step_blocked(PharmacyStep.RELEASE, "released", good) is not None
