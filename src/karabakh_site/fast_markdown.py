"""Render a Markdown body from markdown-it-pyrs' node tree exactly as markdown.py's markdown-it-py does.

Why (#13): Markdown was about 45 % of a cold build, and most of it is markdown-it-py building
tokens. markdown-it-pyrs (the markdown-it rules compiled from Rust, by the same organisation)
parses into a node tree many times faster, but it takes no Python plugins and renders its
own HTML. So this module walks the tree once into light pieces, in the order markdown-it-py's
tokens have after its ``inline`` rule, and then does what markdown.py's configured parser
does after that, step for step: the mention rule (the same ``mentions.find_mentions``), the
footnote tail, heading anchors, paragraph ids, links, and markdown-it-py's HTML renderer.

A body is refused (``render_tree`` returns None, and markdown.py renders it with
markdown-it-py) wherever the tree cannot give markdown-it-py's tokens with certainty; each
``Refused`` names its reason and ``may_parse`` says what is kept from pyrs altogether.
tests/test_markdown_equality.py proves the two renderings byte-identical.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, isStrSpace, mdTrim, unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE
from mdit_py_plugins.anchors.index import unique_slug

from karabakh_site.mentions import FoundMention, MentionSettings, find_mentions


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


class Refused(Exception):
    """The tree holds something markdown-it-py's tokens cannot be rebuilt from with certainty."""


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
    builder = _Builder(settings.parser, text)
    try:
        blocks = builder.convert(tree)
    except Refused:
        return None
    if mentions is not None:
        _mark_mentions(blocks, mentions)
    blocks = _footnote_tail(blocks, builder.footnotes)
    _set_heading_ids(blocks, settings)
    paragraphs = _number_paragraphs(blocks, first_line)
    links = _collect_links(blocks, first_line)
    if rewrite_url is not None:
        _rewrite_urls(blocks, rewrite_url)
    html = _Renderer(settings).render(blocks)
    return TreeBody(html, _collect_headings(blocks, first_line), links, paragraphs)


_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_INDENTED_FENCE = re.compile(r"^ {1,3}(?:`{3,}|~{3,})")
_OPEN_DESTINATION = re.compile(r"\]\([ \t]*(?:\||#*[ \t]*$)", re.MULTILINE)
_NESTED_LABEL = re.compile(r"\]\[[^\]]*\[")
_STAR = re.compile(r"(?<![\\\s])\*|\*(?!\s)")
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_OTHER_SPACE = "[\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_OTHER_SPACES = re.compile(_OTHER_SPACE)
_OTHER_SPACE_AT_EDGE = re.compile(
    rf"^[ \t>*+\-0-9.)#|]*{_OTHER_SPACE}|{_OTHER_SPACE}[ \t#|]*$"  # a line's edges, past its marks
    rf"|[*_|\[\]()<>`\\!~=][ \t]*{_OTHER_SPACE}|{_OTHER_SPACE}[ \t]*[*_|\[\]()<>`\\!~=]"  # next to markup
    rf"|\[[^\]\n]*{_OTHER_SPACE}"  # inside a label
    rf"|\]:[^\n]*{_OTHER_SPACE}",  # after a link reference definition's label
    re.MULTILINE)
_PLAIN_DESTINATION = re.compile(r"[^\s()<>\"'\[\]\\]*\)")


def may_parse(text: str) -> bool:
    """Whether ``text`` may go to markdown-it-pyrs at all: cheap checks on the text, each found by fuzzing.

    - CR or NUL: markdown-it-py turns them into a newline and U+FFFD before parsing, which
      would move the offsets that lines are counted from.
    - ``^[`` (inline footnotes) and a code-span backtick run left open on its line, outside
      fenced code: markdown-it-pyrs 0.4 panics on inline footnotes and on an open run where a
      link label is scanned (``[`x``). Its panic is caught (after Rust prints it on stderr);
      no text passing these checks made it panic in over 500,000 random strings.
    - A ``[label](`` whose ``(`` ends its text: markdown-it-py (like markdown-it) gives up the
      link there, pyrs makes the reference ``[label]``. In ``[a][b [c]`` markdown-it-py reads
      ``b [c`` as a label, where CommonMark (pyrs) allows no bracket inside one.
    - Both emphasis marks in one block: see ``_mixes_emphasis_marks``.
    - A space other than ASCII space and tab (no-break space, em space …) at the edge of a
      line, cell, label or link, or next to markup: markdown-it-py trims and compares with
      JavaScript's set of spaces, pyrs with ASCII's. Between words it is plain text to both.
    """
    if "\r" in text or "\0" in text or "^[" in text:
        return False
    if "](" in text and _OPEN_DESTINATION.search(text) or "][" in text and _NESTED_LABEL.search(text):
        return False
    if "*" in text and "_" in text and _mixes_emphasis_marks(text):
        return False
    if _OTHER_SPACES.search(text) and _OTHER_SPACE_AT_EDGE.search(text):
        return False
    return "`" not in text or _backticks_close_on_each_line(text)


def _mixes_emphasis_marks(text: str) -> bool:
    """Whether a block (text between blank lines) may hold emphasis delimiters of both kinds.

    pyrs misses some emphasis after an unmatched delimiter of the other mark inside nested
    emphasis (``*a**a_.a**a*_a_``: markdown-it-py makes ``_a_`` emphasis, pyrs does not); in
    fuzzing it never differed on a block using only one of the two marks. A ``_`` between
    letters or digits is never a delimiter, nor is a ``*`` between spaces.
    """
    return any(_STAR.search(block) and _UNDERSCORE.search(block) for block in re.split(r"\n[ \t]*\n", text))


def _backticks_close_on_each_line(text: str) -> bool:
    """Whether each line outside fenced code closes the backtick runs it opens, none escaped.

    Fenced code is skipped only when every fence line starts at the margin: there a fence
    is in no list item or quote (a fence line is never a lazy one), so this line scan and
    the parser agree on where each fence ends.
    """
    if "\\`" in text:
        return False
    lines = text.split("\n")
    skip_fences = not any(_INDENTED_FENCE.match(line) for line in lines)
    fence = None
    for line in lines:
        if fence is not None:
            fence = None if re.fullmatch(rf"{fence}+[ \t]*", line) else fence
            continue
        opening = _FENCE.match(line) if skip_fences else None
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = re.escape(opening.group(1))  # code, not inline text, up to its closing fence
            continue
        runs = [len(run) for run in _BACKTICKS.findall(line)]
        index = 0
        while index < len(runs):
            if runs[index] not in runs[index + 1:]:
                return False
            index = runs.index(runs[index], index + 1) + 1
    return True


class _Block:
    """A block token as markdown-it-py's renderer sees it (all are ``block``); inline children are pieces.

    A piece is a tuple (type, content, extra): extra is the attrs of a ``link_open`` or mention,
    (attrs, pieces) of an ``image``, the meta of a ``footnote_ref``, else None.
    """

    __slots__ = ("kind", "tag", "nesting", "attrs", "hidden", "map", "children", "content", "info", "meta")

    def __init__(self, kind: str, tag: str = "", nesting: int = 0, attrs: dict | None = None, hidden: bool = False,
                 map: list[int] | None = None, children: list | None = None, content: str = "", info: str = "",
                 meta: dict | None = None) -> None:
        self.kind, self.tag, self.nesting, self.attrs, self.hidden = kind, tag, nesting, attrs or {}, hidden
        self.map, self.children, self.content, self.info, self.meta = map, children, content, info, meta


_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]\n ]+\]:([ \t]*)")
_ITEM_MARKER = re.compile(r"^(?:[-+*]|[0-9]{1,9}[.)])")
_LIST_MARKER = re.compile(r"^[ \t>]*(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)")
_INLINE_NAMES = frozenset({"text", "text_special", "softbreak", "hardbreak", "em", "strong", "code_inline", "link",
                           "autolink", "image", "footnote_ref", "footnote_ref_anchor"})


class _Builder:
    """One body's tree → blocks in markdown-it-py's order, with its footnote numbering and line maps."""

    def __init__(self, parser: MarkdownIt, text: str) -> None:
        self.parser = parser
        self.text = text
        self.source = text.encode()
        self.newlines = [match.start() for match in re.finditer(b"\n", self.source)]
        self.footnotes: dict | None = None
        self.table_lines: set[int] = set()
        self.autolinks = 0
        self.blocks: list[_Block] = []
        self.in_container = False
        self.quote_depth = 0

    def convert(self, root) -> list[_Block]:
        """The blocks as markdown-it-py has them after its inline rule (notes in their place), or Refused."""
        blocks = list(root.children)
        definitions = blocks.pop().children if blocks and blocks[-1].name == "footnote_container" else []
        for node in (*blocks, *definitions):
            _span(node)
        written = _FOOTNOTE_DEFINITION.findall(self.text) if "[^" in self.text else []
        if len(written) != len(definitions):
            raise Refused("a footnote definition that is unused or repeated (pyrs drops it)")
        if any("\t" in space or len(space) > 1 for space in written):
            raise Refused("a footnote definition indented after its colon (pyrs may read code)")
        if definitions:
            self.footnotes = {"refs": {":" + note.meta["label"]: -1 for note in definitions}, "list": {}}
            blocks = _place_definitions(blocks, definitions)
        for node in blocks:
            self.block(node)
        if "|" in self.text and not _table_candidates(self.text) <= self.table_lines:
            raise Refused("a table markdown-it-py may see where pyrs does not")
        if "<" in self.text and _autolink_candidates(self.parser, self.text) > self.autolinks:
            raise Refused("an autolink markdown-it-py may make where pyrs does not")
        if "](" in self.text and not _inline_links_close(self.parser, self.text):
            raise Refused("a [text]( whose failing link markdown-it-py reads on as a reference")
        return self.blocks

    # --- lines ---

    def line_of(self, offset: int) -> int:
        """The 0-based line holding byte ``offset`` of the source."""
        return bisect_left(self.newlines, offset)

    def line_text(self, line: int) -> str:
        start = self.newlines[line - 1] + 1 if line else 0
        end = self.newlines[line] if line < len(self.newlines) else len(self.source)
        return self.source[start:end].decode()

    def lines(self, node) -> list[int]:
        start, end = _span(node)
        return [self.line_of(start), self.line_of(max(start, end - 1)) + 1]

    # --- blocks ---

    def push(self, kind: str, tag: str = "", nesting: int = 0, **fields) -> _Block:
        block = _Block(kind, tag, nesting, **fields)
        self.blocks.append(block)
        return block

    def block(self, node) -> None:
        handler = _BLOCK_HANDLERS.get(node.name)
        if handler is None:
            raise Refused(f"a block node {node.name!r}")
        handler(self, node)

    def paragraph(self, node, hidden: bool = False, lines: list[int] | None = None, children=None) -> None:
        lines = lines or self.lines(node)
        if self.quote_depth and any(_LIST_MARKER.match(self.line_text(line)) for line in range(lines[0] + 1, lines[1])):
            # markdown-it-py ends a quote at any list marker; pyrs (as CommonMark) keeps a lazy line
            raise Refused("a list marker continuing a paragraph in a block quote")
        self.push("paragraph_open", "p", 1, map=lines, hidden=hidden)
        self.push("inline", map=lines, children=self.inline(node.children if children is None else children))
        self.push("paragraph_close", "p", -1, hidden=hidden)

    def heading(self, node) -> None:
        level = node.meta["level"]
        start, end = _span(node)
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        if node.name == "heading":
            content, lines = self._atx_content(start, end), [first, first + 1]
        else:
            content, lines = self._setext_content(first, last), [first, last + 1]
        self.push("heading_open", f"h{level}", 1, map=lines)
        self.push("inline", map=lines, content=content, children=self.inline(node.children))
        self.push("heading_close", f"h{level}", -1)

    def _atx_content(self, start: int, end: int) -> str:
        """markdown-it-py's heading rule: the text after the opening #s, a closing run of #s cut."""
        line = self.source[start:end].decode()
        position = len(line) - len(line.lstrip("#"))
        maximum = len(line)
        while maximum > position and isStrSpace(line[maximum - 1]):
            maximum -= 1
        cut = maximum
        while cut > position and line[cut - 1] == "#":
            cut -= 1
        if cut > position and isStrSpace(line[cut - 1]):
            maximum = cut
        return mdTrim(line[position:maximum])

    def _setext_content(self, first: int, underline: int) -> str:
        """markdown-it-py's lheading rule: the lines above the underline, trimmed."""
        if self.in_container:
            raise Refused("a setext heading inside a container (its lines carry the container's marks)")
        begin = self.newlines[first - 1] + 1 if first else 0
        content = self.source[begin:self.newlines[underline - 1]].decode()
        if "|" in content:
            raise Refused("a setext heading markdown-it-py may read as a table")
        return mdTrim(content)

    def container(self, node) -> None:
        outer, self.in_container = self.in_container, True
        if node.name == "blockquote":
            self.quote_depth += 1
            self.push("blockquote_open", "blockquote", 1)
            for child in node.children:
                self.block(child)
            self.push("blockquote_close", "blockquote", -1)
            self.quote_depth -= 1
        else:
            self.list(node)
        self.in_container = outer

    def list(self, node) -> None:
        if node.name == "bullet_list":
            kind, tag, attrs = "bullet_list", "ul", {}
        else:
            start = node.meta.get("start", 1)
            kind, tag, attrs = "ordered_list", "ol", ({"start": start} if start != 1 else {})
        self.push(kind + "_open", tag, 1, attrs=attrs)
        for item in node.children:
            if item.name != "list_item":
                raise Refused(f"a list child {item.name!r}")
            self.push("list_item_open", "li", 1)
            self.list_item(item)
            self.push("list_item_close", "li", -1)
        self.push(kind + "_close", tag, -1)

    def list_item(self, item) -> None:
        """Blocks of an item; inline children side by side are a tight list's hidden paragraph.

        A hidden paragraph's lines come from the blocks around it, not from its inline nodes:
        inside a list item or block quote pyrs maps those as if the stripped prefixes were not
        there, so their offsets drift.
        """
        last_line = self.line_of(_span(item)[1] - 1)
        start = self._item_content_line(item)
        run: list = []
        for child in item.children:
            if child.name in _INLINE_NAMES:
                run.append(child)
                continue
            if run:
                self._hidden_paragraph(run, start, self.line_of(_span(child)[0]))
                run = []
            self.block(child)
            start = self.line_of(_span(child)[1] - 1) + 1
        if run:
            self._hidden_paragraph(run, start, last_line + 1)

    def _item_content_line(self, item) -> int:
        """The line an item's content starts on: the marker's, unless nothing follows the marker."""
        line = self.line_of(item.srcmap[0])
        line_start = self.newlines[line - 1] + 1 if line else 0
        prefix = self.source[line_start:item.srcmap[0]].decode()
        after_marker = _ITEM_MARKER.sub("", self.line_text(line)[len(prefix):], count=1)
        return line if after_marker.strip() else line + 1

    def _hidden_paragraph(self, run: list, first: int, limit: int) -> None:
        """A tight paragraph: from ``first`` to the first blank line, the next block or the item's end."""
        end = first + 1
        while end < limit and self.line_text(end).strip(" \t>"):
            end += 1
        self.paragraph(None, hidden=True, lines=[first, end], children=run)

    def leaf(self, node) -> None:
        name, meta = node.name, node.meta
        if name == "hr":
            self.push("hr", "hr")
        elif name == "code_block":
            self.push("code_block", "code", content=meta["content"])
        else:
            if _span(node)[1] == len(self.source) and not self.source.endswith(b"\n"):
                raise Refused("a fence ending the text without a newline (markdown-it-py keeps none)")
            self.push("fence", "code", content=meta["content"], info=self._fence_info(node))

    def _fence_info(self, node) -> str:
        """The raw info string, escapes and all: markdown-it-py's renderer unescapes it itself."""
        start = _span(node)[0]
        line = self.line_of(start)
        rest = self.source[start:self.newlines[line] if line < len(self.newlines) else len(self.source)].decode()
        return rest.lstrip(rest[0]) if rest else ""

    def table(self, node) -> None:
        aligns = [("" if align == "none" else align) for align in node.meta.get("alignments", [])]
        self._check_table(node, aligns)
        self.push("table_open", "table", 1)
        for section in node.children:
            cell_tag = "th" if section.name == "thead" else "td"
            self.push(f"{section.name}_open", section.name, 1)
            for row in section.children:
                line = self.line_of(_span(row)[0])
                self.push("tr_open", "tr", 1)
                for align, cell in zip(aligns, row.children):
                    style = {"style": "text-align:" + align} if align else None
                    self.push(f"{cell_tag}_open", cell_tag, 1, attrs=style)
                    self.push("inline", map=[line, line + 1], children=self.inline(cell.children))
                    self.push(f"{cell_tag}_close", cell_tag, -1)
                self.push("tr_close", "tr", -1)
            self.push(f"{section.name}_close", section.name, -1)
        self.push("table_close", "table", -1)

    def _check_table(self, node, aligns: list[str]) -> None:
        """Refuse a table unless markdown-it-py's table rule reads the same rows, cells and alignments.

        Why: GFM table edge cases differ (escaped pipes, enclosing pipes, a table right after a
        paragraph or right before another block); markdown-it-py's own splitting settles them.
        """
        header = self.line_of(_span(node)[0])
        self.table_lines.add(header)
        rows = [row for section in node.children for row in section.children]
        lines = [self.line_of(_span(row)[0]) for row in rows]
        after = lines[-1] + 1
        if (self.in_container or lines != [header, *range(header + 2, header + 1 + len(lines))]
                or any(section.name not in ("thead", "tbody") for section in node.children)
                or (header and mdTrim(self.line_text(header - 1)))
                or (after <= len(self.newlines) and mdTrim(self.line_text(after)))
                or _table_aligns(self.line_text(header + 1)) != aligns):
            raise Refused("a table markdown-it-py may read otherwise")
        for row, line in zip(rows, lines):
            written = [mdTrim(cell) for cell in _table_cells(mdTrim(self.line_text(line)))][:len(aligns)]
            written += [""] * (len(aligns) - len(written))
            parsed = [mdTrim(self.source[slice(*cell.srcmap)].decode()) if cell.srcmap else ""
                      for cell in row.children]
            if written != parsed:
                raise Refused("a table row markdown-it-py splits otherwise")

    def definition(self, node) -> None:
        """A link reference definition makes no block, but markdown-it-py reads an unsafe one as text."""
        self.check_url(node.meta.get("destination", ""))

    def footnote_definition(self, node) -> None:
        self.push("footnote_reference_open", meta={"label": node.meta["label"]})
        outer, self.in_container = self.in_container, True
        for child in node.children:
            self.block(child)
        self.in_container = outer
        self.push("footnote_reference_close")

    # --- inlines ---

    def inline(self, nodes) -> list[tuple]:
        """markdown-it-py's inline children for these nodes, before its text join: flat, adjacent text merged."""
        pieces: list[tuple] = []
        self._inline_into(nodes, pieces)
        return pieces

    def _inline_into(self, nodes, pieces: list[tuple]) -> None:
        for node in nodes:
            name = node.name
            if name == "text":
                content = node.meta["content"]
                if pieces and pieces[-1][0] == "text":
                    pieces[-1] = ("text", pieces[-1][1] + content, None)
                else:
                    pieces.append(("text", content, None))
            elif name == "softbreak" or name == "hardbreak":
                pieces.append((name, "", None))
            elif name == "em" or name == "strong":
                pieces.append((name + "_open", "", None))
                self._inline_into(node.children, pieces)
                pieces.append((name + "_close", "", None))
            elif name == "link":
                pieces.append(("link_open", "", self.link_attrs("href", node.meta)))
                self._inline_into(node.children, pieces)
                pieces.append(("link_close", "", None))
            elif name == "text_special":
                if node.meta.get("info") not in ("escape", "entity"):
                    raise Refused("a special text outside an autolink")
                pieces.append(("text_special", node.meta["content"], None))
            elif name == "code_inline":
                pieces.append(("code_inline", "".join(child.meta["content"] for child in node.children), None))
            elif name == "image":
                pieces.append(("image", "", (self.link_attrs("src", node.meta), self.inline(node.children))))
            elif name == "autolink":
                self.autolink(node, pieces)
            elif name == "footnote_ref":
                pieces.append(("footnote_ref", "", self.footnote_ref(node)))
            elif name != "footnote_ref_anchor":  # the back links: markdown-it-py's footnote tail adds its own
                raise Refused(f"an inline node {name!r}")

    def check_url(self, url: str) -> str:
        """``url`` as markdown-it-py's link rules leave it; Refused where they would not link it."""
        if not _is_exact_link(self.parser, url):
            raise Refused("a link markdown-it-py does not make (an unsafe scheme), or writes otherwise")
        return url

    def link_attrs(self, name: str, meta) -> dict:
        attrs = {name: self.check_url(meta["url"])}
        if name == "src":
            attrs["alt"] = ""
        if meta.get("title"):
            attrs["title"] = meta["title"]
        return attrs

    def autolink(self, node, pieces: list[tuple]) -> None:
        written = node.children[0].meta["markup"] if node.children else ""
        full = _autolink_target(self.parser, written)
        if full is None or full != node.meta["url"]:
            raise Refused("an autolink markdown-it-py makes otherwise")
        self.check_url(full)
        self.autolinks += 1
        pieces.append(("link_open", "", {"href": full}))
        pieces.append(("text", self.parser.normalizeLinkText(written), None))
        pieces.append(("link_close", "", None))

    def footnote_ref(self, node) -> dict:
        """The meta markdown-it-py's footnote rule gives: numbers in the order notes are first referred to."""
        label = node.meta.get("label")
        if self.footnotes is None or label is None or ":" + label not in self.footnotes["refs"]:
            raise Refused("a footnote reference without its definition")
        notes = self.footnotes["list"]
        number = self.footnotes["refs"][":" + label]
        if number < 0:
            number = len(notes)
            notes[number] = {"label": label, "count": 0}
            self.footnotes["refs"][":" + label] = number
        sub_id = notes[number]["count"]
        notes[number]["count"] += 1
        return {"id": number, "subId": sub_id, "label": label}


def _place_definitions(blocks: list, definitions: list) -> list:
    """Put each footnote definition back where it stands in the text, as markdown-it-py has it.

    Why: markdown-it-py's mention rule runs before its footnote tail moves the notes to the
    end, so the mentions inside a note are numbered in the note's place in the text.
    """
    others = [*blocks, *definitions]
    for note in definitions:
        start = note.srcmap[0]
        if any(other is not note and other.srcmap[0] <= start < other.srcmap[1] for other in others):
            raise Refused("a footnote definition inside another block")
    placed = [(node.srcmap[0], node) for node in others]
    return [node for _start, node in sorted(placed, key=lambda item: item[0])]


_DELIMITER_ROW = re.compile(r"^[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)?[|:-][-:| \t]*$")


def _table_candidates(text: str) -> set[int]:
    """Lines markdown-it-py might start a table on: a line with a pipe above a delimiter-like row.

    Why: markdown-it-py tries its table rule before any other block rule (``> a|`` over
    ``---`` is a table there), so a table it sees can be a block quote, heading or text in pyrs.
    """
    lines = text.split("\n")
    return {index for index, (line, below) in enumerate(zip(lines, lines[1:]))
            if "|" in line and "-" in below and _DELIMITER_ROW.match(below)}


def _table_cells(line: str) -> list[str]:
    """A table row's cells as markdown-it-py's table rule splits them."""
    cells = escapedSplit(line)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def _table_aligns(line: str) -> list[str] | None:
    """The alignments markdown-it-py reads from a delimiter row, or None where it sees no table."""
    columns = line.split("|")
    aligns = []
    for index, column in enumerate(columns):
        text = mdTrim(column)
        if not text:
            if index in (0, len(columns) - 1):
                continue
            return None
        if not re.fullmatch(r":?-+:?", text):
            return None
        if text.endswith(":"):
            aligns.append("center" if text.startswith(":") else "right")
        else:
            aligns.append("left" if text.startswith(":") else "")
    return aligns


@lru_cache(maxsize=4096)
def _is_exact_link(parser: MarkdownIt, url: str) -> bool:
    """Whether markdown-it-py links ``url`` (pyrs' normalised form) and writes it the same.

    pyrs normalises like markdown-it-py except that it percent-encodes a non-ASCII host
    where markdown-it-py writes punycode.
    """
    host = re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://([^/?#]*)", url)
    if host and "%" in host.group(1):
        return False
    return bool(parser.validateLink(url)) and parser.normalizeLink(url) == url


def _autolink_target(parser: MarkdownIt, written: str) -> str | None:
    """The URL markdown-it-py's autolink rule makes of ``<written>``, or None where it makes none."""
    if AUTOLINK_RE.search(written):
        full = parser.normalizeLink(written)
    elif EMAIL_RE.search(written):
        full = parser.normalizeLink("mailto:" + written)
    else:
        return None
    return full if parser.validateLink(full) else None


def _autolink_candidates(parser: MarkdownIt, text: str) -> int:
    """How many ``<…>`` in the text markdown-it-py's autolink rule would link, at most."""
    return sum(_autolink_target(parser, match.group(1)) is not None for match in re.finditer(r"<([^<>]*)>", text))


def _inline_links_close(parser: MarkdownIt, text: str) -> bool:
    """Whether no ``](`` in the text takes markdown-it-py's reference fallback from a wrong place.

    Why: where markdown-it-py's link rule fails on the ``(`` part, it looks for a reference
    label ``[…]`` right after the place it failed, not after the ``]`` (``[a](#]\n][ref]``
    links "a" to ``ref``); pyrs reads it as CommonMark does. A destination or title that may
    go on past its line is refused too: this check reads one line.
    """
    for match in re.finditer(r"\]\(", text):
        if _PLAIN_DESTINATION.match(text, match.end()):
            continue  # reaches ")" or, if refused, fails on its first character, before no "["
        end = text.find("\n", match.end())
        failed_at = _inline_link_end(parser, text, match.end(), len(text) if end < 0 else end)
        if failed_at is None or (failed_at >= 0 and text[failed_at + 1:failed_at + 2] == "["):
            return False
    return True


def _inline_link_end(parser: MarkdownIt, text: str, position: int, maximum: int) -> int | None:
    """markdown-it-py's link rule from after ``(`` within one line: -1 where it reaches ``)``, the
    place it fails at, or None where the line ends first."""
    position = _skip_spaces(text, position, maximum)
    if position >= maximum:
        return None
    destination = parseLinkDestination(text, position, maximum)
    if destination.ok:
        if parser.validateLink(parser.normalizeLink(destination.str)):
            position = destination.pos
        start = position
        position = _skip_spaces(text, position, maximum)
        if position >= maximum:
            return None
        title = parseLinkTitle(text, position, maximum)
        if start != position and title.ok:
            position = _skip_spaces(text, title.pos, maximum)
        elif start != position and text[position] in "\"'(":
            return None  # a title that may close on a later line
    if position >= maximum:
        return None
    return -1 if text[position] == ")" else position


def _skip_spaces(text: str, position: int, maximum: int) -> int:
    while position < maximum and isStrSpace(text[position]):
        position += 1
    return position


def _span(node) -> tuple[int, int]:
    """A block node's byte offsets; Refused for a node pyrs gives none (lines are counted from them)."""
    if not node.srcmap:
        raise Refused(f"a {node.name!r} without source offsets")
    return node.srcmap


_BLOCK_HANDLERS: dict[str, Callable] = {
    "paragraph": _Builder.paragraph,
    "heading": _Builder.heading,
    "lheading": _Builder.heading,
    "blockquote": _Builder.container,
    "bullet_list": _Builder.container,
    "ordered_list": _Builder.container,
    "hr": _Builder.leaf,
    "code_block": _Builder.leaf,
    "fence": _Builder.leaf,
    "table": _Builder.table,
    "definition": _Builder.definition,
    "footnote_def": _Builder.footnote_definition,
}


# --- markdown-it-py's core rules after ``inline``, on blocks and pieces ---


def _mark_mentions(blocks: list[_Block], settings: MentionSettings) -> None:
    """mentions.py's rule: the first mention per section links, every mention has an anchor."""
    linked: set[str] = set()
    in_heading = False
    for block in blocks:
        if block.kind == "heading_open":
            in_heading, linked = True, set()
        elif block.kind == "heading_close":
            in_heading = False
        elif block.kind == "inline" and not in_heading and block.children:
            parts = [(piece[0], piece[1]) for piece in block.children]
            found = find_mentions(parts, settings, linked, settings.first_line + block.map[0])
            if found:
                block.children = _split_pieces(block.children, found)


def _split_pieces(pieces: list[tuple], found: list[FoundMention]) -> list[tuple]:
    by_part: dict[int, list[FoundMention]] = {}
    for item in found:
        by_part.setdefault(item[0], []).append(item)
    result: list[tuple] = []
    for index, piece in enumerate(pieces):
        if index not in by_part:
            result.append(piece)
            continue
        content, cursor = piece[1], 0
        for _index, start, end, mention, href in by_part[index]:
            if start > cursor:
                result.append(("text", content[cursor:start], None))
            if mention.is_link:
                result.append(("mention_link_open", "", {"href": href, "class": "mention", "id": mention.anchor}))
                result += [("text", mention.text, None), ("link_close", "", None)]
            else:
                result.append(("mention_open", "", {"class": "mention", "id": mention.anchor}))
                result += [("text", mention.text, None), ("mention_close", "", None)]
            cursor = end
        if cursor < len(content):
            result.append(("text", content[cursor:], None))
    return result


def _footnote_tail(blocks: list[_Block], footnotes: dict | None) -> list[_Block]:
    """mdit-py-plugins' footnote tail: notes out of the text, the referred ones in a list at the end."""
    if footnotes is None:
        return blocks
    kept: list[_Block] = []
    notes: dict[str, list[_Block]] = {}
    current: list[_Block] | None = None
    for block in blocks:
        if block.kind == "footnote_reference_open":
            current, label = [], block.meta["label"]
        elif block.kind == "footnote_reference_close":
            notes[label], current = current, None
        else:
            (kept if current is None else current).append(block)
    if not footnotes["list"]:
        return kept
    kept.append(_Block("footnote_block_open", nesting=1))
    for number, note in footnotes["list"].items():
        kept.append(_Block("footnote_open", nesting=1, meta={"id": number}))
        kept += notes.get(note["label"], [])
        last_paragraph = kept.pop() if kept[-1].kind == "paragraph_close" else None
        kept += [_Block("footnote_anchor", meta={"id": number, "subId": sub_id})
                 for sub_id in range(max(note["count"], 1))]
        if last_paragraph is not None:
            kept.append(last_paragraph)
        kept.append(_Block("footnote_close", nesting=-1))
    kept.append(_Block("footnote_block_close", nesting=-1))
    return kept


def _set_heading_ids(blocks: list[_Block], settings: TreeSettings) -> None:
    """The anchors plugin: a unique slug of the heading's text (after text join) for each level chosen."""
    slugs: set[str] = set()
    for index, block in enumerate(blocks):
        if block.kind == "heading_open" and int(block.tag[1]) in settings.anchor_levels:
            title = "".join(piece[1] for piece in blocks[index + 1].children
                            if piece[0] in ("text", "text_special", "code_inline"))
            block.attrs["id"] = unique_slug(settings.slugify(title), slugs)


def _number_paragraphs(blocks: list[_Block], first_line: int) -> tuple[tuple[str, int, int], ...]:
    """markdown.number_paragraphs on blocks: ``p-N`` on each paragraph of the text (a tight one's item)."""
    paragraphs: list[tuple[str, int, int]] = []
    holder: _Block | None = None
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


def _collect_headings(blocks: list[_Block], first_line: int) -> tuple[tuple[int, str, str, int], ...]:
    return tuple((int(block.tag[1]), block.attrs["id"], blocks[index + 1].content, first_line + block.map[0])
                 for index, block in enumerate(blocks) if block.kind == "heading_open" and block.attrs.get("id"))


def _collect_links(blocks: list[_Block], first_line: int) -> tuple[tuple[str, int], ...]:
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


def _rewrite_urls(blocks: list[_Block], rewrite_url: Callable[[str], str]) -> None:
    for block in blocks:
        if block.kind == "inline" and block.children:
            for kind, _content, extra in block.children:
                if kind == "link_open":
                    extra["href"] = rewrite_url(extra["href"])
                elif kind == "image":
                    extra[0]["src"] = rewrite_url(extra[0]["src"])


class _Renderer:
    """markdown-it-py's RendererHTML with markdown.py's table wrapper and the footnote plugin's rules."""

    def __init__(self, settings: TreeSettings) -> None:
        options = settings.parser.options
        self.settings = settings
        self.slash = " /" if options["xhtmlOut"] else ""
        self.break_html = f"<br{self.slash}>\n"
        self.soft_html = self.break_html if options["breaks"] else "\n"
        self.lang_prefix = options["langPrefix"]
        self.rules = {
            "code_block": self.code_block, "fence": self.fence, "table_open": self.table_open,
            "table_close": self.table_close, "footnote_block_open": self.footnote_block_open,
            "footnote_block_close": lambda blocks, index: "</ol>\n</section>\n",
            "footnote_open": lambda blocks, index: f'<li id="fn{blocks[index].meta["id"] + 1}" class="footnote-item">',
            "footnote_close": lambda blocks, index: "</li>\n", "footnote_anchor": self.footnote_anchor,
        }

    def render(self, blocks: list[_Block]) -> str:
        out: list[str] = []
        for index, block in enumerate(blocks):
            if block.kind == "inline":
                if block.children:
                    out.append(self.inline(block.children))
            elif block.kind in self.rules:
                out.append(self.rules[block.kind](blocks, index))
            else:
                out.append(self.token(blocks, index))
        return "".join(out)

    def token(self, blocks: list[_Block], index: int) -> str:
        """RendererHTML.renderToken for a block token."""
        block = blocks[index]
        if block.hidden:
            return ""
        result = "\n" if block.nesting != -1 and index and blocks[index - 1].hidden else ""
        result += ("</" if block.nesting == -1 else "<") + block.tag + _attrs(block.attrs)
        if block.nesting == 0:
            result += self.slash
        need_newline = True
        if block.nesting == 1 and index + 1 < len(blocks):
            following = blocks[index + 1]
            closes = following.nesting == -1 and following.tag == block.tag
            if following.kind == "inline" or following.hidden or closes:
                need_newline = False
        return result + (">\n" if need_newline else ">")

    def code_block(self, blocks: list[_Block], index: int) -> str:
        return "<pre><code>" + escapeHtml(blocks[index].content) + "</code></pre>\n"

    def fence(self, blocks: list[_Block], index: int) -> str:
        block = blocks[index]
        info = mdTrim(unescapeAll(block.info)) if block.info else ""
        code = escapeHtml(block.content)
        if info:
            language = MD_TRIM_RE.split(info, maxsplit=1)[0]
            return "<pre><code" + _attrs({"class": self.lang_prefix + language}) + ">" + code + "</code></pre>\n"
        return "<pre><code>" + code + "</code></pre>\n"

    def table_open(self, blocks: list[_Block], index: int) -> str:
        return self.settings.table_open + self.token(blocks, index)

    def table_close(self, blocks: list[_Block], index: int) -> str:
        return self.token(blocks, index) + self.settings.table_close

    def footnote_block_open(self, blocks: list[_Block], index: int) -> str:
        return f'<hr class="footnotes-sep"{self.slash}>\n<section class="footnotes">\n<ol class="footnotes-list">\n'

    def footnote_anchor(self, blocks: list[_Block], index: int) -> str:
        meta = blocks[index].meta
        ident = str(meta["id"] + 1) + (f":{meta['subId']}" if meta["subId"] > 0 else "")
        return ' <a href="#fnref' + ident + '" class="footnote-backref">\u21a9\ufe0e</a>'

    def inline(self, pieces: list[tuple]) -> str:
        out: list[str] = []
        for kind, content, extra in pieces:
            if kind == "text" or kind == "text_special":
                out.append(escapeHtml(content))
            elif kind == "softbreak":
                out.append(self.soft_html)
            elif kind == "link_open" or kind == "mention_link_open":
                out.append("<a" + _attrs(extra) + ">")
            elif kind == "link_close":
                out.append("</a>")
            elif kind in _SIMPLE_TAGS:
                out.append(_SIMPLE_TAGS[kind])
            elif kind == "hardbreak":
                out.append(self.break_html)
            elif kind == "code_inline":
                out.append("<code>" + escapeHtml(content) + "</code>")
            elif kind == "mention_open":
                out.append("<span" + _attrs(extra) + ">")
            elif kind == "image":
                attrs, children = extra
                attrs["alt"] = _as_text(children)
                out.append("<img" + _attrs(attrs) + self.slash + ">")
            else:  # footnote_ref
                number = str(extra["id"] + 1)
                sub = f":{extra['subId']}" if extra["subId"] > 0 else ""
                out.append(f'<sup class="footnote-ref"><a href="#fn{number}" id="fnref{number}{sub}">'
                           f"[{number}{sub}]</a></sup>")
        return "".join(out)


_SIMPLE_TAGS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>",
                "mention_close": "</span>"}


def _attrs(attrs: dict) -> str:
    if not attrs:
        return ""
    return "".join(f' {escapeHtml(key)}="{escapeHtml(str(value))}"' for key, value in attrs.items())


def _as_text(pieces: list[tuple], joined: bool = True) -> str:
    """RendererHTML.renderInlineAsText: an image's alt text.

    markdown-it-py's text join reaches an image's own pieces but not those of an image
    inside it, whose escapes and entities the alt text then leaves out.
    """
    out = []
    for kind, content, extra in pieces:
        if kind == "text" or kind == "code_inline" or (kind == "text_special" and joined):
            out.append(content)
        elif kind == "image":
            out.append(_as_text(extra[1], joined=False))
        elif kind == "softbreak" or kind == "hardbreak":
            out.append("\n")
    return "".join(out)
