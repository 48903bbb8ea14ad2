"""Security review: session tokens, disabled advisors, per-key rate limits, new client ids;
drift_runs floats as DOUBLE (the models' type; `flask db check` is clean again).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

Reviewed by hand. users.session_token is filled with a random token per existing advisor (their
current cookies, which name the advisor by id only, stop working: they sign in again).
new_client_ids starts past the clients already saved from the new-application page, whose
SK_ID_CURR were max + 1 from 900,000,000.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_CLIENT_ID_START = 900_000_000  # app/services/dashboard.py
DRIFT_FLOATS = ("drift_share", "mean_probability", "mean_probability_reference", "duration_s")


def _fill_session_tokens():
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("session_token", sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_hex(16))
        )


def _start_new_client_ids_past_saved_clients():
    connection = op.get_bind()
    highest = connection.execute(
        sa.text('SELECT MAX("SK_ID_CURR") FROM clients WHERE "SK_ID_CURR" >= :start'),
        {"start": NEW_CLIENT_ID_START},
    ).scalar()
    if highest is None:
        return
    last = highest - NEW_CLIENT_ID_START + 1  # SK_ID_CURR = start + id - 1
    connection.execute(
        sa.text("INSERT INTO new_client_ids (id, created_at) VALUES (:id, CURRENT_TIMESTAMP)"),
        {"id": last},
    )
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('new_client_ids', 'id'), :id)"),
            {"id": last},
        )


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    _fill_session_tokens()
    with op.batch_alter_table("users") as batch:
        batch.alter_column("session_token", existing_type=sa.String(length=64), nullable=False)

    # The key's own rate limit ("600 per minute"); NULL means the RATELIMIT_API_KEY default.
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("rate_limit", sa.String(length=64), nullable=True))

    # One row per client saved from the new-application page: the database draws the id.
    op.create_table(
        "new_client_ids",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _start_new_client_ids_past_saved_clients()

    with op.batch_alter_table("drift_runs") as batch:
        for name in DRIFT_FLOATS:
            nullable = name.startswith("mean_")
            batch.alter_column(
                name, existing_type=sa.Float(), type_=sa.Double(), existing_nullable=nullable
            )


def downgrade():
    with op.batch_alter_table("drift_runs") as batch:
        for name in DRIFT_FLOATS:
            nullable = name.startswith("mean_")
            batch.alter_column(
                name, existing_type=sa.Double(), type_=sa.Float(), existing_nullable=nullable
            )
    op.drop_table("new_client_ids")
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_column("rate_limit")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_at")
        batch.drop_column("session_token")
