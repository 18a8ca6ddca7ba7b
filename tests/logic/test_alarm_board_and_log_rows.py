"""The alarm banner's content and the log table's rows, on the fixed timeline."""

from __future__ import annotations

from datetime import timedelta

from infusion_app.logic.alarm_board import alarm_key, board_alarms
from infusion_app.logic.alarms import Priority
from infusion_app.logic.event_log import log_rows
from infusion_app.logic.event_types import EventType
from infusion_app.logic.schedule import due_items
from tests.logic.infusion_log import InfusionLog, t, typed


def running(cart) -> InfusionLog:
    log = InfusionLog(cart)
    log.ready(t("07:30"))
    log.add(EventType.PREMEDICATION_GIVEN, t("08:00"))
    log.add(EventType.PRODUCT_THAWED, t("08:10"))
    log.started(t("08:35"))
    return log


def test_vitals_due_then_overdue_then_cleared(cart):
    log = running(cart)
    # start 08:35: vitals due 08:50 (15 min), overdue 08:55 (5 min grace)
    assert board_alarms(log.state, due_items(log.state, cart, t("08:49")), t("08:49")) == []
    at_due = board_alarms(log.state, due_items(log.state, cart, t("08:50")), t("08:50"))
    assert [(a.priority, str(a.message)) for a in at_due] == [
        (Priority.LOW, "Rate step to 40 gtt/min if no discomfort"),
        (Priority.LOW, "Vital signs"),
    ]
    at_overdue = board_alarms(log.state, due_items(log.state, cart, t("08:55")), t("08:55"))
    assert [(a.priority, str(a.message)) for a in at_overdue] == [
        (Priority.MEDIUM, "Overdue: rate step to 40 gtt/min if no discomfort"),
        (Priority.MEDIUM, "Overdue: vital signs"),
    ]
    log.vitals(t("08:56"))
    after = board_alarms(log.state, due_items(log.state, cart, t("08:56")), t("08:56"))
    assert [str(a.message) for a in after] == ["Overdue: rate step to 40 gtt/min if no discomfort"]


def test_abnormal_vitals_raise_a_high_alarm_until_acknowledged(cart):
    log = running(cart)
    log.vitals(t("08:40"), systolic_mmhg=85)  # below the 90 mmHg alert limit
    alarms = board_alarms(log.state, due_items(log.state, cart, t("08:41")), t("08:41"))
    assert alarms[0].priority is Priority.HIGH
    assert "85" in str(alarms[0].message) and "infusion reaction" in str(alarms[0].message)
    key = alarms[0].key
    seq = log.state.last_seq
    code = log.state.open_alarms[0].code
    assert key == alarm_key(f"alarm:{code}#{seq}", t("08:40"), Priority.HIGH)
    log.add(EventType.ALARM_ACKNOWLEDGED, t("08:41"), {"alarm": key, "message": "seen"})
    shown = board_alarms(log.state, due_items(log.state, cart, t("08:41")), t("08:41"))
    assert key not in [a.key for a in shown]
    # the condition is still in the due list: only a normal set clears it
    assert any(i.kind.startswith("alarm:") for i in due_items(log.state, cart, t("08:41")))
    # a second abnormal set is a new alarm, not hidden by the first acknowledgement
    log.vitals(t("08:40"), systolic_mmhg=84)  # a recheck in the same minute
    again = board_alarms(log.state, due_items(log.state, cart, t("08:41")), t("08:41"))
    assert again[0].priority is Priority.HIGH and again[0].key != key


def test_expired_product_is_high_until_the_infusion_ends(cart):
    log = running(cart)
    expiry = t("08:40")
    due = due_items(log.state, cart, t("08:41"))
    alarms = board_alarms(log.state, due, t("08:41"), product_expires_at=expiry)
    assert alarms[0].priority is Priority.HIGH
    assert str(alarms[0].message).startswith("Product past its expiry")
    before = board_alarms(log.state, due, t("08:39"), product_expires_at=expiry)
    assert all(a.priority is not Priority.HIGH for a in before)


def test_log_rows_show_signatures_corrections_and_back_entry(cart):
    log = running(cart)
    start_seq = log.state.last_seq
    log.add(
        EventType.SIGNATURE,
        t("08:35"),
        {"meaning": "administered", "printed_name": "Nora Nurse", "signed_seq": start_seq},
    )
    log.add(
        EventType.CORRECTION,
        t("08:40"),
        {"corrects_seq": start_seq, "occurred_at": "2026-11-21T08:34:00+00:00", "changes": {}},
        reason="clock on the pump was wrong",
    )
    rows = {row.seq: row for row in log_rows(log.events)}
    started = rows[start_seq]
    assert str(started.what) == "Infusion started"
    assert tuple(map(str, started.signed)) == ("administered by Nora Nurse",)
    assert tuple(map(str, started.corrected_by)) == (
        f"#{start_seq + 2}: clock on the pump was wrong "
        # the time as the log stores it (typed events read "08:34:00+00:00" as a time)
        f"(corrects #{start_seq}: time: 2026-11-21 08:34 UTC)",
    )
    vitals_row = next(r for r in rows.values() if str(r.what) == "Vitals recorded")
    # NORMAL_VITALS: T 36.8, HR 72, BP 122/76, RR 14, SpO2 98 on air, alert -> NEWS2 0
    assert str(vitals_row.details) == "T 36.8 °C, HR 72, BP 122/76, RR 14, SpO2 98%, A, NEWS2 0"
    assert not started.back_entered
    late = log_rows(
        [
            started_event := log.events[start_seq - 1],
            type(started_event)(
                99,
                EventType.NOTE_ADDED,
                typed(EventType.NOTE_ADDED, {"text": "pump alarm"}),
                t("08:40"),
                t("08:40") + timedelta(minutes=30),
                "nurse",
                "network down",
            ),
        ]
    )[1]
    assert late.back_entered and late.back_entry_reason == "network down"
    assert str(late.details) == "text: pump alarm"
