"""A real SQLite store and a test clock for the window tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infusion_app.services.context import AppContext
from infusion_app.store.database import sqlite_url
from infusion_app.store.opening import open_database
from tests.conftest import FAST_HASHER
from tests.fakes import FakeClock


@pytest.fixture
def ui_ctx(tmp_path: Path, clock: FakeClock) -> Iterator[AppContext]:
    db = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    yield AppContext(db=db, station="ward-3-bed-2", clock=clock, hasher=FAST_HASHER)
    db.dispose()
