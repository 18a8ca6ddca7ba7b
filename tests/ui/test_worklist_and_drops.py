"""The ward's list (register a patient, create an infusion, search, open it) and the
drop-count helper."""

from __future__ import annotations

from PySide6.QtCore import Qt

from infusion_app.services import course_acts, products, views
from infusion_app.ui.drop_counter import DropCounter
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.ui.conftest import settle, type_into


def worklist_rows(page) -> list[list[str]]:
    table = page.table
    return [[table.text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_register_a_patient_create_an_infusion_and_open_it(
    qtbot, ui_ctx, ui_staff, open_window, answers
):
    from infusion_app.logic.coa import coa_from_mapping

    window = open_window(ui_staff.nurse)
    page = window.worklist
    assert window.workspace.currentWidget() is page  # nothing open at this station yet
    assert page.empty.isVisible()
    assert page.empty.text() == "No infusions today here. Create one with New infusion."

    answers.forms.append(
        {
            "trial_id": "P001",
            "initials": "WL",
            "sex": "female",
            "age_years": "54",
            "weight_kg": "63.5",
            "weighed": "07:45",
            "protocol": "ucmsc-cart-cytopenia",
            "dose_level": "A",
        }
    )
    qtbot.mouseClick(page.new_patient, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text() == "Patient P001 registered."
    patient = views.list_patients(ui_ctx, "P001")[0].summary
    # 07:45 station time on the test clock's day (the station runs in UTC here)
    assert patient.weight_measured_at.isoformat() == "2026-11-21T07:45:00+00:00"
    # the investigator enrols them (an act of their own, not of this page): only an enrolled
    # patient's plan has a place for an infusion
    course_acts.enrol_patient(
        ui_ctx, ui_staff.investigator, "P001", dose_level="A", password=PASSWORD
    )
    products.register_product(ui_ctx, ui_staff.pharmacist, coa_from_mapping(example_coa()))
    products.release_product(ui_ctx, ui_staff.pharmacist, "UC-MSC-2026-0001", PASSWORD)
    answers.forms.append({"trial_id": "P001", "product_id": "UC-MSC-2026-0001", "number": "1"})
    qtbot.mouseClick(page.new_infusion, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    title, keys, _ = answers.asked[-1][1]
    assert (title, keys) == ("New infusion", ["trial_id", "product_id", "number"])
    # the new infusion opens at the bedside, in its checks step
    assert window.workspace.currentWidget() is window.bedside
    assert window.bedside.patient_line.text().startswith("P001 · WL · 63.5 kg")

    window.workspace.setCurrentWidget(page)
    settle(qtbot, window)
    assert worklist_rows(page) == [
        # step and status in the bedside's own words (the step strip's "Checks")
        ["P001", "WL", "1", "UC-MSC-2026-0001", "ward-3-bed-2", "Checks", "", "Not started"]
    ]
    # a scanned wristband in the search field finds the patient
    type_into(qtbot, page.search, "MSC|P002|XY")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert page.search.text() == "P002" and worklist_rows(page) == []

    # the same number twice is refused in one line, nothing created
    type_into(qtbot, page.search, "P001")
    answers.forms.append({"trial_id": "P001", "product_id": "UC-MSC-2026-0001", "number": "1"})
    qtbot.mouseClick(page.new_infusion, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text() == "Number: patient P001 has an infusion 1 already"
    assert len(views.list_infusions(ui_ctx)) == 1


def test_a_bad_weight_is_refused_naming_the_field(qtbot, ui_ctx, ui_staff, open_window, answers):
    window = open_window(ui_staff.nurse)
    page = window.worklist
    answers.forms.append(
        {
            "trial_id": "P009",
            "initials": "AB",
            "sex": "male",
            "age_years": "40",
            "weight_kg": "6,35",
            "weighed": "07:45",
            "protocol": "ucmsc-cart-cytopenia",
            "dose_level": "A",
        }
    )
    qtbot.mouseClick(page.new_patient, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text().startswith("Weight (kg): ")  # was "Weight_kg: ", its key
    assert views.list_patients(ui_ctx) == []


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_drop_counter_measures_the_rate_against_the_target(qtbot):
    ticks = Ticks()
    counter = DropCounter(clock=ticks)
    qtbot.addWidget(counter)
    counter.set_target(40)
    assert counter.result.text() == (
        "Tap for each drop; the 15 s count starts at the first drop (target 40 gtt/min)"
    )
    for _ in range(10):  # 10 drops seen in 15 s
        qtbot.mouseClick(counter.tap_button, Qt.MouseButton.LeftButton)
        ticks.now += 1.4
    # shown at the 10th tap, 9 x 1.4 = 12.6 s after the first: 2.4 s left
    assert counter.result.text() == "Counting: 10 drops, 2 s left"
    ticks.now = 115.0
    counter.check_window()  # the window's timer fires
    # 10 drops x 60 / 15 s = 40 gtt/min
    assert counter.measured == 40
    assert counter.result.text() == (
        "Measured 40 gtt/min (10 drops in 15 s), target 40 gtt/min · on target"
    )
    # a new count over 60 s: 50 drops = 50 gtt/min, 10 above a 40 target
    counter.long.setChecked(True)
    for _ in range(50):
        counter.tap()
        ticks.now += 1.0
    ticks.now += 11.0
    counter.check_window()
    assert counter.measured == 50
    assert counter.result.text().endswith("· +10 gtt/min: adjust the roller clamp")


def test_adverse_event_dialog_offers_ctcae_grades_and_suggests_the_fever_grade(qtbot):
    from decimal import Decimal

    from infusion_app.ui.adverse_event_dialog import AdverseEventDialog

    dialog = AdverseEventDialog(None, Decimal("39.4"))
    qtbot.addWidget(dialog)
    dialog.term.setCurrentText("Anaphylaxis")  # CTCAE v5.0 defines grades 3-5 only
    assert [dialog.grade.itemText(i) for i in range(dialog.grade.count())] == ["3", "4", "5"]
    dialog.term.setCurrentText("Fever")
    # 39.4 °C is in CTCAE's >39.0-40.0 °C band: grade 2
    assert dialog.grade.currentText() == "2"
    assert dialog.suggestion.text() == "Suggested grade 2 from the highest temperature, 39.4 °C"
    dialog.serious.setChecked(True)
    values = dialog.values()
    assert (values["term"], values["grade"], values["serious"]) == ("Fever", 2, True)
    assert not dialog.other.isEnabled()


def test_todays_weight_is_recorded_from_the_list(
    qtbot, ui_ctx, ui_staff, ward_infusion, clock, open_window, answers
):
    clock.advance(hours=26)  # the next day: the weight on record is 26 h old
    window = open_window(ui_staff.nurse)
    window.workspace.setCurrentWidget(window.worklist)
    page = window.worklist
    answers.forms.append({"trial_id": "P001", "weight_kg": "62.9", "weighed": "10:00"})
    qtbot.mouseClick(page.new_weight, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert page.message.text() == "Weight of P001 recorded."
    patient = views.list_patients(ui_ctx, "P001")[0].summary
    assert str(patient.weight_kg) == "62.9"
    # clock 08:00 + 26 h = 10:00 on the 22nd, station time UTC
    assert patient.weight_measured_at.isoformat() == "2026-11-22T10:00:00+00:00"
