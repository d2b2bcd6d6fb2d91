"""Invitations and reminders by e-mail, received by a real SMTP server on this machine."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from survey.cli import cli
from survey.db import database
from survey.models import AuditEvent, InvitationToken, Participant, Questionnaire
from survey.models.columns import utcnow
from tests.respondent.conftest import VALID, load_questionnaire
from tests.tracking.conftest import add_expert, invitation_of

TEMPLATES = Path(__file__).resolve().parents[2] / "survey" / "templates" / "tracking" / "mail"


def test_invitations_carry_a_personal_link_that_works(app, client, runner, smtp, minimal_id):
    first = add_expert(app, minimal_id, name="Ana Pérez", language="fr")
    second = add_expert(app, minimal_id)
    result = runner.invoke(cli, ["invite", "minimal"])
    assert result.exit_code == 0, result.output
    assert "invitations sent: 2, failed: 0" in result.output
    [message] = smtp.to(first.email)
    # In her language, French: the words and the questionnaire's title.
    assert message["Subject"] == "Invitation : Questionnaire minimal"
    assert message["From"] == "tm@unodc.org"
    assert message["To"].addresses[0].display_name == "Ana Pérez"
    plain = message.get_body(("plain",)).get_content()
    assert "Bonjour Ana Pérez," in plain
    assert "« Questionnaire minimal »" in plain
    assert "merci de ne pas le transférer" in plain
    assert "anonyme" not in plain
    [english] = smtp.to(second.email)
    assert english["Subject"] == "Invitation: Minimal questionnaire"
    html = message.get_body(("html",)).get_content()
    assert f'href="https://survey.example.org/r/{smtp.link(message)}"' in html
    assert client.get(f"/r/{smtp.link(message)}/").status_code == 200


def test_only_new_leaves_out_those_invited_already(app, runner, smtp, minimal_id):
    add_expert(app, minimal_id)
    with app.app_context(), database().writing() as session:
        session.add(
            Participant(
                email="new@example.org",
                name="New",
                country_iso3="KEN",
                organisation="",
                stakeholder_group="ngo",
                language="en",
            )
        )
    result = runner.invoke(cli, ["invite", "minimal", "--only-new"])
    assert result.exit_code == 0, result.output
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == ["new@example.org"]


def test_reminders_go_only_to_those_who_have_not_submitted(
    app, client, runner, smtp, minimal_id, database
):
    waiting = add_expert(app, minimal_id, state="started")
    done = add_expert(app, minimal_id, state="submitted")
    edited = add_expert(app, minimal_id, state="edited")
    revoked = add_expert(app, minimal_id, state="revoked")
    silent = add_expert(app, minimal_id)
    result = runner.invoke(cli, ["remind", "minimal"])
    assert result.exit_code == 0, result.output
    received = sorted(m["To"].addresses[0].addr_spec for m in smtp.messages)
    assert received == sorted([waiting.email, silent.email])
    assert not smtp.to(done.email) and not smtp.to(edited.email) and not smtp.to(revoked.email)
    [reminder] = smtp.to(waiting.email)
    assert reminder["Subject"] == "Reminder: Minimal questionnaire"
    assert "A link we sent you before still works too." in reminder.get_body().get_content()
    # The new link and the one from the first e-mail both work.
    assert client.get(f"/r/{smtp.link(reminder)}/").status_code == 200
    assert client.get(f"/r/{waiting.token}/").status_code == 200
    assert invitation_of(database, waiting).last_reminded_at is not None
    assert invitation_of(database, done).last_reminded_at is None
    with database.read_sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder_mailed"))
        assert sorted(e.detail["participant_id"] for e in events) == sorted(
            [waiting.participant_id, silent.participant_id]
        )


def test_arabic_and_chinese_subjects_are_encoded(app, runner, smtp, pre_id):
    arabic = add_expert(app, pre_id, language="ar", name="أمينة")
    chinese = add_expert(app, pre_id, language="zh", name="王伟")
    assert runner.invoke(cli, ["invite", "tfm-pre"]).exit_code == 0
    [to_arabic] = smtp.to(arabic.email)
    [to_chinese] = smtp.to(chinese.email)
    assert "استبيان ما قبل الاجتماع" in to_arabic["Subject"]
    assert "会前调查问卷" in to_chinese["Subject"]
    assert to_arabic["To"].addresses[0].display_name == "أمينة"
    for raw in smtp.raw:
        headers = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        headers.decode("ascii")  # every header is 7-bit: encoded words, never raw UTF-8
        assert re.search(rb"^Subject: .*=\?utf-8\?b\?", headers, re.MULTILINE | re.IGNORECASE)
    html = to_arabic.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_a_refused_address_is_reported_and_the_others_still_get_theirs(
    app, runner, smtp, minimal_id, database
):
    refused = add_expert(app, minimal_id)
    fine = add_expert(app, minimal_id)
    smtp.refuse.add(refused.email)
    result = runner.invoke(cli, ["remind", "minimal"])
    assert result.exit_code == 1
    assert f"not sent to {refused.email}: 550" in result.output
    assert "reminders sent: 1, failed: 1" in result.output
    assert len(smtp.to(fine.email)) == 1
    assert invitation_of(database, refused).last_reminded_at is None
    with database.read_sessions() as session:
        failed = session.scalar(select(AuditEvent).where(AuditEvent.outcome == "failed"))
    assert failed.action == "reminder_mailed" and "550" in failed.detail["reason"]


def test_without_a_mail_server_the_error_says_what_to_do(app, runner, minimal_id, database):
    add_expert(app, minimal_id)
    app.config["SMTP_HOST"] = ""
    result = runner.invoke(cli, ["remind", "minimal"])
    assert result.exit_code == 1
    assert "SURVEY_SMTP_HOST" in result.output and "survey links" in result.output
    with database.read_sessions() as session:
        assert len(session.scalars(select(InvitationToken)).all()) == 1  # no link issued


def test_an_unreachable_server_stops_before_any_link_is_issued(app, runner, minimal_id, database):
    add_expert(app, minimal_id)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=1)
    result = runner.invoke(cli, ["invite", "minimal"])
    assert result.exit_code == 1
    assert "cannot use the mail server at 127.0.0.1:1" in result.output
    with database.read_sessions() as session:
        assert len(session.scalars(select(InvitationToken)).all()) == 1


def test_dry_run_sends_and_stores_nothing(app, runner, smtp, minimal_id, database):
    expert = add_expert(app, minimal_id, language="fr")
    result = runner.invoke(cli, ["remind", "minimal", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert re.search(rf"^{expert.email}\tfr\t.*Questionnaire minimal$", result.output, re.M)
    assert "1 reminder(s) would be sent" in result.output
    assert smtp.messages == []
    assert invitation_of(database, expert).last_reminded_at is None


def test_login_is_used_when_a_user_is_configured(app, runner, smtp, minimal_id):
    add_expert(app, minimal_id)
    app.config.update(SMTP_USER="secretariat", SMTP_PASSWORD="s3cret")
    assert runner.invoke(cli, ["invite", "minimal"]).exit_code == 0
    assert smtp.logins == ["secretariat"] and len(smtp.messages) == 1


def test_anonymous_questionnaires_say_answers_are_not_linked_to_the_name(app, runner, smtp):
    anonymous_id = load_questionnaire(app, VALID / "minimal.yaml", anonymous=True)
    add_expert(app, anonymous_id)
    assert runner.invoke(cli, ["invite", "minimal"]).exit_code == 0
    assert "not linked to your name" in smtp.messages[0].get_body(("plain",)).get_content()


def test_a_closed_questionnaire_gets_no_reminder(app, runner, smtp, minimal_id, database):
    add_expert(app, minimal_id)
    with database.writing() as session:
        session.get(Questionnaire, minimal_id).closed_early_at = utcnow()
    result = runner.invoke(cli, ["remind", "minimal"])
    assert result.exit_code == 1 and "minimal is closed" in result.output
    assert smtp.messages == []


def test_the_plain_and_html_messages_say_the_same_things():
    # Only the .html template is read for the catalogs (babel.cfg): the .txt must not differ.
    def messages(name: str) -> set[str]:
        return set(re.findall(r'_\("([^"]+)"', (TEMPLATES / name).read_text()))

    assert messages("message.txt") == messages("message.html") - {"Open the questionnaire"}
