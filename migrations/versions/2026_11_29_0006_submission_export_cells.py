"""submission.export_cells: the answers as the raw CSV writes them, kept when submitted

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Left empty for the submissions already stored: the export builds theirs from the answers
    # (`survey db recount` fills them).
    op.add_column("submission", sa.Column("export_cells", sa.Text(), nullable=True))


def downgrade() -> None:
    # Not in batch mode: on SQLite that rebuilds the table, which the rows referring to
    # submissions forbid; SQLite (3.35 and later) and PostgreSQL both drop a column in place.
    op.execute("ALTER TABLE submission DROP COLUMN export_cells")
