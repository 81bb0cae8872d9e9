"""Readable ASCII slugs for names in any script (Azerbaijani, Cyrillic, Armenian ...).

Transliteration is anyascii's, so 'Kəlbəcər' becomes 'kelbecer' and 'Ղարաբաղ'
becomes 'gharabagh' rather than an empty or percent-encoded string; the same
name always gives the same slug.
"""

from __future__ import annotations

import hashlib
import re

from anyascii import anyascii

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


MAX_SLUG = 80
"""Longer slugs are cut at a hyphen and given a short hash of the whole text: file systems
refuse names over 255 bytes, and such URLs help no one."""


def slugify(text: str, fallback: str = "section") -> str:
    """Return lowercase a-z, 0-9 and hyphens transliterated from ``text``, or ``fallback``."""
    slug = _NOT_SLUG.sub("-", anyascii(text).lower()).strip("-")
    if len(slug) > MAX_SLUG:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0].strip("-") + "-" + digest
    return slug or fallback
