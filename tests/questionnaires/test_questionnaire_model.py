"""The questionnaire model: resolved questions, UTC times, and an exact dict round trip."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from survey.questionnaires.loader import load_definition
from survey.questionnaires.model import Questionnaire, text
from survey.questionnaires.types import QUESTION_TYPES

MINIMAL = Path(__file__).resolve().parent.parent / "data" / "valid" / "minimal.yaml"


@pytest.fixture(scope="module")
def minimal() -> Questionnaire:
    return load_definition(MINIMAL, MINIMAL.parent)


def test_round_trip_through_json_is_exact(minimal):
    stored = json.loads(json.dumps(minimal.to_dict()))
    rebuilt = Questionnaire.from_dict(stored)
    assert rebuilt == minimal
    assert rebuilt.to_dict() == stored


def test_minimal_file_uses_every_type(minimal):
    assert {q.type for q in minimal.questions()} == set(QUESTION_TYPES)


def test_option_sets_and_scales_are_resolved_into_each_question(minimal):
    lead = minimal.question("lead_agency")
    assert [o.code for o in lead.options] == ["police", "customs", "regulator"]
    assert lead.other and not lead.dont_know
    assert [p.code for p in minimal.question("topics").scale] == ["1", "2", "3", "4"]


def test_added_choices_are_flags_and_show_if_codes(minimal):
    assert minimal.question("lead_agency").answer_codes() == {
        "police",
        "customs",
        "regulator",
        "other",
    }
    assert minimal.question("useful").answer_codes() == {"1", "2", "3", "4", "dont_know"}
    assert minimal.question("specific_offence").answer_codes() == {"yes", "no", "dont_know"}
    assert minimal.question("comments").answer_codes() == frozenset()


def test_defaults_are_filled_in(minimal):
    assert minimal.question("main_obstacle").max_length == 200
    assert minimal.question("main_obstacle").required is False
    assert minimal.question("lead_agency").display == "select"
    assert minimal.question("offence_year").max == date(2013, 2, 14)


def test_questions_in_order_and_by_key(minimal):
    assert [q.key for q in minimal.questions()][:3] == [
        "country",
        "specific_offence",
        "offence_year",
    ]
    with pytest.raises(KeyError):
        minimal.question("nothing")


def test_times_are_local_to_the_zone_and_given_in_utc(minimal):
    assert minimal.opens == datetime(2013, 2, 1, 9, 0)
    assert minimal.opens_at_utc("Asia/Tokyo") == datetime(2013, 2, 1, 8, 0, tzinfo=UTC)
    zoneless = dataclasses.replace(minimal, timezone=None)
    assert zoneless.closes_at_utc("Asia/Tokyo") == datetime(2013, 2, 28, 9, 0, tzinfo=UTC)


def test_text_falls_back_to_the_first_language(minimal):
    assert text(minimal.title, "fr", minimal.fallback_language) == "Questionnaire minimal"
    assert text(minimal.title, "ar", minimal.fallback_language) == "Minimal questionnaire"
    assert text(None, "ar", "en") == ""
