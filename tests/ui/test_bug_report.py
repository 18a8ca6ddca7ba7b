"""The window reports a bug by saying where the log file is (issue 13), logs its traceback,
and opens the record with the protocol folder the command line named."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from infusion_app.app_log import start_logging
from infusion_app.resources import protocols_dir
from infusion_app.ui import app
from infusion_app.ui.look import failure_text


@pytest.fixture
def log_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "logs"
    monkeypatch.setenv("INFUSION_APP_LOG_DIR", str(folder))
    start_logging()
    return folder


def test_a_screen_names_the_log_file_for_a_bug_and_logs_its_traceback(log_dir) -> None:
    try:
        {}["P001"]  # a bug: a KeyError nobody meant
    except KeyError as exc:
        text = failure_text(exc)
    log = log_dir / "infusion-app.log"
    assert text == f"Internal error (KeyError): details in the log file {log}. Nothing was saved."
    written = log.read_text(encoding="utf-8")
    assert "window: bug error" in written and "Traceback (most recent call last):" in written


def test_a_known_error_is_shown_as_it_is_said(log_dir) -> None:
    from infusion_app.logic.transitions import ActionRefused

    refused = ActionRefused("start: the premedication was given 12 min ago (30 min needed)")
    assert failure_text(refused) == "Start: the premedication was given 12 min ago (30 min needed)"
    assert not log_dir.exists()  # an input error is the person's to fix: nothing logged


def test_an_uncaught_exception_in_the_window_shows_the_log_path(qtbot, log_dir, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        app.report_bug(*sys.exc_info())  # type: ignore[arg-type]
    log = log_dir / "infusion-app.log"
    assert shown == [
        f"Internal error (ZeroDivisionError): details in the log file {log}. Nothing was saved."
    ]
    assert "ZeroDivisionError: division by zero" in log.read_text(encoding="utf-8")


def test_a_bug_while_opening_the_record_names_the_log(qtbot, tmp_path, log_dir, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    exits: list[int] = []
    monkeypatch.setattr(app.QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))

    def broken(*_args: object) -> app.Opened:
        raise AttributeError("'NoneType' object has no attribute 'engine'")

    monkeypatch.setattr(app, "open_record", broken)
    window = app.open_window(f"sqlite:///{tmp_path / 'x.sqlite3'}", "bed-9")
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(exits), timeout=20000)
    assert len(shown) == 1 and str(log_dir / "infusion-app.log") in shown[0]
    assert shown[0].startswith("Internal error (AttributeError)")


def test_the_window_opens_the_protocols_the_command_line_named(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("INFUSION_APP_CONFIG", str(tmp_path / "none.toml"))
    folder = tmp_path / "trial-protocols"
    folder.mkdir()
    shutil.copy(protocols_dir() / "msc-l-crc.toml", folder)  # one of the two shipped files
    opened = app.open_record(f"sqlite:///{tmp_path / 'w.sqlite3'}", "bed-9", folder)
    try:
        assert opened.ctx.protocols == folder
        assert [p.id for p in app.load_protocols(opened.ctx).protocols] == ["msc-l-crc"]
    finally:
        opened.ctx.db.dispose()


def test_the_bug_line_is_in_the_interfaces_language(qtbot, log_dir, tmp_path) -> None:
    from infusion_app.ui.translations import Translations

    translations = Translations(tmp_path / "qm")
    translations.use("zh_CN")
    try:
        try:
            {}["P001"]
        except KeyError as exc:
            text = failure_text(exc)
    finally:
        translations.use("en")  # the translators are the application's: leave it English
    log = log_dir / "infusion-app.log"
    assert text == f"内部错误（KeyError）：详情见日志文件 {log}。未保存任何内容。"
