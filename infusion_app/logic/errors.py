"""The app's one error taxonomy: four kinds, told apart everywhere.

- **input** (:class:`DomainError` and its subclasses): the person can fix it. The message names
  the field and the rule it broke, in one line, because it is shown as is: beside the field in
  the window, or as the single stderr line of the CLI (exit status 2). Refused actions, refused
  logins and missing rights are input errors too: the person can do something else.
- **environment** (:class:`EnvironmentProblem`): the database or the file system could not do
  it (locked, read-only, full, unreachable, damaged, its files changed, a schema too new).
  The message says what happened and what to do; nothing was saved (CLI exit 3).
- **integrity** (:class:`IntegrityProblem`): a stored log the rules cannot replay, or a row
  that disagrees with the log. Never "invalid input": the record was altered outside the app
  or the app has a bug. The action is refused (CLI exit 4).
- **bug**: anything else that escapes. The person sees "internal error, details in LOGFILE,
  nothing was saved"; the traceback goes to the log file (CLI exit 70).

The concrete classes live beside what raises them (``store/errors.py``, ``transitions.py``,
``services/context.py``...), each derived from one of the three bases here; :func:`kind_of` is
the one question every catcher (CLI, window, services) asks. This module is pure stdlib, so
``logic/`` stays free of SQLAlchemy and Qt.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from infusion_app.logic.messages import Message, text


class ErrorKind(StrEnum):
    INPUT = "input"
    ENVIRONMENT = "environment"
    INTEGRITY = "integrity"
    BUG = "bug"


class KnownError(Exception):
    """Base of every error the app raises on purpose; its :attr:`kind` says which."""

    kind: ClassVar[ErrorKind]


class DomainError(KnownError):
    """Input: base class of every error the person can fix (a value, a refused action)."""

    kind = ErrorKind.INPUT


class EnvironmentProblem(KnownError):
    """Environment: the database or the file system could not do it; nothing was saved."""

    kind = ErrorKind.ENVIRONMENT


class IntegrityProblem(KnownError):
    """Integrity: the stored record cannot be trusted as it is; the action is refused."""

    kind = ErrorKind.INTEGRITY


def kind_of(error: BaseException) -> ErrorKind:
    """Which of the four kinds ``error`` is: anything not raised on purpose is a bug."""
    if isinstance(error, KnownError):
        return error.kind
    return ErrorKind.BUG


class InputError(DomainError):
    """A value entered by a person or read from a file breaks a rule."""

    def __init__(self, field: str, rule: str | Message) -> None:
        self.field = field
        # the rule for people, rendered in their language (a rule given as text is shown as
        # it is); ``rule`` is its English line, for the command line, files and the log
        self.said = rule if isinstance(rule, Message) else text(rule)
        self.rule = str(rule)
        super().__init__(f"{field}: {self.rule}")


class DoseError(InputError):
    """The inputs are valid one by one but the dose they lead to must not be given."""


class ProtocolFileError(DomainError):
    """A protocol file cannot be read, parsed or validated."""

    def __init__(self, file: str, field: str | None, problem: str) -> None:
        self.file = file
        self.field = field
        self.problem = problem
        where = f"{file}: {field}" if field else file
        super().__init__(f"{where}: {problem}")


class UnknownProtocolError(InputError):
    """No protocol file has the requested ID."""
