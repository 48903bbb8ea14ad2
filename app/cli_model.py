"""`flask model export DIR`: copy the champion MLflow model into a folder that ships with the app.

The deployed app then reads the model from disk (MODEL_URI=DIR): no MLflow server, no registry
and no training data on the dyno.
"""

import json
import shutil
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.config import DEFAULT_MODEL_URI
from app.services.model_store import EXPORT_RECORD, parse_model_uri, registry_version

# Written beside the MLmodel file so the served model still knows which registry version it is.

model_cli = AppGroup("model", help="Ship the registered model with the app.")


def _registry_record(uri: str) -> dict:
    """Name, version and run of a models:/NAME@ALIAS (or models:/NAME/VERSION) URI."""
    reference = parse_model_uri(uri)
    if reference is None:
        return {"source_uri": uri}
    version = registry_version(reference)
    return {
        "source_uri": uri,
        "name": version.name,
        "version": str(version.version),
        "run_id": version.run_id,
        "tags": dict(version.tags or {}),
    }


class NotAnExportError(click.ClickException):
    """DIR exists and is not an earlier export: replacing it would delete someone's files."""


EXPORT_MARKERS = (EXPORT_RECORD, "MLmodel")  # what an earlier export (an MLflow model) holds


def check_replaceable(directory: Path) -> None:
    """Only an absent or empty folder, or an earlier export (an MLflow model), is replaced."""
    if not directory.exists():
        return
    if not directory.is_dir():
        raise NotAnExportError(f"{directory} exists and is not a directory; nothing was changed.")
    is_export = any((directory / marker).is_file() for marker in EXPORT_MARKERS)
    if any(directory.iterdir()) and not is_export:
        raise NotAnExportError(
            f"{directory} is not empty and holds neither {EXPORT_RECORD} nor MLmodel, so it is "
            "not an earlier export: refusing to delete it. Choose another directory or empty it."
        )


def export_model(uri: str, directory: Path, tracking_uri: str | None) -> dict:
    """Download `uri` into `directory`, check that it loads, and return what was exported.

    The copy lands in a temporary folder first, so a failed export never leaves a half-written
    model where the app would look for one. Refuses (NotAnExportError) to replace a directory
    that is not an earlier export.
    """
    import mlflow

    check_replaceable(directory)
    if tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=directory.parent, prefix=".export-") as staging:
        record = _registry_record(uri)
        local = mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=staging)
        mlflow.pyfunc.load_model(local)  # fails here, not on the dyno, if it cannot load
        Path(local, EXPORT_RECORD).write_text(json.dumps(record, indent=2) + "\n")
        if directory.exists():
            shutil.rmtree(directory)
        shutil.move(local, directory)
    return record


@model_cli.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--uri",
    default=DEFAULT_MODEL_URI,
    show_default=True,
    help="MLflow model URI to export (registry alias, version, run or local path).",
)
@with_appcontext
def export_command(directory: Path, uri: str) -> None:
    """Copy the model at URI into DIRECTORY (replacing it); then set MODEL_URI=DIRECTORY."""
    tracking_uri = current_app.config.get("MLFLOW_TRACKING_URI")
    try:
        record = export_model(uri, directory, tracking_uri)
    except NotAnExportError:
        raise
    except Exception as error:  # mlflow raises many types; all mean "nothing to export"
        raise click.ClickException(
            f"could not export {uri!r} (MLFLOW_TRACKING_URI={tracking_uri!r}): {error}. "
            "Train and register a champion first (`make model`)."
        ) from None
    version = record.get("version", "?")
    click.echo(f"Exported {uri} (version {version}) to {directory}; set MODEL_URI={directory}")
