"""The one table of ``infusion-app``'s exit statuses, and the error kind each one reports.

====  ==========================================================================================
0     success (release-check: RELEASABLE; verify-log: chain intact)
1     a negative answer that is not an error: NOT_RELEASABLE or INCOMPLETE, a broken chain
2     input: the person can fix it (a value, a malformed protocol or CoA file, a refused login
      or action, a missing right); one line on stderr naming the field
3     environment: the database or the file system could not do it (locked, read-only, full,
      unreachable, damaged, its files changed, a schema too new); what happened and what to
      do, nothing was saved
4     integrity: a stored log the rules cannot replay, or a row that disagrees with the log; the
      record was changed outside the app (or the app has a bug): never "invalid input", and
      not worth retrying like a locked database (3) is; the monitor or support must look
70    bug: anything else; "internal error, details in LOGFILE, nothing was saved"
====  ==========================================================================================
"""

from __future__ import annotations

from enum import IntEnum

from infusion_app.logic.errors import ErrorKind


class ExitCode(IntEnum):
    OK = 0
    NOT_OK = 1
    INPUT = 2
    ENVIRONMENT = 3
    INTEGRITY = 4
    BUG = 70  # EX_SOFTWARE of sysexits.h


EXIT_FOR_KIND: dict[ErrorKind, ExitCode] = {
    ErrorKind.INPUT: ExitCode.INPUT,
    ErrorKind.ENVIRONMENT: ExitCode.ENVIRONMENT,
    ErrorKind.INTEGRITY: ExitCode.INTEGRITY,
    ErrorKind.BUG: ExitCode.BUG,
}

# The names the modules and tests used before the table existed.
EXIT_OK = ExitCode.OK
EXIT_NOT_OK = ExitCode.NOT_OK
EXIT_INVALID = ExitCode.INPUT
EXIT_ENVIRONMENT = ExitCode.ENVIRONMENT
EXIT_INTEGRITY = ExitCode.INTEGRITY
EXIT_INTERNAL = ExitCode.BUG
