"""Cross-validated evaluation of every candidate on the same repeated stratified folds.

Every candidate is scored by the ROC AUC of each validation fold (a proper ranking score; the
business cost is a step function of ~430 defaults and moves in jumps), reported as mean ± sd.
LightGBM gets its tree count from early stopping on the mean validation AUC of a repeat's folds
(``lightgbm.cv``), and in the full run an Optuna search of its regularisation, pruned after each
repeat and stopped by a time budget. The out-of-fold raw scores of every repeat are kept: the
calibrator and the threshold of the chosen model are fitted on them.
"""

import logging
import time
from dataclasses import dataclass, field

import lightgbm as lgb
import numpy as np
from sklearn.base import clone
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.model_selection import ParameterSampler, StratifiedKFold

from training.candidates import BoosterCandidate, scoring_pipeline
from training.evaluate import best_threshold
from training.explain import raw_score

logger = logging.getLogger(__name__)

EARLY_STOPPING_ROUNDS = 100
MAX_ROUNDS = 3000


def repeated_folds(y, repeats, splits, random_state):
    """``repeats`` lists of ``splits`` stratified ``(train, valid)`` index pairs, one seed each."""
    return [
        list(StratifiedKFold(splits, shuffle=True, random_state=random_state + r).split(y, y))
        for r in range(repeats)
    ]


@dataclass
class CVResult:
    """One candidate's evidence: per-fold scores, out-of-fold raw scores, and what was tried."""

    candidate: object
    params: dict
    fold_aucs: list
    fold_log_losses: list
    oof_raw: np.ndarray  # (repeats, rows): every repeat's out-of-fold raw scores
    seconds: float
    trials: list = field(default_factory=list)
    best_iterations: list = field(default_factory=list)
    boosters: list = field(default_factory=list)  # the first repeat's fold models (LightGBM)
    cv_cost: float = float("nan")

    @property
    def cv_auc(self):
        return float(np.mean(self.fold_aucs))

    @property
    def cv_auc_sd(self):
        return float(np.std(self.fold_aucs, ddof=1)) if len(self.fold_aucs) > 1 else 0.0

    @property
    def cv_auc_se(self):
        """Standard error of the mean fold AUC (folds treated as independent: a lower bound)."""
        return self.cv_auc_sd / np.sqrt(len(self.fold_aucs))


def _fold_scores(y, oof, folds):
    aucs, losses = [], []
    for repeat, pairs in enumerate(folds):
        for _, valid in pairs:
            probability = 1.0 / (1.0 + np.exp(-oof[repeat, valid]))
            aucs.append(float(roc_auc_score(y[valid], oof[repeat, valid])))
            losses.append(float(log_loss(y[valid], probability, labels=[0, 1])))
    return aucs, losses


def _with_cost(result, y):
    """The business cost of the averaged out-of-fold scores at their best threshold."""
    result.cv_cost = best_threshold(y, result.oof_raw.mean(axis=0))[1]
    return result


def cross_validated_raw(pipeline, X, y, folds):
    """Out-of-fold raw scores of ``pipeline`` for every repeat: shape ``(repeats, rows)``."""
    oof = np.zeros((len(folds), len(y)))
    for repeat, pairs in enumerate(folds):
        for train_index, valid_index in pairs:
            fitted = clone(pipeline).fit(X.iloc[train_index], y[train_index])
            oof[repeat, valid_index] = raw_score(scoring_pipeline(fitted), X.iloc[valid_index])
    return oof


def search(candidate, X, y, folds, n_iter, random_state):
    """A scikit-learn candidate: its hand-set parameters, then ``n_iter - 1`` random draws;
    the draw with the best mean fold AUC is kept."""
    started = time.perf_counter()
    draws = [{}]
    if candidate.param_distributions and n_iter > 1:
        sampler = ParameterSampler(
            candidate.param_distributions, n_iter=n_iter - 1, random_state=random_state
        )
        draws += [dict(draw) for draw in sampler]
    best, history = None, []
    for params in draws:
        pipeline = candidate.make_pipeline(random_state).set_params(**params)
        oof = cross_validated_raw(pipeline, X, y, folds)
        aucs, losses = _fold_scores(y, oof, folds)
        history.append({"params": _plain(params), "cv_auc": float(np.mean(aucs))})
        if best is None or np.mean(aucs) > np.mean(best[1]):
            best = (params, aucs, losses, oof)
    params, aucs, losses, oof = best
    seconds = time.perf_counter() - started
    return _with_cost(CVResult(candidate, _plain(params), aucs, losses, oof, seconds, history), y)


def evaluate(candidate, designs, y, folds, settings, random_state):
    """Cross-validate one candidate of either kind on its design matrix."""
    if isinstance(candidate, BoosterCandidate):
        return evaluate_booster(
            candidate, designs[candidate.design], y, folds, settings, random_state
        )
    n_iter = settings.n_iter if candidate.param_distributions else 1
    return search(candidate, designs["frame"], y, folds, n_iter, random_state)


def booster_params(candidate, params, random_state):
    """LightGBM's training parameters for a candidate's tree parameters."""
    return {
        "objective": "binary",
        "metric": "auc",
        "learning_rate": candidate.learning_rate,
        "bagging_freq": 1,
        "num_threads": 2,
        "seed": random_state,
        "verbose": -1,
        "feature_pre_filter": False,
        **params,
    }


def booster_cv(candidate, params, dataset, y, folds, random_state, report=None):
    """Train every repeat's fold models: ``(fold AUCs, log-losses, OOF raw, best iterations,
    first repeat's boosters)``. ``report(step, mean AUC so far)`` may raise to prune."""
    full = booster_params(candidate, params, random_state)
    oof, iterations, first = np.zeros((len(folds), len(y))), [], []
    for repeat, pairs in enumerate(folds):
        callbacks = (
            [] if candidate.rounds else [lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False)]
        )
        result = lgb.cv(
            full,
            dataset,
            num_boost_round=candidate.rounds or MAX_ROUNDS,
            folds=pairs,
            callbacks=callbacks,
            return_cvbooster=True,
        )
        boosters = result["cvbooster"]
        best = candidate.rounds or boosters.best_iteration
        iterations.append(int(best))
        for booster, (_, valid) in zip(boosters.boosters, pairs, strict=True):
            oof[repeat, valid] = booster.predict(
                dataset.get_data()[valid], num_iteration=best, raw_score=True
            )
        if repeat == 0:
            first = list(boosters.boosters)
        if report is not None:
            report(
                repeat, float(np.mean(_fold_scores(y, oof[: repeat + 1], folds[: repeat + 1])[0]))
            )
    aucs, losses = _fold_scores(y, oof, folds)
    return aucs, losses, oof, iterations, first


def evaluate_booster(candidate, matrix, y, folds, settings, random_state):
    """The candidate's found parameters; in the full run, an Optuna search started from them."""
    from training.features import CATEGORY_POSITIONS, RAW_CATEGORY_POSITIONS

    started = time.perf_counter()
    categories = CATEGORY_POSITIONS if candidate.design == "engineered" else RAW_CATEGORY_POSITIONS
    dataset = lgb.Dataset(
        matrix,
        y,
        categorical_feature=categories,
        free_raw_data=False,
        params={"feature_pre_filter": False, "verbose": -1},  # the search varies leaf sizes
    )
    dataset.construct()
    if candidate.space is not None and settings.budget_minutes > 0:
        params, outcome, trials = _optuna_search(
            candidate, dataset, y, folds, settings, random_state
        )
    else:
        params, trials = dict(candidate.params), []
        outcome = booster_cv(candidate, params, dataset, y, folds, random_state)
    aucs, losses, oof, iterations, boosters = outcome
    seconds = time.perf_counter() - started
    result = CVResult(
        candidate, _plain(params), aucs, losses, oof, seconds, trials, iterations, boosters
    )
    return _with_cost(result, y)


def _optuna_search(candidate, dataset, y, folds, settings, random_state):
    """Optuna TPE within the time budget; trials pruned after a repeat below the median."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.TPESampler(seed=random_state, n_startup_trials=6),
        pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=0),
    )
    study.enqueue_trial(dict(candidate.params))  # never worse than the found settings
    outcomes = {}

    def objective(trial):
        params = candidate.space(trial)

        def report(step, value):
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()

        outcome = booster_cv(candidate, params, dataset, y, folds, random_state, report)
        outcomes[trial.number] = outcome
        for number in list(outcomes):  # keep only the best trial's models in memory
            if number != trial.number and number != _best_number(study, trial.number, outcome):
                outcomes.pop(number)
        return float(np.mean(outcome[0]))

    study.optimize(objective, timeout=settings.budget_minutes * 60, n_trials=settings.max_trials)
    best = study.best_trial
    trials = [
        {"number": t.number, "state": t.state.name, "params": t.params, "cv_auc": t.value}
        for t in study.trials
    ]
    logger.info("%s: %d Optuna trials, best CV AUC %.4f", candidate.name, len(trials), best.value)
    return best.params, outcomes[best.number], trials


def _best_number(study, current, outcome):
    """The number of the best completed trial, counting the one that just finished."""
    completed = [t for t in study.trials if t.value is not None]
    if not completed or np.mean(outcome[0]) > max(t.value for t in completed):
        return current
    return max(completed, key=lambda t: t.value).number


def _plain(params):
    """Parameters as plain Python numbers (for MLflow and JSON)."""
    return {key: value.item() if hasattr(value, "item") else value for key, value in params.items()}
