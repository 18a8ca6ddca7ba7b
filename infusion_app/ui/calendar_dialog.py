"""Recording an item of a patient's calendar from the site's day: when it was done (now by
default), a note, the sample's ID for a sample, and the reason when it is late or entered
afterwards. The dialog gathers text only; calendar_acts checks every rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.services.site_day import CalendarRow
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import local_time, station_now
from infusion_app.ui.translations import shown


@dataclass(frozen=True)
class CalendarEntry:
    """What the nurse entered: ``at`` None means now (the time was left as proposed)."""

    at: datetime | None
    note: str
    sample_id: str
    reason: str


class CalendarItemDialog:
    """Asks for one calendar item; :meth:`ask` is what the tests replace."""

    @classmethod
    def ask(
        cls, parent: QWidget | None, row: CalendarRow, clock: Callable[[], datetime]
    ) -> dict[str, str] | None:
        """The entered texts by key (``time``, ``note``, ``sample_id``, ``reason``), or None."""
        proposed = local_time(clock())
        fields = [
            Field(
                "time",
                QCoreApplication.translate(
                    "CalendarItemDialog", "Done at (HH:MM today, or date and time)"
                ),
                proposed,
            ),
            Field("note", QCoreApplication.translate("CalendarItemDialog", "Note")),
        ]
        if row.is_sample:
            fields.append(
                Field(
                    "sample_id",
                    QCoreApplication.translate("CalendarItemDialog", "Sample ID (tube label)"),
                )
            )
        fields.append(
            Field(
                "reason",
                QCoreApplication.translate(
                    "CalendarItemDialog", "Reason (late, or entered afterwards)"
                ),
                hint=QCoreApplication.translate("CalendarItemDialog", "required: window closed")
                if row.overdue
                else "",
            )
        )
        title = QCoreApplication.translate("CalendarItemDialog", "Record: {0}").format(
            shown(row.label)
        )
        note = QCoreApplication.translate("CalendarItemDialog", "Patient {0} · {1}").format(
            row.trial_id, row.key
        )
        values = FormDialog.ask(parent, title, fields, note)
        if values is not None:
            values["proposed"] = proposed
        return values


def entry_from(values: dict[str, str], now: datetime) -> CalendarEntry:
    """The texts as the service's arguments (runs in the service call's worker, so a typo
    comes back as its field's one-line error)."""
    text = values.get("time", "")
    at = None
    if text.strip() != values.get("proposed", ""):
        at = parse_entered_time("at", text, station_now(now))
    return CalendarEntry(
        at, values.get("note", ""), values.get("sample_id", ""), values.get("reason", "")
    )
