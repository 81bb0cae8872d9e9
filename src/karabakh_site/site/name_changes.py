"""Which bodies a change of the territory and place names cannot have changed (#13).

A body's mentions depend on the names the mention rule looks for, so the body cache is keyed
by a digest of all of them: renaming one territory, or giving it an alias, used to render
all 10,000 bodies again. Yet a name can change a body only where the body's text holds it.
So when the names differ from the last build's, a body whose text holds none of the names
added or removed is the body rendered under the last build's names, and is taken from the
cache under that key.

"Holds" is a test that may say yes wrongly but never no wrongly. The rule matches a name
inside one text part of an inline: the text as written, with its backslash escapes and
character references decoded. Every word of the name (a run of letters and digits, folded
as the rule folds) then occurs in the folded text, decoded or not. A change of the
``not_mentions`` phrases, which are matched across the parts of an inline (past emphasis and
code), renders every body again.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass

from karabakh_site.text.mentions import fold, fold_text

NameItem = tuple[str, ...]
"""("territory", name, territory id) or ("place", name, place id, territory id)."""


@dataclass(frozen=True)
class Names:
    """The names the mention rule looks for, as plain data the cache can keep."""

    items: frozenset[NameItem]
    phrases: tuple[str, ...]

    @functools.cached_property
    def digest(self) -> bytes:
        """Worked out once: every body's cache key holds it."""
        return hashlib.blake2b(repr((sorted(self.items), self.phrases)).encode(), digest_size=16).digest()

    def to_json(self) -> dict:
        return {"items": sorted(list(item) for item in self.items), "phrases": list(self.phrases)}

    @classmethod
    def from_json(cls, data: object) -> "Names | None":
        """The stored names, or None for anything this version did not store."""
        try:
            return cls(frozenset(tuple(str(part) for part in item) for item in data["items"]),
                       tuple(str(phrase) for phrase in data["phrases"]))
        except (KeyError, TypeError, ValueError):
            return None


def changed_words(last: Names, now: Names) -> list[tuple[str, ...]] | None:
    """The words of each name added or removed since ``last``, or None when every body may
    have changed (the phrases changed, or a name has no word to look for)."""
    if last.phrases != now.phrases:
        return None
    changed = []
    for item in last.items ^ now.items:
        words = tuple(_WORD.findall(fold(item[1])))
        if not words:
            return None
        changed.append(words)
    return changed


def may_name(text: str, changed: list[tuple[str, ...]]) -> bool:
    """Whether ``text`` may hold one of the ``changed`` names (False only when it cannot)."""
    if not changed:
        return False
    variants = [fold_text(text)]
    if "&" in text or "\\" in text:
        variants.append(fold_text(html.unescape(_ESCAPE.sub(r"\1", text))))
    return any(all(word in variant for word in words) for words in changed for variant in variants)


_WORD = re.compile(r"[^\W_]+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A Markdown backslash escape: the backslash before an ASCII punctuation character."""
