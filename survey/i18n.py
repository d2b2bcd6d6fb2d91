"""The six UN languages: choosing the language of a page, and its direction."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from babel.support import Translations
from flask import Flask, g, request, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LANGUAGES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
RIGHT_TO_LEFT = {"ar"}
DEFAULT_LANGUAGE = "en"

babel = Babel()


def select_language() -> str:
    """The page's language: asked for in the URL, chosen earlier, the expert's, or the browser's."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if g.get("preferred_language") in LANGUAGES:
        return g.preferred_language
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    """Set up Flask-Babel and give templates the language list and text direction."""
    babel.init_app(
        app,
        locale_selector=select_language,
        timezone_selector=lambda: app.config["TIMEZONE"],
        default_translation_directories="translations",
    )

    # Flask-Babel finds the translations anew for every string of a template (a page has
    # dozens, and finding them cost a third of rendering one); once per render is enough:
    # the context processor below puts them in the template's context (under force_locale,
    # those of the forced language). Templates rendered without it find them as Flask-Babel.
    app.jinja_env.install_gettext_callables(
        gettext=pass_context(lambda c, s: _catalog(c).ugettext(s)),
        ngettext=pass_context(lambda c, s, p, n: _catalog(c).ungettext(s, p, n)),
        newstyle=True,
        pgettext=pass_context(lambda c, ctx, s: _catalog(c).upgettext(ctx, s)),
        npgettext=pass_context(lambda c, ctx, s, p, n: _catalog(c).unpgettext(ctx, s, p, n)),
    )
    # ``_()``, the templates' usual call, in one step instead of Jinja's three (alias, wrapper,
    # catalog): a questionnaire page calls it about twenty times, and the two extra steps cost
    # 0.3-0.7 ms of the page request's ~3 ms of CPU (measured on SQLite).
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.add_template_filter(meeting_time)

    @app.context_processor
    def _language_context():
        lang = str(get_locale() or DEFAULT_LANGUAGE)
        return {
            "languages": LANGUAGES,
            "lang": lang,
            "text_direction": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
            TRANSLATIONS: get_translations(),
        }


# The name of the template context variable holding the render's translations.
TRANSLATIONS = "_survey_translations"


def _catalog(context: Context) -> Translations:
    """The translations of a template render: its context's, else Flask-Babel's."""
    found = context.get(TRANSLATIONS)
    return found if found is not None else get_translations()


@pass_context
def _template_gettext(context: Context, string: str, **variables: object) -> str:
    """What Jinja's new-style ``gettext`` does: the translation, escaped as the template is,
    then formatted with ``variables`` (always, so "%%" is "%"; a text without "%" would come
    out of it unchanged)."""
    translated = _catalog(context).ugettext(string)
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 - our catalogs, trusted as by Jinja
    return translated % variables if "%" in translated else translated


def meeting_time(moment: datetime) -> str:
    """A date and time in the meeting's time zone, written for the page's language."""
    # Babel takes ~0.15 ms to write one, and every expert's welcome and confirmation pages
    # write the same closing time: kept per moment, language and time zone (all it reads).
    return _meeting_time(moment, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=256)
def _meeting_time(moment: datetime, _language: str, _zone: str) -> str:
    # "zzzz" names the zone in words ("Central European Time", "heure d'Europe centrale").
    return (
        f"{format_date(moment, 'full')}, {format_time(moment, 'short')} "
        f"({format_datetime(moment, 'zzzz')})"
    )
