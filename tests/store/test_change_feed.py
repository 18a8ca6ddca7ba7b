"""A station learns that another one committed (issue 12, section 6: every open screen shows a
change made elsewhere within 2 seconds). On SQLite and PostgreSQL, from another process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from infusion_app.services import infusions
from infusion_app.services.context import AppContext
from infusion_app.store.change_feed import open_change_feed
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion

ROOT = Path(__file__).resolve().parents[2]


def test_a_commit_elsewhere_is_seen_once(database_url, clock) -> None:
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(db=open_database(url, clock()), station="a", clock=clock, hasher=FAST_HASHER)
    nurse, infusion_id = register_sample_infusion(ctx, clock)
    feed = open_change_feed(ctx.db)
    try:
        assert not feed.changed()  # nothing new since the feed opened
        # another process (the CLI, another station) appends one note
        result = subprocess.run(
            [sys.executable, "-m", "tests.store.appender", url, str(infusion_id), "1", "b"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert feed.changed(wait=10)
        assert not feed.changed()  # told once per batch, not again
        infusions.add_note(ctx, nurse, infusion_id, "this station's own entry")
        assert feed.changed(wait=10)  # the feed's connection is its own: this station's too
        assert not feed.changed()
    finally:
        feed.close()
        ctx.db.dispose()


def test_a_read_changes_nothing(database_url, clock) -> None:
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(db=open_database(url, clock()), station="a", clock=clock, hasher=FAST_HASHER)
    _, infusion_id = register_sample_infusion(ctx, clock)
    feed = open_change_feed(ctx.db)
    try:
        infusions.infusion_events(ctx, infusion_id)
        assert not feed.changed()
    finally:
        feed.close()
        ctx.db.dispose()
