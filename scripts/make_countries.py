"""Write survey/data/countries.json and survey/data/regions.json from UN M49 data.

The data comes from OCHA's ``hdx-python-country`` (a test-only dependency), read offline from the
files inside the package (``use_live=False``), so the result depends only on the installed
version. The service itself reads the JSON files through ``survey.countries`` and never imports
hdx.

Which entries are kept: every country or territory that has an M49 region *and* UN M49 short
names. That leaves out Antarctica (no M49 region) and Taiwan (listed by hdx with a region but
absent from the UN M49 list, so it has no M49 names); the script prints what it left out.

    python scripts/make_countries.py           # (re)write the two files
    python scripts/make_countries.py --check   # exit 1 if they are not up to date
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "survey" / "data"
COUNTRIES_FILE = DATA_DIR / "countries.json"
REGIONS_FILE = DATA_DIR / "regions.json"

# Our language code -> hdx column holding the UN M49 short name in that language.
NAME_COLUMNS = {
    "en": "M49 English",
    "fr": "M49 French",
    "es": "M49 Spanish",
    "ru": "M49 Russian",
    "ar": "M49 Arabic",
    "zh": "M49 Chinese",
}


def m49_code(value: Any) -> str | None:
    """M49 codes as the UN writes them: three digits, zero-padded ("002", "019", "250")."""
    if value is None or str(value).strip() == "":
        return None
    return f"{int(value):03d}"


def load_hdx_countries() -> dict[str, dict[str, Any]]:
    """The hdx rows by ISO3, read offline from the data file shipped in the package."""
    from hdx.location.country import Country
    from hdx.utilities.downloader import Download

    # A downloader of our own, closed after use: the default one leaves the CSV file open.
    with Download(user_agent="survey-make-countries") as downloader:
        data = Country.countriesdata(use_live=False, downloader=downloader)
    return data["countries"]


def build(
    rows: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """Return (countries, regions, left_out) where left_out maps ISO3 to the reason."""
    if rows is None:
        rows = load_hdx_countries()
    countries: list[dict[str, Any]] = []
    regions: dict[str, dict[str, Any]] = {}
    left_out: dict[str, str] = {}
    for iso3 in sorted(rows):
        row = rows[iso3]
        region_code = m49_code(row.get("Region Code"))
        if region_code is None:
            left_out[iso3] = "no M49 region"
            continue
        names = {lang: (row.get(col) or "").strip() for lang, col in NAME_COLUMNS.items()}
        missing = [lang for lang, name in names.items() if not name]
        if missing:
            left_out[iso3] = "no UN M49 name in " + ", ".join(missing)
            continue
        subregion_code = m49_code(row.get("Sub-region Code"))
        intermediate_code = m49_code(row.get("Intermediate Region Code"))
        country = {
            "iso3": iso3,
            "iso2": row["ISO 3166-1 Alpha 2-Codes"],
            "m49": m49_code(row["m49 numerical code"]),
            "region_code": region_code,
            "region": row["Region Name"],
            "subregion_code": subregion_code,
            "subregion": row.get("Sub-region Name") or None,
            "intermediate_region_code": intermediate_code,
            "intermediate_region": row.get("Intermediate Region Name") or None,
            "independent": row.get("Independent") == "Y",
            "names": names,
        }
        countries.append(country)
        # Regions, then sub-regions, then intermediate regions, each pointing to its parent.
        chain = [
            (region_code, country["region"]),
            (subregion_code, country["subregion"]),
            (intermediate_code, country["intermediate_region"]),
        ]
        parent = None
        for code, name in chain:
            if code is None:
                continue
            known = regions.setdefault(code, {"code": code, "name": name, "parent_code": parent})
            if known != {"code": code, "name": name, "parent_code": parent}:
                raise ValueError(f"{iso3}: region {code} is inconsistent with {known}")
            parent = code
    return countries, [regions[code] for code in sorted(regions)], left_out


def render(items: list[dict[str, Any]]) -> str:
    """A JSON list with one item per line: compact, and a change shows as a one-line diff."""
    lines = [json.dumps(item, ensure_ascii=False) for item in items]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the files are out of date"
    )
    args = parser.parse_args(argv)
    countries, regions, left_out = build()
    outputs = {COUNTRIES_FILE: render(countries), REGIONS_FILE: render(regions)}
    stale = [
        path
        for path, text in outputs.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for iso3, reason in left_out.items():
        print(f"left out {iso3}: {reason}")
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(outputs[path], encoding="utf-8")
    print(
        f"{len(countries)} countries, {len(regions)} regions "
        f"({', '.join(f'{path.name}' for path in stale) or 'no change'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
