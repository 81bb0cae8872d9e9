"""One configured Markdown parser: CommonMark with tables and footnotes, no raw HTML.

Rendering returns data, not only HTML: the headings (with their anchors) and the links
of a body, each with its file line, so later stages can check and cross-reference them.

markdown-it-py is the reference. markdown-it-pyrs (the markdown-it rules compiled from
Rust) parses a body instead, several times faster, wherever fast_markdown can render its
node tree exactly as the markdown-it-py below would; any other body goes to markdown-it-py
(#13). Both follow the one configuration in this module: syntax, link check, anchors,
table wrapper, mentions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import markdown_it_pyrs
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from karabakh_site.text.fast_markdown import TreeBody, TreeSettings, render_tree
from karabakh_site.text.mentions import Mention, MentionSettings, NameMatcher, mentions_plugin
from karabakh_site.text.records import compact_record
from karabakh_site.text.slugs import slugify

SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


@compact_record
class Heading:
    """A heading of a body, with the anchor it can be linked to."""

    level: int
    anchor: str
    text: str
    line: int


@compact_record
class Link:
    """A link or image written in a body."""

    url: str
    line: int


@compact_record
class Paragraph:
    """A paragraph of a body with its id, so a quote can link to the exact place it comes from."""

    anchor: str
    """``p-1``, ``p-2``… in document order: stable while the text before it is unchanged."""
    first_line: int
    end_line: int
    """The lines the paragraph spans: ``first_line`` up to, not including, ``end_line``."""


@compact_record
class RenderedBody:
    """The HTML of a Markdown body plus what later stages need to know about it."""

    html_utf8: bytes
    """The HTML in UTF-8: a build holds every body for its whole run but shows each on one or
    two pages (its own, a feed), so it is kept as bytes, about half the memory of a ``str``
    holding a Cyrillic or Armenian name, and never decoded for a page that is not rendered
    (#13: 175 MiB of ``str`` at 10,000 documents)."""
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    """Links and images as the author wrote them (not the generated mention links)."""
    mentions: tuple[Mention, ...] = ()
    """Territory names found in the text, in order."""
    paragraphs: tuple[Paragraph, ...] = ()
    """The body's paragraphs (not its footnotes), each with its ``p-N`` id."""
    not_mentions_found: tuple[str, ...] = ()
    """The folded ``not_mentions`` phrases the text holds (each must occur somewhere, #12)."""

    @property
    def html(self) -> str:
        """The HTML as text, for the page that shows it."""
        return self.html_utf8.decode()


THEME_IDS = frozenset({"main", "top", "site-search-q", "search-q"})
"""Ids the theme's pages use; a heading may not take one (nor the generated prefixes below)."""
_GENERATED_ID = re.compile(r"^(?:archive-|mention-|event-|year-|published-|fn\d|fnref\d|p-\d)")


def slugify_heading(text: str) -> str:
    """Make a readable ASCII anchor from heading text, in any script, never an id the page has."""
    slug = slugify(text, fallback="section")
    return f"section-{slug}" if slug in THEME_IDS or _GENERATED_ID.match(slug) else slug


def is_safe_url(url: str) -> bool:
    """Allow relative URLs and http(s)/mailto; refuse javascript:, data:, vbscript:, file: ...

    Browsers ignore control characters and whitespace inside a scheme, so they are
    removed before the scheme is read (``java\\tscript:`` is still javascript:).
    """
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url)
    match = _SCHEME.match(cleaned)
    return match is None or match.group(0).lower() in SAFE_SCHEMES


TABLE_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="Table">\n'
"""Tables are wrapped so that a wide one scrolls inside the page instead of widening it."""
TABLE_CLOSE = "</div>\n"
ANCHOR_LEVELS = range(2, 5)
"""Headings h2 to h4 get an anchor (h1 is the page's title)."""


def _render_table_open(self, tokens, index, options, env) -> str:
    return TABLE_OPEN + self.renderToken(tokens, index, options, env)


def _render_table_close(self, tokens, index, options, env) -> str:
    return self.renderToken(tokens, index, options, env) + TABLE_CLOSE


@lru_cache(maxsize=1)
def create_parser() -> MarkdownIt:
    """Build the parser once: raw HTML is escaped, unsafe link schemes are left as text."""
    parser = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable("table")
        .use(footnote_plugin)
        .use(anchors_plugin, min_level=ANCHOR_LEVELS[0], max_level=ANCHOR_LEVELS[-1], slug_func=slugify_heading,
             permalink=False)
        .use(mentions_plugin)
    )
    parser.validateLink = is_safe_url
    parser.add_render_rule("table_open", _render_table_open)
    parser.add_render_rule("table_close", _render_table_close)
    return parser


FAST_SYNTAX = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
               "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
               "table", "footnote")
"""The syntax of ``create_parser`` in markdown-it-pyrs' names: CommonMark without its two raw
HTML rules (markdown-it-py's ``html: False``), tables and footnotes. No typographer, no linkify."""


@lru_cache(maxsize=1)
def create_fast_parser() -> markdown_it_pyrs.MarkdownIt:
    """Build the markdown-it-pyrs parser for the same syntax as ``create_parser``.

    It only parses: fast_markdown does the rest as ``create_parser`` would (``_tree_settings``).
    """
    return markdown_it_pyrs.MarkdownIt("zero").enable_many(list(FAST_SYNTAX))


@lru_cache(maxsize=1)
def _tree_settings() -> TreeSettings:
    """``create_parser``'s choices besides syntax, handed to fast_markdown so that they live here only."""
    return TreeSettings(create_parser(), slugify_heading, frozenset(ANCHOR_LEVELS), TABLE_OPEN, TABLE_CLOSE)


def render_markdown(
    text: str,
    first_line: int,
    rewrite_url: Callable[[str], str] | None = None,
    matcher: NameMatcher | None = None,
    territory_href: Callable[[str], str] | None = None,
    *,
    fast: bool = True,
) -> RenderedBody:
    """Render a body whose first line is ``first_line`` of its file.

    ``rewrite_url`` maps each link and image URL as written (e.g. ``../pages/about.md``)
    to the URL to publish; the returned ``links`` keep the URLs as written, for checks.
    With a ``matcher``, territory names become mentions linking to ``territory_href(id)``.
    Rendered from markdown-it-pyrs' tree where fast_markdown can do so exactly (#13), else by
    markdown-it-py; ``fast=False`` renders with markdown-it-py only, the reference.
    """
    parser = create_parser()
    env: dict = {}
    if matcher is not None and territory_href is not None:
        env["mentions"] = MentionSettings(matcher, territory_href, first_line)
    if fast:
        body = render_tree(create_fast_parser(), _tree_settings(), text, first_line, rewrite_url, env.get("mentions"))
        if body is not None:
            return _from_tree(body, env.get("mentions"))
    tokens = parser.parse(text, env)
    links = _collect_links(tokens, first_line)
    paragraphs = number_paragraphs(tokens, first_line)
    if rewrite_url is not None:
        _rewrite_urls(tokens, rewrite_url)
    html = parser.renderer.render(tokens, parser.options, env)
    found = tuple(env["mentions"].found) if "mentions" in env else ()
    phrases = tuple(sorted(env["mentions"].not_mentions_found)) if "mentions" in env else ()
    return RenderedBody(html.encode(), _collect_headings(tokens, first_line), links, found, paragraphs,
                        not_mentions_found=phrases)


def _from_tree(body: TreeBody, mentions: MentionSettings | None) -> RenderedBody:
    """The RenderedBody of a body rendered by fast_markdown, as the reference path builds it."""
    return RenderedBody(body.html.encode(), tuple(Heading(*heading) for heading in body.headings),
                        tuple(Link(*link) for link in body.links), tuple(mentions.found) if mentions else (),
                        tuple(Paragraph(*paragraph) for paragraph in body.paragraphs),
                        not_mentions_found=tuple(sorted(mentions.not_mentions_found)) if mentions else ())


def number_paragraphs(tokens: list[Token], first_line: int) -> tuple[Paragraph, ...]:
    """Give every paragraph of the text an id ``p-N`` (N from 1, in document order) and list them.

    Why: an event's quote links to the paragraph it comes from (issue 12). Footnotes are
    the archive's notes, not the text, and are not numbered. A paragraph of a tight list
    is not rendered as <p>, so its list item carries the id.
    """
    paragraphs: list[Paragraph] = []
    holder: Token | None = None
    in_footnotes = False
    for token in tokens:
        in_footnotes = token.type == "footnote_block_open" or (in_footnotes and token.type != "footnote_block_close")
        if token.type == "list_item_open":
            holder = token
        if token.type != "paragraph_open" or in_footnotes or not token.map:
            continue
        anchor = f"p-{len(paragraphs) + 1}"
        target = holder if token.hidden and holder is not None and holder.attrGet("id") is None else token
        target.attrSet("id", anchor)
        paragraphs.append(Paragraph(anchor, first_line + token.map[0], first_line + token.map[1]))
    return tuple(paragraphs)


def _rewrite_urls(tokens: list[Token], rewrite_url: Callable[[str], str]) -> None:
    for token in tokens:
        for child in token.children or ():
            attribute = {"link_open": "href", "image": "src"}.get(child.type)
            if attribute and child.attrGet(attribute) is not None and not child.meta.get("mention"):
                child.attrSet(attribute, rewrite_url(str(child.attrGet(attribute))))


def _collect_headings(tokens: list[Token], first_line: int) -> tuple[Heading, ...]:
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            inline = tokens[index + 1]
            line = first_line + (token.map[0] if token.map else 0)
            headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), inline.content, line))
    return tuple(headings)


def _collect_links(tokens: list[Token], first_line: int) -> tuple[Link, ...]:
    links = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type not in ("link_open", "image") or child.meta.get("mention"):
                continue
            url = child.attrGet("href") if child.type == "link_open" else child.attrGet("src")
            if url is not None:
                links.append(Link(str(url), line))
    return tuple(links)
