"""Environment failures of the store, told apart from bugs and from bad input.

Each message says what happened and what the person can do; none is ever shown as "saved".
The kinds are those of :mod:`infusion_app.logic.errors`: every :class:`StoreError` is an
environment error (CLI exit 3); :class:`RecordIntegrityError` is an integrity error (exit 4),
not a kind of StoreError, so nothing that catches the environment's failures swallows it.
"""

from __future__ import annotations

from infusion_app.logic.errors import EnvironmentProblem, IntegrityProblem


class StoreError(EnvironmentProblem):
    """The database could not do what was asked; nothing was committed."""


class DatabaseLocked(StoreError):
    pass


class ReadOnlyDatabase(StoreError):
    pass


class DiskFull(StoreError):
    pass


class DatabaseDamaged(StoreError):
    pass


class DatabaseUnavailable(StoreError):
    pass


class SchemaTooNew(StoreError):
    pass


class PragmaNotApplied(StoreError):
    pass


class AppendOnlyViolation(StoreError):
    """The database refused to change or delete a logged event: always a bug or an attack."""


class DatabaseFilesChanged(StoreError):
    """The database's file was replaced or deleted, or its WAL unlinked, under the running
    app: what it writes from then on may go where nobody reads it, so it stops writing."""


class NotARecordStore(StoreError):
    """The file given as the database is empty, not a file, or another application's: it is
    neither opened nor initialised, since that would hide what the person meant to open."""


class RecordIntegrityError(IntegrityProblem):
    """A row the app was about to rely on disagrees with the log that should explain it.

    Never bad input: the database was changed behind the app's back (or the log cannot be
    replayed). The action is refused and the refusal itself is recorded.
    """

    def __init__(
        self,
        subject: str,
        fields: list[str] | tuple[str, ...] | str,
        *,
        problem: str | None = None,
    ) -> None:
        """``fields`` differ from the log; or ``problem`` says what is wrong with the row as a
        whole (e.g. "is in the log but has no row")."""
        self.subject = subject
        self.fields = (fields,) if isinstance(fields, str) else tuple(fields)
        listed = ", ".join(self.fields)
        verb = "differs" if len(self.fields) == 1 else "differ"
        what = f"{subject} {problem}" if problem else f"{subject}'s {listed} {verb} from the log"
        super().__init__(f"record integrity: {what}; nothing done")
        self.recorded = False
