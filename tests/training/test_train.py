"""End to end: training -> registry -> champion scoring raw rows; the guards around registration."""

import shutil

import mlflow
import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline as ImbPipeline
from mlflow.tracking import MlflowClient
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression

from training.candidates import Candidate, all_candidates
from training.dataset import load_applications
from training.features import GROUP_LABELS, HISTORY_COLUMNS, PROTECTED_COLUMNS
from training.model import OUTPUT_COLUMN
from training.registry import CHAMPION_ALIAS, MODEL_NAME
from training.search import CVResult
from training.train import LeakageError, choose_winner, main, train


@pytest.fixture
def keep_tracking_uri(trained_model):
    """Tests that train into their own store put the session store back afterwards."""
    yield
    mlflow.set_tracking_uri(trained_model.tracking_uri)
    mlflow.set_registry_uri(trained_model.tracking_uri)


@pytest.fixture(scope="module")
def raw_applications(trained_model):
    """Unseen raw rows: the demo application_test file as the loader reads it."""
    return load_applications(trained_model.data_dir / "application_test.csv").head(50)


def test_champion_from_the_registry_scores_raw_rows(trained_model, raw_applications):
    loaded = mlflow.pyfunc.load_model(trained_model.model_uri)
    scores = loaded.predict(raw_applications)
    assert list(scores.columns) == [OUTPUT_COLUMN]
    assert len(scores) == len(raw_applications)
    assert scores[OUTPUT_COLUMN].between(0, 1).all()
    assert scores[OUTPUT_COLUMN].nunique() > 10


def test_a_single_row_with_a_few_columns_is_scored(trained_model):
    loaded = mlflow.pyfunc.load_model(trained_model.model_uri)
    row = pd.DataFrame(
        [
            {
                "AMT_INCOME_TOTAL": 120000.0,
                "AMT_CREDIT": 500000.0,
                "NAME_CONTRACT_TYPE": "Cash loans",
                "DAYS_BIRTH": -12000,
            }
        ]
    )
    scores = loaded.predict(row)
    assert scores.shape == (1, 1)
    assert 0.0 < scores[OUTPUT_COLUMN].iloc[0] < 1.0
    probability = trained_model.model.predict_proba(row)
    assert probability[0] == pytest.approx(scores[OUTPUT_COLUMN].iloc[0], abs=1e-12)


def test_explanations_add_up_to_the_raw_score(trained_model, raw_applications):
    contributions, base_value, raw_score = trained_model.model.explain(raw_applications)
    assert list(contributions.columns) == list(GROUP_LABELS)
    assert list(contributions.index) == list(raw_applications.index)
    np.testing.assert_allclose(contributions.sum(axis=1) + base_value, raw_score, atol=1e-6)
    np.testing.assert_allclose(
        trained_model.model.calibrator.predict(raw_score),
        trained_model.model.predict_proba(raw_applications),
        atol=1e-12,
    )


def test_champion_scores_and_explains_records_in_one_pass(trained_model, raw_applications):
    model = trained_model.model
    assert model.model_name == "lightgbm_regularised"
    assert model.explanation_method == "lightgbm_pred_contrib"  # the merged fold booster
    records = [
        {k: v for k, v in row.items() if pd.notna(v)} for row in raw_applications.to_dict("records")
    ]
    grouped, base, raw, probability = model.score(records)
    assert grouped.shape == (len(records), len(GROUP_LABELS))
    np.testing.assert_allclose(probability, model.predict_proba(raw_applications), atol=1e-9)
    np.testing.assert_allclose(raw, model.raw_score(raw_applications), atol=1e-6)
    np.testing.assert_allclose(grouped.sum(axis=1) + base, raw, atol=1e-9)


def test_registry_holds_no_identifier_or_protected_column(trained_model, tmp_path):
    from mlflow.models import Model

    path = mlflow.artifacts.download_artifacts(trained_model.model_uri, dst_path=str(tmp_path))
    example = Model.load(path).load_input_example(path)
    assert len(example) == 2 and "AMT_CREDIT" in example.columns
    assert not {"SK_ID_CURR", "TARGET", *PROTECTED_COLUMNS} & set(example.columns)


def test_model_carries_threshold_report_and_drift_reference(trained_model):
    model = trained_model.model
    assert 0.0 < model.threshold < 1.0
    version = MlflowClient().get_model_version_by_alias(MODEL_NAME, CHAMPION_ALIAS)
    assert float(version.tags["threshold"]) == pytest.approx(model.threshold, abs=1e-6)
    assert model.report["run_id"] == trained_model.result.run_id
    assert model.report["threshold"] == model.threshold
    assert {r["attribute"] for r in model.report["fairness"]} == {
        "CODE_GENDER",
        "age_band",
        "NAME_FAMILY_STATUS",
    }
    assert len(model.report["global_importance"]) == len(GROUP_LABELS)
    assert set(model.metrics) >= {"auc", "business_cost", "recall", "specificity", "brier"}
    assert set(model.metrics) >= {"ece", "log_loss", "calibration_slope", "calibration_intercept"}
    assert len(model.reference) <= 5000
    assert {OUTPUT_COLUMN, "AMT_CREDIT", *HISTORY_COLUMNS} <= set(model.reference.columns)
    # no personal data the drift does not need: no label, no identifier, no protected column
    assert not {"TARGET", "SK_ID_CURR", *PROTECTED_COLUMNS} & set(model.reference.columns)


def test_run_logs_candidates_plots_and_leakage_report(trained_model):
    client = MlflowClient()
    run = client.get_run(trained_model.result.run_id)
    children = client.search_runs(
        [run.info.experiment_id], f"tags.mlflow.parentRunId = '{run.info.run_id}'"
    )
    assert {child.data.tags["candidate"] for child in children} == {
        "dummy_prior",
        "logreg_class_weight",
        "lightgbm_regularised",
    }
    assert all("cv_business_cost" in child.data.metrics for child in children)
    assert all({"cv_auc", "cv_auc_sd", "cv_log_loss"} <= set(c.data.metrics) for c in children)
    artifacts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"leakage_report.json", "model_card.md", "report.json", "plots"} <= artifacts
    plots = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
    assert {
        "plots/roc.png",
        "plots/cost_vs_threshold.png",
        "plots/confusion_matrix.png",
        "plots/calibration.png",
        "plots/shap_summary.png",
    } <= plots


def _leaky_copy(source, target):
    shutil.copytree(source, target)
    applications = pd.read_csv(target / "application_train.csv")
    applications["EXT_SOURCE_2"] = applications["TARGET"].astype(float)
    applications.to_csv(target / "application_train.csv", index=False)
    return target


@pytest.mark.slow
def test_guard_refuses_to_register_a_leaky_model(trained_model, tmp_path, keep_tracking_uri):
    data_dir = _leaky_copy(trained_model.data_dir, tmp_path / "leaky")
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    linear_only = [c for c in all_candidates() if c.name == "logreg_class_weight"]
    with pytest.raises(LeakageError, match="leaks the outcome"):
        train(data_dir, quick=True, uri=uri, candidates=linear_only)
    client = MlflowClient(uri)
    assert client.search_registered_models() == []
    run = client.search_runs(
        [client.get_experiment_by_name(MODEL_NAME).experiment_id],
        "tags.registration LIKE 'refused%'",
    )[0]
    report = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/leakage_report.json")
    assert report["suspicious"]["EXT_SOURCE_2"] == 1.0


def _weak_candidate():
    """Logistic regression on one uninformative column: clearly worse than the champion."""

    def make_pipeline(seed):
        preprocess = ColumnTransformer(
            [("numeric", SimpleImputer(keep_empty_features=True), ["HOUR_APPR_PROCESS_START"])],
            verbose_feature_names_out=False,
        )
        return ImbPipeline([("preprocess", preprocess), ("classifier", LogisticRegression())])

    return Candidate("weak_logreg_one_column", make_pipeline)


@pytest.mark.slow
def test_a_worse_model_does_not_take_the_champion_alias(trained_model, tmp_path, keep_tracking_uri):
    store = tmp_path / "store"
    shutil.copytree(trained_model.tracking_uri.removeprefix("sqlite:///").rsplit("/", 1)[0], store)
    uri = f"sqlite:///{store / 'mlflow.db'}"
    result = train(trained_model.data_dir, quick=True, uri=uri, candidates=[_weak_candidate()])
    client = MlflowClient(uri)
    assert result.promoted is False
    assert result.comparison["champion_cost"] < result.comparison["new_cost"]
    champion = client.get_model_version_by_alias(MODEL_NAME, CHAMPION_ALIAS)
    assert str(champion.version) == trained_model.result.model_version
    assert client.get_model_version(MODEL_NAME, result.model_version).tags["promoted"] == "false"


def test_cli_names_the_missing_data_folder(tmp_path, caplog):
    assert main(["--data", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in caplog.text


@pytest.mark.parametrize(
    "name",
    [
        "logreg_class_weight",
        "woe_scorecard",
        "hist_gradient_boosting_class_weight",
        "lightgbm_smotenc",
    ],
)
def test_every_kind_of_champion_explains_additively_after_pickling(trained_model, name):
    import pickle

    from training.candidates import scoring_pipeline
    from training.explain import ContributionExplainer, raw_score
    from training.features import group_of

    X = trained_model.model.features(
        load_applications(trained_model.data_dir / "application_train.csv").head(400)
    )
    y = np.arange(len(X)) % 7 == 0  # any labels will do: additivity holds for every fit
    candidate = next(c for c in all_candidates() if c.name == name)
    pipeline = scoring_pipeline(candidate.make_pipeline(0).fit(X, y))
    explainer = ContributionExplainer(group_of, list(GROUP_LABELS)).fit(pipeline, X)
    explainer = pickle.loads(pickle.dumps(explainer))
    values, base_value = explainer.group_contributions(X.head(20))
    np.testing.assert_allclose(
        values.sum(axis=1) + base_value, raw_score(explainer.pipeline_, X.head(20)), atol=1e-6
    )


def test_search_scores_random_draws_and_keeps_the_best(trained_model):
    from training.search import repeated_folds, search

    applications = load_applications(trained_model.data_dir / "application_train.csv")
    X = trained_model.model.features(applications.head(600))
    y = applications["TARGET"].head(600).to_numpy()
    folds = repeated_folds(y, repeats=2, splits=2, random_state=0)
    candidate = next(c for c in all_candidates() if c.name == "logreg_undersampling")
    result = search(candidate, X, y, folds, n_iter=3, random_state=0)
    assert len(result.trials) == 3
    assert result.trials[0]["params"] == {}
    assert set(result.trials[1]["params"]) == set(candidate.param_distributions)
    assert result.cv_auc == pytest.approx(max(draw["cv_auc"] for draw in result.trials))
    assert len(result.fold_aucs) == 4  # 2 repeats x 2 folds, every one scored
    assert result.oof_raw.shape == (2, len(y))


def _result(name, fold_aucs, synthetic_rows=False, baseline=False):
    candidate = Candidate(name, None, baseline=baseline, synthetic_rows=synthetic_rows)
    return CVResult(candidate, {}, fold_aucs, [], np.zeros((1, 1)), 0.0)


def test_smotenc_wins_only_when_better_beyond_the_standard_error():
    # 4 folds, sd 0.016: standard error 0.008
    smotenc = _result("lightgbm_smotenc", [0.74, 0.76, 0.78, 0.76], synthetic_rows=True)
    weights = _result("lightgbm_regularised", [0.752, 0.752, 0.752, 0.752])
    dummy = _result("dummy_prior", [0.9] * 4, baseline=True)
    assert choose_winner([smotenc, weights, dummy]).candidate.name == "lightgbm_regularised"

    clearly_better = _result("lightgbm_smotenc", [0.77, 0.79, 0.81, 0.79], synthetic_rows=True)
    assert choose_winner([clearly_better, weights]).candidate.name == "lightgbm_smotenc"


def test_the_tolerance_is_the_standard_error_not_the_fold_spread():
    # 0.015 behind: within one fold standard deviation (0.016), beyond one standard error (0.008)
    smotenc = _result("lightgbm_smotenc", [0.74, 0.76, 0.78, 0.76], synthetic_rows=True)
    behind = _result("lightgbm_regularised", [0.745] * 4)
    assert choose_winner([smotenc, behind]).candidate.name == "lightgbm_smotenc"


def test_among_real_row_models_the_best_auc_wins():
    a = _result("logreg_class_weight", [0.70, 0.72])
    b = _result("lightgbm_regularised", [0.75, 0.76])
    assert choose_winner([a, b]).candidate.name == "lightgbm_regularised"


def test_setup_points_mlflow_at_the_store_without_leaking_it_into_the_environment(
    tmp_path, monkeypatch, keep_tracking_uri
):
    import os

    from training import registry

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    registry.setup(uri)
    assert mlflow.get_tracking_uri() == uri and mlflow.get_registry_uri() == uri
    # a later app or subprocess of this process must not inherit the training store
    assert "MLFLOW_TRACKING_URI" not in os.environ and "MLFLOW_REGISTRY_URI" not in os.environ
