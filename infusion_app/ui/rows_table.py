"""A read-only table of text rows that stays fast however often it is refilled.

A ``QTableWidget`` with ``ResizeToContents`` headers measured every cell of every row again
after each ``setItem``: refilling 401 rows froze the window for 22 s. Here the rows live in
one model and a refill is one signal: ``dataChanged`` when the number of rows is the same
(the selection and the scroll position stay), a model reset otherwise. Column widths are
measured once from a sample of rows (header text and the first and last rows), after that
only widened when a new sample needs it, and the person may drag them (interactive
sections); rows have one fixed height. Nothing here depends on the number of rows except
the copy of the texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

SAMPLE_HEAD, SAMPLE_TAIL = 40, 10  # rows measured for the column widths
MAX_COLUMN_PX = 420  # a long text is elided (its tooltip shows all of it)
PADDING_PX = 24
STRETCH_MIN_PX = 160  # room left for the column that takes the rest

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Tint:
    """Colours of one cell, or of a whole row (column ``ROW``)."""

    background: str | None = None
    foreground: str | None = None


ROW = -1  # the key of a row's tint in a row's tint mapping


class RowsModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple[str, ...]] = []
        self.tints: list[Mapping[int, Tint]] = []
        self.tooltips = False
        self._colours: dict[str, QColor] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation is Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole or (
            role == Qt.ItemDataRole.ToolTipRole and self.tooltips
        ):
            return self.rows[row][column]
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            tints = self.tints[row] if row < len(self.tints) else {}
            tint = tints.get(column) or tints.get(ROW)
            if tint is None:
                return None
            name = tint.background if role == Qt.ItemDataRole.BackgroundRole else tint.foreground
            return self._colour(name) if name else None
        return None

    def _colour(self, name: str) -> QColor:
        colour = self._colours.get(name)
        if colour is None:
            colour = self._colours[name] = QColor(name)
        return colour

    def replace(
        self, rows: Sequence[Sequence[str]], tints: Sequence[Mapping[int, Tint]] | None
    ) -> bool:
        """Show ``rows``; True when the number of rows stayed (only the texts changed)."""
        new_rows = [tuple(r) for r in rows]
        new_tints = list(tints) if tints is not None else []
        if len(new_rows) == len(self.rows) and new_rows:
            self.rows, self.tints = new_rows, new_tints
            last = self.index(len(new_rows) - 1, len(self.headers) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return True
        self.beginResetModel()
        self.rows, self.tints = new_rows, new_tints
        self.endResetModel()
        return not new_rows and not self.rows


class RowsTable(QTableView):
    """Rows of text, one selected at a time (or several with ``multi``), not editable."""

    selection_changed = Signal()

    def __init__(
        self,
        headers: Sequence[str],
        *,
        stretch: int | None = None,
        tooltips: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model_rows = RowsModel(headers, self)
        self.model_rows.tooltips = tooltips
        self.setModel(self.model_rows)
        self.stretch = stretch if stretch is not None else len(headers) - 1
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(self.stretch == len(headers) - 1)
        self._measured = [0] * len(headers)
        self._minimum = [0] * len(headers)
        self.fit_columns([])
        self.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

    # --- filling ---------------------------------------------------------------------------

    def set_rows(
        self,
        rows: Sequence[Sequence[str]],
        tints: Sequence[Mapping[int, Tint]] | None = None,
    ) -> None:
        """Show ``rows`` (each a sequence of one text per column)."""
        self.model_rows.replace(rows, tints)
        self.fit_columns(rows)

    def fit_columns(self, rows: Sequence[Sequence[str]]) -> None:
        """Widths from the headers and a sample of rows, never from every row; a column
        only grows (up to a limit), so a refill does not make the table jump."""
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        sample = [*rows[:SAMPLE_HEAD], *rows[max(SAMPLE_HEAD, len(rows) - SAMPLE_TAIL) :]]
        grew = False
        for column, title in enumerate(self.model_rows.headers):
            if column == self.stretch:
                continue
            self._minimum[column] = header_metrics.horizontalAdvance(title) + PADDING_PX
            widest = max(
                [header_metrics.horizontalAdvance(title)]
                + [metrics.horizontalAdvance(r[column]) for r in sample if column < len(r)]
            )
            wanted = min(MAX_COLUMN_PX, widest + PADDING_PX)
            if wanted > self._measured[column]:
                self._measured[column] = wanted
                grew = True
        if grew:
            self._apply_widths()

    def _apply_widths(self) -> None:
        """The measured widths, shrunk in proportion when together they would not fit the
        table (a column keeps at least its header's width): no sideways scrolling."""
        header = self.horizontalHeader()
        fixed = [c for c in range(len(self._measured)) if c != self.stretch]
        total = sum(self._measured[c] for c in fixed)
        room = self.viewport().width() - (STRETCH_MIN_PX if self.stretch is not None else 0)
        factor = min(1.0, room / total) if total > 0 and room > 0 else 1.0
        for column in fixed:
            width = max(self._minimum[column], int(self._measured[column] * factor))
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_widths()

    # --- reading (screens and tests) --------------------------------------------------------

    def rowCount(self) -> int:
        return len(self.model_rows.rows)

    def columnCount(self) -> int:
        return len(self.model_rows.headers)

    def text(self, row: int, column: int) -> str:
        return self.model_rows.rows[row][column]

    def column_texts(self, column: int) -> list[str]:
        return [r[column] for r in self.model_rows.rows]

    def currentRow(self) -> int:
        index = self.currentIndex()
        return index.row() if index.isValid() else -1

    def has_selection(self) -> bool:
        return self.selectionModel().hasSelection()

    def select_quietly(self, row: int) -> None:
        """Select ``row`` without emitting ``selection_changed`` (the caller acts itself)."""
        self.blockSignals(True)
        model = self.selectionModel()
        model.blockSignals(True)
        try:
            self.selectRow(row)
        finally:
            model.blockSignals(False)
            self.blockSignals(False)
        self.viewport().update()
