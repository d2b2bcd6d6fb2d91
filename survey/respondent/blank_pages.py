"""Questionnaire pages with nothing answered on them, kept for the next expert who opens one.

Every expert first opens every page with nothing answered, and such a page differs from one
expert to the next in three values only: the personal link's token (in the page's
addresses), the form's CSRF token and the draft's lock version. So it is rendered once with a
placeholder for each, kept as the pieces between them, and each request joins the pieces with
its own values. A page request of the pre-meeting questionnaire went from 1.5 to 0.9 ms of CPU
(SQLite, in one process): rendering the page was two fifths of it.

What else a page shows depends on what the key holds: the questionnaire, the page, the two
languages, which questions are rendered and hidden, and which pages the list of pages shows.
A page with an answer, an error, a notice or a message on it is always rendered afresh and
never kept. The placeholders are random for each process, so no text of a questionnaire can
hold one, and the real token and CSRF token never go into the render: no token and no answer
stays in memory after its request.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import Callable

from flask import g, request, session
from flask_babel import get_locale

from survey.respondent.pages import PageView

# Letters and digits only: an address and HTML take them as they are.
_TOKEN = f"tkn{secrets.token_hex(12)}"
_CSRF = f"csrf{secrets.token_hex(12)}"
_LOCK = f"lock{secrets.token_hex(12)}"
_PLACEHOLDER = re.compile(f"({_TOKEN}|{_CSRF}|{_LOCK})")

# A page of the pre-meeting questionnaire is 5-25 kB (the most: the list of countries); a
# few hundred cover every page in the six languages with room for patterns of hidden questions.
_KEPT_MOST = 400
_KEPT: dict[tuple, tuple[object, tuple[str, ...]]] = {}


def may_keep(view: PageView) -> bool:
    """Whether the page of ``view`` is the same for every expert but for the three values:
    nothing answered on it, no error, no notice asked for and no message waiting."""
    if view.errors or request.args or session.get("_flashes"):
        return False
    return not any(view.raw.get(q.key) for q in view.questions())


def page(view: PageView, link, csrf_token: str, render: Callable[..., str]) -> str:
    """The page of ``view`` for ``link``: from memory, else ``render(link=, view=,
    csrf_token=)`` with placeholders, kept. Only for a page ``may_keep`` allows."""
    key = _key(view, link)
    found = _KEPT.get(key)
    if found is None or found[0] is not view.definition:  # a reused id() is another object
        found = (view.definition, _pieces(view, link, render))
        if len(_KEPT) >= _KEPT_MOST:
            _KEPT.clear()
        _KEPT[key] = found
    values = {_TOKEN: link.token, _CSRF: csrf_token, _LOCK: str(view.lock_version)}
    # The pieces alternate: text, placeholder, text, ..., text.
    return "".join(values[piece] if n % 2 else piece for n, piece in enumerate(found[1]))


def _key(view: PageView, link) -> tuple:
    return (
        id(view.definition),
        view.section.key,
        link.lang,
        str(get_locale()),
        tuple((q.key, view.hidden_for_now(q)) for q in view.questions()),
        tuple(s.key for s in view.sections_shown()),
    )


def _pieces(view: PageView, link, render: Callable[..., str]) -> tuple[str, ...]:
    """The page rendered with placeholders, split at them."""
    stand_in = dataclasses.replace(link, token=_TOKEN)
    real_link = g.link
    # The addresses of the page are built from g.link's token (and the prefix of the links
    # between pages, kept in g, from the first of them).
    g.link = stand_in
    g.pop("page_url_prefix", None)
    try:
        html = render(
            link=stand_in,
            view=dataclasses.replace(view, lock_version=_LOCK),
            csrf_token=lambda: _CSRF,
        )
    finally:
        g.link = real_link
        g.pop("page_url_prefix", None)
    return tuple(_PLACEHOLDER.split(html))
