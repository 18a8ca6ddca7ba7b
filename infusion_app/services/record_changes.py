"""What an open screen asks every second: did anyone change the record, and is the database
file still the one this app opened? (Reads only; nothing is written.)"""

from __future__ import annotations

import contextlib
import threading

from infusion_app.services.context import AppContext
from infusion_app.store.change_feed import ChangeFeed, open_change_feed


class RecordChanges:
    """One per window.

    :meth:`look` is quick (a ``stat``, a ``PRAGMA data_version`` or a non-blocking read of
    PostgreSQL's notifications): the window asks it on the UI thread. Opening the feed may
    wait for a server, so :meth:`open` is for a background thread, once, and again after the
    feed failed.
    """

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._feed: ChangeFeed | None = None
        self._lock = threading.Lock()

    @property
    def opens_slowly(self) -> bool:
        """A server connection: open it off the UI thread."""
        return self.ctx.db.dialect != "sqlite"

    @property
    def is_open(self) -> bool:
        return self._feed is not None

    def open(self) -> None:
        feed = open_change_feed(self.ctx.db)
        with self._lock:
            if self._feed is None:
                self._feed = feed
                return
        feed.close()  # another open won

    def look(self) -> bool:
        """True when something was committed since the last look (by anyone, anywhere);
        False while the feed is not open.

        Raises DatabaseFilesChanged when the database's files were replaced or unlinked under
        the app, and StoreError when the database cannot be reached (the feed is closed, to
        be opened again).
        """
        self.ctx.db.check_files()
        with self._lock:
            if self._feed is None:
                return False
            try:
                return self._feed.changed()
            except Exception:
                self._close()
                raise

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        feed, self._feed = self._feed, None
        if feed is not None:
            with contextlib.suppress(Exception):  # a connection already gone is closed enough
                feed.close()
