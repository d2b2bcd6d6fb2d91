"""Countries and territories with their UN M49 regions and names in the six UN languages.

Reads ``survey/data/countries.json`` and ``survey/data/regions.json``, written by
``scripts/make_countries.py`` from OCHA's hdx-python-country data (see that script). This module
has no dependency beyond the standard library: no Flask, no hdx.

Country names are the UN M49 short names ("Iran (Islamic Republic of)", "Türkiye"). Region and
sub-region names are in English only; the app translates them through its gettext catalogs.
Antarctica (no M49 region) and Taiwan (not in the UN M49 list) are not in the data.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    m49: str  # three digits, zero-padded: "004"
    region_code: str
    region: str
    subregion_code: str | None
    subregion: str | None
    intermediate_region_code: str | None
    intermediate_region: str | None
    independent: bool
    # Language code -> UN M49 short name, for each of LANGUAGES (read-only).
    names: Mapping[str, str] = field(hash=False, repr=False)

    def name(self, lang: str | None = FALLBACK_LANGUAGE) -> str:
        """The name in ``lang`` ("fr", "fr_CA", "zh-Hans" ...), else in English."""
        return self.names.get(_language(lang)) or self.names[FALLBACK_LANGUAGE]


@dataclass(frozen=True)
class Region:
    code: str  # M49 code, three digits: "150"
    name: str  # English
    parent_code: str | None  # None for the five regions


def _read_json(name: str) -> Any:
    return json.loads(resources.files("survey").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def _countries_by_iso3() -> Mapping[str, Country]:
    countries = {}
    for item in _read_json("countries.json"):
        item["names"] = MappingProxyType(dict(item["names"]))
        countries[item["iso3"]] = Country(**item)
    return MappingProxyType(countries)


@cache
def _regions_by_code() -> Mapping[str, Region]:
    return MappingProxyType({item["code"]: Region(**item) for item in _read_json("regions.json")})


def _language(lang: str | None) -> str:
    """The UN language code for a locale ("fr_CA" -> "fr"), English if not one of the six."""
    code = re.split(r"[-_]", lang or "", maxsplit=1)[0].lower()
    return code if code in LANGUAGES else FALLBACK_LANGUAGE


# --- Countries -------------------------------------------------------------------------------


def all_countries() -> tuple[Country, ...]:
    """Every country and territory, sorted by ISO3 code."""
    return tuple(_countries_by_iso3().values())


def country(iso3: str | None) -> Country | None:
    """The country with this ISO 3166-1 alpha-3 code (any case), or None."""
    if not isinstance(iso3, str):
        return None
    return _countries_by_iso3().get(iso3.strip().upper())


def country_name(iso3: str | None, lang: str | None = FALLBACK_LANGUAGE) -> str | None:
    """The UN M49 short name of a country in ``lang`` (English if not one of the six UN
    languages), or None for an unknown code."""
    found = country(iso3)
    return found.name(lang) if found else None


@cache
def _countries_sorted(lang: str) -> tuple[Country, ...]:
    return tuple(sorted(all_countries(), key=lambda c: (sort_key(c.name(lang)), c.iso3)))


def countries_sorted(lang: str | None = FALLBACK_LANGUAGE) -> tuple[Country, ...]:
    """Every country, sorted by its name in ``lang``, ignoring case, accents and punctuation
    ("Îles Åland" sorts under I, "Émirats arabes unis" under E). Chinese names sort by code
    point, not by pinyin or stroke order."""
    return _countries_sorted(_language(lang))


# --- Regions ---------------------------------------------------------------------------------


def region(code: str | None) -> Region | None:
    """A region, sub-region or intermediate region by M49 code ("039" or "39"), or None."""
    if not isinstance(code, str) or not code.strip().isdigit():
        return None
    return _regions_by_code().get(f"{int(code):03d}")


def _children(parent_codes: Iterable[str | None], of: str | None) -> tuple[Region, ...]:
    parents = set(parent_codes)
    return tuple(
        r
        for r in _regions_by_code().values()
        if r.parent_code in parents and (of is None or r.parent_code == _code(of))
    )


def _code(code: str) -> str:
    return f"{int(code):03d}" if code.strip().isdigit() else code


def regions() -> tuple[Region, ...]:
    """The five M49 regions (Africa, Americas, Asia, Europe, Oceania), by code."""
    return _children([None], None)


def subregions(region_code: str | None = None) -> tuple[Region, ...]:
    """The M49 sub-regions, by code; only those of one region if ``region_code`` is given."""
    return _children([r.code for r in regions()], region_code)


def intermediate_regions(subregion_code: str | None = None) -> tuple[Region, ...]:
    """The M49 intermediate regions (e.g. Caribbean, Western Africa), by code; only those of one
    sub-region if ``subregion_code`` is given."""
    return _children([r.code for r in subregions()], subregion_code)


# --- Matching what people type ---------------------------------------------------------------

# Common short and former forms that are not UN names, by ISO3. Official names in the six
# languages, ISO codes and the short form of names with a parenthesis ("Iran" for "Iran (Islamic
# Republic of)", "Pays-Bas" for "Pays-Bas (Royaume des)") are matched without being listed here.
ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "ARE": ("UAE", "U.A.E.", "Emirates", "EAU", "Emiratos Árabes Unidos"),
        "BIH": ("Bosnia",),
        "BRN": ("Brunei",),
        "CHN": ("PRC", "People's Republic of China"),
        "CIV": ("Ivory Coast", "Costa de Marfil"),
        "COD": (
            "DRC",
            "DR Congo",
            "D.R. Congo",
            "RDC",
            "RD Congo",
            "Congo-Kinshasa",
            "Congo, Democratic Republic",
            "Congo, Dem. Rep.",
            "Democratic Republic of Congo",
        ),
        "COG": ("Republic of the Congo", "Congo-Brazzaville", "République du Congo", "Congo, Rep."),
        "CPV": ("Cape Verde", "Cap-Vert"),
        "CZE": ("Czech Republic", "République tchèque", "República Checa"),
        "GBR": (
            "UK",
            "U.K.",
            "United Kingdom",
            "Great Britain",
            "Britain",
            "Royaume-Uni",
            "Grande-Bretagne",
            "Reino Unido",
            "Gran Bretaña",
        ),
        "HKG": ("Hong Kong", "Hong Kong SAR", "Hong Kong, China", "Hong Kong SAR, China"),
        "KGZ": ("Kyrgyz Republic",),
        "KOR": (
            "South Korea",
            "Korea, South",
            "Korea (Republic of)",
            "Korea, Rep.",
            "Corée du Sud",
            "Corea del Sur",
        ),
        "LAO": ("Laos", "Lao", "Lao PDR"),
        "MAC": ("Macao", "Macau", "Macao SAR", "Macao, China", "Macau, China"),
        "MDA": ("Moldova", "Moldavie", "Moldavia"),
        "MKD": ("Macedonia", "Macédoine", "Macedonia del Norte"),
        "MMR": ("Burma", "Birmanie"),
        "NLD": ("Holland", "Hollande", "Holanda"),
        "PRK": (
            "North Korea",
            "Korea, North",
            "DPRK",
            "DPR Korea",
            "Korea, Dem. People's Rep.",
            "Corée du Nord",
            "Corea del Norte",
        ),
        "PSE": ("Palestine", "Palestina"),
        "RUS": ("Russia", "Russie", "Rusia"),
        "SAU": ("KSA",),
        "SVK": ("Slovak Republic",),
        "SWZ": ("Swaziland",),
        "SYR": ("Syria", "Syrie", "Siria"),
        "TLS": ("East Timor", "Timor Oriental"),
        "TUR": ("Turkey", "Turquie", "Turquía"),
        "TZA": ("Tanzania", "Tanzanie"),
        "USA": (
            "US",
            "U.S.",
            "U.S.A.",
            "United States",
            "États-Unis",
            "Estados Unidos",
            "EEUU",
            "EE.UU.",
        ),
        "VAT": ("Vatican", "Vatican City", "Vatican City State"),
        "VNM": ("Vietnam",),
    }
)

# Letters that NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l", "ı": "i"})
# Words ignored when matching ("The Gambia", "Democratic Republic of the Congo") and short forms.
_DROP = {"the"}
_EXPAND = {"st": "saint", "ste": "sainte", "&": "and"}
_PARENTHESIS = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<inside>[^()]+)\)$")


def _fold(text: str) -> str:
    """Lower case without accents: "Côte d’Ivoire" -> "cote d’ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def sort_key(text: str) -> str:
    """A locale-neutral sort key: no case, accents or punctuation."""
    return " ".join(re.findall(r"\w+", _fold(text)))


def _match_key(text: str) -> str:
    """What two spellings of one name have in common: no case, accents, punctuation, spaces or
    "the", and "St" is "Saint". "Viet Nam", "VIETNAM" and "Viêt-nam" all give "vietnam"."""
    words = re.findall(r"\w+|&", _fold(text))
    return "".join(_EXPAND.get(word, word) for word in words if word not in _DROP)


def _derived_names(name: str) -> Iterable[str]:
    """'Iran (Islamic Republic of)' -> 'Iran', 'Islamic Republic of Iran'."""
    found = _PARENTHESIS.match(name.strip())
    if found:
        yield found["base"]
        yield f"{found['inside']} {found['base']}"


@cache
def _name_index() -> Mapping[str, str | None]:
    """Match key -> ISO3, or None where the key is ambiguous. Official names come first, then
    ALIASES, then derived names; a key that points to two countries at one level matches none."""
    countries = all_countries()
    levels: list[list[tuple[str, str]]] = [
        [(name, c.iso3) for c in countries for name in c.names.values()],
        [(alias, iso3) for iso3, aliases in ALIASES.items() for alias in aliases],
        [
            (derived, c.iso3)
            for c in countries
            for name in c.names.values()
            for derived in _derived_names(name)
        ],
    ]
    index: dict[str, str | None] = {}
    for level in levels:
        found: dict[str, set[str]] = {}
        for name, iso3 in level:
            found.setdefault(_match_key(name), set()).add(iso3)
        for key, codes in found.items():
            if key and key not in index:
                index[key] = codes.pop() if len(codes) == 1 else None
    return MappingProxyType(index)


@cache
def _iso2_index() -> Mapping[str, str]:
    return MappingProxyType({c.iso2: c.iso3 for c in all_countries()})


def match_country(text: str | None) -> str | None:
    """The ISO3 code of the country that ``text`` names, or None if none or several could be
    meant. Understands ISO3 and ISO2 codes in any case, UN names in the six languages with or
    without accents, case or punctuation ("cote d'ivoire", "Viet Nam", "Türkiye"), and common
    short forms ("USA", "UK", "Russia", "Iran", "Syria", "Ivory Coast", "Turkey", "Czech
    Republic", "Korea, Republic of"). Exact look-ups only: no guessing from a part of a name."""
    if not isinstance(text, str):
        return None
    text = text.strip().strip("\"'").strip()
    if not text:
        return None
    if re.fullmatch(r"[A-Za-z]{3}", text) and country(text):
        return text.upper()
    if re.fullmatch(r"[A-Za-z]{2}", text) and text.upper() in _iso2_index():
        return _iso2_index()[text.upper()]
    index = _name_index()
    key = _match_key(text)
    if key in index:
        return index[key]
    # "Korea, Republic of" -> "Republic of Korea"
    before, comma, after = text.partition(",")
    if comma and "," not in after:
        return index.get(_match_key(f"{after} {before}"))
    return None
