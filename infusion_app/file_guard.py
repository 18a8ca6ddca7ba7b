"""Keep every part of the app away from the database's own files.

SQLite's locks on a database are POSIX advisory locks, which belong to the process, not to the
file descriptor: when anything else in the same process opens one of the database's files and
closes it again, every lock SQLite holds on that file is silently dropped
(sqlite.org/howtocorrupt.html, section 2.2). Another process then believes nobody has the
database open, and may checkpoint and delete the WAL that still holds confirmed entries.

Only SQLite may open these files. The app opens files of its own in three places (a CoA file
to import, an output file to write, a configuration or protocol file to read); each asks
:func:`refuse_database_file` first, which compares by ``stat`` (never by opening) and by name.
File dialogs, which read every file of the folder shown to pick icons and types, run in a child
process (``infusion_app.ui.file_chooser``), so browsing cannot touch the locks at all.
"""

from __future__ import annotations

import os
import stat
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from infusion_app.logic.errors import InputError

if TYPE_CHECKING:
    from infusion_app.logic.coa import CertificateOfAnalysis

# The files SQLite may create beside a database: a rollback journal, the WAL and its index.
SIDE_SUFFIXES = ("", "-journal", "-wal", "-shm")

_lock = threading.Lock()
_databases: Counter[Path] = Counter()  # path -> how many open Database objects use it
# each database's file names with where they resolved to when it was opened: the files SQLite
# has open. Resolved once, not at every file read (four realpaths were most of the guard's
# 130 us, paid at every bedside act that reads its protocol file).
_resolved: dict[Path, tuple[tuple[Path, Path], ...]] = {}


def register_database(path: Path) -> None:
    """Called by the store for every SQLite file it opens in this process."""
    key = _absolute(path)
    names = tuple(Path(f"{key}{suffix}") for suffix in SIDE_SUFFIXES)
    resolved = tuple((name, _resolve(name)) for name in names)
    with _lock:
        _databases[key] += 1
        _resolved.setdefault(key, resolved)


def unregister_database(path: Path) -> None:
    with _lock:
        key = _absolute(path)
        _databases[key] -= 1
        if _databases[key] <= 0:
            del _databases[key]
            _resolved.pop(key, None)


def is_database_file(path: Path) -> bool:
    """Whether ``path`` names (by name, link or hard link) a file of an open database.

    By name too, not only by inode: a WAL that does not exist yet must not be created by
    anyone but SQLite, or SQLite would later take a stranger's bytes for its log.
    """
    candidate = _absolute(path)
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = candidate
    identity = _identity(candidate)
    with _lock:
        protected_files = [pair for key in sorted(_databases) for pair in _resolved[key]]
    for protected, protected_resolved in protected_files:
        if candidate == protected or resolved == protected_resolved:
            return True
        if identity is not None and identity == _identity(protected):
            return True
    return False


def refuse_database_file(path: Path, field: str) -> None:
    """Raise an input error naming ``field`` when ``path`` is one of the database's files."""
    if is_database_file(path):
        raise InputError(
            field,
            f"{path} is a file of the record store's database; only the database itself may "
            "open it: choose another file",
        )


def _absolute(path: Path) -> Path:
    return Path(os.path.abspath(os.fspath(path)))


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def read_input_file(path: Path, field: str, *, max_bytes: int) -> bytes:
    """The bytes of a file a person chose (a CoA, a configuration, a protocol), safely.

    Refused with one line naming ``field``: a file of the database (checked before it is
    opened, see above), anything but a regular file (a FIFO or ``/dev/zero`` would block or
    never end), and a file larger than ``max_bytes`` (read no further than that).
    """
    if "\x00" in os.fspath(path):
        raise InputError(field, "a file name cannot hold a NUL character")
    refuse_database_file(path, field)
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise InputError(field, f"{path} does not exist") from None
    except IsADirectoryError:
        raise InputError(field, f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise InputError(field, f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file"
            raise InputError(field, f"{path} is {kind}")
        if status.st_size > max_bytes:
            raise InputError(
                field, f"{path} is {status.st_size} bytes; at most {max_bytes} bytes are read"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(handle, min(65536, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise InputError(field, f"{path} is larger than {max_bytes} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(field, f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(handle)


def read_text_input_file(path: Path, field: str, *, max_bytes: int) -> str:
    """As :func:`read_input_file`, decoded as UTF-8 (a BOM allowed); other encodings refused."""
    data = read_input_file(path, field, max_bytes=max_bytes)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            field, f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None


def read_coa_file(path: Path, field: str, *, source: str = "coa") -> CertificateOfAnalysis:
    """A certificate of analysis file, read as every input file is (above) and parsed strictly.

    The CLI and the pharmacist's *Import CoA file…* both come here, so they refuse the same.
    """
    # imported here: the store and the settings use this module on the way to the login,
    # which must not wait for the CoA's pydantic models (issue 18, "login enabled")
    from infusion_app.logic.coa import MAX_COA_BYTES, parse_coa

    return parse_coa(read_text_input_file(path, field, max_bytes=MAX_COA_BYTES), source=source)
