"""Reading a participant list: every bad row named, nothing kept from a file with errors."""

from survey.services.participants import MAX_ROWS, parse_participant_csv
from tests.participants.conftest import HEADER, THREE_PEOPLE

BOM = b"\xef\xbb\xbf"


def test_a_valid_file_with_a_bom_gives_every_row_cleaned():
    result = parse_participant_csv(BOM + THREE_PEOPLE.encode())
    assert result.ok
    ana, jean, wei = result.rows
    assert (ana.row, ana.name, ana.email, ana.country_iso3) == (
        2,
        "Ana Pérez",
        "ana.perez@example.org",
        "ESP",
    )
    assert (ana.stakeholder_group, ana.language) == ("government", "es")
    assert (jean.country_iso3, jean.stakeholder_group, jean.language) == ("FRA", "government", "en")
    assert (wei.organisation, wei.stakeholder_group, wei.language) == (
        "WHO, Geneva",
        "intergovernmental",
        "zh",
    )


def test_a_semicolon_file_with_french_headers_as_excel_writes_it():
    text = (
        "Nom;E-mail;Pays;Organisation;Groupe;Langue\r\n"
        'Marie Curie;marie@example.fr;France;"Institut; Paris";Société civile;Français\r\n'
        ";;;;;\r\n"
    )
    result = parse_participant_csv(BOM + text.encode())
    assert result.ok, [str(p) for p in result.errors]
    (marie,) = result.rows
    assert (marie.organisation, marie.stakeholder_group, marie.language) == (
        "Institut; Paris",
        "ngo",
        "fr",
    )


def test_a_file_with_two_bad_rows_keeps_nothing_and_names_both():
    text = (
        HEADER
        + "Ana Pérez,ana@example.org,Spain,,Government,es\r\n"
        + "Bob,bob@,Narnia,,Government,en\r\n"
        + "Ana Pérez,ana@example.org,Spain,,Government,es\r\n"
        + "Chen,chen@example.cn,China,,Media,xx\r\n"
    )
    result = parse_participant_csv(text.encode())
    assert result.rows == []
    found = {(p.row, p.column): p for p in result.errors}
    assert set(found) == {
        (3, "email"),
        (3, "country"),
        (4, "email"),
        (5, "stakeholder_group"),
        (5, "preferred_language"),
    }
    assert found[3, "email"].value == "bob@"
    assert str(found[3, "email"]).startswith(
        'row 3, column email: not a valid e-mail address: "bob@"'
    )
    assert "ISO3" in str(found[3, "country"]) and "Narnia" in str(found[3, "country"])
    assert "row 2" in found[4, "email"].message


def test_values_are_kept_as_plain_data_and_control_characters_shown_escaped():
    result = parse_participant_csv(
        (HEADER + 'Eve,"<b>eve</b>\x1b[31m",Spain,,Government,\r\n').encode()
    )
    (problem,) = result.errors
    assert problem.value == "<b>eve</b>\x1b[31m"
    assert "\x1b" not in str(problem) and "\\x1b" in str(problem)


def test_a_misspelt_country_gets_a_suggestion():
    result = parse_participant_csv((HEADER + "Hans,hans@example.de,Germny,,Government,\n").encode())
    assert "Did you mean Germany (DEU)?" in str(result.errors[0])


def test_an_unquoted_comma_is_caught_rather_than_shifting_columns():
    text = HEADER + "Ana,ana@example.org,Spain,Ministry of Health, Spain,Government,es\n"
    (problem,) = parse_participant_csv(text.encode()).errors
    assert problem.row == 2 and "double quotes" in str(problem)


def test_a_file_not_in_utf8_gets_one_error_saying_how_to_save_it():
    result = parse_participant_csv(THREE_PEOPLE.encode("cp1252"))
    (problem,) = result.errors
    assert "CSV UTF-8" in str(problem) and "line 2" in str(problem)
    assert result.rows == []


def test_an_excel_workbook_is_recognised():
    (problem,) = parse_participant_csv(b"PK\x03\x04rest of a zip").errors
    assert "Excel workbook" in str(problem) and "CSV UTF-8" in str(problem)


def test_a_missing_column_is_named():
    text = "name,e-mail,country,organisation,language\nAna,ana@example.org,ESP,,es\n"
    (problem,) = parse_participant_csv(text.encode()).errors
    assert "stakeholder_group" in str(problem)
    assert problem.row is None


def test_empty_files_and_files_without_rows_are_refused_clearly():
    assert "empty" in str(parse_participant_csv(BOM + b" \r\n").errors[0])
    assert "no participants" in str(parse_participant_csv(HEADER.encode()).errors[0])


def test_too_many_rows_and_too_many_bytes_are_refused():
    many = HEADER + "A,a@example.org,ESP,,NGO,\n" * (MAX_ROWS + 1)
    assert "more than 20,000" in str(parse_participant_csv(many.encode()).errors[0])
    large = HEADER.encode() + b"x" * (2 * 1024 * 1024)
    assert "2 MB" in str(parse_participant_csv(large).errors[0])


def test_row_numbers_count_blank_rows_as_a_spreadsheet_does():
    text = HEADER + "\r\n" + "Bob,bob@,ESP,,NGO,\r\n"
    assert parse_participant_csv(text.encode()).errors[0].row == 3
