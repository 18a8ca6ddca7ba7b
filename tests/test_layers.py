"""The layer rule of DESIGN.md, checked in a fresh interpreter."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import infusion_app.logic

PROBE = """
import importlib, json, sys
for name in {modules!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy'))))
"""


def loaded_after_importing(modules: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_logic_imports_neither_qt_nor_sqlalchemy() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(infusion_app.logic.__path__, "infusion_app.logic.")
    ]
    assert len(modules) >= 8  # the walk found the modules, not an empty package
    assert loaded_after_importing(["infusion_app.logic", *modules]) == []


def test_headless_cli_does_not_load_qt() -> None:
    # A pharmacist's script must not need a display stack to compute a dose.
    assert loaded_after_importing(["infusion_app.cli"]) == []
