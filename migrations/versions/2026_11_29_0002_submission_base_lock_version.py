"""submission.base_lock_version: recognise a repeated Submit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("base_lock_version", sa.Integer(), nullable=False, server_default="0")
        )
    # The default stays: dropping it would make SQLite copy the table, answers and all.


def downgrade() -> None:
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_column("base_lock_version")
