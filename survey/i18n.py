"""The six UN languages: choosing the language of a page, and its direction."""

from __future__ import annotations

from datetime import datetime

from babel.support import Translations
from flask import Flask, g, has_app_context, request, session
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_time,
    get_locale,
    get_translations,
)

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
    # dozens, and finding them cost a third of rendering one); once per locale and request
    # is enough. Keyed by the locale object, so that force_locale still switches language.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.add_template_filter(meeting_time)

    @app.context_processor
    def _language_context():
        from flask_babel import get_locale

        lang = str(get_locale() or DEFAULT_LANGUAGE)
        return {
            "languages": LANGUAGES,
            "lang": lang,
            "text_direction": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        }


def _translations() -> Translations:
    """Flask-Babel's translations for the current locale, found once per request and locale."""
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    found = g.get("_survey_translations")
    if found is None or found[0] is not locale:
        found = g._survey_translations = (locale, get_translations())
    return found[1]


def meeting_time(moment: datetime) -> str:
    """A date and time in the meeting's time zone, written for the page's language."""
    # "zzzz" names the zone in words ("Central European Time", "heure d'Europe centrale").
    return (
        f"{format_date(moment, 'full')}, {format_time(moment, 'short')} "
        f"({format_datetime(moment, 'zzzz')})"
    )
