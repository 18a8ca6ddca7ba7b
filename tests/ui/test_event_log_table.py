"""The log table shows its newest entry when it is shown, not only when it is refilled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from infusion_app.logic import messages as m
from infusion_app.logic.event_log import LogRow
from infusion_app.ui.event_log_table import EventLogTable

START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)


def rows(count: int) -> list[LogRow]:
    return [
        LogRow(
            seq=seq,
            what=m.plain(text=f"entry {seq}"),
            occurred_at=START + timedelta(minutes=seq),
            recorded_at=START + timedelta(minutes=seq),
            user="nurse",
            details=m.plain(text=""),
            back_entry_reason=None,
            signed=(),
            corrected_by=(),
        )
        for seq in range(1, count + 1)
    ]


def newest_visible(table: EventLogTable) -> bool:
    last = table.model().rowCount() - 1
    top = table.rowViewportPosition(last)
    return top >= 0 and top + table.rowHeight(last) <= table.viewport().height()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # a top-level widget on the offscreen platform
def test_filled_while_hidden_it_shows_the_newest_entry_once_shown(qtbot):
    """A language switch rebuilds the bedside while another tab is shown: the log was filled
    before it was laid out, so its scroll to the newest did nothing and it opened at entry 1."""
    page = QWidget()  # the bedside tab, not laid out while another tab is shown
    qtbot.addWidget(page)
    table = EventLogTable()
    QVBoxLayout(page).addWidget(table)
    table.show_rows(rows(30))
    page.resize(900, 240)  # room for a few rows of 30
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: newest_visible(table), timeout=2000)
    assert table.rowViewportPosition(0) < 0  # the first entries are scrolled away


def test_a_reader_scrolled_up_is_not_moved_by_a_refill_of_the_same_entries(qtbot):
    table = EventLogTable()
    qtbot.addWidget(table)
    table.resize(900, 240)
    table.show()
    qtbot.waitExposed(table)
    table.show_rows(rows(30))
    qtbot.waitUntil(lambda: newest_visible(table), timeout=2000)
    table.scrollToTop()
    table.show_rows(rows(30))  # the same log read again (a tick, a tab switch)
    assert table.rowViewportPosition(0) == 0
