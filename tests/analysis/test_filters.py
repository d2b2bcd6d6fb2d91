"""Filters and breakdown read from a request's arguments: what is understood, what is not."""

from __future__ import annotations

from survey.analysis.filters import Filters, Selection, parse_selection, selection_args


def test_every_filter_and_a_breakdown():
    selection = parse_selection(
        {"region": "150", "subregion": "155", "group": "ngo", "country": "fra", "version": "2",
         "by": "stakeholder_group"}
    )  # fmt: skip
    assert selection.filters == Filters("150", "155", "ngo", "FRA", 2)
    assert selection.breakdown == "stakeholder_group"
    assert selection.errors == {}


def test_nothing_asked_is_everyone_without_breakdown():
    assert parse_selection({}) == Selection()
    assert parse_selection({"region": "", "by": ""}) == Selection()
    assert Filters().is_empty()


def test_bad_values_are_reported_and_ignored():
    selection = parse_selection(
        {"region": "155", "subregion": "150", "group": "spies", "country": "XXX",
         "version": "-1", "by": "name"}
    )  # fmt: skip
    # A sub-region is not a region and the other way round.
    assert selection.filters == Filters()
    assert selection.breakdown is None
    assert set(selection.errors) == {"region", "subregion", "group", "country", "version", "by"}


def test_region_codes_are_normalised():
    assert parse_selection({"region": "2"}).filters.region_code == "002"


def test_selection_args_give_the_selection_back():
    args = {"region": "150", "group": "ngo", "version": "1", "by": "country"}
    selection = parse_selection(args)
    assert selection_args(selection) == args
    assert parse_selection(selection_args(selection)) == selection


def test_without_version_keeps_the_respondent_filters():
    filters = Filters(region_code="150", version=3)
    assert filters.without_version() == Filters(region_code="150")
