"""The Trial tab's Summary section: the per-level numbers and the outcome lines, read off the
UI thread with the tracker, and "Print summary…" (Alt+M) previewing the PDF to save, audited.

The cohort of tests/ui/test_trial_page.py (shipped ``ucmsc-cart-cytopenia`` with its rule):
P001-P003 in group A, infused; P002's grade 3 AE flagged, not adjudicated; the clock 29 days
on, past the 28-day DLT windows.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from infusion_app.store.models import Event
from infusion_app.ui.record_preview import RecordPreview
from tests.ui import test_trial_page as trial_page
from tests.ui.conftest import settle

# the trial page's store (protocols with their rule) and cohort, as fixtures of this module
ui_ctx = trial_page.ui_ctx
cohort = trial_page.cohort
open_trial = trial_page.open_trial


def test_the_summary_section_shows_the_numbers_per_level(
    qtbot,
    ui_staff,
    open_window,
    cohort,
) -> None:
    window = open_window(ui_staff.investigator)
    page = open_trial(qtbot, window)
    qtbot.waitUntil(lambda: page.summary_table.rowCount() == 4)
    page.sections.setCurrentWidget(page.summary_section)
    # A: 3 enrolled and infused, 1 infusion each; P002's flag awaits review, so 2 evaluable
    # (P001, P003), no confirmed DLT: 0/2; one AE (P002's, grade 3, possible: related)
    assert [page.summary_table.text(0, c) for c in range(10)] == [
        "A", "3", "3", "3", "3", "2", "0/2 (0.0 %)", "1", "1", "0",
    ]  # fmt: skip
    assert page.summary_table.text(1, 0) == "B" and page.summary_table.text(1, 1) == "0"
    assert page.summary_table.text(3, 0) == "All levels"
    text = page.outcomes.text()
    assert "Data cut 2026-" in text
    assert "A: related AE Platelet count decreased: 1 patients, worst grade 3" in text
    # no blood counts recorded: week 4 is reached (day 28) with nobody responding
    assert "A: week 4: CR 0/3 (0.0 %), PR 0/3 (0.0 %), OR 0/3 (0.0 %)" in text
    assert "B: week 4: CR 0/0, PR 0/0, OR 0/0; 0 not assessable yet" in text


def test_the_levels_stay_in_view_however_long_the_outcome_lines(
    qtbot, ui_staff, open_window, cohort
) -> None:
    """On a site with years of outcomes the lines below the table took the section's height
    and the table of levels showed one row at 1366x768 (found by a helper on the 1M-event
    site): the table keeps the height of its rows, the lines scroll."""
    window = open_window(ui_staff.investigator)
    page = open_trial(qtbot, window)
    qtbot.waitUntil(lambda: page.summary_table.rowCount() == 4)
    page.sections.setCurrentWidget(page.summary_section)
    long_trial = page.outcomes.text() + "\n" + "\n".join(f"A: line {i}" for i in range(80))
    page.outcomes.setText(long_trial)  # as many lines as a trial of years shows
    settle(qtbot, window)
    table = page.summary_table
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.viewport().height() >= rows  # all four rows, none cut
    assert page.outcomes.visibleRegion().boundingRect().height() > 0  # the lines still show
    # a protocol of many levels: six rows in view, the table scrolls, the lines keep a share
    table.set_rows([[f"L{i}"] + ["0"] * 9 for i in range(12)])
    page._fit_levels()
    settle(qtbot, window)
    shown = table.viewport().height()
    assert 6 * table.rowHeight(0) <= shown < 7 * table.rowHeight(0) + 20
    assert page.outcomes.visibleRegion().boundingRect().height() > 100


# the offscreen platform cannot pass a new top-level window's size hints on (the preview)
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_a_monitor_prints_the_summary_by_keyboard(
    qtbot,
    ui_ctx,
    ui_staff,
    open_window,
    cohort,
    tmp_path,
    monkeypatch,
) -> None:
    window = open_window(ui_staff.monitor)
    page = open_trial(qtbot, window)
    qtbot.waitUntil(lambda: page.trial_summary is not None)
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.isVisible())
    preview = page.preview
    assert preview is not None and preview.document.what == "trial summary"
    assert preview.document.head_hash == page.trial_summary.heads_digest
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(RecordPreview, "ask_path", classmethod(lambda cls, *a: target))
    preview.save_button.click()
    settle(qtbot, window)
    qtbot.waitUntil(target.exists)
    assert target.read_bytes().startswith(b"%PDF")
    preview.close()
    with ui_ctx.db.read() as session:
        printed = session.scalars(select(Event.payload).where(Event.type == "record_printed")).all()
    assert len(printed) == 1 and page.trial_summary.heads_digest in printed[0]
