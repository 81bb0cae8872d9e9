"""Walk markdown-it-pyrs' node tree into blocks and inline pieces in markdown-it-py's token order.

Why (#13): pyrs parses many times faster than markdown-it-py but takes no Python plugins and
renders its own HTML. So its tree is rebuilt here into what markdown-it-py's tokens are after
its ``inline`` rule (footnote numbering, line maps and all), light enough to build quickly;
fast_markdown then runs markdown.py's later rules on them and fast_html renders them. Where
the tree cannot give those tokens with certainty, the walk raises fast_checks' ``Refused``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import isStrSpace, mdTrim

from karabakh_site.text.fast_checks import (
    Refused,
    autolink_candidates,
    autolink_target,
    inline_links_close,
    is_exact_link,
    table_aligns,
    table_candidates,
    table_cells,
)


class Block:
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


class BlockBuilder:
    """One body's tree → blocks in markdown-it-py's order, with its footnote numbering and line maps."""

    def __init__(self, parser: MarkdownIt, text: str) -> None:
        self.parser = parser
        self.text = text
        self.source = text.encode()
        self.newlines = [match.start() for match in re.finditer(b"\n", self.source)]
        self.footnotes: dict | None = None
        self.table_lines: set[int] = set()
        self.autolinks = 0
        self.blocks: list[Block] = []
        self.in_container = False
        self.quote_depth = 0

    def convert(self, root) -> list[Block]:
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
        if "|" in self.text and not table_candidates(self.text) <= self.table_lines:
            raise Refused("a table markdown-it-py may see where pyrs does not")
        if "<" in self.text and autolink_candidates(self.parser, self.text) > self.autolinks:
            raise Refused("an autolink markdown-it-py may make where pyrs does not")
        if "](" in self.text and not inline_links_close(self.parser, self.text):
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

    def push(self, kind: str, tag: str = "", nesting: int = 0, **fields) -> Block:
        block = Block(kind, tag, nesting, **fields)
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
                or table_aligns(self.line_text(header + 1)) != aligns):
            raise Refused("a table markdown-it-py may read otherwise")
        for row, line in zip(rows, lines):
            written = [mdTrim(cell) for cell in table_cells(mdTrim(self.line_text(line)))][:len(aligns)]
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
        if not is_exact_link(self.parser, url):
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
        full = autolink_target(self.parser, written)
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


def _span(node) -> tuple[int, int]:
    """A block node's byte offsets; Refused for a node pyrs gives none (lines are counted from them)."""
    if not node.srcmap:
        raise Refused(f"a {node.name!r} without source offsets")
    return node.srcmap


_BLOCK_HANDLERS: dict[str, Callable] = {
    "paragraph": BlockBuilder.paragraph,
    "heading": BlockBuilder.heading,
    "lheading": BlockBuilder.heading,
    "blockquote": BlockBuilder.container,
    "bullet_list": BlockBuilder.container,
    "ordered_list": BlockBuilder.container,
    "hr": BlockBuilder.leaf,
    "code_block": BlockBuilder.leaf,
    "fence": BlockBuilder.leaf,
    "table": BlockBuilder.table,
    "definition": BlockBuilder.definition,
    "footnote_def": BlockBuilder.footnote_definition,
}
