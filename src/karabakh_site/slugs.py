"""Readable ASCII slugs for names in any script (Azerbaijani, Cyrillic, Armenian ...).

Transliteration is anyascii's, so 'Kəlbəcər' becomes 'kelbecer' and 'Ղարաբաղ'
becomes 'gharabagh' rather than an empty or percent-encoded string; the same
name always gives the same slug.
"""

from __future__ import annotations

import re

from anyascii import anyascii

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "section") -> str:
    """Return lowercase a-z, 0-9 and hyphens transliterated from ``text``, or ``fallback``."""
    slug = _NOT_SLUG.sub("-", anyascii(text).lower()).strip("-")
    return slug or fallback
