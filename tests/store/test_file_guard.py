"""The file guard: no file a person names (a CoA to import, a protocol, an output) may be a
file of an open database, by its name, through a link to it or its folder, or as a hard link.

The database's own names are resolved once, when it is opened (the files SQLite has open),
not at every read: the guard runs at every bedside act that reads its protocol file.
"""

from __future__ import annotations

import os
from pathlib import Path

from infusion_app.file_guard import is_database_file, register_database, unregister_database


def test_a_database_file_is_known_by_name_link_and_hard_link(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    database = folder / "record.sqlite3"
    database.write_bytes(b"")
    register_database(database)
    try:
        via = tmp_path / "via"
        via.symlink_to(folder, target_is_directory=True)
        hard = tmp_path / "copy-by-link.sqlite3"
        os.link(database, hard)
        for name in (
            database,
            Path(f"{database}-wal"),  # not there yet: by name, SQLite would create it
            Path(f"{database}-shm"),
            via / "record.sqlite3",  # through a link to its folder
            via / "record.sqlite3-wal",
            hard,  # another name for the same file
            Path(os.path.relpath(database)),
        ):
            assert is_database_file(name), name
        assert not is_database_file(folder / "protocol.toml")
        assert not is_database_file(tmp_path / "record.sqlite3")
    finally:
        unregister_database(database)
    assert not is_database_file(database)  # closed: an ordinary file again


def test_a_database_opened_twice_stays_guarded_until_both_close(tmp_path: Path) -> None:
    database = tmp_path / "record.sqlite3"
    register_database(database)
    register_database(tmp_path / "." / "record.sqlite3")  # the same file, named another way
    unregister_database(database)
    assert is_database_file(Path(f"{database}-wal"))
    unregister_database(database)
    assert not is_database_file(Path(f"{database}-wal"))
