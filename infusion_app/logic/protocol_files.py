"""Reading protocol files from disk into validated :class:`Protocol` models.

One malformed file gives one message that names the file, the field and what is wrong, so
the person who edited it can fix it without reading a traceback.
"""

from __future__ import annotations

import hashlib
import os
import time
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from infusion_app.file_guard import read_input_file
from infusion_app.logic.errors import InputError, ProtocolFileError, UnknownProtocolError
from infusion_app.logic.numbers import bounded
from infusion_app.logic.protocol import Protocol, check_protocol_id

SUFFIX = ".toml"


# A protocol file is about 10 KB; the limit keeps a wrong file (or /dev/zero) from being read.
MAX_PROTOCOL_BYTES = 512 * 1024

# Parsed protocols by (file name, SHA-256 of its bytes). Every list row and view asks for its
# infusion's protocol; parsing and validating the file was most of a list's time (issue 18's
# site benchmark: 1.5 of 2.1 s of the one-year monitor list). The file is still read each
# time (10 KB) and its digest decides: a changed file is parsed again, and the cached model
# is frozen, so nobody can change what another caller gets. A broken file is never kept.
_PARSED: dict[tuple[str, str], Protocol] = {}
_PARSED_MAX = 64  # a site has a few protocols and their archived versions


# Each file's parse by its path and what ``stat`` says of it (device, inode, size, modified
# and changed times in ns): an unchanged file is not read again. Every bedside act reads its
# infusion's protocol, and reading it through the file guard was a tenth of an act's time
# (issue 18). Only a file whose last change is older than SETTLED_NS is remembered this way:
# a file system's clock ticks coarsely (ext4 a few ms, FAT 2 s), so two writes of the same
# size within one tick look alike to ``stat`` ("racy git"); a file changed just now is read
# each time until it has settled. The change time (ctime) cannot be set back by anyone, so
# an edit that restores the modified time is still seen.
_BY_STAT: dict[str, tuple[tuple[int, ...], Protocol]] = {}
SETTLED_NS = 3_000_000_000
_now_ns = time.time_ns  # the wall clock of the file system's times (tests set it)


def forget_parsed() -> None:
    """Empty the parse caches (tests that count parses or reads)."""
    _PARSED.clear()
    _BY_STAT.clear()


def _signature(status: os.stat_result) -> tuple[int, ...]:
    return (
        status.st_dev,
        status.st_ino,
        status.st_size,
        status.st_mtime_ns,
        status.st_ctime_ns,
    )


def load_protocol_file(path: Path) -> Protocol:
    """Parse and validate one file; floats are read as Decimal so 0.1 stays exact.

    The file is read once, through the file guard (a regular UTF-8 file of at most
    :data:`MAX_PROTOCOL_BYTES`, never a database file), and the SHA-256 of exactly those
    bytes is kept on the protocol (:attr:`Protocol.content_sha256`) so that an infusion can
    pin the content it began under. An unchanged file that has settled is not read again
    (:data:`_BY_STAT`).
    """
    key = os.path.abspath(path)
    try:
        status: os.stat_result | None = os.stat(key)
    except (OSError, ValueError):
        status = None  # the read below says what is wrong
    if status is not None:
        remembered = _BY_STAT.get(key)
        if remembered is not None and remembered[0] == _signature(status):
            return remembered[1]
    parsed = _read_protocol_file(path)
    last_change = max(status.st_mtime_ns, status.st_ctime_ns) if status is not None else None
    if status is not None and last_change is not None and _now_ns() - last_change > SETTLED_NS:
        if len(_BY_STAT) >= _PARSED_MAX:
            _BY_STAT.clear()
        # stat taken before the read: a file changed in between is read again next time
        _BY_STAT[key] = (_signature(status), parsed)
    return parsed


@lru_cache(maxsize=64)
def _file_name(protocol_id: str, directory: Path) -> str:
    """The file a protocol id names, as text (a Path's text is made again for each copy),
    for an id that is one (check_protocol_id); "" for one that is not."""
    try:
        check_protocol_id(protocol_id)
    except InputError:
        return ""
    return os.fspath(directory / f"{protocol_id}{SUFFIX}")


def _settled(path: str) -> Protocol | None:
    """The protocol kept for the file ``path`` if it is unchanged since (:data:`_BY_STAT`)."""
    if not path:
        return None
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    remembered = _BY_STAT.get(path)
    if remembered is not None and remembered[0] == _signature(status):
        return remembered[1]
    return None


def _read_protocol_file(path: Path) -> Protocol:
    try:
        raw = read_input_file(path, "protocol", max_bytes=MAX_PROTOCOL_BYTES)
    except InputError as exc:
        raise ProtocolFileError(str(path), None, exc.rule) from None
    digest = hashlib.sha256(raw).hexdigest()
    known = _PARSED.get((path.stem, digest))
    if known is not None:
        return known
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProtocolFileError(
            str(path), None, f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    try:
        data = tomllib.loads(text, parse_float=_bounded_float)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolFileError(str(path), None, f"is not valid TOML: {exc}") from None
    except _NumberOutOfRange as exc:
        raise ProtocolFileError(
            str(path), None, f"has a number out of any clinical range: {exc.text[:24]}"
        ) from None
    except RecursionError:  # tomllib recurses per nested array or table
        raise ProtocolFileError(str(path), None, "nests arrays or tables too deeply") from None
    except ValueError:  # an integer of more than 4300 digits (Python's conversion limit)
        raise ProtocolFileError(str(path), None, "has a number too long to read") from None
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        raise _file_error(path, exc) from None
    if path.stem not in (protocol.id, archived_name(protocol.id, protocol.version)):
        raise ProtocolFileError(
            str(path), "id", f"{protocol.id!r} must match the file name {path.stem!r}"
        )
    parsed = protocol.with_content_sha256(digest)
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()  # a folder being edited over and over: start again, never grow
    _PARSED[(path.stem, digest)] = parsed
    return parsed


class _NumberOutOfRange(Exception):
    def __init__(self, text: str) -> None:
        self.text = text


def _bounded_float(text: str) -> Decimal:
    """TOML floats as exact Decimals of a sane size: 1e999999999 in a whole-number field would
    make pydantic build a billion-digit int (a hang)."""
    try:
        return bounded("value", Decimal(text))
    except InputError:
        raise _NumberOutOfRange(text) from None


def load_protocol(protocol_id: str, directory: Path) -> Protocol:
    kept = _settled(_file_name(protocol_id, directory))
    if kept is not None:  # every act asks: one stat, not lexists + abspath + stat
        return kept
    check_protocol_id(protocol_id)
    path = directory / f"{protocol_id}{SUFFIX}"
    if not os.path.lexists(path):
        known = ", ".join(p.stem for p in sorted(directory.glob(f"*{SUFFIX}"))) or "none"
        raise UnknownProtocolError(
            "protocol", f"{protocol_id!r} is not a known protocol (known: {known})"
        )
    return load_protocol_file(path)


ARCHIVE = "archive"


def archived_name(protocol_id: str, version: str) -> str:
    """An earlier version kept for the infusions begun under it: ``archive/<id>-<version>``."""
    return f"{protocol_id}-{version}"


def load_protocol_version(protocol_id: str, version: str, directory: Path) -> Protocol:
    """The installed file if it is that version, else the archived copy of that version.

    Without an archived copy the installed file comes back and the caller says which
    version is needed: an infusion is never finished under another version's rules.
    """
    current = load_protocol(protocol_id, directory)
    if current.version == version:
        return current
    path = directory / ARCHIVE / f"{archived_name(protocol_id, version)}{SUFFIX}"
    if not os.path.lexists(path):
        return current
    archived = load_protocol_file(path)
    if archived.id != protocol_id or archived.version != version:
        raise ProtocolFileError(
            str(path), "version", f"must be {protocol_id} v{version}, got {archived.label}"
        )
    return archived


@dataclass(frozen=True)
class Catalog:
    """All protocol files of a folder: the valid ones and one error per broken file."""

    protocols: list[Protocol]
    errors: list[ProtocolFileError]


def load_catalog(directory: Path) -> Catalog:
    protocols: list[Protocol] = []
    errors: list[ProtocolFileError] = []
    for path in sorted(directory.glob(f"*{SUFFIX}")):
        try:
            protocols.append(load_protocol_file(path))
        except ProtocolFileError as exc:
            errors.append(exc)
    return Catalog(protocols, errors)


def _file_error(path: Path, exc: ValidationError) -> ProtocolFileError:
    errors = exc.errors(include_url=False)
    # A misspelt key is both "unknown" and "missing"; the unknown one explains the other.
    errors.sort(key=lambda error: error["type"] != "extra_forbidden")
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"]) or None
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] not in {"missing", "extra_forbidden"} and _is_scalar(first.get("input")):
        shown = repr(first["input"])
        problem += f" (got {shown if len(shown) <= 40 else shown[:37] + '...'})"
    if first["type"] == "extra_forbidden":
        problem = "is not a known field (misspelt?)"
    if len(errors) > 1:
        problem += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ProtocolFileError(str(path), field, problem)


def _is_scalar(value: object) -> bool:
    # a huge int (0x followed by 5000 digits) has no repr within Python's conversion limit
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return False
    return isinstance(value, str | int | Decimal | float | bool)
