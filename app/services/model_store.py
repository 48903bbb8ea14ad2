"""Loads the registered CreditRiskModel once per process and keeps it (or why it failed)."""

import contextlib
import json
import logging
import os
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from app.errors import ServiceUnavailableError

# Written next to an exported model by `flask model export`: which registry version it is.
EXPORT_RECORD = "registered_model.json"

log = logging.getLogger(__name__)

TRAIN_HINT = (
    "Train and register one with `python -m training.train --data DIR --quick` "
    "(or `make model`), or point MODEL_URI at a local MLflow model directory."
)
RETRY_AFTER_S = 30.0  # a failed load is retried at most this often, so /api/health stays cheap


@dataclass
class LoadedModel:
    """The unwrapped CreditRiskModel plus where it came from."""

    model: Any
    name: str
    version: str
    uri: str


class ModelUnavailableError(ServiceUnavailableError):
    """No model could be loaded; the message says why and how to get one (503)."""

    code = "model_unavailable"

    @property
    def page_message(self) -> str:
        return "Scoring is unavailable right now: no model is loaded."


@dataclass(frozen=True)
class RegistryReference:
    """What a models:/NAME@ALIAS or models:/NAME/VERSION URI names."""

    name: str
    alias: str | None = None
    version: str | None = None


def parse_model_uri(uri: str) -> RegistryReference | None:
    """The registry reference of a models:/ URI; None for runs:/, paths and other URIs."""
    if not uri.startswith("models:/"):
        return None
    name, _, alias = uri[len("models:/") :].partition("@")
    if alias:
        return RegistryReference(name, alias=alias)
    name, _, version = name.partition("/")
    return RegistryReference(name, version=version or None)


def registry_version(reference: RegistryReference):
    """The MLflow ModelVersion a registry reference points at (asks the tracking server)."""
    from mlflow import MlflowClient

    client = MlflowClient()
    if reference.alias:
        return client.get_model_version_by_alias(reference.name, reference.alias)
    return client.get_model_version(reference.name, reference.version)


_lock = threading.Lock()
_loaded: dict[str, LoadedModel] = {}
_failures: dict[str, tuple[float, str]] = {}


def _registry_version(uri: str) -> str | None:
    """Version number behind a models:/name@alias or models:/name/version URI."""
    reference = parse_model_uri(uri)
    if reference is None:
        return None
    return reference.version or str(registry_version(reference).version)


def _exported_version(uri: str) -> str | None:
    """Registry version that `flask model export` recorded beside a model shipped on disk."""
    record = os.path.join(uri, EXPORT_RECORD)
    if not os.path.isfile(record):
        return None
    with open(record, encoding="utf-8") as handle:
        return json.load(handle).get("version")


def _single_threaded(model) -> None:
    """One thread per prediction: a single row gains nothing from a thread pool, and gunicorn
    already runs one worker per core, so more threads would only fight over the cores."""
    classifier = getattr(getattr(model, "pipeline", None), "steps", [(None, None)])[-1][1]
    if classifier is not None and "n_jobs" in classifier.get_params():
        classifier.set_params(n_jobs=1)


class IncompatibleModelError(RuntimeError):
    """The model loads but cannot score with this code (trained by an older feature set)."""


def _check_scores_with_this_code(model) -> None:
    """Score one empty application now, so that a model built for other features fails at load
    (health says degraded, every caller gets a 503 saying why) instead of on every request."""
    blank = dict.fromkeys(getattr(model, "input_columns", None) or [])
    try:
        model.score([blank])
    except Exception as error:  # any failure here means the same: this model cannot serve
        raise IncompatibleModelError(
            f"the model does not score with this version of the code ({error}); retrain it"
        ) from None


def _load(uri: str, tracking_uri: str | None) -> LoadedModel:
    import mlflow

    if tracking_uri:
        mlflow.set_tracking_uri(tracking_uri)
    with warnings.catch_warnings():
        # MLflow nags about type hints on PythonModel.predict; our inputs are validated by the API.
        warnings.filterwarnings("ignore", message="Add type hints", category=UserWarning)
        pyfunc = mlflow.pyfunc.load_model(uri)
    model = pyfunc.unwrap_python_model()
    _single_threaded(model)
    _check_scores_with_this_code(model)
    version = _registry_version(uri) or _exported_version(uri)
    version = version or str(getattr(model, "version", None) or "local")
    name = getattr(model, "model_name", None) or "credit-default-risk"
    return LoadedModel(model=model, name=name, version=version, uri=uri)


def get_model(app: Flask | None = None) -> LoadedModel:
    """The process's model for MODEL_URI; raises ModelUnavailableError saying why."""
    config = (app or current_app).config
    uri, tracking_uri = config["MODEL_URI"], config.get("MLFLOW_TRACKING_URI")
    key = (uri, tracking_uri)  # the same models:/ URI means another model in another store
    if key in _loaded:
        return _loaded[key]
    with _lock:
        if key in _loaded:
            return _loaded[key]
        failed = _failures.get(key)
        if failed and time.monotonic() - failed[0] < RETRY_AFTER_S:
            raise ModelUnavailableError(failed[1])
        try:
            _loaded[key] = _load(uri, tracking_uri)
        except Exception as error:  # mlflow raises many types; all mean "no model"
            reason = f"No model could be loaded from {uri!r}: {error}. {TRAIN_HINT}"
            _failures[key] = (time.monotonic(), reason)
            log.warning(reason)
            raise ModelUnavailableError(reason) from None
        _failures.pop(key, None)
        return _loaded[key]


def preload(app: Flask) -> None:
    """Load at start (gunicorn workers) so the first request is as fast as the rest."""
    with contextlib.suppress(ModelUnavailableError):  # the app still starts; health says why
        get_model(app)


def forget() -> None:
    """Drop cached models and failures (tests that break the model on purpose)."""
    with _lock:
        _loaded.clear()
        _failures.clear()
