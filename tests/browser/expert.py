"""What an expert does in the browser: open the link, answer a page, press a button.

Answers are written as the form sends them, field name -> value (or list of values), e.g.
``{"country": "KEN", "offence_conducts": ["manufacture"], "detection_frequency.online_sale": "3",
"investigations.na": "1"}``; ``fill`` answers them whatever the control (select, radio, checkbox,
text) and ``expect_answers`` checks a page shows them exactly. Buttons are found by their
``action`` value, not their words, so the same helpers drive every language.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cache
from pathlib import Path

from playwright.sync_api import Page, expect

from survey.db import database
from survey.models import Questionnaire
from survey.models.columns import utcnow
from survey.questionnaires.model import Questionnaire as Definition
from survey.services import questionnaires as store
from tests.respondent.conftest import Expert, invite, load_questionnaire

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
SHOTS = Path("/tmp/shots")
Answers = dict[str, str | list[str]]


@cache
def definition(slug: str) -> Definition:
    """The questionnaire file ``questions/<slug>.yaml``, as the app reads it."""
    path = QUESTIONS / f"{slug}.yaml"
    [found] = store.read_definitions([path], QUESTIONS, "Europe/Vienna")
    return found


def invite_to(app, slug: str, language: str = "en") -> Expert:
    """Load the real questionnaire (open from yesterday for a month) and invite one expert."""
    return invite(app, load_questionnaire(app, QUESTIONS / f"{slug}.yaml"), language=language)


def close_questionnaire(app, expert: Expert) -> None:
    """Make the questionnaire's closing time a minute ago."""
    with app.app_context(), database().writing() as session:
        session.get(Questionnaire, expert.questionnaire_id).closes_at = utcnow() - timedelta(
            minutes=1
        )


def label(slug: str, key: str, lang: str, code: str | None = None) -> str:
    """The words of a question (or of one of its options, scale points or grid rows)."""
    question = definition(slug).question(key)
    if code is None:
        return question.label[lang]
    for item in (*question.options, *question.scale):
        if item.code == code:
            return item.label[lang]
    for statement in question.statements:
        if statement.key == code:
            return statement.label[lang]
    raise KeyError(f"{key} has no option {code}")


# ---- moving around ----


def open_link(page: Page, expert: Expert, lang: str = "en") -> None:
    """Open the personal link's welcome page; check its language and direction."""
    page.goto(expert.url + "/")
    expect_language(page, lang)


def expect_language(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")


def start(page: Page) -> None:
    """Press the welcome page's button: Start, Continue where I left off, Change my answers."""
    click_and_land(page, page.locator('form[action$="/start"] button[type="submit"]'))
    expect(page).to_have_url(re.compile(r"/p/\w+$"))


def press(page: Page, action: str) -> int:
    """Press a questionnaire page's button (next, previous, save, review); return the status
    of the page it lands on."""
    return click_and_land(page, page.locator(f'button.button[name="action"][value="{action}"]'))


def click_and_land(page: Page, button) -> int:
    """Click a button that posts a form; wait for the page it lands on; return its status."""
    with page.expect_response(
        lambda r: r.request.is_navigation_request() and not 300 <= r.status < 400
    ) as landed:
        button.click()
    page.wait_for_url(landed.value.url)
    return landed.value.status


def on_page(page: Page, section: str) -> None:
    expect(page).to_have_url(re.compile(rf"/p/{section}(\?[^#]*)?(#.*)?$"))


def go_to_page(page: Page, expert: Expert, section: str) -> None:
    page.goto(f"{expert.url}/p/{section}")
    on_page(page, section)


def submit(page: Page) -> None:
    """Press Submit on the review page; land on the confirmation."""
    click_and_land(page, page.locator('form[action$="/submit"] button[type="submit"]'))
    expect(page).to_have_url(re.compile(r"/done(\?.*)?$"))


# ---- answering ----


def _values(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _control(page: Page, name: str) -> tuple[str, str]:
    """The tag and type of the form control called ``name``."""
    return page.locator(f'[name="{name}"]').first.evaluate(
        "e => [e.tagName.toLowerCase(), (e.getAttribute('type') || '').toLowerCase()]"
    )


def fill(page: Page, answers: Answers) -> None:
    """Answer the questions of the page, in the order given (a condition before its question)."""
    for name, value in answers.items():
        tag, kind = _control(page, name)
        fields = page.locator(f'[name="{name}"]')
        if tag == "select":
            fields.select_option(value)
        elif kind in {"radio", "checkbox"}:
            for v in _values(value):
                fields.and_(page.locator(f'[value="{v}"]')).check()
        else:
            fields.fill(value)


def expect_answers(page: Page, answers: Answers) -> None:
    """The page shows exactly these answers (and, for checkboxes, no other box ticked)."""
    for name, value in answers.items():
        _, kind = _control(page, name)
        fields = page.locator(f'[name="{name}"]')
        if kind in {"radio", "checkbox"}:
            for v in _values(value):
                expect(fields.and_(page.locator(f'[value="{v}"]'))).to_be_checked()
            expect(page.locator(f'[name="{name}"]:checked')).to_have_count(len(_values(value)))
        else:
            expect(fields).to_have_value(value)


def answer_page(page: Page, section: str, answers: Answers, then: str = "next") -> int:
    """On page ``section``: answer, then press ``then``; return the status it lands on."""
    on_page(page, section)
    fill(page, answers)
    return press(page, then)


def still_needed(page: Page) -> list[str]:
    """On the review page, the questions listed as still needed (their words)."""
    return page.locator("table.review td ul li a").all_inner_texts()


def shoot(page: Page, name: str) -> None:
    """A full-page screenshot in /tmp/shots/, to look at (never in the repository)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
