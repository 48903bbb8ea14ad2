"""Synthetic generator benchmark: wall time, peak memory and rows written for a few sizes.

    .venv/bin/python benchmarks/bench_synthetic.py [--clients 3000 20000 60000] [--seed 42]
    .venv/bin/python benchmarks/bench_synthetic.py --quality 60000 --seed 7

Each size runs `python -m training.synthetic` in its own process (so peak memory is that run's
alone, read with /usr/bin/time-like getrusage of the child) into a temporary folder. Prints a
Markdown table for docs/benchmarks.md. Time and memory should grow linearly with the clients
(memory stays flat past one block of training.synthetic.CHUNK_CLIENTS clients).

--quality N checks the default signal instead: default rate, the strongest single columns
(AUC, direction-free) and a LightGBM AUC on a 70/30 split, with and without simple history
aggregates (late-instalment share, refusals, overdues ...).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def count_rows(folder):
    """Data rows (header excluded) of every CSV in `folder`."""
    total = 0
    for path in folder.glob("*.csv"):
        with path.open("rb") as handle:
            total += (
                sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1
            )
    return total


def run_once(clients, seed):
    """(wall s, CPU s, peak MiB, rows, MiB on disk) of one generation in a fresh process."""
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "training.synthetic", "--out", out]
        command += ["--clients", str(clients), "--seed", str(seed)]
        start = time.perf_counter()
        child = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"generation of {clients} clients failed (status {status})")
        size = sum(p.stat().st_size for p in Path(out).glob("*.csv")) / 2**20
        cpu = usage.ru_utime + usage.ru_stime
        return seconds, cpu, usage.ru_maxrss / 1024, count_rows(Path(out)), size


LGBM_PARAMS = {
    "n_estimators": 400,
    "learning_rate": 0.03,
    "num_leaves": 15,
    "min_child_samples": 50,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.5,
    "verbose": -1,
}


def history_signals(folder):
    """Per-client history aggregates a real model would use (index SK_ID_CURR)."""
    import pandas as pd

    def read(name):
        return pd.read_csv(folder / f"{name}.csv")

    bureau, balance, previous = read("bureau"), read("bureau_balance"), read("previous_application")
    instalments, cards = read("installments_payments"), read("credit_card_balance")
    bad_months = balance["STATUS"].isin(list("12345")).groupby(balance["SK_ID_BUREAU"]).mean()
    bureau["bad_months"] = bureau["SK_ID_BUREAU"].map(bad_months)
    late = instalments["DAYS_ENTRY_PAYMENT"] > instalments["DAYS_INSTALMENT"]
    short = instalments["AMT_PAYMENT"] < instalments["AMT_INSTALMENT"]
    usage = cards["AMT_BALANCE"] / cards["AMT_CREDIT_LIMIT_ACTUAL"]
    refused = previous["NAME_CONTRACT_STATUS"] == "Refused"
    return pd.DataFrame(
        {
            "bureau_overdue": (bureau["AMT_CREDIT_MAX_OVERDUE"] > 0)
            .groupby(bureau["SK_ID_CURR"])
            .mean(),
            "bureau_bad_months": bureau.groupby("SK_ID_CURR")["bad_months"].mean(),
            "refused_share": refused.groupby(previous["SK_ID_CURR"]).mean(),
            "late_share": late.groupby(instalments["SK_ID_CURR"]).mean(),
            "short_share": short.groupby(instalments["SK_ID_CURR"]).mean(),
            "card_usage": usage.groupby(cards["SK_ID_CURR"]).mean(),
        }
    )


def single_column_auc(X, y):
    """Direction-free AUC of every numeric column on its non-missing rows, best first."""
    from sklearn.metrics import roc_auc_score

    scores = {}
    for column in X.select_dtypes("number"):
        present = X[column].notna().to_numpy()
        if present.sum() > 100 and X[column][present].nunique() > 1:
            auc = roc_auc_score(y[present], X[column][present])
            scores[column] = max(auc, 1 - auc)
    return sorted(scores.items(), key=lambda item: -item[1])


def quality(clients, seed):
    """Print the default signal's strength on `clients` generated clients."""
    import lightgbm as lgb
    import pandas as pd
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split

    from training.synthetic import generate

    with tempfile.TemporaryDirectory() as out:
        generate(out, clients, seed)
        train = pd.read_csv(Path(out) / "application_train.csv", index_col="SK_ID_CURR")
        history = history_signals(Path(out))
    y = train.pop("TARGET").to_numpy()
    X = train.astype({c: "category" for c in train.select_dtypes("object")}).join(history)
    print(f"clients {clients:,}, seed {seed}: default rate {y.mean():.4f}")
    top = ", ".join(f"{name} {auc:.3f}" for name, auc in single_column_auc(X, y)[:8])
    print(f"strongest single columns (AUC): {top}")
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, random_state=0, stratify=y
    )
    model = lgb.LGBMClassifier(**LGBM_PARAMS)
    for label, columns in (("with history", X.columns), ("application only", train.columns)):
        model.fit(X_train[columns], y_train)
        auc = roc_auc_score(y_test, model.predict_proba(X_test[columns])[:, 1])
        print(f"LightGBM AUC {label}: {auc:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[3000, 20000, 60000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quality", type=int, metavar="N", help="check the signal on N clients")
    args = parser.parse_args()
    if args.quality:
        quality(args.quality, args.seed)
        return
    print("| clients | wall s | CPU s | peak RSS MiB | rows (8 files) | CSV MiB | CPU µs/row |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for clients in args.clients:
        wall, cpu, peak, rows, size = run_once(clients, args.seed)
        per_row = cpu / rows * 1e6
        print(
            f"| {clients:,} | {wall:.1f} | {cpu:.1f} | {peak:.0f} | {rows:,} | {size:.0f} "
            f"| {per_row:.2f} |"
        )


if __name__ == "__main__":
    main()
