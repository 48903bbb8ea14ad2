"""Drift runs: one row per data-drift comparison, with its gzipped Evidently report.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21

Reviewed by hand: matches app/models.py DriftRun.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "drift_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # where the current sample came from: file, window or last (N predictions)
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("source_detail", sa.String(length=255), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("rows_compared", sa.Integer(), nullable=False),
        sa.Column("rows_reference", sa.Integer(), nullable=False),
        sa.Column("column_count", sa.Integer(), nullable=False),
        sa.Column("drifted_count", sa.Integer(), nullable=False),
        sa.Column("drift_share", sa.Float(), nullable=False),
        sa.Column("dataset_drift", sa.Boolean(), nullable=False),
        # per-column score, stat test, threshold, drifted flag; strongest drift first
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("skipped_columns", sa.JSON(), nullable=False),
        sa.Column("prediction_drift", sa.JSON(), nullable=True),
        sa.Column("mean_probability", sa.Float(), nullable=True),
        sa.Column("mean_probability_reference", sa.Float(), nullable=True),
        sa.Column("model_name", sa.String(length=120), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("report_html_gz", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_drift_runs_created_at", "drift_runs", ["created_at"])


def downgrade():
    op.drop_index("ix_drift_runs_created_at", table_name="drift_runs")
    op.drop_table("drift_runs")
