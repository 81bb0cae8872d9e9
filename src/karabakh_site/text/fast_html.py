"""Render fast_tree's blocks to HTML exactly as markdown-it-py's RendererHTML renders tokens.

Why (#13): the blocks are not markdown-it-py tokens, so its renderer cannot take them; this is
its rules, markdown.py's table wrapper and the footnote plugin's, written for blocks and pieces.
"""

from __future__ import annotations

from markdown_it.common.utils import MD_TRIM_RE, escapeHtml, mdTrim, unescapeAll

from karabakh_site.text.fast_tree import Block


class BlockRenderer:
    """markdown-it-py's RendererHTML with markdown.py's table wrapper and the footnote plugin's rules."""

    def __init__(self, options, table_open: str, table_close: str) -> None:
        """``options``: the reference parser's; ``table_open``/``table_close``: markdown.py's table wrapper."""
        self.table_wrapper = (table_open, table_close)
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

    def render(self, blocks: list[Block]) -> str:
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

    def token(self, blocks: list[Block], index: int) -> str:
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

    def code_block(self, blocks: list[Block], index: int) -> str:
        return "<pre><code>" + escapeHtml(blocks[index].content) + "</code></pre>\n"

    def fence(self, blocks: list[Block], index: int) -> str:
        block = blocks[index]
        info = mdTrim(unescapeAll(block.info)) if block.info else ""
        code = escapeHtml(block.content)
        if info:
            language = MD_TRIM_RE.split(info, maxsplit=1)[0]
            return "<pre><code" + _attrs({"class": self.lang_prefix + language}) + ">" + code + "</code></pre>\n"
        return "<pre><code>" + code + "</code></pre>\n"

    def table_open(self, blocks: list[Block], index: int) -> str:
        return self.table_wrapper[0] + self.token(blocks, index)

    def table_close(self, blocks: list[Block], index: int) -> str:
        return self.token(blocks, index) + self.table_wrapper[1]

    def footnote_block_open(self, blocks: list[Block], index: int) -> str:
        return f'<hr class="footnotes-sep"{self.slash}>\n<section class="footnotes">\n<ol class="footnotes-list">\n'

    def footnote_anchor(self, blocks: list[Block], index: int) -> str:
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
            elif kind == "link_open":
                out.append("<a" + _attrs(extra) + ">")
            elif kind == "mention_link_open":  # _attrs unrolled for fast_mentions' fixed attrs (#13)
                out.append(f'<a href="{escapeHtml(extra["href"])}" class="mention" id="{escapeHtml(extra["id"])}">')
            elif kind == "link_close":
                out.append("</a>")
            elif kind in _SIMPLE_TAGS:
                out.append(_SIMPLE_TAGS[kind])
            elif kind == "hardbreak":
                out.append(self.break_html)
            elif kind == "code_inline":
                out.append("<code>" + escapeHtml(content) + "</code>")
            elif kind == "mention_open":
                out.append(f'<span class="mention" id="{escapeHtml(extra["id"])}">')
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
