"""An expert's answers: a response (draft and state), its submitted revisions, their answers."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.db import Base
from survey.models.columns import UTCDateTime


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Response(Base):
    """One expert's answer sheet for one questionnaire.

    It is found by ``respondent_key``, a keyed one-way pseudonym of (questionnaire,
    participant): for anonymous questionnaires there is no participant id, so the database
    alone cannot tell whose answers these are. ``pair_key`` is the same kind of pseudonym
    shared by paired questionnaires, for pre/post comparison. The respondent's country,
    region and stakeholder group are copied here, so breakdowns need no link to a person.
    """

    __tablename__ = "response"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "respondent_key"),
        Index("ix_response_questionnaire_pair", "questionnaire_id", "pair_key"),
        # The raw export's order for a named questionnaire: read in order, never sorted.
        Index("ix_response_questionnaire_id", "questionnaire_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="RESTRICT")
    )
    respondent_key: Mapped[str] = mapped_column(String(64))
    pair_key: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="RESTRICT"), index=True
    )
    country_iso3: Mapped[str | None] = mapped_column(String(3))
    region_code: Mapped[str | None] = mapped_column(String(3))
    subregion_code: Mapped[str | None] = mapped_column(String(3))
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    status: Mapped[ResponseStatus] = mapped_column(
        Enum(
            ResponseStatus,
            native_enum=False,
            length=10,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ResponseStatus.DRAFT,
    )
    # The draft keeps what was typed, as typed (even if invalid): nothing is lost on save.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    draft_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    current_page: Mapped[str | None] = mapped_column(String(100))
    # Bumped by every save: a save based on an older lock_version is a conflict.
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    current_submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submission.id", use_alter=True, ondelete="RESTRICT"), index=True
    )
    # Day precision only for anonymous questionnaires (see services).
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    current_submission: Mapped[Submission | None] = relationship(
        foreign_keys=[current_submission_id], post_update=True
    )


class Submission(Base):
    """A submitted revision of a response; the latest is the response's current one."""

    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("response_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT"), index=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(5))
    # The response's lock_version this was submitted from: a second click of the same
    # Submit button carries it again, and is recognised as the same submission.
    base_lock_version: Mapped[int] = mapped_column(Integer)
    # The answers as the raw CSV writes them, kept when submitted so that the export copies
    # them instead of rebuilding them (survey.export.raw); NULL for those stored before.
    export_cells: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(foreign_keys=[response_id])
    answers: Mapped[list[Answer]] = relationship(back_populates="submission")


class Answer(Base):
    """One atomic datum of a submission, shaped for aggregation with GROUP BY.

    A single choice is one row (``code``); a multiple choice one row per chosen code; a grid
    one row per statement (``item``) with the chosen point in ``code``; a ranking one row per
    ranked option (``item``) with its rank in ``number``; numbers in ``number``; free text and
    "other, please specify" in ``text``.
    """

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("submission_id", "question_key", "item", "code"),
        Index("ix_answer_question", "question_key", "item", "code"),
        CheckConstraint(
            "code IS NOT NULL OR number IS NOT NULL OR text IS NOT NULL", name="has_value"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="RESTRICT"))
    question_key: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(100), default="")
    code: Mapped[str | None] = mapped_column(String(100))
    number: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))
    text: Mapped[str | None] = mapped_column(Text)

    submission: Mapped[Submission] = relationship(back_populates="answers")
