"""Shared look of the bedside screens: high-contrast colours, large targets, table set-up.

Colours follow IEC 60601-1-8's alarm convention (red high, yellow medium, cyan low) and keep
a contrast ratio of at least 4.5:1 for their text (WCAG AA), so a banner reads from a step back.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from infusion_app.app_log import log_failure, log_file
from infusion_app.logic.alarms import Priority
from infusion_app.logic.errors import ErrorKind, InputError, kind_of
from infusion_app.logic.messages import Message, input_problem, is_labelled, label
from infusion_app.logic.messages import text as text_message
from infusion_app.logic.reading_time import local_times_in, read_at
from infusion_app.ui.translations import reading_zone, shown

if TYPE_CHECKING:
    from infusion_app.ui.rows_table import RowsTable

ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b5e20; font-weight: bold;"
HEADING_STYLE = "font-size: 20pt; font-weight: bold;"
TOUCH_HEIGHT = 48  # px: a fingertip target on a 1366×768 touch screen

ALARM_STYLES = {
    Priority.HIGH: "background: #b00020; color: white;",
    Priority.MEDIUM: "background: #ffd600; color: black;",
    Priority.LOW: "background: #b2ebf2; color: black;",
}

PASS_COLOUR, FAIL_COLOUR, PENDING_COLOUR = "#c8e6c9", "#ffcdd2", "#fff9c4"

# the store's and the protocols' red banner (a damaged or read-only record, a broken file)
BANNER_STYLE = "background: #8b0000; color: white; font-weight: bold; padding: 8px;"


def failure_text(exc: BaseException) -> str:
    """A refused action's reason, as the service said it. Environment and integrity errors say
    what happened and are logged; a bug is logged with its traceback, and the text says where
    the log file is (never the traceback itself)."""
    log_failure(exc, "window")
    if kind_of(exc) is ErrorKind.BUG:
        return QCoreApplication.translate(
            "Look", "Internal error ({0}): details in the log file {1}. Nothing was saved."
        ).format(type(exc).__name__, log_file())
    text = problem_text(exc)
    if isinstance(exc, InputError) and "." in exc.field and not is_labelled(exc.field):
        return text  # it begins with a file's name as given: "bag7.json: ...", not "Bag7.json"
    return text[:1].upper() + text[1:]


def problem_text(exc: BaseException) -> str:
    """A refusal's one line in the interface's language, a field by its name, not its key; a
    time the rule states in UTC reads as the station's local time."""
    message = getattr(exc, "message", None)  # a message value renders in the UI language
    if isinstance(exc, InputError):
        said = exc.said  # a rule given as text may carry UTC times: read them locally
        if isinstance(said, Message) and said.code == "plain":
            said = text_message(local_times_in(exc.rule, reading_zone()))
        message = input_problem(field=label(exc.field), rule=said)
    return (
        shown(message) if isinstance(message, Message) else local_times_in(str(exc), reading_zone())
    )


def say(label: QLabel, text: str, *, ok: bool = False, error: bool = False) -> None:
    """A screen's one-line answer: green when done, red when refused, plain while working."""
    label.setText(text)
    label.setStyleSheet(ERROR_STYLE if error else OK_STYLE if ok else "")


def local_time(moment: datetime | None, *, with_date: bool = False) -> str:
    """Stored times are UTC; people read the station's local time (its ``time_zone`` setting,
    not the machine's zone: a kiosk image left at UTC must still show Shanghai time)."""
    if moment is None:
        return ""
    return read_at(moment, reading_zone(), with_date=with_date)


def station_time(moment: datetime) -> str:
    """A moment as "what will be recorded when" reads: ``2026-11-30 09:05`` in the station's
    zone; the window's header names the zone once."""
    return read_at(moment, reading_zone())


def station_now(moment: datetime) -> datetime:
    """``moment`` in the station's zone: what a typed "08:35" or "2026-11-30 08:35" means."""
    return moment.astimezone(reading_zone())


def times_read(text: str) -> str:
    """A text made in UTC (a release criterion's "after 2026-11-21T08:00+00:00") with its
    times in the station's local minutes."""
    return local_times_in(text, reading_zone())


def touch_sized(*widgets: QWidget) -> None:
    for widget in widgets:
        widget.setMinimumHeight(TOUCH_HEIGHT)


def read_only_table(columns: list[str]) -> RowsTable:
    """A list of rows to choose from: one row selected, nothing editable, refills cheap.

    Its module is loaded with the first list (a workspace's), not with the window: making
    the first subclass of Qt's item views is ~15 ms of the window's start."""
    from infusion_app.ui.rows_table import RowsTable

    return RowsTable(columns, tooltips=True)  # an elided text shows whole on hover


def give_focus_back(parent: QWidget | None) -> None:
    """After a modal dialog closes, make its window active again: a window manager does it,
    but a kiosk session without one (and Xvfb) leaves the keyboard with no window, so the
    next Alt+letter or F-key went nowhere until someone clicked (seen under Xvfb, issue 15)."""
    if parent is not None:
        parent.window().activateWindow()


def role_name(role: str) -> str:
    """A role's stored value ("nurse") in the interface's words (main_window lists them)."""
    return QCoreApplication.translate("Role", role)


def step_name(step: str) -> str:
    """A bedside step's stored value ("slow_phase") as the step strip names it."""
    name = step.replace("_", " ").capitalize()
    return QCoreApplication.translate("StepStrip", name)


def status_name(status: str) -> str:
    """An infusion's stored status ("observation complete") as the bedside names it."""
    return QCoreApplication.translate("Status", status.capitalize())


# Stored values the pharmacy and the bedside show, in words (lupdate reads them here). The
# paper says the same words: the shared ones come from the one glossary.
PRODUCT_STATUSES = {
    "registered": QT_TRANSLATE_NOOP("Look", "registered"),
    "released": QT_TRANSLATE_NOOP("Look", "released"),
    "dispensed": QT_TRANSLATE_NOOP("Look", "dispensed"),
    "in_use": QT_TRANSLATE_NOOP("Look", "in use"),
    "administered": QT_TRANSLATE_NOOP("Look", "administered"),
    "returned": QT_TRANSLATE_NOOP("Look", "returned"),
    "discarded": QT_TRANSLATE_NOOP("Look", "discarded"),
}
VERDICTS = {
    "RELEASABLE": QT_TRANSLATE_NOOP("Look", "RELEASABLE"),
    "NOT_RELEASABLE": QT_TRANSLATE_NOOP("Look", "NOT_RELEASABLE"),  # as the CLI prints it
    "INCOMPLETE": QT_TRANSLATE_NOOP("Look", "INCOMPLETE"),
}
RESULTS = {
    "pass": QT_TRANSLATE_NOOP("Look", "pass"),
    "fail": QT_TRANSLATE_NOOP("Look", "fail"),
    "pending": QT_TRANSLATE_NOOP("Look", "pending"),
}


def _word(table: dict[str, object], value: str) -> str:
    return QCoreApplication.translate("Look", str(table.get(value, value)))


def product_status_name(status: str) -> str:
    """A product's stored status ("in_use") in the interface's words."""
    return _word(PRODUCT_STATUSES, status)


def verdict_name(verdict: str) -> str:
    """The release check's verdict ("NOT_RELEASABLE") in the interface's words."""
    return _word(VERDICTS, verdict)


def result_name(result: str) -> str:
    """One release criterion's result ("pass") in the interface's words."""
    return _word(RESULTS, result)
