"""Where the shipped resources (protocol files, later translations and sounds) are found.

A built wheel carries ``resources/`` inside the package; a source checkout or an editable
install has it beside the package. Checking both keeps one code path for users and developers.
"""

from __future__ import annotations

import os
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


# A site's own protocol folder, for every command and the window (``--protocols-dir`` wins).
PROTOCOLS_DIR_ENV = "INFUSION_APP_PROTOCOLS_DIR"


def protocols_dir() -> Path:
    """The protocol folder in use: ``INFUSION_APP_PROTOCOLS_DIR`` if set, else the shipped."""
    chosen = os.environ.get(PROTOCOLS_DIR_ENV, "")
    return Path(chosen) if chosen else shipped_protocols_dir()


def shipped_protocols_dir() -> Path:
    return resources_dir() / "protocols"
