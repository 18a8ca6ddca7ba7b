"""A real SQLite store, a test clock and staff for the window tests; dialogs answered by the
test; windows logged in through the real login form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from infusion_app.logic.protocol_files import load_catalog
from infusion_app.services import infusions, products
from infusion_app.services.context import AppContext, CurrentUser
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui.adverse_event_dialog import AdverseEventDialog
from infusion_app.ui.app import use_station_font
from infusion_app.ui.confirm_dialog import ConfirmDialog
from infusion_app.ui.form_dialog import FormDialog
from infusion_app.ui.main_window import MainWindow
from infusion_app.ui.preferences import Preferences
from infusion_app.ui.signature_dialog import SignatureDialog
from tests.conftest import FAST_HASHER, PASSWORD, Staff, make_staff, register_p001
from tests.fakes import FakeClock


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots",
        default=None,
        help="write PNG screenshots of the main screens to this folder",
    )


@pytest.fixture(autouse=True, scope="session")
def station_font(qapp: Any) -> None:
    """Every window test in the window's own 13 pt font: at pytest-qt's default 9 pt the layout
    checks at 1366×768 measured a roomier screen than the station has (log rows and columns
    clipped at 13 pt passed)."""
    use_station_font(qapp)


@pytest.fixture
def ui_ctx(tmp_path: Path, clock: FakeClock) -> Iterator[AppContext]:
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    yield AppContext(db=db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER)
    db.dispose()


@pytest.fixture(autouse=True)
def own_preferences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads or writes the real user's display settings."""
    path = tmp_path / "display.ini"
    monkeypatch.setattr("infusion_app.ui.preferences.default_preferences_file", lambda: path)
    return path


@pytest.fixture
def ui_staff(ui_ctx: AppContext) -> Staff:
    return make_staff(ui_ctx)


@pytest.fixture
def ward_infusion(ui_ctx: AppContext, ui_staff: Staff, clock: FakeClock, p001_group: str) -> int:
    """P001 (63.5 kg, group A unless told) with its product released and infusion 1 created."""
    staff = ui_staff
    product = register_p001(
        ui_ctx, staff.nurse, staff.pharmacist, clock, staff.investigator, dose_level=p001_group
    )
    products.release_product(ui_ctx, ui_staff.pharmacist, product, PASSWORD)
    return infusions.create_infusion(ui_ctx, ui_staff.nurse, "P001", product, 1)


@dataclass
class Answers:
    """What the test answers when the screen opens a dialog, and what the dialog showed."""

    forms: list[dict[str, str] | None] = field(default_factory=list)
    passwords: list[str | None] = field(default_factory=list)
    adverse_events: list[dict[str, Any] | None] = field(default_factory=list)
    confirmations: list[bool] = field(default_factory=list)  # empty: confirm
    # the time typed into the next dialog that has a time field of its own (confirmation,
    # signature, reaction; a form's time is its "at" value); empty: left as offered (now)
    times: list[str] = field(default_factory=list)
    asked: list[tuple[str, Any]] = field(default_factory=list)


@pytest.fixture
def answers(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Answers:
    given = Answers()

    def form(cls, parent, title, fields, note="", clock=None):
        given.asked.append(("form", (title, [f.key for f in fields], note)))
        return given.forms.pop(0)

    def typed_time(time):
        if time is not None and given.times:
            time.take(given.times.pop(0))

    def sign(cls, parent, *, what, meaning, printed_name, submit=None, time=None):
        """Like the real dialog: with ``submit`` the act is saved while it is "open", and a
        password that is not accepted is answered with the next one (or a cancel)."""
        given.asked.append(("signature", (what, meaning, printed_name)))
        typed_time(time)
        while True:
            password = given.passwords.pop(0)
            if password is None or submit is None:
                return password
            heard: list[str | None] = []
            submit(password, heard.append)
            qtbot.waitUntil(lambda heard=heard: bool(heard), timeout=10000)
            if heard[0] is None:
                return password
            given.asked.append(("signature refused", heard[0]))

    def confirm(cls, parent, *, title, entry, details=(), clock, time=None):
        given.asked.append(("confirm", (entry, tuple(details), clock())))
        confirmed = given.confirmations.pop(0) if given.confirmations else True
        if confirmed:
            typed_time(time)
        return confirmed

    def adverse(cls, parent, peak_temperature, time=None, patient=None):
        # the reaction at the bedside says its peak temperature; a patient's AE, its patient
        if patient is None:
            given.asked.append(("adverse event", peak_temperature))
        else:
            given.asked.append(("patient adverse event", patient))
        answer = given.adverse_events.pop(0)
        if answer is not None:
            typed_time(time)
        return answer

    monkeypatch.setattr(FormDialog, "ask", classmethod(form))
    monkeypatch.setattr(SignatureDialog, "ask", classmethod(sign))
    monkeypatch.setattr(AdverseEventDialog, "ask", classmethod(adverse))
    monkeypatch.setattr(ConfirmDialog, "ask", classmethod(confirm))
    return given


def type_into(qtbot: Any, widget: Any, text: str) -> None:
    widget.clear()
    qtbot.keyClicks(widget, text)


@pytest.fixture
def open_window(qtbot: Any, ui_ctx: AppContext, tmp_path: Path) -> Callable[..., MainWindow]:
    """A window on the test store, logged in as ``user`` by typing into the login form."""

    def make(user: CurrentUser | None, ctx: AppContext = ui_ctx) -> MainWindow:
        window = MainWindow(
            ctx,
            load_catalog(ctx.protocols),
            database="ward.sqlite3",
            preferences=Preferences(tmp_path / "display.ini"),
        )
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()  # keyboard shortcuts (F9, Space) need the active window
        qtbot.waitUntil(window.isActiveWindow)
        if user is not None:
            type_into(qtbot, window.login.username, user.username)
            type_into(qtbot, window.login.password, PASSWORD)
            qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: window.header.isVisible())
            settle(qtbot, window)
        return window

    return make


def settle(qtbot: Any, window: MainWindow) -> None:
    """Every background read or write the window started has come back."""
    qtbot.waitUntil(lambda: not window.tasks.busy, timeout=10000)
