"""Find territory names in Markdown tokens and turn them into links with anchors.

A markdown-it core rule, so it works on the token tree rather than on HTML: text inside
headings, links and code is never touched. Every mention gets an anchor id, so a
territory page can link to the exact place; the first mention of a territory in each
section (the text between two headings) is also a link to the territory's page.

Names are matched folded (#12): case and the diacritics of Latin letters aside, so "Qubadli"
finds "Qubadlı" and "Fuzuli" finds "Füzuli", but always as whole words. A place inside a
territory (Khankendi) is a mention of the place, not of the territory; a phrase declared as
not a mention ("Shusha Global Media Forum") hides the names inside it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from karabakh_site.text.records import compact_record

_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s+")
CONTEXT_LIMIT = 160
"""Characters of context kept on each side of a mention, at most."""


_FOLDED_LETTERS = {"ı": "i", "İ": "i", "ə": "e", "Ə": "e", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l"}
"""Latin letters that NFD does not split into a base letter and a mark (Azerbaijani ı and ə)."""


class _Folder(dict):
    """A str.translate table, filled on demand, that maps each character to exactly one.

    Why one for one: the mention's offsets in the folded text are its offsets in the text.
    Marks are removed only from Latin letters (Cyrillic й stays й).
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _FOLDED_LETTERS.get(char)
        if folded is None:
            parts = unicodedata.normalize("NFD", char)
            base = parts[0] if parts[0].isascii() and all(unicodedata.combining(c) for c in parts[1:]) else char
            folded = base.lower() if len(base.lower()) == 1 else base
        self[code] = folded
        return folded


_FOLDER = _Folder()


def fold_text(text: str) -> str:
    """``text`` lowercased and without the diacritics of Latin letters, of the same length.

    ASCII text (``isascii`` is a flag CPython keeps) is only lowercased: the folder maps each
    ASCII character to its ``lower()`` (tests/test_mentions.py checks all 128), and ``lower()``
    is several times faster than a per-character ``translate`` (#13).
    """
    return text.lower() if text.isascii() else text.translate(_FOLDER)


@lru_cache(maxsize=4096)
def fold(name: str) -> str:
    """The key under which a name or phrase is compared: folded, with single spaces."""
    return " ".join(fold_text(name).split())


def _whole_words(names) -> str:
    """A pattern of the names as whole words, longest first so they win; any run of spaces matches any other.

    Grouped by first letter (``k(?:albajar|elbecer)``): only one group can match at a place,
    and inside it the order is kept, so the matches are those of the flat list, found faster.
    The lookahead for the first letters adds no condition (every group starts with one) but
    lets the engine leave a word start after one set test, not one test per group (#13).
    """
    keys = sorted({fold(name) for name in names} - {""}, key=lambda n: (-len(n), n))
    groups: dict[str, list[str]] = {}
    for key in keys:
        first, *others = key.split()
        rest = re.escape(first[1:]) + "".join(r"\s+" + re.escape(word) for word in others)
        groups.setdefault(key[0], []).append(rest)
    alternation = "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())
    if not groups:  # only blank names: the empty pattern, matching as it always did
        return rf"(?<!\w)(?:{alternation})(?!\w)"
    firsts = "".join(re.escape(first) for first in groups)
    return rf"(?<!\w)(?=[{firsts}])(?:{alternation})(?!\w)"


@dataclass(frozen=True)
class NameMatcher:
    """Recognises the names and aliases of territories and places as whole words, folded."""

    pattern: re.Pattern[str] | None
    target_of: dict[str, tuple[str, str | None]]
    """Folded name -> (territory id, place id or None)."""
    excluded: re.Pattern[str] | None = None
    """The ``not_mentions`` phrases: names inside them are not mentions."""

    @classmethod
    def from_names(cls, names: dict[str, str], place_names: dict[str, tuple[str, str]] | None = None,
                   not_mentions: tuple[str, ...] = ()) -> NameMatcher | None:
        """Build from {name: territory id}, {place name: (place id, territory id)} and phrases."""
        targets = {fold(name): (territory, None) for name, territory in names.items()}
        targets.update({fold(name): (territory, place) for name, (place, territory) in (place_names or {}).items()})
        if not (targets or not_mentions):
            return None
        pattern = re.compile(_whole_words(targets)) if targets else None
        excluded = re.compile(_whole_words(not_mentions)) if not_mentions else None
        return cls(pattern, targets, excluded)


@compact_record
class Mention:
    """One place where an article names a territory."""

    territory_id: str
    anchor: str
    """The id of the mention's element in the article, e.g. ``mention-kalbajar-3``."""
    text: str
    """The name as the article writes it."""
    line: int
    before: str
    """The sentence up to the mention (keyword in context)."""
    after: str
    is_link: bool
    place_id: str | None = None
    """The place named, when the name is a place's inside ``territory_id`` (then not the territory's)."""

    @property
    def target_id(self) -> str:
        """The territory or place this mention names."""
        return self.place_id or self.territory_id


@dataclass
class MentionSettings:
    """What the rule needs for one document, passed through markdown-it's ``env``."""

    matcher: NameMatcher
    href_of: Callable[[str], str]
    """Territory id -> URL of its page, relative to the document's page."""
    first_line: int
    found: list[Mention] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    not_mentions_found: set[str] = field(default_factory=set)
    """Folded ``not_mentions`` phrases seen in the text, so an unused one can be reported."""


def mentions_plugin(parser: MarkdownIt) -> None:
    """Register the rule; it does nothing unless ``env['mentions']`` holds MentionSettings."""
    parser.core.ruler.after("inline", "territory_mentions", _link_mentions)


def _link_mentions(state: StateCore) -> None:
    settings: MentionSettings | None = state.env.get("mentions")
    if settings is None:
        return
    linked_in_section: set[str] = set()
    in_heading = False
    for token in state.tokens:
        if token.type == "heading_open":
            in_heading, linked_in_section = True, set()
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and not in_heading and token.children:
            line = settings.first_line + (token.map[0] if token.map else 0)
            parts = [(child.type, child.content) for child in token.children]
            found = find_mentions(parts, settings, linked_in_section, line)
            if found:
                token.children = _split_tokens(token.children, found)


FoundMention = tuple[int, int, int, Mention, str]
"""(index of the text part, start, end, the mention, its href or "") for one mention of an inline."""


def find_mentions(parts: Sequence[Sequence], settings: MentionSettings, linked: set[str],
                  line: int) -> list[FoundMention]:
    """Find the mentions in the plain text parts of one inline, in order, and record them.

    ``parts`` are the inline's children as (type, content, ...), markdown-it-py's token types:
    names are sought in each ``text`` part on its own, outside links, and the sentence
    around a mention is the inline's plain text (text, code, line breaks as spaces). Both
    markdown-it-py's tokens and fast_mentions' tree pieces come here, so they agree (#13).
    """
    matcher = settings.matcher
    plain = _plain_text(parts) if matcher.excluded is not None else None
    excluded = _excluded_spans(fold_text(plain), settings) if plain is not None else []
    if matcher.pattern is None:
        return []
    segments, searched = _searched_text(parts)
    if not segments:
        return []
    found: list[FoundMention] = []
    for match in matcher.pattern.finditer(fold_text(segments[0] if len(segments) == 1 else "\0".join(segments))):
        if plain is None:
            plain = _plain_text(parts)  # only an inline that names something needs its sentences (#13)
        segment = bisect_right(searched, (match.start(), len(parts))) - 1 if len(searched) > 1 else 0
        segment_start, index, offset = searched[segment]
        part_start, part_end = match.start() - segment_start, match.end() - segment_start
        start, end = offset + part_start, offset + part_end
        if excluded and any(start < span_end and span_start < end for span_start, span_end in excluded):
            continue
        territory_id, place_id = matcher.target_of[fold(match.group(0))]
        is_link = (place_id or territory_id) not in linked
        linked.add(place_id or territory_id)
        mention = _record(settings, (territory_id, place_id), parts[index][1][part_start:part_end], line,
                          plain, start, end, is_link)
        href = settings.href_of(territory_id) + (f"#place-{place_id}" if place_id else "") if is_link else ""
        found.append((index, part_start, part_end, mention, href))
    return found


_BREAKS = frozenset({"softbreak", "hardbreak"})


def _searched_text(parts: Sequence[Sequence]) -> tuple[list[str], list[tuple[int, int, int]]]:
    """The inline's text parts outside links, and for each (its start in their NUL-joined string,
    its part index, its start in the inline's plain text).

    Why one string: one search instead of one per part (#13). A NUL is neither a word character
    nor a space, so a name matches across no part boundary and each part's edges are word
    edges, exactly as when each part is searched on its own. Folding maps each character to
    one, so offsets in the folded string are offsets in the written one.
    """
    if len(parts) == 1:  # a paragraph of plain words, the commonest inline: nothing to walk
        kind, content = parts[0][0], parts[0][1]
        return ([content], [(0, 0, 0)]) if kind == "text" and content else ([], [])
    segments: list[str] = []
    searched: list[tuple[int, int, int]] = []
    offset = joined = link_depth = 0
    for index, part in enumerate(parts):
        kind = part[0]
        if kind == "text":
            content = part[1]
            if link_depth == 0 and content:
                segments.append(content)
                searched.append((joined, index, offset))
                joined += len(content) + 1
            offset += len(content)
        elif kind == "code_inline":
            offset += len(part[1])
        elif kind in _BREAKS:
            offset += 1
        elif kind == "link_open":
            link_depth += 1
        elif kind == "link_close":
            link_depth -= 1
    return segments, searched


def _plain_text(parts: Sequence[Sequence]) -> str:
    """The inline's plain text, the sentences of its mentions are cut from: text and code, breaks as spaces."""
    return "".join(part[1] if part[0] == "text" or part[0] == "code_inline" else " " if part[0] in _BREAKS else ""
                   for part in parts)


def _excluded_spans(folded: str, settings: MentionSettings) -> list[tuple[int, int]]:
    """Where the inline's folded text holds a ``not_mentions`` phrase (noting each phrase seen)."""
    if settings.matcher.excluded is None:
        return []
    spans = []
    for match in settings.matcher.excluded.finditer(folded):
        settings.not_mentions_found.add(fold(match.group(0)))
        spans.append(match.span())
    return spans


def _split_tokens(children: list[Token], found: list[FoundMention]) -> list[Token]:
    """Return the children with each found mention cut out of its text token as a link or span."""
    by_part: dict[int, list[FoundMention]] = {}
    for item in found:
        by_part.setdefault(item[0], []).append(item)
    result: list[Token] = []
    for index, child in enumerate(children):
        if index not in by_part:
            result.append(child)
            continue
        cursor = 0
        for _index, start, end, mention, href in by_part[index]:
            if start > cursor:
                result.append(_text(child.content[cursor:start]))
            result += _mention_tokens(mention, href)
            cursor = end
        if cursor < len(child.content):
            result.append(_text(child.content[cursor:]))
    return result


def _record(settings: MentionSettings, target: tuple[str, str | None], text: str, line: int, plain: str,
            start: int, end: int, is_link: bool) -> Mention:
    territory_id, place_id = target
    target_id = place_id or territory_id
    number = settings.counts.get(target_id, 0) + 1
    settings.counts[target_id] = number
    before, after = sentence_around(plain, start, end)
    mention = Mention(territory_id, f"mention-{target_id}-{number}", text, line, before, after, is_link, place_id)
    settings.found.append(mention)
    return mention


def sentence_around(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the parts of the sentence before and after ``text[start:end]``, trimmed."""
    window = max(0, start - 2 * CONTEXT_LIMIT)  # never rescan a long paragraph from its start
    sentence_start = window
    for boundary in _SENTENCE_END.finditer(text, window, start):
        sentence_start = boundary.end()
    following = _SENTENCE_END.search(text, end, end + 2 * CONTEXT_LIMIT)
    sentence_end = following.start() + len(following.group(0).rstrip()) if following else min(len(text), end + 2 * CONTEXT_LIMIT)
    before = text[sentence_start:start]
    after = text[end:sentence_end]
    if len(before) > CONTEXT_LIMIT:
        before = "…" + before[-CONTEXT_LIMIT:].split(" ", 1)[-1]
    if len(after) > CONTEXT_LIMIT:
        after = after[:CONTEXT_LIMIT].rsplit(" ", 1)[0] + "…"
    return before.lstrip(), after.rstrip()


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _mention_tokens(mention: Mention, href: str) -> list[Token]:
    attrs = {"class": "mention", "id": mention.anchor}
    if mention.is_link:
        opening, closing = Token("link_open", "a", 1), Token("link_close", "a", -1)
        attrs = {"href": href, **attrs}
    else:
        opening, closing = Token("mention_open", "span", 1), Token("mention_close", "span", -1)
    opening.attrs = attrs
    opening.meta = {"mention": mention.target_id}
    return [opening, _text(mention.text), closing]
