"""The flask commands of app/cli.py: `api-keys create|revoke`, `clients load|score`."""

import sqlalchemy as sa

from app.auth.api_keys import hash_key
from app.models import ApiKey, Client


def test_api_key_create_prints_key_last_and_stores_only_its_hash(runner, db):
    result = runner.invoke(args=["api-keys", "create", "origination"])
    assert result.exit_code == 0
    key = result.output.strip().splitlines()[-1]
    assert len(key) >= 40
    stored = db.session.scalars(sa.select(ApiKey).where(ApiKey.name == "origination")).one()
    assert stored.key_hash == hash_key(key) and key not in stored.key_hash


def test_revoking_an_unknown_key_fails_cleanly(runner):
    result = runner.invoke(args=["api-keys", "revoke", "nobody"])
    assert result.exit_code == 1
    assert "No active API key named 'nobody'" in result.output


def test_clients_load_is_idempotent(runner, db, demo_data_dir):
    counts = db.session.execute(
        sa.select(Client.is_training, sa.func.count()).group_by(Client.is_training)
    ).all()
    n_test, n_train = dict(counts)[False], dict(counts)[True]
    result = runner.invoke(args=["clients", "load", str(demo_data_dir)])
    assert result.exit_code == 0, result.output
    assert f"application_test: 0 inserted, {n_test} updated" in result.output
    assert f"application_train: 0 inserted, {n_train} updated" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == n_test + n_train
    training_row = db.session.scalars(sa.select(Client).where(Client.is_training)).first()
    assert training_row.target in (0, 1) and "TARGET" not in training_row.application


def test_clients_load_bad_directory_exits_1_with_the_data_error(runner, tmp_path):
    (tmp_path / "application_train.csv").write_text("SK_ID_CURR,TARGET\n1,0\n")
    result = runner.invoke(args=["clients", "load", str(tmp_path)])
    assert result.exit_code == 1
    assert "application_train.csv: required column" in result.output
    assert "Traceback" not in result.output
    missing = runner.invoke(args=["clients", "load", str(tmp_path / "absent")])
    assert missing.exit_code == 1 and "data directory not found" in missing.output


def test_the_batch_job_scores_in_api_sized_transactions(runner, db):
    from app.models import Prediction

    runner.app.config["MAX_BATCH_SIZE"] = 7
    result = runner.invoke(args=["clients", "score", "--limit", "20"])
    assert result.exit_code == 0, result.output
    logged = db.session.execute(
        sa.select(Prediction.created_at, sa.func.count()).group_by(Prediction.created_at)
    ).all()
    assert sorted(count for _, count in logged) == [6, 7, 7]  # one transaction (one time) each
