"""Putting a document out from a screen: saved to a file or printed, audited either way.

One function for every screen that prints (the monitor's records, the trial's safety
review): the output is recorded in the log by the service (``record_printed``) before the
file appears, off the UI thread, and the screen is told the outcome in one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from infusion_app.services import records
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.ui.look import failure_text
from infusion_app.ui.tasks import Tasks

# done(text, error): the screen's one line about the output
Done = Callable[[str, bool], None]


def put_out(
    ctx: AppContext,
    tasks: Tasks,
    user: CurrentUser,
    document: records.Document,
    path: Path | None,
    printer: str,
    done: Done,
) -> None:
    """Audit an output: saved to ``path`` (written only once audited), or printed."""

    def said(text: str) -> Callable[[object], None]:
        return lambda _result: done(text, False)

    def failed(exc: Exception) -> None:
        done(failure_text(exc), True)

    if path is not None:
        saved = QCoreApplication.translate("MonitorPage", "Saved to {0}.").format(path)
        tasks.run(lambda: records.save_document(ctx, user, document, path), said(saved), failed)
    else:
        printed = QCoreApplication.translate("MonitorPage", "Printing recorded in the log.")
        tasks.run(
            lambda: records.record_output(ctx, user, document, printer), said(printed), failed
        )
