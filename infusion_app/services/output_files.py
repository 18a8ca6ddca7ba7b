"""Output files: checked before anything is committed, written beside the target, put in place
only after the audit.

A save goes in this order (:func:`infusion_app.services.records.save_document`):

1. :func:`check_target`, before anything is written or committed. Refused with one line
   naming ``output``: no file name (empty, ``.``, ``..``, a path ending in ``/``, an existing
   folder); a control character or a name longer than the file system holds; a folder that
   does not exist; a target that is a **symbolic link** (the link is never followed, its
   referent never touched), a FIFO, a device or a socket (never opened, never replaced); a file
   of the open database (:func:`infusion_app.file_guard.refuse_database_file`).
   *Symbolic links in the folder path* are followed: the person named that folder (typed it
   on the command line or browsed to it in the dialog), and ``/tmp`` or a home folder is often
   a link. The folder is then opened once and every later step works relative to that open
   folder, so a link swapped in afterwards cannot send the file anywhere else; the audit
   records the folder's real path.
2. :class:`IncompleteFile`: a file named ``.infusion-app-incomplete-<random>.<name>`` is
   created beside the target with ``O_CREAT|O_EXCL|O_NOFOLLOW``, mode 0600, locked
   (``flock``) for as long as its writer lives, written and fsynced.
3. The audit entry is committed (``record_printed``, with the file's SHA-256).
4. :meth:`IncompleteFile.put_in_place`: a new target is hard-linked into place (which fails
   rather than replace anything that appeared meanwhile), an existing regular file is checked
   again and renamed over; then the folder is fsynced. A failure here, after the audit, is
   recorded as a second entry (``record_output_failed``, with the reason) and reported.

An incomplete file left by a writer that was killed before its audit (or before the rename)
is removed by the next save into that folder: every ``.infusion-app-incomplete-*`` file whose
lock can be taken belongs to a process that no longer runs. The audit entry names the
incomplete file, so when the removed file's writer had committed its audit already, the next
save records that output's ``record_output_failed`` in its own transaction.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from infusion_app.file_guard import is_database_file, refuse_database_file
from infusion_app.logic.errors import EnvironmentProblem, InputError
from infusion_app.logic.text_rules import bad_character

INCOMPLETE_PREFIX = ".infusion-app-incomplete-"
FIELD = "output"
DEFAULT_NAME_MAX = 255
DEFAULT_PATH_MAX = 4096
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


class OutputFileError(EnvironmentProblem):
    """The output file could not be written or put in place: the file system's doing, not the
    input's (a full disk, a folder made read-only, a target replaced meanwhile)."""


@dataclass(frozen=True)
class OutputTarget:
    folder: str  # absolute, as given (links in it are followed when it is opened)
    name: str
    real_folder: str  # where the links lead: what the audit records
    existed: bool  # a regular file of this name is there and will be replaced

    @property
    def path(self) -> str:
        return os.path.join(self.folder, self.name)


def check_target(given: str | os.PathLike[str]) -> OutputTarget:
    """The target a person named, refused with one line if it must not be written."""
    text = os.fspath(given)
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise InputError(FIELD, f"{text!r} contains a control character; give another name")
    name = os.path.basename(text)
    if not text.strip() or name in ("", ".", ".."):
        raise InputError(FIELD, f"{text!r} is a folder, not a file: give a file name")
    if name.startswith(INCOMPLETE_PREFIX):
        raise InputError(FIELD, f"names starting {INCOMPLETE_PREFIX!r} are the app's own")
    _refuse_undecodable(text)
    odd = bad_character(text)
    if odd is not None:  # a line separator or direction override would forge the audit's line
        raise InputError(FIELD, f"the name holds {odd}; give another name")
    folder = os.path.dirname(os.path.abspath(text))
    try:
        folder_status = os.stat(folder)
    except FileNotFoundError:
        raise InputError(FIELD, f"folder {folder} does not exist") from None
    except OSError as exc:
        raise InputError(FIELD, f"cannot use folder {folder}: {_reason(exc)}") from None
    if not stat.S_ISDIR(folder_status.st_mode):
        raise InputError(FIELD, f"{folder} is not a folder")
    name_max = _limit(folder, "PC_NAME_MAX", DEFAULT_NAME_MAX)
    size = len(os.fsencode(name))
    if size > name_max:
        raise InputError(
            FIELD, f"the file name is {size} bytes; the file system allows at most {name_max}"
        )
    path = os.path.join(folder, name)
    path_max = _limit(folder, "PC_PATH_MAX", DEFAULT_PATH_MAX)
    if len(os.fsencode(path)) >= path_max:
        raise InputError(FIELD, f"the path is longer than the file system allows ({path_max})")
    refuse_database_file(Path(path), FIELD)
    existed = _check_existing(path, name)
    real_folder = os.path.realpath(folder)
    _refuse_undecodable(real_folder)  # the audit records it
    return OutputTarget(folder, name, real_folder, existed)


def _refuse_undecodable(path: str) -> None:
    """A name with bytes that are not UTF-8 cannot be told in the log (or on screen)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            FIELD, f"{path.encode('utf-8', 'replace').decode()!r} is not UTF-8: rename it"
        ) from None


def _check_existing(path: str, shown: str) -> bool:
    """Whether a regular file is at ``path``; anything else there is refused."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError(FIELD, f"cannot use {shown}: {_reason(exc)}") from None
    _refuse_kind(status.st_mode, path)
    return True


def _refuse_kind(mode: int, path: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISLNK(mode):
        raise InputError(
            FIELD, f"{path} is a symbolic link; links are not followed: name the file itself"
        )
    if stat.S_ISDIR(mode):
        raise InputError(FIELD, f"{path} is a folder, not a file: give a file name")
    raise InputError(FIELD, f"{path} is {_kind(mode)}, not a regular file; it is never replaced")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _limit(folder: str | int, name: str, default: int) -> int:
    try:
        value = os.pathconf(folder, name)
    except (OSError, ValueError):
        return default
    return value if value > 0 else default


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class IncompleteFile:
    """The bytes of a save, beside the target, until they are put in place (or removed)."""

    def __init__(self, target: OutputTarget) -> None:
        self.target = target
        self.dir_fd = -1
        self.fd = -1
        self.name = ""
        # Incomplete files of killed writers removed on the way in, not yet in place.
        self.abandoned: list[str] = []

    def __enter__(self) -> IncompleteFile:
        try:
            self.dir_fd = os.open(self.target.folder, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
        except OSError as exc:
            raise OutputFileError(
                f"{FIELD}: cannot open folder {self.target.folder}: {_reason(exc)}; nothing saved"
            ) from None
        try:
            # Checked again inside the folder now held open: this is the folder written to.
            _check_existing_at(self.dir_fd, self.target)
            self.abandoned = [
                name
                for name, in_place in remove_stale_incomplete(self.dir_fd, self.target.real_folder)
                if not in_place
            ]
            self._create()
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _create(self) -> None:
        name_max = _limit(self.dir_fd, "PC_NAME_MAX", DEFAULT_NAME_MAX)
        for _ in range(3):
            prefix = os.fsencode(f"{INCOMPLETE_PREFIX}{secrets.token_hex(8)}.")
            name = os.fsdecode(prefix + os.fsencode(self.target.name)[: name_max - len(prefix)])
            try:
                fd = os.open(
                    name,
                    os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | _CLOEXEC,
                    0o600,
                    dir_fd=self.dir_fd,
                )
            except FileExistsError:
                continue
            except OSError as exc:
                raise OutputFileError(
                    f"{FIELD}: cannot write in {self.target.folder}: {_reason(exc)}; nothing saved"
                ) from None
            self.fd, self.name = fd, name
            fcntl.flock(fd, fcntl.LOCK_EX)  # ours alone while this process lives
            if self._still_ours():
                return
            # Another save's clean-up took it between its creation and the lock: start again.
            os.close(fd)
            self.fd, self.name = -1, ""
        raise OutputFileError(f"{FIELD}: cannot create a file in {self.target.folder}")

    def _still_ours(self) -> bool:
        try:
            named = os.stat(self.name, dir_fd=self.dir_fd, follow_symlinks=False)
        except OSError:
            return False
        held = os.fstat(self.fd)
        return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)

    def write(self, data: bytes) -> None:
        """Write and fsync; an error here is before the audit, so nothing is saved."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.fd, view) :]
            os.fsync(self.fd)
        except OSError as exc:
            raise OutputFileError(
                f"{FIELD}: cannot write {self.target.path}: {_reason(exc)}; nothing saved"
            ) from None

    def put_in_place(self) -> None:
        """Give the written file the target's name, then make that durable. Raises OSError."""
        if not self.target.existed:
            try:
                os.link(self.name, self.target.name, src_dir_fd=self.dir_fd,
                        dst_dir_fd=self.dir_fd)  # fmt: skip
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise  # EEXIST: something appeared under the name meanwhile; never replaced
                self._rename()
            else:
                os.unlink(self.name, dir_fd=self.dir_fd)
                self.name = ""
        else:
            self._rename()
        try:
            os.fsync(self.dir_fd)
        except OSError as exc:
            if exc.errno != errno.EINVAL:  # a file system that cannot sync folders
                raise

    def _rename(self) -> None:
        try:
            status = os.stat(self.target.name, dir_fd=self.dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            pass
        else:
            if not stat.S_ISREG(status.st_mode):
                raise OSError(errno.EEXIST, f"{self.target.name} is now {_kind_any(status)}")
        os.rename(self.name, self.target.name, src_dir_fd=self.dir_fd, dst_dir_fd=self.dir_fd)
        self.name = ""

    def _close(self) -> None:
        if self.name and self.fd >= 0 and self._still_ours():
            with contextlib.suppress(OSError):  # else removed by the next save into the folder
                os.unlink(self.name, dir_fd=self.dir_fd)
        for fd in (self.fd, self.dir_fd):
            if fd >= 0:
                os.close(fd)
        self.fd = self.dir_fd = -1
        self.name = ""


def _kind_any(status: os.stat_result) -> str:
    if stat.S_ISDIR(status.st_mode):
        return "a folder"
    if stat.S_ISLNK(status.st_mode):
        return "a symbolic link"
    return _kind(status.st_mode)


def _check_existing_at(dir_fd: int, target: OutputTarget) -> None:
    try:
        status = os.stat(target.name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        if target.existed:
            raise InputError(FIELD, f"{target.path} was removed meanwhile; save again") from None
        return
    except OSError as exc:
        raise InputError(FIELD, f"cannot use {target.path}: {_reason(exc)}") from None
    _refuse_kind(status.st_mode, target.path)
    if not target.existed:
        raise InputError(FIELD, f"{target.path} appeared meanwhile; save again")


def remove_stale_incomplete(dir_fd: int, real_folder: str) -> list[tuple[str, bool]]:
    """Remove this app's incomplete files in the folder whose writer no longer runs (its lock
    can be taken). A running writer's file, another user's, a link: left alone.

    Returns each removed name, and whether its file had been put in place already (a second
    link: the writer died between the link into place and the removal of this name)."""
    removed = []
    with os.scandir(dir_fd) as entries:
        names = [e.name for e in entries if e.name.startswith(INCOMPLETE_PREFIX)]
    for name in names:
        if is_database_file(Path(real_folder, name)):
            continue
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | _CLOEXEC,
                         dir_fd=dir_fd)  # fmt: skip
        except OSError:
            continue
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its writer is still at work
            named = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if (named.st_dev, named.st_ino) == (status.st_dev, status.st_ino):
                os.unlink(name, dir_fd=dir_fd)
                removed.append((name, status.st_nlink > 1))
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed
