"""An adverse event of the patient and a serious one's report, recorded on the patient page
(ui/patient_ae_acts.py) by keyboard, stored on the patient's own stream; the site's day sends
a patient's SAE report there; a role that may not record AEs has neither button.

P001 in group C, infusion 1 given Sat 21 Nov 2026 08:35-09:25 UTC (16:35-17:25 in
Asia/Shanghai, UTC+8; tests/services/patient_course.py). The page is used on Mon 23 Nov
02:00 UTC, 10:00 local: within group C's DLT window, which runs from infusion 1 until 28 days
after infusion 4 (not given yet, so still open).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from infusion_app.services import bedside, patient_aes
from infusion_app.store.models import Infusion
from infusion_app.ui.adverse_event_dialog import AdverseEventDialog
from tests.conftest import register_p001
from tests.services.patient_course import give_infusion
from tests.services.test_signatures import stream_events
from tests.ui.conftest import settle
from tests.ui.test_investigator_acts import alt, show_patient

MONDAY_10 = datetime(2026, 11, 23, 2, tzinfo=UTC)  # Mon 23 Nov 10:00 local
PLATELETS = {
    "term": "Platelet count decreased",
    "other_term": None,
    "grade": 4,
    "attribution": "possible",
    "serious": True,
    "action_taken": "none",
    "outcome": "not recovered / ongoing",
    "description": "PLT 8 x 10^9/L at the visit",
}


@pytest.fixture
def group_c(ui_ctx, ui_staff, clock) -> str:
    register_p001(
        ui_ctx, ui_staff.nurse, ui_staff.pharmacist, clock, ui_staff.investigator, dose_level="C"
    )
    give_infusion(ui_ctx, ui_staff, clock, 1)
    clock.now = MONDAY_10
    return "P001"


def patient_entries(ctx, kind: str) -> list[tuple[int, dict]]:
    return [(seq, payload) for seq, t, payload in stream_events(ctx, "patient:P001") if t == kind]


def test_a_nurse_records_a_patients_ae_and_then_its_sae_report(
    qtbot, ui_ctx, ui_staff, open_window, answers, group_c
):
    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.course)
    page = show_patient(qtbot, window)
    acts = page.ae_acts
    assert acts is not None and acts.ae_button.isEnabled()
    assert not acts.sae_button.isEnabled()
    assert acts.sae_button.toolTip() == "no serious adverse event is waiting to be reported"

    # Alt+N: the dialog of the patient's AE; the onset typed in local time, the entry's time
    # left as offered (now). Onset Sun 22 Nov 20:00 local = 12:00 UTC.
    answers.adverse_events.append({**PLATELETS, "onset": "2026-11-22 20:00"})
    alt(qtbot, window, Qt.Key.Key_N, answers)
    assert answers.asked[-1] == ("patient adverse event", "P001")
    [(seq, stored)] = patient_entries(ui_ctx, "adverse_event_recorded")
    assert stored["started_at"] == "2026-11-22T12:00:00.000000+00:00"
    # aware at the entry (now, 02:00 UTC): the report is due 24 h later, 24 Nov 02:00 UTC,
    # 10:00 local; grade 4, possibly related, within the open DLT window: flagged
    assert stored["aware_at"] == "2026-11-23T02:00:00.000000+00:00"
    assert stored["report_due_at"] == "2026-11-24T02:00:00.000000+00:00"
    assert stored["dlt"] is True
    assert page.message.text() == (
        f"Adverse event #{seq} of patient P001 recorded. Flagged as a possible DLT. "
        "SAE report due by 2026-11-24 10:00."
    )
    # the page read the course again: the AE is the patient's, its report waits
    settle(qtbot, window)
    rows = page.adverse
    assert [rows.text(0, c) for c in (0, 1, 2, 3, 5, 6)] == [
        "2026-11-22 20:00",
        "Platelet count decreased",
        "4",
        "patient",
        "flagged",
        "SAE report due by 2026-11-24 10:00",
    ]
    assert acts.sae_button.isEnabled()

    # Alt+O: the form offers the waiting report and now; reported at 10:30 local, as offered
    answers.asked.clear()
    answers.forms.append(
        {
            "event": f"#{seq} (patient) Platelet count decreased grade 4, report due by "
            "2026-11-24 10:00",
            "at": "2026-11-23 10:00",
        }
    )
    alt(qtbot, window, Qt.Key.Key_O, answers)
    assert answers.asked[0] == (
        "form",
        (
            "Serious adverse event of patient P001 reported",
            ["event", "at"],
            "Record it once the report has gone to the sponsor and the ethics committee: "
            "its 24-hour countdown ends.",
        ),
    )
    assert page.message.text() == f"SAE report of adverse event #{seq} (patient) recorded."
    assert [p for _, p in patient_entries(ui_ctx, "sae_reported")] == [{"adverse_event_seq": seq}]
    settle(qtbot, window)
    assert rows.text(0, 6) == "SAE reported 2026-11-23 10:00"
    assert not acts.sae_button.isEnabled()


def test_an_onset_that_is_not_a_time_is_one_line_and_nothing_is_stored(
    qtbot, ui_ctx, ui_staff, open_window, answers, group_c
):
    window = open_window(ui_staff.investigator)  # investigators record AEs too
    page = show_patient(qtbot, window)
    assert page.ae_acts is not None and page.ae_acts.ae_button.isEnabled()
    answers.adverse_events.append({**PLATELETS, "onset": "last night"})
    alt(qtbot, window, Qt.Key.Key_N, answers)
    assert page.message.text() == (
        "Onset: give HH:MM or YYYY-MM-DD HH:MM (station time), got 'last night'"
    )
    assert patient_entries(ui_ctx, "adverse_event_recorded") == []


def test_an_ae_back_entered_asks_why_and_one_before_enrolment_is_refused(
    qtbot, ui_ctx, ui_staff, open_window, answers, group_c
):
    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.course)
    page = show_patient(qtbot, window)
    # onset Fri 20 Nov 12:00 local, before the enrolment (21 Nov 16:00 local): refused
    answers.adverse_events.append({**PLATELETS, "serious": False, "onset": "2026-11-20 12:00"})
    alt(qtbot, window, Qt.Key.Key_N, answers)
    assert page.message.text() == (
        "An adverse event of patient P001 starting 2026-11-20 12:00 is before their enrolment "
        "(2026-11-21 16:00): it is not the trial's to record"
    )
    assert patient_entries(ui_ctx, "adverse_event_recorded") == []

    # the entry's time changed to 09:00 local (an hour back): why it is entered late is asked,
    # and the entry keeps both
    answers.asked.clear()
    answers.adverse_events.append({**PLATELETS, "serious": False, "onset": ""})
    answers.times.append("2026-11-23 09:00")
    answers.forms.append({"late_reason": "told at the 09:00 phone call, entered after it"})
    alt(qtbot, window, Qt.Key.Key_N, answers)
    assert [kind for kind, _ in answers.asked] == ["patient adverse event", "form"]
    [(seq, stored)] = patient_entries(ui_ctx, "adverse_event_recorded")
    # begun when entered: the entry's time, 09:00 local = 01:00 UTC
    assert stored["started_at"] == "2026-11-23T01:00:00.000000+00:00"
    assert stored["report_due_at"] is None  # not serious
    assert page.message.text() == (
        f"Adverse event #{seq} of patient P001 recorded. Flagged as a possible DLT."
    )


@pytest.mark.parametrize("role", ["pharmacist", "monitor"])
def test_a_role_that_may_not_record_aes_has_neither_button(
    qtbot, ui_staff, open_window, group_c, role
):
    window = open_window(getattr(ui_staff, role))
    page = show_patient(qtbot, window)
    assert page.ae_acts is None
    names = {"patientAe", "patientSaeReported"}
    assert [b for b in window.findChildren(type(page.show_button)) if b.objectName() in names] == []


def test_the_site_days_patient_sae_row_opens_the_patients_page(
    qtbot, ui_ctx, ui_staff, open_window, answers, group_c
):
    recorded = patient_aes.record_patient_ae(ui_ctx, ui_staff.nurse, "P001", PLATELETS)
    window = open_window(ui_staff.nurse)
    page = window.worklist
    sae_row = next(
        r for r in range(page.day_table.rowCount()) if page.day_table.text(r, 2).startswith("SAE")
    )
    page.day_table.selectRow(sae_row)
    assert page.record_button.text() == "&Report on the patient's page…"
    qtbot.mouseClick(page.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.workspace.currentWidget() is window.course)
    settle(qtbot, window)
    course = window.course
    assert course.trial_id == "P001" and course.patient.currentText() == "P001"
    assert course.ae_acts is not None and course.ae_acts.sae_button.isEnabled()
    assert course.adverse.text(0, 6) == "SAE report due by 2026-11-24 10:00"
    assert recorded.report_due_at == datetime(2026, 11, 24, 2, tzinfo=UTC)


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_dialog_of_a_patients_ae_asks_its_onset(qtbot):
    dialog = AdverseEventDialog(None, None, None, "P001")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Adverse event of patient P001 (CTCAE v5.0)"
    assert dialog.onset is not None
    dialog.term.setCurrentIndex(dialog.term.findData("Fever"))
    assert dialog.suggestion.text() == ""  # no temperatures of an infusion to suggest from
    qtbot.keyClicks(dialog.onset, "2026-11-22 20:00")
    assert dialog.values()["onset"] == "2026-11-22 20:00"
    bedside = AdverseEventDialog(None, None)
    qtbot.addWidget(bedside)
    assert bedside.onset is None and "onset" not in bedside.values()


def test_an_infusions_sae_is_reported_from_the_patients_page_by_a_nurse_only(
    qtbot, ui_ctx, ui_staff, open_window, answers, group_c, clock
):
    with ui_ctx.db.read() as session:  # the store's only infusion record: P001/1
        infusion_id = session.scalars(select(Infusion.id)).one()
    serious = bedside.record_adverse_event(
        ui_ctx,
        ui_staff.nurse,
        infusion_id,
        term="Hypotension",
        grade=3,
        attribution="possible",
        serious=True,
    )  # aware now, Mon 23 Nov 10:00 local: due Tue 24 Nov 10:00 local
    investigator = open_window(ui_staff.investigator)
    page = show_patient(qtbot, investigator)
    assert page.ae_acts is not None and not page.ae_acts.sae_button.isEnabled()  # not theirs
    investigator.close()

    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.course)
    page = show_patient(qtbot, window)
    label = f"#{serious.seq} (infusion 1) Hypotension grade 3, report due by 2026-11-24 10:00"
    answers.forms.append({"event": label, "at": "2026-11-23 10:00"})
    alt(qtbot, window, Qt.Key.Key_O, answers)
    assert answers.asked[-1][1][1] == ["event", "at"]
    assert page.message.text() == (
        f"SAE report of adverse event #{serious.seq} (infusion 1) recorded."
    )
    reported = [p for _, t, p in stream_events(ui_ctx, "infusion:P001/1") if t == "sae_reported"]
    assert reported == [{"adverse_event_seq": serious.seq}]
