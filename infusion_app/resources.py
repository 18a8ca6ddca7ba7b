"""Where the shipped resources (protocol files, later translations and sounds) are found.

A built wheel carries ``resources/`` inside the package; a source checkout or an editable
install has it beside the package. Checking both keeps one code path for users and developers.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    for candidate in (_PACKAGE_DIR / "resources", _PACKAGE_DIR.parent / "resources"):
        if (candidate / "protocols").is_dir():
            return candidate
    raise FileNotFoundError(
        f"the app's resources folder is missing (looked in {_PACKAGE_DIR / 'resources'} "
        f"and {_PACKAGE_DIR.parent / 'resources'}); reinstall the app"
    )


def protocols_dir() -> Path:
    return resources_dir() / "protocols"
