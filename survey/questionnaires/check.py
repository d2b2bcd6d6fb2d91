"""Command line: ``python -m survey.questionnaires.check [FILE...]`` checks questionnaire files."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from survey.questionnaires.checker import check_files
from survey.questionnaires.problems import Problem

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def format_report(results: dict[Path, list[Problem]]) -> str:
    """Return one line per problem and a closing summary; ``ok: N files`` when all are fine."""
    problems = [str(problem) for found in results.values() for problem in found]
    if not problems:
        return f"ok: {len(results)} file{'s' if len(results) != 1 else ''}"
    bad = sum(1 for found in results.values() if found)
    return "\n".join([*problems, f"{len(problems)} problem(s) in {bad} of {len(results)} files"])


def main(argv: list[str] | None = None) -> int:
    """Check the files named (default: every file in the questions folder); return 0 if fine."""
    parser = argparse.ArgumentParser(
        prog="python -m survey.questionnaires.check", description=__doc__
    )
    parser.add_argument("files", nargs="*", type=Path, help="questionnaire YAML files")
    parser.add_argument(
        "--questions-dir",
        type=Path,
        default=Path(os.environ.get("SURVEY_QUESTIONS_DIR", PROJECT_ROOT / "questions")),
        help="folder the files must be in",
    )
    parser.add_argument(
        "--timezone",
        default=os.environ.get("SURVEY_TIMEZONE", "Europe/Vienna"),
        help="time zone of files that name none",
    )
    args = parser.parse_args(argv)
    files = args.files or sorted(args.questions_dir.glob("*.yaml"))
    if not files:
        parser.error(f"no questionnaire files in {args.questions_dir}")
    results = check_files(files, args.questions_dir, args.timezone)
    print(format_report(results))
    return 1 if any(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
