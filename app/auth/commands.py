"""`flask users create NAME --password PW | --password-stdin`, `set-password`, `disable`,
`enable`."""

import sys
from contextlib import contextmanager

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from app.auth.accounts import (
    AccountError,
    create_advisor,
    disable_advisor,
    enable_advisor,
    set_password,
)

users_cli = AppGroup("users", help="Manage advisor accounts.")


def _read_password(password: str | None, from_stdin: bool) -> str:
    if from_stdin == (password is not None):
        raise click.UsageError("give exactly one of --password or --password-stdin")
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return password


def _database_error(error: SQLAlchemyError) -> click.ClickException:
    return click.ClickException(
        f"the advisor accounts could not be stored ({type(error.orig or error).__name__}: "
        f"{error.orig or error}). Is the database migrated? Run `flask --app app db upgrade`."
    )


@contextmanager
def _account_change():
    """A refused change or an unreachable database ends the command with a one-line error."""
    try:
        yield
    except SQLAlchemyError as error:
        raise _database_error(error) from None
    except AccountError as error:
        raise click.ClickException(str(error)) from error


@users_cli.command("create")
@click.argument("username")
@click.option(
    "--password", help="The password (visible in shell history: prefer --password-stdin)."
)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first stdin line.")
@click.option("--exist-ok", is_flag=True, help="Succeed without change if the advisor exists.")
def create_command(username, password, password_stdin, exist_ok):
    """Create an advisor account."""
    secret = _read_password(password, password_stdin)
    try:
        create_advisor(username, secret)
    except SQLAlchemyError as error:
        raise _database_error(error) from None
    except AccountError as error:
        if exist_ok and "already exists" in str(error):
            click.echo(f"Advisor '{username}' already exists.")
            return
        raise click.ClickException(str(error)) from error
    click.echo(f"Advisor '{username}' created.")


@users_cli.command("set-password")
@click.argument("username")
@click.option("--password")
@click.option("--password-stdin", is_flag=True)
def set_password_command(username, password, password_stdin):
    """Change an advisor's password."""
    with _account_change():
        set_password(username, _read_password(password, password_stdin))
    click.echo(f"Password changed for '{username}'.")


@users_cli.command("disable")
@click.argument("username")
def disable_command(username):
    """Refuse an advisor's sign-ins and end every session they have open."""
    with _account_change():
        disable_advisor(username)
    click.echo(f"Advisor '{username}' disabled; their sessions have ended.")


@users_cli.command("enable")
@click.argument("username")
def enable_command(username):
    """Let a disabled advisor sign in again."""
    with _account_change():
        enable_advisor(username)
    click.echo(f"Advisor '{username}' enabled.")
