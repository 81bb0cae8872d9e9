"""The content contract as data: every key of every content file, its kind, description and examples.

model.py takes its allowed keys and choices from here and validates each value; schema.py
turns the same definitions into the JSON Schemas in ``schemas/`` that editors use to
autocomplete and underline mistakes (#14). Describing a key once, here, keeps the two
from drifting apart; tests/test_schema.py runs bad input through both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = "text"
"""A non-blank string without control characters (surrounding spaces are trimmed)."""
TEXTS = "texts"
"""A list of texts; a single text is refused, not read as a list of one."""
DATE = "date"
"""An EDTF date: a quoted string, or an unquoted year."""
SLUG = "slug"
"""An id of lowercase a-z, 0-9 and single hyphens."""
URL = "url"
"""An absolute http(s) URL."""
LANGUAGE = "language"
"""A BCP 47 language tag."""
LANGUAGES = "languages"
"""A list of BCP 47 language tags, each once."""
NAMES = "names"
"""A mapping of BCP 47 language tags to texts: a name in each language."""
CHOICE = "choice"
"""One text of ``Field.choices``."""
BOOLEAN = "boolean"
AREA = "area"
"""A non-negative number of square kilometres, at most the Earth's surface."""
REPLACEMENT = "replacement"
"""Any text, empty included (an edit's ``to``)."""
MAPPING = "mapping"
"""A mapping with the keys of ``Field.fields``."""
MAPPINGS = "mappings"
"""A list of mappings with the keys of ``Field.fields``."""
TEXTS_OR_MAPPINGS = "texts_or_mappings"
"""A list whose items are texts or mappings with the keys of ``Field.fields`` (aliases, not_mentions)."""

MAX_AREA_KM2 = 510_072_000
"""The Earth's surface: a larger area is a typo, and the bound keeps every sum and chart finite."""
EVENT_KINDS = ("occupation", "return", "agreement", "resolution", "statement", "other")
SHAPES = ("none",)
"""A territory's ``shape``: only 'none', for a territory the boundary data has no honest shape for (#16)."""
TITLE_BY = ("source", "archive")
"""Who wrote an article's title: the text itself (its headline, the default) or the archive."""
DOCUMENT_TYPES = ("speech", "interview", "news-report", "statement", "table")
"""What kind of text an article is (#15); readers see each as the interface string ``type_<value>``."""


@dataclass(frozen=True)
class Field:
    """One key of a content file, as the validator checks it and the schema describes it."""

    kind: str
    """One of the kinds above."""
    description: str
    """What the key means, for editors (shown on hover and in completions)."""
    examples: tuple = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    """The allowed values of a CHOICE."""
    default: object = None
    """The value an absent key stands for, when it stands for one."""
    fields: dict[str, Field] = field(default_factory=dict)
    """The keys of a MAPPING, or of each mapping of MAPPINGS and TEXTS_OR_MAPPINGS."""
    one_of_required: tuple[str, ...] = ()
    """A MAPPING needs at least one of these keys with a value."""
    min_items: int = 0


REPOSITORY_FIELDS = {
    "url": Field(URL, "The repository's web address; 'edit this page' links open files under it.",
                 ("https://github.com/example/karabakh-archive",), required=True),
    "branch": Field(TEXT, "The branch the content is edited on.", ("main",), default="main"),
}

SITE_FIELDS = {
    "title": Field(TEXT, "The site's name, in every page's header and title.", ("Karabakh Archive",), required=True),
    "description": Field(TEXT, "One or two sentences about the site, for the home page, feeds and search engines.",
                         ("A documentary archive of published texts about the Karabakh conflict.",)),
    "base_url": Field(URL, "The absolute http(s) address the site is published at, with its subpath; "
                           "a missing final '/' is added. `--base-url` overrides it.",
                      ("https://example.org/karabakh-archive/",), required=True),
    "language": Field(LANGUAGE, "BCP 47 tag of the site's language: `<html lang>`, and the interface strings "
                                "read from the theme's strings/<language>.yaml; its pages are at the site's root.",
                      ("en", "az", "hy-AM"), default="en"),
    "languages": Field(LANGUAGES, "BCP 47 tags of every language the interface is published in, the default "
                                  "`language` among them, each with a strings/<language>.yaml in the theme; every "
                                  "other language's pages are in a folder of its tag (`ru/…`). The documents are "
                                  "not translated. Leave out for the default language only.",
                       (["en", "az", "ru", "hy"], ["en"])),
    "repository": Field(MAPPING, "Where the content is edited, for 'edit this page' links; leave out for none.",
                        ({"url": "https://github.com/example/karabakh-archive", "branch": "main"},),
                        fields=REPOSITORY_FIELDS),
}

SOURCE_FIELDS = {
    "name": Field(TEXT, "The outlet that published the text, only when the text names it.", ("News.Az",)),
    "via": Field(TEXT, "An agency or outlet the report cites.", ("AZERTAC",)),
    "url": Field(URL, "The address the text was published at: only a real, known address, never invented.",
                 ("https://news.az/news/example",)),
    "note": Field(TEXT, "Why the outlet is unknown, or anything else a reader should know about the source.",
                  ("The text does not name the outlet that published it.",)),
}

EDIT_FIELDS = {
    "from": Field(TEXT, "The original's words exactly as received (the file in content/sources/).",
                  ("Therefore,the",), required=True),
    "to": Field(REPLACEMENT, "The words the article has instead; empty or left out for a removal.",
                ("Therefore, the", "")),
    "why": Field(TEXT, "Why the repair was made, shown to readers beside it.",
                 ("Extraction fault: the space after the comma is missing.",), required=True),
}

DRAFT = Field(BOOLEAN, "A draft is left out of the build unless it is run with --drafts.", (False, True), default=False)

ARTICLE_FIELDS = {
    "title": Field(TEXT, "The text's own headline; or, with `title_by: archive`, a title the archive gave it.",
                   ("Aliyev’s speech to former residents returning to Kalbajar",), required=True),
    "date": Field(DATE, "The text's date in EDTF, quoted, at the precision the text gives and never more; "
                        "leave it out when the text is undated.",
                  ("2025-07-19", "2021-07", "1994", "2021-07~", "1993-04-02?", "1988/1992", "2021-07-20/..")),
    "date_note": Field(TEXT, "Why the date is approximate, inferred or absent.",
                       ("The text has no date line; the date is the archive's inference.",)),
    "source": Field(MAPPING, "Who published the text and whom it cites: at least a name, a via, or a note "
                             "saying why the outlet is unknown.",
                    ({"name": "News.Az", "via": "AZERTAC"}, {"note": "The text does not name its outlet."}),
                    required=True, fields=SOURCE_FIELDS, one_of_required=("name", "via", "note")),
    "original": Field(TEXT, "The file in content/sources/ the article was made from, byte for byte as received.",
                      ("004_a1c2208b58152176.txt",)),
    "speakers": Field(TEXTS, "The people whose words the text reports.", (["Ilham Aliyev"],)),
    "tags": Field(TEXTS, "Subjects, each with a page listing its documents.", (["OSCE Minsk Group", "Lachin corridor"],)),
    "territories": Field(TEXTS, "Ids of territories in chronology.yaml the text is about.", (["kalbajar", "lachin"],)),
    "summary": Field(TEXT, "One or two sentences in attributive voice (\"The report says ...\"), for lists, "
                           "feeds and search engines.", ("The report quotes Ilham Aliyev on the return to Kalbajar.",)),
    "edits": Field(MAPPINGS, "Every repair of the original text, so readers can audit it.",
                   ([{"from": "Therefore,the", "to": "Therefore, the", "why": "Extraction fault."}],),
                   fields=EDIT_FIELDS),
    "title_by": Field(CHOICE, "Who wrote the title: 'source' (the text's own headline) or 'archive' "
                              "(the text has none).", ("source", "archive"), choices=TITLE_BY, default="source"),
    "language": Field(LANGUAGE, "BCP 47 tag of the language the text was received in; leave out when it is "
                                "site.yaml's `language`. Nothing is translated: pages in other languages say so.",
                       ("en", "ru", "az")),
    "type": Field(CHOICE, "What kind of text it is, set only where the text itself makes it plain (a speech, "
                          "an interview, a news report, a statement, a table); leave it out when unclear.",
                  ("speech", "news-report"), choices=DOCUMENT_TYPES),
    "draft": DRAFT,
    "todo": Field(TEXTS, "What an editor must still do before the text is published, as `import` lists it; "
                         "an error outside a draft: do each, then delete the list.",
                  (["Check the date against the source", "Name the outlet"],)),
    "title_confirmed": Field(BOOLEAN, "`import` writes false when it made the title from the first sentence; "
                                      "an error outside a draft: check the title, then delete the key.", (False,)),
}

PAGE_FIELDS = {
    "title": Field(TEXT, "The page's title.", ("About the archive",), required=True),
    "summary": Field(TEXT, "An optional description for search engines.", ("What the archive holds and how.",)),
    "draft": DRAFT,
}

ALIAS_FIELDS = {
    "name": Field(TEXT, "Another name or spelling.", ("Şuşa",), required=True),
    "lang": Field(LANGUAGE, "BCP 47 tag of the language it is written in.", ("az", "hy-Latn", "en")),
}
ALIASES = Field(TEXTS_OR_MAPPINGS, "Other names and spellings, matched in the texts like the name; each a plain "
                                   "name or {name, lang}.",
                ([{"name": "Şuşa", "lang": "az"}, {"name": "Shushi", "lang": "hy-Latn"}], ["Shushi"]),
                fields=ALIAS_FIELDS)

TERRITORY_FIELDS = {
    "id": Field(SLUG, "The territory's id: its page's URL, and how articles and events name it.", ("shusha",),
                required=True),
    "name": Field(TEXT, "The name pages show and texts are searched for.", ("Shusha",), required=True),
    "names": Field(NAMES, "The territory's name in other languages, each under its BCP 47 tag: the interface "
                          "in that language shows it with `name` alongside. Give only established names; each "
                          "is also matched in the texts like an alias.",
                   ({"az": "Kəlbəcər", "ru": "Кельбаджар"},)),
    "aliases": ALIASES,
    "area_km2": Field(AREA, "The area its source states, in square kilometres; required for a territory an "
                            "occupation or return event names.", (289, 4400)),
    "note": Field(TEXT, "Anything a reader should know about the name or the area.",
                  ("“The Occupation in Figures” spells the name Fizuli.",)),
    "shape": Field(CHOICE, "Leave out when content/geo/territories.geojson has the territory's shape; write "
                           "'none' when it has none: the map then lists the territory instead of drawing it.",
                   ("none",), choices=SHAPES),
}

PLACE_FIELDS = {
    "id": Field(SLUG, "The place's id.", ("khankendi",), required=True),
    "name": Field(TEXT, "The name pages show and texts are searched for.", ("Khankendi",), required=True),
    "aliases": ALIASES,
    "in": Field(TEXT, "The id of the territory the place lies in.", ("nagorno-karabakh",), required=True),
    "note": Field(TEXT, "Anything a reader should know about the place.", ("The city, not the district.",)),
}

NOT_MENTION_FIELDS = {
    "phrase": Field(TEXT, "A phrase whose names are not mentions of a territory or place.",
                    ("Shusha Global Media Forum",), required=True),
    "why": Field(TEXT, "Why it is not a mention.", ("A forum's name; it says nothing about the territory.",)),
}

EVENT_SOURCE_FIELDS = {
    "article": Field(TEXT, "The slug of an article (its file name without .md) that states the event.",
                     ("aliyev-kalbajar-return-speech-2025",), required=True),
    "quote": Field(TEXT, "The exact words of the article that state the event and its date (checked against "
                         "the text).", ("The occupation of Kalbajar in early April 1993",), required=True),
    "date_basis": Field(TEXT, "What the date relies on besides the quote, e.g. the document's date line.",
                        ("The document's date line.",)),
}

EVENT_FIELDS = {
    "id": Field(SLUG, "The event's id, unique in the chronology.", ("occupation-kalbajar",), required=True),
    "date": Field(DATE, "The event's date in EDTF, quoted, no more precise than its quotes state.",
                  ("1993-04", "1992-05-08", "1988/1992"), required=True),
    "title": Field(TEXT, "A short title in the archive's attributive voice.",
                   ("Kalbajar: “occupation” (April 1993, per Ilham Aliyev)",), required=True),
    "kind": Field(CHOICE, "What kind of event it is; 'occupation' and 'return' events move the area chart.",
                  ("occupation", "other"), choices=EVENT_KINDS, default="other"),
    "territories": Field(TEXTS, "Ids of the territories the event concerns.", (["kalbajar"],)),
    "sources": Field(MAPPINGS, "The articles that state the event, each with the words that state it.",
                     ([{"article": "aliyev-kalbajar-return-speech-2025",
                        "quote": "The occupation of Kalbajar in early April 1993"}],),
                     required=True, fields=EVENT_SOURCE_FIELDS, min_items=1),
    "note": Field(TEXT, "Anything a reader should know about the event or its date.", ("Dated by its quote.",)),
}

CHRONOLOGY_FIELDS = {
    "territories": Field(MAPPINGS, "The territories of the chronology, with their areas.",
                         ([{"id": "shusha", "name": "Shusha", "aliases": [{"name": "Şuşa", "lang": "az"}],
                            "area_km2": 289}],), fields=TERRITORY_FIELDS),
    "places": Field(MAPPINGS, "Cities and towns inside territories: naming one is not naming the territory.",
                    ([{"id": "khankendi", "name": "Khankendi", "aliases": [{"name": "Xankəndi", "lang": "az"}],
                       "in": "nagorno-karabakh"}],), fields=PLACE_FIELDS),
    "not_mentions": Field(TEXTS_OR_MAPPINGS, "Phrases whose names are no mention at all; each must occur in "
                                             "some article. A plain phrase or {phrase, why}.",
                          (["Shusha Global Media Forum"],), fields=NOT_MENTION_FIELDS),
    "events": Field(MAPPINGS, "Dated events, each stated by at least one article.",
                    ([{"id": "occupation-kalbajar", "date": "1993-04", "title": "Kalbajar: “occupation” (April 1993)",
                       "kind": "occupation", "territories": ["kalbajar"],
                       "sources": [{"article": "aliyev-kalbajar-return-speech-2025",
                                    "quote": "The occupation of Kalbajar in early April 1993"}]}],),
                    fields=EVENT_FIELDS),
}

DOCUMENTS = {
    "article": ("Front matter of an article (content/articles/<slug>.md)", ARTICLE_FIELDS),
    "page": ("Front matter of a page (content/pages/<slug>.md)", PAGE_FIELDS),
    "chronology": ("The chronology: territories, places, not_mentions and events (content/chronology.yaml)",
                   CHRONOLOGY_FIELDS),
    "site": ("Site settings (content/site.yaml)", SITE_FIELDS),
}
"""Each kind of content file: its title and its top-level keys."""
