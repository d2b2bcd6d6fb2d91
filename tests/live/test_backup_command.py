"""``survey backup`` and ``survey restore`` on both databases: back up, change the data, restore
into a new database, and find exactly the backed-up state there. (The live battery also takes
a backup while experts are answering: tests/live/test_deadline_rush.py.)"""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import create_engine, func, select

from survey import create_app
from survey.cli import cli
from survey.models import Answer, Participant, Response, Submission
from survey.services import backup as backups
from tests.databases import postgres_database
from tests.respondent.conftest import (
    csrf_token,
    invite,
    load_questionnaire,
    lock_version,
    post_page,
    start,
)
from tests.respondent.test_flow import EVALUATION, FRAMEWORK


def _answer_and_submit(client, expert, comments: str) -> None:
    html = start(client, expert)
    post_page(client, expert, "framework", html, FRAMEWORK, action="next")
    page = client.get(expert.url + "/p/evaluation").text
    review = post_page(
        client, expert, "evaluation", page, {**EVALUATION, "comments": comments}, action="review",
        follow_redirects=True,
    ).text  # fmt: skip
    form = {"csrf_token": csrf_token(review), "lock_version": lock_version(review)}
    assert client.post(expert.url + "/submit", data=form).status_code == 302


def _state(url: str) -> dict:
    """What the tests compare: people, drafts, submissions and every answer row."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "participants": sorted(conn.execute(select(Participant.email)).scalars()),
                "drafts": sorted(
                    (r.lock_version, r.draft["comments"][""][0])
                    for r in conn.execute(select(Response)).all()
                ),
                "submissions": sorted(
                    (s.number, s.base_lock_version) for s in conn.execute(select(Submission))
                ),
                "answers": sorted(
                    (a.question_key, a.item, a.code, str(a.number), a.text)
                    for a in conn.execute(select(Answer)).all()
                ),
            }
    finally:
        engine.dispose()


def _change_everything(app, client, expert) -> None:
    _answer_and_submit(client, expert, "Changed after the backup.")
    invite(app, expert.questionnaire_id, email="late@example.org")


def test_backup_then_restore_into_a_new_database_gives_the_backed_up_state(
    app, runner, backend, tmp_path
):
    questionnaire_id = load_questionnaire(app)
    expert = invite(app, questionnaire_id)
    client = app.test_client()
    _answer_and_submit(client, expert, "Before the backup.")
    out = tmp_path / "backups" / "survey.backup"

    result = runner.invoke(cli, ["backup", "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert f"backed up {backend} database" in result.output
    assert "1 questionnaires, 1 participants, 1 responses, 1 submissions" in result.output
    assert f"-> {out} (" in result.output and " kB)" in result.output
    assert out.stat().st_size > 0
    assert not list(out.parent.glob("*.partial"))
    backed_up = _state(app.config["DATABASE_URL"])
    _change_everything(app, client, expert)
    assert _state(app.config["DATABASE_URL"]) != backed_up

    if backend == "sqlite":
        restored_url = f"sqlite:///{tmp_path / 'restored' / 'survey.db'}"
        other = create_app({"DATABASE_URL": restored_url, "INSTANCE_PATH": str(tmp_path / "i")})
        result = other.test_cli_runner().invoke(cli, ["restore", str(out), "--yes"])
        assert result.exit_code == 0, result.output
        assert "restored sqlite database" in result.output
        assert _state(restored_url) == backed_up
        other.extensions["survey.db"].dispose()
    else:
        with postgres_database() as restored_url:
            uri, env = backups.libpq_arguments(create_engine(restored_url).url)
            subprocess.run(
                [backups.find_pg_tool("pg_restore"), "--no-owner", "--exit-on-error",
                 f"--dbname={uri}", str(out)],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
            assert _state(restored_url) == backed_up


def test_restore_over_the_sqlite_database_in_use_needs_yes_then_brings_it_back(
    app, runner, backend, tmp_path
):
    if backend != "sqlite":
        result = runner.invoke(cli, ["restore", __file__, "--yes"])
        assert result.exit_code == 1
        assert "SQLite databases only" in result.output and "pg_restore" in result.output
        return
    questionnaire_id = load_questionnaire(app)
    expert = invite(app, questionnaire_id)
    client = app.test_client()
    _answer_and_submit(client, expert, "Before the backup.")
    out = tmp_path / "survey.backup"
    assert runner.invoke(cli, ["backup", "--out", str(out)]).exit_code == 0
    backed_up = _state(app.config["DATABASE_URL"])
    _change_everything(app, client, expert)
    changed = _state(app.config["DATABASE_URL"])

    refused = runner.invoke(cli, ["restore", str(out)])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert _state(app.config["DATABASE_URL"]) == changed

    assert runner.invoke(cli, ["restore", str(out), "--yes"]).exit_code == 0
    assert _state(app.config["DATABASE_URL"]) == backed_up
    # The service's own connections see the restored database.
    with app.app_context():
        from survey.db import database

        with database().read_sessions() as session:
            assert session.scalar(select(func.count()).select_from(Participant)) == 1


def test_restore_refuses_what_is_not_a_sqlite_backup(tmp_path):
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'survey.db'}", "INSTANCE_PATH": str(tmp_path)}
    )
    runner = app.test_cli_runner()
    dump = tmp_path / "survey.dump"
    dump.write_bytes(b"PGDMP\x01\x0e\x00 a PostgreSQL dump")
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    result = runner.invoke(cli, ["restore", str(dump), "--yes"])
    assert result.exit_code == 1 and "PostgreSQL dump" in result.output
    result = runner.invoke(cli, ["restore", str(text), "--yes"])
    assert result.exit_code == 1 and "not a backup made by 'survey backup'" in result.output
    assert not (tmp_path / "survey.db").exists()  # nothing was made either


def test_a_missing_pg_dump_is_named_with_what_to_do(monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda _name: None)
    monkeypatch.setattr(backups.glob, "glob", lambda _pattern: [])
    with pytest.raises(backups.BackupError, match=r"pg_dump was not found.*postgresql-client"):
        backups.find_pg_tool("pg_dump")
