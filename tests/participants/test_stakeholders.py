"""Stakeholder groups: stable codes, and what people type matched to them."""

import pytest

from survey.stakeholders import STAKEHOLDER_GROUPS, match_stakeholder_group, stakeholder_label


def test_the_six_groups_have_stable_codes():
    assert list(STAKEHOLDER_GROUPS) == [
        "government",
        "intergovernmental",
        "ngo",
        "private_sector",
        "academia",
        "other",
    ]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Government", "government"),
        ("  member state ", "government"),
        ("Police", "government"),
        ("État membre", "government"),
        ("etat membre", "government"),
        ("Gobierno", "government"),
        ("IGO", "intergovernmental"),
        ("International organization", "intergovernmental"),
        ("International Organisation (WHO)", "intergovernmental"),
        ("Organización internacional", "intergovernmental"),
        ("NGO", "ngo"),
        ("Civil society", "ngo"),
        ("Société civile", "ngo"),
        ("ONG", "ngo"),
        ("Private sector", "private_sector"),
        ("INDUSTRY", "private_sector"),
        ("Business", "private_sector"),
        ("Secteur privé", "private_sector"),
        ("private_sector", "private_sector"),
        ("Academia and research", "academia"),
        ("Universidad", "academia"),
        ("Other", "other"),
        ("National authority (regulator, police, customs, prosecution, ministry)", "government"),
    ],
)
def test_what_people_type_is_matched(typed, code):
    assert match_stakeholder_group(typed) == code


@pytest.mark.parametrize("typed", ["", "   ", None, "Media", "Governmentish"])
def test_unknown_groups_match_nothing(typed):
    assert match_stakeholder_group(typed) is None


def test_labels_are_translatable_text(app):
    with app.test_request_context("/?lang=en"):
        assert stakeholder_label("ngo") == "Non-governmental organisation"
        assert stakeholder_label("unknown") == "unknown"
