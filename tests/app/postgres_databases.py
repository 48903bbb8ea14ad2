"""A database of its own on the session's PostgreSQL server, so tests never see each other's."""

import sqlalchemy as sa


def database_url_for(server_url: str, name: str) -> str:
    """The session server's URL for database `name`, with the psycopg 3 driver."""
    base = server_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def fresh_database(server_url: str, name: str) -> str:
    """Drop and create database `name`; its URL."""
    server = sa.create_engine(
        database_url_for(server_url, "postgres"), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    server.dispose()
    return database_url_for(server_url, name)
