"""One set of features whichever way they are computed: the history DuckDB stored with each
client by `clients load`, read back and built one client at a time as the API does, equals the
batch features of DuckDB and of Spark (local mode) over the same files, to float32 precision."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from training.engine import feature_matrix, open_runner
from training.features import FEATURE_NAMES, build_features

SAMPLE = 120  # stored clients rebuilt one by one (train and test, with and without history)


@pytest.fixture(scope="module")
def stored_features(make_app):
    """Features of a sample of stored clients, built from their stored fields one at a time."""
    from app.extensions import db
    from app.models import Client
    from app.services.clients import application_fields

    app = make_app(MODEL_URI="not-needed-here")
    with app.app_context():
        ids = db.session.scalars(sa.select(Client.sk_id_curr).order_by(Client.sk_id_curr)).all()
        chosen = [ids[i] for i in np.linspace(0, len(ids) - 1, SAMPLE).astype(int)]
        rows = [
            build_features(application_fields(db.session.get(Client, i))).set_axis([i])
            for i in chosen
        ]
        db.engine.dispose()
    return pd.concat(rows)


def batch_features(runner, folder) -> pd.DataFrame:
    """Features of every applicant (train and test) from an engine, indexed by SK_ID_CURR."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        runner.load(folder)
        history = runner.history()
        applications = pd.concat(
            [runner.applications(t) for t in ("application_train", "application_test")]
        )
    return feature_matrix(applications, history).set_axis(applications["SK_ID_CURR"].tolist())


def assert_same_features(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual.columns) == list(expected.columns) == FEATURE_NAMES
    numeric = expected.select_dtypes("number").columns
    np.testing.assert_allclose(
        actual[numeric].to_numpy("float64"),
        expected[numeric].to_numpy("float64"),
        rtol=1e-6,
        equal_nan=True,
    )
    for column in expected.columns.difference(numeric):
        assert actual[column].astype(object).equals(expected[column].astype(object)), column


def test_stored_clients_score_with_the_features_duckdb_computes(stored_features, demo_data_dir):
    with open_runner("duckdb") as runner:
        batch = batch_features(runner, demo_data_dir)
    assert_same_features(stored_features, batch.loc[stored_features.index])
    assert stored_features["BUREAU_LOAN_COUNT"].notna().sum() > SAMPLE / 2


@pytest.mark.spark
def test_stored_clients_score_with_the_features_spark_computes(
    stored_features, demo_data_dir, spark_runner
):
    batch = batch_features(spark_runner, demo_data_dir)
    assert_same_features(stored_features, batch.loc[stored_features.index])
