"""SQLite's writing connections are kept per thread between write transactions (issue 18:
the pool's checkout and return were a fifth of a durable append's own time). Each block is
still a transaction of its own, and nothing is held between blocks: no transaction, no lock,
no connection of a thread that has ended."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text

from infusion_app.store.database import MAX_HELD, Database, sqlite_url
from infusion_app.store.opening import open_database


@pytest.fixture
def db(tmp_path: Path, clock):
    database = open_database(sqlite_url(tmp_path / "ward.sqlite3"), clock())
    with database.write() as session:
        session.execute(text("CREATE TABLE marks (who TEXT)"))
    yield database
    database.dispose()


def traced(db: Database) -> list[str]:
    """What SQLite runs on the connections opened from now on ("-- opened" for each)."""
    executed: list[str] = []

    def opened(connection: sqlite3.Connection, _record: object) -> None:
        executed.append("-- opened")
        connection.set_trace_callback(executed.append)

    event.listen(db.engine, "connect", opened)
    db.engine.dispose()  # the held connection goes too: the next one is traced
    return executed


def mark(db: Database, who: str) -> None:
    with db.write() as session:
        session.execute(text("INSERT INTO marks VALUES (:who)"), {"who": who})


def marks(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT who FROM marks ORDER BY rowid")]


def test_each_block_is_its_own_transaction_on_the_kept_connection(db, tmp_path) -> None:
    executed = traced(db)
    mark(db, "first")
    mark(db, "second")
    assert executed == [
        "-- opened",  # one connection for both blocks
        "BEGIN IMMEDIATE",
        "INSERT INTO marks VALUES ('first')",
        "COMMIT",
        "BEGIN IMMEDIATE",
        "INSERT INTO marks VALUES ('second')",
        "COMMIT",
    ]
    assert db.engine.pool.checkedout() == 1
    assert marks(tmp_path / "ward.sqlite3") == ["first", "second"]


def test_a_failed_block_leaves_no_transaction_and_no_lock(db, tmp_path) -> None:
    class Refused(Exception):
        pass

    with pytest.raises(Refused), db.write() as session:
        session.execute(text("INSERT INTO marks VALUES ('rolled back')"))
        raise Refused
    # another program takes the write lock at once: the kept connection holds none
    other = sqlite3.connect(tmp_path / "ward.sqlite3", timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
    mark(db, "after")
    assert marks(tmp_path / "ward.sqlite3") == ["after"]


def test_threads_write_on_their_own_connections_and_few_are_kept(db, tmp_path) -> None:
    done = threading.Barrier(2)

    def station(name: str) -> None:
        mark(db, name)
        done.wait(timeout=10)  # both hold their connection at once

    threads = [threading.Thread(target=station, args=(n,)) for n in ("bed-1", "bed-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(marks(tmp_path / "ward.sqlite3")) == ["bed-1", "bed-2"]
    assert db.engine.pool.checkedout() == 3  # the fixture's thread and the two stations'
    mark(db, "main")  # this thread's own kept connection: nothing new is opened
    assert db.engine.pool.checkedout() == 3
    # threads come and go (Qt's workers do; Python cannot tell a foreign one has ended):
    # the idle connections kept stay few, the least recently used closed first
    wrote = threading.Barrier(7)

    def later(name: str) -> None:
        mark(db, name)
        wrote.wait(timeout=10)  # alive, idle: six threads with six idents at once

    crowd = [threading.Thread(target=later, args=(f"later-{n}",)) for n in range(6)]
    for thread in crowd:
        thread.start()
    wrote.wait(timeout=10)
    assert db.engine.pool.checkedout() == MAX_HELD
    for thread in crowd:
        thread.join(10)
    mark(db, "main again")
    assert len(marks(tmp_path / "ward.sqlite3")) == 10
    db.dispose()
    assert db.engine.pool.checkedout() == 0


def test_a_block_inside_a_block_gets_a_connection_of_its_own_not_kept(db, tmp_path) -> None:
    with db.write() as outer:
        mark(db, "inner")  # nothing written by the outer block yet: no lock to wait for
        outer.execute(text("INSERT INTO marks VALUES ('outer')"))
    assert marks(tmp_path / "ward.sqlite3") == ["inner", "outer"]
    assert db.engine.pool.checkedout() == 1  # the inner block's connection was closed
