"""The gettext catalogs of the interface: current with the code, complete, faithful to their
placeholders, compiled, and used by the pages.

A failure here usually means that a message was added or changed in the code and the catalogs
were not brought up to date: run ``scripts/update-translations``, translate what it reports,
run it again and commit ``survey/translations``.
"""

from __future__ import annotations

import gettext
import html
import io
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string

from survey import countries, i18n
from survey.region_names import REGION_NAMES, region_name

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "survey" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
UPDATE = "scripts/update-translations"
LANGUAGES = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT_LANGUAGE]
# Plural forms per language, as gettext counts them (CLDR gives French and Spanish a third,
# "many", form for millions; the catalogs keep the usual two).
NPLURALS = {"ar": 6, "zh": 1, "fr": 2, "ru": 3, "es": 2}

# A named placeholder, the only kind the code uses: %(name)s, %(n)d, %(mean).1f ...
PLACEHOLDER = re.compile(r"%\((?P<name>[^)]*)\)[#0 +-]*\d*(?:\.\d+)?[a-zA-Z]")


def _po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


@cache
def _catalog(lang: str) -> Catalog:
    with _po_path(lang).open("rb") as f:
        return read_po(f, locale=lang)


@cache
def _template() -> Catalog:
    with TEMPLATE.open("rb") as f:
        return read_po(f)


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _keys(catalog: Catalog) -> set[tuple[str | None, str]]:
    return {_key(m) for m in catalog if m.id}


def _show(keys) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {context!r})" if context else "")
        for context, msgid in sorted(keys, key=lambda k: (k[1], k[0] or ""))
    )


def _placeholders(text: str) -> list[str]:
    """The named placeholders of a message, and "%" for each other percent sign: a message
    without placeholders ("% of answers") is not formatted in Python, but is in templates."""
    named = [m.group(0) for m in PLACEHOLDER.finditer(text)]
    return sorted({*named, *(["%"] if "%" in PLACEHOLDER.sub("", text) else [])})


def _forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# --- The template is current with the code ---------------------------------------------------


def _extracted() -> set[tuple[str | None, str]]:
    """The messages in the code now, extracted as scripts/update-translations does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    found = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        msgid = message if isinstance(message, str) else message[0]
        if msgid:
            found.add((context, msgid))
    return found


def test_the_template_has_every_message_of_the_code():
    in_code = _extracted()
    in_template = _keys(_template())
    missing = in_code - in_template
    assert not missing, (
        f"{len(missing)} message(s) of the code are not in {TEMPLATE.relative_to(ROOT)}:\n"
        f"{_show(missing)}\nRun {UPDATE}, translate them in every language, run it again "
        "and commit survey/translations."
    )
    gone = in_template - in_code
    assert not gone, (
        f"{len(gone)} message(s) of {TEMPLATE.relative_to(ROOT)} are no longer in the code:\n"
        f"{_show(gone)}\nRun {UPDATE} and commit survey/translations."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_has_the_messages_of_the_template(lang):
    catalog, template = _keys(_catalog(lang)), _keys(_template())
    assert catalog == template, (
        f"{_po_path(lang).relative_to(ROOT)} is not up to date with the template.\n"
        f"Missing:\n{_show(template - catalog)}\nLeft over:\n{_show(catalog - template)}\n"
        f"Run {UPDATE}."
    )


# --- Each catalog is complete and right ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_is_completely_translated(lang):
    catalog = _catalog(lang)
    assert not catalog.fuzzy, f"the header of {lang}'s catalog is marked fuzzy"
    fuzzy = {_key(m) for m in catalog if m.id and m.fuzzy}
    empty = {_key(m) for m in catalog if m.id and not all(_forms(m.string))}
    assert not fuzzy, (
        f"{_po_path(lang).relative_to(ROOT)}: {len(fuzzy)} fuzzy message(s), to check and "
        f"then unmark (remove the '#, fuzzy' line):\n{_show(fuzzy)}"
    )
    assert not empty, (
        f"{_po_path(lang).relative_to(ROOT)}: {len(empty)} message(s) not translated:\n"
        f"{_show(empty)}\nTranslate them, then run {UPDATE}."
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_catalog_declares_the_plural_forms_of_its_language(lang):
    catalog = _catalog(lang)
    assert catalog.num_plurals == NPLURALS[lang]
    for message in catalog:
        if message.id and message.pluralizable:
            assert len(_forms(message.string)) == NPLURALS[lang], message.id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_translation_keeps_the_placeholders_of_its_message(lang):
    wrong = []
    for message in _catalog(lang):
        if not message.id:
            continue
        expected = sorted(set().union(*(_placeholders(s) for s in _forms(message.id))))
        forms = [f for f in _forms(message.string) if f]
        for index, form in enumerate(forms):
            got = _placeholders(form)
            # A plural form other than the last ("other") may leave out the count ("one file").
            if got != expected and not (index < len(forms) - 1 and set(got) <= set(expected)):
                wrong.append(f"  {message.id!r}\n    -> {form!r}\n    has {got}, not {expected}")
    assert not wrong, "placeholders changed in translation:\n" + "\n".join(wrong)


# --- The compiled catalogs are those of the .po files ----------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    compiled.seek(0)
    expected = gettext.GNUTranslations(compiled)._catalog
    mo = _po_path(lang).with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(ROOT)} is missing: run {UPDATE}"
    with mo.open("rb") as f:
        committed = gettext.GNUTranslations(f)._catalog
    stale = sorted(
        str(k) for k in expected.keys() | committed.keys() if expected.get(k) != committed.get(k)
    )
    assert not stale, (
        f"{mo.relative_to(ROOT)} is not compiled from the .po file; run {UPDATE}. "
        f"Messages that differ: {stale[:10]}"
    )


# --- Region names ----------------------------------------------------------------------------


def test_every_un_region_has_a_message_with_its_english_name():
    data = json.loads((ROOT / "survey" / "data" / "regions.json").read_text(encoding="utf-8"))
    assert set(REGION_NAMES) == {r["code"] for r in data}
    for item in data:
        assert str(REGION_NAMES[item["code"]]) == item["name"], item["code"]  # no app: English
    assert len(countries.regions()) == 5
    assert len(countries.subregions()) == 17
    assert len(countries.intermediate_regions()) == 8


@pytest.mark.parametrize(
    ("lang", "africa", "latin_america"),
    [
        ("en", "Africa", "Latin America and the Caribbean"),
        ("fr", "Afrique", "Amérique latine et Caraïbes"),
        ("es", "África", "América Latina y el Caribe"),
        ("ru", "Африка", "Латинская Америка и Карибский бассейн"),
        ("ar", "أفريقيا", "أمريكا اللاتينية ومنطقة البحر الكاريبي"),
        ("zh", "非洲", "拉丁美洲和加勒比"),
    ],
)
def test_region_names_are_in_the_page_language(app, lang, africa, latin_america):
    with app.test_request_context(f"/?lang={lang}"):
        assert region_name("002") == africa
        assert region_name("2") == africa
        assert region_name("419") == latin_america
        assert region_name("999") == "999"


# --- The pages use the catalogs --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_is_in_the_language_asked_for(client, lang):
    english = "Questionnaires for expert meetings"
    translated = _catalog(lang)[english].string
    page = client.get(f"/?lang={lang}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert f'lang="{lang}"' in body
    assert f'dir="{"rtl" if lang in i18n.RIGHT_TO_LEFT else "ltr"}"' in body
    assert f"<h1>{html.escape(translated, quote=False)}</h1>" in body
    assert english not in body


def test_a_template_text_is_translated_escaped_and_formatted_as_jinja_does(app):
    """The templates' ``_()`` and ``gettext()`` (survey.i18n) keep Jinja's new-style rules:
    the page's language, values escaped, and the text always a format string."""
    condition = "Answer this if your answer to “%(question)s” was: %(answers)s."
    source = (
        "{{ _('Previous page') }}|{{ gettext('Previous page') }}|"
        "{{ _('Page %(n)d of %(total)d', n=3, total=11) }}|"
        "{{ _(condition, question='<b>Q</b>', answers='A & B') }}|"
        "{{ _('all 100%% sure') }}|{{ _('no sign') }}"
    )
    with app.test_request_context("/?lang=fr"):
        rendered = render_template_string(source, condition=condition).split("|")
    french = {m: _catalog("fr")[m].string for m in ("Previous page", "Page %(n)d of %(total)d")}
    assert rendered[0] == rendered[1] == french["Previous page"] != "Previous page"
    assert rendered[2] == french["Page %(n)d of %(total)d"] % {"n": 3, "total": 11}
    assert "&lt;b&gt;Q&lt;/b&gt;" in rendered[3] and "A &amp; B" in rendered[3]
    assert "<b>" not in rendered[3]
    assert rendered[4:] == ["all 100% sure", "no sign"]  # untranslated texts, formatted alike


def test_a_meeting_time_is_written_for_the_language_and_time_zone_of_each_page(app):
    """Kept once written (survey.i18n), a time is still written anew for another language
    or another meeting's time zone."""
    moment = datetime(2027, 3, 1, 17, 0)  # UTC, as stored
    written = {}
    for zone in ("Europe/Vienna", "America/New_York"):
        app.config["TIMEZONE"] = zone
        for lang in ("en", "fr", "en"):
            with app.test_request_context(f"/?lang={lang}"):
                written[zone, lang] = i18n.meeting_time(moment)
    vienna_en, vienna_fr = written["Europe/Vienna", "en"], written["Europe/Vienna", "fr"]
    assert vienna_en.startswith(format_date(moment, "full", locale="en"))
    assert vienna_fr.startswith(format_date(moment, "full", locale="fr"))
    assert "6:00" in vienna_en and "Central European" in vienna_en
    assert "18:00" in vienna_fr and "Europe centrale" in vienna_fr
    assert "12:00" in written["America/New_York", "en"]
    assert "Eastern" in written["America/New_York", "en"]
