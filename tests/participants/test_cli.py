"""The command line: survey participants import/list and survey links."""

import csv
import io

import pytest
from sqlalchemy import func, select

from survey.cli import cli
from survey.models import Participant
from survey.services.links import find_invitation
from tests.participants.conftest import HEADER, THREE_PEOPLE

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def _links(path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_import_prints_the_counts(runner, csv_file):
    result = runner.invoke(cli, ["participants", "import", str(csv_file(THREE_PEOPLE))])
    assert result.exit_code == 0, result.output
    assert "created 3, updated 0, unchanged 0" in result.output
    result = runner.invoke(cli, ["participants", "import", str(csv_file(THREE_PEOPLE))])
    assert "created 0, updated 0, unchanged 3" in result.output


def test_import_with_bad_rows_prints_each_and_imports_nothing(runner, csv_file, database):
    text = THREE_PEOPLE + "Bob,bob@,Spain,,Government,\r\n" + "Eve,eve@example.org,Mars,,NGO,\r\n"
    result = runner.invoke(cli, ["participants", "import", str(csv_file(text))])
    assert result.exit_code == 1
    assert 'row 5, column email: not a valid e-mail address: "bob@"' in result.stderr
    assert 'row 6, column country: not a country we recognise: "Mars"' in result.stderr
    assert "2 problems: nothing was imported" in result.stderr
    with database.read_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 0


def test_import_of_a_file_not_in_utf8(runner, csv_file):
    result = runner.invoke(
        cli, ["participants", "import", str(csv_file(THREE_PEOPLE.encode("latin-1")))]
    )
    assert result.exit_code == 1
    assert "CSV UTF-8" in result.stderr


def test_list_shows_participants_and_their_links(runner, csv_file, questionnaire):
    runner.invoke(cli, ["participants", "import", str(csv_file(THREE_PEOPLE))])
    result = runner.invoke(cli, ["participants", "list"])
    assert result.stdout.splitlines()[0].split("\t") == [
        "ana.perez@example.org",
        "Ana Pérez",
        "ESP",
        "government",
        "es",
    ]
    result = runner.invoke(cli, ["participants", "list", "--questionnaire", "pre-meeting"])
    assert all(line.endswith("\tno link") for line in result.stdout.splitlines())
    assert "3 participants" in result.stderr


def test_links_csv_has_a_bom_safe_cells_and_urls_on_base_url(
    runner, csv_file, questionnaire, database, tmp_path
):
    people = THREE_PEOPLE + f'"{FORMULA.replace(chr(34), chr(34) * 2)}",eve@example.org,AUT,,NGO,\n'
    runner.invoke(cli, ["participants", "import", str(csv_file(people))])
    out = tmp_path / "links.csv"
    result = runner.invoke(cli, ["links", "pre-meeting", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 new" in result.stdout
    rows = {row["email"]: row for row in _links(out)}
    assert rows["eve@example.org"]["name"] == "'" + FORMULA
    assert list(rows["eve@example.org"]) == [
        "name",
        "email",
        "country",
        "language",
        "link",
        "status",
    ]
    with database.read_sessions() as session:
        for row in rows.values():
            assert row["link"].startswith("https://survey.example.org/r/")
            token = row["link"].rsplit("/", 1)[1]
            assert find_invitation(session, token).participant.email == row["email"]


def test_links_already_issued_are_not_shown_again_unless_reissued(
    runner, csv_file, questionnaire, database, tmp_path
):
    runner.invoke(cli, ["participants", "import", str(csv_file(THREE_PEOPLE))])
    runner.invoke(cli, ["links", "pre-meeting", "--out", str(tmp_path / "first.csv")])
    first = {row["email"]: row["link"] for row in _links(tmp_path / "first.csv")}
    runner.invoke(
        cli, ["participants", "import", str(csv_file(HEADER + "Zoe,z@example.org,ESP,,NGO,\n"))]
    )

    runner.invoke(cli, ["links", "pre-meeting", "--out", str(tmp_path / "second.csv")])
    second = {row["email"]: row for row in _links(tmp_path / "second.csv")}
    assert second["jean@example.fr"]["link"] == ""
    assert "already issued" in second["jean@example.fr"]["status"]
    assert second["z@example.org"]["link"]

    runner.invoke(cli, ["links", "pre-meeting", "--out", str(tmp_path / "new.csv"), "--new-only"])
    assert _links(tmp_path / "new.csv") == []

    result = runner.invoke(
        cli, ["links", "pre-meeting", "--out", str(tmp_path / "third.csv"), "--reissue"]
    )
    assert "4 reissued" in result.stdout
    third = {row["email"]: row["link"] for row in _links(tmp_path / "third.csv")}
    with database.read_sessions() as session:
        old_token = first["jean@example.fr"].rsplit("/", 1)[1]
        assert find_invitation(session, old_token)  # a reissued link adds, never replaces
        assert find_invitation(session, third["jean@example.fr"].rsplit("/", 1)[1])


def test_links_for_an_unknown_questionnaire_is_a_clear_error(runner, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "links.csv"
    result = runner.invoke(cli, ["links", "no-such-thing", "--out", str(out)])
    assert result.exit_code == 1
    assert "no questionnaire 'no-such-thing'" in result.output
    assert list(out.parent.iterdir()) == []  # no file, not even a partial one


def test_links_never_overwrites_a_file(runner, questionnaire, tmp_path):
    out = tmp_path / "links.csv"
    out.write_text("earlier links")
    result = runner.invoke(cli, ["links", "pre-meeting", "--out", str(out)])
    assert result.exit_code == 1 and "exists" in result.output
    assert out.read_text() == "earlier links"


@pytest.mark.parametrize(
    "command", [["participants", "import"], ["participants", "list"], ["links"]]
)
def test_each_command_has_help(runner, command):
    result = runner.invoke(cli, [*command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
