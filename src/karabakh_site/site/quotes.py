"""Check that every event's quote is in the document it cites and states the event's date.

The chronology is the archive's own writing; its events are only as good as the texts
that state them (issue 12). Each event source gives the exact words of the article that
state the event, and this module checks them: the words must occur in one paragraph of
the article's body, read as the word check reads it (Markdown markup and whitespace
aside, see wordcheck.py), and they must state the event's date at its precision.
A quote that is found also tells the pages which paragraph (``p-N``) to link to.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from karabakh_site.cache import BuildCache
from karabakh_site.text.dates import MONTHS, DatePoint, EdtfDate, format_date
from karabakh_site.errors import Problems
from karabakh_site.text.markdown import create_parser, number_paragraphs
from karabakh_site.content.model import Article, Event, EventSource
from karabakh_site.parallel import map_in_processes
from karabakh_site.content.wordcheck import markdown_words

CANDIDATES = 20
"""Passages compared with difflib for the closest one: those sharing most words with the quote."""
CONTEXT_WORDS = 3
"""Words shown on each side of the closest passage."""


@dataclass(frozen=True)
class QuotedSource:
    """One quote of an event, placed in its document, as the pages show it."""

    article: Article
    quote: str
    date_basis: str | None
    anchor: str
    """The id of the paragraph that holds the quote, e.g. ``p-14``."""

    @property
    def number(self) -> int:
        """The paragraph's number, for readers ("paragraph 14")."""
        return int(self.anchor.removeprefix("p-"))

    @property
    def target(self) -> str:
        """The output path of the paragraph, for the templates' ``url()``."""
        return f"articles/{self.article.slug}/index.html#{self.anchor}"


@dataclass(frozen=True)
class _ParagraphText:
    anchor: str
    text: str
    """The paragraph's words as a reader sees them, joined by single spaces."""


def normalise(text: str) -> str:
    """Text as the word check compares it: NFC, any run of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=256)
def paragraph_texts(body: str) -> tuple[_ParagraphText, ...]:
    """The body's numbered paragraphs with their words (markup aside), in document order."""
    spans = number_paragraphs(create_parser().parse(body, {}), 0)
    words: dict[str, list[str]] = {span.anchor: [] for span in spans}
    index = 0
    for word, line in markdown_words(body, 0):
        while index < len(spans) and line >= spans[index].end_line:
            index += 1
        if index < len(spans) and line >= spans[index].first_line:
            words[spans[index].anchor].append(word)
    return tuple(_ParagraphText(span.anchor, " ".join(words[span.anchor])) for span in spans)


def find_quote(body: str, quote: str) -> str | None:
    """The id of the paragraph of ``body`` that holds ``quote`` verbatim, or None.

    The quote must start and end at word boundaries: "ran" is not found in "Iran".
    """
    return _find_in(paragraph_texts(body), quote)


def _find_in(paragraphs: tuple[_ParagraphText, ...], quote: str) -> str | None:
    wanted = normalise(quote)
    if not wanted:
        return None
    for paragraph in paragraphs:
        for match in re.finditer(re.escape(wanted), paragraph.text):
            if _at_boundary(paragraph.text, match.start(), match.end()):
                return paragraph.anchor
    return None


def _at_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() and text[start].isalnum()) and not (after.isalnum() and text[end - 1].isalnum())


def closest_passage(body: str, quote: str) -> str:
    """The passage of ``body`` most like ``quote``, with a few words around it, to show what the text says.

    Every run of as many words as the quote is a candidate; the few sharing most words with
    the quote are compared with difflib, and the most similar is shown.
    """
    return _closest_in(paragraph_texts(body), quote)


def _closest_in(paragraphs: tuple[_ParagraphText, ...], quote: str) -> str:
    wanted = normalise(quote).split()
    vocabulary = {word.casefold() for word in wanted}
    windows = []
    for paragraph in paragraphs:
        words = paragraph.text.split()
        for start in range(max(1, len(words) - len(wanted) + 1)):
            shared = sum(word.casefold() in vocabulary for word in words[start:start + len(wanted)])
            windows.append((shared, words, start))
    if not windows:
        return ""
    text = " ".join(wanted)
    _shared, words, start = max(
        sorted(windows, key=lambda w: -w[0])[:CANDIDATES],
        key=lambda w: difflib.SequenceMatcher(None, text, " ".join(w[1][w[2]:w[2] + len(wanted)]), autojunk=False).ratio())
    first, last = max(0, start - CONTEXT_WORDS), start + len(wanted) + CONTEXT_WORDS
    return ("… " if first else "") + " ".join(words[first:last]) + (" …" if last < len(words) else "")


# --- The date in the quote -------------------------------------------------------------------

_DAYS = r"([0-9]{1,2})(?:st|nd|rd|th)?(?:\s*[-–—]\s*([0-9]{1,2})(?:st|nd|rd|th)?)?"
"""A day or a span of days: '8', '08', '19-20', '21st'."""


@lru_cache(maxsize=12)
def _month_patterns(month: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The month's name; its name followed by days ('May 08'); days followed by it ('24 March')."""
    name = MONTHS[month - 1]
    return (re.compile(rf"\b{name}\b", re.IGNORECASE),
            re.compile(rf"\b{name}\s+{_DAYS}(?![0-9])", re.IGNORECASE),
            re.compile(rf"(?<![0-9]){_DAYS}\s+(?:of\s+)?{name}\b", re.IGNORECASE))


def _days_with_month(text: str, month: int) -> set[int]:
    """Every day the text gives together with the month's name."""
    _name, name_first, days_first = _month_patterns(month)
    return {int(day) for pattern in (name_first, days_first) for match in pattern.finditer(text)
            for day in match.groups() if day}


def missing_date_parts(quote: str, date: EdtfDate, has_date_basis: bool) -> list[str]:
    """What of ``date`` the quote does not state, e.g. ['the day 8 May'], at the date's precision.

    Each end of a range counts: its year (unless ``date_basis`` says what gives it, such as
    the document's date line), its month's name where it has a month, its day next to that
    name where it has a day ("September 19-20, 2023" states both ends of 2023-09-19/2023-09-20).
    """
    text = normalise(quote)
    points: Iterable[DatePoint] = (date.start, date.end) if date.end else (date.start,)
    missing = []
    for point in points:
        if not has_date_basis and not re.search(rf"(?<![0-9]){point.year:04d}(?![0-9])", text):
            missing.append(f"the year {point.year}")
        if point.month is None:
            continue
        month = MONTHS[point.month - 1]
        if not _month_patterns(point.month)[0].search(text):
            missing.append(f"the month {month}")
        elif point.day is not None and point.day not in _days_with_month(text, point.month):
            missing.append(f"the day {point.day} {month}")
    return list(dict.fromkeys(missing))


# --- The check ---------------------------------------------------------------------------------


def check_event_quotes(events: Iterable[Event], article_by_slug: Mapping[str, Article], path: str,
                       workers: int = 1, cache: BuildCache | None = None) -> tuple[dict[str, tuple[QuotedSource, ...]], Problems]:
    """Find every event's quotes in their articles; report each quote not found or not dating the event.

    Returns the quotes found, by event id, for the pages. A source citing an unknown
    article is left to link.py, which reports it with a "did you mean".
    """
    problems = Problems()
    quoted: dict[str, tuple[QuotedSource, ...]] = {}
    events = tuple(events)
    cited = sorted({article_by_slug[source.article].body for event in events for source in event.sources
                    if source.article in article_by_slug})
    paragraphs_of = _paragraphs_of(cited, workers, cache if cache is not None else BuildCache())
    for event in events:
        found = []
        for source in event.sources:
            article = article_by_slug.get(source.article)
            if article is None:
                continue
            paragraphs = paragraphs_of[article.body]
            anchor = _find_in(paragraphs, source.quote)
            if anchor is None:
                problems.add(path, source.line, *_not_found(event, source, article))
                continue
            cited = basis_passages(source.date_basis)
            for passage in cited:
                if _find_in(paragraphs, passage) is None:
                    problems.add(path, source.line, *_basis_not_found(event, passage, article))
            missing = missing_date_parts(" ".join((source.quote, *cited)), event.date, source.date_basis is not None)
            if missing:
                problems.add(path, source.line, *_date_not_stated(event, source, missing))
            found.append(QuotedSource(article, source.quote, source.date_basis, anchor))
        quoted[event.id] = tuple(found)
    return quoted, problems


def _paragraphs_of(bodies: list[str], workers: int, cache: BuildCache) -> dict[str, tuple[_ParagraphText, ...]]:
    """Each body's paragraph texts: from the cache, else parsed (~10 ms a body) on all cores (#13)."""
    keys = {body: hashlib.blake2b(body.encode(), digest_size=20).digest() for body in bodies}
    found = {body: cached for body in bodies if (cached := cache.paragraphs.get(keys[body])) is not None}
    missing = [body for body in bodies if body not in found]
    for body, paragraphs in zip(missing, map_in_processes(paragraph_texts, missing, workers)):
        cache.paragraphs[keys[body]] = found[body] = paragraphs
    cache.used_paragraphs.update(keys.values())
    return found


PARAGRAPH_TYPES = (_ParagraphText,)
"""What the cache may build for the ``paragraphs`` table."""

_BASIS_PASSAGE = re.compile(r"“([^“”]+)”")


def basis_passages(date_basis: str | None) -> tuple[str, ...]:
    """The passages a ``date_basis`` quotes in “…”: words of the same article, checked like the quote.

    Why they count for the date: an editor may rely on another sentence of the text (the
    speech dates the end of the war elsewhere); quoted, it is checked and shown, not assumed.
    """
    return tuple(match.group(1) for match in _BASIS_PASSAGE.finditer(date_basis or ""))


def _basis_not_found(event: Event, passage: str, article: Article) -> tuple[str, str]:
    return (f"date_basis of event {event.id!r} quotes words not in the text of {article.source_path}: "
            f"“{_shortened(normalise(passage))}”",
            f"the closest passage of the text is: “{closest_passage(article.body, passage)}”; words in “…” "
            "in a date_basis must be copied exactly from the article")


def _shortened(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _not_found(event: Event, source: EventSource, article: Article) -> tuple[str, str]:
    passage = closest_passage(article.body, source.quote)
    message = (f"quote of event {event.id!r} is not in the text of {article.source_path}: "
               f"“{_shortened(normalise(source.quote))}”")
    hint = f"the closest passage of the text is: “{passage}”; copy the words exactly" if passage else \
        "copy the words exactly from the article's body"
    return message, hint


def _date_not_stated(event: Event, source: EventSource, missing: list[str]) -> tuple[str, str]:
    message = (f"event {event.id!r} is dated more precisely than its quote from {source.article!r}: the quote "
               f"does not state {', '.join(missing)} of {event.date.text!r} ({format_date(event.date)})")
    if any(part.startswith("the year") for part in missing) and len(missing) == 1:
        hint = ("quote the words that give the year, or say in 'date_basis' what gives it "
                "(e.g. the document's date line)")
    else:
        hint = "quote the words that state the date, or date the event only as precisely as its quote states it"
    return message, hint
