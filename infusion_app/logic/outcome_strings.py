"""Outcome strings as the R package escalation writes them: ``"1NNN 2NTN"``.

Each cohort is a dose level numbered from 1, then one letter per evaluable patient: N (no
DLT) or T (a DLT). Cohorts are separated by whitespace (escalation also reads them run
together, ``"1NNN2NTN"``, and so does this parser); ``""`` is no cohorts at all. Upper case
only, as in escalation. Statisticians use these strings to check a design by hand, so the
calculators take them as they are and say exactly what is wrong with a bad one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from infusion_app.logic.errors import InputError
from infusion_app.logic.escalation import LevelTally

FIELD = "--outcomes"
MAX_TEXT = 10_000  # characters: thousands of patients, far beyond any dose-finding trial
MAX_LEVEL_DIGITS = 4

Cohort = tuple[int, tuple[bool, ...]]  # (level, 0-based; True = the patient had a DLT)

_PART = re.compile(r"([0-9]*)([^0-9]*)", re.ASCII)


def parse_outcomes(text: str) -> tuple[Cohort, ...]:
    """The cohorts of ``text`` in order, levels 0-based; InputError naming ``--outcomes``."""
    if len(text) > MAX_TEXT:
        raise InputError(FIELD, f"must be at most {MAX_TEXT} characters")
    cohorts: list[Cohort] = []
    for word in text.split():
        for digits, letters in _PART.findall(word):
            if not digits and not letters:
                continue
            number = len(cohorts) + 1
            shown = _shown(digits + letters)
            if not digits:
                raise InputError(
                    FIELD, f"cohort {number} {shown} does not start with a level number"
                )
            if len(digits) > MAX_LEVEL_DIGITS or int(digits) == 0:
                raise InputError(
                    FIELD, f"cohort {number} {shown}: levels are numbered from 1, got {digits}"
                )
            if not letters:
                raise InputError(FIELD, f"cohort {number} {shown} has no patients")
            wrong = next((ch for ch in letters if ch not in "NT"), None)
            if wrong is not None:
                raise InputError(
                    FIELD,
                    f"cohort {number} {shown}: each patient is N (no DLT) or T (DLT), "
                    f"got {_shown(wrong)}",
                )
            cohorts.append((int(digits) - 1, tuple(ch == "T" for ch in letters)))
    return tuple(cohorts)


def tallies_from_outcomes(cohorts: Sequence[Cohort], levels: int) -> tuple[LevelTally, ...]:
    """Each of ``levels`` levels' evaluable patients and DLTs over all cohorts (none pending:
    an outcome string holds only patients whose outcome is known)."""
    if levels < 1:
        raise InputError("--levels", f"must be at least 1, got {levels}")
    evaluable = [0] * levels
    dlts = [0] * levels
    for number, (level, outcomes) in enumerate(cohorts, start=1):
        if not 0 <= level < levels:
            raise InputError(
                FIELD,
                f"cohort {number} is at level {level + 1}, but there are only {levels} levels",
            )
        evaluable[level] += len(outcomes)
        dlts[level] += sum(outcomes)
    return tuple(LevelTally(evaluable=n, dlts=y) for n, y in zip(evaluable, dlts, strict=True))


def _shown(text: str) -> str:
    """A piece of the input in a one-line message: quoted, escaped, cut short."""
    quoted = repr(text)
    return quoted if len(quoted) <= 24 else f"{quoted[:21]}..."
