"""Find territory names in Markdown tokens and turn them into links with anchors.

A markdown-it core rule, so it works on the token tree rather than on HTML: text inside
headings, links and code is never touched. Every mention gets an anchor id, so a
territory page can link to the exact place; the first mention of a territory in each
section (the text between two headings) is also a link to the territory's page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_SENTENCE_END = re.compile(r"[.!?…][”’\"')\]]*\s+")
CONTEXT_LIMIT = 160
"""Characters of context kept on each side of a mention, at most."""


@dataclass(frozen=True)
class NameMatcher:
    """Recognises the names and aliases of all territories as whole words, in any case."""

    pattern: re.Pattern[str]
    territory_of: dict[str, str]
    """Casefolded name -> territory id."""

    @classmethod
    def from_names(cls, names: dict[str, str]) -> NameMatcher | None:
        """Build from {name or alias: territory id}; longest names first so they win."""
        if not names:
            return None
        ordered = sorted(names, key=lambda n: (-len(n), n))
        alternation = "|".join(re.escape(name) for name in ordered)
        pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
        return cls(pattern, {name.casefold(): territory for name, territory in names.items()})


@dataclass(frozen=True)
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


@dataclass
class MentionSettings:
    """What the rule needs for one document, passed through markdown-it's ``env``."""

    matcher: NameMatcher
    href_of: Callable[[str], str]
    """Territory id -> URL of its page, relative to the document's page."""
    first_line: int
    found: list[Mention] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


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
            token.children = _mark_inline(token.children, settings, linked_in_section, line)


def _mark_inline(children: list[Token], settings: MentionSettings, linked: set[str], line: int) -> list[Token]:
    """Return the children with every mention in plain text wrapped in a link or span."""
    plain = "".join(_plain_text(child) for child in children)
    result: list[Token] = []
    offset, link_depth = 0, 0
    for child in children:
        link_depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type == "text" and link_depth == 0:
            result += _split_text(child, offset, plain, settings, linked, line)
        else:
            result.append(child)
        offset += len(_plain_text(child))
    return result


def _plain_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    return " " if token.type in ("softbreak", "hardbreak") else ""


def _split_text(token: Token, offset: int, plain: str, settings: MentionSettings,
                linked: set[str], line: int) -> list[Token]:
    pieces: list[Token] = []
    cursor = 0
    for match in settings.matcher.pattern.finditer(token.content):
        territory_id = settings.matcher.territory_of[match.group(0).casefold()]
        is_link = territory_id not in linked
        linked.add(territory_id)
        if match.start() > cursor:
            pieces.append(_text(token.content[cursor:match.start()]))
        mention = _record(settings, territory_id, match.group(0), line, plain,
                          offset + match.start(), offset + match.end(), is_link)
        pieces += _mention_tokens(mention, settings.href_of(territory_id) if is_link else "")
        cursor = match.end()
    if not pieces:
        return [token]
    if cursor < len(token.content):
        pieces.append(_text(token.content[cursor:]))
    return pieces


def _record(settings: MentionSettings, territory_id: str, text: str, line: int, plain: str,
            start: int, end: int, is_link: bool) -> Mention:
    number = settings.counts.get(territory_id, 0) + 1
    settings.counts[territory_id] = number
    before, after = sentence_around(plain, start, end)
    mention = Mention(territory_id, f"mention-{territory_id}-{number}", text, line, before, after, is_link)
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
    opening.meta = {"mention": mention.territory_id}
    return [opening, _text(mention.text), closing]
