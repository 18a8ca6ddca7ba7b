"""Logging in, the first run, and the idle lock, driven through the real window."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from infusion_app.services import accounts, first_run
from infusion_app.ui.app import build_main_window
from tests.conftest import PASSWORD


def window_for(qtbot, ctx):
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_into(qtbot, field, text):
    field.clear()
    qtbot.keyClicks(field, text)


def test_first_run_creates_the_administrator(qtbot, ui_ctx):
    window = window_for(qtbot, ui_ctx)
    login = window.login
    assert login.title.text() == "Create the administrator"
    assert login.printed_name.isVisible() and login.repeat.isVisible()
    type_into(qtbot, login.username, "admin")
    type_into(qtbot, login.printed_name, "Ada Admin")
    type_into(qtbot, login.password, PASSWORD)
    type_into(qtbot, login.repeat, PASSWORD + "x")
    qtbot.mouseClick(login.submit, Qt.MouseButton.LeftButton)
    assert login.error.text() == "password: the two entries differ"
    type_into(qtbot, login.password, PASSWORD)
    type_into(qtbot, login.repeat, PASSWORD)
    qtbot.keyClick(login.repeat, Qt.Key.Key_Return)  # Enter submits, no mouse needed
    qtbot.waitUntil(lambda: window.header.isVisible())
    assert window.who.text() == "Ada Admin · admin · station ward-3-bed-2"
    assert first_run.count_users(ui_ctx) == 1


def test_log_in_wrong_then_right(qtbot, ui_ctx):
    admin = accounts.create_first_admin(ui_ctx, "admin", "Ada Admin", PASSWORD)
    accounts.create_user(
        ui_ctx, admin, "nora", "Nora Nurse", "nurse", PASSWORD, admin_password=PASSWORD
    )
    window = window_for(qtbot, ui_ctx)
    login = window.login
    assert login.title.text() == "Log in" and not login.printed_name.isVisible()
    type_into(qtbot, login.username, "nora")
    type_into(qtbot, login.password, "wrong password")
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.submit.isEnabled())
    assert "password" in login.error.text().lower() and not window.header.isVisible()
    assert login.password.text() == ""  # never left on screen
    type_into(qtbot, login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.header.isVisible())
    assert window.who.text() == "Nora Nurse · nurse · station ward-3-bed-2"


def test_idle_lock_returns_to_the_login_and_keeps_the_screen(qtbot, ui_ctx, clock):
    accounts.create_first_admin(ui_ctx, "admin", "Ada Admin", PASSWORD)
    window = window_for(qtbot, ui_ctx)
    type_into(qtbot, window.login.username, "admin")
    type_into(qtbot, window.login.password, PASSWORD)
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.header.isVisible())
    kept = window.pages.currentWidget()
    assert window.idle_timer.isActive() and window.idle_timer.interval() == 1000
    clock.advance(minutes=4, seconds=59)  # idle limit 5 min (default policy)
    window.check_idle()
    assert window.pages.currentWidget() is kept
    clock.advance(seconds=1)
    window.check_idle()
    login = window.login
    assert window.pages.currentWidget() is login
    assert login.notice.text() == "Locked after 5 min without use. Log in to continue."
    assert (login.username.text(), login.username.isReadOnly()) == ("admin", True)
    type_into(qtbot, login.password, PASSWORD)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is kept)


def test_a_key_press_counts_as_activity(qtbot, ui_ctx, clock):
    accounts.create_first_admin(ui_ctx, "admin", "Ada Admin", PASSWORD)
    window = window_for(qtbot, ui_ctx)
    type_into(qtbot, window.login.username, "admin")
    type_into(qtbot, window.login.password, PASSWORD)
    qtbot.keyClick(window.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.header.isVisible())
    clock.advance(minutes=4)
    qtbot.keyClick(window.protocols_page.protocol_table, Qt.Key.Key_Down)
    clock.advance(minutes=4)  # 8 min since login, 4 since the key press
    window.check_idle()
    assert window.header.isVisible()
    assert timedelta(minutes=4) == clock.now - window.last_activity
