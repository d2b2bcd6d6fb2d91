"""The checker: one broken file per rule, each refused with its own message at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from survey.questionnaires.check import format_report, main
from survey.questionnaires.checker import check_files
from survey.questionnaires.loader import load_definition
from survey.questionnaires.problems import DefinitionError

DATA = Path(__file__).resolve().parent.parent / "data"
INVALID = DATA / "invalid"
MINIMAL = DATA / "valid" / "minimal.yaml"
QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
TZ = "Europe/Vienna"
INVALID_FILES = sorted(INVALID.glob("*.yaml"))
# A broken file starts with "# expect: <part of its message>" and, when its rule spans files,
# "# check with: <file checked alongside>"; the line ending in MARK is where it is reported.
MARK = "# <-"


def _header(lines: list[str], name: str) -> list[str]:
    """Return the values of the ``# name: value`` comments a broken file begins with."""
    prefix = f"# {name}: "
    return [line.removeprefix(prefix) for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda path: path.stem)
def test_broken_file_fails_with_its_own_message_at_its_line(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    others = [INVALID / name for name in _header(lines, "check with")]
    problems = check_files([path, *others], INVALID, TZ)[path]
    assert len(problems) == 1, problems
    assert _header(lines, "expect")[0] in problems[0].message
    marked = [number for number, line in enumerate(lines, 1) if line.endswith(MARK)]
    assert problems[0].line == (marked[0] if marked else None)


def test_each_broken_file_expects_a_message_of_its_own():
    expected = [
        _header(p.read_text(encoding="utf-8").splitlines(), "expect") for p in INVALID_FILES
    ]
    assert all(len(e) == 1 for e in expected)
    assert len({e[0] for e in expected}) == len(INVALID_FILES)


def test_minimal_file_passes():
    assert check_files([MINIMAL], MINIMAL.parent, TZ) == {MINIMAL: []}


def test_partners_of_broken_files_pass():
    partners = sorted((INVALID / "partners").glob("*.yaml"))
    assert partners
    assert all(found == [] for found in check_files(partners, INVALID, TZ).values())


def _edited_minimal(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    text = MINIMAL.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_all_problems_of_meaning_are_reported_at_once(tmp_path):
    path = _edited_minimal(
        tmp_path,
        ("key: comments", "key: country"),
        ("unit: {en: cases, fr: affaires}", "unit: {en: cases}"),
        ("any_of: [customs]", "any_of: [customs, judges]"),
    )
    messages = [p.message for p in check_files([path], tmp_path, TZ)[path]]
    assert len(messages) == 3
    assert "question key 'country' is already used" in messages[2]
    assert "the fr text is missing" in messages[1]
    assert "cannot be answered 'judges'" in messages[0]


def test_all_schema_problems_are_reported_at_once(tmp_path):
    path = _edited_minimal(
        tmp_path,
        ("anonymous: false", "anonymous: no"),
        ("type: long_text", "type: essay"),
        ("        max_length: 2000", "        max_length: 2000\n        max_length: 3000"),
    )
    problems = check_files([path], tmp_path, TZ)[path]
    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert [
        "must be true or false" in problems[0].message,
        "'essay' is not allowed" in problems[1].message,
        "'max_length' is given twice" in problems[2].message,
    ] == [True] * 3


def test_a_file_larger_than_the_limit_is_refused(tmp_path):
    path = shutil.copy(MINIMAL, tmp_path / "big.yaml")
    with pytest.raises(DefinitionError, match="larger than"):
        load_definition(path, tmp_path, max_bytes=1000)
    path.write_text("#" * 1_000_001, encoding="utf-8")
    assert "larger than" in check_files([path], tmp_path, TZ)[path][0].message


def test_a_link_to_a_file_outside_the_questions_folder_is_refused(tmp_path):
    folder = tmp_path / "questions"
    folder.mkdir()
    link = folder / "minimal.yaml"
    link.symlink_to(shutil.copy(MINIMAL, tmp_path / "elsewhere.yaml"))
    for path in (link, folder / ".." / "elsewhere.yaml"):
        problems = check_files([path], folder, TZ)[path]
        assert [p.line for p in problems] == [None]
        assert "outside" in problems[0].message


def test_a_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: café\n".encode("latin-1"))
    assert "not UTF-8" in check_files([path], tmp_path, TZ)[path][0].message


def test_the_default_time_zone_must_exist():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        check_files([MINIMAL], MINIMAL.parent, "Mars/Olympus")


def test_report_says_ok_or_lists_every_problem():
    assert format_report({MINIMAL: [], INVALID / "x.yaml": []}) == "ok: 2 files"
    broken = INVALID / "dst-gap.yaml"
    report = format_report(check_files([broken, MINIMAL], DATA, TZ)).splitlines()
    assert report[0].startswith(f"{broken}:8: opens: 2013-03-31T02:30 does not exist")
    assert report[-1] == "1 problem(s) in 1 of 2 files"


def test_command_exits_1_on_problems_and_0_when_all_is_well(capsys):
    assert main(["--questions-dir", str(DATA), str(MINIMAL)]) == 0
    assert capsys.readouterr().out == "ok: 1 file\n"
    assert main(["--questions-dir", str(INVALID), str(INVALID / "dst-gap.yaml")]) == 1
    assert "does not exist in Europe/Vienna" in capsys.readouterr().out


# The meeting's own questionnaires, written by hand: they must always pass.
QUESTION_FILES = sorted(QUESTIONS.glob("*.yaml"))


def test_questions_folder_holds_the_meeting_questionnaires():
    assert {"tfm-pre.yaml", "tfm-post.yaml"} <= {path.name for path in QUESTION_FILES}


@pytest.fixture(scope="module")
def question_results():
    return check_files(QUESTION_FILES, QUESTIONS, TZ)


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda path: path.name)
def test_questions_file_passes_the_checker(path, question_results):
    assert [str(p) for p in question_results[path]] == []
