"""PostgreSQL's pooled connections are pinged only when the server may have ended them
(issue 18: ``pool_pre_ping`` was a round trip on every action, 0.13 ms of a 1.40 ms append).

The decision is tested here on a socket pair standing in for the server's end; the pool's
replacement of a connection the server ended runs in every PostgreSQL test of the store
(the engine is the app's), and was checked by hand with ``pg_terminate_backend`` in a
database of its own (benchmarks/store_append.py's ``bench_happend``)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from infusion_app.store.database import stale


class PooledConnection:
    """What the check reads of psycopg's connection: its flags and its socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.closed = False
        self.broken = False

    def fileno(self) -> int:
        return self.sock.fileno()


@pytest.fixture
def pair() -> Iterator[tuple[PooledConnection, socket.socket]]:
    ours, server = socket.socketpair()
    yield PooledConnection(ours), server
    ours.close()
    server.close()


def test_a_quiet_connection_is_not_pinged(pair) -> None:
    connection, _server = pair
    assert not stale(connection)


def test_a_message_from_the_server_while_pooled_asks_for_a_ping(pair) -> None:
    connection, server = pair
    # what a restarting server sends each client: ErrorResponse, FATAL 57P01
    server.sendall(b"E\x00\x00\x00\x10SFATAL\x00C57P01\x00\x00")
    assert stale(connection)


def test_a_connection_the_server_closed_asks_for_a_ping(pair) -> None:
    connection, server = pair
    server.close()  # a crashed backend: the end of the stream
    assert stale(connection)


def test_a_connection_the_driver_knows_is_gone_asks_for_a_ping(pair) -> None:
    connection, _server = pair
    connection.broken = True
    assert stale(connection)
    connection.broken, connection.closed = False, True
    assert stale(connection)
