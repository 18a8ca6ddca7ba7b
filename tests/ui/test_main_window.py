"""The main window (offscreen): title, protocols with versions, and the store's health."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from infusion_app import APP_NAME
from infusion_app.logic.protocol_files import load_catalog
from infusion_app.services import accounts, first_run
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.app import build_main_window
from infusion_app.ui.protocols_page import ProtocolsPage
from tests.conftest import PASSWORD
from tests.ui.conftest import type_into


def test_window_shows_title_protocol_versions_and_database(qtbot, ui_ctx, tmp_path) -> None:
    window = build_main_window(ui_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() == APP_NAME == "MSC Infusion Assistant"
    table = window.protocols_page.protocol_table
    rows = [
        tuple(table.item(row, column).text() for column in range(2))
        for row in range(table.rowCount())
    ]
    assert rows == [("msc-l-crc", "1.5.0"), ("ucmsc-cart-cytopenia", "1.5.0")]
    assert window.protocols_page.error_label.isHidden()
    assert window.store_banner.isHidden()
    assert str(tmp_path / "ward.sqlite3") in window.statusBar().currentMessage()


def test_broken_protocol_file_is_shown_not_hidden(qtbot, protocol_variant) -> None:
    broken = protocol_variant("msc-l-crc", ('version = "1.5.0"', 'version = "latest"'))
    page = ProtocolsPage(load_catalog(Path(broken).parent))
    qtbot.addWidget(page)
    assert page.protocol_table.rowCount() == 0
    assert not page.error_label.isHidden()
    assert "msc-l-crc.toml: version:" in page.error_label.text()


def test_read_only_database_shows_a_banner(qtbot, tmp_path: Path, clock) -> None:
    path = tmp_path / "ward.sqlite3"
    open_database(sqlite_url(path), clock()).dispose()
    with path.open("r+b") as handle:  # damage the header: the store opens read-only
        handle.write(b"\xff" * 100)
    db = open_database(sqlite_url(path), clock())
    window = build_main_window(AppContext(db=db, station="bed-1", clock=clock))
    qtbot.addWidget(window)
    window.show()
    assert window.store_banner.isVisible()
    assert "failed its integrity check" in window.store_banner.text()
    assert "nothing can be recorded" in window.store_banner.text()
    assert window.pages.currentWidget() is window.login  # still there to read records
    db.dispose()


def test_the_window_shows_at_once_and_opens_the_record_behind_it(qtbot, tmp_path, monkeypatch):
    from infusion_app.ui import app

    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    window = app.open_window(f"sqlite:///{tmp_path / 'new.sqlite3'}", "bed-9")
    qtbot.addWidget(window)
    # shown before the store is loaded: the form is there, sending waits for the record
    assert window.isVisible() and window.pages.currentWidget() is window.login
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
    assert window.login.title.text() == "Create the administrator"  # empty database
    assert window.login.submit.isEnabled()
    assert "new.sqlite3" in window.statusBar().currentMessage()
    window.close()
    window.ctx.db.dispose()


@contextmanager
def window_held_at(
    step: str, tmp_path, monkeypatch, *, administrator: bool = True
) -> Iterator[tuple[Any, threading.Event]]:
    """The app's start on a record with its administrator (or none yet), its ``step``
    (``open_record`` or ``load_protocols``, in ui/app.py) held until the test sets the event
    it is given."""
    from infusion_app.ui import app
    from tests.conftest import FAST_HASHER, PASSWORD

    path = tmp_path / "ward.sqlite3"
    ctx = AppContext(db=open_database(sqlite_url(path), None), station="bed-9", hasher=FAST_HASHER)
    if administrator:
        accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    ctx.db.dispose()
    go_on = threading.Event()
    real = getattr(app, step)

    def held_back(*args: Any, **kwargs: Any) -> Any:
        assert go_on.wait(20), f"the test never let {step} go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(app, step, held_back)
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    window = app.open_window(f"sqlite:///{path}", "bed-9")
    try:
        yield window, go_on
    finally:
        go_on.set()
        window.close()
        window.tasks.wait()
        if window.ctx is not None:
            window.ctx.db.dispose()


def test_a_login_before_the_protocols_are_read_opens_the_screens_once_they_are(
    qtbot, tmp_path, monkeypatch
):
    """The login is enabled as soon as the record is open; the protocol files load behind
    it. A nurse quicker than that is logged in, told why she waits, and gets her screens
    (which dose and plan from the protocols) the moment they are read, not before."""
    with window_held_at("load_protocols", tmp_path, monkeypatch) as (window, read):
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
        assert window.catalog is None and window.login.submit.isEnabled()
        # the accounts are folded ahead of the first login, beside the protocols
        from infusion_app.store.projections import _ACCOUNTS

        qtbot.waitUntil(lambda: window.ctx.db.engine.pool in _ACCOUNTS, timeout=20000)
        type_into(qtbot, window.login.username, "admin")
        type_into(qtbot, window.login.password, PASSWORD)
        qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.user is not None, timeout=20000)
        assert window.user.username == "admin"
        assert window.workspace is None and window.pages.currentWidget() is window.login
        assert window.login.error.text() == "Reading the protocol files…"
        read.set()
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        assert window.pages.currentWidget() is window.workspace
        tabs = [window.workspace.tabText(i) for i in range(window.workspace.count())]
        assert "Protocols" in tabs and "Accounts" in tabs  # the admin's screens
        assert window.who.text() == "Ada Admin · admin · station bed-9"


def test_what_is_typed_while_the_record_opens_is_kept(qtbot, tmp_path, monkeypatch):
    """The window is shown before the record is open and its login form can be filled; when
    the record opens, the username and password typed meanwhile stay where they were (they
    were lost once: a nurse quick to type found the form empty), and Enter then logs in."""
    with window_held_at("open_record", tmp_path, monkeypatch) as (window, opening):
        qtbot.addWidget(window)
        assert window.ctx is None and not window.login.submit.isEnabled()
        type_into(qtbot, window.login.username, "admin")
        type_into(qtbot, window.login.password, PASSWORD)
        opening.set()
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
        login = window.login
        assert (login.username.text(), login.password.text()) == ("admin", PASSWORD)
        assert login.submit.isEnabled() and login.title.text() == "Log in"
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        assert window.who.text() == "Ada Admin · admin · station bed-9"


def test_a_login_sent_while_the_record_opens_goes_on_once_it_is_open(qtbot, tmp_path, monkeypatch):
    """A nurse quick enough to press Enter while the form still said "Opening the record…"
    was left at the filled form, her Enter dropped without a word (found by a helper typing
    at once under Xvfb); it is now sent when the record is open."""
    with window_held_at("open_record", tmp_path, monkeypatch) as (window, opening):
        qtbot.addWidget(window)
        type_into(qtbot, window.login.username, "admin")
        type_into(qtbot, window.login.password, PASSWORD)
        qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
        assert window.user is None and window.login.error.text() == "Opening the record…"
        opening.set()
        qtbot.waitUntil(lambda: window.workspace is not None, timeout=20000)
        assert window.who.text() == "Ada Admin · admin · station bed-9"


def test_an_early_login_on_a_record_without_accounts_waits_for_the_first_run_form(
    qtbot, tmp_path, monkeypatch
):
    """The form shown before the record is the login; on a record with no account yet it
    becomes the first administrator's form, which asks for more (a printed name, the
    password twice): an Enter sent early is not sent to it."""
    with window_held_at("open_record", tmp_path, monkeypatch, administrator=False) as (
        window,
        opening,
    ):
        qtbot.addWidget(window)
        type_into(qtbot, window.login.username, "admin")
        type_into(qtbot, window.login.password, PASSWORD)
        qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
        opening.set()
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
        login = window.login
        assert login.title.text() == "Create the administrator"
        assert (login.username.text(), login.password.text()) == ("admin", PASSWORD)
        assert login.error.text() == "" and not login.checking and window.user is None
        assert first_run.count_users(window.ctx) == 0


def test_a_nurse_typing_while_the_record_opens_types_on_where_she_was(qtbot, tmp_path, monkeypatch):
    """Keys go where the focus is. Halfway through her username when the record opened, a
    nurse's next letters went into the password field: the form was built again on the record
    and the focus put after what she had typed, on the password. The form she types into is
    now the one the record is attached to: focus, cursor and text stay where she left them."""
    from PySide6.QtWidgets import QApplication

    with window_held_at("open_record", tmp_path, monkeypatch) as (window, opening):
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        form = window.login
        qtbot.waitUntil(lambda: QApplication.focusWidget() is form.username, timeout=5000)
        qtbot.keyClicks(QApplication.focusWidget(), "adn")
        form.username.cursorBackward(False, 1)  # she goes back to mend a letter: "ad|n"
        opening.set()
        qtbot.waitUntil(lambda: window.ctx is not None, timeout=20000)
        assert window.login is form and form.submit.isEnabled()
        qtbot.keyClicks(QApplication.focusWidget(), "mi")
        assert (form.username.text(), form.password.text()) == ("admin", "")


def test_opening_the_record_builds_no_pydantic_model_and_no_orm_mapping(tmp_path):
    """What runs before the login is enabled (issue 18: under 1 s on a 1M-event site) is
    SQLAlchemy's core and the store; the pydantic models (~0.2 s to build), SQLAlchemy's ORM
    and the store's mapped classes (~55 ms) load behind the login. In a fresh interpreter:
    this one has imported everything already. (A new file's schema is made by the
    migrations, which use the projections: the first run only.)"""
    path = tmp_path / "ward.sqlite3"
    open_database(sqlite_url(path), None).dispose()
    url = f"sqlite:///{path}"
    script = (
        "import sys\n"
        "from infusion_app.ui.app import open_record\n"
        f"opened = open_record({url!r}, 'bed-9')\n"
        "assert opened.first_run\n"
        "opened.ctx.db.dispose()\n"
        "wanted = ('pydantic', 'infusion_app.logic')  # the logic's light rules are loaded\n"
        "unwanted = ('sqlalchemy.orm', 'infusion_app.store.models')\n"
        "assert not [m for m in sys.modules if m.startswith(unwanted)], 'ORM loaded'\n"
        "print(sorted(m for m in sys.modules if m.startswith(wanted)))\n"
    )
    env = {**os.environ, "INFUSION_APP_CONFIG": str(tmp_path / "none.toml")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = ast.literal_eval(done.stdout.strip())
    assert loaded and not [m for m in loaded if m.startswith("pydantic")], loaded


def test_a_record_that_cannot_be_opened_ends_the_app_with_its_reason(qtbot, tmp_path, monkeypatch):
    from infusion_app.ui import app

    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    exits = []
    monkeypatch.setattr(app.QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    window = app.open_window("mysql://nobody@127.0.0.1/x", "bed-9")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert exits == [app.EXIT_ENVIRONMENT]
    assert len(shown) == 1 and "\n" not in shown[0] and shown[0][:1].isupper()
