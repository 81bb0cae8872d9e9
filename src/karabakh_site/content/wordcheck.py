"""Check that no published text was changed silently: an article's words against its original.

An article must say exactly what its original in ``content/sources/`` says, with exactly
the repairs its ``edits`` record applied; Markdown markup and whitespace aside. The
original is not Markdown, the article is: its words are read from the parser's text
tokens, so headings, emphasis, escapes, list markers and link syntax are not words.

Several articles may be made from one original (003 holds two). ``check_original``
compares the file with all of them at once, in file order, so that every word of the
original is either in an article or removed by a recorded edit; ``compare_with_original``
checks one article against the part of the file it was made from.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from karabakh_site.errors import Problems
from karabakh_site.text.markdown import create_parser
from karabakh_site.content.model import Article

DATE_MARKER = re.compile(r"\A\ufeff? date (\d{4}-\d{2}-\d{2})(?: |$)", re.MULTILINE)
"""The optional date line's marker: a leading space, 'date', a space, an ISO date, a space."""

MIN_ANCHOR_WORDS = 3
"""Shorter runs of equal words do not locate an article in a file: 'of the' is everywhere."""

CONTEXT_WORDS = 6
"""Words of context shown on each side of a difference."""

_WORD = re.compile(r"\S+")
_SKIPPED_BLOCKS = {"footnote_block_open": "footnote_block_close"}
"""Footnotes are the archive's visible notes, not the published text."""


@dataclass(frozen=True)
class WordDifference:
    """One passage where an article's words differ from its original with its edits applied."""

    kind: str
    """'missing' (in the original, not in the article), 'added' (in the article only),
    'changed' (both, differently) or 'edit-not-found' (an edit's 'from' is not in the original)."""
    original_words: str
    """The original's words of the passage ('' when added); for edit-not-found, the edit's 'from'."""
    article_words: str
    """The article's words of the passage ('' when missing); for edit-not-found, the edit's 'to'."""
    context: str
    """A few words before and after the passage, as the article has them; '…' marks the place."""
    line: int | None
    """File line of the passage in the article, when known."""

    def describe(self, original_name: str = "the original") -> str:
        """Say in one sentence what differs, for an error message."""
        where = f" (at: {self.context})" if self.context else ""
        if self.kind == "edit-not-found":
            return f"edit 'from' text not found in {original_name}: {_quote(self.original_words)}"
        if self.kind == "missing":
            return f"text of {original_name} missing from the article: {_quote(self.original_words)}{where}"
        if self.kind == "added":
            return f"text not in {original_name}: {_quote(self.article_words)}{where}"
        return (f"text differs from {original_name}: the original has {_quote(self.original_words)}, "
                f"the article {_quote(self.article_words)}{where}")


@dataclass(frozen=True)
class ArticleText:
    """What the check needs of one article: its title, Markdown body and recorded edits."""

    key: str
    """Names the article in the result, e.g. its slug."""
    title: str
    body: str
    edits: tuple[tuple[str, str], ...] = ()
    """(from, to) pairs; an empty 'to' is a removal."""
    body_line: int = 0
    """File line of the body's line 0 (``Article.body_line``), for the lines reported."""


@dataclass(frozen=True)
class _Words:
    """A sequence of words, each with the article line it is on (None for the original)."""

    words: tuple[str, ...]
    lines: tuple[int | None, ...]


def compare_with_original(original_text: str, article_title: str, article_body: str,
                          edits: Sequence[tuple[str, str]], body_line: int = 0) -> list[WordDifference]:
    """Compare one article with the part of its original it was made from.

    The part is the contiguous run of the original (with the edits applied) that best
    matches the article; the original's text outside it is not reported, so the article
    may be one of several made from a file. Use ``check_original`` to account for all of it.
    """
    article = ArticleText("", article_title, article_body, tuple(edits), body_line)
    edited, not_found = _apply_edits(original_text, [article])
    original = _text_words(edited)
    words = _article_words(article)
    start, end, with_title = _locate(original.words, words, article.title)
    if not with_title:
        words = _drop_title(words, article.title)
    return not_found[""] + _diff(original, words, (start, end))


def check_original(original_text: str, articles: Sequence[ArticleText]) -> dict[str, list[WordDifference]]:
    """Compare an original with all the articles made from it, accounting for every word.

    The articles are put in the order in which they occur in the file and compared with
    it as one text: a passage of the original that no article has and no edit removes
    is reported as missing from the article before it (or the first, at the start).
    """
    if not articles:
        return {}
    edited, result = _apply_edits(original_text, articles)
    original = _text_words(edited)
    placed = _place_articles(original, articles)
    joined = _Words(tuple(w for _key, words in placed for w in words.words),
                    tuple(n for _key, words in placed for n in words.lines))
    owners = [key for key, words in placed for _word in words.words] or [placed[0][0]]
    for difference, index in _diff_with_positions(original, joined, (0, len(original.words))):
        result[owners[index]].append(difference)
    return result


def _place_articles(original: _Words, articles: Sequence[ArticleText]) -> list[tuple[str, _Words]]:
    """Order the articles as they occur in the file; keep a title only where the file has it
    before the article's body (and after the previous article's)."""
    located = sorted((_locate_body(original.words, words, article.title), index, words)
                     for index, (article, words) in enumerate((a, _article_words(a)) for a in articles))
    placed, low = [], 0
    for (start, end), index, words in located:
        article = articles[index]
        has_title = _title_start(original.words, article.title, low, start) is not None
        placed.append((article.key, words if has_title else _drop_title(words, article.title)))
        low = max(low, end)
    return placed


def check_articles(articles: Iterable[Article], originals: Mapping[str, str]) -> Problems:
    """Check every article that names an ``original`` against that file's text.

    ``originals`` maps file names in content/sources/ to their text. Articles sharing
    a file are checked together; each difference names the article's file and line.
    """
    problems = Problems()
    groups: dict[str, list[Article]] = {}
    for article in articles:
        if article.original and article.original in originals:
            groups.setdefault(article.original, []).append(article)
    for name, group in sorted(groups.items()):
        texts = [ArticleText(a.slug, a.title, a.body, tuple((e.original, e.replacement) for e in a.edits),
                             a.body_line) for a in group]
        found = check_original(originals[name], texts)
        for article in group:
            for difference in found[article.slug]:
                problems.add(article.source_path, difference.line, difference.describe(name), _hint(difference, name))
    return problems


def strip_date_marker(text: str) -> tuple[str | None, str]:
    """Split an original into its date-line date (or None) and its text without the marker."""
    match = DATE_MARKER.match(text)
    if match is None:
        return None, text
    return match.group(1), text[match.end():]


def markdown_words(body: str, body_line: int = 0) -> list[tuple[str, int]]:
    """Return the words of a Markdown body as a reader sees them, each with its file line."""
    words = _markdown_words(body, body_line)
    return list(zip(words.words, words.lines))


def markdown_text(body: str) -> str:
    """Return a Markdown body's text without markup: one paragraph per block, blank-line separated."""
    return "\n\n".join(text for _line, text, _breaks in _text_blocks(create_parser().parse(body, {})))


# --- Edits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditPlace:
    """Where one recorded edit applies in the (normalised) original: for the compare view."""

    key: str
    """The article whose edit it is (``ArticleText.key``)."""
    index: int
    """The edit's position in that article's ``edits``."""
    start: int
    end: int
    """The characters of ``normalised_original(text)`` that the edit replaces."""


def normalised_original(original_text: str) -> str:
    """An original's text as the check reads it: no BOM, no date marker, LF line ends, NFC."""
    return _normalise_original(original_text)


def locate_edits(original_text: str, articles: Sequence[ArticleText]) -> tuple[list[EditPlace], dict[str, list[WordDifference]]]:
    """Find the place of every article's edits in the original, each at one occurrence of its 'from'.

    One edit repairs one place: when 'from' occurs several times, the edit takes the free
    occurrence nearest to the part of the file its article matches (so a repeated
    headline removed from one article is not taken from another). Edits whose 'from'
    is nowhere free come back as differences.
    """
    text = _normalise_original(original_text)
    raw = _text_words(text)
    offsets = [match.start() for match in _WORD.finditer(text)]
    places: list[EditPlace] = []
    result: dict[str, list[WordDifference]] = {article.key: [] for article in articles}
    for article in articles:
        region = _rough_region(raw, offsets, text, article)
        for index, (old, new) in enumerate(article.edits):
            span = _free_occurrence(text, old, [(p.start, p.end, "") for p in places], region)
            if span is None:
                result[article.key].append(WordDifference("edit-not-found", old, new, "", None))
            else:
                places.append(EditPlace(article.key, index, span[0], span[1]))
    return sorted(places, key=lambda place: place.start), result


def _apply_edits(original_text: str, articles: Sequence[ArticleText]) -> tuple[str, dict[str, list[WordDifference]]]:
    """Apply every article's edits to the original (see ``locate_edits``)."""
    text = _normalise_original(original_text)
    places, result = locate_edits(original_text, articles)
    edits_of = {article.key: article.edits for article in articles}
    pieces, position = [], 0
    for place in places:
        pieces += [text[position:place.start], unicodedata.normalize("NFC", edits_of[place.key][place.index][1])]
        position = place.end
    pieces.append(text[position:])
    return "".join(pieces), result


def _normalise_original(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", strip_date_marker(text.removeprefix("\ufeff"))[1])


def _rough_region(raw: _Words, offsets: list[int], text: str, article: ArticleText) -> tuple[int, int]:
    """The characters of the unedited original that the article's words match, roughly."""
    words = _article_words(article)
    blocks = _anchor_blocks(raw.words, words.words)
    if not blocks:
        return 0, len(text)
    end_word = blocks[-1][0] + blocks[-1][2] - 1
    return offsets[blocks[0][0]], offsets[end_word] + len(raw.words[end_word])


def _free_occurrence(text: str, old: str, taken: list[tuple[int, int, str]],
                     region: tuple[int, int]) -> tuple[int, int] | None:
    """The untaken occurrence of ``old`` nearest ``region``; whitespace may differ in amount."""
    chunks = old.split()
    if not chunks:
        return None
    pattern = re.compile(r"\s+".join(re.escape(unicodedata.normalize("NFC", c)) for c in chunks))
    best = None
    for match in pattern.finditer(text):
        if any(match.start() < end and start < match.end() for start, end, _new in taken):
            continue
        distance = max(0, region[0] - match.end(), match.start() - region[1])
        if best is None or distance < best[0]:
            best = (distance, match.span())
    return best[1] if best else None


# --- Words ---------------------------------------------------------------------------------


def _text_words(text: str) -> _Words:
    words = tuple(match.group() for match in _WORD.finditer(text))
    return _Words(words, (None,) * len(words))


def _article_words(article: ArticleText) -> _Words:
    """The title's words (line None) followed by the body's."""
    title = _title_words(article.title)
    body = _markdown_words(article.body, article.body_line)
    return _Words(title + body.words, (None,) * len(title) + body.lines)


def _drop_title(words: _Words, title: str) -> _Words:
    count = len(_title_words(title))
    return _Words(words.words[count:], words.lines[count:])


def _markdown_words(body: str, body_line: int) -> _Words:
    words: list[str] = []
    lines: list[int | None] = []
    for line, text, breaks in _text_blocks(create_parser().parse(body, {})):
        for match in _WORD.finditer(unicodedata.normalize("NFC", text)):
            words.append(match.group())
            lines.append(body_line + line + bisect.bisect_right(breaks, match.start()))
    return _Words(tuple(words), tuple(lines))


def _text_blocks(tokens: list[Token]) -> Iterable[tuple[int, str, list[int]]]:
    """Yield (body line, text, offsets of line breaks) for each block with text, in order."""
    skip_until = None
    for token in tokens:
        if skip_until:
            skip_until = None if token.type == skip_until else skip_until
            continue
        skip_until = _SKIPPED_BLOCKS.get(token.type)
        line = token.map[0] if token.map else 0
        if token.type == "inline":
            yield line, *_inline_text(token.children or [])
        elif token.type in ("code_block", "fence", "html_block"):
            content = token.content
            yield line, content, [i for i, c in enumerate(content) if c == "\n"]


def _inline_text(children: list[Token]) -> tuple[str, list[int]]:
    """Join an inline token's text, recording where each line break is."""
    parts: list[str] = []
    breaks: list[int] = []
    length = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            piece = "\n"
            breaks.append(length)
        elif child.type in ("text", "code_inline", "html_inline", "image"):
            piece = child.content  # an image's content is its alt text
        else:
            continue  # markup: emphasis, links, footnote references
        parts.append(piece)
        length += len(piece)
    return "".join(parts), breaks


# --- Alignment -----------------------------------------------------------------------------
# A patience diff: equal ends are matched first, then words that occur once on each side
# anchor the rest, recursively; difflib only compares the small stretches between anchors.
# difflib alone is quadratic on long texts (minutes for a 2 MiB file).

Block = tuple[int, int, int]
"""A run of equal words: (index in the original, index in the article, length)."""

SMALL_STRETCH = 1_000_000
"""Largest product of lengths compared word by word with difflib. A longer stretch with
no word unique on both sides is reported as one changed passage: coarse, never silent."""


def _anchor_blocks(original: Sequence[str], article: Sequence[str]) -> list[Block]:
    """Runs of equal words (original index, article index, length) long enough to locate text."""
    least = min(MIN_ANCHOR_WORDS, len(article))
    return [block for block in _merge(_blocks(original, article, 0, len(original), 0, len(article)))
            if block[2] >= least and block[2]]


def _blocks(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int) -> list[Block]:
    """Equal runs of ``a[alo:ahi]`` and ``b[blo:bhi]``, in order, as (i, j, length)."""
    prefix = 0
    while alo + prefix < ahi and blo + prefix < bhi and a[alo + prefix] == b[blo + prefix]:
        prefix += 1
    suffix = 0
    while ahi - suffix > alo + prefix and bhi - suffix > blo + prefix and a[ahi - 1 - suffix] == b[bhi - 1 - suffix]:
        suffix += 1
    blocks = [(alo, blo, prefix)] if prefix else []
    blocks += _middle_blocks(a, b, alo + prefix, ahi - suffix, blo + prefix, bhi - suffix)
    return blocks + ([(ahi - suffix, bhi - suffix, suffix)] if suffix else [])


def _middle_blocks(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int, bhi: int) -> list[Block]:
    if alo == ahi or blo == bhi:
        return []
    anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
    if anchors:
        blocks, i, j = [], alo, blo
        for anchor_i, anchor_j in anchors:
            blocks += _blocks(a, b, i, anchor_i, j, anchor_j) + [(anchor_i, anchor_j, 1)]
            i, j = anchor_i + 1, anchor_j + 1
        return blocks + _blocks(a, b, i, ahi, j, bhi)
    if (ahi - alo) * (bhi - blo) > SMALL_STRETCH:
        return []
    matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    return [(alo + m.a, blo + m.b, m.size) for m in matcher.get_matching_blocks() if m.size]


def _unique_anchors(a: Sequence[str], b: Sequence[str], alo: int, ahi: int, blo: int,
                    bhi: int) -> list[tuple[int, int]]:
    """Pairs of positions of words found once in each stretch, the longest run in order on both."""
    in_a = Counter(a[alo:ahi])
    in_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1 and in_a[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if a[i] in where_b]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of ``pairs`` (sorted by i) whose j also increases (patience sort)."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_i, j) in enumerate(pairs):
        place = bisect.bisect_left(tails, j)
        previous.append(tail_index[place - 1] if place else -1)
        if place == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[place], tail_index[place] = j, index
    chain, index = [], tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _merge(blocks: list[Block]) -> list[Block]:
    merged: list[Block] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    return merged


def _opcodes(a: Sequence[str], b: Sequence[str]) -> Iterable[tuple[str, int, int, int, int]]:
    """The stretches that differ between ``a`` and ``b``, as difflib's non-equal opcodes."""
    i = j = 0
    for block_i, block_j, size in _blocks(a, b, 0, len(a), 0, len(b)) + [(len(a), len(b), 0)]:
        if i < block_i or j < block_j:
            tag = "replace" if i < block_i and j < block_j else "delete" if i < block_i else "insert"
            yield tag, i, block_i, j, block_j
        i, j = block_i + size, block_j + size


def _locate(original: Sequence[str], words: _Words, title: str) -> tuple[int, int, bool]:
    """Find the run of the original that the article's body matches, and whether the title
    stands just before it (a headline the article uses as its title)."""
    start, end = _locate_body(original, words, title)
    title_words = _title_words(title)
    before = start - len(title_words)
    if title_words and before >= 0 and tuple(original[before:start]) == title_words:
        return before, end, True
    return start, end, False


def _locate_body(original: Sequence[str], words: _Words, title: str) -> tuple[int, int]:
    """The run of the original the body's words match: first to last run of equal words."""
    blocks = _anchor_blocks(original, words.words[len(_title_words(title)):])
    if not blocks:
        return len(original), len(original)
    return blocks[0][0], blocks[-1][0] + blocks[-1][2]


def _title_start(original: Sequence[str], title: str, low: int, start: int) -> int | None:
    """Where the title's words last occur in ``original[low:start]``: a headline the
    article uses as its title, perhaps with text between it and the body."""
    title_words = _title_words(title)
    for index in range(start - len(title_words), low - 1, -1):
        if title_words and tuple(original[index:index + len(title_words)]) == title_words:
            return index
    return None


def _title_words(title: str) -> tuple[str, ...]:
    return tuple(unicodedata.normalize("NFC", title).split())


def _diff(original: _Words, article: _Words, span: tuple[int, int]) -> list[WordDifference]:
    return [difference for difference, _index in _diff_with_positions(original, article, span)]


def _diff_with_positions(original: _Words, article: _Words,
                         span: tuple[int, int]) -> list[tuple[WordDifference, int]]:
    """Differences between ``original[span]`` and the whole article, each with the index of
    the article word it belongs to (for a passage missing from the article, the word before it)."""
    start, end = span
    found = []
    for tag, i1, i2, j1, j2 in _opcodes(original.words[start:end], article.words):
        kind = {"replace": "changed", "delete": "missing", "insert": "added"}[tag]
        owner = j1 if j2 > j1 else max(j1 - 1, 0)
        difference = WordDifference(
            kind=kind,
            original_words=" ".join(original.words[start + i1:start + i2]),
            article_words=" ".join(article.words[j1:j2]),
            context=_context(article.words, j1, j2),
            line=_line_at(article.lines, j1, j2),
        )
        found.append((difference, owner))
    return found


def _context(words: Sequence[str], start: int, end: int) -> str:
    before = " ".join(words[max(0, start - CONTEXT_WORDS):start])
    after = " ".join(words[end:end + CONTEXT_WORDS])
    return f"{before} … {after}".strip()


def _line_at(lines: Sequence[int | None], start: int, end: int) -> int | None:
    """The line of the passage's first word, or of the nearest word when nothing is there."""
    candidates = list(lines[start:end]) or [lines[i] for i in (start - 1, start) if 0 <= i < len(lines)]
    return next((line for line in candidates if line is not None), None)


def _quote(words: str, limit: int = 16) -> str:
    parts = words.split()
    if len(parts) > limit:
        return f"'{' '.join(parts[:limit - 3])} … {' '.join(parts[-3:])}' ({len(parts)} words)"
    return repr(words)


def _hint(difference: WordDifference, name: str) -> str:
    if difference.kind == "edit-not-found":
        return f"copy 'from' exactly from content/sources/{name}, or remove the edit"
    return "restore the original's words, or record the change in 'edits' with 'from', 'to' and 'why'"
