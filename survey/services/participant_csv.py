"""Reading a participant list from CSV and checking every row, with a problem per bad cell."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from survey.countries import all_countries, match_country
from survey.i18n import LANGUAGES
from survey.stakeholders import STAKEHOLDER_GROUPS, match_stakeholder_group

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
SAVE_AS = 'In Excel: File > Save As, and choose "CSV UTF-8 (Comma delimited) (*.csv)"'

# Each column, and the headers that name it once case, accents and punctuation are dropped.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "participant", "participantname", "nom", "nombre"),
    "email": ("email", "emailaddress", "mail", "courriel", "correo", "correoelectronico"),
    "country": ("country", "countryterritory", "countrycode", "pays", "pais"),
    "organisation": ("organisation", "organization", "org", "institution", "agency", "organisme"),
    "stakeholder_group": ("stakeholdergroup", "stakeholder", "group", "groupe", "grupo"),
    "preferred_language": ("preferredlanguage", "language", "lang", "langue", "idioma"),
}
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]+)"
)
# Language names in English; the codes and each language's own name are understood too.
_LANGUAGE_NAMES = {
    "arabic": "ar",
    "chinese": "zh",
    "english": "en",
    "french": "fr",
    "russian": "ru",
    "spanish": "es",
}


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: row as a spreadsheet numbers it (header = 1), column header."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None  # as found in the file: plain data, escape it to show it
    hint: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (self.row and f"row {self.row}", self.column and f"column {self.column}")
            if part
        )
        text = self.message + (f": {_shown(self.value)}" if self.value else "")
        text += f". {self.hint}" if self.hint else ""
        return f"{where}: {text}" if where else text


@dataclass(frozen=True)
class ParticipantRow:
    """One checked row: the participant's attributes, and where the row is in the file."""

    row: int
    name: str
    email: str
    country_iso3: str
    organisation: str
    stakeholder_group: str
    language: str

    def attributes(self) -> dict[str, str]:
        """The Participant attributes that an import sets, e-mail (the key) aside."""
        return {
            "name": self.name,
            "country_iso3": self.country_iso3,
            "organisation": self.organisation,
            "stakeholder_group": self.stakeholder_group,
            "language": self.language,
        }


@dataclass
class ImportResult:
    """The checked rows or every problem; after an import, how many people changed."""

    rows: list[ParticipantRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class _Refused(Exception):
    """The whole file is refused for one reason."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.problem = Problem(message, hint=hint)


class _Bad(Exception):
    """One cell is wrong."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def _shown(value: str, limit: int = 60) -> str:
    """A value quoted for a message, shortened, with control characters made visible."""
    short = value if len(value) <= limit else value[: limit - 1] + "…"
    return '"' + "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in short) + '"'


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


# --- Reading the file ------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise _Refused(
            "the file is larger than the limit of 2 MB", "Split the list into several files"
        )
    if data.startswith(b"PK\x03\x04"):
        raise _Refused("this is an Excel workbook (or another zip file), not a CSV file", SAVE_AS)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _Refused(
            f"the file is not UTF-8 text (first unreadable character on line {line})", SAVE_AS
        ) from None
    if not text.strip():
        raise _Refused("the file is empty", "The first row must name the columns")
    return text


def _delimiter(text: str) -> str:
    """Comma, or the semicolon that Excel writes in French and other locales, or tab."""
    first_line = text.lstrip().partition("\n")[0]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows, each with its number as a spreadsheet shows it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, [])
        rows = []
        for number, cells in enumerate(reader, start=2):
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise _Refused(
                    f"the file has more than {MAX_ROWS:,} participants",
                    "Split the list into several files",
                )
    except csv.Error as exc:
        raise _Refused(f"the file is not readable as CSV (row {reader.line_num}: {exc})") from None
    if not rows:
        raise _Refused("the file has a header row but no participants")
    return header, rows


def _columns(header: Sequence[str]) -> dict[str, int]:
    """Column name -> position, from a header row that names each column once."""
    found: dict[str, list[int]] = {}
    for position, title in enumerate(header):
        name = next((n for n, titles in COLUMNS.items() if _key(title) in titles), None)
        if name:
            found.setdefault(name, []).append(position)
    twice = [
        f"{', '.join(header[p].strip() for p in ps)} (all {n})"
        for n, ps in found.items()
        if len(ps) > 1
    ]
    if twice:
        raise _Refused(f"several columns give the same thing: {'; '.join(twice)}", "Keep one")
    missing = [name for name in COLUMNS if name not in found]
    if missing:
        raise _Refused(
            f"the header row (row 1) lacks the column{'s' * (len(missing) > 1)} "
            f"{', '.join(missing)}",
            f"Row 1 must name the columns {', '.join(COLUMNS)}; "
            f"it has: {', '.join(h.strip() for h in header if h.strip()) or 'nothing'}",
        )
    return {name: positions[0] for name, positions in found.items()}


# --- Checking each cell ----------------------------------------------------------------------


def _text(value: str, limit: int, required: bool) -> str:
    value = value.strip()
    if required and not value:
        raise _Bad("missing")
    if len(value) > limit:
        raise _Bad(f"longer than {limit} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise _Bad("contains a line break or another control character")
    return value


def _email(value: str) -> str:
    value = value.strip()
    if not value:
        raise _Bad("missing")
    local, _, _ = value.partition("@")
    if len(value) > 254 or len(local) > 64 or not _EMAIL.fullmatch(value):
        raise _Bad("not a valid e-mail address", "Write one address, such as name@example.org")
    return value.lower()


def _country(value: str) -> str:
    use_iso3 = "Write the country's ISO3 code, e.g. FRA for France"
    if not value.strip():
        raise _Bad("missing", use_iso3)
    iso3 = match_country(value)
    if iso3:
        return iso3
    names = {c.name("en").casefold(): c for c in all_countries()}
    close = difflib.get_close_matches(value.strip().casefold(), names, n=1, cutoff=0.8)
    if close:
        guess = names[close[0]]
        use_iso3 = f"Did you mean {guess.name('en')} ({guess.iso3})? Otherwise w{use_iso3[1:]}"
    raise _Bad("not a country we recognise", use_iso3)


def _group(value: str) -> str:
    code = match_stakeholder_group(value)
    if code:
        return code
    raise _Bad(
        "missing" if not value.strip() else "not a stakeholder group we recognise",
        f"Use one of: {', '.join(STAKEHOLDER_GROUPS)}",
    )


def _language(value: str) -> str:
    value = value.strip()
    if not value:
        return "en"
    code = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    if code in LANGUAGES:
        return code
    by_name = _LANGUAGE_NAMES | {_key(name): c for c, name in LANGUAGES.items()}
    if _key(value) in by_name:
        return by_name[_key(value)]
    raise _Bad("not one of the six UN languages", f"Use one of: {' '.join(LANGUAGES)}")


CHECKS: dict[str, Callable[[str], str]] = {
    "name": lambda v: _text(v, 200, required=True),
    "email": _email,
    "country": _country,
    "organisation": lambda v: _text(v, 300, required=False),
    "stakeholder_group": _group,
    "preferred_language": _language,
}


def _check_row(
    number: int, cells: list[str], columns: dict[str, int], header: list[str]
) -> tuple[ParticipantRow | None, list[Problem]]:
    if any(cell.strip() for cell in cells[len(header) :]):
        # The columns are shifted: any other problem of the row would only mislead.
        hint = "A value that contains a comma or semicolon must be in double quotes"
        return None, [Problem("more cells than the header row has columns", number, hint=hint)]
    values, problems = {}, []
    for name, check in CHECKS.items():
        position = columns[name]
        raw = cells[position] if position < len(cells) else ""
        try:
            values[name] = check(raw)
        except _Bad as bad:
            column = header[position].strip()
            problems.append(Problem(bad.message, number, column, raw.strip() or None, bad.hint))
    if problems:
        return None, problems
    language = values.pop("preferred_language")
    country_iso3 = values.pop("country")
    return ParticipantRow(number, country_iso3=country_iso3, language=language, **values), []


def _duplicates(rows: list[ParticipantRow], column: str) -> list[Problem]:
    first_row: dict[str, int] = {}
    problems = []
    for row in rows:
        if row.email in first_row:
            problems.append(
                Problem(
                    f"the same e-mail as row {first_row[row.email]}", row.row, column, row.email
                )
            )
        first_row.setdefault(row.email, row.row)
    return problems


def parse_participant_csv(data: bytes) -> ImportResult:
    """Read and check a participant list; the result has every row, or every problem."""
    try:
        header, records = _records(_decode(data))
        columns = _columns(header)
    except _Refused as refused:
        return ImportResult(errors=[refused.problem])
    result = ImportResult()
    for number, cells in records:
        row, problems = _check_row(number, cells, columns, header)
        result.errors.extend(problems)
        if row:
            result.rows.append(row)
    result.errors.extend(_duplicates(result.rows, header[columns["email"]].strip()))
    result.errors.sort(key=lambda p: p.row or 0)
    if result.errors:
        result.rows = []
    return result
