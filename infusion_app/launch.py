"""The ``infusion-app`` entry point: open the window without loading the headless CLI.

With no command (only ``--db``, ``--station``, ``--time-zone`` and ``--protocols-dir``) the
window starts straight away: the store, SQLAlchemy and the protocol models load in the
background after the window is shown, so a nurse sees the login at once. Anything else goes to
the full command line (``cli.main``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

WINDOW_OPTIONS = ("--db", "--station", "--protocols-dir", "--time-zone")


def window_options(argv: Sequence[str]) -> dict[str, str] | None:
    """``{"db": ..., "station": ..., "protocols-dir": ...}`` when ``argv`` asks for the window
    only, else None."""
    found: dict[str, str] = {}
    items = list(argv)
    while items:
        item = items.pop(0)
        name, equals, value = item.partition("=")
        if name not in WINDOW_OPTIONS:
            return None
        if not equals:
            if not items:
                return None  # let the full parser say what is missing
            value = items.pop(0)
        found[name[2:]] = value
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    options = window_options(args)
    if options is not None:
        from infusion_app.ui.app import run_app

        folder = options.get("protocols-dir")
        protocols = None if folder is None else Path(folder)
        return run_app(
            options.get("db"), options.get("station"), protocols, options.get("time-zone")
        )
    from infusion_app.cli import main as cli_main

    return cli_main(args)
