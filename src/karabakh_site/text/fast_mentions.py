"""Mark territory and place names in fast_tree's blocks as mentions.py's rule marks them in tokens.

Why (#13): the mention rule is a markdown-it-py core rule, which pyrs cannot run. Both rules
hand each inline's parts to the same ``mentions.find_mentions``, so they find, number and link
the same mentions; only the splitting of a text piece around a found name is done here, on
pieces instead of tokens.
"""

from __future__ import annotations

from karabakh_site.text.fast_tree import Block
from karabakh_site.text.mentions import FoundMention, MentionSettings, find_mentions


def mark_mentions(blocks: list[Block], settings: MentionSettings) -> None:
    """mentions.py's rule: the first mention per section links, every mention has an anchor."""
    linked: set[str] = set()
    in_heading = False
    for block in blocks:
        if block.kind == "heading_open":
            in_heading, linked = True, set()
        elif block.kind == "heading_close":
            in_heading = False
        elif block.kind == "inline" and not in_heading and block.children:
            found = find_mentions(block.children, settings, linked, settings.first_line + block.map[0])
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
            # these attrs, in this order, are what fast_html writes for a mention without reading their keys
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
