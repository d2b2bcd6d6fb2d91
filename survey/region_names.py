"""UN M49 region names in the page's language.

``survey/data/regions.json`` holds the region names in English only; they exist nowhere else in
the code, so this module writes each one out as a gettext message, to be extracted into the
catalogs and translated there with the UN's own names (Statistics Division, M49 standard).
The English msgids must stay exactly the names in ``regions.json`` (a test checks this).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from survey import countries

# M49 code -> name, region by region: the five regions, their 17 sub-regions, and the eight
# intermediate regions under "Sub-Saharan Africa", "Latin America and the Caribbean" and
# "Northern Europe".
REGION_NAMES: Mapping[str, LazyString] = MappingProxyType(
    {
        # Regions
        "002": _l("Africa"),
        "019": _l("Americas"),
        "142": _l("Asia"),
        "150": _l("Europe"),
        "009": _l("Oceania"),
        # Sub-regions of Africa
        "015": _l("Northern Africa"),
        "202": _l("Sub-Saharan Africa"),
        # Sub-regions of the Americas
        "419": _l("Latin America and the Caribbean"),
        "021": _l("Northern America"),
        # Sub-regions of Asia
        "143": _l("Central Asia"),
        "030": _l("Eastern Asia"),
        "035": _l("South-eastern Asia"),
        "034": _l("Southern Asia"),
        "145": _l("Western Asia"),
        # Sub-regions of Europe
        "151": _l("Eastern Europe"),
        "154": _l("Northern Europe"),
        "039": _l("Southern Europe"),
        "155": _l("Western Europe"),
        # Sub-regions of Oceania
        "053": _l("Australia and New Zealand"),
        "054": _l("Melanesia"),
        "057": _l("Micronesia"),
        "061": _l("Polynesia"),
        # Intermediate regions of Sub-Saharan Africa
        "014": _l("Eastern Africa"),
        "017": _l("Middle Africa"),
        "018": _l("Southern Africa"),
        "011": _l("Western Africa"),
        # Intermediate regions of Latin America and the Caribbean
        "029": _l("Caribbean"),
        "013": _l("Central America"),
        "005": _l("South America"),
        # Intermediate region of Northern Europe
        "830": _l("Channel Islands"),
    }
)


def region_name(code: str | None) -> str:
    """The name of an M49 region, sub-region or intermediate region ("002" or "2") in the
    current language; the English name from the data if it has no message here, and the code
    itself if it is no region at all."""
    found = countries.region(code)
    if found is None:
        return code or ""
    name = REGION_NAMES.get(found.code)
    return str(name) if name is not None else found.name
