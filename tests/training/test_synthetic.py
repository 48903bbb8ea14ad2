"""The synthetic generator: real schema, realistic quirks and volumes, a default signal, the
documented drift in application_test, determinism, and clear CLI errors.

Uses the session's `demo_data_dir` (3,000 clients, seed 1) so nothing is generated twice.
"""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import ks_2samp
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tests.helpers import generate_applications
from tests.real_sample import REAL_SAMPLE
from training.schema import TABLES
from training.synthetic import FILES, SHIFTED_COLUMNS, apply_shift, generate
from training.synthetic.applications import make_applications
from training.synthetic.profile import MISSING_RATES

SAMPLE_DIR = REAL_SAMPLE
ROOT = Path(__file__).resolve().parents[2]
N_CLIENTS = 3000  # tests/conftest.py DEMO_CLIENTS


@pytest.fixture(scope="module")
def tables(demo_data_dir):
    """The 8 generated files, read back as plain pandas would."""
    return {name: pd.read_csv(demo_data_dir / f"{name}.csv") for name in FILES}


def test_every_file_has_the_schema_columns_in_order(tables):
    for name in FILES:
        assert list(tables[name].columns) == list(TABLES[name]), name
    assert len(TABLES["application_train"]) == 122
    assert list(TABLES["application_test"]) == [
        c for c in TABLES["application_train"] if c != "TARGET"
    ]


@pytest.mark.skipif(not SAMPLE_DIR.is_dir(), reason="real sample absent")
def test_headers_match_the_real_sample(demo_data_dir):
    for name in FILES:
        real = (SAMPLE_DIR / f"{name}.csv").open().readline()
        ours = (demo_data_dir / f"{name}.csv").open().readline()
        assert ours == real, name


def test_kinds_and_category_levels_follow_the_schema(tables):
    for name in FILES:
        for column, (kind, levels) in TABLES[name].items():
            values = tables[name][column]
            if kind == "int":
                assert values.dtype == np.int64, (name, column)
            elif kind == "float":
                assert values.dtype == np.float64, (name, column)
            else:
                assert set(values.dropna()) <= set(levels), (name, column)


def test_integers_are_written_without_decimals_and_amounts_with(demo_data_dir):
    row = (demo_data_dir / "application_train.csv").open().readlines()[1].split(",")
    header = list(TABLES["application_train"])
    assert row[header.index("DAYS_BIRTH")].lstrip("-").isdigit()
    assert row[header.index("AMT_INCOME_TOTAL")].endswith(".0")
    assert "." not in row[header.index("CNT_CHILDREN")]


def test_ids_train_from_100002_then_test_and_history_ids_unique(tables):
    train_ids = tables["application_train"]["SK_ID_CURR"]
    test_ids = tables["application_test"]["SK_ID_CURR"]
    assert train_ids.tolist() == list(range(100002, 100002 + N_CLIENTS))
    assert test_ids.min() == 100002 + N_CLIENTS
    assert test_ids.is_unique
    assert tables["bureau"]["SK_ID_BUREAU"].is_unique
    assert tables["previous_application"]["SK_ID_PREV"].is_unique
    known = set(train_ids) | set(test_ids)
    for name in ("bureau", "previous_application", "POS_CASH_balance", "credit_card_balance"):
        assert set(tables[name]["SK_ID_CURR"]) <= known, name
    assert set(tables["bureau_balance"]["SK_ID_BUREAU"]) <= set(tables["bureau"]["SK_ID_BUREAU"])
    prev_ids = set(tables["previous_application"]["SK_ID_PREV"])
    for name in ("POS_CASH_balance", "installments_payments", "credit_card_balance"):
        assert set(tables[name]["SK_ID_PREV"]) <= prev_ids, name


def test_test_file_is_about_16_percent_of_train(tables):
    assert len(tables["application_test"]) == round(N_CLIENTS * 48744 / 307511)


@pytest.mark.parametrize(
    ("name", "per_client", "tolerance"),
    [
        ("bureau", 5.6, 0.5),
        ("previous_application", 5.4, 0.5),
        ("POS_CASH_balance", 32.6, 4.0),
        ("installments_payments", 44.2, 5.0),
        ("credit_card_balance", 12.5, 3.0),
    ],
)
def test_child_rows_per_training_client_match_the_real_files(tables, name, per_client, tolerance):
    assert len(tables[name]) / N_CLIENTS == pytest.approx(per_client, abs=tolerance)


def test_bureau_balance_months_per_bureau_credit(tables):
    assert len(tables["bureau_balance"]) / len(tables["bureau"]) == pytest.approx(15.9, abs=2.0)


def test_some_applicants_have_no_history(tables):
    applicants = set(tables["application_train"]["SK_ID_CURR"])
    for name, share in (
        ("bureau", 0.14),
        ("previous_application", 0.05),
        ("credit_card_balance", 0.6),
    ):
        without = len(applicants - set(tables[name]["SK_ID_CURR"])) / len(applicants)
        assert share * 0.6 < without < share * 1.6 + 0.05, name


def test_default_rate_is_about_8_percent(tables):
    assert tables["application_train"]["TARGET"].mean() == pytest.approx(0.08, abs=0.015)


def test_real_quirks_are_reproduced(tables):
    train = tables["application_train"]
    pensioners = train["NAME_INCOME_TYPE"] == "Pensioner"
    assert 0.12 < pensioners.mean() < 0.24
    assert (train.loc[pensioners, "DAYS_EMPLOYED"] == 365243).all()
    assert (train.loc[~pensioners, "DAYS_EMPLOYED"] < 365243).mean() > 0.99
    assert (train.loc[pensioners, "ORGANIZATION_TYPE"] == "XNA").all()
    assert (train[["DAYS_BIRTH", "DAYS_ID_PUBLISH"]] <= 0).all().all()
    assert (tables["bureau_balance"]["MONTHS_BALANCE"] <= 0).all()
    assert set(tables["bureau_balance"]["STATUS"]) == set("012345CX")
    previous = tables["previous_application"]
    assert (previous["DAYS_FIRST_DRAWING"] == 365243).any()
    assert (previous["DAYS_LAST_DUE"] == 365243).any()
    assert (previous["NAME_CASH_LOAN_PURPOSE"] == "XNA").any()
    assert train["EXT_SOURCE_1"].isna().mean() == pytest.approx(0.565, abs=0.04)
    assert train["OCCUPATION_TYPE"].isna().mean() == pytest.approx(0.309, abs=0.04)


def test_missing_rates_match_the_measured_ones(tables):
    for name, rates in MISSING_RATES.items():
        for column in TABLES[name]:
            measured = rates.get(column, 0.0)
            assert tables[name][column].isna().mean() == pytest.approx(measured, abs=0.035), column


def test_code_gender_xna_is_as_rare_as_in_the_real_file(tables):
    assert (tables["application_train"]["CODE_GENDER"] == "XNA").sum() == 1
    ids = np.arange(100_002, 100_002 + 5000)
    ids[:3] = [151_236, 201_236, 401_236]  # every 50,000th client, one per block of 50,000
    frame, _ = make_applications(np.random.default_rng(3), ids)
    assert frame.index[frame["CODE_GENDER"] == "XNA"].tolist() == [0, 1, 2, 1234]


def test_signal_is_spread_over_several_columns_not_one_leak(tables):
    train = tables["application_train"]
    target = train["TARGET"]
    for column in ("EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"):
        present = train[column].notna()
        auc = roc_auc_score(target[present], -train.loc[present, column])
        assert 0.6 < auc < 0.76, column
    late = tables["installments_payments"].eval("DAYS_ENTRY_PAYMENT > DAYS_INSTALMENT")
    late_share = late.groupby(tables["installments_payments"]["SK_ID_CURR"]).mean()
    joined = train.set_index("SK_ID_CURR").join(late_share.rename("late")).dropna(subset=["late"])
    assert 0.55 < roc_auc_score(joined["TARGET"], joined["late"]) < 0.72


def test_a_simple_model_lands_in_the_realistic_auc_band(tables):
    train = tables["application_train"].set_index("SK_ID_CURR")
    instalments = tables["installments_payments"]
    late = instalments.eval("DAYS_ENTRY_PAYMENT > DAYS_INSTALMENT").groupby(
        instalments["SK_ID_CURR"]
    )
    X = train[["EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "DAYS_BIRTH"]].join(
        late.mean().rename("late_share")
    )
    model = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression())
    auc = cross_val_score(model, X, train["TARGET"], cv=5, scoring="roc_auc").mean()
    assert 0.70 < auc < 0.82


def test_shifted_columns_drift_and_others_do_not():
    train, _ = make_applications(np.random.default_rng(11), np.arange(3000))
    test, _ = make_applications(np.random.default_rng(12), np.arange(3000), with_target=False)
    apply_shift(test)
    assert SHIFTED_COLUMNS == ("EXT_SOURCE_3", "AMT_CREDIT", "DAYS_BIRTH")
    for column in SHIFTED_COLUMNS:
        assert ks_2samp(train[column].dropna(), test[column].dropna()).pvalue < 1e-4, column
    for column in ("AMT_INCOME_TOTAL", "EXT_SOURCE_2", "AMT_ANNUITY"):
        assert ks_2samp(train[column].dropna(), test[column].dropna()).pvalue > 0.01, column


def test_shift_direction_in_the_written_test_file(tables):
    train, test = tables["application_train"], tables["application_test"]
    assert test["EXT_SOURCE_3"].mean() < train["EXT_SOURCE_3"].mean() - 0.04
    assert test["AMT_CREDIT"].median() > train["AMT_CREDIT"].median()
    assert test["DAYS_BIRTH"].mean() > train["DAYS_BIRTH"].mean() + 600
    for frame in (train, test):
        employed = frame[frame["DAYS_EMPLOYED"] < 0]
        assert (employed["DAYS_EMPLOYED"] >= employed["DAYS_BIRTH"] + 16 * 365).all()


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path):
    for folder, seed in (("a", 5), ("b", 5), ("c", 6)):
        generate(tmp_path / folder, 400, seed)
    for name in FILES:
        first = (tmp_path / "a" / f"{name}.csv").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.csv").read_bytes(), name
        assert first != (tmp_path / "c" / f"{name}.csv").read_bytes(), name


def test_application_files_do_not_depend_on_the_history_tables(tmp_path, monkeypatch):
    """What lets the drift tests generate only the applications (tests.helpers)."""
    import training.synthetic as synthetic

    monkeypatch.setattr(synthetic, "CHUNK_CLIENTS", 100)  # several blocks from 300 clients
    generate(tmp_path / "all", 300, 11)
    generate_applications(tmp_path / "applications", 300, 11)
    for name in ("application_train", "application_test"):
        full = (tmp_path / "all" / f"{name}.csv").read_bytes()
        assert full == (tmp_path / "applications" / f"{name}.csv").read_bytes(), name
    assert (tmp_path / "applications" / "bureau.csv").stat().st_size < 10  # really left out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--clients", "0"], "argument --clients: must be from 1 to"),
        (["--clients", "abc"], "argument --clients: must be a whole number, got 'abc'"),
        (["--clients", "10", "--seed", "-1"], "argument --seed: must be >= 0, got -1"),
    ],
)
def test_cli_rejects_bad_arguments_with_a_clear_message(tmp_path, arguments, message):
    command = [sys.executable, "-m", "training.synthetic", "--out", str(tmp_path / "x"), *arguments]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "x").exists()


def test_cli_names_an_output_folder_it_cannot_create(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    command = [sys.executable, "-m", "training.synthetic", "--out", str(blocker / "data")]
    command += ["--clients", "10"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"--out: cannot write to {blocker / 'data'}: Not a directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_writes_the_eight_files(tmp_path):
    command = [
        sys.executable,
        "-m",
        "training.synthetic",
        "--out",
        str(tmp_path),
        "--clients",
        "50",
        "--seed",
        "3",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{name}.csv" for name in FILES)


def test_generate_rejects_a_bad_client_count(tmp_path):
    with pytest.raises(ValueError, match="clients: must be a whole number from 1 to"):
        generate(tmp_path, 0, 1)
