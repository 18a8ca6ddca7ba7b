"""Statements run straight on the driver, under SQLAlchemy's connection and transaction.

Long reads (verify-log's walk and the accounts' first fold read hundreds of thousands of
rows, where a SQLAlchemy row costs about as much as the SHA-256 of its event), and the few
small statements of every act (the append's, the rows a bedside act reads): SQLAlchemy's
execution machinery (cache lookup, execution context, result wrapping) was most of their
time (issue 18). The SQL text is SQLAlchemy's own, compiled once per dialect, and so are
the bind and result processing of each column; a driver error is raised as SQLAlchemy
raises it, so ``translate_errors`` reads it by its code as before."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Select, TextClause
from sqlalchemy.exc import DBAPIError

BATCH = 5000  # rows fetched at a time: a long read never holds the log in memory
# on SQLite fewer: the driver's rows are made in this process, and a walk over 256 at a time
# works on them while they are in the CPU's cache (verify-log: 8% less time than 5,000)
SQLITE_BATCH = 256


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
        while rows := cursor.fetchmany(SQLITE_BATCH):
            yield rows
    except dbapi_error as exc:
        raise DBAPIError.instance(
            statement, params, exc, dbapi_error, dialect=connection.dialect
        ) from exc
    finally:
        cursor.close()


# the drivers whose SQL text and parameter style the statements below are compiled for
# (positional ``?`` for SQLite, named ``%(name)s`` for psycopg); another runs through Core
DRIVERS = {("sqlite", "pysqlite", "qmark"), ("postgresql", "psycopg", "pyformat")}


def on_driver(connection: Connection, statement: str, params: Any) -> Any:
    """``statement`` run on the connection's driver; its error as SQLAlchemy raises it."""
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        return driver.execute(statement, params)
    except connection.dialect.loaded_dbapi.Error as exc:
        lost = connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, None)
        if lost:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            statement,
            params,
            exc,
            connection.dialect.loaded_dbapi.Error,
            hide_parameters=True,  # patient free text stays out of logs and messages
            connection_invalidated=lost,
            dialect=connection.dialect,
        ) from exc


_Processor = Callable[[Any], Any] | None
# the SQL text, the positional parameters' order (None: named), the query's own parameter
# values (its literals), each column's result processor
_Compiled = tuple[str, tuple[str, ...] | None, dict[str, Any], tuple[_Processor, ...]]


class DriverQuery:
    """A small SELECT whose parameters need no processing (ids, names), compiled once per
    dialect and run on the driver; each column's value processed as SQLAlchemy's result
    would process it (times, booleans). Gives plain tuples in the query's column order."""

    def __init__(self, query: Select[*tuple[Any, ...]]) -> None:
        self.query = query
        self._compiled: dict[tuple[str, str, str], _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled | None:
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        if key not in DRIVERS:
            return None
        known = self._compiled.get(key)
        if known is None:
            compiled = self.query.compile(dialect=dialect)
            order = tuple(compiled.positiontup or ()) if dialect.paramstyle == "qmark" else None
            processors = tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in self.query.selected_columns
            )
            known = self._compiled[key] = (str(compiled), order, compiled.params, processors)
        return known

    def first(self, connection: Connection, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row, or None, in the transaction the connection is in (a write block's,
        from ``write_connection``, or a read's)."""
        compiled = self._for(connection.dialect)
        if compiled is None:
            row = connection.execute(self.query, params).first()
            return None if row is None else tuple(row)
        statement, order, defaults, processors = compiled
        values = {**defaults, **params}  # a literal in the query is a parameter too
        args = tuple(values[name] for name in order) if order is not None else values
        found = on_driver(connection, statement, args).fetchone()
        if found is None:
            return None
        return tuple(
            value if process is None else process(value)
            for process, value in zip(processors, found, strict=True)
        )
