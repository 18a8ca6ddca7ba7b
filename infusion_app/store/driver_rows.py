"""Rows of a long read straight from the driver: verify-log's walk and the accounts' first
fold read hundreds of thousands of rows, where a SQLAlchemy row costs about as much as the
SHA-256 of its event."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Select, TextClause
from sqlalchemy.exc import DBAPIError

BATCH = 5000  # rows fetched at a time: a long read never holds the log in memory


def batches(
    connection: Connection, query: Select[*tuple[Any, ...]] | TextClause
) -> Iterator[Sequence[Any]]:
    """The rows of ``query``, a batch at a time, as the driver gives them.

    On SQLite straight from the driver's cursor, inside the connection's transaction (the
    walk's other reads see the same snapshot): a SQLAlchemy row costs about as much as the
    SHA-256 of its event. Elsewhere (PostgreSQL) SQLAlchemy's rows, streamed from a server-side
    cursor. A driver error is raised as SQLAlchemy raises it, so callers classify it alike.
    """
    if connection.dialect.name != "sqlite":
        # the option on this statement only: set on the connection it would stay, and the
        # caller's next statement in the transaction (an INSERT) would be a server cursor
        options = {"yield_per": BATCH}
        yield from connection.execute(query, execution_options=options).partitions()
        return
    if not connection.in_transaction():
        connection.begin()
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    statement = str(compiled)
    values = compiled.params
    params = tuple(values[name] for name in compiled.positiontup or ())
    dbapi_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(BATCH):
            yield rows
    except dbapi_error as exc:
        raise DBAPIError.instance(
            statement, params, exc, dbapi_error, dialect=connection.dialect
        ) from exc
    finally:
        cursor.close()
