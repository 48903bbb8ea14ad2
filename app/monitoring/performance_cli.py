"""`flask performance run`: the model's scores against known outcomes, stored with a report."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.monitoring.performance_runs import PerformanceInputError, below_test_auc, run_performance

performance_cli = AppGroup("performance", help="Model performance on known loan outcomes.")


@performance_cli.command("run")
@click.option("--window", default=None, help="Only decisions made in the last 90d, 12w, ...")
def run_command(window):
    """Measure the latest decision per client on the model in service against its outcome.

    Exit code 1, with the reason, when there is not enough to measure.
    """
    from app.services.model_store import ModelUnavailableError, get_model

    try:
        run = run_performance(get_model(current_app), window)
    except (PerformanceInputError, ModelUnavailableError) as error:
        click.echo(f"Performance run not made: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(describe(run, float(current_app.config["PERFORMANCE_ALERT_MARGIN"])))


def describe(run, margin: float) -> str:
    """One paragraph for the terminal."""
    test = f"{run.test_auc:.3f}" if run.test_auc is not None else "unknown"
    lines = [
        f"Performance run {run.id} (model {run.model_name} version {run.model_version}, "
        f"{run.window or 'every decision'}): {run.n_labelled} of {run.n_decisions} decisions "
        "have a known outcome.",
        f"  Realised AUC {run.auc:.3f} (test AUC {test}); business cost per application "
        f"{run.business_cost:.3f} for the model's decisions, {run.business_cost_final:.3f} for "
        "the advisors' final ones.",
        f"  Overridden: {run.override_rate:.1%} of decisions.",
    ]
    if below_test_auc(run, margin):
        lines.append(f"  ALERT: the realised AUC is more than {margin:.2f} below the test AUC.")
    lines.append(f"  Took {run.duration_s:.1f} s.")
    return "\n".join(lines)
