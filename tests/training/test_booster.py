"""The fast scoring path: merged fold boosters, closed-form calibrator, Optuna search."""

import pickle

import lightgbm as lgb
import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression

from training.booster import BoosterScorer, merge_boosters
from training.candidates import FOUND_LIGHTGBM_PARAMS, regularised_lightgbm
from training.features import CATEGORY_POSITIONS, FEATURE_NAMES, feature_matrix
from training.model import ScoreCalibrator
from training.search import evaluate_booster, repeated_folds
from training.train import QUICK, Settings


def _data(rows=1500, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, 6))
    X[:, 5] = rng.integers(0, 5, rows)  # a category code
    X[rng.random(rows) < 0.2, 1] = np.nan
    logit = X[:, 0] - 0.5 * np.nan_to_num(X[:, 1]) + (X[:, 5] == 3) - 2
    y = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def _fold_boosters(X, y, count=3):
    params = {"objective": "binary", "verbose": -1, "num_leaves": 6, "bagging_fraction": 0.8}
    return [
        lgb.train(
            {**params, "bagging_freq": 1, "seed": seed},
            lgb.Dataset(X[seed::count], y[seed::count], categorical_feature=[5]),
            num_boost_round=60,
        )
        for seed in range(count)
    ]


def test_merged_booster_scores_the_mean_of_the_fold_models_and_explains_it():
    X, y = _data()
    boosters = _fold_boosters(X, y)
    merged = merge_boosters(boosters, num_iteration=40)
    expected = np.mean([b.predict(X, raw_score=True, num_iteration=40) for b in boosters], axis=0)
    assert merged.num_trees() == 3 * 40
    np.testing.assert_allclose(merged.predict(X, raw_score=True), expected, atol=1e-12)
    scorer = pickle.loads(pickle.dumps(BoosterScorer(merged, list("abcdef"))))
    values, base = scorer.contributions(X.astype(np.float32))
    np.testing.assert_allclose(
        values.sum(axis=1) + base, scorer.raw_score(X.astype(np.float32)), atol=1e-9
    )
    assert np.abs(values[:, 0]).mean() > np.abs(values[:, 2]).mean()  # X0 drives y, X2 is noise


def test_scorer_refuses_a_matrix_of_the_wrong_width():
    X, y = _data(300)
    scorer = BoosterScorer(merge_boosters(_fold_boosters(X, y, 1)), list("abcdef"))
    with pytest.raises(ValueError, match="expected rows of 6 features, got shape"):
        scorer.raw_score(X[:, :5])


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibrator_is_a_closed_form_equal_to_scikit_learn(method):
    rng = np.random.default_rng(1)
    raw = rng.normal(-2, 1, 3000)
    y = (rng.random(3000) < 1 / (1 + np.exp(-(0.8 * raw + 0.3)))).astype(int)
    calibrator = pickle.loads(pickle.dumps(ScoreCalibrator(method).fit(raw, y)))
    grid = np.linspace(-8, 4, 500)
    if method == "sigmoid":
        expected = LogisticRegression(C=1e6, max_iter=1000).fit(raw.reshape(-1, 1), y)
        expected = expected.predict_proba(grid.reshape(-1, 1))[:, 1]
    else:
        isotonic = IsotonicRegression(y_min=0, y_max=1, out_of_bounds="clip").fit(raw, y)
        expected = isotonic.predict(grid)
    np.testing.assert_allclose(calibrator.predict(grid), expected, atol=1e-9)
    assert np.all(np.diff(calibrator.predict(grid)) >= 0)


def test_unknown_calibration_method_is_a_clear_error():
    with pytest.raises(ValueError, match="method must be 'sigmoid' or 'isotonic'"):
        ScoreCalibrator("magic").fit([0.0, 1.0], [0, 1])


@pytest.fixture(scope="module")
def engineered(trained_model):
    from training.dataset import load_applications

    applications = load_applications(trained_model.data_dir / "application_train.csv").head(1200)
    return feature_matrix(applications), applications["TARGET"].to_numpy()


def test_found_settings_use_early_stopping_and_keep_the_first_repeats_fold_models(engineered):
    matrix, y = engineered
    folds = repeated_folds(y, repeats=2, splits=3, random_state=0)
    result = evaluate_booster(regularised_lightgbm(), matrix, y, folds, QUICK, random_state=0)
    assert result.params == FOUND_LIGHTGBM_PARAMS and result.trials == []
    assert len(result.fold_aucs) == 6 and len(result.boosters) == 3
    assert len(result.best_iterations) == 2 and all(i >= 1 for i in result.best_iterations)
    first = result.boosters[0].predict(
        matrix[folds[0][0][1]], num_iteration=result.best_iterations[0], raw_score=True
    )
    np.testing.assert_allclose(result.oof_raw[0, folds[0][0][1]], first)
    assert 0.5 < result.cv_auc < 1.0
    assert CATEGORY_POSITIONS[0] == len(FEATURE_NAMES) - len(CATEGORY_POSITIONS)


def test_optuna_search_starts_from_the_found_settings_and_keeps_the_best_trial(engineered):
    matrix, y = engineered
    folds = repeated_folds(y, repeats=2, splits=3, random_state=0)
    settings = Settings(repeats=2, folds=3, n_iter=1, budget_minutes=5.0, max_trials=4)
    result = evaluate_booster(regularised_lightgbm(), matrix, y, folds, settings, random_state=0)
    assert len(result.trials) == 4
    assert result.trials[0]["params"] == FOUND_LIGHTGBM_PARAMS
    completed = [t for t in result.trials if t["state"] == "COMPLETE"]
    assert result.cv_auc == pytest.approx(max(t["cv_auc"] for t in completed))
    assert result.params == next(t for t in completed if t["cv_auc"] == result.cv_auc)["params"]
    assert len(result.boosters) == 3 and result.oof_raw.shape == (2, len(y))
