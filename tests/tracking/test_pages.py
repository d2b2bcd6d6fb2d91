"""The tracking page: counts for everyone signed in, people and changes for admins only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.models import AuditEvent, Questionnaire
from survey.models.columns import utcnow
from tests.organiser.helpers import CSRF
from tests.respondent.conftest import VALID, load_questionnaire
from tests.tracking.conftest import add_expert

PAGE = "/staff/track/minimal"


def _token(client, url: str = PAGE) -> str:
    return CSRF.search(client.get(url).text).group(1)


def _questionnaire(database, questionnaire_id: int) -> Questionnaire:
    with database.read_sessions() as session:
        return session.get(Questionnaire, questionnaire_id)


def test_signing_in_is_needed(client, minimal_id):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/staff/login" in response.location


def test_an_admin_sees_the_counts_and_who_has_not_submitted(app, admin_client, minimal_id):
    waiting = add_expert(app, minimal_id, state="started", country="KEN", name="Wanjiru Kamau")
    done = add_expert(app, minimal_id, state="submitted", country="FRA", name="Jean Dupont")
    page = admin_client.get(PAGE)
    assert page.status_code == 200
    assert waiting.email in page.text and "Wanjiru Kamau" in page.text
    assert done.email not in page.text  # submitted: not on the list of people to remind
    assert "1 person has not submitted" in page.text
    assert "Send a reminder" in page.text or "E-mail is not set up" in page.text
    region_table = re.search(
        r'<table class="data counts" id="by-region">.*?</table>', page.text, re.S
    )
    assert "Africa" in region_table.group(0) and "Europe" in region_table.group(0)
    no_answer = re.search(r"UN regions</dt>\s*<dd>(.*?)</dd>", page.text, re.S).group(1)
    assert no_answer.strip() == "Africa"


def test_an_analyst_sees_the_counts_but_no_names(app, analyst_client, minimal_id):
    expert = add_expert(app, minimal_id, state="started", name="Wanjiru Kamau")
    page = analyst_client.get(PAGE)
    assert page.status_code == 200
    assert 'id="by-region"' in page.text and 'id="by-stakeholder_group"' in page.text
    assert expert.email not in page.text and "Wanjiru Kamau" not in page.text
    assert "Send a reminder" not in page.text and "Download their links" not in page.text
    assert "Close the questionnaire" not in page.text


@pytest.mark.parametrize(
    "url",
    [
        f"{PAGE}/remind",
        f"{PAGE}/close",
        f"{PAGE}/reopen",
        f"{PAGE}/closing",
        f"{PAGE}/links.csv",
        "/staff/track/participants",
        "/staff/track/participants/links.csv",
    ],
)
def test_an_analyst_is_refused_every_change(app, analyst_client, minimal_id, url):
    add_expert(app, minimal_id)
    data = {"csrf_token": _token(analyst_client), "expected": "1", "questionnaire": "minimal"}
    assert analyst_client.post(url, data=data).status_code == 403
    if url.endswith(("remind", "participants")):
        assert analyst_client.get(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        f"{PAGE}/remind",
        f"{PAGE}/close",
        f"{PAGE}/reopen",
        f"{PAGE}/closing",
        f"{PAGE}/links.csv",
        "/staff/track/participants",
        "/staff/track/participants/links.csv",
    ],
)
def test_every_change_needs_the_csrf_token(app, admin_client, minimal_id, database, url):
    add_expert(app, minimal_id)
    data = {"expected": "1", "questionnaire": "minimal", "closes": "2030-01-01T10:00"}
    assert admin_client.post(url, data=data).status_code == 400
    questionnaire = _questionnaire(database, minimal_id)
    assert questionnaire.closed_early_at is None
    assert questionnaire.closes_at < utcnow() + timedelta(days=31)


def test_an_unknown_questionnaire_is_not_found(admin_client):
    assert admin_client.get("/staff/track/no-such-thing").status_code == 404


def test_anonymous_tracking_shows_no_timing_and_nothing_of_answers(app, admin_client):
    anonymous_id = load_questionnaire(app, VALID / "minimal.yaml", anonymous=True)
    add_expert(app, anonymous_id, state="edited")
    add_expert(app, anonymous_id, state="started")
    page = admin_client.get(PAGE).text
    assert "This questionnaire is anonymous" in page
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', page)
    assert "Invited" in headers and "Submitted" in headers
    assert "Draft" not in headers and "Edited" not in headers
    assert "<td>Link opened</td>" in page  # a fact of the invitation, without its time
    today = utcnow().strftime("%Y")
    pending = re.search(r'id="pending".*?</table>', page, re.S).group(0)
    shown = re.sub(r'value="[^"]*"', "", pending)  # random form tokens may hold any digits
    assert not re.search(rf"\b{today}\b", shown)  # no date at all on the list of people


def test_the_index_lists_the_questionnaires(analyst_client, minimal_id):
    page = analyst_client.get("/staff/track/")
    assert page.status_code == 200
    assert 'href="/staff/track/minimal"' in page.text
    assert "Participant list" not in page.text  # admins only


def test_the_staff_landing_page_links_to_tracking(analyst_client):
    assert 'href="/staff/track/"' in analyst_client.get("/staff/").text


def test_the_page_in_arabic_is_right_to_left(app, admin_client, minimal_id):
    add_expert(app, minimal_id, country="EGY")
    page = admin_client.get(PAGE + "?lang=ar").text
    assert 'dir="rtl"' in page and "مصر" in page


def test_links_of_those_who_have_not_submitted_download_as_safe_csv(
    app, admin_client, client, minimal_id, database
):
    waiting = add_expert(app, minimal_id, name='=HYPERLINK("http://x")')
    add_expert(app, minimal_id, state="submitted")
    response = admin_client.post(f"{PAGE}/links.csv", data={"csrf_token": _token(admin_client)})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 2  # the header and the one who has not submitted
    assert "'=HYPERLINK" in lines[1]
    token = re.search(r"/r/([A-Za-z0-9_-]{43})", lines[1]).group(1)
    assert client.get(f"/r/{token}/").status_code == 200
    assert client.get(f"/r/{waiting.token}/").status_code == 200  # the old link still works
    with database.read_sessions() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "links_exported"))
    assert event.detail["rows"] == 1
