"""Validate raw records into the content model: frozen dataclasses with checked fields.

Every field of every file is checked here, against the content contract in
docs/content.md, and each problem names the file and the line of the bad key.
References between objects (an event citing an article) are checked later, in link.py.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from karabakh_site.content.contract import (
    ARTICLE_FIELDS, CHRONOLOGY_FIELDS, DOCUMENT_TYPES, EDIT_FIELDS, EVENT_FIELDS, EVENT_KINDS, EVENT_SOURCE_FIELDS, MAX_AREA_KM2,
    PAGE_FIELDS, REPOSITORY_FIELDS, SHAPES, SITE_FIELDS, SOURCE_FIELDS, TERRITORY_FIELDS, TITLE_BY,
)
from karabakh_site.text.dates import DateError, EdtfDate, parse_date
from karabakh_site.errors import Problems, UsageError, did_you_mean
from karabakh_site.content.geo import Geography, read_geography
from karabakh_site.text.languages import canonical_language_tag
from karabakh_site.content.load import LineDict, RawContent, RawDocument
from karabakh_site.content.placeholders import check_placeholders
from karabakh_site.content.places import Alias, NotMention, Place, build_places, read_aliases
from karabakh_site.content.voice import check_voice

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
RESERVED_PAGE_SLUGS = frozenset({
    "articles", "chronology", "territories", "static", "data", "index", "404",
    "tags", "speakers", "sources", "years", "types", "search", "feeds",
})

AREA_KINDS = ("occupation", "return")
"""Event kinds whose territories' areas the area chart adds or subtracts."""

# The keys each mapping may have, with their descriptions, live in contract.py, which the
# JSON Schemas in schemas/ are generated from (#14); the values are checked below.
SITE_KEYS = tuple(SITE_FIELDS)
REPOSITORY_KEYS = tuple(REPOSITORY_FIELDS)
ARTICLE_KEYS = tuple(ARTICLE_FIELDS)
PAGE_KEYS = tuple(PAGE_FIELDS)
SOURCE_KEYS = tuple(SOURCE_FIELDS)
EDIT_KEYS = tuple(EDIT_FIELDS)
CHRONOLOGY_KEYS = tuple(CHRONOLOGY_FIELDS)
TERRITORY_KEYS = tuple(TERRITORY_FIELDS)
EVENT_KEYS = tuple(EVENT_FIELDS)
EVENT_SOURCE_KEYS = tuple(EVENT_SOURCE_FIELDS)


@dataclass(frozen=True)
class Repository:
    """Where the content is edited, for "edit this page" links."""

    url: str
    branch: str


@dataclass(frozen=True)
class SiteConfig:
    """Settings from content/site.yaml."""

    title: str
    description: str
    base_url: str
    """Absolute URL of the published site, always ending in '/'; may contain a subpath."""
    language: str
    repository: Repository | None
    languages: tuple[str, ...] = ()
    """Every language the interface is published in, the default ``language`` first (#16): the
    default's pages are at the root, each other's in a folder of its tag."""
    languages_line: int | None = None
    """Line of site.yaml's ``languages`` key, for a language without strings; None when it is absent."""


@dataclass(frozen=True)
class Source:
    """Provenance of a document: who published it and whom they cite."""

    name: str | None
    """The outlet, only when the text names it."""
    via: str | None
    """An agency or outlet the report cites, e.g. AZERTAC."""
    url: str | None
    note: str | None


@dataclass(frozen=True)
class Edit:
    """One editorial repair of the original text, recorded so readers can audit it."""

    original: str
    replacement: str
    """The repaired text; empty for a removal."""
    reason: str


@dataclass(frozen=True)
class Article:
    """A published text reproduced in the archive."""

    slug: str
    source_path: str
    repo_path: str
    """Path from the content folder's parent, for "edit this page" links."""
    title: str
    date: EdtfDate | None
    date_note: str | None
    source: Source
    original: str | None
    """File name in content/sources/ of the unedited original."""
    speakers: tuple[str, ...]
    tags: tuple[str, ...]
    territory_ids: tuple[str, ...]
    territories_line: int
    """Line of the ``territories`` key, for reference errors."""
    summary: str | None
    edits: tuple[Edit, ...]
    body: str
    body_line: int
    title_by: str = "source"
    """'source' when the title is the text's own headline; 'archive' when the archive wrote it
    (the text has none), so pages, citations and JSON-LD never present it as the publisher's (#12)."""
    draft: bool = False
    """``draft: true``: built only by ``serve`` and ``--drafts``, with a "Draft" banner; left out
    of ``build`` and ``check`` before linking (#14)."""
    document_type: str | None = None
    """The front matter's ``type``, one of contract.DOCUMENT_TYPES: set only where the text makes
    it plain, so None means "not stated", never "other" (#15)."""
    language: str | None = None
    """The BCP 47 tag of the language the text was received in; None: site.yaml's ``language``.
    Nothing is translated, so pages in other interfaces mark the body with it and say so (#16)."""


@dataclass(frozen=True)
class Page:
    """A plain page such as About or Methodology."""

    slug: str
    source_path: str
    repo_path: str
    title: str
    summary: str | None
    body: str
    body_line: int
    draft: bool = False
    """As Article.draft (#14)."""


@dataclass(frozen=True)
class Territory:
    """A territory of the chronology, with the area the sources give for it."""

    id: str
    name: str
    aliases: tuple[str, ...]
    area_km2: float | None
    note: str | None
    line: int
    labelled_aliases: tuple[Alias, ...] = ()
    """The same aliases with the language each is written in, when known (#12); with the ``names``
    not already among them, so that every name is matched in the texts and found by search (#16)."""
    without_shape: bool = False
    """chronology.yaml says ``shape: none``: the boundary data has no shape for it, so maps list it, not draw it (#16)."""
    names: tuple[Alias, ...] = ()
    """The name in other languages (chronology.yaml's ``names``), which that language's interface
    shows with ``name`` alongside (#16)."""

    def name_in(self, language: str) -> str | None:
        """The territory's name in ``language`` (or in its primary language: 'ru' for 'ru-RU'), if given."""
        for tag in (language, language.split("-")[0]):
            for alias in self.names:
                if alias.lang == tag:
                    return alias.name
        return None


@dataclass(frozen=True)
class Event:
    """A dated event that at least one article states."""

    id: str
    date: EdtfDate
    title: str
    kind: str
    territory_ids: tuple[str, ...]
    source_slugs: tuple[str, ...]
    note: str | None
    line: int
    territories_line: int
    sources_line: int
    sources: tuple[EventSource, ...] = ()
    """Each cited article with the words of it that state the event (same order as source_slugs)."""


@dataclass(frozen=True)
class EventSource:
    """One article an event cites, with the passage that states the event, so readers can check it."""

    article: str
    """The article's slug."""
    quote: str
    """The exact sentence or shortest passage of the article that states the event (checked in quotes.py)."""
    date_basis: str | None
    """What the date relies on besides the quote (e.g. the document's date line); shown with the event."""
    line: int
    """Line of the source's ``quote`` key (or of the source itself), for errors about the quote."""


@dataclass(frozen=True)
class Withheld:
    """What the content defines but the Site leaves out, because of errors already reported (#14).

    Why: the later stages still check the rest, and a reference to something left out is not
    reported as unknown: the editor already sees the error that left it out.
    """

    documents: frozenset[str] = frozenset()
    """Content paths of the articles and pages left out, e.g. ``articles/x.md``."""
    territories: frozenset[str] = frozenset()
    """Ids of the territories left out."""
    originals: frozenset[str] = frozenset()
    """Files of content/sources/ that an article left out names: the articles made from one are
    compared with it together, so without that article the check would call its part missing."""
    chronology: bool = False
    """chronology.yaml or its list of territories could not be read: no territory id can be checked."""
    config: bool = False
    """site.yaml could not be read into settings: the Site's config is a stand-in."""
    partial: bool = False
    """The model found problems: this Site serves the later checks only and is never linked into pages."""
    drafts: frozenset[str] = frozenset()
    """Slugs of the draft articles left out of this build: an event citing one has its own error."""

    def has_article(self, slug: str) -> bool:
        return f"articles/{slug}.md" in self.documents

    def has_territory(self, territory_id: str) -> bool:
        return self.chronology or territory_id in self.territories


STAND_IN_CONFIG = SiteConfig("", "", "https://example.invalid/", "en", None, ("en",))
"""The settings the later checks run with when site.yaml is broken; such a Site is never rendered."""


@dataclass(frozen=True)
class Site:
    """The whole validated content, in a stable order."""

    config: SiteConfig
    articles: tuple[Article, ...]
    pages: tuple[Page, ...]
    territories: tuple[Territory, ...]
    events: tuple[Event, ...]
    chronology_path: str
    original_names: tuple[str, ...]
    originals: tuple["Original", ...] = ()
    """The unedited texts in content/sources/, published beside the articles made from them."""
    places: tuple[Place, ...] = ()
    """Cities and towns inside territories: their mentions are not the territories' (#12)."""
    not_mentions: tuple[NotMention, ...] = ()
    """Phrases whose names are not mentions, e.g. "Shusha Global Media Forum" (#12)."""
    withheld: Withheld = Withheld()
    """What is left out for its errors; empty for a Site without problems."""
    geography: Geography | None = None
    """The territories' boundaries for the maps (#16); None for a content without content/geo/."""


@dataclass(frozen=True)
class Original:
    """One file of content/sources/ as it was received: its bytes and their text."""

    name: str
    """The file's name, e.g. ``004_a1c2208b58152176.txt``."""
    text: str
    """Its text decoded (UTF-8, line ends as LF), for the HTML view and the compare view."""
    data: bytes
    """Its bytes unchanged, published as ``originals/<name>``."""


class _Fields:
    """Reads typed values out of one YAML mapping, recording a problem for each bad one."""

    def __init__(self, mapping: LineDict, path: str, problems: Problems, what: str):
        self.mapping, self.path, self.problems, self.what = mapping, path, problems, what

    def line(self, key: str) -> int:
        return self.mapping.line_of(key)

    def error(self, key: str, message: str, hint: str = "", of_key: bool = False) -> None:
        """Report a problem at ``key``'s value (or at the key itself), line and column."""
        self.problems.add(self.path, self.line(key), message, hint, column=self.mapping.column_of(key, of_key))

    def missing(self, key: str, hint: str = "") -> None:
        """Report a required key that is absent, at the mapping that lacks it."""
        self.problems.add(self.path, self.mapping.line, f"missing required {key!r} in {self.what}", hint,
                          column=self.mapping.column)

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed) or "allowed: " + ", ".join(allowed)
                self.error(key, f"unknown key {key!r} in {self.what}", hint, of_key=True)

    def text(self, key: str, required: bool = False) -> str | None:
        """The stripped text of ``key``; None, with a problem, for a blank or a value of another type.

        Why numbers are refused rather than turned into text: YAML reads ``title: 0.10`` as 0.1
        and ``title: .nan`` as a number, so the page would not show what the editor wrote (issue 11).
        An empty key (``summary:``) is absent; a blank text (``summary: ""``) is a lost value.
        """
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if not isinstance(value, str):
            self.error(key, f"{key!r} must be text, not {_described(value)}", _quote_hint(value))
            return None
        if not value.strip():
            self.error(key, f"{key!r} is blank in {self.what}",
                       "give its value" if required else "give its value, or leave the key out")
            return None
        return self._checked_characters(key, value).strip()

    def boolean(self, key: str) -> bool | None:
        """The true/false value of ``key``; None when absent, or, with a problem, when not a boolean.

        Why strict: ``draft: "no"`` is a text, and reading any text as true or false would
        publish (or hide) a document against what the editor meant (#14).
        """
        value = self.mapping.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.error(key, f"{key!r} must be true or false, not {_described(value)}",
                   f"write {key}: true or {key}: false, without quotes")
        return None

    def text_list(self, key: str) -> tuple[str, ...]:
        """The stripped items of a list of texts; a single text is refused, not read as a list of one.

        Why: ``tags: war, peace`` reads as the one tag 'war, peace'; a list must look like one.
        """
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            hint = f"write {key}: [{json.dumps(value, ensure_ascii=False)}]" if isinstance(value, str) else ""
            self.error(key, f"{key!r} must be a list of texts, not {_described(value)}", hint)
            return ()
        for number, item in enumerate(value, 1):
            if not isinstance(item, str) or not item.strip():
                self.error(key, f"{key!r} must be a list of non-empty text values; item {number} is "
                                f"{_described(item)}", _quote_hint(item))
                return ()
        return tuple(self._checked_characters(key, item).strip() for item in value)

    def _checked_characters(self, key: str, value: str) -> str:
        """Report control characters (e.g. a form feed pasted from a PDF): no page or feed may hold them."""
        found = CONTROL_CHARACTER.search(value)
        if found:
            self.error(key, f"{key!r} contains the control character U+{ord(found.group()):04X}; remove it")
        return value

    def mapping_at(self, key: str, what: str) -> _Fields | None:
        value = self.mapping.get(key)
        if not isinstance(value, LineDict):
            if value is not None:
                self.error(key, f"{key!r} must be a mapping of keys to values, not {_kind(value)}")
            return None
        return _Fields(value, self.path, self.problems, what)

    def date(self, key: str, required: bool = False) -> EdtfDate | None:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        try:
            return parse_date(value)
        except DateError as error:
            self.error(key, str(error))
            return None


def _kind(value: object) -> str:
    return {dict: "a mapping", LineDict: "a mapping", list: "a list"}.get(type(value), type(value).__name__)


def _described(value: object) -> str:
    """Name a value's type the way an editor reads YAML: 'the number 1994', 'a text', 'a list'."""
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return "a single text" if value.strip() else "blank"
    return "empty" if value is None else _kind(value)


def _quote_hint(value: object) -> str:
    """Tell an editor how to write a number or a yes/no as text."""
    if isinstance(value, (bool, int, float)):
        return "put the value in quotes if it is meant as text"
    return ""


def build_model(raw: RawContent) -> tuple[Site, Problems]:
    """Validate everything read from the content folder and return the Site.

    With problems, the Site holds what is valid and names in ``withheld`` what it left out,
    so that the later stages check the rest in the same run (#14); it is never rendered.
    """
    problems = Problems()
    config = _build_config(raw, problems)
    articles = tuple(_build_article(document, raw.original_names, problems) for document in raw.articles)
    pages = _outside_language_folders(tuple(_build_page(document, problems) for document in raw.pages), config, problems)
    territories, events = _build_chronology(raw, problems)
    places, not_mentions = build_places(raw.chronology, raw.chronology_path, problems, _Fields, _checked_id)
    problems.extend(check_voice(raw).items)  # the archive attributes, it never asserts (#12)
    geography = read_geography(raw.geo, raw.geo_text, raw.geo_path, territories, raw.chronology_path,
                               _defined_territory_ids(raw), problems) if raw.chronology is not None else None
    site = Site(
        config=config or STAND_IN_CONFIG,
        articles=tuple(sorted((a for a in articles if a), key=lambda a: a.slug)),
        pages=tuple(sorted((p for p in pages if p), key=lambda p: p.slug)),
        territories=territories,
        events=events,
        chronology_path=raw.chronology_path,
        original_names=raw.original_names,
        places=places,
        not_mentions=not_mentions,
        originals=tuple(Original(name, raw.originals[name], raw.original_bytes[name]) for name in sorted(raw.originals)),
        withheld=_withheld(raw, config, articles, pages, territories, bool(problems)),
        geography=geography,
    )
    return site, problems


def _defined_territory_ids(raw: RawContent) -> set[str]:
    """Every territory id chronology.yaml writes, also those left out for an error."""
    items = raw.chronology.get("territories") if raw.chronology is not None else None
    return {str(item.get("id")) for item in items if isinstance(item, dict)} if isinstance(items, list) else set()


def _outside_language_folders(pages: tuple[Page | None, ...], config: SiteConfig | None,
                              problems: Problems) -> tuple[Page | None, ...]:
    """Leave out, with an error, a page whose slug is a language's folder: its page and that
    language's home page would be one file (#16: the interface in 'ru' is under ``ru/``)."""
    folders = {tag.lower(): tag for tag in config.languages[1:]} if config is not None else {}
    kept = []
    for page in pages:
        if page is not None and page.slug in folders:
            problems.add(page.source_path, None, f"page slug {page.slug!r} is the folder of the language "
                                                 f"{folders[page.slug]!r} (site.yaml 'languages'); rename the page")
            page = None
        kept.append(page)
    return tuple(kept)


_ORIGINAL_LINE = re.compile(r"""^original:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
"""An ``original:`` line, found in the text of a document whose front matter could not be read."""


def _originals_named(raw: RawContent, documents: set[str]) -> frozenset[str]:
    """The originals named by the articles left out: from their front matter, or (when it could not
    be read) from an ``original:`` line of their text."""
    named = (document.front_matter.get("original") for document in raw.articles
             if f"articles/{document.slug}.md" in documents)
    names = {name for name in named if isinstance(name, str)}  # a name of the wrong type has its own error
    for shown, text in raw.texts.items():
        if PurePosixPath(shown).parent.name == "articles":
            names.update(_ORIGINAL_LINE.findall(text))
    return frozenset(names)


def _withheld(raw: RawContent, config: SiteConfig | None, articles, pages,
              territories: tuple[Territory, ...], partial: bool) -> Withheld:
    """Name what the content defines but the Site left out for its errors."""
    documents = set(raw.unread)
    for folder, records, built in (("articles", raw.articles, articles), ("pages", raw.pages, pages)):
        documents.update(f"{folder}/{record.slug}.md" for record, document in zip(records, built) if document is None)
    items = raw.chronology.get("territories") if raw.chronology is not None else None
    readable = isinstance(items, list) and all(isinstance(item, LineDict) for item in items)
    built_ids = {territory.id for territory in territories}
    defined = ({item.get("id") for item in items if isinstance(item, LineDict) and isinstance(item.get("id"), str)}
               if isinstance(items, list) else set())  # an id of the wrong type is reported by its own check
    return Withheld(
        documents=frozenset(documents),
        originals=_originals_named(raw, documents),
        territories=frozenset(str(i) for i in defined if i is not None and str(i) not in built_ids),
        chronology=raw.chronology is None or (items is not None and not readable),
        config=config is None,
        partial=partial or bool(raw.unread) or config is None or raw.chronology is None,
    )


def _build_config(raw: RawContent, problems: Problems) -> SiteConfig | None:
    if raw.site is None:
        return None
    fields = _Fields(raw.site, raw.site_path, problems, "site.yaml")
    fields.check_keys(SITE_KEYS)
    title = fields.text("title", required=True)
    base_url = fields.text("base_url", required=True)
    if base_url and not _is_absolute_url(base_url):
        fields.error("base_url", f"base_url {base_url!r} must be an absolute http(s) URL, e.g. 'https://example.org/archive/'")
        base_url = None
    repository = None
    repo_fields = fields.mapping_at("repository", "repository")
    if repo_fields:
        repo_fields.check_keys(REPOSITORY_KEYS)
        url = repo_fields.text("url", required=True)
        if url and not _is_absolute_url(url):
            repo_fields.error("url", f"repository url {url!r} must be an absolute http(s) URL")
        elif url:
            repository = Repository(url.rstrip("/"), repo_fields.text("branch") or "main")
    language = _language(fields)
    languages = _languages(fields, language)
    if title is None or base_url is None or language is None or languages is None:
        return None
    return SiteConfig(
        title=title,
        description=fields.text("description") or "",
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=language,
        repository=repository,
        languages=languages,
        languages_line=fields.line("languages") if "languages" in fields.mapping else None,
    )


def _language(fields: _Fields) -> str | None:
    """The site's language as a BCP 47 tag in its usual case ('en', 'az-Latn', 'hy-AM'); 'en' when absent.

    Why so strict: the tag names the file strings/<language>.yaml and goes into <html lang>;
    a path such as '../../x' once loaded a file from outside the theme (issue 11).
    """
    if "language" not in fields.mapping or fields.mapping["language"] is None:
        return "en"
    return _language_tag(fields, "use a tag such as 'en', 'az', 'ru' or 'hy-AM'")


def _language_tag(fields: _Fields, hint: str) -> str | None:
    """The ``language`` key as a canonical BCP 47 tag; None, with an error naming its line, when it is not one."""
    text = fields.text("language")
    if text is None:
        return None
    tag = canonical_language_tag(text)
    if tag is None:
        fields.error("language", f"language {_shortened(text)!r} is not a BCP 47 language tag", hint)
    return tag


def _languages(fields: _Fields, language: str | None) -> tuple[str, ...] | None:
    """Every language of the interface, the default first, then the others in the order listed (#16).

    Why each must be a well-formed tag, listed once: a tag names a folder of the output
    (``ru/``) and a strings file; two spellings of one tag ('ru', 'RU') would write one
    folder twice. The default must be listed, so that the list says everything the site is in.
    """
    if fields.mapping.get("languages") is None:
        return (language,) if language else ()
    texts = fields.text_list("languages")
    if not texts:
        if isinstance(fields.mapping.get("languages"), list):
            fields.error("languages", "'languages' is empty", f"list at least the default language: languages: [{language or 'en'}]")
        return None
    tags: list[str] = []
    for number, text in enumerate(texts):
        tag = canonical_language_tag(text)
        line = fields.mapping.line_of_item("languages", number)
        if tag is None:
            fields.problems.add(fields.path, line, f"language {_shortened(text)!r} in 'languages' is not a BCP 47 "
                                "language tag", "use tags such as 'en', 'az', 'ru' or 'hy'")
        elif tag in tags:
            fields.problems.add(fields.path, line, f"language {tag!r} is listed twice in 'languages'",
                                "list each language once",
                                column=fields.mapping.column_of("languages") if line == fields.line("languages") else None)
        else:
            tags.append(tag)
    if len(tags) != len(texts):
        return None
    if language and language not in tags:
        fields.error("languages", f"the default language {language!r} ('language') is not in 'languages'",
                     f"add it: languages: [{', '.join([language, *tags])}]")
        return None
    return (language, *(tag for tag in tags if tag != language)) if language else None


def _shortened(text: str, limit: int = 60) -> str:
    """A value cut for an error message, so a pasted paragraph does not flood the terminal."""
    return text if len(text) <= limit else text[:limit] + "…"


def _is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check_slug(document: RawDocument, problems: Problems) -> bool:
    if SLUG.match(document.slug):
        return True
    problems.add(
        document.source_path, None,
        f"file name {document.slug!r} is not a valid slug; use lowercase a-z, 0-9 and hyphens",
    )
    return False


def article_from(document: RawDocument, original_names: tuple[str, ...]) -> tuple[Article | None, Problems]:
    """One article validated alone: its front matter's own checks, none across documents."""
    problems = Problems()
    return _build_article(document, original_names, problems), problems


def _build_article(document: RawDocument, original_names: tuple[str, ...], problems: Problems) -> Article | None:
    fields = _Fields(document.front_matter, document.source_path, problems, "article front matter")
    fields.check_keys(ARTICLE_KEYS)
    slug_ok = _check_slug(document, problems)
    draft = _draft(fields)
    title = fields.text("title", required=True)
    source = _build_source(fields, problems)
    original = fields.text("original")
    if original and original not in original_names:
        fields.error("original", f"original {original!r} is not a file in content/sources/",
                     did_you_mean(original, original_names))
    article = Article(
        slug=document.slug,
        source_path=document.source_path,
        repo_path=document.repo_path,
        title=title or "",
        date=fields.date("date"),
        date_note=fields.text("date_note"),
        source=source or Source(None, None, None, None),
        original=original,
        speakers=fields.text_list("speakers"),
        tags=fields.text_list("tags"),
        territory_ids=fields.text_list("territories"),
        territories_line=fields.line("territories"),
        summary=fields.text("summary"),
        edits=_build_edits(fields, problems),
        body=document.body,
        body_line=document.body_line,
        title_by=_title_by(fields),
        draft=draft,
        document_type=_document_type(fields),
        language=_article_language(fields),
    )
    return article if title and source and slug_ok else None


def _draft(fields: _Fields) -> bool:
    """Read ``draft`` (and ``title_confirmed``); outside a draft, report every placeholder left (#14)."""
    draft = bool(fields.boolean("draft"))
    fields.boolean("title_confirmed")
    if "todo" in fields.mapping:
        fields.text_list("todo")
    if not draft:
        check_placeholders(fields.mapping, fields.path, fields.problems)
    return draft


def _title_by(fields: _Fields) -> str:
    """Who wrote the title: 'source' (the default: the text's headline) or 'archive'."""
    value = fields.text("title_by")
    if value is None or value in TITLE_BY:
        return value or "source"
    fields.error("title_by", f"title_by {_shortened(value)!r} is not one of {', '.join(TITLE_BY)}",
                 did_you_mean(value, TITLE_BY) or "write 'title_by: archive' for a title the archive gave, "
                 "or leave the key out for the text's own headline")
    return "source"


def _article_language(fields: _Fields) -> str | None:
    """The language the text was received in (#16); None when the front matter does not say."""
    return _language_tag(fields, "use a tag such as 'en', 'az', 'ru' or 'hy'; leave it out for the site's language")


def _document_type(fields: _Fields) -> str | None:
    """What kind of text the article is (#15), or None when the front matter does not say."""
    value = fields.text("type")
    if value is None or value in DOCUMENT_TYPES:
        return value
    fields.error("type", f"type {_shortened(value)!r} is not one of {', '.join(DOCUMENT_TYPES)}",
                 did_you_mean(value, DOCUMENT_TYPES) or "leave the key out when the text does not make its kind plain")
    return None


def _build_source(fields: _Fields, problems: Problems) -> Source | None:
    if fields.mapping.get("source") is None:  # `source:` with nothing after it once dropped the article silently
        fields.missing("source", "give at least 'source: {note: ...}' when the text names no outlet")
        return None
    source_fields = fields.mapping_at("source", "source")
    if source_fields is None:
        return None
    source_fields.check_keys(SOURCE_KEYS)
    url = source_fields.text("url")
    if url and not _is_absolute_url(url):
        source_fields.error("url", f"source url {url!r} must be an absolute http(s) URL")
        url = None
    name, via, note = source_fields.text("name"), source_fields.text("via"), source_fields.text("note")
    if not (name or via or note):
        source_fields.error("source", "source needs a 'name', a 'via' or a 'note' saying why the outlet is unknown")
    return Source(name, via, url, note)


def _build_edits(fields: _Fields, problems: Problems) -> tuple[Edit, ...]:
    value = fields.mapping.get("edits")
    if value is None:
        return ()
    if not isinstance(value, list):
        fields.error("edits", "'edits' must be a list of {from, to, why} mappings")
        return ()
    edits = []
    for item in value:
        if not isinstance(item, LineDict):
            fields.error("edits", "each item of 'edits' must be a mapping with 'from', 'to' and 'why'")
            continue
        edit_fields = _Fields(item, fields.path, problems, "edit")
        edit_fields.check_keys(EDIT_KEYS)
        original = edit_fields.text("from", required=True)
        reason = edit_fields.text("why", required=True)
        replacement = item.get("to")
        replacement = "" if replacement is None else replacement
        if not isinstance(replacement, str):
            edit_fields.error("to", "'to' must be text (empty for a removal)")
        elif original and reason:
            edits.append(Edit(item["from"], replacement, reason))
    return tuple(edits)


def _build_page(document: RawDocument, problems: Problems) -> Page | None:
    fields = _Fields(document.front_matter, document.source_path, problems, "page front matter")
    fields.check_keys(PAGE_KEYS)
    slug_ok = _check_slug(document, problems)
    draft = _draft(fields)
    if document.slug in RESERVED_PAGE_SLUGS:
        problems.add(document.source_path, None, f"page slug {document.slug!r} is reserved for the site's own pages")
        slug_ok = False
    title = fields.text("title", required=True)
    if not (title and slug_ok):
        return None
    return Page(document.slug, document.source_path, document.repo_path, title, fields.text("summary"),
                document.body, document.body_line, draft)


def _build_chronology(raw: RawContent, problems: Problems) -> tuple[tuple[Territory, ...], tuple[Event, ...]]:
    if raw.chronology is None:
        return (), ()
    fields = _Fields(raw.chronology, raw.chronology_path, problems, "chronology.yaml")
    fields.check_keys(CHRONOLOGY_KEYS)
    built = [(item, _build_territory(item, raw.chronology_path, problems)) for item in _items(fields, "territories")]
    territories = tuple(t for _, t in built if t)
    events = tuple(e for e in (_build_event(item, raw.chronology_path, problems)
                               for item in _items(fields, "events")) if e)
    # Only territories that give no area: an invalid one is reported where it is written.
    unstated = {t.id for item, t in built if t and item.get("area_km2") is None}
    _check_event_areas(unstated, events, raw.chronology_path, problems)
    return territories, tuple(sorted(events, key=lambda e: (e.date.sort_key, e.id)))


def _check_event_areas(unstated: set[str], events: tuple[Event, ...], path: str, problems: Problems) -> None:
    """Require an area for every territory an occupation or return names.

    Why: the area chart and its table add and subtract these areas; a territory without
    one was counted as 0 km² and silently understated the total (issue 11). Unknown ids
    are left to link.py, which suggests the id meant.
    """
    for event in events:
        if event.kind not in AREA_KINDS:
            continue
        if event.date.latest is None:  # issue 12: the running sum needs the day by which it happened
            problems.add(path, event.line,
                         f"{event.kind} event {event.id!r} has a date with an open end ({event.date.text!r}); "
                         "the area chart needs the last day by which the change happened",
                         "give the closed range the texts support (1988/1992), or use kind 'other'")
        for territory_id in event.territory_ids:
            if territory_id in unstated:
                problems.add(path, event.territories_line,
                             f"{event.kind} event {event.id!r} names territory {territory_id!r}, whose area is "
                             "not stated", "give the territory the area_km2 its source states, or use kind 'other'")


def _items(fields: _Fields, key: str) -> list[LineDict]:
    value = fields.mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fields.error(key, f"{key!r} must be a list of mappings")
        return []
    good = [item for item in value if isinstance(item, LineDict)]
    if len(good) != len(value):
        fields.error(key, f"every item of {key!r} must be a mapping of keys to values")
    return good


def _build_territory(item: LineDict, path: str, problems: Problems) -> Territory | None:
    fields = _Fields(item, path, problems, "territory")
    fields.check_keys(TERRITORY_KEYS)
    territory_id = _checked_id(fields, required=True)
    name = fields.text("name", required=True)
    area = _area(fields)
    if not (territory_id and name):
        return None
    names = _names(fields)
    aliases = read_aliases(fields)
    listed = {alias.name for alias in aliases}
    aliases += tuple(alias for alias in names if alias.name not in listed and alias.name != name)
    return Territory(territory_id, name, tuple(a.name for a in aliases), area, fields.text("note"), item.line,
                     aliases, _without_shape(fields), names)


def _without_shape(fields: _Fields) -> bool:
    """Whether the territory says ``shape: none``, the one value ``shape`` takes (#16)."""
    value = fields.text("shape")
    if value is not None and value not in SHAPES:
        fields.error("shape", f"shape {_shortened(value)!r} is not one of {', '.join(SHAPES)}",
                     "leave the key out when content/geo/territories.geojson has the territory's shape")
    return value == "none"


def _names(fields: _Fields) -> tuple[Alias, ...]:
    """Read a territory's ``names``: {tag: name}, each tag a well-formed BCP 47 tag given once (#16).

    Why the tags are canonicalised: 'RU' and 'ru' are one language, and the interface in
    'ru' looks its name up by the tag site.yaml lists.
    """
    names_fields = fields.mapping_at("names", "names")
    if names_fields is None:
        return ()
    names: dict[str, Alias] = {}
    for key in names_fields.mapping:
        tag = canonical_language_tag(key) if isinstance(key, str) else None
        if tag is None:
            names_fields.error(key, f"names: {_shortened(str(key))!r} is not a BCP 47 language tag",
                               "write each name under its language's tag, e.g. ru: Кельбаджар", of_key=True)
        elif tag in names:
            names_fields.error(key, f"names: language {tag!r} is given twice", of_key=True)
        else:
            name = names_fields.text(key)
            if name is not None:
                names[tag] = Alias(name, tag)
    return tuple(names.values())


def _area(fields: _Fields) -> float | None:
    area = fields.mapping.get("area_km2")
    if area is None:
        return None
    if isinstance(area, bool) or not isinstance(area, (int, float)) or not math.isfinite(area) or area < 0:
        fields.error("area_km2", f"area_km2 must be a non-negative number of square kilometres, not {area!r}")
        return None
    if area > MAX_AREA_KM2:
        fields.error("area_km2", f"area_km2 {area!r} is larger than the Earth's surface "
                                 f"({MAX_AREA_KM2:,} km²); check the number")
        return None
    return area


def _checked_id(fields: _Fields, required: bool) -> str | None:
    value = fields.text("id", required=required)
    if value is not None and not SLUG.match(value):
        fields.error("id", f"id {value!r} is not a valid slug; use lowercase a-z, 0-9 and hyphens")
        return None
    return value


def _build_event(item: LineDict, path: str, problems: Problems) -> Event | None:
    fields = _Fields(item, path, problems, "event")
    fields.check_keys(EVENT_KEYS)
    event_id = _checked_id(fields, required=True)
    date = fields.date("date", required=True)
    title = fields.text("title", required=True)
    kind = fields.text("kind") or "other"
    if kind not in EVENT_KINDS:
        fields.error("kind", f"unknown event kind {kind!r}; expected one of {', '.join(EVENT_KINDS)}",
                     did_you_mean(kind, EVENT_KINDS))
    sources = _event_sources(fields)
    if not (event_id and date and title) or kind not in EVENT_KINDS:
        return None
    return Event(event_id, date, title, kind, fields.text_list("territories"), tuple(s.article for s in sources),
                 fields.text("note"), item.line, fields.line("territories"), fields.line("sources"), sources)


SOURCE_FORM = 'sources: [{article: <slug>, quote: "<the words of the article that state the event>"}]'


def _event_sources(fields: _Fields) -> tuple[EventSource, ...]:
    """Read an event's ``sources``: each an article with the quote that states the event.

    Why a quote is required: a bare slug let the chronology date things its sources do not
    state (issue 12); a quote is checked against the text, so a reader can verify every date.
    """
    value = fields.mapping.get("sources")
    if not isinstance(value, list) or not value:
        problem = (f"'sources' must be a list of mappings, not {_described(value)}" if value not in (None, [])
                   else "event has no 'sources': list the articles that state it, each with its quote")
        fields.problems.add(fields.path, fields.line("sources"), problem, f"write {SOURCE_FORM}",
                            column=fields.mapping.column_of("sources"))
        return ()
    sources = []
    for item in value:
        if not isinstance(item, LineDict):
            problem = (f"event source {item!r} gives no quote" if isinstance(item, str)
                       else f"each event source must be a mapping, not {_described(item)}")
            fields.error("sources", problem + "; each source is a mapping with 'article' and 'quote'",
                         f"write {SOURCE_FORM}")
            continue
        source_fields = _Fields(item, fields.path, fields.problems, "event source")
        source_fields.check_keys(EVENT_SOURCE_KEYS)
        article, quote = source_fields.text("article", required=True), source_fields.text("quote", required=True)
        if article and quote:
            sources.append(EventSource(article, quote, source_fields.text("date_basis"), source_fields.line("quote")))
    return tuple(sources)


def with_base_url(site: Site, base_url: str) -> Site:
    """Return the site published at another address (a preview host, a test server)."""
    if not _is_absolute_url(base_url):
        raise UsageError(f"base URL {base_url!r} must be an absolute http(s) URL")
    url = base_url if base_url.endswith("/") else base_url + "/"
    return replace(site, config=replace(site.config, base_url=url))
