"""MLflow: where runs are stored, how the model is logged, and when the champion alias moves."""

import logging
import os
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlparse

import mlflow
import numpy as np
from mlflow.models import infer_signature
from mlflow.tracking import MlflowClient
from mlflow.types import ColSpec, Schema
from mlflow.types.schema import AnyType

from training.evaluate import business_cost

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "credit-default-risk"
CHAMPION_ALIAS = "champion"
EXPERIMENT_NAME = "credit-default-risk"
PACKAGES = ["mlflow", "scikit-learn", "lightgbm", "pandas", "numpy", "scipy"]


def tracking_uri(uri=None):
    """The MLflow store: argument, else MLFLOW_TRACKING_URI, else instance/mlflow.db."""
    return uri or os.environ.get(
        "MLFLOW_TRACKING_URI", f"sqlite:///{REPO_ROOT / 'instance' / 'mlflow.db'}"
    )


def setup(uri=None):
    """Point MLflow at the store and make the experiment active (created if needed); its id.

    With a SQLite store, artifacts go to ``mlartifacts/`` next to the database file (so a
    temporary store in a test keeps its artifacts in the same temporary folder).
    """
    uri = tracking_uri(uri)
    artifact_location = None
    if urlparse(uri).scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        folder = Path(uri.removeprefix("sqlite:///")).resolve().parent
        folder.mkdir(parents=True, exist_ok=True)
        artifact_location = (folder / "mlartifacts").as_uri()
    with _environment_kept("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI"):
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
    experiment = mlflow.get_experiment_by_name(EXPERIMENT_NAME)
    if experiment is None:
        experiment_id = mlflow.create_experiment(
            EXPERIMENT_NAME, artifact_location=artifact_location
        )
    else:
        experiment_id = experiment.experiment_id
    mlflow.set_experiment(experiment_id=experiment_id)
    return experiment_id


@contextmanager
def _environment_kept(*names):
    """MLflow also writes the URIs it is given into os.environ (for its subprocesses): keep the
    environment as it was, so that a training run inside a process (tests, benchmarks) does not
    point every later app or subprocess of that process at its store."""
    before = {name: os.environ.get(name) for name in names}
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def input_schema(columns):
    """Every raw column optional and of any type: absent ones count as missing, and the
    feature function (not the signature) coerces numbers sent as integers, floats or text."""
    return Schema([ColSpec(AnyType(), column, required=False) for column in columns])


def log_and_register(model, input_example):
    """Log ``model`` as a pyfunc in the active run and register a new version; returns it."""
    input_example = input_example.astype(
        {c: object for c in input_example.columns if input_example[c].dtype == "category"}
    )
    signature = infer_signature(input_example, model.predict(None, input_example))
    signature.inputs = input_schema(model.input_columns)
    info = mlflow.pyfunc.log_model(
        name="model",
        python_model=model,
        code_paths=[str(Path(__file__).resolve().parent)],
        signature=signature,
        input_example=input_example,
        pip_requirements=[f"{package}=={version(package)}" for package in _packages(model)],
        registered_model_name=MODEL_NAME,
    )
    return str(info.registered_model_version)


def _packages(model):
    """What serving the model needs: shap only for a tree ensemble other than LightGBM."""
    if model.explanation_method == "shap_tree_explainer":
        return [*PACKAGES, "shap"]
    return PACKAGES


def current_champion():
    """The CreditRiskModel behind the champion alias and its version, or ``(None, None)``."""
    client = MlflowClient()
    try:
        version_info = client.get_model_version_by_alias(MODEL_NAME, CHAMPION_ALIAS)
    except mlflow.exceptions.MlflowException:
        return None, None
    loaded = mlflow.pyfunc.load_model(f"models:/{MODEL_NAME}@{CHAMPION_ALIAS}")
    return loaded.unwrap_python_model(), version_info.version


def compare_with_champion(new_model, frame_test, y_test, new_probability):
    """Business cost on the new test split for the new model and for the current champion.

    ``new_probability`` is the new model's on ``frame_test`` (already computed); the champion
    scores the same rows with its own threshold. The new model must be strictly cheaper.
    """
    new_cost = business_cost(y_test, np.asarray(new_probability) >= new_model.threshold)
    try:
        champion, champion_version = current_champion()
    except Exception as error:  # an old model that no longer loads cannot block a new one
        logger.warning("Current champion could not be loaded (%s); it will be replaced", error)
        champion, champion_version = None, None
    comparison = {"new_cost": new_cost, "champion_version": champion_version}
    if champion is None:
        return {**comparison, "champion_cost": None, "promote": True}
    old_probability = np.asarray(champion.predict_proba(frame_test))
    champion_cost = business_cost(y_test, old_probability >= champion.threshold)
    return {**comparison, "champion_cost": champion_cost, "promote": new_cost < champion_cost}


def tag_and_promote(model_version, model, comparison):
    """Tag the version (threshold, comparison) and move the alias if it won."""
    client = MlflowClient()
    tags = {
        "threshold": f"{model.threshold:.6f}",
        "model_name": model.model_name,
        "promoted": str(comparison["promote"]).lower(),
        "business_cost_test": f"{comparison['new_cost']:.6f}",
    }
    if comparison["champion_cost"] is not None:
        tags["champion_cost_on_same_test"] = f"{comparison['champion_cost']:.6f}"
    for key, value in tags.items():
        client.set_model_version_tag(MODEL_NAME, model_version, key, value)
    if comparison["promote"]:
        client.set_registered_model_alias(MODEL_NAME, CHAMPION_ALIAS, model_version)
