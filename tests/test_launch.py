"""The entry point sends "window only" arguments to the window and the rest to the CLI."""

from __future__ import annotations

import subprocess
import sys

from infusion_app.launch import window_options


def test_window_options():
    assert window_options([]) == {}
    assert window_options(["--db", "sqlite:///x.db", "--station=bed-2"]) == {
        "db": "sqlite:///x.db",
        "station": "bed-2",
    }
    assert window_options(["--protocols-dir", "/p", "--db=sqlite:///x.db"]) == {
        "protocols-dir": "/p",
        "db": "sqlite:///x.db",
    }
    assert window_options(["--time-zone", "Asia/Shanghai"]) == {"time-zone": "Asia/Shanghai"}
    assert window_options(["protocols"]) is None
    assert window_options(["--help"]) is None
    assert window_options(["--db"]) is None  # the full parser explains the missing value
    assert window_options(["--db", "x", "verify-log"]) is None


def test_commands_still_reach_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "infusion_app", "protocols"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "ucmsc-cart-cytopenia" in done.stdout
    version = subprocess.run(
        [sys.executable, "-m", "infusion_app", "--version"], capture_output=True, text=True
    )
    assert version.returncode == 0 and version.stdout.startswith("infusion-app ")


def test_the_window_shows_before_the_store_loads() -> None:
    """``infusion-app`` shows its window before SQLAlchemy, alembic and the protocol models
    load (they load behind it, ui/app.py): importing the window's module must not pull them
    in (RecordWatch and the protocols page did, 0.45 s before the window showed)."""
    from tests.test_layers import loaded_after_importing

    loaded = loaded_after_importing(["infusion_app.launch", "infusion_app.ui.app"])
    assert "PySide6.QtWidgets" in loaded  # the probe sees what was imported
    assert [m for m in loaded if m.startswith("sqlalchemy")] == []
