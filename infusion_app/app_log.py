"""The app's log file: a rotating file in the user's log folder.

It holds what support needs and nothing a person typed: the traceback of every bug, every
environment and integrity error, and the start-up facts (app version, database URL without its
password, the protocol files' IDs, versions and SHA-256). Never a password, a password hash or
patient free text: an exception's message is written only when it is one of ours (the app's
own messages name fields and rules) or of a kind whose text Python builds from names and types;
any other message (a driver's, which may quote SQL parameters; a ``KeyError`` quoting a value)
is left out, and so is an input error's (it may quote the value that was refused).

The folder: ``INFUSION_APP_LOG_DIR`` when set (tests point it at their tmp folder), else
platformdirs' ``user_log_dir`` for the app's folder name, as the data and config folders use.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from infusion_app import __version__
from infusion_app.logic.errors import EnvironmentProblem, ErrorKind, IntegrityProblem, kind_of

if TYPE_CHECKING:
    from logging.handlers import RotatingFileHandler

APP_DIR_NAME = "infusion-app"  # the same folder name as config.APP_DIR_NAME
LOG_FILE_NAME = "infusion-app.log"
LOG_DIR_ENV = "INFUSION_APP_LOG_DIR"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
LOGGER = "infusion_app"

# Exceptions whose text Python composes from names, types and numbers, never from data.
_MESSAGE_KEPT: tuple[type[BaseException], ...] = (
    AttributeError,
    NameError,
    ImportError,
    TypeError,
    ZeroDivisionError,
    RecursionError,
    NotImplementedError,
    MemoryError,
    OSError,  # strerror and the file name: paths, not patient text
)


@functools.cache
def _quiet_handler_class() -> type[RotatingFileHandler]:
    """Made at the first log entry: ``logging.handlers`` costs the window's start ~10 ms."""
    from logging.handlers import RotatingFileHandler

    class QuietFileHandler(RotatingFileHandler):
        """A log that cannot be written (a full disk, a folder gone) is dropped without a
        word: logging's own "--- Logging error ---" dump would break the one-line rule."""

        def handleError(self, record: logging.LogRecord) -> None:
            pass

        def _open(self) -> Any:
            # made at the first entry: a command that logs nothing leaves no folder behind
            os.makedirs(os.path.dirname(self.baseFilename), mode=0o700, exist_ok=True)
            return super()._open()

    return QuietFileHandler


_handler: logging.FileHandler | None = None


def log_folder(env: Mapping[str, str] = os.environ) -> Path:
    given = env.get(LOG_DIR_ENV)
    if given:
        return Path(given)
    from platformdirs import user_log_path

    return Path(user_log_path(APP_DIR_NAME, appauthor=False))


def log_file(env: Mapping[str, str] = os.environ) -> Path:
    """Where the log is written (or would be): what the person is told to send to support."""
    return log_folder(env) / LOG_FILE_NAME


def start_logging(env: Mapping[str, str] = os.environ) -> Path:
    """Send the app's log records to the rotating file; idempotent, and it follows the folder
    when ``INFUSION_APP_LOG_DIR`` changes (one process running several tests). The folder is
    made at the first entry; a log that cannot be written is dropped: it never stops the
    bedside."""
    global _handler
    path = log_file(env)
    if _handler is not None and Path(_handler.baseFilename) == path.absolute():
        return path
    handler = _quiet_handler_class()(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s")
    )
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    logger.addHandler(handler)
    _handler = handler
    return path


def safe_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and what caused it: code locations and exception types; the
    messages only where they cannot quote what a person entered (see the module's note)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (
            None if current.__suppress_context__ else current.__context__
        )
    parts: list[str] = []
    for number, item in enumerate(reversed(chain)):
        if number:
            parts.append("\nwhich led to:\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        parts.append(f"{_qualified(type(item))}: {_message(item)}\n")
    return "".join(parts).rstrip("\n")


def _qualified(kind: type[BaseException]) -> str:
    module = kind.__module__
    return kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"


def _message(error: BaseException) -> str:
    if isinstance(error, (EnvironmentProblem, IntegrityProblem, *_MESSAGE_KEPT)):
        return str(error)
    return f"(message of {len(str(error))} characters left out: it may quote entered data)"


def log_failure(error: BaseException, where: str) -> None:
    """One entry for an error the person was told about: a bug's or an environment or
    integrity error's traceback, once however often it is shown. Input errors are the
    person's to fix and are not logged."""
    kind = kind_of(error)
    if kind is ErrorKind.INPUT or getattr(error, "_infusion_app_logged", False):
        return
    start_logging()
    level = logging.ERROR if kind in (ErrorKind.BUG, ErrorKind.INTEGRITY) else logging.WARNING
    logging.getLogger(LOGGER).log(
        level, "%s: %s error\n%s", where, kind.value, safe_traceback(error)
    )
    with contextlib.suppress(AttributeError):  # an exception type with __slots__
        error._infusion_app_logged = True  # type: ignore[attr-defined]


def log_startup(
    front_end: str, database_url: str, protocols: Iterable[tuple[str, str, str | None]]
) -> None:
    """The facts support asks first: version, database (no password), protocol files."""
    start_logging()
    logger = logging.getLogger(LOGGER)
    logger.info("%s start: version %s, database %s", front_end, __version__, database_url)
    for protocol_id, version, sha256 in protocols:
        logger.info("protocol %s version %s sha256 %s", protocol_id, version, sha256)
