"""Start-up on a big record: the login is enabled before the file's integrity check answers
(``quick_check`` is linear in the file's size: 0.41 s on a million events), a login sent
meanwhile waits for it, and a file that fails it shows the banner of a damaged file and
refuses every write, as when the check came first (tests/ui/test_main_window.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from infusion_app.services import accounts
from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from infusion_app.ui import app
from infusion_app.ui.main_window import MainWindow
from tests.conftest import FAST_HASHER, PASSWORD
from tests.store.held_check import WAITING, HeldCheck

DAMAGE = "*** in database main *** Tree 7 page 42 cell 3: invalid page number"


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldCheck:
    return HeldCheck(monkeypatch)


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch, clock, held: HeldCheck):
    """The app's own start (``open_window``) on a record with a nurse's account, its
    integrity check held until the test answers it."""
    path = tmp_path / "ward.sqlite3"
    ctx = AppContext(
        db=open_database(sqlite_url(path), clock()),
        station="bed-1",
        clock=clock,
        hasher=FAST_HASHER,
    )
    admin = accounts.create_first_admin(ctx, "admin", "Ada Admin", PASSWORD)
    accounts.create_user(
        ctx, admin, "nurse", "Nora Nurse", "nurse", PASSWORD, admin_password=PASSWORD
    )
    ctx.db.dispose()
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    shown = app.open_window(f"sqlite:///{path}", "bed-1")
    qtbot.addWidget(shown)
    yield shown
    held.release.set()
    shown.close()
    if shown.ctx is not None:
        shown.ctx.db.dispose()


def login_enabled(window: MainWindow) -> bool:
    """The record is open and the login may be sent (the form is rebuilt on the record)."""
    return window.ctx is not None and window.login.submit.isEnabled()


def log_in(window: MainWindow) -> None:
    window.login.username.setText("nurse")
    window.login.password.setText(PASSWORD)
    window.login.submit.click()


def test_the_login_is_enabled_before_the_check_answers(qtbot, window, held) -> None:
    qtbot.waitUntil(lambda: login_enabled(window), timeout=20000)
    integrity = window.ctx.db.integrity
    assert integrity is not None and not integrity.finished  # held: the login did not wait
    assert window.store_banner.isHidden()
    held.answers(None)
    qtbot.waitUntil(lambda: integrity.finished, timeout=WAITING * 1000)
    assert integrity.passed and window.store_banner.isHidden()


def test_a_login_sent_before_the_check_answers_waits_for_it(qtbot, window, held) -> None:
    qtbot.waitUntil(lambda: login_enabled(window), timeout=20000)
    log_in(window)
    assert held.writer_waiting.wait(WAITING)  # the login's write waits for the check
    assert window.user is None
    with qtbot.waitSignal(window.login.logged_in, timeout=WAITING * 1000):
        held.answers(None)
    assert window.user is not None and window.user.username == "nurse"
    assert window.store_banner.isHidden()


def test_a_file_that_fails_the_check_behind_the_login_is_read_only(
    qtbot, window, held, tmp_path: Path
) -> None:
    qtbot.waitUntil(lambda: login_enabled(window), timeout=20000)
    log_in(window)
    assert held.writer_waiting.wait(WAITING)
    held.answers(DAMAGE)
    qtbot.waitUntil(window.store_banner.isVisible, timeout=WAITING * 1000)
    # the banner of a file found damaged at start, word for word
    expected = (
        f"The database {tmp_path / 'ward.sqlite3'} failed its integrity check ({DAMAGE}). "
        "It is open read-only: nothing can be recorded. Call support and keep the file."
    )
    assert window.store_banner.text() == expected
    assert not window.ctx.db.health.writable
    # the login waiting for the check was refused with the same reason: nothing written
    qtbot.waitUntil(lambda: not window.login.checking, timeout=WAITING * 1000)
    assert window.user is None
    assert "nothing can be recorded" in window.login.error.text()
