"""Pre/post: the paired questions, and the change among experts matched by their pseudonym
(the post-meeting questionnaire is anonymous)."""

from __future__ import annotations

import pytest

from survey.analysis.comparison import pairs, transitions
from survey.analysis.filters import Filters, Selection
from survey.analysis.labels import Labels
from survey.analysis.shifts import shift_chart
from survey.db import database
from survey.models import Questionnaire, Response
from survey.services import comparisons
from survey.services.answering import definition_of
from tests.analysis.conftest import answer

# person -> (answers before, answers after); None: did not answer that questionnaire.
PEOPLE = {
    "p1": (
        {"confident": {"": ["2"]}, "topics": {"ports": ["1"], "internet": ["2"]},
         "tools": {"": ["mla"]}},
        {"confident_after": {"": ["4"]}, "topics": {"ports": ["2"], "internet": ["2"]},
         "tools": {"": ["mla"]}},
    ),
    "p2": (
        {"confident": {"": ["3"]}, "topics": {"ports": ["2"], "internet": ["2"]},
         "tools": {"": ["mla", "jit"]}},
        {"confident_after": {"": ["3"]}, "topics": {"ports": ["2"], "internet": ["1"]}},
    ),
    "p3": (
        {"confident": {"": ["dont_know"]}, "topics": {"ports": ["3"], "internet": ["3"]},
         "tools": {"": ["jit"]}},
        {"confident_after": {"": ["2"]}, "topics": {"ports": ["4"], "internet": ["4"]}},
    ),
    "p4": (
        {"confident": {"": ["1"]}, "topics": {"ports": ["4"], "internet": ["4"]}},
        {"confident_after": {"": ["dont_know"]}, "topics": {"ports": ["4"], "internet": ["4"]}},
    ),
    "p5": ({"confident": {"": ["4"]}}, None),
    "p6": (None, {"confident_after": {"": ["1"]}}),
}  # fmt: skip


@pytest.fixture
def answered(app, pair_ids):
    pre_id, post_id = pair_ids
    for person, (before, after) in PEOPLE.items():
        email = f"{person}@example.org"
        country = "KEN" if person == "p4" else "FRA"
        if before is not None:
            answer(app, pre_id, before, email=email, country=country)
        if after is not None:
            answer(app, post_id, after, email=email, country=country)
    return pre_id, post_id


def _definitions(session, pre_id, post_id):
    pre = definition_of(session.get(Questionnaire, pre_id))
    post = definition_of(session.get(Questionnaire, post_id))
    return pre, post


def test_pairs_name_the_twin_on_either_side(app, pair_ids):
    with app.app_context(), database().read_sessions() as session:
        pre, post = _definitions(session, *pair_ids)
    found = [(p.before.key, p.after.key) for p in pairs(pre, post)]
    assert found == [("confident", "confident_after"), ("topics", "topics"), ("tools", "tools")]


def test_the_anonymous_side_keeps_no_participant_but_the_pair_key_matches(app, answered):
    pre_id, post_id = answered
    with app.app_context(), database().read_sessions() as session:
        after = session.query(Response).filter_by(questionnaire_id=post_id).all()
        before = session.query(Response).filter_by(questionnaire_id=pre_id).all()
    assert all(r.participant_id is None for r in after)
    assert len({r.pair_key for r in before} & {r.pair_key for r in after}) == 4


def test_transitions_among_matched_experts(app, answered):
    pre_id, post_id = answered
    with app.app_context(), database().read_sessions() as session:
        pre, post = _definitions(session, pre_id, post_id)
        found = transitions(session, pre_id, post_id, pairs(pre, post), Filters())
    # "Don't know" on either side is not a point on the scale: p3 and p4 drop out.
    assert found.counts[("confident", "")] == {(2.0, 4.0): 1, (3.0, 3.0): 1}
    assert found.counts[("topics", "ports")] == {(1.0, 2.0): 1, (2.0, 2.0): 1, (3.0, 4.0): 1,
                                                 (4.0, 4.0): 1}  # fmt: skip
    assert found.matched == {"confident": 2, "topics": 4}


def test_transitions_under_a_filter_on_the_respondent(app, answered):
    pre_id, post_id = answered
    with app.app_context(), database().read_sessions() as session:
        pre, post = _definitions(session, pre_id, post_id)
        found = transitions(session, pre_id, post_id, pairs(pre, post), Filters(region_code="002"))
    assert found.matched == {"topics": 1}  # only p4, from Kenya


def test_the_shift_chart_counts_changes_in_points(app, answered):
    pre_id, post_id = answered
    with app.test_request_context(), database().read_sessions() as session:
        pre, post = _definitions(session, pre_id, post_id)
        found_pairs = pairs(pre, post)
        found = transitions(session, pre_id, post_id, found_pairs, Filters())
        labels = Labels("en", "en")
        chart = shift_chart(found_pairs[1], found, labels, threshold=1)
        confident = shift_chart(found_pairs[0], found, labels, threshold=1)
        assert shift_chart(found_pairs[2], found, labels, threshold=1) is None  # not a scale
    ports, internet = chart.rows
    assert [c.code for c in ports.counts] == ["-3", "-2", "-1", "0", "1", "2", "3"]
    assert {c.code: c.count for c in ports.counts if c.count} == {"0": 2, "1": 2}
    assert {c.code: c.count for c in internet.counts if c.count} == {"-1": 1, "0": 2, "1": 1}
    assert ports.note == "mean 2.5 → 3.0"
    assert confident.base == 2
    assert confident.rows[0].note == "mean 2.5 → 3.5"


def test_the_comparison_page_hides_small_counts(app, answered):
    with app.test_request_context(), database().read_sessions() as session:
        pre = session.get(Questionnaire, answered[0])
        post = session.get(Questionnaire, answered[1])
        found = comparisons.comparison(session, post, pre, Selection(), "en", 5)
    assert found.before.id == pre.id  # the earlier questionnaire is "before", whichever is asked
    confident, topics, tools = found.results
    assert confident.side_by_side.base_text == "n = 5 before, 5 after"
    assert topics.side_by_side.base_text == "n = fewer than 5 before, fewer than 5 after"
    assert [row.label for row in confident.side_by_side.rows] == ["Before", "After"]
    assert confident.shift.base is None  # two matched experts: no distribution at all
    assert all(c.count is None for row in confident.shift.rows for c in row.counts)
    assert tools.shift is None
