"""Real databases for the store tests: a SQLite file, and a PostgreSQL server.

PostgreSQL: the server at 127.0.0.1:5432 when one answers (CI has one); else one started with
pytest-postgresql from the installed binaries; else the tests are skipped with the reason,
unless INFUSION_APP_REQUIRE_POSTGRES is set (as .ci/run does), where that is a failure.
Each test gets a fresh database cloned from a migrated template, so tests never share rows.
"""

from __future__ import annotations

import glob
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from infusion_app.store.database import Database
from infusion_app.store.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# One template per checkout: two suites run from different folders (a CI clone beside a
# developer's tree) never drop each other's template.
TEMPLATE = "infusion_app_test_template_" + hashlib.sha256(
    os.path.dirname(os.path.abspath(__file__)).encode()
).hexdigest()[:10]


def _answers(url: str) -> str | None:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return None
    except Exception as exc:  # any failure means: not usable here
        return str(exc).splitlines()[0]
    finally:
        engine.dispose()


def _start_local_server() -> tuple[str, object] | None:
    """pytest-postgresql from installed binaries (initdb refuses to run as root)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not candidates or os.geteuid() == 0:
        return None
    from port_for import get_port
    from pytest_postgresql.executors.proc import PostgreSQLExecutor

    port = get_port(None)
    workdir = tempfile.mkdtemp(prefix="infusion-pg-")
    executor = PostgreSQLExecutor(
        executable=candidates[-1],
        host="127.0.0.1",
        port=port,
        datadir=os.path.join(workdir, "data"),
        unixsocketdir=workdir,
        logfile=os.path.join(workdir, "log"),
        startparams="-w",
        dbname="test",
    )
    executor.start()
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", executor


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[URL]:
    url = os.environ.get("INFUSION_APP_TEST_PG_URL", DEFAULT_PG)
    problem = _answers(url)
    executor = None
    if problem is not None:
        started = _start_local_server()
        if started is not None:
            url, executor = started
            problem = _answers(url)
    if problem is not None:
        message = f"no PostgreSQL server for the multi-station tests ({problem})"
        if os.environ.get("INFUSION_APP_REQUIRE_POSTGRES"):
            pytest.fail(message + "; INFUSION_APP_REQUIRE_POSTGRES is set", pytrace=False)
        pytest.skip(message)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}"'))
        connection.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
    template = Database(make_url(url).set(database=TEMPLATE))
    upgrade(template, datetime(2026, 1, 1, tzinfo=UTC))
    template.dispose()
    try:
        yield make_url(url)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
        admin.dispose()
        if executor is not None:
            executor.stop()  # type: ignore[attr-defined]


@pytest.fixture
def fresh_postgres(postgres_server: URL) -> Iterator[URL]:
    name = f"infusion_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    try:
        yield postgres_server.set(database=name)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> URL:
    if request.param == "sqlite":
        return make_url(f"sqlite:///{tmp_path / 'infusion.sqlite3'}")
    return request.getfixturevalue("fresh_postgres")
