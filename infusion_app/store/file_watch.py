"""Notice at once when the database's files are replaced or unlinked under a running app.

If the WAL the app writes into is unlinked (another program took itself for the last user
and deleted it) or the database file is replaced or deleted, every entry written from then on
goes into a file nobody else will ever read. SQLite keeps writing without a word, so the store
asks before each transaction and after each commit: is the file at the path still the one we
opened, and does the process still hold any of the database's files open after they were
unlinked? Linux tells the second through ``/proc/self/fd`` (a link reads ``… (deleted)``);
elsewhere only the first is checked.

Nothing here opens a database file: ``stat`` and ``readlink`` only (see ``file_guard``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from infusion_app.file_guard import SIDE_SUFFIXES
from infusion_app.store.errors import DatabaseFilesChanged

_FD_DIR = Path("/proc/self/fd")
_DELETED = " (deleted)"


# (device, inode): which file a name or a descriptor is. A plain tuple: the check runs after
# every commit, on the append's hot path (issue 18).
_Identity = tuple[int, int]


def _identity(path: str) -> _Identity | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


class FileWatch:
    """Watches one SQLite database file and the files SQLite keeps beside it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(os.path.abspath(path))
        self._path = str(self.path)
        self._names = {f"{self.path}{suffix}" for suffix in SIDE_SUFFIXES}
        self._lock = threading.Lock()
        self._opened: _Identity | None = None
        # fd -> (file name, identity) of the files SQLite holds; None: scan again
        self._descriptors: dict[int, tuple[str, _Identity]] | None = None
        self.problem: str | None = None

    def connected(self) -> None:
        """A new connection was opened: remember the file it opened, rescan descriptors."""
        with self._lock:
            if self._opened is None:
                self._opened = _identity(self._path)
            self._descriptors = None

    def check(self) -> None:
        """Raise :class:`DatabaseFilesChanged` once anything changed; from then on, always."""
        if self.problem is None:
            problem = self._find_problem()
            if problem is not None:
                self.problem = problem
        if self.problem is not None:
            raise DatabaseFilesChanged(self.problem)

    def _find_problem(self) -> str | None:
        with self._lock:
            opened = self._opened
            if opened is None:
                return None
            now = _identity(self._path)
            if now is None:
                return self._say("was deleted or moved")
            if now != opened:
                return self._say("was replaced by another file")
            unlinked = self._unlinked_files()
            if unlinked:
                return self._say(f"lost its {unlinked} (deleted while in use)")
            return None

    def _unlinked_files(self) -> str | None:
        """The name of a database file this process holds open though it was unlinked.

        The descriptors found by the last scan are asked with ``fstat`` (a link count of 0
        means unlinked); a descriptor that is closed or now names another file means SQLite
        reopened its files, and ``/proc/self/fd`` is read again.
        """
        if self._descriptors is not None:
            for fd, (name, identity) in self._descriptors.items():
                try:
                    status = os.fstat(fd)
                except OSError:
                    break
                if (status.st_dev, status.st_ino) != identity:
                    break
                if status.st_nlink == 0:
                    return Path(name).name
            else:
                return None
        return self._scan()

    def _scan(self) -> str | None:
        try:
            entries = os.listdir(_FD_DIR)
        except OSError:
            self._descriptors = {}
            return None
        found: dict[int, tuple[str, _Identity]] = {}
        for entry in entries:
            try:
                text = os.readlink(_FD_DIR / entry)
                name = text[: -len(_DELETED)] if text.endswith(_DELETED) else text
                if name not in self._names:
                    continue
                status = os.fstat(int(entry))
            except (OSError, ValueError):
                continue
            if text.endswith(_DELETED) or status.st_nlink == 0:
                return Path(name).name
            found[int(entry)] = (name, (status.st_dev, status.st_ino))
        self._descriptors = found
        return None

    def _say(self, what: str) -> str:
        return (
            f"the database file {self.path} {what} while this app had it open: entries "
            "written from now on could be lost, so nothing more is saved here. Close the app, "
            "leave every file in that folder as it is, and call support"
        )
