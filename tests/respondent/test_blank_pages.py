"""Pages with nothing answered on them are kept and shared between experts: each expert still
gets exactly the page rendered for them, with their own link, form token and lock version."""

from __future__ import annotations

import re

import pytest

from survey.db import database
from survey.respondent import blank_pages
from survey.services import questionnaires as store
from tests.respondent.conftest import (
    VALID,
    csrf_token,
    invite,
    load_questionnaire,
    lock_version,
    post_page,
    start,
)


@pytest.fixture(autouse=True)
def nothing_kept():
    blank_pages._KEPT.clear()
    yield
    blank_pages._KEPT.clear()


def without_csrf(html: str) -> str:
    """The page without its CSRF token (signed with the time, so unlike from one GET to the
    next)."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)


def test_a_kept_page_is_the_page_rendered_afresh(app, questionnaire_id, monkeypatch):
    first, second = (invite(app, questionnaire_id, f"e{n}@example.org") for n in (1, 2))
    for expert in (first, second):
        start(app.test_client(), expert)
    blank_pages._KEPT.clear()
    renders = []
    render_with_placeholders = blank_pages._pieces
    monkeypatch.setattr(
        blank_pages, "_pieces", lambda *a: renders.append(a) or render_with_placeholders(*a)
    )
    kept = {}
    for language in ("en", "fr"):
        browsers = [app.test_client(), app.test_client()]
        for expert, browser in zip((first, second), browsers, strict=True):
            browser.get(f"{expert.url}/?lang={language}")  # the language stays for the session
        for section in ("framework", "evaluation"):
            browsers[0].get(f"{first.url}/p/{section}")  # rendered and kept
            kept[language, section] = browsers[1].get(f"{second.url}/p/{section}").text
    assert len(renders) == len(blank_pages._KEPT) == 4  # each page in each language, once

    monkeypatch.setattr(blank_pages, "may_keep", lambda view: False)
    for (language, section), page in kept.items():
        browser = app.test_client()
        browser.get(f"{second.url}/?lang={language}")
        afresh = browser.get(f"{second.url}/p/{section}").text
        assert without_csrf(page) == without_csrf(afresh)
        assert second.token in page and first.token not in page
    assert len(renders) == 4


def test_each_expert_saves_with_their_own_token_and_lock_version(app, questionnaire_id):
    experts = [invite(app, questionnaire_id, f"e{n}@example.org") for n in (1, 2)]
    browsers = [app.test_client(), app.test_client()]
    for expert, browser in zip(experts, browsers, strict=True):
        start(browser, expert)
        html = browser.get(f"{expert.url}/p/framework").text
        saved = post_page(browser, expert, "framework", html, {"country": "FRA"}, action="next")
        assert saved.status_code == 302, saved.text
    # The second expert saves twice more: the same blank page, at another lock version.
    for _ in range(2):
        html = browsers[1].get(f"{experts[1].url}/p/evaluation").text
        assert post_page(browsers[1], experts[1], "evaluation", html, {}).status_code == 302
    pages = [b.get(f"{e.url}/p/evaluation").text for e, b in zip(experts, browsers, strict=True)]
    assert [lock_version(page) for page in pages] == [1, 3]
    assert csrf_token(pages[0]) != csrf_token(pages[1])
    for expert, browser, page in zip(experts, browsers, pages, strict=True):
        saved = post_page(browser, expert, "evaluation", page, {"useful": "3"})
        assert saved.status_code == 302, saved.text


def test_an_answer_on_the_page_is_never_kept_nor_shown_to_another(app, questionnaire_id):
    first, second = (invite(app, questionnaire_id, f"e{n}@example.org") for n in (1, 2))
    browser = app.test_client()
    html = start(browser, first)
    answer = {"lead_agency": "other", "lead_agency.other": "Agence nationale du médicament"}
    assert post_page(browser, first, "framework", html, answer).status_code == 302
    assert "Agence nationale du médicament" in browser.get(f"{first.url}/p/framework").text
    kept = [piece for _, pieces in blank_pages._KEPT.values() for piece in pieces]
    assert kept and not any("Agence nationale" in piece for piece in kept)

    other = app.test_client()
    page = start(other, second)
    assert "Agence nationale du médicament" not in page and first.token not in page
    assert "Agence nationale du médicament" in browser.get(f"{first.url}/p/framework").text


def test_notices_and_messages_are_shown_on_a_page_otherwise_kept(app, client, expert):
    html = start(client, expert)
    saved = post_page(client, expert, "framework", html, {}, action="save")
    assert saved.location.endswith("?saved=1")
    assert "Your answers are saved" in client.get(saved.location).text
    assert "Your answers are saved" not in client.get(f"{expert.url}/p/framework").text
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "You have signed out.")]
    assert "You have signed out." in client.get(f"{expert.url}/p/framework").text


def test_a_question_shown_by_another_page_is_in_the_key(app, tmp_path):
    # main_obstacle (evaluation) is asked only of those who answered specific_offence
    # (framework) "yes": the same blank evaluation page has it or not.
    text = (VALID / "minimal.yaml").read_text()
    condition = 'show_if: {question: useful, any_of: ["1", "2"]}'
    assert condition in text
    path = tmp_path / "minimal.yaml"
    path.write_text(
        text.replace(condition, 'show_if: {question: specific_offence, any_of: ["yes"]}')
    )
    questionnaire_id = load_questionnaire(app, path)
    experts = {
        answer: invite(app, questionnaire_id, f"{answer}@example.org") for answer in ("yes", "no")
    }
    pages = {}
    for answer, expert in experts.items():
        browser = app.test_client()
        html = start(browser, expert)
        post_page(browser, expert, "framework", html, {"specific_offence": answer})
        pages[answer] = browser.get(f"{expert.url}/p/evaluation").text
    assert "Main obstacle" in pages["yes"] and "Main obstacle" not in pages["no"]
    assert len([key for key in blank_pages._KEPT if key[1] == "evaluation"]) == 2


def test_a_corrected_wording_reaches_the_next_expert(app, tmp_path):
    # A wording change is stored in place, as a new revision of the same version: the page
    # kept with the old wording is not served again.
    path = tmp_path / "minimal.yaml"
    path.write_text((VALID / "minimal.yaml").read_text())
    questionnaire_id = load_questionnaire(app, path)
    before, after = (invite(app, questionnaire_id, f"{n}@example.org") for n in ("a", "b"))
    assert "Which agencies act?" in start(app.test_client(), before)

    path.write_text(path.read_text().replace("Which agencies act?", "Which agencies take action?"))
    [definition] = store.read_definitions([path], tmp_path, app.config["TIMEZONE"])
    with app.app_context(), database().writing() as session:
        result = store.store_definition(session, definition, path.name, app.config["TIMEZONE"])
    assert result.outcome == "new revision"

    page = start(app.test_client(), after)
    assert "Which agencies take action?" in page and "Which agencies act?" not in page
