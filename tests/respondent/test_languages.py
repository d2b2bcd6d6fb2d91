"""Both questionnaires of the meeting render on every page in each of the six UN languages."""

import html
import re
from pathlib import Path

import pytest

from survey.i18n import LANGUAGES
from tests.respondent.conftest import invite, load_questionnaire, start

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


@pytest.mark.parametrize("slug", ["tfm-pre", "tfm-post"])
def test_every_page_renders_in_the_six_languages(app, slug):
    from survey.questionnaires.loader import load_definition

    definition = load_definition(QUESTIONS / f"{slug}.yaml", QUESTIONS)
    questionnaire_id = load_questionnaire(app, QUESTIONS / f"{slug}.yaml")
    for lang in LANGUAGES:
        client = app.test_client()
        expert = invite(app, questionnaire_id, email=f"{lang}@example.org", language=lang)
        first = start(client, expert)
        assert f'lang="{lang}"' in first
        assert ('dir="rtl"' in first) == (lang == "ar")
        for section in definition.sections:
            page = client.get(f"{expert.url}/p/{section.key}")
            assert page.status_code == 200, (lang, section.key)
            text = html.unescape(page.text)
            assert section.title[lang] in text, (lang, section.key)
            shown = [q for q in section.questions if q.show_if is None]
            for question in shown:
                assert question.label[lang].strip() in text, (lang, question.key)
        assert not re.search(r"\{\{|\}\}", first)  # no template syntax leaked


def test_the_browser_language_is_used_when_the_expert_has_none_chosen(app, client):
    questionnaire_id = load_questionnaire(app, QUESTIONS / "tfm-pre.yaml")
    expert = invite(app, questionnaire_id, language="en")
    page = client.get(f"{expert.url}/", headers={"Accept-Language": "fr-CH, fr;q=0.9"})
    assert 'lang="en"' in page.text  # the expert's own language comes first
    home = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert 'lang="zh"' in home.text


def test_the_switcher_changes_the_language_of_the_questionnaire(app, client):
    questionnaire_id = load_questionnaire(app, QUESTIONS / "tfm-pre.yaml")
    expert = invite(app, questionnaire_id)
    start(client, expert)
    page = client.get(f"{expert.url}/p/profile?lang=ru")
    assert 'lang="ru"' in page.text
    assert 'href="?lang=ar"' in page.text
