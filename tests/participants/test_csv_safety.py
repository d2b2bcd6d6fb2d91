"""CSV cells that a spreadsheet cannot run as formulas."""

import pytest

from survey.services.csv_safety import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\r=x"])
def test_formula_like_text_is_shown_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    ("value", "cell"), [("Ana", "Ana"), ("", ""), (None, ""), (-3, "-3"), (2.5, "2.5")]
)
def test_other_values_are_left_alone(value, cell):
    assert safe_cell(value) == cell
