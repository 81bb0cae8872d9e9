"""BCP 47 language tags: check one and write it in its usual case.

site.yaml's ``language`` goes into ``<html lang>`` and names the interface strings file
``strings/<language>.yaml``, so only a well-formed tag may pass: a path such as
'../../x' once loaded a file from outside the theme (issue 11). The pattern is the
syntax of RFC 5646 (well-formed, not checked against the registry), which needs no
data file and refuses everything that could be a path.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global

LANGUAGE_TAG = re.compile(r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})  # language, with extended language subtags
    (?:-[a-z]{4})?                              # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                 # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*    # variants
    (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*        # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                  # private use
""", re.VERBOSE | re.IGNORECASE | re.ASCII)
"""A well-formed BCP 47 (RFC 5646) language tag. re.ASCII matters: with IGNORECASE alone,
[a-z] also matches the Kelvin sign and the long s."""
MAX_LANGUAGE_TAG = 35
"""RFC 5646 (4.4.1) asks every implementation to handle tags of 35 characters; longer ones
are not real languages, and the tag becomes a file name (strings/<language>.yaml)."""


def canonical_language_tag(text: str) -> str | None:
    """Return a well-formed BCP 47 tag in its conventional case, or None for anything else.

    RFC 5646 (2.1.1): language and most subtags lowercase, a four-letter script in title
    case, a two-letter region in capitals; everything after a singleton (-u-, -x-) lowercase.
    """
    if len(text) > MAX_LANGUAGE_TAG or not LANGUAGE_TAG.fullmatch(text):
        return None
    subtags = text.lower().split("-")
    cased, after_singleton = [subtags[0]], False
    for subtag in subtags[1:]:
        after_singleton = after_singleton or len(subtag) == 1
        if not after_singleton and len(subtag) == 2:
            subtag = subtag.upper()
        elif not after_singleton and len(subtag) == 4 and subtag.isalpha():
            subtag = subtag.title()
        cased.append(subtag)
    return "-".join(cased)


ARCHIVE_STYLE_LANGUAGES = frozenset({"en"})
"""Languages whose dates and figures keep the archive's own style instead of CLDR's.

Why English: its dates were written '21 August 2025' and its areas '14,682 km²' before
CLDR came in, and pages, feeds and citations already publish them; CLDR's 'en' says
'August 21, 2025'. Every other language is written the way CLDR (Babel) writes it."""


@lru_cache(maxsize=64)
def cldr_locale(tag: str) -> Locale | None:
    """The CLDR locale (Babel) that writes dates, figures and plural forms for a language tag.

    The whole tag first ('az-Latn-AZ'), then its language with its script if it names one
    ('hy' for 'hy-x-west'); None when CLDR has no data for that, so the caller falls back to
    the strings file. A script CLDR lacks is never dropped: 'ru-Latn' must not get Cyrillic.
    """
    subtags = tag.split("-")
    script = subtags[1] if len(subtags) > 1 and len(subtags[1]) == 4 and subtags[1].isalpha() else None
    for candidate in dict.fromkeys([tag, "-".join(filter(None, [subtags[0], script]))]):
        try:
            locale = Locale.parse(candidate, sep="-")
        except (ValueError, TypeError, UnknownLocaleError):
            continue
        return locale if script is None or script == _script_of(locale) else None
    return None


def _script_of(locale: Locale) -> str | None:
    """The script a CLDR locale writes in: its own, or the usual one of its language (Cyrl for ru)."""
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(locale.language, "")
    return next((part for part in likely.split("_")[1:] if len(part) == 4), None)


def styled_by_cldr(tag: str) -> Locale | None:
    """The CLDR locale for dates and figures in ``tag``, or None where the archive's style holds.

    None for English (ARCHIVE_STYLE_LANGUAGES) and for languages CLDR does not know.
    """
    if tag.split("-")[0].lower() in ARCHIVE_STYLE_LANGUAGES:
        return None
    return cldr_locale(tag)


AUTONYMS = {"en": "English", "az": "Azərbaycanca", "ru": "Русский", "hy": "Հայերեն"}
"""Each language's name in itself, as the language switch shows it (#16): a reader looks for
their own language's name, whatever the page's language. Not interface strings: 'Русский'
is the same in every interface."""


def autonym(tag: str) -> str:
    """The language's own name ('Русский' for 'ru' and 'ru-RU'); the tag itself for a language
    not in AUTONYMS, so that a site may list one before its name is added here."""
    return AUTONYMS.get(tag) or AUTONYMS.get(tag.split("-")[0]) or tag
