"""Stored text is shown as text everywhere: HTML and template syntax in it never become markup."""

import csv
import html
import io
import json
import re

from survey.db import database
from survey.models import Participant, Questionnaire
from survey.services import answering, links
from tests.organiser.helpers import csrf_token, sign_in
from tests.respondent.conftest import VALID, invite, load_questionnaire

PAYLOAD = '<img src=x onerror="alert(1)">{{7*7}}<script>alert(2)</script>'
# What a browser would run or render if the payload ever reached a page as markup.
MARKUP = re.compile(r"<img src=x|<script>alert|onerror=\"alert")
ANSWERS = {
    "country": {"": ["FRA"]},
    "lead_agency": {"": ["other"], "other": [PAYLOAD]},
    "agencies_involved": {"": ["police"]},
    "comments": {"": [PAYLOAD]},
    "priorities": {"police": ["1"], "customs": ["2"]},
}


def _questionnaire_with_payload(app, tmp_path) -> int:
    """The minimal questionnaire with the payload in a question's label and an option's."""
    text = (VALID / "minimal.yaml").read_text()
    label = "{en: " + json.dumps("Comments " + PAYLOAD) + ", fr: Commentaires}"
    text = text.replace("{en: Comments, fr: Commentaires}", label)
    police = "{code: police, label: {en: Police, fr: Police}}\n    - {code: customs"
    text = text.replace(
        police, police.replace("{en: Police,", "{en: " + json.dumps("Police " + PAYLOAD) + ",")
    )
    (tmp_path / "minimal.yaml").write_text(text)
    return load_questionnaire(app, tmp_path / "minimal.yaml")


def _submit_payload(app, expert) -> None:
    with app.app_context(), database().writing() as session:
        invitation = links.find_invitation(session, expert.token)
        questionnaire = session.get(Questionnaire, invitation.questionnaire_id)
        secret = app.config["PSEUDONYM_KEY"]
        response = answering.start(session, invitation, questionnaire, secret, "en")
        response = answering.save(session, response, questionnaire, ANSWERS, None, 0)
        outcome = answering.submit(session, invitation, response, questionnaire, 1)
        assert not outcome.problems, outcome.problems


def _assert_text_only(page: str, where: str) -> None:
    assert not MARKUP.search(page), f"markup from stored text on {where}"


def test_stored_text_is_text_on_every_page_and_in_charts(app, client, admin, tmp_path):
    questionnaire_id = _questionnaire_with_payload(app, tmp_path)
    expert = invite(app, questionnaire_id)
    _submit_payload(app, expert)
    pending = invite(app, questionnaire_id, email="pending@example.org")
    with app.app_context(), database().writing() as session:
        session.get(Participant, pending.participant_id).name = PAYLOAD
    expert_client = app.test_client()
    for url in ("/", "/p/framework", "/p/evaluation", "/review", "/done"):
        _assert_text_only(expert_client.get(expert.url + url).text, url)
    copy = html.unescape(expert_client.get(expert.url + "/done").text)
    assert PAYLOAD in copy  # the answer, shown as typed (the template syntax not run)
    sign_in(client, admin.email, admin.password)
    for url in (
        "/staff/q/",
        "/staff/q/minimal/dashboard",
        "/staff/q/minimal/dashboard?by=region",
        "/staff/q/minimal/sessions",
        "/staff/q/minimal/texts",
        "/staff/track/minimal",
        "/staff/export/minimal/",
        "/staff/export/audit",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_text_only(page.text, url)
    assert PAYLOAD in html.unescape(client.get("/staff/q/minimal/texts").text)
    assert PAYLOAD in html.unescape(client.get("/staff/track/minimal").text)


def test_import_errors_show_the_bad_value_as_text(app, client, admin):
    sign_in(client, admin.email, admin.password)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["name", "email", "country", "organisation", "stakeholder_group", "preferred_language"]
    )
    writer.writerow([PAYLOAD, "not-an-email", PAYLOAD, "Org", "government", "en"])
    page = client.post(
        "/staff/track/participants",
        data={
            "csrf_token": csrf_token(client, "/staff/track/participants"),
            "file": (io.BytesIO(buffer.getvalue().encode()), "list.csv"),
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 422
    _assert_text_only(page.text, "participant upload")
    assert "not-an-email" in page.text and PAYLOAD in html.unescape(page.text)
