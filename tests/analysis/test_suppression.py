"""Small-cell suppression on hand-made tables: what is hidden, and why nothing can be worked out."""

from __future__ import annotations

from survey.analysis.suppression import (
    ALL,
    NO_SUM,
    SUMS_TO_BASE,
    SUMS_TO_ITEM,
    CountTable,
    base_key,
    cell_key,
    is_small,
    suppress,
    suppress_table,
)


def test_small_is_between_zero_and_the_threshold():
    assert [n for n in range(8) if is_small(n, 5)] == [1, 2, 3, 4]


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    counts = {"a": 3, "b": 7, "c": 12, "total": 22}
    hidden = suppress(counts, [["a", "b", "c", "total"]], threshold=5)
    # Without "b", 22 − 7 − 12 would give "a" back.
    assert hidden == {"a", "b"}


def test_two_small_cells_protect_each_other():
    counts = {"a": 3, "b": 2, "c": 12, "total": 17}
    assert suppress(counts, [["a", "b", "c", "total"]], threshold=5) == {"a", "b"}


def test_zeros_are_shown_and_not_used_as_complements():
    counts = {"a": 0, "b": 4, "c": 9, "total": 13}
    assert suppress(counts, [["a", "b", "c", "total"]], threshold=5) == {"b", "c"}


def test_complements_spread_along_crossing_lines_until_none_is_alone():
    # Two rows and their column totals: hiding a complement in one line can leave another
    # line with a lone hidden cell, which then needs its own complement.
    counts = {"a1": 2, "a2": 10, "b1": 8, "b2": 11, "c1": 10, "c2": 21, "A": 12, "B": 19}
    rows = [["a1", "a2", "A"], ["b1", "b2", "B"]]
    columns = [["a1", "b1", "c1"], ["a2", "b2", "c2"]]
    hidden = suppress(counts, rows + columns, threshold=5)
    for line in rows + columns:
        assert sum(key in hidden for key in line) != 1, line
    assert {"a1", "a2", "b1", "b2"} <= hidden


def test_a_table_without_breakdown():
    # One single-choice question, 20 respondents: yes 15, no 3, don't know 2.
    table = CountTable(
        ("",),
        ("yes", "no", "dont_know"),
        (),
        {("", "yes", ALL): 15, ("", "no", ALL): 3, ("", "dont_know", ALL): 2},
        {ALL: 20},
        {"": SUMS_TO_BASE},
    )
    shown = suppress_table(table, 5)
    # The two small cells hide each other: 20 − 15 = 5 tells only their sum.
    assert shown.cell("", "yes", ALL) == 15
    assert shown.percent("", "yes", ALL) == 75
    assert shown.cell("", "no", ALL) is None
    assert shown.cell("", "dont_know", ALL) is None
    assert shown.base(ALL) == 20


def test_a_group_under_the_threshold_shows_nothing_and_is_complemented():
    table = CountTable(
        ("",),
        ("yes", "no"),
        ("Europe", "Africa", "Asia"),
        {
            ("", "yes", "Europe"): 10,
            ("", "no", "Europe"): 6,
            ("", "yes", "Africa"): 2,
            ("", "no", "Africa"): 1,
            ("", "yes", "Asia"): 7,
            ("", "no", "Asia"): 5,
        },
        {"Europe": 16, "Africa": 3, "Asia": 12},
        {"": SUMS_TO_BASE},
    )
    shown = suppress_table(table, 5)
    assert shown.base("Africa") is None
    assert shown.cell("", "yes", "Africa") is None and shown.cell("", "no", "Africa") is None
    # 31 respondents minus Europe's 16 would give Africa's 3 back if Asia's 12 were shown.
    assert shown.base("Asia") is None
    assert shown.hidden_groups() == ("Africa", "Asia")
    assert shown.base(ALL) == 31
    assert shown.cell("", "yes", ALL) == 19
    assert shown.shown_groups() == (ALL, "Europe")


def test_too_few_respondents_overall_hides_every_count():
    table = CountTable(
        ("",),
        ("yes", "no"),
        (),
        {("", "yes", ALL): 3, ("", "no", ALL): 1},
        {ALL: 4},
        {"": SUMS_TO_BASE},
    )
    shown = suppress_table(table, 5)
    assert shown.base(ALL) is None
    assert shown.cell("", "yes", ALL) is None
    assert shown.shown_groups() == ()


def test_multiple_choice_cells_do_not_add_up_so_only_small_ones_hide():
    table = CountTable(
        ("",),
        ("police", "customs", "other"),
        (),
        {("", "police", ALL): 14, ("", "customs", ALL): 9, ("", "other", ALL): 2},
        {ALL: 18},
        {"": NO_SUM},
    )
    shown = suppress_table(table, 5)
    assert shown.cell("", "other", ALL) is None
    assert shown.cell("", "police", ALL) == 14
    assert shown.cell("", "customs", ALL) == 9
    assert round(shown.percent("", "police", ALL)) == 78  # of the 18 respondents


def test_grid_statements_add_up_to_their_own_totals():
    table = CountTable(
        ("ports", "internet"),
        ("1", "2"),
        (),
        {("ports", "1", ALL): 4, ("ports", "2", ALL): 8, ("internet", "1", ALL): 6},
        {ALL: 12},
        {"ports": SUMS_TO_ITEM, "internet": SUMS_TO_ITEM},
    )
    shown = suppress_table(table, 5)
    # Ports: 4 hidden, so is 8 (12 − 8 = 4); its total (12) stays: two hidden cells in the line.
    assert shown.cell("ports", "1", ALL) is None and shown.cell("ports", "2", ALL) is None
    assert shown.cell("internet", "1", ALL) == 6
    assert shown.percent("internet", "1", ALL) == 100


def test_keys_name_cells_and_bases():
    assert cell_key("", "yes", ALL) == ("cell", "", "yes", ALL)
    assert base_key("Europe") == ("base", "Europe")
