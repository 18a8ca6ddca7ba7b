"""The layer rule of DESIGN.md, checked in a fresh interpreter."""

from __future__ import annotations

import importlib
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


def modules_of(package: str) -> list[str]:
    root = importlib.import_module(package)
    return [package, *(i.name for i in pkgutil.walk_packages(root.__path__, f"{package}."))]


def test_store_services_and_records_do_not_import_qt() -> None:
    modules = [
        m
        for package in ("infusion_app.store", "infusion_app.services", "infusion_app.records")
        for m in modules_of(package)
        if ".migrations" not in m  # alembic's env.py runs only inside a migration
    ]
    assert len(modules) >= 15
    loaded = loaded_after_importing(modules)
    assert "sqlalchemy" in loaded  # the probe does see what was imported
    assert [m for m in loaded if m.startswith("PySide6")] == []


def test_headless_cli_does_not_load_qt() -> None:
    # A pharmacist's script must not need a display stack to compute a dose.
    loaded = loaded_after_importing(["infusion_app.cli"])
    assert [m for m in loaded if m.startswith("PySide6")] == []
