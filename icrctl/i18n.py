"""The two languages: Dutch (the default) and English, through stdlib :mod:`gettext`.

English source strings are the message ids; ``icrctl/locale/nl/LC_MESSAGES/icrctl.mo`` holds the
Dutch. English needs no catalogue, so it costs nothing to load; Dutch costs one small file read,
once per process. Any layer may translate (``from icrctl.i18n import _``): this module imports
nothing of icrctl's, and nothing outside the standard library.

The language is chosen once per command (:func:`choose`, then :func:`use`): ``--lang``, else
``$ICRCTL_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else Dutch. Until
then, the first translation asks :func:`choose` with no ``--lang``.

What scripts read never goes through here: JSON and CSV field names and enumerated values stay
the English keys in every language.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from datetime import date
from pathlib import Path

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
DOMAIN = "icrctl"
LOCALE_DIR = Path(__file__).parent / "locale"

_translations: dict[str, gettext.NullTranslations] = {}
_current: gettext.NullTranslations | None = None
_language = DEFAULT


class UnknownLanguage(ValueError):
    """``$ICRCTL_LANG`` (or ``--lang``) names a language icrctl does not speak."""

    def __init__(self, source: str, value: str) -> None:
        super().__init__(f"{source} is {value!r}: icrctl speaks nl (Dutch) and en (English)")
        self.facts = {"source": source, "value": value}


def _from_locale(value: str) -> str | None:
    """``nl_NL.UTF-8`` -> ``nl``; ``en_GB`` -> ``en``; anything else -> ``None``."""
    lowered = value.strip().lower()
    for language in LANGUAGES:
        rest = lowered.removeprefix(language)
        if rest != lowered and (not rest or rest[0] in "_-.@"):
            return language
    return None


def choose(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language of this command: ``explicit`` (``--lang``), else ``$ICRCTL_LANG``, else the
    first locale variable that is set (``LC_ALL``, ``LC_MESSAGES``, ``LANG``) when it names Dutch
    or English, else Dutch. An explicit choice or ``$ICRCTL_LANG`` that names neither is refused
    (:class:`UnknownLanguage`): a typing error there should not go unnoticed."""
    env = os.environ if environ is None else environ
    for source, value in (("--lang", explicit), ("ICRCTL_LANG", env.get("ICRCTL_LANG"))):
        if value:
            language = _from_locale(value)
            if language is None:
                raise UnknownLanguage(source, value)
            return language
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return _from_locale(value) or DEFAULT
    return DEFAULT


def use(language: str) -> None:
    """Speak ``language`` (one of :data:`LANGUAGES`) from now on."""
    global _current, _language
    if language not in LANGUAGES:
        raise UnknownLanguage("language", language)
    found = _translations.get(language)
    if found is None:
        if language == "en":
            found = gettext.NullTranslations()
        else:
            found = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
        _translations[language] = found
    _current, _language = found, language


def language() -> str:
    """The language in use (choosing it from the environment if no command has yet)."""
    _catalogue()
    return _language


def _catalogue() -> gettext.NullTranslations:
    if _current is None:
        try:
            use(choose())
        except UnknownLanguage:
            use(DEFAULT)
    assert _current is not None
    return _current


def _(message: str) -> str:
    """``message`` (an English message id) in the language in use."""
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n``, in the language in use."""
    return _catalogue().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it now (tables of words that are
    translated where they are shown)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for the catalogue (for :func:`ngettext` later)."""
    return singular, plural


# --- dates in words -------------------------------------------------------------------------------

WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
    N_("Sunday"),
)  # fmt: skip
WEEKDAYS_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
    N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
)  # fmt: skip


def weekday(day: date) -> str:
    """``maandag`` / ``Monday``."""
    return _(WEEKDAYS[day.weekday()])


def weekday_short(day: date) -> str:
    """``ma`` / ``Mon``."""
    return _(WEEKDAYS_SHORT[day.weekday()])


def month(day: date) -> str:
    """``november`` / ``November``."""
    return _(MONTHS[day.month - 1])


def long_date(day: date) -> str:
    """``maandag 30 november 2026`` / ``Monday 30 November 2026``."""
    return _("{weekday} {day} {month} {year}").format(
        weekday=weekday(day), day=day.day, month=month(day), year=day.year
    )


def day_month(day: date) -> str:
    """``30 november`` / ``30 November``."""
    return _("{day} {month}").format(day=day.day, month=month(day))


def short_date(day: date) -> str:
    """``ma 30-11`` / ``Mon 30-11``: a day within a week or two of today."""
    return f"{weekday_short(day)} {day.day:02d}-{day.month:02d}"
