"""A real PostgreSQL server for the session (registered in tests/conftest.py), and a fresh
database of its own on it for a test."""

import glob

import pytest

# The newest PostgreSQL that Debian's package installed (15 on bookworm).
PG_BIN = max(glob.glob("/usr/lib/postgresql/*/bin"), default="/usr/lib/postgresql/15/bin")


def _as_postgres(*command: str, **kwargs):
    """Run a PostgreSQL binary as the postgres user (the server refuses to run as root)."""
    import os
    import subprocess

    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for the session: TEST_DATABASE_URL if set (CI), else a local one.

    The local server is initdb'd into a fresh folder under /tmp (which the postgres user can
    reach), listens on a free port of 127.0.0.1 only, and is stopped and removed at the end.
    """
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from tests.helpers import free_port

    if os.environ.get("TEST_DATABASE_URL"):
        yield os.environ["TEST_DATABASE_URL"]
        return
    if not os.path.exists(f"{PG_BIN}/initdb"):
        reason = f"PostgreSQL binaries not found in {PG_BIN} (run .ci/install-system-deps)"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="credit-pg-"))
    data, sockets = root / "data", root / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    _as_postgres(f"{PG_BIN}/initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync")
    port = free_port()
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [f"{PG_BIN}/pg_ctl", "-D", str(data)]
    _as_postgres(*pg_ctl, "-o", options, "-w", "-l", str(root / "log"), "start")
    try:
        address = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
        _as_postgres(f"{PG_BIN}/createdb", *address, "credit")
        yield f"postgresql://postgres@127.0.0.1:{port}/credit"
    finally:
        _as_postgres(*pg_ctl, "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def database_url_for(server_url: str, name: str) -> str:
    """The session server's URL for database `name`, with the psycopg 3 driver."""
    import sqlalchemy as sa

    url = sa.engine.make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create database `name` on the session's server (a database of its own, so tests
    never see each other's); its URL. Created from the session's own database: CI's service has
    app_test, the local server credit."""
    import sqlalchemy as sa

    session_database = sa.engine.make_url(server_url).database
    server = sa.create_engine(
        database_url_for(server_url, session_database), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    server.dispose()
    return database_url_for(server_url, name)
