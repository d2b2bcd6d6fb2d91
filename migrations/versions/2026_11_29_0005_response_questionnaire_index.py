"""response(questionnaire_id, id): the raw export reads a questionnaire's rows in order

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:00:00
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Without it SQLite sorts 100,000 submissions with their answers' text to write them in
    # order (2-5 s of the raw CSV at 100,000 submissions).
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_questionnaire_id"), ["questionnaire_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_questionnaire_id"))
