"""The domain's own error types.

Every message names the field and the rule it broke, in one line, because it is shown as is:
beside the field in the window, or as the single stderr line of the CLI (exit status 2).
Anything else that escapes the logic is a bug, not bad input.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error the logic raises on purpose."""


class InputError(DomainError):
    """A value entered by a person or read from a file breaks a rule."""

    def __init__(self, field: str, rule: str) -> None:
        self.field = field
        self.rule = rule
        super().__init__(f"{field}: {rule}")


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
