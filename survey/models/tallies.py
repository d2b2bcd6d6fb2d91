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

from sqlalchemy import ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from survey.db import Base

# The question key of the rows that count respondents (no question has an empty key).
RESPONDENTS = ""
# The code of the rows that count the submissions that answered a question (its base n).
ANSWERED = ""
# The country of the rows that count every country of a region, sub-region and group: the
# dashboards read these unless they filter or break down by country, ten times fewer rows.
ALL_COUNTRIES = "*"


PLACE_KEY = ("region_code", "subregion_code", "stakeholder_group", "country_iso3")


def _questionnaire():
    return mapped_column(ForeignKey("questionnaire.id", ondelete="RESTRICT"), primary_key=True)


def _version():
    return mapped_column(
        ForeignKey("questionnaire_version.id", ondelete="RESTRICT"), primary_key=True
    )


def _key(length: int):
    return mapped_column(String(length), primary_key=True)


# The columns are declared in the order of the primary key, and the count last: SQLite 3.40
# reports NULLs that are not there (PRAGMA quick_check, which a restore runs) in a table
# without rowid whose key columns come after others. The key orders the rows by questionnaire
# and country, so that the rows of all countries (or of one) lie together, then as the
# dashboards GROUP BY: without a breakdown SQLite counts the codes in one ordered pass.


class AnswerTally(Base):
    """How many current submissions answered what, per version, place and group.

    - ``question_key`` RESPONDENTS (item and code ""): the submissions themselves;
    - ``code`` ANSWERED (item ""): the submissions that answered the question;
    - otherwise answers with ``code`` to (grid statement or ranked option) ``item``: the
      chosen code; for a date, its year; for a ranking, the rank given to the option.

    A replaced submission is subtracted, so a count can reach 0; readers skip those.
    """

    __tablename__ = "answer_tally"
    # Without SQLite's rowid the primary key is the table.
    __table_args__ = ({"sqlite_with_rowid": False},)

    questionnaire_id: Mapped[int] = _questionnaire()
    country_iso3: Mapped[str] = _key(3)
    question_key: Mapped[str] = _key(100)
    item: Mapped[str] = _key(100)
    code: Mapped[str] = _key(100)
    questionnaire_version_id: Mapped[int] = _version()
    region_code: Mapped[str] = _key(3)
    subregion_code: Mapped[str] = _key(3)
    stakeholder_group: Mapped[str] = _key(40)
    n: Mapped[int] = mapped_column(Integer)


class NumberTally(Base):
    """How many current submissions gave each value to a number question, per version, place
    and group: enough for the n, mean and quartiles of any selection, without the answers."""

    __tablename__ = "number_tally"
    __table_args__ = ({"sqlite_with_rowid": False},)

    questionnaire_id: Mapped[int] = _questionnaire()
    country_iso3: Mapped[str] = _key(3)
    question_key: Mapped[str] = _key(100)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 6), primary_key=True)
    questionnaire_version_id: Mapped[int] = _version()
    region_code: Mapped[str] = _key(3)
    subregion_code: Mapped[str] = _key(3)
    stakeholder_group: Mapped[str] = _key(40)
    n: Mapped[int] = mapped_column(Integer)
