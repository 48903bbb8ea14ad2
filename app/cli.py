"""flask commands: `clients load DIR`, `clients score`, `api-keys create|revoke NAME`."""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from app.auth.api_keys import create_key, revoke_key

clients_cli = AppGroup("clients", help="The client store (table clients).")
api_keys_cli = AppGroup("api-keys", help="API keys for external systems.")


@clients_cli.command("load")
@click.argument("data_dir", type=click.Path())
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="What reads the files and computes the history (spark: SPARK_MASTER, else local).",
)
def load_clients_command(data_dir, engine):
    """Load application_test/application_train + history from DATA_DIR (CSV or Parquet files;
    idempotent upsert)."""
    from app.services.clients import load_clients
    from training.dataset import DataError

    options = {}
    if engine == "spark" and current_app.config.get("SPARK_MASTER"):
        options["master"] = current_app.config["SPARK_MASTER"]
    started = time.perf_counter()
    try:
        reports = load_clients(data_dir, engine, **options)
    except DataError as error:
        raise click.ClickException(str(error)) from None  # message, exit code 1, no traceback
    for table, report in reports.items():
        click.echo(f"{table}: {report}")
    click.echo(f"Done in {time.perf_counter() - started:.1f} s.")


@clients_cli.command("score")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100_000))
def score_clients_command(limit):
    """Score the newest LIMIT new applicants as a batch job (source "batch"), logging each one.

    A stand-in for the nightly batch a loan-origination system sends; it gives the prediction log,
    and so drift monitoring, real rows to work on.
    """
    from app.services.clients import new_applicant_ids, require_clients
    from app.services.scoring import Application, score_and_log

    ids = new_applicant_ids(limit)
    if not ids:
        raise click.ClickException("No new applicants in the client store: run `clients load DIR`.")
    size = current_app.config["MAX_BATCH_SIZE"]  # the API's batch limit, same transaction size
    for start in range(0, len(ids), size):
        batch = [Application.of(client) for client in require_clients(ids[start : start + size])]
        score_and_log(batch, source="batch", actor="cli")
    click.echo(f"Scored and logged {len(ids)} applications.")


@api_keys_cli.command("create")
@click.argument("name")
@click.option(
    "--rate",
    default=None,
    help='This key\'s rate limit, e.g. "600 per minute" (default: RATELIMIT_API_KEY). '
    "A batch counts one per application.",
)
def create_key_command(name, rate):
    """Create a key for NAME (replacing any previous one); the key is the LAST line printed."""
    from app.config import ConfigError

    try:
        key = create_key(name, rate)
    except ConfigError as error:
        raise click.BadParameter(str(error).removeprefix("--rate "), param_hint="--rate") from None
    limit = rate or f"{current_app.config['RATELIMIT_API_KEY']} (the default)"
    click.echo(f"API key for {name!r}, limited to {limit} (shown once; send it as X-API-Key):")
    click.echo(key)


@api_keys_cli.command("revoke")
@click.argument("name")
def revoke_key_command(name):
    """Revoke the key of NAME."""
    if not revoke_key(name):
        raise click.ClickException(f"No active API key named {name!r}.")
    click.echo(f"API key {name!r} revoked.")
