"""Advisors' page language: users.language ("en", "fr" or NULL for the browser's choice).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

Reviewed by hand: matches app/models.py User.language.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
