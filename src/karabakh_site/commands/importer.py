"""Turn a raw collected text into a draft article, keeping every word of the original.

The article is written with ``draft: true``, a ``todo`` list of what an editor must do, and,
when the title had to be made from the first sentence, ``title_confirmed: false``: outside a
draft, each of these is an error, so nothing unfinished is published (#14).

A raw text is UTF-8 plain text, paragraphs separated by blank lines; its first line may
start with a date marker (`` date 2025-07-19 ``) followed by the start of the text. The
draft's body is that text as Markdown, with only the characters escaped that Markdown
would otherwise read as markup, so the published words are the original's. What the
importer cannot know (the outlet, a missing date, a title it had to invent) is listed
for the editor, in the file and in the result.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from karabakh_site.commands.newdoc import DRAFT_LINE, TODO_SOURCE_NOTE, refuse_existing, slug_for_title, write_new_file, yaml_scalar
from karabakh_site.content.wordcheck import strip_date_marker

MAX_HEADLINE_CHARS = 150
MAX_WRITTEN_TITLE_CHARS = 100

FLAG_SOURCE = "missing source (outlet not named): set source.name, source.via or source.note"
FLAG_DATE = "missing date (no date line): give an EDTF date the text supports, or say why in date_note"
FLAG_WRITTEN_TITLE = "title: written from the first sentence; check it"
FLAG_NOT_A_SOURCE = ("original: the file is not in content/sources/; copy it there unedited "
                     "and name it in 'original'")
FLAG_FILL_IN = "speakers, tags, territories and summary are empty: fill them in"
FLAG_DEBRIS = "read the text for debris (page menus, repeated headlines) and record each removal in 'edits'"

TODO_COMMENT = "# Imported by karabakh-site import. Before publishing, an editor must do each, then delete the list:"
TITLE_CONFIRMED_NOTE = "written from the first sentence: check the title, then delete this line (#14)"

_FINAL_PUNCTUATION = re.compile(r"[.!?…:;,][\"'”’»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")

# Line starts that Markdown reads as block syntax (after stripping the line's indentation).
_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?=\s|$)"           # ATX heading
    r"|>"                           # block quote
    r"|[-+*](?=\s|$)"               # bullet list item
    r"|[=\-_*:|+\s]+$"              # setext underline, thematic break, table delimiter row
    r"|~~~)"                        # fenced code
)
_ORDERED_ITEM = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_ASCII_PUNCTUATION = re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_INLINE = re.compile(
    rf"\\(?=[{_ASCII_PUNCTUATION}]|$)"   # a backslash that would escape or break the line
    r"|[`*\[]"                           # code spans, emphasis, links, images, footnotes
    r"|(?<![^\W_])_|_(?![^\W_])"         # underscore emphasis (not inside a word)
    r"|<(?=\S)"                          # autolinks (also e-mail ones) and raw HTML
    r"|&(?=#?\w+;)"                      # entity references
)


@dataclass(frozen=True)
class ImportedArticle:
    """A draft article made from one raw text."""

    title: str
    date: str | None
    """The date line's ISO date, as written, or None."""
    body: str
    """The text as Markdown paragraphs, escaped so it renders as the original's words."""
    original: str | None
    """The file name in content/sources/ the draft was made from, when it is there."""
    title_is_headline: bool
    """The title is the text's first line, taken out of the body; False when the importer
    wrote it from the first sentence, which stays in the body."""
    flags: tuple[str, ...]
    """What an editor must do before the article is published."""

    def to_markdown(self) -> str:
        """Return the whole article file: commented front matter, then the body."""
        lines = ["---", DRAFT_LINE.rstrip("\n"), TODO_COMMENT, "todo:"]
        lines += [f"  - {yaml_scalar(flag)}" for flag in self.flags]
        lines.append(f"title: {yaml_scalar(self.title)}")
        if not self.title_is_headline:
            lines.append("title_by: archive  # the text has no headline: this title is the archive's (#12)")
            lines.append(f"title_confirmed: false  # {TITLE_CONFIRMED_NOTE}")
        if self.date:
            lines.append(f"date: {yaml_scalar(self.date)}")
        lines += ["source:", f"  note: {yaml_scalar(TODO_SOURCE_NOTE)}"]
        if self.original:
            lines.append(f"original: {yaml_scalar(self.original)}")
        lines += ["speakers: []", "tags: []", "territories: []", "edits: []", "---", "", self.body]
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ImportResult:
    """What ``import_files`` wrote for one raw text."""

    source: Path
    path: Path
    flags: tuple[str, ...]


def import_text(path: Path, text: str, original: str | None = None) -> ImportedArticle:
    """Make a draft article from the raw text read from ``path`` (nothing is written).

    ``original`` is the file's name in content/sources/, when it is one of the originals.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    date, text = strip_date_marker(text)
    if not text.strip():
        raise ValueError(f"{path}: no text to import")
    flags = [FLAG_SOURCE]
    if date is not None and not _is_real_date(date):
        flags.append(f"date: the date line's {date!r} is not a real date; check the original")
        date = None
    if date is None:
        flags.append(FLAG_DATE)
    lines = [line.strip() for line in text.split("\n")]
    headline = _headline(lines)
    if headline is None:
        title = _title_from_first_sentence(lines)
        flags.append(FLAG_WRITTEN_TITLE)
    else:
        title, lines = headline, lines[1:]
    if original is None:
        flags.append(FLAG_NOT_A_SOURCE)
    flags += [FLAG_FILL_IN, FLAG_DEBRIS]
    return ImportedArticle(title, date, format_body(lines), original, headline is not None, tuple(flags))


def import_files(content_dir: Path, paths: list[Path]) -> list[ImportResult]:
    """Import raw texts into ``content_dir/articles/``, refusing to overwrite any file.

    Every file is read and every target checked before the first is written.
    """
    sources = (content_dir / "sources").resolve()
    drafts = []
    for path in paths:
        original = path.name if path.resolve().parent == sources else None
        draft = import_text(path, _read_raw_text(path), original)
        target = content_dir / "articles" / f"{slug_for_title(draft.title, fallback='article')}.md"
        twin = next((other for other, _draft, planned in drafts
                     if planned.name.casefold() == target.name.casefold()), None)
        if twin is not None:
            raise FileExistsError(f"{path} and {twin} would both be written to {target}; "
                                  "import one, rename it, then import the other")
        refuse_existing(target)
        drafts.append((path, draft, target))
    results = []
    for path, draft, target in drafts:
        write_new_file(target, draft.to_markdown())
        results.append(ImportResult(path, target, draft.flags))
    return results


def _read_raw_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: not UTF-8 text (byte 0x{error.object[error.start]:02x} at offset "
                         f"{error.start}); convert it to UTF-8 first") from None


def format_body(lines: list[str]) -> str:
    """Join lines into Markdown paragraphs: one blank line between, text escaped.

    Each line loses its indentation (which Markdown would read as code) and its trailing
    whitespace (two spaces would be a line break); neither is a word.
    """
    paragraphs: list[list[str]] = [[]]
    for line in (line.strip() for line in lines):
        if line:
            paragraphs[-1].append(escape_line(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(paragraph) for paragraph in paragraphs if paragraph)


def escape_line(line: str) -> str:
    """Escape what CommonMark (with tables and footnotes) would read as markup in one line."""
    escaped = _INLINE.sub(lambda match: "\\" + match.group(), line)
    ordered = _ORDERED_ITEM.match(escaped)
    if ordered:
        return f"{ordered.group(1)}\\{ordered.group(2)}{escaped[ordered.end():]}"
    if _BLOCK_START.match(escaped):
        return "\\" + escaped
    return escaped


def _headline(lines: list[str]) -> str | None:
    """The first line, when it reads as a headline: short, not a sentence, followed by text."""
    first = lines[0] if lines else ""
    rest = any(lines[1:])
    if first and rest and len(first) <= MAX_HEADLINE_CHARS and not _FINAL_PUNCTUATION.search(first):
        return first
    return None


def _title_from_first_sentence(lines: list[str]) -> str:
    paragraph = " ".join(_first_paragraph(lines))
    end = _SENTENCE_END.search(paragraph)
    sentence = paragraph[:end.end()] if end else paragraph
    if len(sentence) > MAX_WRITTEN_TITLE_CHARS:
        sentence = sentence[:MAX_WRITTEN_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return sentence or "Untitled"


def _first_paragraph(lines: list[str]) -> list[str]:
    paragraph: list[str] = []
    for line in lines:
        if line:
            paragraph.append(line)
        elif paragraph:
            break
    return paragraph


def _is_real_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True
