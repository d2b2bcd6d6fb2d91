"""survey.countries and the data files that scripts/make_countries.py writes."""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path

import pytest

from survey import countries as c

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "survey" / "data"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_countries", ROOT / "scripts" / "make_countries.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- The data files match the UN data they were made from --------------------------------------


def test_data_files_match_hdx_python_country():
    pytest.importorskip(
        "hdx.location.country", reason="hdx-python-country (the test extra) is not installed"
    )
    generator = _generator()
    countries, regions, left_out = generator.build()
    assert json.loads((DATA / "countries.json").read_text(encoding="utf-8")) == countries
    assert json.loads((DATA / "regions.json").read_text(encoding="utf-8")) == regions
    # Byte for byte too: the files are as the generator writes them (one item per line).
    assert (DATA / "countries.json").read_text(encoding="utf-8") == generator.render(countries)
    assert (DATA / "regions.json").read_text(encoding="utf-8") == generator.render(regions)
    # Only Antarctica (no M49 region) and Taiwan (not in the M49 list) are left out.
    assert set(left_out) == {"ATA", "TWN"}, left_out


def test_generator_check_mode_passes():
    pytest.importorskip(
        "hdx.location.country", reason="hdx-python-country (the test extra) is not installed"
    )
    assert _generator().main(["--check"]) == 0


# --- The data --------------------------------------------------------------------------------


def test_countries_are_sorted_unique_and_well_formed():
    countries = c.all_countries()
    assert len(countries) > 240
    iso3s = [x.iso3 for x in countries]
    assert iso3s == sorted(iso3s)
    assert len(set(iso3s)) == len(iso3s)
    assert len({x.iso2 for x in countries}) == len(countries)
    assert len({x.m49 for x in countries}) == len(countries)
    for x in countries:
        assert len(x.iso3) == 3 and x.iso3.isalpha() and x.iso3.isupper(), x
        assert len(x.iso2) == 2 and x.iso2.isalpha() and x.iso2.isupper(), x
        assert len(x.m49) == 3 and x.m49.isdigit(), x
        assert isinstance(x.independent, bool)
        assert c.region(x.region_code).name == x.region
        assert c.region(x.subregion_code).name == x.subregion
        assert c.region(x.subregion_code).parent_code == x.region_code
        if x.intermediate_region_code:
            assert c.region(x.intermediate_region_code).name == x.intermediate_region
            assert c.region(x.intermediate_region_code).parent_code == x.subregion_code
        else:
            assert x.intermediate_region is None


def test_every_country_has_its_name_in_the_six_languages():
    for x in c.all_countries():
        assert set(x.names) == set(c.LANGUAGES), x.iso3
        for lang in c.LANGUAGES:
            name = x.names[lang]
            assert name and name.strip() == name, (x.iso3, lang)
            assert unicodedata.is_normalized("NFC", name), (x.iso3, lang)


def test_regions_cover_the_five_m49_regions():
    assert {(r.code, r.name) for r in c.regions()} == {
        ("002", "Africa"),
        ("019", "Americas"),
        ("142", "Asia"),
        ("150", "Europe"),
        ("009", "Oceania"),
    }
    assert {x.region_code for x in c.all_countries()} == {r.code for r in c.regions()}
    subregions = c.subregions()
    assert len(subregions) == 17
    assert {r.code for r in subregions} == {x.subregion_code for x in c.all_countries()}
    assert {r.name for r in c.subregions("150")} == {
        "Eastern Europe",
        "Northern Europe",
        "Southern Europe",
        "Western Europe",
    }
    assert {r.name for r in c.subregions("2")} == {"Northern Africa", "Sub-Saharan Africa"}
    assert {r.name for r in c.intermediate_regions("419")} == {
        "Caribbean",
        "Central America",
        "South America",
    }
    # Every region in regions.json is used by some country.
    used = set()
    for x in c.all_countries():
        used |= {x.region_code, x.subregion_code, x.intermediate_region_code}
    assert {r.code for r in (*c.regions(), *subregions, *c.intermediate_regions())} == used - {None}


def test_known_facts():
    sau = c.country("SAU")
    assert (sau.region, sau.subregion) == ("Asia", "Western Asia")
    fra = c.country("FRA")
    assert (fra.region, fra.subregion, fra.iso2, fra.m49) == (
        "Europe",
        "Western Europe",
        "FR",
        "250",
    )
    assert fra.independent
    bra = c.country("BRA")
    assert (bra.region, bra.subregion) == ("Americas", "Latin America and the Caribbean")
    assert bra.intermediate_region == "South America"
    assert c.country_name("CHN", "ar") == "الصين"
    assert c.country_name("CHN", "zh") == "中国"
    assert c.country_name("DEU", "ru") == "Германия"
    assert c.country_name("CIV", "fr") == "Côte d’Ivoire"
    assert c.country("AFG").m49 == "004"
    assert not c.country("GRL").independent  # Greenland
    assert c.country("ATA") is None
    assert c.country("TWN") is None


# --- The API ---------------------------------------------------------------------------------


def test_country_lookup():
    assert c.country("fra") is c.country("FRA")
    assert c.country("XXX") is None
    assert c.country("") is None
    assert c.country(None) is None
    fra = c.country("FRA")
    assert hash(fra) == hash(c.country("FRA"))
    with pytest.raises(AttributeError):
        fra.iso3 = "DEU"
    with pytest.raises(TypeError):
        fra.names["en"] = "Gaul"


def test_country_name_falls_back_to_english():
    assert c.country_name("DEU", "fr") == "Allemagne"
    assert c.country_name("DEU", "fr_CA") == "Allemagne"
    assert c.country_name("DEU", "zh-Hans") == "德国"
    assert c.country_name("DEU", "de") == "Germany"
    assert c.country_name("DEU", None) == "Germany"
    assert c.country_name("DEU") == "Germany"
    assert c.country_name("XXX", "fr") is None
    assert c.country("DEU").name("es") == "Alemania"


def test_countries_sorted_by_localised_name():
    english = [x.iso3 for x in c.countries_sorted("en")]
    assert len(english) == len(c.all_countries())
    assert english[0] == "AFG"
    assert english.index("ALA") < english.index("ALB")  # Åland Islands before Albania
    french = [x.iso3 for x in c.countries_sorted("fr")]
    # Égypte, El Salvador, Émirats arabes unis, Équateur, Érythrée: accents ignored.
    e_countries = ["EGY", "SLV", "ARE", "ECU", "ERI"]
    assert french[french.index("EGY") :][:5] == e_countries
    assert french.index("DEU") < french.index("AND")  # Allemagne < Andorre
    spanish = [x.iso3 for x in c.countries_sorted("es")]
    assert spanish.index("IRL") < spanish.index("ISL") < spanish.index("ISR")  # Irlanda, Islandia
    for lang in c.LANGUAGES:
        names = [c.sort_key(x.name(lang)) for x in c.countries_sorted(lang)]
        assert names == sorted(names)
    assert c.countries_sorted("xx") == c.countries_sorted("en")


def test_match_country():
    cases = {
        # Codes, any case.
        "FRA": "FRA",
        "fra": "FRA",
        "FR": "FRA",
        "fr": "FRA",
        "USA": "USA",
        "usa": "USA",
        "US": "USA",
        # UN names, any case, with or without accents, in English, French and Spanish.
        "France": "FRA",
        "  germany ": "DEU",
        "Allemagne": "DEU",
        "Alemania": "DEU",
        "United States of America": "USA",
        "États-Unis d'Amérique": "USA",
        "Etats-Unis": "USA",
        "Estados Unidos": "USA",
        "Mexique": "MEX",
        "México": "MEX",
        "mexico": "MEX",
        "Brésil": "BRA",
        "bresil": "BRA",
        # Common short forms.
        "UK": "GBR",
        "United Kingdom": "GBR",
        "Royaume-Uni": "GBR",
        "Reino Unido": "GBR",
        "Russia": "RUS",
        "Russian Federation": "RUS",
        "Fédération de Russie": "RUS",
        "Iran": "IRN",
        "Iran (Islamic Republic of)": "IRN",
        "Islamic Republic of Iran": "IRN",
        "Iran, Islamic Republic of": "IRN",
        "Irán": "IRN",
        "Syria": "SYR",
        "Syrian Arab Republic": "SYR",
        "Viet Nam": "VNM",
        "Vietnam": "VNM",
        "VIET NAM": "VNM",
        "Côte d'Ivoire": "CIV",
        "Côte d’Ivoire": "CIV",
        "Cote d'Ivoire": "CIV",
        "cote divoire": "CIV",
        "Ivory Coast": "CIV",
        "Türkiye": "TUR",
        "Turkiye": "TUR",
        "Turkey": "TUR",
        "Czechia": "CZE",
        "Czech Republic": "CZE",
        "Tchéquie": "CZE",
        # More.
        "Korea, Republic of": "KOR",
        "Republic of Korea": "KOR",
        "South Korea": "KOR",
        "North Korea": "PRK",
        "Bolivia": "BOL",
        "Venezuela": "VEN",
        "Netherlands": "NLD",
        "The Netherlands": "NLD",
        "Pays-Bas": "NLD",
        "The Gambia": "GMB",
        "St Lucia": "LCA",
        "St. Vincent and the Grenadines": "VCT",
        "Democratic Republic of the Congo": "COD",
        "DR Congo": "COD",
        "Congo": "COG",
        "Tanzania": "TZA",
        "Korea (Republic of)": "KOR",
        "Congo, Dem. Rep.": "COD",
        "Congo, Rep.": "COG",
        "Trinidad & Tobago": "TTO",
        "Guinea Bissau": "GNB",
        "Hong Kong": "HKG",
        "China": "CHN",
        "Chine": "CHN",
        "中国": "CHN",
        "Германия": "DEU",
    }
    wrong = {text: c.match_country(text) for text in cases}
    wrong = {text: got for text, got in wrong.items() if got != cases[text]}
    assert not wrong, wrong


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "XX", "XXX", "Atlantis", "Europe", "Korea", "Saint Martin", "Taiwan", "Fr."],
)
def test_match_country_unknown_or_ambiguous(text):
    assert c.match_country(text) is None


def test_match_country_finds_every_name_and_code():
    for x in c.all_countries():
        assert c.match_country(x.iso3) == x.iso3
        assert c.match_country(x.iso2) == x.iso3
        for lang in c.LANGUAGES:
            assert c.match_country(x.names[lang]) == x.iso3, (x.iso3, lang, x.names[lang])


def test_aliases_point_to_countries_and_match():
    for iso3, aliases in c.ALIASES.items():
        assert c.country(iso3), iso3
        for alias in aliases:
            assert c.match_country(alias) == iso3, (alias, iso3)
