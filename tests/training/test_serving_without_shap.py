"""Serving needs no shap: a training-only package (requirements-train.txt), not in the slug."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_champion_loads_scores_and_explains_with_shap_unimportable(trained_model):
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["shap"] = None  # any `import shap` now raises ImportError
        import mlflow
        import pandas as pd
        mlflow.set_tracking_uri({trained_model.tracking_uri!r})
        model = mlflow.pyfunc.load_model({trained_model.model_uri!r})
        rows = pd.read_csv({str(trained_model.data_dir / "application_test.csv")!r}).head(5)
        print(model.predict(rows)["probability_of_default"].between(0, 1).all())
        grouped, base, raw, probability = model.unwrap_python_model().score(
            rows.to_dict("records")
        )
        print(abs(grouped.sum(axis=1) + base - raw).max() < 1e-9)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "True"]
    assert "shap" not in (ROOT / "requirements.txt").read_text()
