"""The cells of one row of the site's day (a visit, a sample, a check, an SAE report's
countdown), as the worklist and the ward board both show them.

One function, so the two screens say the same thing in the same words; the texts keep the
worklist's translation context, where they were first translated.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from infusion_app.logic.countdown import format_remaining
from infusion_app.logic.course import CalendarStatus
from infusion_app.services.site_day import CalendarRow, SaeReportRow
from infusion_app.ui.look import local_time
from infusion_app.ui.translations import shown


def day_row_cells(row: CalendarRow | SaeReportRow, now: datetime) -> list[str]:
    """Patient, initials, what, when, status. A report whose deadline has passed reads
    "overdue" even before the next read marks it so."""
    if isinstance(row, SaeReportRow):
        where = (
            QCoreApplication.translate("WorklistPage", "infusion {0}").format(row.infusion_number)
            if row.infusion_number is not None
            else QCoreApplication.translate("WorklistPage", "the patient")
        )
        what = QCoreApplication.translate(
            "WorklistPage", "SAE report #{0}: {1}, grade {2} ({3})"
        ).format(row.adverse_event_seq, row.term, row.grade, where)
        when = QCoreApplication.translate("WorklistPage", "by {0}").format(
            local_time(row.due_at, with_date=True)
        )
        left = (row.due_at - now).total_seconds()
        status = (
            QCoreApplication.translate("WorklistPage", "overdue")
            if row.overdue or left <= 0
            else QCoreApplication.translate("WorklistPage", "due in {0}").format(
                format_remaining(left)
            )
        )
        return [row.trial_id, row.initials, what, when, status]
    if row.opens is None or row.closes is None:
        when = QCoreApplication.translate("WorklistPage", "before the first infusion")
    else:
        when = QCoreApplication.translate("WorklistPage", "{0} to {1}").format(
            local_time(row.opens, with_date=True), local_time(row.closes, with_date=True)
        )
    status = {
        CalendarStatus.DUE: QCoreApplication.translate("WorklistPage", "due"),
        CalendarStatus.UPCOMING: QCoreApplication.translate("WorklistPage", "opens today"),
        CalendarStatus.MISSED: QCoreApplication.translate("WorklistPage", "overdue"),
    }.get(row.status, row.status.value)
    return [row.trial_id, row.initials, shown(row.label), when, status]
