"""The patient page's Outcomes section: a nurse types a blood count in one row (Tab between
the values, Enter records) and sees it graded; an investigator signs a tumour assessment; a
monitor reads the counts with no act built.

The clock starts Sat 21 Nov 2026 08:00 UTC, 16:00 in the protocol's zone (Asia/Shanghai).
P001 is female: Hb is graded from the site's female limit (115 g/L).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from infusion_app.services import outcomes
from infusion_app.store.models import Signature
from tests.conftest import PASSWORD
from tests.services.course_steps import enrolled
from tests.ui.conftest import settle, type_into


def open_outcomes(qtbot, window, trial_id: str = "P001"):
    page = window.course
    type_into(qtbot, page.patient.lineEdit(), trial_id)
    qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, window)
    section = page.outcome_section
    assert page.sections.currentWidget() is section
    return page, section


def test_a_nurse_types_a_count_and_sees_it_graded(qtbot, ui_ctx, ui_staff, open_window) -> None:
    enrolled(ui_ctx, ui_staff, "P001", "ucmsc-cart-cytopenia", "A")
    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.course)
    settle(qtbot, window)
    page, section = open_outcomes(qtbot, window)
    assert section.drawn_at.text() == "2026-11-21 16:00"  # now, in the protocol's zone
    hb = next(iter(section.inputs.values()))
    hb.setFocus()
    for text in ("95", "0.8", "30"):  # Hb, ANC, PLT; Tab moves on
        qtbot.keyClicks(window.focusWidget(), text)
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    type_into(qtbot, section.drawn_at, "15:30")
    qtbot.keyClick(section.drawn_at, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: section.labs.rowCount() == 1)
    assert page.message.text() == "Blood count of P001 recorded."
    # 15:30 local = 07:30 UTC; Hb 95 (< 100, >= 80: grade 2), ANC 0.8 (< 1.0, >= 0.5: 3),
    # PLT 30 (< 50, >= 25: grade 3)
    assert [section.labs.text(0, c) for c in range(4)] == [
        "2026-11-21 15:30",
        "95 (G2)",
        "0.8 (G3)",
        "30 (G3)",
    ]
    assert hb.text() == "" and hb.hasFocus()  # ready for the next count
    # an impossible value is one red line, nothing recorded
    type_into(qtbot, hb, "950")
    for edit, text in zip(list(section.inputs.values())[1:3], ("1", "50"), strict=True):
        type_into(qtbot, edit, text)
    type_into(qtbot, section.drawn_at, "15:45")
    qtbot.keyClick(section.drawn_at, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "must be between 10 and 250" in page.message.text())
    assert section.labs.rowCount() == 1
    assert "recordTumour" not in [b.objectName() for b in section.acts]  # a nurse signs none


def test_an_investigator_signs_a_tumour_assessment(
    qtbot, ui_ctx, ui_staff, open_window, answers
) -> None:
    enrolled(ui_ctx, ui_staff, "P001", "msc-l-crc", "1")
    window = open_window(ui_staff.investigator)
    _page, section = open_outcomes(qtbot, window)
    button = next(b for b in section.acts if b.objectName() == "recordTumour")
    answers.forms.append({"response": "SD", "at": "2026-11-21"})
    answers.passwords.append(PASSWORD)
    button.click()
    qtbot.waitUntil(lambda: len(answers.asked) >= 2)
    settle(qtbot, window)
    kind, (what, meaning, name) = answers.asked[1]
    assert (kind, meaning, name) == ("signature", "assessed", "Ivan Investigator")
    assert what == "Tumour assessment of P001: SD 2026-11-21"
    qtbot.waitUntil(lambda: "Tumour assessments: 2026-11-21 SD" in section.summary.text())
    with ui_ctx.db.read() as session:
        assert session.scalars(select(Signature.meaning)).all()[-1] == "assessed"


def test_a_monitor_reads_the_counts_and_has_no_act(qtbot, ui_ctx, ui_staff, open_window) -> None:
    from datetime import timedelta

    from infusion_app.services import outcomes

    enrolled(ui_ctx, ui_staff, "P001", "ucmsc-cart-cytopenia", "A")
    outcomes.record_lab(
        ui_ctx,
        ui_staff.nurse,
        "P001",
        {"hb": "120", "anc": "2.0", "plt": "150"},
        drawn_at=ui_ctx.now() - timedelta(hours=1),
    )
    window = open_window(ui_staff.monitor)
    window.workspace.setCurrentWidget(window.course)
    settle(qtbot, window)
    _page, section = open_outcomes(qtbot, window)
    assert section.acts == [] and section.entry is None
    # every value at or above its limit: no grade shown
    assert [section.labs.text(0, c) for c in (1, 2, 3)] == ["120", "2.0", "150"]


def test_a_count_left_at_the_offered_time_is_drawn_when_saved(
    qtbot, ui_ctx, ui_staff, open_window, clock
) -> None:
    """The row offers now (16:00 local) as it opens; the nurse types for 2.5 min and leaves
    the time: the count is drawn when saved (08:02:30 UTC), not at the minute offered."""
    enrolled(ui_ctx, ui_staff, "P001", "ucmsc-cart-cytopenia", "A")
    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.course)
    settle(qtbot, window)
    _page, section = open_outcomes(qtbot, window)
    assert section.drawn_at.text() == "2026-11-21 16:00"
    for edit, text in zip(list(section.inputs.values())[:3], ("120", "2.0", "160"), strict=True):
        type_into(qtbot, edit, text)
    clock.advance(minutes=2, seconds=30)
    qtbot.keyClick(section.drawn_at, Qt.Key.Key_Return)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: section.labs.rowCount() == 1)
    drawn = outcomes.patient_outcomes(ui_ctx, "P001").labs[0].test.drawn_at
    assert drawn == clock.now  # 08:02:30 UTC
    # the row offers the new now for the next count (16:02 local)
    assert section.drawn_at.text() == "2026-11-21 16:02"
