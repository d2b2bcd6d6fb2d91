"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 08:36:07.039417
"""

import sqlalchemy as sa
from alembic import op

import survey.models.columns

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("email", name=op.f("uq_participant_email")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_country_iso3"), ["country_iso3"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_participant_stakeholder_group"), ["stakeholder_group"], unique=False
        )

    op.create_table(
        "questionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("pairs_with", sa.String(length=100), nullable=True),
        sa.Column("opens_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "closed_early_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("current_version_id", sa.Integer(), nullable=True),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire")),
        sa.UniqueConstraint("slug", name=op.f("uq_questionnaire_slug")),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "analyst", name="role", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "password_changed_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("email", name=op.f("uq_staff_email")),
    )
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_throttle")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_audit_event_staff_id_staff"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "first_opened_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "last_reminded_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("has_submitted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_invitation_participant_id_participant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_invitation_questionnaire_id_questionnaire"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invitation")),
        sa.UniqueConstraint(
            "questionnaire_id",
            "participant_id",
            name=op.f("uq_invitation_questionnaire_id_participant_id"),
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invitation_token_hash")),
    )
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invitation_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("loaded_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_questionnaire_version_questionnaire_id_questionnaire"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_version")),
        sa.UniqueConstraint(
            "questionnaire_id",
            "content_hash",
            name=op.f("uq_questionnaire_version_questionnaire_id_content_hash"),
        ),
        sa.UniqueConstraint(
            "questionnaire_id",
            "number",
            "revision",
            name=op.f("uq_questionnaire_version_questionnaire_id_number_revision"),
        ),
    )
    with op.batch_alter_table("questionnaire_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_questionnaire_version_questionnaire_id"),
            ["questionnaire_id"],
            unique=False,
        )

    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_session_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_session_token_hash")),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_session_staff_id"), ["staff_id"], unique=False)

    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("respondent_key", sa.String(length=64), nullable=False),
        sa.Column("pair_key", sa.String(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("region_code", sa.String(length=3), nullable=True),
        sa.Column("subregion_code", sa.String(length=3), nullable=True),
        sa.Column("stakeholder_group", sa.String(length=40), nullable=True),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "submitted", name="responsestatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("draft_version_id", sa.Integer(), nullable=False),
        sa.Column("current_page", sa.String(length=100), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("current_submission_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["draft_version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_response_draft_version_id_questionnaire_version"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_response_participant_id_participant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaire.id"],
            name=op.f("fk_response_questionnaire_id_questionnaire"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response")),
        sa.UniqueConstraint(
            "questionnaire_id",
            "respondent_key",
            name=op.f("uq_response_questionnaire_id_respondent_key"),
        ),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_current_submission_id"), ["current_submission_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_response_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(
            "ix_response_questionnaire_pair", ["questionnaire_id", "pair_key"], unique=False
        )

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("questionnaire_version_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", survey.models.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_submission_number_positive")),
        sa.ForeignKeyConstraint(
            ["questionnaire_version_id"],
            ["questionnaire_version.id"],
            name=op.f("fk_submission_questionnaire_version_id_questionnaire_version"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["response.id"],
            name=op.f("fk_submission_response_id_response"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("response_id", "number", name=op.f("uq_submission_response_id_number")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_submission_questionnaire_version_id"),
            ["questionnaire_version_id"],
            unique=False,
        )

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=True),
        sa.Column("number", sa.Numeric(precision=20, scale=6), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "code IS NOT NULL OR number IS NOT NULL OR text IS NOT NULL",
            name=op.f("ck_answer_has_value"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_answer_submission_id_submission"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer")),
        sa.UniqueConstraint(
            "submission_id",
            "question_key",
            "item",
            "code",
            name=op.f("uq_answer_submission_id_question_key_item_code"),
        ),
    )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_question", ["question_key", "item", "code"], unique=False)

    # The two circular references are added once both tables exist.
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_questionnaire_current_version_id_questionnaire_version"),
            "questionnaire_version",
            ["current_version_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_response_current_submission_id_submission"),
            "submission",
            ["current_submission_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_response_current_submission_id_submission"), type_="foreignkey"
        )
    with op.batch_alter_table("questionnaire", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_questionnaire_current_version_id_questionnaire_version"),
            type_="foreignkey",
        )
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.drop_index("ix_answer_question")

    op.drop_table("answer")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_questionnaire_version_id"))

    op.drop_table("submission")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_questionnaire_pair")
        batch_op.drop_index(batch_op.f("ix_response_participant_id"))
        batch_op.drop_index(batch_op.f("ix_response_current_submission_id"))

    op.drop_table("response")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_session_staff_id"))

    op.drop_table("staff_session")
    with op.batch_alter_table("questionnaire_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_version_questionnaire_id"))

    op.drop_table("questionnaire_version")
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invitation_participant_id"))

    op.drop_table("invitation")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    op.drop_table("throttle")
    op.drop_table("staff")
    op.drop_table("questionnaire")
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_stakeholder_group"))
        batch_op.drop_index(batch_op.f("ix_participant_country_iso3"))

    op.drop_table("participant")
