"""Stakeholder groups: stable codes, translatable labels, and matching what people type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# The codes are stored in the database and used in breakdowns and exports: never rename one.
STAKEHOLDER_GROUPS: Mapping[str, LazyString] = MappingProxyType(
    {
        "government": _l("National authority (regulator, police, customs, prosecution, ministry)"),
        "intergovernmental": _l("International or regional organisation"),
        "ngo": _l("Non-governmental organisation"),
        "private_sector": _l("Business and industry associations"),
        "academia": _l("Academia and research"),
        "other": _l("Other"),
    }
)

# What people write in a participant list, in English, French and Spanish, by code (the English
# labels above among them). The codes themselves match too. Matching ignores case, accents,
# punctuation and a trailing parenthesis ("International organisation (WHO)").
SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "government": (
            "Government", "Governmental", "Gov", "Govt", "National government",
            "National authority", "National authorities", "Member State", "Member States",
            "State", "Public sector", "Public authority", "Regulator", "Regulatory authority",
            "Medicines regulatory authority", "Police", "Law enforcement", "Customs",
            "Prosecution", "Prosecutor", "Prosecution service", "Ministry", "Judiciary",
            "Gouvernement", "Gouvernemental", "Autorité nationale", "Autorités nationales",
            "État membre", "États membres", "Secteur public", "Administration", "Douane",
            "Douanes", "Ministère", "Parquet", "Ministère public", "Autorité de réglementation",
            "Gobierno", "Gubernamental", "Autoridad nacional", "Autoridades nacionales",
            "Estado miembro", "Estados miembros", "Sector público", "Policía", "Aduana",
            "Aduanas", "Ministerio", "Fiscalía", "Ministerio público", "Autoridad reguladora",
        ),
        "intergovernmental": (
            "Intergovernmental", "Intergovernmental organisation", "IGO", "IO",
            "International organisation", "International organisations",
            "Regional organisation", "International or regional organisation", "UN",
            "United Nations", "UN agency", "Intergouvernemental", "Intergouvernementale",
            "Organisation intergouvernementale", "OIG", "Organisation internationale",
            "Organisations internationales", "Organisation régionale", "Nations Unies",
            "ONU", "Intergubernamental", "Organización intergubernamental",
            "Organización internacional", "Organizaciones internacionales",
            "Organismo internacional", "Organización regional", "Naciones Unidas",
        ),
        "ngo": (
            "NGO", "NGOs", "Non-governmental", "Non-governmental organisation", "Nongovernmental",
            "Civil society", "Civil society organisation", "CSO", "Non-profit",
            "Not-for-profit", "ONG", "Organisation non gouvernementale", "Société civile",
            "Organización no gubernamental", "Sociedad civil",
        ),
        "private_sector": (
            "Private sector", "Private", "Industry", "Business", "Business association",
            "Business associations", "Industry association", "Industry associations",
            "Business and industry", "Business and industry associations", "Company",
            "Companies", "Corporate", "Secteur privé", "Privé", "Industrie", "Entreprise",
            "Entreprises", "Association professionnelle",
            "Sector privado", "Privado", "Industria", "Empresa", "Empresas",
            "Asociación empresarial", "Sector empresarial",
        ),
        "academia": (
            "Academia", "Academic", "Academics", "Research", "Academia and research",
            "University", "Research institute", "Think tank", "Milieu universitaire",
            "Monde universitaire", "Universitaire", "Université", "Recherche",
            "Universidad", "Investigación", "Académico", "Mundo académico",
        ),
        "other": ("Other", "Others", "Autre", "Autres", "Otro", "Otra", "Otros"),
    }
)  # fmt: skip

_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def stakeholder_label(code: str) -> str:
    """The label of a group in the current language, or the code itself if it is unknown."""
    label = STAKEHOLDER_GROUPS.get(code)
    return str(label) if label is not None else code


def _key(text: str) -> str:
    """No case, accents or punctuation, and one spelling of "organisation"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = folded.replace("organization", "organisation")
    return " ".join(re.findall(r"[^\W_]+", folded))


@cache
def _index() -> Mapping[str, str]:
    index: dict[str, str] = {}
    for code in STAKEHOLDER_GROUPS:
        for text in (code, *SYNONYMS[code]):
            for variant in (text, _TRAILING_PARENTHESIS.sub("", text)):
                previous = index.setdefault(_key(variant), code)
                assert previous == code, f"{variant!r} names two stakeholder groups"
    return MappingProxyType(index)


def match_stakeholder_group(text: str | None) -> str | None:
    """The code of the stakeholder group that ``text`` names ("Member State" -> "government",
    "IGO" -> "intergovernmental", "Société civile" -> "ngo"), or None if none matches."""
    if not isinstance(text, str) or not text.strip():
        return None
    index = _index()
    key = _key(text)
    if key in index:
        return index[key]
    return index.get(_key(_TRAILING_PARENTHESIS.sub("", text)))
