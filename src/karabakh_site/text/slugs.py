"""Readable ASCII slugs for names in any script (Azerbaijani, Cyrillic, Armenian ...).

Russian Cyrillic and Armenian are romanised by BGN/PCGN, the system of English-language
gazetteers and of most English reporting on the region, with its diacritics and
apostrophes dropped, as a URL needs: 'Шуша' gives 'shusha', 'Շուշի' 'shushi', 'Ханкенди'
'khankendi', 'Երևան' 'yerevan' (#14; anyascii's letter-by-letter table gave 'showshi'
for 'Շուշի', reading the vowel ու as two letters). Every other character (Azerbaijani
'Kəlbəcər' → 'kelbecer', Cyrillic letters of other languages) goes through anyascii.
The same name always gives the same slug.

The tables below are BGN/PCGN Russian (1947) and Armenian (1981). Their context rules are
applied: Russian е and ё are 'ye' at the start of a word and after a vowel, й, ъ or ь,
else 'e'; Armenian ե is 'ye' at the start of a word, else 'e', ո is 'vo' at the start
of a word, else 'o', and ու is 'u'. Not applied: BGN/PCGN's 'ov' for the word ով, its
'·' separator, and the marks ë, ’ and ʼ, which a slug cannot hold. A small table here
rather than a dependency: no PyPI package found covers Armenian BGN/PCGN, and one for
Russian alone (iuliia) would still leave this table half written.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


MAX_SLUG = 80
"""Longer slugs are cut at a hyphen and given a short hash of the whole text: file systems
refuse names over 255 bytes, and such URLs help no one."""

RUSSIAN = dict(zip(
    "абвгджзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
))
"""BGN/PCGN Russian, lower case, without е and ё (see ``_russian_e``); ъ and ь are dropped."""
_RUSSIAN_YE_AFTER = frozenset("аеёиоуыэюяйъь")

ARMENIAN = dict(zip(
    "աբգդզէըթժիլխծկհձղճմյնշչպջռսվտրցփքօֆւ",
    ["a", "b", "g", "d", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz", "gh", "ch", "m",
     "y", "n", "sh", "ch", "p", "j", "r", "s", "v", "t", "r", "ts", "p", "k", "o", "f", "v"],
))
"""BGN/PCGN Armenian, lower case, without ե, ո, ու and և (context rules in ``_armenian``)."""
_ARMENIAN_LETTERS = frozenset(ARMENIAN) | frozenset("եոև")


def slugify(text: str, fallback: str = "section") -> str:
    """Return lowercase a-z, 0-9 and hyphens transliterated from ``text``, or ``fallback``."""
    slug = _NOT_SLUG.sub("-", anyascii(romanize(text.lower()))).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0].strip("-") + "-" + digest
    return slug or fallback


def romanize(text: str) -> str:
    """Romanise the Russian and Armenian letters of lower-case ``text`` by BGN/PCGN, leaving the rest."""
    out = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        if char in RUSSIAN:
            out.append(RUSSIAN[char])
        elif char in "её":
            out.append("ye" if not before.isalpha() or before in _RUSSIAN_YE_AFTER else "e")
        elif char in _ARMENIAN_LETTERS:
            out.append(_armenian(char, before, text[index + 1:index + 2]))
        else:
            out.append(char)
    return "".join(out)


def _armenian(char: str, before: str, after: str) -> str:
    initial = not before.isalpha()
    if char == "ե":
        return "ye" if initial else "e"
    if char == "և":
        return "yev" if initial else "ev"
    if char == "ո":
        if after == "ւ":  # ու is the vowel u; its ւ then adds nothing
            return "u"
        return "vo" if initial else "o"
    if char == "ւ" and before == "ո":
        return ""
    return ARMENIAN[char]
