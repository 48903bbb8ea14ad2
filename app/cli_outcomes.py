"""`flask outcomes load FILE` (what happened to the loans), `flask outcomes demo` (the demo)."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.errors import AppError

outcomes_cli = AppGroup("outcomes", help="Loan outcomes: did the client default?")


@outcomes_cli.command("load")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--verbose", is_flag=True, help="List every replaced or skipped row.")
def load_command(file, verbose):
    """Load FILE (CSV: SK_ID_CURR, defaulted 0/1, observed_at YYYY-MM-DD) into table outcomes.

    All or nothing: any bad row and nothing is loaded, with the line and column of each problem
    (exit code 1). A later observation for a client replaces the stored one, and this says so.
    """
    from app.services.outcomes import load_outcomes

    try:
        report = load_outcomes(file)
    except AppError as error:
        raise click.ClickException(error.message) from None
    click.echo(str(report))
    shown = report.notes if verbose else report.notes[:10]
    for note in shown:
        click.echo(f"  {note}")
    if len(report.notes) > len(shown):
        click.echo(f"  ... and {len(report.notes) - len(shown)} more (--verbose lists them).")


@outcomes_cli.command("demo")
@click.argument("data_dir", type=click.Path(file_okay=False, exists=True))
@click.argument("out_file", type=click.Path(dir_okay=False))
@click.option("--advisor", default="advisor", show_default=True, help="Who the decisions name.")
@click.option("--seed", default=42, show_default=True, help="Seed of the simulated overrides.")
def demo_command(data_dir, out_file, advisor, seed):
    """Demo only: score the model's held-out clients of DATA_DIR, record simulated decisions on
    every undecided batch scoring, and write the held-out clients' outcomes (TARGET) to OUT_FILE.
    """
    from app.services.oversight_demo import fill_demo
    from training.dataset import DataError

    if current_app.config["ENV_NAME"] == "production":
        # It records simulated decisions on every undecided batch scoring: never on real ones.
        raise click.ClickException("`outcomes demo` fills the demo only; refused in production.")
    try:
        report = fill_demo(data_dir, out_file, advisor=advisor, seed=seed)
    except (AppError, DataError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(report))
