"""Human oversight and outcomes: advisors' decisions, loan outcomes, performance runs.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-28

Reviewed by hand: matches app/models.py Decision, OutcomeLoad, Outcome and PerformanceRun.
Only `down_revision` depends on the revisions before it (it follows 0003 once that lands).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prediction_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("advisor", sa.String(length=80), nullable=False),
        sa.Column("model_decision", sa.String(length=16), nullable=False),
        sa.Column("final_decision", sa.String(length=16), nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["prediction_id"], ["predictions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "final_decision IN ('accepted', 'refused')", name="ck_decisions_final_decision"
        ),
        sa.CheckConstraint(
            "model_decision IN ('accepted', 'refused')", name="ck_decisions_model_decision"
        ),
        # an override is exactly a final decision that differs from the model's
        sa.CheckConstraint(
            "overridden = (final_decision <> model_decision)", name="ck_decisions_overridden"
        ),
        sa.CheckConstraint(
            "reason IS NOT NULL OR NOT overridden", name="ck_decisions_override_reason"
        ),
    )
    op.create_index("ix_decisions_prediction_id", "decisions", ["prediction_id"])
    op.create_index("ix_decisions_client_id", "decisions", ["client_id"])
    op.create_index("ix_decisions_created_at", "decisions", ["created_at"])

    op.create_table(
        "outcome_loads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("inserted", sa.Integer(), nullable=False),
        sa.Column("replaced", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("kept_newer", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "outcomes",
        # SK_ID_CURR: one outcome per client, the latest observation
        sa.Column("client_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("defaulted", sa.Boolean(), nullable=False),
        sa.Column("observed_at", sa.Date(), nullable=False),
        sa.Column("load_id", sa.Integer(), nullable=False),
        sa.Column("source_line", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["load_id"], ["outcome_loads.id"]),
        sa.PrimaryKeyConstraint("client_id"),
    )
    op.create_index("ix_outcomes_load_id", "outcomes", ["load_id"])

    op.create_table(
        "performance_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window", sa.String(length=16), nullable=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model_name", sa.String(length=120), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("test_auc", sa.Double(), nullable=True),
        sa.Column("n_decisions", sa.Integer(), nullable=False),
        sa.Column("n_labelled", sa.Integer(), nullable=False),
        sa.Column("auc", sa.Double(), nullable=False),
        sa.Column("evidently_auc", sa.Double(), nullable=True),
        sa.Column("business_cost", sa.Double(), nullable=False),
        sa.Column("business_cost_final", sa.Double(), nullable=False),
        sa.Column("default_rate_accepted", sa.Double(), nullable=True),
        sa.Column("override_rate", sa.Double(), nullable=False),
        # {n, default_rate, ...} of overridden and of followed decisions
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("followed", sa.JSON(), nullable=False),
        # predicted vs observed default rate by decile; the same figures per month
        sa.Column("calibration", sa.JSON(), nullable=False),
        sa.Column("by_month", sa.JSON(), nullable=False),
        sa.Column("duration_s", sa.Double(), nullable=False),
        sa.Column("report_html_gz", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_performance_runs_created_at", "performance_runs", ["created_at"])


def downgrade():
    op.drop_index("ix_performance_runs_created_at", table_name="performance_runs")
    op.drop_table("performance_runs")
    op.drop_index("ix_outcomes_load_id", table_name="outcomes")
    op.drop_table("outcomes")
    op.drop_table("outcome_loads")
    op.drop_index("ix_decisions_created_at", table_name="decisions")
    op.drop_index("ix_decisions_client_id", table_name="decisions")
    op.drop_index("ix_decisions_prediction_id", table_name="decisions")
    op.drop_table("decisions")
