"""The time field of the clinical dialogs (ui/entry_time.py) is reached by Tab where the
keyboard expects it, and Enter in it accepts the dialog as with any other field.

Seen under Xvfb: the signature dialog's time field was first in the focus chain (made with
the dialog as parent before the layout took the others), so Tab from the password went to
the Sign button and a space typed in "2026-11-30 11:20" signed the act at now."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from infusion_app.ui.adverse_event_dialog import AdverseEventDialog
from infusion_app.ui.confirm_dialog import ConfirmDialog
from infusion_app.ui.entry_time import EntryTime
from infusion_app.ui.look import local_time, station_time
from infusion_app.ui.signature_dialog import SignatureDialog
from infusion_app.ui.vitals_entry import VitalsEntry

# real dialogs on the offscreen platform
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def clock() -> datetime:
    return datetime(2026, 11, 21, 12, 30, tzinfo=UTC)


def after_tab(qtbot: Any, widget: QWidget, start: QWidget) -> QWidget | None:
    """The widget Tab moves the focus to from ``start``."""
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    start.setFocus()
    qtbot.waitUntil(start.hasFocus)
    qtbot.keyClick(start, Qt.Key.Key_Tab)
    return widget.focusWidget()


def test_tab_from_the_password_reaches_the_time_and_enter_there_signs(qtbot: Any) -> None:
    time = EntryTime(clock)
    dialog = SignatureDialog(
        None, what="Start", meaning="administered", printed_name="Nora Nurse", time=time
    )
    assert after_tab(qtbot, dialog, dialog.password) is dialog.time_edit
    assert dialog.time_edit is not None
    assert dialog.time_edit.text() == local_time(clock(), with_date=True)  # offered: now
    dialog.time_edit.selectAll()
    qtbot.keyClicks(dialog.time_edit, "2026-11-21 11:20")  # the space types a space
    assert dialog.time_edit.text() == "2026-11-21 11:20"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Return)
    assert time.text == "2026-11-21 11:20"


def test_the_confirmation_keeps_enter_on_record_and_the_time_one_tab_back(qtbot: Any) -> None:
    time = EntryTime(clock)
    dialog = ConfirmDialog(None, title="Thaw", entry="Product thawed", clock=clock, time=time)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.focusWidget() is dialog.record  # Enter records at once, time as offered
    # the station's clock (look.station_time: 12:30:00 with the station's zone)
    assert dialog.when.text() == f"Time: {station_time(clock())} (now, when you confirm)"
    qtbot.keyClick(dialog.record, Qt.Key.Key_Backtab)
    assert dialog.focusWidget() is dialog.time_edit
    # Enter in the time field records too. Seen under Xvfb: Record was made the default
    # before its button box was in the dialog, so leaving it made Cancel the default and
    # Enter after typing a paper time cancelled the entry
    assert dialog.record.isDefault()
    assert dialog.time_edit is not None
    dialog.time_edit.selectAll()
    qtbot.keyClicks(dialog.time_edit, "11:30")
    # the live "now" would contradict the time typed: the line says what will be recorded
    assert dialog.when.text() == "Time: 11:30 as entered (a back-entry)"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.time_edit, Qt.Key.Key_Return)
    assert dialog.result() == ConfirmDialog.DialogCode.Accepted
    assert time.text == "11:30"


def test_the_reaction_dialog_has_its_time_after_the_description(qtbot: Any) -> None:
    time = EntryTime(clock)
    dialog = AdverseEventDialog(None, None, time)
    assert after_tab(qtbot, dialog, dialog.description) is dialog.time_edit


def test_the_vitals_row_has_its_time_after_avpu_and_before_record(qtbot: Any) -> None:
    row = VitalsEntry()
    assert after_tab(qtbot, row, row.avpu) is row.time
    row.time.setFocus()
    qtbot.keyClick(row.time, Qt.Key.Key_Tab)
    assert row.focusWidget() is row.record
