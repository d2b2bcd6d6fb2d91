"""Answers as text: paragraphs keep line breaks and escape everything typed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from survey.respondent.display import paragraphs


def test_paragraphs_and_line_breaks_are_kept_blank_ones_dropped_and_markup_escaped():
    typed = 'First <b>line</b>\r\nsecond & last\n\n\n  \n\nNew "para"'
    assert paragraphs(typed) == Markup(
        "<p>First &lt;b&gt;line&lt;/b&gt;<br>second &amp; last</p><p>New &#34;para&#34;</p>"
    )
    assert paragraphs("") == paragraphs(None) == Markup("")


def _escaped_per_line(value) -> Markup:
    """The rule written out line by line with Markup's own formatting."""
    blocks = [b for b in str(value or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    return Markup("").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in b.split("\n")))
        for b in blocks
    )


@given(st.text(alphabet=st.sampled_from("ab <>&\"'\n\r\t\u00a0"), max_size=40))
def test_paragraphs_escape_as_line_by_line_would(typed):
    assert paragraphs(typed) == _escaped_per_line(typed)
