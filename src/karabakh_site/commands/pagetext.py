"""What a reader sees of a built page: its visible words, and an article's recorded edits (#17).

The diff of two builds compares these, not the HTML: a change of markup alone (a class, an
attribute, the order of attributes) changes nothing a reader sees and is no news to a reviewer.
"""

from __future__ import annotations

import lxml.html

SKIPPED = frozenset({"script", "style", "template", "noscript", "head"})
"""Elements whose text is never shown as text (``noscript``: the pages need no script anyway)."""

BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "td", "th", "tr", "ul", "option", "label", "button", "title", "text", "tspan",
})
"""Elements that separate words: their text never runs into the text around them."""


def parse_page(data: bytes):
    """The page's element tree (lxml), or None for an empty file."""
    return lxml.html.document_fromstring(data) if data.strip() else None


def visible_words(page) -> list[str]:
    """The words of the page's body in reading order, leaving out what is never shown.

    Never shown: scripts, styles, templates, and elements with the ``hidden`` attribute (the
    theme hides the search page's messages so until a script shows one).
    """
    if page is None:
        return []
    pieces: list[str] = []
    body = page.find("body")
    _content(body if body is not None else page, pieces)
    return " ".join(pieces).split()


def _content(element, pieces: list[str]) -> None:
    """Append the shown text inside ``element`` (not its tail, which belongs to its parent)."""
    tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment
    if tag is None or tag in SKIPPED or element.get("hidden") is not None:
        return
    block = tag in BLOCKS
    if block:
        pieces.append(" ")
    if element.text:
        pieces.append(element.text)
    for child in element:
        _content(child, pieces)
        if child.tail:
            pieces.append(child.tail)
    if block:
        pieces.append(" ")


def edit_rows(page) -> list[tuple[str, ...]]:
    """The rows of an article's "Editorial changes" table (``table.edits``): original, replacement, why."""
    if page is None:
        return []
    rows = []
    for table in page.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " edits ")]'):
        for row in table.xpath(".//tbody/tr"):
            rows.append(tuple(" ".join(visible_words(cell)) for cell in row.xpath("./td|./th")))
    return rows
