"""Rendered questions kept for the next page that shows them without an answer.

Rendering a question's macro is most of the cost of a page, and every expert first opens
every page with nothing answered, so the same questions are rendered the same way again and
again. A question with an answer or an error is always rendered afresh, and never kept: no
answer stays in memory after its request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import get_locale
from markupsafe import Markup

from survey.questionnaires.model import Question

_RENDERED: dict[tuple, tuple[Question, Markup]] = {}
_RENDERED_MOST = 5000


def question_html(
    macro: Callable[..., Markup],
    question: Question,
    raw: Any,
    error: Any,
    link,
    hidden: bool,
    note: str,
) -> Markup:
    """``macro(question, raw, error, link, hidden, note)``, from memory when unanswered."""
    if raw or error:
        return macro(question, raw, error, link, hidden, note)
    # What the macro's output depends on besides the question: the language of the
    # questionnaire's texts, that of the page's own texts, and the arguments.
    key = (id(question), link.lang, str(get_locale()), hidden, note)
    found = _RENDERED.get(key)
    if found is not None and found[0] is question:  # the same object, not a reused id
        return found[1]
    html = macro(question, raw, error, link, hidden, note)
    if len(_RENDERED) >= _RENDERED_MOST:
        _RENDERED.clear()
    _RENDERED[key] = (question, html)
    return html
