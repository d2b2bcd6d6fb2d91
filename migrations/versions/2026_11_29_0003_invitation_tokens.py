"""invitation_token: several live links per invitation, so a reminder keeps older links working

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:00:00
"""

import sqlalchemy as sa
from alembic import op

import survey.models.columns

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The foreign key comes last: SQLite's batch mode rebuilds the invitation table to drop
    # token_hash, and rows referring to it would stop that (its PRAGMA foreign_keys is on).
    op.create_table(
        "invitation_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_token_hash")),
    )
    with op.batch_alter_table("invitation_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_token_invitation_id"), ["invitation_id"], unique=False
        )
    # Every link issued so far keeps working (or stays revoked, with its invitation).
    op.execute(
        "INSERT INTO invitation_token (invitation_id, token_hash, created_at, revoked_at) "
        "SELECT id, token_hash, created_at, revoked_at FROM invitation"
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_constraint("uq_invitation_token_hash", type_="unique")
        batch_op.drop_column("token_hash")
    with op.batch_alter_table("invitation_token", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_invitation_token_invitation_id_invitation"),
            "invitation",
            ["invitation_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    # One link per invitation again: the newest one works, the others stop.
    op.execute(
        "UPDATE invitation SET token_hash = COALESCE("
        "(SELECT t.token_hash FROM invitation_token t WHERE t.invitation_id = invitation.id "
        "ORDER BY t.id DESC LIMIT 1), 'none-' || CAST(invitation.id AS VARCHAR(20)))"
    )
    with op.batch_alter_table("invitation_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_token_invitation_id"))
    op.drop_table("invitation_token")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_invitation_token_hash", ["token_hash"])
