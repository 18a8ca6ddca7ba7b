"""The bedside window follows the patient's plan at the start of infusion 2 of group C.

Infusion 1 of P001 (group C: four weekly infusions, -1/+2 local days) starts on Saturday
21 Nov 2026 at 08:35 UTC, 16:35 in Asia/Shanghai. Infusion 2's target is 21 Nov + 7 = Sat
28 Nov; its window opens on Fri 27 Nov 00:00 local (26 Nov 16:00 UTC) and closes on
Tue 1 Dec 00:00 local (30 Nov 16:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from infusion_app.logic.availability import BedsideAction
from infusion_app.logic.coa import coa_from_mapping
from infusion_app.services import bedside, infusions, patients, products
from tests.conftest import PASSWORD
from tests.logic.infusion_log import NORMAL_VITALS
from tests.samples import example_coa
from tests.services.bedside_steps import prepare, run_to_fast_phase
from tests.stored import stored_events
from tests.ui.test_bedside_screen import disabled_because, press, screen_of

pytestmark = pytest.mark.parametrize("p001_group", ["C"])


@pytest.fixture
def second(ui_ctx, ui_staff, ward_infusion, clock) -> int:
    """Infusion 1 given and observed on 21 Nov (08:35 to 11:25 UTC); infusion 2 created with a
    bag of its own, so it is the station's open infusion."""
    staff = ui_staff
    run_to_fast_phase(ui_ctx, staff, ward_infusion, clock)
    clock.advance(minutes=33)
    bedside.end_infusion(ui_ctx, staff.nurse, ward_infusion, PASSWORD, volume_infused_ml=100)
    bedside.record_vitals(ui_ctx, staff.nurse, ward_infusion, NORMAL_VITALS)
    clock.advance(minutes=120)
    bedside.end_observation(ui_ctx, staff.nurse, ward_infusion)
    coa = example_coa(product_id="UC-MSC-2026-0002")
    products.register_product(ui_ctx, staff.pharmacist, coa_from_mapping(coa))
    products.release_product(ui_ctx, staff.pharmacist, "UC-MSC-2026-0002", PASSWORD)
    return infusions.create_infusion(ui_ctx, staff.nurse, "P001", "UC-MSC-2026-0002", 2)


def ready(ui_ctx, staff, clock, infusion_id: int, at: datetime) -> None:
    """Today's weight, dose, checks and premedication at ``at``, thaw 10 min later."""
    clock.now = at
    patients.record_weight(ui_ctx, staff.nurse, "P001", "63.5", clock())
    bedside.calculate_infusion_dose(ui_ctx, staff.pharmacist, infusion_id, final_volume_ml="100")
    prepare(ui_ctx, staff, infusion_id, product_id="UC-MSC-2026-0002")
    bedside.give_premedication(ui_ctx, staff.nurse, infusion_id)
    clock.advance(minutes=10)
    bedside.record_thaw(ui_ctx, staff.nurse, infusion_id)


def test_start_is_disabled_before_the_window_with_the_services_reason(
    qtbot, ui_ctx, ui_staff, second, clock, answers, open_window
):
    # premedication 26 Nov 15:10 UTC (23:10 local), thaw 15:20; at 15:45 (23:45 local) the
    # bedside's own rules allow the start (35 min after the premedication), the plan not
    ready(ui_ctx, ui_staff, clock, second, datetime(2026, 11, 26, 15, 10, tzinfo=UTC))
    clock.advance(minutes=25)
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    assert screen.infusion_id == second
    screen.tick()
    assert disabled_because(screen, BedsideAction.START) == (
        "infusion 2 (target 2026-11-28) may not start before its window opens at "
        "2026-11-27T00:00+08:00"
    )
    clock.now = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # 27 Nov 00:00 local: it opens
    screen.tick()
    assert disabled_because(screen, BedsideAction.START) is None
    answers.forms.append({"drop_factor": "20"})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.START)
    _, keys, note = answers.asked[-2][1]
    # inside the window: no reason asked (the time is offered as now)
    assert (keys, note) == (["drop_factor", "at"], "")
    started = next(e for e in stored_events(ui_ctx, second) if e.type == "infusion_started")
    assert "schedule_deviation" not in started.payload


def test_after_the_window_closed_the_start_form_asks_for_the_deviation(
    qtbot, ui_ctx, ui_staff, second, clock, answers, open_window
):
    # Tue 1 Dec 08:00 local (00:00 UTC), 8 hours after the window closed: premedication then,
    # thaw 00:10, start 00:35 UTC
    ready(ui_ctx, ui_staff, clock, second, datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    clock.advance(minutes=25)
    window = open_window(ui_staff.nurse)
    screen = screen_of(window)
    screen.tick()
    assert disabled_because(screen, BedsideAction.START) is None  # allowed, with a reason
    why = "patient admitted with pneumonia 27-30 November"
    answers.forms.append({"drop_factor": "20", "deviation_reason": why})
    answers.passwords.append(PASSWORD)
    press(qtbot, window, BedsideAction.START)
    _, keys, note = answers.asked[-2][1]
    assert keys == ["drop_factor", "deviation_reason", "at"]
    assert note == (
        "infusion 2 (target 2026-11-28): its window closed at 2026-12-01T00:00+08:00; "
        "give the reason (a schedule deviation)"
    )
    started = next(e for e in stored_events(ui_ctx, second) if e.type == "infusion_started")
    assert f'"schedule_deviation":"{why}"' in started.payload
