"""The fast scoring path: the fold models of the search merged into one LightGBM booster.

The champion is the average of the LightGBM models of its cross-validation folds, the very models
whose out-of-fold scores fitted the calibrator. Their trees are merged into one booster with every
leaf value divided by the number of models, so that one booster call gives the average raw
score, and ``pred_contrib`` (TreeSHAP, linear in the trees) gives contributions that add up to
it. The booster reads ``training.features.feature_matrix`` (float32 numbers, category levels as
fixed codes), so scoring needs neither pandas nor scikit-learn's per-call input checks.
"""

import re

import lightgbm as lgb
import numpy as np

_TREE = re.compile(r"^Tree=\d+$", re.MULTILINE)
# TreeSHAP costs ~2 µs per tree and row: a large batch is split over two threads (the machine
# has two cores); a single application stays on one, where a thread pool only adds latency.
PARALLEL_ROWS = 256
_SCALED = ("leaf_value=", "internal_value=")


def merge_boosters(boosters, num_iteration=None):
    """One booster whose raw score is the mean of the raw scores of ``boosters``."""
    if not boosters:
        raise ValueError("merge_boosters needs at least one booster")
    texts = [booster.model_to_string(num_iteration=num_iteration) for booster in boosters]
    header, _, footer = _split(texts[0])
    trees = [tree for text in texts for tree in _split(text)[1]]
    scale = 1.0 / len(boosters)
    merged = [_scaled_tree(tree, index, scale) for index, tree in enumerate(trees)]
    header = "\n".join(line for line in header.splitlines() if not line.startswith("tree_sizes="))
    text = header + "\n\n" + "".join(merged) + footer
    return lgb.Booster(model_str=text)


def _split(text):
    """``(header, tree blocks, footer)`` of a LightGBM model string."""
    body_start = _TREE.search(text).start()
    footer_start = text.index("end of trees")
    blocks = _TREE.split(text[body_start:footer_start])[1:]
    return text[:body_start].rstrip("\n"), blocks, text[footer_start:]


def _scaled_tree(block, index, scale):
    lines = []
    for line in block.splitlines():
        if line.startswith(_SCALED):
            key, values = line.split("=", 1)
            line = f"{key}=" + " ".join(repr(float(v) * scale) for v in values.split())
        lines.append(line)
    return f"Tree={index}" + "\n".join(lines) + "\n"


class BoosterScorer:
    """Raw scores and exact per-feature contributions from one merged LightGBM booster.

    Pickles as its model string (LightGBM boosters do), so it travels inside the registered
    model. ``n_features`` is checked at every call: a matrix of the wrong width is a bug.
    """

    method = "lightgbm_pred_contrib"

    def __init__(self, booster, feature_names):
        self.booster = booster
        self.feature_names = list(feature_names)
        self.sources = self.feature_names  # one contribution column per feature

    def prepare(self, rows):
        """The booster's input for raw rows (DataFrame or list of dicts)."""
        from training.features import feature_matrix

        return feature_matrix(rows)

    def raw_score(self, matrix):
        """Log-odds of default for rows of ``feature_matrix``."""
        self._check(matrix)
        return self.booster.predict(matrix, raw_score=True, num_threads=1, validate_features=False)

    def contributions(self, matrix):
        """``(contributions per feature, base value)``; each row sums (+ base) to its raw score."""
        self._check(matrix)
        threads = 2 if len(matrix) >= PARALLEL_ROWS else 1
        values = self.booster.predict(
            matrix, pred_contrib=True, num_threads=threads, validate_features=False
        )
        values = np.asarray(values, dtype=float)
        return values[:, :-1], float(values[0, -1]) if len(values) else 0.0

    def _check(self, matrix):
        if matrix.ndim != 2 or matrix.shape[1] != len(self.feature_names):
            raise ValueError(
                f"expected rows of {len(self.feature_names)} features, got shape {matrix.shape}"
            )
