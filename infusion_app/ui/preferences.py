"""What one station remembers about its display between runs: the interface language and
whether the ward board is in large text (a wall display stays large after a restart).

Kept in an INI file in the user's config folder (not in the record: a display preference is
not a clinical fact). Tests give their own file.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_path
from PySide6.QtCore import QSettings

from infusion_app.ui.translations import LANGUAGES, SOURCE_LANGUAGE


def default_preferences_file() -> Path:
    return user_config_path("infusion-app", appauthor=False) / "display.ini"


class Preferences:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_preferences_file()
        self.settings = QSettings(str(self.path), QSettings.Format.IniFormat)

    @property
    def language(self) -> str:
        value = str(self.settings.value("language", SOURCE_LANGUAGE))
        return value if value in LANGUAGES else SOURCE_LANGUAGE

    @language.setter
    def language(self, code: str) -> None:
        self.settings.setValue("language", code)
        self.settings.sync()

    @property
    def large_text(self) -> bool:
        """The ward board's large-text mode (ui/ward_board_page.py)."""
        return bool(self.settings.value("ward_board/large_text", False, type=bool))

    @large_text.setter
    def large_text(self, on: bool) -> None:
        self.settings.setValue("ward_board/large_text", on)
        self.settings.sync()
