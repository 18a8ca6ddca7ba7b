"""Recording an item of a patient's calendar from the site's day: when it was done (now by
default), a note, the sample's ID for a sample, and the reason when it is late or entered
afterwards. The dialog gathers text only; calendar_acts checks every rule.

The time is the clinical dialogs' one time field (ui/entry_time.py): left as offered it is
now, when saved; changed, a back-entry. One reason serves both the late item and the
back-entry (the service's rule); a back-entry with the reason left empty asks why it is
entered late, as every clinical dialog does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.services.site_day import CalendarRow
from infusion_app.ui.entry_time import ask_late_reason, shown_time, station_now
from infusion_app.ui.form_dialog import Field, FormDialog
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
        proposed = shown_time(clock())  # date and minute: a downtime may cross midnight
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


def entry_from(
    parent: QWidget | None, values: dict[str, str], now: datetime
) -> CalendarEntry | None:
    """The texts as the service's arguments: the time left as proposed is now; a changed
    time more than 5 minutes back with no reason in the form asks why it is entered late
    (None when that is cancelled). A time that cannot be read raises its one line."""
    text = values.get("time", "")
    reason = values.get("reason", "")
    at = None
    if text.strip() != values.get("proposed", "").strip():
        at = parse_entered_time("at", text, station_now(now))
        if is_back_entered(at, now) and not reason.strip():
            asked = ask_late_reason(parent, shown_time(at))
            if asked is None:
                return None
            reason = asked
    return CalendarEntry(at, values.get("note", ""), values.get("sample_id", ""), reason)
