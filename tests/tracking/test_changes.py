"""What admins change from the tracking pages: reminders, closing, the participant list."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from survey.models import AuditEvent, Participant, Questionnaire
from survey.models.columns import utcnow
from tests.organiser.helpers import CSRF
from tests.tracking.conftest import add_expert, invitation_of

PAGE = "/staff/track/minimal"
UPLOAD = "/staff/track/participants"
HEADER = "name,email,country,organisation,stakeholder_group,preferred_language\r\n"


def _token(client, url: str = PAGE) -> str:
    return CSRF.search(client.get(url).text).group(1)


def _questionnaire(database, questionnaire_id: int) -> Questionnaire:
    with database.read_sessions() as session:
        return session.get(Questionnaire, questionnaire_id)


def _actions(database) -> list[str]:
    with database.read_sessions() as session:
        return [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


# --- Reminders -------------------------------------------------------------------------------


def test_a_reminder_from_the_page_goes_only_to_those_who_have_not_submitted(
    app, admin_client, client, smtp, minimal_id, database
):
    waiting = add_expert(app, minimal_id, state="started")
    silent = add_expert(app, minimal_id)
    done = add_expert(app, minimal_id, state="submitted")
    confirm = admin_client.get(f"{PAGE}/remind")
    assert "Send the reminder to 2 people" in confirm.text
    response = admin_client.post(
        f"{PAGE}/remind",
        data={"csrf_token": CSRF.search(confirm.text).group(1), "expected": "2"},
        follow_redirects=True,
    )
    assert "Reminder sent to 2 people." in response.text
    assert sorted(m["To"].addresses[0].addr_spec for m in smtp.messages) == sorted(
        [waiting.email, silent.email]
    )
    assert smtp.to(done.email) == []
    assert client.get(f"/r/{smtp.link(smtp.to(waiting.email)[0])}/").status_code == 200
    assert client.get(f"/r/{waiting.token}/").status_code == 200
    assert invitation_of(database, silent).last_reminded_at is not None


def test_a_reminder_is_not_sent_when_the_number_changed_since_the_confirmation(
    app, admin_client, smtp, minimal_id
):
    add_expert(app, minimal_id)
    token = _token(admin_client, f"{PAGE}/remind")
    add_expert(app, minimal_id)  # someone was added meanwhile
    response = admin_client.post(f"{PAGE}/remind", data={"csrf_token": token, "expected": "1"})
    assert response.status_code == 302 and response.location.endswith("/remind")
    assert smtp.messages == []


def test_without_a_mail_server_the_page_offers_the_links_instead(app, admin_client, minimal_id):
    add_expert(app, minimal_id)
    app.config["SMTP_HOST"] = ""
    page = admin_client.get(PAGE).text
    assert "E-mail is not set up" in page and "Send a reminder" not in page
    assert "Download their links (CSV)" in page


# --- Closing, reopening, moving the closing date ---------------------------------------------


def test_close_now_and_reopen(app, admin_client, client, minimal_id, database):
    expert = add_expert(app, minimal_id)
    response = admin_client.post(f"{PAGE}/close", data={"csrf_token": _token(admin_client)})
    assert response.status_code == 302
    assert _questionnaire(database, minimal_id).closed_early_at is not None
    assert "This questionnaire is closed" in client.get(f"/r/{expert.token}/").text
    page = admin_client.get(PAGE).text
    assert "Closed early" in page and "Reopen the questionnaire" in page
    admin_client.post(f"{PAGE}/reopen", data={"csrf_token": _token(admin_client)})
    assert _questionnaire(database, minimal_id).closed_early_at is None
    assert "This questionnaire is closed" not in client.get(f"/r/{expert.token}/").text
    assert _actions(database)[-2:] == ["questionnaire_closed", "questionnaire_reopened"]


def test_reopening_after_the_closing_date_is_refused(app, admin_client, minimal_id, database):
    with database.writing() as session:
        questionnaire = session.get(Questionnaire, minimal_id)
        questionnaire.closed_early_at = utcnow() - timedelta(days=2)
        questionnaire.closes_at = utcnow() - timedelta(days=1)
    response = admin_client.post(
        f"{PAGE}/reopen", data={"csrf_token": _token(admin_client)}, follow_redirects=True
    )
    assert "The closing date has passed" in response.text
    assert _questionnaire(database, minimal_id).closed_early_at is not None


def test_the_closing_date_moves_in_the_meetings_time_zone(app, admin_client, minimal_id, database):
    later = (utcnow() + timedelta(days=60)).astimezone(ZoneInfo("Europe/Vienna"))
    local = later.strftime("%Y-%m-%dT18:00")
    response = admin_client.post(
        f"{PAGE}/closing", data={"csrf_token": _token(admin_client), "closes": local}
    )
    assert response.status_code == 302
    expected = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Europe/Vienna"))
    assert _questionnaire(database, minimal_id).closes_at == expected.astimezone(UTC)
    assert _actions(database)[-1] == "questionnaire_closing_moved"


def test_a_closing_date_in_the_past_or_before_the_opening_is_refused_next_to_the_field(
    app, admin_client, minimal_id, database
):
    before = _questionnaire(database, minimal_id).closes_at
    for closes, message in [
        ("2020-01-01T10:00", "This date and time has passed"),
        ("not a date", "Enter a date and time"),
        ("", "Enter a date and time"),
    ]:
        response = admin_client.post(
            f"{PAGE}/closing", data={"csrf_token": _token(admin_client), "closes": closes}
        )
        assert response.status_code == 422
        error = response.text.split('id="closes-error"', 1)[1].split("</p>", 1)[0]
        assert message in error
    assert _questionnaire(database, minimal_id).closes_at == before
    with database.writing() as session:
        session.get(Questionnaire, minimal_id).opens_at = utcnow() + timedelta(days=10)
    soon = (utcnow() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Vienna"))
    response = admin_client.post(
        f"{PAGE}/closing",
        data={"csrf_token": _token(admin_client), "closes": soon.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 422 and "close before it opens" in response.text
    assert _questionnaire(database, minimal_id).closes_at == before


# --- The participant list --------------------------------------------------------------------


def _upload(client, content: str):
    data = {
        "csrf_token": _token(client, UPLOAD),
        "file": (io.BytesIO(content.encode("utf-8")), "list.csv"),
    }
    return client.post(UPLOAD, data=data, content_type="multipart/form-data")


def test_a_list_with_errors_imports_nothing_and_shows_every_problem(admin_client, database):
    bad = (
        HEADER
        + "Ana,ana@example.org,Spain,,government,es\r\n"
        + "Bob,not-an-email,Atlantis,,government,en\r\n"
        + 'Eve,eve@example.org,<script>alert(1)</script>,,"<b>bold</b>",xx\r\n'
    )
    response = _upload(admin_client, bad)
    assert response.status_code == 422
    assert "5 problems: nothing was imported" in response.text
    table = response.text.split('class="data problems"', 1)[1].split("</table>", 1)[0]
    cells = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[:3]
        for row in table.split("<tbody>", 1)[1].split("<tr>")[1:]
    ]
    values = [
        (row.strip(), column.strip(), re.sub("<[^>]+>", "", value)) for row, column, value in cells
    ]
    assert values == [
        ("3", "email", "not-an-email"),
        ("3", "country", "Atlantis"),
        ("4", "country", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("4", "stakeholder_group", "&lt;b&gt;bold&lt;/b&gt;"),
        ("4", "preferred_language", "xx"),
    ]
    assert "<script>alert(1)</script>" not in response.text
    with database.read_sessions() as session:
        assert session.scalars(select(Participant)).all() == []


def test_a_good_list_is_imported_and_counted(admin_client, database):
    good = HEADER + "Ana,ana@example.org,Spain,,government,es\r\nWei,wei@who.int,CHN,WHO,IGO,zh\r\n"
    response = _upload(admin_client, good)
    assert response.status_code == 302
    page = admin_client.get(response.location).text
    assert "The list is imported: 2 added, 0 updated, 0 unchanged." in page
    assert "The list holds 2 participants." in page
    again = admin_client.get(_upload(admin_client, good).location).text
    assert "0 added, 0 updated, 2 unchanged." in again
    assert _actions(database)[-1] == "participants_imported"


def test_no_file_is_a_message_next_to_the_field(admin_client):
    response = admin_client.post(
        UPLOAD,
        data={"csrf_token": _token(admin_client, UPLOAD)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "Choose a CSV file." in response.text


def test_links_for_everyone_on_the_list_download_as_csv(admin_client, client, minimal_id):
    _upload(admin_client, HEADER + "Ana,ana@example.org,Spain,,government,es\r\n")
    data = {"csrf_token": _token(admin_client, UPLOAD), "questionnaire": "minimal"}
    response = admin_client.post(f"{UPLOAD}/links.csv", data=data)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.get_data().startswith("\ufeff".encode())
    link = response.get_data(as_text=True).splitlines()[1].split(",")[4]
    assert client.get(link.replace("https://survey.example.org", "") + "/").status_code == 200
    second = admin_client.post(f"{UPLOAD}/links.csv", data=data).get_data(as_text=True)
    assert "already issued" in second.splitlines()[1]
