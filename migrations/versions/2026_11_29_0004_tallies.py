"""answer_tally, number_tally: running counts the dashboards read instead of every answer

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _tally_table(name: str, key: list[sa.Column]) -> None:
    # The columns in the order of the primary key, the count last: SQLite 3.40's quick_check
    # (run by a restore) reports false NULLs in a table without rowid otherwise.
    op.create_table(
        name,
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        *key,
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=3), nullable=False),
        sa.Column("subregion_code", sa.String(length=3), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f(f"fk_{name}_questionnaire_id_questionnaire"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_version.id"],
            name=op.f(f"fk_{name}_questionnaire_version_id_questionnaire_version"),
            ondelete="RESTRICT",
        ),
        # The country first: the rows of all countries (or of one) lie together.
        sa.PrimaryKeyConstraint(
            "questionnaire_id",
            "country_iso3",
            *(c.name for c in key),
            "questionnaire_version_id",
            "region_code",
            "subregion_code",
            "stakeholder_group",
            name=op.f(f"pk_{name}"),
        ),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    _tally_table(
        "answer_tally",
        [
            sa.Column("question_key", sa.String(length=100), nullable=False),
            sa.Column("item", sa.String(length=100), nullable=False),
            sa.Column("code", sa.String(length=100), nullable=False),
        ],
    )
    _tally_table(
        "number_tally",
        [
            sa.Column("question_key", sa.String(length=100), nullable=False),
            sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=False),
        ],
    )
    # The tallies are derived data: filled here from the answers already stored, by the same
    # code that keeps them. Should these tables change later, that migration rebuilds them
    # (as `survey db recount` does) and this call goes, as the code it calls will have moved on.
    from survey.services import tallies

    with Session(bind=op.get_bind()) as session:
        tallies.rebuild(session)


def downgrade() -> None:
    op.drop_table("number_tally")
    op.drop_table("answer_tally")
