"""Questionnaires and their immutable versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey.db import Base
from survey.models.columns import UTCDateTime, utcnow


class Questionnaire(Base):
    """A questionnaire, known by the stable id of its file (``slug``)."""

    __tablename__ = "questionnaire"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    anonymous: Mapped[bool]
    pairs_with: Mapped[str | None] = mapped_column(String(100))
    # Copied from the file on first load; organisers may then move them (extend a deadline).
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("questionnaire_version.id", use_alter=True, ondelete="RESTRICT")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    current_version: Mapped[QuestionnaireVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )

    def is_open(self, now: datetime) -> bool:
        """Whether experts may answer at ``now``."""
        return self.closed_early_at is None and self.opens_at <= now < self.closes_at


class QuestionnaireVersion(Base):
    """An immutable snapshot of a questionnaire file as loaded.

    ``number`` is the structural version: answers given to version 1 keep its questions.
    ``revision`` counts in-place changes of wording, translations and order within a number.
    """

    __tablename__ = "questionnaire_version"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "number", "revision"),
        UniqueConstraint("questionnaire_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_name: Mapped[str] = mapped_column(String(255))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questionnaire: Mapped[Questionnaire] = relationship(foreign_keys=[questionnaire_id])
