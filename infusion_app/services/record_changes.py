"""What an open screen asks every second: did anyone change the record, and is the database
file still the one this app opened? (Reads only; nothing is written.)"""

from __future__ import annotations

import contextlib
import threading

from infusion_app.services.context import AppContext
from infusion_app.store.change_feed import ChangeFeed, open_change_feed


class RecordChanges:
    """One per window. :meth:`look` runs off the UI thread, one call at a time."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._feed: ChangeFeed | None = None
        self._lock = threading.Lock()

    def look(self, wait: float = 0) -> bool:
        """True when something was committed since the last look (by anyone, anywhere).

        Raises DatabaseFilesChanged when the database's files were replaced or unlinked under
        the app, and StoreError when the database cannot be reached (the next look retries).
        """
        with self._lock:
            self.ctx.db.check_files()
            if self._feed is None:
                self._feed = open_change_feed(self.ctx.db)
                return False
            try:
                return self._feed.changed(wait)
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
