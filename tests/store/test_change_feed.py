"""A station learns that another one committed (issue 12, section 6: every open screen shows a
change made elsewhere within 2 seconds). On SQLite and PostgreSQL, from another process."""

from __future__ import annotations

from infusion_app.services.context import AppContext
from infusion_app.store.change_feed import open_change_feed
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER, register_sample_infusion
from tests.store.appender import note_from_another_process
from tests.stored import add_note, stored_events


def test_a_commit_elsewhere_is_seen_once(database_url, clock) -> None:
    url = database_url.render_as_string(hide_password=False)
    ctx = AppContext(db=open_database(url, clock()), station="a", clock=clock, hasher=FAST_HASHER)
    nurse, infusion_id = register_sample_infusion(ctx, clock)
    feed = open_change_feed(ctx.db)
    try:
        assert not feed.changed()  # nothing new since the feed opened
        note_from_another_process(url, infusion_id, "b")  # the CLI, another station
        assert feed.changed(wait=10)
        assert not feed.changed()  # told once per batch, not again
        add_note(ctx, nurse, infusion_id, "this station's own entry")
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
        stored_events(ctx, infusion_id)
        assert not feed.changed()
    finally:
        feed.close()
        ctx.db.dispose()
