"""`flask drift run`: one drift comparison, stored with its report."""

import click
from flask import current_app
from flask.cli import AppGroup

from app.monitoring import runs, sources
from app.monitoring.sources import DriftInputError

drift_cli = AppGroup("drift", help="Data-drift monitoring (Evidently).")


@drift_cli.command("run")
@click.option("--current", "current_file", type=click.Path(dir_okay=False), help="Batch file.")
@click.option("--window", default=None, help="Predictions logged in the last 7d, 24h, ...")
@click.option("--last", type=int, default=None, help="The last N logged predictions.")
@click.option("--top", type=int, default=None, help="Number of top input columns compared.")
def run_command(current_file, window, last, top):
    """Compare recent inputs (default: the last 7 days of predictions) with the training sample.

    Exit code 1, with the reason, when nothing can be compared (too few rows, no model, bad file).
    """
    chosen = [
        name
        for name, value in (("--current", current_file), ("--window", window), ("--last", last))
        if value is not None
    ]
    if len(chosen) > 1:
        raise click.UsageError(
            f"choose one of --current, --window, --last (got {', '.join(chosen)})"
        )
    if top is not None and top <= 0:
        raise click.UsageError(f"--top {top}: expected a positive number of columns")
    try:
        run = _run(current_file, window, last, top)
    except DriftInputError as error:
        click.echo(f"Drift run not made: {error}", err=True)
        raise SystemExit(1) from None
    click.echo(describe(run))


def _run(current_file, window, last, top):
    from app.services.model_store import ModelUnavailableError, get_model

    try:
        loaded = get_model(current_app)
    except ModelUnavailableError as error:
        raise DriftInputError(str(error)) from None
    if current_file is not None:
        current = sources.from_file(current_file, loaded.model)
    elif last is not None:
        current = sources.from_last(last)
    else:
        span = sources.parse_window(window or current_app.config["DRIFT_DEFAULT_WINDOW"])
        current = sources.from_window(span)
    return runs.run_drift(current, loaded, top_n=top)


def describe(run) -> str:
    """One paragraph for the terminal."""
    drifted = [c["column"] for c in run.columns if c["drifted"]]
    lines = [
        f"Drift run {run.id} ({run.source_detail}, {run.rows} rows, {run.rows_compared} compared"
        f" against {run.rows_reference} training rows, model {run.model_version}):",
        f"  {len(drifted)} of {run.column_count} columns drifted"
        f" (share {run.drift_share:.2f}); dataset drift: {'yes' if run.dataset_drift else 'no'}.",
    ]
    if drifted:
        lines.append(f"  Drifted: {', '.join(drifted[:10])}{' ...' if len(drifted) > 10 else ''}")
    if run.prediction_drift:
        moved = "drifted" if run.prediction_drift["drifted"] else "stable"
        lines.append(f"  Predicted probability of default: {moved}.")
    lines.append(f"  Took {run.duration_s:.1f} s.")
    return "\n".join(lines)
