"""The investigator's acts on the patient page: enrol, change the level, end treatment and
review a flagged DLT through the form and the signature dialogs, each stored with its
signature; none of the buttons for a nurse; a wrong password writes nothing and says so.

The clock starts Sat 21 Nov 2026 08:00 UTC, 16:00 in the protocol's zone (Asia/Shanghai,
UTC+8), which is the time the forms offer ("2026-11-21 16:00").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from infusion_app.logic.coa import coa_from_mapping
from infusion_app.services import patient_aes, products
from infusion_app.store.models import Event, Signature
from tests.conftest import PASSWORD
from tests.samples import example_coa
from tests.services.patient_course import give_infusion
from tests.services.test_patient_aes import register
from tests.ui.conftest import settle, type_into

GROUP_C = "C (Group C: 2 × 10^6 cells/kg, four weekly infusions)"
GROUP_B = "B (Group B: 2 × 10^6 cells/kg, two weekly infusions)"


def signed_entries(ctx) -> list[tuple[str, dict, str | None, datetime, str | None]]:
    """Each stored entry of a course act: type, payload, its signature's meaning, when it
    happened and why it was entered late."""
    acts = ("patient_enrolled", "dose_level_changed", "treatment_ended", "dlt_reviewed")
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event, Signature.meaning)
            .outerjoin(
                Signature,
                (Signature.stream_id == Event.stream_id) & (Signature.signed_seq == Event.seq),
            )
            .where(Event.type.in_(acts))
            .order_by(Event.id)
        ).all()
        return [
            (e.type, json.loads(e.payload), meaning, e.occurred_at, e.reason) for e, meaning in rows
        ]


@pytest.fixture
def unenrolled(ui_ctx, ui_staff, clock) -> str:
    """P001 registered in group C, not enrolled."""
    register(ui_ctx, ui_staff, clock, "P001", "ucmsc-cart-cytopenia", "C", enrol=False)
    return "P001"


def show_patient(qtbot, window, trial_id: str = "P001"):
    page = window.course
    type_into(qtbot, page.patient.lineEdit(), trial_id)
    qtbot.keyClick(page.patient.lineEdit(), Qt.Key.Key_Return)
    settle(qtbot, window)
    return page


def alt(qtbot, window, key, answers) -> None:
    """Alt+letter: the button's mnemonic clicks it (animated, so a moment later), the act's
    first dialog opens, and whatever it saves comes back."""
    asked = len(answers.asked)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: len(answers.asked) > asked)
    settle(qtbot, window)


def test_an_investigator_enrols_a_registered_patient(
    qtbot, ui_ctx, ui_staff, open_window, answers, unenrolled
):
    window = open_window(ui_staff.investigator)
    assert window.workspace.currentWidget() is window.course  # the investigator's landing tab
    page = show_patient(qtbot, window)
    acts = page.acts
    assert acts.enrol_button.isEnabled()
    assert not acts.level_button.isEnabled() and acts.level_button.toolTip() == "not enrolled yet"
    assert not acts.end_button.isEnabled()

    # Alt+E: the form offers the protocol's levels and now; then the signature
    answers.forms.append({"dose_level": GROUP_C, "at": "2026-11-21 16:00"})
    answers.passwords.append(PASSWORD)
    alt(qtbot, window, Qt.Key.Key_E, answers)
    assert answers.asked[0] == (
        "form",
        (
            "Enrol patient P001",
            ["dose_level", "at"],
            "The first infusion is due from the enrolment; a patient is enrolled once.",
        ),
    )
    assert answers.asked[1] == (
        "signature",
        (
            f"Enrolment of patient P001 in ucmsc-cart-cytopenia v1.5.0 at dose level {GROUP_C}",
            "enrolled",
            "Ivan Investigator",
        ),
    )
    assert page.message.text() == "Patient P001 enrolled at C."
    # the time as offered is "now": 08:00 UTC, nothing back-entered
    start = datetime(2026, 11, 21, 8, tzinfo=UTC)
    assert signed_entries(ui_ctx) == [
        ("patient_enrolled", {"dose_level": "C", "protocol": "ucmsc-cart-cytopenia v1.5.0"},
         "enrolled", start, None),
    ]  # fmt: skip
    assert "enrolled 2026-11-21 16:00 at C, signed by Ivan Investigator" in (
        page.summary.text()
    )
    assert not acts.enrol_button.isEnabled() and acts.enrol_button.toolTip() == "enrolled already"
    assert acts.level_button.isEnabled() and acts.end_button.isEnabled()


def test_an_investigator_changes_the_level_from_the_next_infusion_and_ends_treatment(
    qtbot, ui_ctx, ui_staff, clock, open_window, answers
):
    register(ui_ctx, ui_staff, clock, "P001", "ucmsc-cart-cytopenia", "C", enrol=True)
    products.register_product(ui_ctx, ui_staff.pharmacist, coa_from_mapping(example_coa()))
    give_infusion(ui_ctx, ui_staff, clock, 1)  # infusion 1 given 08:00-09:25 UTC
    clock.now = datetime(2026, 11, 21, 11, tzinfo=UTC)  # 19:00 local
    window = open_window(ui_staff.investigator)
    page = show_patient(qtbot, window)
    acts = page.acts
    assert not acts.enrol_button.isEnabled() and acts.enrol_button.toolTip() == "enrolled already"
    assert acts.level_button.isEnabled() and acts.end_button.isEnabled()

    # the form offers infusion 2 (1 exists already), the signature says what changes
    change = {"to_level": GROUP_B, "from_infusion": "2", "reason": "grade 3 fever"}
    answers.forms.append({**change, "at": "2026-11-21 19:00"})
    answers.passwords.append(PASSWORD)
    alt(qtbot, window, Qt.Key.Key_L, answers)
    assert answers.asked[0][1][1:] == (
        ["to_level", "from_infusion", "reason", "at"],
        "Now at C. An infusion that exists already keeps its level (up to infusion 1).",
    )
    assert answers.asked[1][1][:2] == (
        "Dose level of patient P001 from infusion 2 on: C to B (grade 3 fever)",
        "approved",
    )
    assert page.message.text() == "Patient P001: infusions from 2 on at B."
    assert signed_entries(ui_ctx)[1] == (
        "dose_level_changed",
        {"from_infusion": 2, "from_level": "C", "reason": "grade 3 fever", "to_level": "B"},
        "approved",
        datetime(2026, 11, 21, 11, tzinfo=UTC),  # the time as offered: now
        None,
    )
    assert "from infusion 2 on: C to B (grade 3 fever), signed by Ivan Investigator" in (
        page.summary.text()
    )

    # treatment ended as of 18:30 local (10:30 UTC), entered at 19:00: 30 min back, more
    # than 5, so the reason for the late entry is asked
    answers.asked.clear()
    answers.forms.append(
        {"reason": "toxicity", "details": "grade 3 fever again", "at": "2026-11-21 18:30"}
    )
    answers.forms.append({"late_reason": "decided on the ward round, entered after it"})
    answers.passwords.append(PASSWORD)
    alt(qtbot, window, Qt.Key.Key_T, answers)
    assert [kind for kind, _ in answers.asked] == ["form", "form", "signature"]
    assert answers.asked[1][1] == (
        "Entered late",
        ["late_reason"],
        "Done at 2026-11-21 18:30, recorded now: the record says why.",
    )
    assert answers.asked[2][1][0] == (
        "End of treatment of patient P001: toxicity: grade 3 fever again, done at "
        "2026-11-21 18:30 (decided on the ward round, entered after it)"
    )
    assert page.message.text() == "Treatment of patient P001 ended (toxicity)."
    assert signed_entries(ui_ctx)[2] == (
        "treatment_ended",
        {"details": "grade 3 fever again", "reason": "toxicity"},
        "ended",
        datetime(2026, 11, 21, 10, 30, tzinfo=UTC),
        "decided on the ward round, entered after it",
    )
    assert [b.isEnabled() for b in (acts.enrol_button, acts.level_button, acts.end_button)] == [
        False,
        False,
        False,
    ]
    assert acts.end_button.toolTip() == "treatment has ended"


@pytest.mark.parametrize(
    ("to_level", "from_infusion", "said"),
    [
        (
            GROUP_B,
            "3",
            "The next infusion of patient P001 is number 2: a level change applies from it, "
            "not from infusion 3",
        ),
        (
            "A (Group A: 2 × 10^6 cells/kg, one infusion)",
            "2",
            "Group A plans 1 infusion: infusion 2 of patient P001 cannot be given at it (to "
            "give no more infusions, end the treatment)",
        ),
    ],
)
def test_a_level_change_the_plan_cannot_hold_is_one_line_and_nothing_is_signed(
    qtbot, ui_ctx, ui_staff, clock, open_window, answers, to_level, from_infusion, said
):
    register(ui_ctx, ui_staff, clock, "P001", "ucmsc-cart-cytopenia", "C", enrol=True)
    products.register_product(ui_ctx, ui_staff.pharmacist, coa_from_mapping(example_coa()))
    give_infusion(ui_ctx, ui_staff, clock, 1)  # the next infusion is 2
    clock.now = datetime(2026, 11, 21, 11, tzinfo=UTC)
    window = open_window(ui_staff.investigator)
    page = show_patient(qtbot, window)
    change = {"to_level": to_level, "from_infusion": from_infusion, "reason": "platelets"}
    answers.forms.append({**change, "at": "2026-11-21 19:00"})
    answers.passwords.append(PASSWORD)
    alt(qtbot, window, Qt.Key.Key_L, answers)
    assert page.message.text() == said  # the window's line begins with a capital
    assert "\n" not in page.message.text()
    assert [entry[0] for entry in signed_entries(ui_ctx)] == ["patient_enrolled"]
    assert page.acts.level_button.isEnabled()  # another change may still be made


def test_an_investigator_reviews_a_flagged_dlt_on_its_row(
    qtbot, ui_ctx, ui_staff, clock, open_window, answers
):
    register(ui_ctx, ui_staff, clock, "P001", "ucmsc-cart-cytopenia", "A", enrol=True)
    products.register_product(ui_ctx, ui_staff.pharmacist, coa_from_mapping(example_coa()))
    give_infusion(ui_ctx, ui_staff, clock, 1)
    clock.advance(days=1)  # Sun 22 Nov 09:25 UTC: within group A's DLT window
    values = {
        "term": "Platelet count decreased",
        "grade": 3,
        "attribution": "possible",
        "serious": False,
    }
    flagged = patient_aes.record_patient_ae(ui_ctx, ui_staff.nurse, "P001", values)
    patient_aes.record_patient_ae(ui_ctx, ui_staff.nurse, "P001", {**values, "grade": 2})
    window = open_window(ui_staff.investigator)
    page = show_patient(qtbot, window)
    review = page.acts.review_button
    assert not review.isEnabled()
    assert review.toolTip() == "select a flagged adverse event first"
    grades = page.adverse.column_texts(2)
    page.adverse.selectRow(grades.index("2"))
    assert not review.isEnabled()
    assert review.toolTip() == "this adverse event is not flagged as a DLT"
    page.adverse.selectRow(grades.index("3"))
    assert review.isEnabled()

    answers.forms.append({"verdict": "confirmed: a DLT", "reason": "no other cause found"})
    answers.passwords.append(PASSWORD)
    alt(qtbot, window, Qt.Key.Key_R, answers)
    assert (
        page.message.text() == f"Adverse event #{flagged.seq} (patient) reviewed: confirmed: a DLT."
    )
    (entry,) = signed_entries(ui_ctx)[1:]  # after the enrolment
    assert entry[:3] == (
        "dlt_reviewed",
        {
            "adverse_event_seq": flagged.seq,
            "confirmed": True,
            "reason": "no other cause found",
            "stream": "patient:P001",
        },
        "reviewed",
    )
    row = page.adverse.column_texts(2).index("3")
    assert page.adverse.text(row, 7).startswith("DLT confirmed by Ivan Investigator")
    page.adverse.selectRow(row)
    assert not review.isEnabled() and review.toolTip() == "reviewed already"


def test_a_nurse_sees_none_of_the_acts(qtbot, ui_staff, open_window, unenrolled):
    window = open_window(ui_staff.nurse)
    page = show_patient(qtbot, window)
    assert page.acts is None
    names = {"enrolPatient", "changeLevel", "endTreatment", "reviewDlt"}
    assert [b for b in window.findChildren(type(page.show_button)) if b.objectName() in names] == []


def test_a_wrong_password_writes_nothing_and_says_so_in_one_line(
    qtbot, ui_ctx, ui_staff, open_window, answers, unenrolled
):
    window = open_window(ui_staff.investigator)
    page = show_patient(qtbot, window)
    answers.forms.append({"dose_level": GROUP_C, "at": "2026-11-21 16:00"})
    answers.passwords.extend(["not my password", None])  # refused, then Cancel
    qtbot.mouseClick(page.acts.enrol_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    # the open dialog said so (and stayed open), the page says it in one line
    assert answers.asked[-1] == ("signature refused", "The username or password is wrong")
    assert page.message.text() == "The username or password is wrong"
    assert signed_entries(ui_ctx) == []
    assert page.acts.enrol_button.isEnabled()  # still not enrolled


def test_a_time_that_is_not_a_time_is_one_line_and_nothing_is_signed(
    qtbot, ui_ctx, ui_staff, open_window, answers, unenrolled
):
    window = open_window(ui_staff.investigator)
    page = show_patient(qtbot, window)
    answers.forms.append({"dose_level": GROUP_C, "at": "yesterday"})
    alt(qtbot, window, Qt.Key.Key_E, answers)
    assert [kind for kind, _ in answers.asked] == ["form"]  # no signature asked
    assert page.message.text() == (
        "Time: give HH:MM or YYYY-MM-DD HH:MM (station time), got 'yesterday'"
    )
    assert signed_entries(ui_ctx) == []
