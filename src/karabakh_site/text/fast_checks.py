"""Decide whether markdown-it-pyrs reads a body as markdown-it-py does; say no wherever it may not.

Why (#13): fast_markdown renders from pyrs' tree only where the output is certain to be the
reference's (markdown.py's markdown-it-py). Each place the two parsers were found to differ
(by fuzzing and by reading markdown-it-py's rules) has one check here: ``may_parse`` on the
text before parsing, and the checks fast_tree runs on the text beside the tree it builds.
A check that fails raises ``Refused`` (or returns False), and markdown.py renders that body
with markdown-it-py instead. tests/test_markdown_equality.py proves the result identical.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import isStrSpace, mdTrim
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_block.table import escapedSplit
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE


class Refused(Exception):
    """The tree holds something markdown-it-py's tokens cannot be rebuilt from with certainty."""


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


_DELIMITER_ROW = re.compile(r"^[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)?[|:-][-:| \t]*$")


def table_candidates(text: str) -> set[int]:
    """Lines markdown-it-py might start a table on: a line with a pipe above a delimiter-like row.

    Why: markdown-it-py tries its table rule before any other block rule (``> a|`` over
    ``---`` is a table there), so a table it sees can be a block quote, heading or text in pyrs.
    """
    lines = text.split("\n")
    return {index for index, (line, below) in enumerate(zip(lines, lines[1:]))
            if "|" in line and "-" in below and _DELIMITER_ROW.match(below)}


def table_cells(line: str) -> list[str]:
    """A table row's cells as markdown-it-py's table rule splits them."""
    cells = escapedSplit(line)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def table_aligns(line: str) -> list[str] | None:
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
def is_exact_link(parser: MarkdownIt, url: str) -> bool:
    """Whether markdown-it-py links ``url`` (pyrs' normalised form) and writes it the same.

    pyrs normalises like markdown-it-py except that it percent-encodes a non-ASCII host
    where markdown-it-py writes punycode.
    """
    host = re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://([^/?#]*)", url)
    if host and "%" in host.group(1):
        return False
    return bool(parser.validateLink(url)) and parser.normalizeLink(url) == url


def autolink_target(parser: MarkdownIt, written: str) -> str | None:
    """The URL markdown-it-py's autolink rule makes of ``<written>``, or None where it makes none."""
    if AUTOLINK_RE.search(written):
        full = parser.normalizeLink(written)
    elif EMAIL_RE.search(written):
        full = parser.normalizeLink("mailto:" + written)
    else:
        return None
    return full if parser.validateLink(full) else None


def autolink_candidates(parser: MarkdownIt, text: str) -> int:
    """How many ``<…>`` in the text markdown-it-py's autolink rule would link, at most."""
    return sum(autolink_target(parser, match.group(1)) is not None for match in re.finditer(r"<([^<>]*)>", text))


def inline_links_close(parser: MarkdownIt, text: str) -> bool:
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

