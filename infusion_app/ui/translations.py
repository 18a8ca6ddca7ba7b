"""The interface languages: English (the source texts) and Simplified Chinese.

The ``.ts`` files in ``resources/translations`` are the sources translators edit. They are
compiled to ``.qm`` on first use with the ``lrelease`` that ships inside PySide6, into the
user's cache folder, named by the source's content hash; so a source checkout, an editable
install and a wheel all work without a build step, and two checkouts or versions on one
account never load each other's texts (a cache judged by modification time did: the newer
``.ts`` of one checkout made the other's compiled file look current).
"""

from __future__ import annotations

import os
import sys
from datetime import tzinfo
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from infusion_app.logic.messages import Message
from infusion_app.logic.reading_time import default_zone
from infusion_app.resources import resources_dir
from infusion_app.texts import render

LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
SOURCE_LANGUAGE = "en"


class TranslationError(RuntimeError):
    pass


def translations_dir() -> Path:
    return resources_dir() / "translations"


def lrelease() -> Path:
    names = ("lrelease.exe", "lrelease") if sys.platform == "win32" else ("lrelease",)
    for name in names:
        bundled = Path(PySide6.__file__).parent / name
        if bundled.exists():
            return bundled
    import shutil

    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if found is None:
        raise TranslationError("lrelease was not found (it ships with PySide6); reinstall the app")
    return Path(found)


def cache_folder() -> Path:
    """Where the compiled texts are kept: the user's cache folder."""
    from platformdirs import user_cache_path

    return user_cache_path("infusion-app", appauthor=False) / "translations"


def compiled(code: str, cache: Path | None = None) -> Path:
    """The ``.qm`` file compiled from ``code``'s source as it is now (compiled if missing).

    Its modules are loaded here, not with the window: a window in English (the source
    language) never asks, and they were ~14 ms of the window's start."""
    import hashlib
    import subprocess

    source = translations_dir() / f"infusion_app_{code}.ts"
    if not source.exists():
        raise TranslationError(f"no translation for {code!r} ({source.name} is missing)")
    folder = cache or cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    target = folder / f"infusion_app_{code}-{digest}.qm"
    if target.exists():
        return target
    # compiled beside it and renamed: another process starting at once never reads half a file
    partial = folder / f".{target.name}.{os.getpid()}"
    result = subprocess.run(
        [str(lrelease()), "-silent", str(source), "-qm", str(partial)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        raise TranslationError(f"could not compile {source.name}: {result.stderr.strip()}")
    partial.replace(target)
    return target


# The translators this module installed, whichever window asked: a language applies to the
# whole application, so switching must remove what an earlier window put in.
_installed: list[QTranslator] = []
_current = [SOURCE_LANGUAGE]


def current_language() -> str:
    """The language last installed (the file dialog's process is told to use it too)."""
    return _current[0]


# The zone in which this station's people read times (AppContext.time_zone, set by the window
# when the record opens): one value for every screen, never the machine's zone.
_reading_zone: list[tzinfo] = [default_zone()]


def use_zone(zone: tzinfo) -> None:
    _reading_zone[0] = zone


def reading_zone() -> tzinfo:
    """The station's zone, in which every screen shows times."""
    return _reading_zone[0]


def shown(message: Message) -> str:
    """A message value as text in the interface's current language, its times in the
    station's zone."""
    return render(message, current_language(), reading_zone())


class Translations:
    """Installs one language's translators into the application, replacing the previous."""

    def __init__(self, cache: Path | None = None) -> None:
        self.cache = cache
        self.language = SOURCE_LANGUAGE

    def use(self, code: str) -> None:
        if code not in LANGUAGES:
            raise TranslationError(
                f"unknown language {code!r}; choose one of {', '.join(LANGUAGES)}"
            )
        app = QCoreApplication.instance()
        assert app is not None
        while _installed:
            app.removeTranslator(_installed.pop())
        self.language = _current[0] = code
        if code == SOURCE_LANGUAGE:
            return
        ours = QTranslator(app)
        if not ours.load(str(compiled(code, self.cache))):
            raise TranslationError(f"could not load the {LANGUAGES[code]} translation")
        qt = QTranslator(app)  # Qt's own texts: OK/Cancel, the calendar
        if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _installed.append(qt)
        app.installTranslator(ours)
        _installed.append(ours)
