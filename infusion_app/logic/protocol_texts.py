"""A protocol file's own readable texts in the reader's language: one look-up for every edge.

A protocol file is pinned by the records made under it (its SHA-256 is stored with each
infusion), so its English texts cannot gain Chinese fields without a new version of the file.
The Chinese lives beside the files instead, in ``protocols/translations/<language>.toml``: a
presentation catalogue, not part of the pinned content, that maps each English text exactly as
a protocol writes it (current and archived versions) to the site's wording. The window and the
printouts call :func:`readable` alone, so a text reads the same on screen and on paper; a text
the catalogue lacks shows as the file writes it, never blank.

The catalogue is read like a protocol file (through the file guard, UTF-8 TOML of bounded
size) and once per folder: it is part of the installed resources, not of the record.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

from pydantic import BaseModel

from infusion_app.file_guard import read_input_file
from infusion_app.logic.errors import InputError, ProtocolFileError
from infusion_app.logic.protocol import SITE_DEFAULT, Protocol, Sourced
from infusion_app.resources import protocols_dir, shipped_protocols_dir

TRANSLATIONS = "translations"
SOURCE_LANGUAGE = "en"
MAX_CATALOGUE_BYTES = 512 * 1024  # about 30 KB today: a wrong file is not read whole

# The protocol fields whose value is prose a person reads (the others are numbers, identifiers
# and enumerations: those are the message table's). A calendar item's name has its Chinese in
# the file (``name_zh``) and is not looked up here.
PROSE_VALUES = frozenset(
    {"site", "product", "indication", "escalation", "dlt_definition", "thaw", "holds"}
)
# Enumerated values a printout quotes as the file writes them (the safety review's rule).
QUOTED_VALUES = frozenset({"method", "dlt_window_anchor", "dlt_count_scope", "transfusion_voids"})


def catalogue_path(directory: Path, language: str) -> Path:
    return directory / TRANSLATIONS / f"{language}.toml"


@functools.cache
def _catalogue_of(path: Path) -> Mapping[str, str]:
    """One catalogue file, read once: ``[[texts]]`` tables of ``en`` and the translation."""
    try:
        raw = read_input_file(path, "protocol translations", max_bytes=MAX_CATALOGUE_BYTES)
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except InputError as exc:
        raise ProtocolFileError(str(path), None, exc.rule) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProtocolFileError(str(path), None, f"is not valid UTF-8 TOML: {exc}") from None
    found: dict[str, str] = {}
    for number, entry in enumerate(data.get("texts", []), start=1):
        english, translated = entry.get("en"), entry.get("text")
        if not isinstance(english, str) or not isinstance(translated, str) or not translated:
            raise ProtocolFileError(
                str(path), f"texts.{number}", "needs an 'en' text and its non-empty 'text'"
            )
        if english in found:
            raise ProtocolFileError(str(path), f"texts.{number}", f"{english!r} is given twice")
        found[english] = translated
    return found


def catalogue(language: str) -> Mapping[str, str]:
    """The shipped catalogue of ``language``, with the site's own protocol folder's beside it
    (a site's third trial brings its texts' translations with its file; the site's wording
    wins). Empty for the source language or a language without a catalogue."""
    if language == SOURCE_LANGUAGE:
        return {}
    merged: dict[str, str] = {}
    for directory in dict.fromkeys((shipped_protocols_dir(), protocols_dir())):
        path = catalogue_path(directory, language)
        if path.is_file():
            merged.update(_catalogue_of(path))
    return merged


def readable(text: str, language: str) -> str:
    """``text`` (a protocol's own English) in ``language`` where the catalogue has it, else
    as the file writes it."""
    if language == SOURCE_LANGUAGE:
        return text
    return catalogue(language).get(text, text)


def readable_texts(protocol: Protocol) -> Iterator[str]:
    """Every text of ``protocol`` a person may read as the file writes it: the title, the dose
    levels' labels, the prose values, the quoted enumerations, every source's ``site default``
    and every note. The catalogue must cover these (a test walks the shipped files)."""
    yield protocol.title
    yield from (level.label for level in protocol.dose_levels)
    yield from _texts_of(protocol, "")


def _texts_of(model: BaseModel, name: str) -> Iterator[str]:
    quoted = name in PROSE_VALUES | QUOTED_VALUES
    if isinstance(model, Sourced) and quoted and isinstance(model.value, str):
        yield model.value
    for field, value in model:
        if field == "note" and isinstance(value, str):
            yield value
        if field == "source" and value == SITE_DEFAULT:
            yield value
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                yield from _texts_of(item, field)
