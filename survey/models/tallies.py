"""Running counts of the current submissions' answers, kept by the submit transaction.

The dashboards and the aggregated export read these instead of the answers: at 100,000
submissions the answers are 7 million rows, the tallies a few hundred per place and group of
respondents. Each row counts the current submissions of one questionnaire version from one
respondent's country, region, sub-region and stakeholder group ("" where not known), and
again for all countries together (country ALL_COUNTRIES), so any filter or breakdown of the
dashboards is a SUM over them. ``survey.services.tallies`` writes
them; ``survey db recount`` rebuilds them from the answers.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import ForeignKey, Integer, Numeric, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import Base

# The question key of the rows that count respondents (no question has an empty key).
RESPONDENTS = ""
# The code of the rows that count the submissions that answered a question (its base n).
ANSWERED = ""
# The country of the rows that count every country of a region, sub-region and group: the
# dashboards read these unless they filter or break down by country, ten times fewer rows.
ALL_COUNTRIES = "*"


class _Place:
    """The respondent's attributes the dashboards filter and break down by ("" if unknown)."""

    region_code: Mapped[str] = mapped_column(String(3))
    subregion_code: Mapped[str] = mapped_column(String(3))
    stakeholder_group: Mapped[str] = mapped_column(String(40))
    country_iso3: Mapped[str] = mapped_column(String(3))


PLACE_KEY = ("region_code", "subregion_code", "stakeholder_group", "country_iso3")
# The order of the primary keys after the questionnaire: the country first, so that the rows
# of all countries (or of one) lie together, then what the dashboards GROUP BY.
PLACE_AFTER_KEY = ("questionnaire_version_id", "region_code", "subregion_code", "stakeholder_group")


class AnswerTally(_Place, Base):
    """How many current submissions answered what, per version, place and group.

    - ``question_key`` RESPONDENTS (item and code ""): the submissions themselves;
    - ``code`` ANSWERED (item ""): the submissions that answered the question;
    - otherwise answers with ``code`` to (grid statement or ranked option) ``item``: the
      chosen code; for a date, its year; for a ranking, the rank given to the option.

    A replaced submission is subtracted, so a count can reach 0; readers skip those.
    """

    __tablename__ = "answer_tally"
    # Without SQLite's rowid the primary key is the table: by questionnaire and country, then
    # in the order of the dashboards' GROUP BY, so that without a breakdown SQLite counts the
    # codes in one ordered pass over the rows of all countries.
    __table_args__ = (
        PrimaryKeyConstraint(
            "questionnaire_id",
            "country_iso3",
            "question_key",
            "item",
            "code",
            *PLACE_AFTER_KEY,
        ),
        {"sqlite_with_rowid": False},
    )

    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="RESTRICT")
    )
    question_key: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(100))
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    n: Mapped[int] = mapped_column(Integer)


class NumberTally(_Place, Base):
    """How many current submissions gave each value to a number question, per version, place
    and group: enough for the n, mean and quartiles of any selection, without the answers."""

    __tablename__ = "number_tally"
    __table_args__ = (
        PrimaryKeyConstraint(
            "questionnaire_id", "country_iso3", "question_key", "value", *PLACE_AFTER_KEY
        ),
        {"sqlite_with_rowid": False},
    )

    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire.id", ondelete="RESTRICT")
    )
    question_key: Mapped[str] = mapped_column(String(100))
    value: Mapped[Decimal] = mapped_column(Numeric(20, 6))
    questionnaire_version_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT")
    )
    n: Mapped[int] = mapped_column(Integer)
