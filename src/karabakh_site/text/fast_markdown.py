"""Render a Markdown body from markdown-it-pyrs' node tree exactly as markdown.py's markdown-it-py does.

Why (#13): Markdown was about 45 % of a cold build, and most of it is markdown-it-py building
tokens. markdown-it-pyrs (the markdown-it rules compiled from Rust, by the same organisation)
parses into a node tree many times faster, but it takes no Python plugins and renders its
own HTML. This module sequences what markdown.py's configured parser does, one module a step:

- fast_checks: ``may_parse`` and the other checks that refuse a body pyrs may read otherwise;
- fast_tree: the tree walked into blocks and pieces, in markdown-it-py's token order;
- fast_mentions: the mention rule (the same ``mentions.find_mentions``);
- here: the footnote tail, heading anchors, paragraph ids, links (markdown-it-py's later rules);
- fast_html: markdown-it-py's HTML renderer on the blocks.

A body is refused (``render_tree`` returns None, and markdown.py renders it with
markdown-it-py) wherever the tree cannot give markdown-it-py's tokens with certainty; each
``Refused`` names its reason and ``may_parse`` says what is kept from pyrs altogether.
tests/test_markdown_equality.py proves the two renderings byte-identical.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors.index import unique_slug

from karabakh_site.text.fast_checks import Refused, may_parse
from karabakh_site.text.fast_html import BlockRenderer
from karabakh_site.text.fast_mentions import mark_mentions
from karabakh_site.text.fast_tree import Block, BlockBuilder
from karabakh_site.text.mentions import MentionSettings


@dataclass(frozen=True)
class TreeSettings:
    """What markdown.py's markdown-it-py does besides parsing, given to the tree renderer once."""

    parser: MarkdownIt
    """The reference parser: its link normalisation and check, and its render options."""
    slugify: Callable[[str], str]
    """The heading anchors' slug function."""
    anchor_levels: frozenset[int]
    """The heading levels that get an id."""
    table_open: str
    """What precedes ``<table>`` (the scrolling wrapper)."""
    table_close: str
    """What follows ``</table>\\n``."""


@dataclass(frozen=True)
class TreeBody:
    """A rendered body as plain values; markdown.py turns it into its RenderedBody."""

    html: str
    headings: tuple[tuple[int, str, str, int], ...]
    """(level, anchor, text, line) of each heading with an id."""
    links: tuple[tuple[str, int], ...]
    """(url as written, line) of each link and image."""
    paragraphs: tuple[tuple[str, int, int], ...]
    """(``p-N``, first line, end line) of each paragraph of the text."""


def render_tree(fast_parser, settings: TreeSettings, text: str, first_line: int,
                rewrite_url: Callable[[str], str] | None, mentions: MentionSettings | None) -> TreeBody | None:
    """Render ``text`` (first line ``first_line`` of its file) from its pyrs tree, or None if refused.

    ``mentions`` is filled as markdown-it-py's mention rule would fill it; a refused body
    leaves it untouched.
    """
    if not may_parse(text):
        return None
    try:
        tree = fast_parser.tree(text)
    except BaseException as error:  # pyo3's PanicException derives from BaseException only
        if type(error).__name__ != "PanicException":
            raise
        return None
    builder = BlockBuilder(settings.parser, text)
    try:
        blocks = builder.convert(tree)
    except Refused:
        return None
    if mentions is not None:
        mark_mentions(blocks, mentions)
    blocks = _footnote_tail(blocks, builder.footnotes)
    _set_heading_ids(blocks, settings)
    paragraphs = _number_paragraphs(blocks, first_line)
    links = _collect_links(blocks, first_line)
    if rewrite_url is not None:
        _rewrite_urls(blocks, rewrite_url)
    html = BlockRenderer(settings.parser.options, settings.table_open, settings.table_close).render(blocks)
    return TreeBody(html, _collect_headings(blocks, first_line), links, paragraphs)


# --- markdown-it-py's core rules after ``inline`` (mentions aside), on blocks and pieces ---


def _footnote_tail(blocks: list[Block], footnotes: dict | None) -> list[Block]:
    """mdit-py-plugins' footnote tail: notes out of the text, the referred ones in a list at the end."""
    if footnotes is None:
        return blocks
    kept: list[Block] = []
    notes: dict[str, list[Block]] = {}
    current: list[Block] | None = None
    for block in blocks:
        if block.kind == "footnote_reference_open":
            current, label = [], block.meta["label"]
        elif block.kind == "footnote_reference_close":
            notes[label], current = current, None
        else:
            (kept if current is None else current).append(block)
    if not footnotes["list"]:
        return kept
    kept.append(Block("footnote_block_open", nesting=1))
    for number, note in footnotes["list"].items():
        kept.append(Block("footnote_open", nesting=1, meta={"id": number}))
        kept += notes.get(note["label"], [])
        last_paragraph = kept.pop() if kept[-1].kind == "paragraph_close" else None
        kept += [Block("footnote_anchor", meta={"id": number, "subId": sub_id})
                 for sub_id in range(max(note["count"], 1))]
        if last_paragraph is not None:
            kept.append(last_paragraph)
        kept.append(Block("footnote_close", nesting=-1))
    kept.append(Block("footnote_block_close", nesting=-1))
    return kept


def _set_heading_ids(blocks: list[Block], settings: TreeSettings) -> None:
    """The anchors plugin: a unique slug of the heading's text (after text join) for each level chosen."""
    slugs: set[str] = set()
    for index, block in enumerate(blocks):
        if block.kind == "heading_open" and int(block.tag[1]) in settings.anchor_levels:
            title = "".join(piece[1] for piece in blocks[index + 1].children
                            if piece[0] in ("text", "text_special", "code_inline"))
            block.attrs["id"] = unique_slug(settings.slugify(title), slugs)


def _number_paragraphs(blocks: list[Block], first_line: int) -> tuple[tuple[str, int, int], ...]:
    """markdown.number_paragraphs on blocks: ``p-N`` on each paragraph of the text (a tight one's item)."""
    paragraphs: list[tuple[str, int, int]] = []
    holder: Block | None = None
    in_footnotes = False
    for block in blocks:
        in_footnotes = block.kind == "footnote_block_open" or (in_footnotes and block.kind != "footnote_block_close")
        if block.kind == "list_item_open":
            holder = block
        if block.kind != "paragraph_open" or in_footnotes or not block.map:
            continue
        anchor = f"p-{len(paragraphs) + 1}"
        target = holder if block.hidden and holder is not None and holder.attrs.get("id") is None else block
        target.attrs["id"] = anchor
        paragraphs.append((anchor, first_line + block.map[0], first_line + block.map[1]))
    return tuple(paragraphs)


def _collect_headings(blocks: list[Block], first_line: int) -> tuple[tuple[int, str, str, int], ...]:
    return tuple((int(block.tag[1]), block.attrs["id"], blocks[index + 1].content, first_line + block.map[0])
                 for index, block in enumerate(blocks) if block.kind == "heading_open" and block.attrs.get("id"))


def _collect_links(blocks: list[Block], first_line: int) -> tuple[tuple[str, int], ...]:
    links = []
    for block in blocks:
        if block.kind == "inline" and block.children:
            line = first_line + block.map[0]
            for kind, _content, extra in block.children:
                if kind == "link_open":
                    links.append((extra["href"], line))
                elif kind == "image":
                    links.append((extra[0]["src"], line))
    return tuple(links)


def _rewrite_urls(blocks: list[Block], rewrite_url: Callable[[str], str]) -> None:
    for block in blocks:
        if block.kind == "inline" and block.children:
            for kind, _content, extra in block.children:
                if kind == "link_open":
                    extra["href"] = rewrite_url(extra["href"])
                elif kind == "image":
                    extra[0]["src"] = rewrite_url(extra[0]["src"])
