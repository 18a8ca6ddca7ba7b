"""Child process of the file-dialog durability test: a station with the record open.

Commands on stdin, one per line; each answer on stdout once the work is done:
- ``note N``: append N notes through the real service, printing each sequence number once
  ``add_note`` returned (COMMIT returned: acknowledged), or ``refused …`` when the store
  refused it;
- ``chooser FOLDER``: the app's file dialog (``infusion_app.ui.file_chooser``) on FOLDER,
  closed with Cancel once it has listed the folder; prints ``closed``;
- ``bare FOLDER``: a QFileDialog in this process instead (what the app did before), closed
  once it has listed the folder; prints ``closed``.
The test then kills this process with SIGKILL.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QWidget

from infusion_app.services.context import AppContext
from infusion_app.store.errors import StoreError
from infusion_app.store.opening import open_database
from infusion_app.ui.file_chooser import FileChooser
from tests.conftest import FAST_HASHER
from tests.stored import add_note, list_users


def wait(signal: object, seconds: float) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def app_chooser(window: QWidget, folder: str) -> None:
    chooser = FileChooser(window, mode="open", title="Import", start=folder, filter="*")
    chooser.start()
    wait(chooser.shown, 30)
    chooser.cancel()
    if chooser.running:
        wait(chooser.done, 30)


def bare_dialog(folder: str) -> None:
    dialog = QFileDialog(None, "Import", folder, "*")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.show()
    model = dialog.findChild(QFileSystemModel)
    assert model is not None
    wait(model.directoryLoaded, 10)
    loop = QEventLoop()
    QTimer.singleShot(300, loop.quit)  # let it paint the listing (types and icons)
    loop.exec()
    dialog.reject()


def main(url: str, infusion_id: int) -> None:
    app = QApplication([sys.argv[0]])
    window = QWidget()
    db = open_database(url, datetime.now(UTC), migrate=False)
    ctx = AppContext(db=db, station="dialog", hasher=FAST_HASHER)
    nurse = next(u for u in list_users(ctx) if u.username == "nurse")
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "note":
            for number in range(int(argument)):
                try:
                    seq = add_note(ctx, nurse, infusion_id, f"note {number}")
                except StoreError as exc:  # not acknowledged: say so instead of a number
                    print(f"refused {type(exc).__name__}: {exc}", flush=True)
                else:
                    print(seq, flush=True)
        elif command == "chooser":
            app_chooser(window, argument)
            print("closed", flush=True)
        elif command == "bare":
            bare_dialog(argument)
            app.processEvents()
            print("closed", flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
