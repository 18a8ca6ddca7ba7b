"""Issue 17: account administration from the window, driven through the real window.

The administrator adds an account with a first password; its first login leads only into the
change of it; wrong passwords lock it and the administrator unlocks it from the tab; then
locks and deactivates it. Every step is asserted in the audit trail (the system stream).
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from infusion_app.logic.security import SecurityPolicy
from infusion_app.services import accounts, audit
from infusion_app.store.models import Event, Stream, User
from infusion_app.ui import accounts_page
from infusion_app.ui.form_dialog import Field, FormDialog
from infusion_app.ui.password_change_dialog import PasswordChangeDialog
from tests.conftest import PASSWORD
from tests.ui.conftest import settle, type_into

FIRST = "first password"
OWN = "nadia's own password"


def audit_trail(ctx, username: str) -> list[tuple[str, str | None, str | None]]:
    """(type, by whom, why) of every system event about ``username``."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.type, Event.payload, User.username)
            .join(Stream, Stream.id == Event.stream_id)
            .outerjoin(User, User.id == Event.user_id)
            .where(Stream.name == "system")
            .order_by(Event.seq)
        ).all()
    found = []
    for kind, payload, by in rows:
        data = json.loads(payload)
        if data.get("username") == username:
            found.append((kind, by, data.get("why")))
    return found


def signed_acts(ctx, username: str) -> list[tuple[str, str]]:
    """(type, signature meaning) of each system event about ``username`` that a signature
    binds (by its sequence number and hash, as verify-log checks)."""
    with ctx.db.read() as session:
        rows = session.execute(
            select(Event.seq, Event.type, Event.payload, Event.hash)
            .join(Stream, Stream.id == Event.stream_id)
            .where(Stream.name == "system")
        ).all()
    by_seq = {seq: (kind, json.loads(payload), digest) for seq, kind, payload, digest in rows}
    found = []
    for kind, payload, _digest in by_seq.values():
        if kind != "signature":
            continue
        signed_kind, signed, signed_hash = by_seq[payload["signed_seq"]]
        assert signed_hash == payload["signed_hash"]
        if signed.get("username") == username:
            found.append((signed_kind, payload["meaning"]))
    return found


def log_in(qtbot, window, username: str, password: str) -> None:
    login = window.login
    type_into(qtbot, login.username, username)
    type_into(qtbot, login.password, password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    settle(qtbot, window)


def show_accounts(qtbot, window):
    """The Accounts tab, next to the Monitor tab the administrator lands on."""
    page = window.accounts
    assert page is not None
    window.workspace.setCurrentWidget(page)
    settle(qtbot, window)
    return page


def row_of(page, username: str) -> int:
    return page.table.column_texts(0).index(username)


def state_of(page, username: str) -> str:
    return page.table.text(row_of(page, username), 3)


def click(qtbot, window, button) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)


@pytest.fixture
def changes(qtbot, monkeypatch):
    """The first-login dialog answered by the test: each (current, new) pair is submitted
    as the real dialog does, until one is accepted; what the dialog showed is kept."""
    given: dict[str, list] = {"answers": [], "shown": []}

    def ask(cls, parent, *, username, submit):
        given["shown"].append(("asked", username))
        while given["answers"]:
            old, new = given["answers"].pop(0)
            heard: list[str | None] = []
            submit(old, new, heard.append)
            qtbot.waitUntil(lambda heard=heard: bool(heard), timeout=10000)
            if heard[0] is None:
                return True
            given["shown"].append(("refused", heard[0]))
        return False

    monkeypatch.setattr(PasswordChangeDialog, "ask", classmethod(ask))
    return given


def test_account_administration_from_the_window(
    qtbot, ui_ctx, ui_staff, open_window, answers, changes, monkeypatch
):
    ui_ctx.policy = SecurityPolicy(max_failed_logins=3, lockout_minutes=15)
    said: list[str] = []  # every line the page said (a wrong signature is the dialog's to say)
    original_say = accounts_page.say
    monkeypatch.setattr(
        accounts_page,
        "say",
        lambda label, text, **kw: (said.append(text), original_say(label, text, **kw)),
    )
    window = open_window(ui_staff.admin)
    tabs = [window.workspace.tabText(i) for i in range(window.workspace.count())]
    assert tabs == ["Monitor", "Accounts", "Protocols", "Settings"]
    page = show_accounts(qtbot, window)
    assert state_of(page, "nurse") == "active"
    # the administrator's own row offers nothing that would be refused
    page.table.selectRow(row_of(page, "admin"))
    assert not page.lock_button.isEnabled() and not page.deactivate_button.isEnabled()

    # --- add, with a first password typed twice (masked in the real dialog) ---
    answers.forms.append(
        {"username": "nadia", "name": "Nadia Nurse", "role": "nurse",
         "password": FIRST, "repeat": FIRST}
    )  # fmt: skip
    answers.passwords += ["not the admin's password", PASSWORD]  # a wrong signature first
    click(qtbot, window, page.add_button)
    assert page.message.text() == (
        "Added nadia (nurse): the first password must be changed at first login."
    )
    # under the open dialog the page said nothing of the wrong password (it said so once, in
    # English, in a Chinese window, while the dialog still asked)
    assert said == [page.message.text()]
    assert state_of(page, "nadia") == "must change password"
    assert page.table.text(row_of(page, "nadia"), 1) == "Nadia Nurse"

    # --- the first login: only into the change of the password ---
    window.log_out()
    changes["answers"] += [("not the first one", OWN), (FIRST, OWN)]
    log_in(qtbot, window, "nadia", FIRST)
    qtbot.waitUntil(lambda: window.header.isVisible())
    assert changes["shown"] == [
        ("asked", "nadia"),
        ("refused", "The username or password is wrong"),
    ]
    assert window.who.text() == "Nadia Nurse · nurse · station ward-3-bed-2"
    assert window.accounts is None  # a nurse's workspace

    # --- a cancelled change leaves the person at the login ---
    window.log_out()
    accounts.reset_password(
        ui_ctx, ui_staff.admin, "nurse2", "reset by admin", admin_password=PASSWORD
    )
    log_in(qtbot, window, "nurse2", "reset by admin")  # no answers: the dialog is cancelled
    assert not window.header.isVisible()
    assert window.login.error.text() == "Your password must be changed before you can continue."

    # --- lockout after wrong passwords, unlocked from the tab ---
    for attempt in range(3):
        log_in(qtbot, window, "nadia", f"wrong {attempt}")
    assert "locked for 15 min" in window.login.error.text()
    log_in(qtbot, window, "admin", PASSWORD)
    qtbot.waitUntil(lambda: window.header.isVisible())
    page = show_accounts(qtbot, window)
    assert state_of(page, "nadia").startswith("locked until ")
    page.table.selectRow(row_of(page, "nadia"))
    answers.passwords.append(PASSWORD)
    click(qtbot, window, page.unlock_button)
    assert page.message.text() == "nadia is unlocked."
    assert state_of(page, "nadia") == "active"

    # --- an administrator's lock, then the deactivation ---
    page.table.selectRow(row_of(page, "nadia"))
    answers.passwords.append(PASSWORD)
    click(qtbot, window, page.lock_button)
    assert state_of(page, "nadia") == "locked by an administrator"
    assert page.unlock_button.isEnabled() and not page.lock_button.isEnabled()
    answers.forms.append({"reason": "left the ward"})
    answers.passwords.append(PASSWORD)
    click(qtbot, window, page.deactivate_button)
    assert page.message.text() == "nadia is deactivated."
    assert state_of(page, "nadia").startswith("deactivated ")
    page.table.selectRow(row_of(page, "nadia"))
    assert [b.isEnabled() for b in page.buttons] == [True] + [False] * 5
    # each change signed by the administrator, meaning "approved", seeing what it signs
    signed = [what for kind, what in answers.asked if kind.startswith("signature")]
    assert signed == [
        ("Add the account nadia (Nadia Nurse, nurse)", "approved", "Ada Admin"),
        "The username or password is wrong",  # the wrong signature: the dialog stays open
        ("Unlock nadia", "approved", "Ada Admin"),
        ("Lock nadia until an administrator unlocks the account", "approved", "Ada Admin"),
        ("Deactivate nadia: left the ward", "approved", "Ada Admin"),
    ]

    window.log_out()
    log_in(qtbot, window, "nadia", OWN)
    assert window.login.error.text() == "account 'nadia' is deactivated"
    assert not window.header.isVisible()

    # every change of nadia's account is followed by the administrator's signature bound to it
    # (the reset of nurse2 above was signed too, through the service); the one wrong
    # signature wrote nothing but its failure
    assert signed_acts(ui_ctx, "nadia") == [
        ("user_created", "approved"),
        ("user_unlocked", "approved"),
        ("user_locked_by_admin", "approved"),
        ("user_deactivated", "approved"),
    ]
    assert ("signature_failed", None, "wrong password") in audit_trail(ui_ctx, "admin")
    assert audit_trail(ui_ctx, "nadia") == [
        ("user_created", "admin", None),
        ("login_succeeded", "nadia", None),
        ("login_failed", None, "wrong password"),  # the wrong current password
        ("login_succeeded", "nadia", None),
        ("user_password_changed", "nadia", None),
        ("login_failed", None, "wrong password"),
        ("login_failed", None, "wrong password"),
        ("login_failed", None, "wrong password"),
        ("user_locked", None, None),
        ("user_unlocked", "admin", None),
        ("user_locked_by_admin", "admin", None),
        ("user_deactivated", "admin", None),
        ("login_failed", None, "account deactivated"),
    ]
    assert audit.verify_log(ui_ctx).ok


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, as a dialog shows
def test_the_change_dialog_masks_and_says_a_refusal_in_one_line(qtbot):
    submitted: list[tuple[str, str]] = []
    answers: list = []

    def submit(old, new, answer):
        submitted.append((old, new))
        answers.append(answer)

    dialog = PasswordChangeDialog(None, username="nadia", submit=submit)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    fields = (dialog.current, dialog.new, dialog.repeat)
    assert all(f.echoMode() is QLineEdit.EchoMode.Password for f in fields)
    qtbot.keyClicks(dialog.current, FIRST)
    qtbot.keyClicks(dialog.new, OWN)
    qtbot.keyClicks(dialog.repeat, OWN + "x")
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert submitted == [] and dialog.problem.text() == "new password: the two entries differ"
    assert all(f.text() == "" for f in fields)
    for field, text in zip(fields, (FIRST, OWN, OWN), strict=True):
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)  # Enter changes, no mouse needed
    assert submitted == [(FIRST, OWN)] and not dialog.buttons.isEnabled()
    answers[0]("The new password must differ from the current one")
    assert dialog.problem.text() == "The new password must differ from the current one"
    assert dialog.buttons.isEnabled() and dialog.current.text() == ""
    for field, text in zip(fields, (FIRST, OWN, OWN), strict=True):
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        answers[1](None)


def test_a_password_field_of_a_form_is_masked_and_kept_as_typed(qtbot):
    dialog = FormDialog(
        None, "Reset", [Field("name", "Name"), Field("password", "Password", password=True)]
    )
    qtbot.addWidget(dialog)
    assert dialog.inputs["password"].echoMode() is QLineEdit.EchoMode.Password
    assert dialog.inputs["name"].echoMode() is QLineEdit.EchoMode.Normal
    qtbot.keyClicks(dialog.inputs["name"], " Ada ")
    qtbot.keyClicks(dialog.inputs["password"], " spaced ")
    assert dialog.values() == {"name": "Ada", "password": " spaced "}
