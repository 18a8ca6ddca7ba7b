"""The time of a clinical entry in its dialog, and the back-entry rule, written once.

Every dialog that records a clinical act shows the entry's time, offered as now. Left as
offered, the entry is recorded "now, when signed or saved" (the service's clock, not the
moment the dialog opened). Changed, it is a back-entry: the paper record of a downtime,
entered afterwards with the time it happened at the bedside; more than
:data:`~infusion_app.logic.backentry.BACK_ENTRY_AFTER` back, the nurse is asked why it is
entered late (one reason per entry), and the service gets ``at`` and ``late_reason``.
Whether the time is allowed (not in the future, not before registration, not beyond the
back-entry limit, in order with the earlier entries) is the service's to say: its one line is
shown and nothing is saved.

Dialogs prefill the time (:class:`EntryTime`); a row that stays open on the screen (the
vital signs, the scanner) leaves its time field empty, meaning now (:func:`row_timing`), since
a prefilled time there would go stale while the row waits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QWidget

from infusion_app.logic.backentry import is_back_entered
from infusion_app.logic.entered_time import parse_entered_time
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.look import local_time, touch_sized

TIME_KEY = "at"
TIME_HINT = "HH:MM / YYYY-MM-DD HH:MM"


@dataclass(frozen=True)
class Timing:
    """When an entry happened: ``at`` None is now, when saved; a back-entry says why."""

    at: datetime | None = None
    late_reason: str | None = None


def station_now(now: datetime, zone: tzinfo | None = None) -> datetime:
    """``now`` in ``zone``, or the zone the screen shows times in (look.local_time's), for
    reading a typed time: "08:35" means 08:35 on the clock the nurse reads."""
    return now.astimezone(zone)


def shown_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """A time as the field shows it: ``zone``'s, or the screen's, to the minute."""
    if zone is None:
        return local_time(moment, with_date=True)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


class EntryTime:
    """One dialog's time field: what it offered (now, as the dialog opened, to the minute)
    and, once the dialog is accepted, what it held (:attr:`text`)."""

    def __init__(self, clock: Callable[[], datetime], zone: tzinfo | None = None) -> None:
        """``zone``: the times typed and shown are in it (a patient page shows the protocol's
        zone); None is the screen's."""
        self.clock = clock
        self.zone = zone
        self.offered = shown_time(clock(), zone)
        self.text = self.offered
        self.resolved: tuple[str, Timing] | None = None  # the text read last, and its timing

    def field(self, label: str | None = None) -> Field:
        """For a :class:`FormDialog`: key ``at``, prefilled with now."""
        return Field(TIME_KEY, label or label_text(), self.offered, hint=TIME_HINT)

    def editor(self, parent: QWidget | None = None) -> QLineEdit:
        """For a dialog of its own: a field prefilled with now, reached by Tab; Enter in it
        accepts the dialog like any field (the dialog reads it back with :meth:`take`)."""
        edit = QLineEdit(self.offered, parent)
        edit.setObjectName("entryTime")
        edit.setPlaceholderText(TIME_HINT)
        edit.setToolTip(
            QCoreApplication.translate(
                "EntryTime",
                "Left as offered: now, when saved. Changed: a back-entry, which asks why.",
            )
        )
        touch_sized(edit)
        return edit

    def take(self, values: dict[str, str] | str | None) -> None:
        """What the dialog held: a form's values (key ``at``; missing means as offered) or
        the field's text."""
        if isinstance(values, dict):
            self.text = values.get(TIME_KEY, self.offered)
        elif values is not None:
            self.text = values

    def timing(self, parent: QWidget | None) -> Timing | None:
        """Now (left as offered), or the changed time with, when it is back-entered, the
        reason asked for. None when the person cancelled the reason; a time that cannot be
        read raises the field's InputError (one line)."""
        if self.text.strip() == self.offered.strip():
            return Timing()
        if self.resolved is not None and self.resolved[0] == self.text:
            return self.resolved[1]  # a signature tried again: the reason is asked once
        timing = timing_of(parent, self.text, self.clock(), self.zone)
        if timing is not None:
            self.resolved = (self.text, timing)
        return timing


def timing_of(
    parent: QWidget | None, text: str, now: datetime, zone: tzinfo | None = None
) -> Timing | None:
    """The typed ``text`` read in ``zone`` (None: the screen's) against ``now``, and the late
    reason asked when it is back-entered; None when that was cancelled."""
    at = parse_entered_time(TIME_KEY, text, station_now(now, zone))
    if not is_back_entered(at, now):
        return Timing(at)
    reason = ask_late_reason(parent, shown_time(at, zone))
    return None if reason is None else Timing(at, reason)


def row_timing(parent: QWidget | None, edit: QLineEdit, now: datetime) -> Timing | None:
    """An open row's time field: empty is now; a typed time is read as :func:`timing_of`."""
    text = edit.text().strip()
    if not text:
        return Timing()
    return timing_of(parent, text, now)


def ask_late_reason(parent: QWidget | None, at: str) -> str | None:
    """Why an entry is entered late; an empty answer is passed on (the service refuses it
    with its one line), a cancel is None."""
    values = FormDialog.ask(
        parent,
        QCoreApplication.translate("EntryTime", "Entered late"),
        [Field("late_reason", QCoreApplication.translate("EntryTime", "Why is it entered late?"))],
        QCoreApplication.translate(
            "EntryTime", "Done at {0}, recorded now: the record says why."
        ).format(at),
    )
    return None if values is None else values.get("late_reason", "")


def label_text() -> str:
    return QCoreApplication.translate("EntryTime", "Time (as offered: now)")


def row_editor(parent: QWidget | None = None) -> QLineEdit:
    """The time field of a row that stays open: empty means now."""
    edit = QLineEdit(parent)
    edit.setObjectName("rowTime")
    edit.setPlaceholderText(QCoreApplication.translate("EntryTime", "time: now"))
    edit.setToolTip(
        QCoreApplication.translate(
            "EntryTime",
            "Empty: now. A time (HH:MM or YYYY-MM-DD HH:MM): a back-entry, which asks why.",
        )
    )
    touch_sized(edit)
    return edit
