"""The raw CSV and the codebook, read as an analyst's tools read them."""

import csv
import io

import pandas as pd
from sqlalchemy import select

from survey.models import AuditEvent
from survey.services import answering
from tests.organiser.helpers import sign_in
from tests.respondent.conftest import (
    COMMENTS_RENAMED,
    invite,
    load_questionnaire,
    store_new_version,
)

ANSWERS = {
    "country": {"": ["SAU"]},
    "agencies_involved": {"": ["police", "customs"]},
    "lead_agency": {"": ["other"], "other": ['=HYPERLINK("http://x")']},
    "customs_cases": {"": ["0042"]},
    "topics": {"ports": ["3"], "internet": ["4"]},
    "priorities": {"regulator": ["1"], "police": ["2"]},
    "comments": {"": ['مرحبا "quoted", 中文\nsecond line']},
}


def _submit(app, expert, answers=ANSWERS, edits=0):
    with app.app_context(), app.extensions["survey.db"].writing() as session:
        from survey.models import Invitation, Questionnaire
        from survey.services import links

        invitation = links.find_invitation(session, expert.token)
        questionnaire = session.get(Questionnaire, invitation.questionnaire_id)
        assert isinstance(invitation, Invitation)
        secret = app.config["PSEUDONYM_KEY"]
        response = answering.start(session, invitation, questionnaire, secret, "ar")
        for _ in range(edits + 1):
            response = answering.save(
                session, response, questionnaire, answers, None, response.lock_version
            )
            outcome = answering.submit(
                session, invitation, response, questionnaire, response.lock_version
            )
            assert not outcome.problems, outcome.problems


def _rows(response):
    text = response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_raw_export_has_one_row_per_expert_with_every_answer(app, client, admin, expert):
    _submit(app, expert)
    sign_in(client, admin.email, admin.password)
    response = client.get("/staff/export/minimal/raw.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    header, row = _rows(response)
    cell = dict(zip(header, row, strict=True))
    assert cell["participant_email"] == "expert@example.org"
    assert cell["participant_country"] == "FRA" and cell["country"] == "SAU"
    assert cell["questionnaire_version"] == "1" and cell["submission_number"] == "1"
    assert cell["agencies_involved.police"] == "1" and cell["agencies_involved.dont_know"] == "0"
    assert cell["lead_agency"] == "other"
    assert cell["lead_agency.other"] == '\'=HYPERLINK("http://x")'  # neutralised
    assert cell["customs_cases"] == "42"
    assert cell["topics.ports"] == "3" and cell["topics.internet"] == "4"
    assert cell["priorities.regulator"] == "1" and cell["priorities.customs"] == ""
    assert cell["comments"] == 'مرحبا "quoted", 中文\nsecond line'
    assert cell["submitted_at_utc"].endswith("Z")


def test_excel_variant_has_a_bom_and_crlf_and_reads_in_pandas(app, client, admin, expert):
    _submit(app, expert)
    sign_in(client, admin.email, admin.password)
    response = client.get("/staff/export/minimal/raw.csv?excel=1")
    data = response.get_data()
    assert data.startswith("\ufeff".encode())
    assert b"\r\n" in data
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert frame.loc[0, "comments"] == 'مرحبا "quoted", 中文\nsecond line'
    assert list(frame.columns)[:2] == ["submission_number", "questionnaire_version"]


def test_all_revisions_gives_one_row_per_submission(app, client, admin, expert):
    _submit(app, expert, edits=2)
    sign_in(client, admin.email, admin.password)
    latest = _rows(client.get("/staff/export/minimal/raw.csv"))
    every = _rows(client.get("/staff/export/minimal/raw.csv?revisions=all"))
    assert len(latest) == 2 and latest[1][0] == "3"
    assert [row[0] for row in every[1:]] == ["1", "2", "3"]


def test_analysts_are_refused_raw_data_and_the_refusal_is_audited(app, client, analyst, expert):
    _submit(app, expert)
    sign_in(client, analyst.email, analyst.password)
    assert client.get("/staff/export/minimal/raw.csv").status_code == 403
    with app.app_context(), app.extensions["survey.db"].read_sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export raw")).one()
    assert (event.outcome, event.staff_id) == ("refused", analyst.id)


def test_every_export_is_audited_with_its_row_count(app, client, admin, expert):
    _submit(app, expert)
    sign_in(client, admin.email, admin.password)
    client.get("/staff/export/minimal/raw.csv").get_data()
    log = client.get("/staff/export/audit")
    assert log.status_code == 200
    with app.app_context(), app.extensions["survey.db"].read_sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "export raw")).one()
    assert (event.outcome, event.rows, event.detail["questionnaire"]) == ("ok", 1, "minimal")


def test_anonymous_raw_export_names_no_one(app, client, admin):
    questionnaire_id = load_questionnaire(app, anonymous=True)
    expert = invite(app, questionnaire_id)
    _submit(app, expert)
    sign_in(client, admin.email, admin.password)
    text = client.get("/staff/export/minimal/raw.csv").get_data(as_text=True)
    header, row = list(csv.reader(io.StringIO(text)))
    assert "participant_email" not in header and "participant_country" not in header
    assert "expert@example.org" not in text and "Ana Expert" not in text
    cell = dict(zip(header, row, strict=True))
    assert len(cell["submitted_on_utc"]) == 10  # a day, no time
    assert len(cell["respondent_pseudonym"]) == 16


def test_codebook_describes_every_column_in_every_language(app, client, analyst, expert):
    _submit(app, expert)
    sign_in(client, analyst.email, analyst.password)
    rows = _rows(client.get("/staff/export/minimal/codebook.csv"))
    header = rows[0]
    assert header[-2:] == ["label_en", "label_fr"]
    raw_columns = {row[0] for row in rows[1:]}
    assert {"agencies_involved.customs", "topics.ports", "priorities.police"} <= raw_columns
    useful = [row for row in rows if row[0] == "useful" and row[4] == "code"]
    assert [row[5] for row in useful] == ["1", "2", "3", "4", "dont_know"]
    assert useful[0][-1] == "Pas du tout d'accord"


def test_command_line_export_writes_the_same_file_and_is_audited(app, runner, expert, tmp_path):
    from survey.cli import cli

    _submit(app, expert)
    out = tmp_path / "raw.csv"
    result = runner.invoke(cli, ["export", "raw", "minimal", "--out", str(out), "--excel"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[0][0] == "submission_number"
    again = runner.invoke(cli, ["export", "raw", "minimal", "--out", str(out)])
    assert again.exit_code != 0 and "exists already" in again.output
    with app.app_context(), app.extensions["survey.db"].read_sessions() as session:
        event = session.scalars(select(AuditEvent)).one()
    assert (event.rows, event.detail["by"]) == (1, "command line")


def test_answers_of_every_version_sit_in_their_columns(app, client, admin, expert, tmp_path):
    """A question asked in version 1 only is empty for version 2 answers, and vice versa."""

    _submit(app, expert)  # version 1: has "comments" (long text)
    store_new_version(app, tmp_path, COMMENTS_RENAMED)
    second = invite(app, expert.questionnaire_id, email="second@example.org")
    answers = {k: v for k, v in ANSWERS.items() if k != "comments"}
    _submit(app, second, {**answers, "remarks": {"": ["007"]}})
    sign_in(client, admin.email, admin.password)
    header, *rows = _rows(client.get("/staff/export/minimal/raw.csv"))
    by_version = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_version["1"]["comments"].startswith("مرحبا") and by_version["1"]["remarks"] == ""
    assert by_version["2"]["comments"] == "" and by_version["2"]["remarks"] == "007"
    codebook = _rows(client.get("/staff/export/minimal/codebook.csv"))
    versions = {row[0]: row[3] for row in codebook[1:] if row[0] in {"comments", "remarks"}}
    assert versions == {"comments": "1", "remarks": "2"}


def test_a_long_fractional_number_reads_as_the_database_gives_it(
    app, client, admin, expert, tmp_path
):
    """The raw export groups a submission's answers as JSON inside the query; a number there
    must keep every digit the column returns (SQLite's JSON alone keeps only 15)."""
    from decimal import Decimal

    from survey.db import database
    from survey.models import Answer

    store_new_version(
        app,
        tmp_path,
        ("        integer: true\n        min: 0\n        max: 100000\n", ""),
        COMMENTS_RENAMED,
    )
    answers = {k: v for k, v in ANSWERS.items() if k != "comments"}
    _submit(app, expert, {**answers, "customs_cases": {"": ["12345678901.234567"]}})
    with app.app_context(), database().read_sessions() as session:
        stored = session.scalar(select(Answer.number).where(Answer.question_key == "customs_cases"))
    sign_in(client, admin.email, admin.password)
    header, row = _rows(client.get("/staff/export/minimal/raw.csv"))
    exported = dict(zip(header, row, strict=True))["customs_cases"]
    assert Decimal(exported) == stored
    assert exported.startswith("12345678901.2345")  # more than SQLite's JSON would keep


def _raw_without_kept_cells(app, client, path: str) -> bytes:
    """The export once more, every submission's kept cells forgotten: built from the answers."""
    from sqlalchemy import update

    from survey.db import database
    from survey.models import Submission

    with app.app_context(), database().writing() as session:
        session.execute(update(Submission).values(export_cells=None))
    return client.get(path).get_data()


def test_kept_export_cells_give_the_file_the_answers_give(app, client, admin, expert):
    from survey.db import database
    from survey.models import Submission

    _submit(app, expert, edits=1)
    with app.app_context(), database().read_sessions() as session:
        kept = session.scalars(select(Submission.export_cells)).all()
    assert len(kept) == 2 and all(kept)
    sign_in(client, admin.email, admin.password)
    for path in ("/staff/export/minimal/raw.csv?revisions=all", "/staff/export/minimal/raw.csv"):
        with_kept = client.get(path).get_data()
        assert with_kept == _raw_without_kept_cells(app, client, path)


def test_kept_cells_of_a_version_whose_columns_changed_are_not_used(
    app, client, admin, expert, tmp_path
):
    """Version 2 adds an option: version 1's kept cells lack its column, so its rows are built
    from the answers, with that column empty."""

    _submit(app, expert)
    customs = "          - {code: customs, label: {en: Customs, fr: Douanes}}\n"
    courts = "          - {code: courts, label: {en: Courts, fr: Tribunaux}}\n"
    store_new_version(app, tmp_path, (customs, customs + courts))
    second = invite(app, expert.questionnaire_id, email="second@example.org")
    _submit(app, second, {**ANSWERS, "agencies_involved": {"": ["courts"]}})
    sign_in(client, admin.email, admin.password)
    data = client.get("/staff/export/minimal/raw.csv").get_data()
    header, *rows = _rows(client.get("/staff/export/minimal/raw.csv"))
    by_version = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert by_version["1"]["agencies_involved.courts"] == ""
    assert by_version["1"]["agencies_involved.police"] == "1"
    assert by_version["2"]["agencies_involved.courts"] == "1"
    assert data == _raw_without_kept_cells(app, client, "/staff/export/minimal/raw.csv")


def test_kept_cells_hold_any_character_the_expert_typed(app, client, admin, expert):
    """Kept cells are JSON: a control character in a free text (as hypothesis once typed)
    neither breaks the row nor moves a cell."""
    _submit(app, expert, {**ANSWERS, "comments": {"": ["0\x1f0 \x1e \\u001f"]}})
    sign_in(client, admin.email, admin.password)
    header, row = _rows(client.get("/staff/export/minimal/raw.csv"))
    cell = dict(zip(header, row, strict=True))
    assert cell["comments"] == "0\x1f0 \x1e \\u001f" and cell["country"] == "SAU"
