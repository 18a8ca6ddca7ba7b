"""Downtime entry from the window: after the record was unreachable, the nurse enters the
paper record in order, each entry with its paper time and why it is entered late; the rule
book judges each against the earlier entries' bedside times, and the log shows both times.

The test clock starts at 08:00 UTC (P001 registered, infusion created, dose calculated by the
pharmacist). The downtime lasts until 12:30; the paper record is the usual infusion
(tests/services/bedside_steps.py's spacing): verified 08:05, identity 08:10, baseline vitals
08:12, dexamethasone 08:15, thaw 08:20, start 08:50 (premed + 35, thaw + 30), rate step 09:05
(15 min slow phase), vitals 09:07, a grade 1 reaction 09:15, vitals 09:22, end 09:40
(50 min, inside 30-60), end vitals 09:41, observation vitals 10:11, 10:41, 11:11, observation
end 11:40 (end + 120). Each is entered one minute after the last, from 12:30 on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.infusion_state import Step
from infusion_app.services import audit, bedside
from infusion_app.store.models import Event, Infusion
from infusion_app.ui.form_dialog import FormDialog
from infusion_app.ui.look import local_time
from infusion_app.ui.vitals_entry import FIELDS
from tests.conftest import PASSWORD
from tests.ui.conftest import settle, type_into
from tests.ui.test_bedside_screen import NORMAL, disabled_because, press, screen_of

REASON = "downtime 08:00-12:20: entered from the paper record"


def paper(hhmm: str) -> datetime:
    hours, minutes = hhmm.split(":")
    return datetime(2026, 11, 21, int(hours), int(minutes), tzinfo=UTC)


def typed(hhmm: str) -> str:
    """The paper time as the nurse types it: the screen's local time, date and minute."""
    return local_time(paper(hhmm), with_date=True)


def stored(ctx: Any, infusion_id: int) -> list[Event]:
    with ctx.db.read() as session:
        infusion = session.get(Infusion, infusion_id)
        assert infusion is not None
        rows = session.execute(
            select(Event).where(Event.stream_id == infusion.stream_id).order_by(Event.seq)
        ).scalars()
        return list(rows)


def vitals_at(qtbot: Any, window: Any, time_text: str) -> None:
    """One set typed into the vitals row with its paper time; Enter records it."""
    entry = window.bedside.vitals
    for (key, _, _), text in zip(FIELDS, NORMAL, strict=True):
        type_into(qtbot, entry.inputs[key], text)
    type_into(qtbot, entry.time, time_text)
    qtbot.keyClick(entry.time, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.bedside.message.text() == "Vital signs recorded.", window.bedside.message.text()
    assert entry.time.text() == ""  # the next set is "now" again unless a time is typed


def test_a_downtime_back_entry_of_a_whole_infusion_from_the_window(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    clock.advance(hours=4, minutes=30)  # 12:30: the record is back
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    expected: list[tuple[str, str, datetime]] = []  # (type, paper time, recorded at)

    def entered(type_: str, hhmm: str) -> None:
        expected.append((type_, hhmm, clock()))
        assert not screen.message.styleSheet().startswith("color: #b00020"), (
            screen.message.text()
        )
        late = [a for a in answers.asked if a[0] == "form" and a[1][0] == "Entered late"]
        # one reason asked per entry, saying when it was done
        assert late[-1][1][2] == f"Done at {typed(hhmm)}, recorded now: the record says why."
        assert len(late) == len(expected)
        clock.advance(minutes=1)
        screen.tick()

    # the dose verification's time is in the signature dialog (no extra dialog on the way)
    answers.times.append(typed("08:05"))
    answers.forms.append({"late_reason": REASON})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.VERIFY_DOSE)
    entered("dose_verified", "08:05")

    # the scanner row has its time: empty is now, a paper time is a back-entry
    type_into(qtbot, screen.scan_time, typed("08:10"))
    answers.forms.append({"late_reason": REASON})
    for code in ("MSC|P001|WL", "UC-MSC-2026-0001"):
        qtbot.keyClicks(screen.scan, code)
        qtbot.keyClick(screen.scan, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert screen.message.text() == "Patient and bag match; product released and in date."
    entered("identity_checked", "08:10")

    answers.forms.append({"late_reason": REASON})
    vitals_at(qtbot, window, typed("08:12"))
    entered("vitals_recorded", "08:12")

    for action, type_, hhmm in (
        (BedsideAction.PREMEDICATION, "premedication_given", "08:15"),
        (BedsideAction.THAW, "product_thawed", "08:20"),
    ):
        answers.times.append(typed(hhmm))  # the confirmation's time field
        answers.forms.append({"late_reason": REASON})
        press(qtbot, window, action)
        entered(type_, hhmm)

    # 12:35 is past the thaw's 120 min limit (10:20), but the start happened at 08:50: the
    # button is open to the back-entry and the rule book judges 08:50
    assert disabled_because(screen, BedsideAction.START) is None
    answers.forms.append({"drop_factor": "20", "at": typed("08:50")})
    answers.forms.append({"late_reason": REASON})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.START)
    entered("infusion_started", "08:50")

    answers.forms.append({"rate": "40", "at": typed("09:05")})
    answers.forms.append({"late_reason": REASON})
    press(qtbot, window, BedsideAction.RATE_STEP)
    entered("rate_changed", "09:05")

    answers.forms.append({"late_reason": REASON})
    vitals_at(qtbot, window, typed("09:07"))
    entered("vitals_recorded", "09:07")

    answers.adverse_events.append(
        {
            "term": "Infusion related reaction",
            "other_term": None,
            "grade": 1,
            "attribution": "possible",
            "serious": False,
            "action_taken": "none",
            "outcome": "recovered",
            "description": "flushing",
        }
    )
    answers.times.append(typed("09:15"))
    answers.forms.append({"late_reason": REASON})
    press(qtbot, window, BedsideAction.ADVERSE_EVENT)
    entered("adverse_event_recorded", "09:15")
    # the reaction started, and the team knew of it, at the entry's paper time
    reaction = screen.view.state.adverse_events[0].event
    assert (reaction.started_at, reaction.aware_at) == (paper("09:15"), paper("09:15"))

    for hhmm in ("09:22",):
        answers.forms.append({"late_reason": REASON})
        vitals_at(qtbot, window, typed(hhmm))
        entered("vitals_recorded", hhmm)

    answers.forms.append({"volume_ml": "100", "override_reason": "", "at": typed("09:40")})
    answers.forms.append({"late_reason": REASON})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.END)
    entered("infusion_ended", "09:40")
    # what is due is recomputed from the stored bedside times, not from when they were typed:
    # the end is shown at 09:40, and one set of vitals at the end is due (since 09:40)
    assert screen.rate.text() == f"ended {local_time(paper('09:40'))}"
    assert screen.countdown.text() == "Vitals due"

    for hhmm in ("09:41", "10:11", "10:41", "11:11"):
        answers.forms.append({"late_reason": REASON})
        vitals_at(qtbot, window, typed(hhmm))
        entered("vitals_recorded", hhmm)

    # the observation (09:40 + 120 min = 11:40) is over by the paper record, not at 11:40
    # plus the time it took to type it in
    assert screen.countdown.text() == "Observation complete"
    answers.times.append(typed("11:40"))
    answers.forms.append({"late_reason": REASON})
    press(qtbot, window, BedsideAction.OBSERVATION_END)
    entered("observation_ended", "11:40")
    assert screen.steps.current is Step.DONE

    # the log: every entry with its paper time, recorded when entered, and why
    events = stored(ui_ctx, ward_infusion)
    clinical = [e for e in events if e.type not in ("infusion_created", "dose_calculated")]
    entries = [e for e in clinical if e.type != "signature"]
    assert [
        (e.type, e.occurred_at, e.recorded_at, e.reason) for e in entries
    ] == [(type_, paper(hhmm), at, REASON) for type_, hhmm, at in expected]
    # the three signed acts are signed when entered, bound to the hash of the entry signed
    by_seq = {e.seq: e for e in events}
    signatures = [e for e in clinical if e.type == "signature"]
    signed = {}
    for signature in signatures:
        payload = signature.payload
        target = by_seq[int(_field(payload, "signed_seq"))]
        assert _field(payload, "signed_hash") == target.hash
        assert signature.occurred_at == signature.recorded_at == target.recorded_at
        signed[target.type] = _field(payload, "meaning")
    assert signed == {
        "dose_verified": "verified",
        "infusion_started": "administered",
        "infusion_ended": "administered",
    }
    assert audit.verify_log(ui_ctx).ok

    # the table shows both times: the bedside's, and when it was recorded with the reason
    rows = {row.seq: index for index, row in enumerate(screen.log.rows)}
    for event in entries:
        index = rows[event.seq]
        assert screen.log.column_texts(1)[index] == local_time(event.occurred_at, with_date=True)
        assert screen.log.column_texts(2)[index] == (
            f"{local_time(event.recorded_at, with_date=True)} ({REASON})"
        )
    first = rows[entries[0].seq]
    assert screen.log.column_texts(1)[first] == typed("08:05")
    recorded = local_time(paper("12:30"), with_date=True)
    assert screen.log.column_texts(2)[first] == f"{recorded} ({REASON})"


def _field(payload: str, name: str) -> Any:
    return json.loads(payload)[name]


def test_a_changed_time_without_a_reason_is_not_saved(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    before = len(stored(ui_ctx, ward_infusion))
    # an hour back (07:00 would be before registration; the clock is moved first)
    clock.advance(hours=2)  # 10:00
    answers.forms.append({"text": "restless", "at": typed("09:00")})
    answers.forms.append({"late_reason": "  "})
    qtbot.mouseClick(screen.buttons[BedsideAction.NOTE], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    # the service's one line, naming the field and the rule; nothing saved
    assert screen.message.text() == (
        "Reason: is required for an event entered more than 5 min after it happened"
    )
    assert len(stored(ui_ctx, ward_infusion)) == before

    # cancelling the reason saves nothing and says nothing went wrong
    screen.message.clear()
    answers.forms.append({"text": "restless", "at": typed("09:00")})
    answers.forms.append(None)
    qtbot.mouseClick(screen.buttons[BedsideAction.NOTE], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert screen.message.text() == ""
    assert len(stored(ui_ctx, ward_infusion)) == before


def test_a_future_time_is_refused_with_one_line_and_nothing_saved(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    before = len(stored(ui_ctx, ward_infusion))
    # the clock says 08:00
    press_refused = screen.buttons[BedsideAction.NOTE]
    answers.forms.append({"text": "restless", "at": typed("09:00")})
    qtbot.mouseClick(press_refused, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    said = screen.message.text()
    # the service's line names the field (the entry's time) and the rule
    assert said.startswith("Time: ") and " is in the future (now " in said, said
    assert "\n" not in said
    assert not any(a[1][0] == "Entered late" for a in answers.asked if a[0] == "form")
    assert len(stored(ui_ctx, ward_infusion)) == before

    # a time that cannot be read is the field's one line too
    answers.forms.append({"text": "restless", "at": "9 o'clock"})
    qtbot.mouseClick(press_refused, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert screen.message.text().startswith("Time: give HH:MM or YYYY-MM-DD HH:MM")
    assert len(stored(ui_ctx, ward_infusion)) == before


def test_leaving_the_default_records_now_with_no_reason_asked(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window, monkeypatch
):
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    # the nurse reads the note's form for 90 s: "now" is when it is saved, not when the
    # dialog opened (08:00:00 offered, saved 08:01:30)
    fake = FormDialog.ask  # the fixture's answers, read 90 s later

    def slow(parent, title, fields, note="", **kwargs):
        values = fake(parent, title, fields, note, **kwargs)
        clock.advance(seconds=90)
        return values

    monkeypatch.setattr(FormDialog, "ask", slow)
    answers.forms.append({"text": "settled", "at": typed("08:00")})
    qtbot.mouseClick(screen.buttons[BedsideAction.NOTE], Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert screen.message.text() == "Note recorded."
    note = stored(ui_ctx, ward_infusion)[-1]
    saved = paper("08:00") + timedelta(seconds=90)
    assert (note.type, note.occurred_at, note.recorded_at, note.reason) == (
        "note_added",
        saved,
        saved,
        None,
    )
    assert not any(a[1][0] == "Entered late" for a in answers.asked if a[0] == "form")
    # not back-entered: the log's "Recorded (back-entry)" cell stays empty
    assert screen.log.column_texts(2)[-1] == ""


def test_an_sae_report_made_by_phone_in_the_downtime_is_entered_with_its_time(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    """The serious event was recorded at 08:00; the report was phoned in at 09:30 while the
    record was down, and is entered at 11:00 with that time: the 24 h deadline is met at
    09:30, not at 11:00."""
    serious = bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse,
        ward_infusion,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )
    clock.advance(hours=3)  # 11:00
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    label = f"#{serious.seq} Hypotension grade 3"
    answers.forms.append({"event": label, "at": typed("09:30")})
    answers.forms.append({"late_reason": REASON})
    screen.sae_action.trigger()
    settle(qtbot, window)
    assert screen.message.text() == "SAE report recorded."
    title, keys, _ = next(a for a in answers.asked if a[0] == "form")[1]
    assert (title, keys) == ("Serious adverse event reported", ["event", "at"])
    report = stored(ui_ctx, ward_infusion)[-1]
    assert (report.type, report.occurred_at, report.recorded_at, report.reason) == (
        "sae_reported",
        paper("09:30"),
        paper("11:00"),
        REASON,
    )
    state = screen.view.state
    assert [a.reported_at for a in state.adverse_events] == [paper("09:30")]


def test_a_wrong_password_asks_the_late_reason_once(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, answers, open_window
):
    """The dose verification signed with its paper time: the first password is wrong and the
    dialog stays open; the second signs. Why it is entered late was asked once."""
    bedside.calculate_infusion_dose(
        ui_ctx, ui_staff.pharmacist, ward_infusion, final_volume_ml="100"
    )
    clock.advance(hours=1)  # 09:00; verified on paper at 08:10
    window = open_window(ui_staff.nurse)
    screen_of(window)  # the station's infusion is open
    answers.times.append(typed("08:10"))
    answers.forms.append({"late_reason": REASON})
    answers.passwords.extend(["not my password", PASSWORD])
    press(qtbot, window, BedsideAction.VERIFY_DOSE)
    assert [a[0] for a in answers.asked] == [
        "signature",
        "form",  # Entered late
        "signature refused",
    ]
    verified = next(e for e in stored(ui_ctx, ward_infusion) if e.type == "dose_verified")
    assert (verified.occurred_at, verified.recorded_at, verified.reason) == (
        paper("08:10"),
        paper("09:00"),
        REASON,
    )
