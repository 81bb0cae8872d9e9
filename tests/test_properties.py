"""Property tests: whatever an editor writes, the build either succeeds safely or lists content errors.

Front matter values and Markdown bodies are generated (arbitrary text, markup and template
syntax, garbage dates, unsafe links), written into a tiny site and run through
``prepare_site`` (every stage but writing). A run may fail only with BuildFailed, whose
problems name files of the site; a run that succeeds shows every value as text and puts
nothing executable on any page.

The typed properties (issue 11) generate whole site.yaml, chronology.yaml and front matter
files with values of every YAML type. BuildFailed is exit 1 on the command line and success
exit 0; any other exception would be a traceback and fails the test. Every error must name a
file of the site and a line, and a build that succeeds must have had only values of the
right type: a number, a blank or a single text where text or a list is due is an error.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path, PurePosixPath

import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from karabakh_site.commands.build import BuildReport, prepare_site
from karabakh_site.render.data import CHRONOLOGY_CSV, CSV_NUMBER_FIELDS, FORMULA_STARTS
from karabakh_site.errors import BuildFailed
from karabakh_site.text.languages import canonical_language_tag
from karabakh_site.content.model import EVENT_KINDS, MAX_AREA_KM2

from conftest import options_for
from test_bad_input import DATA_SCRIPT_TYPES, unsafe_parts

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TYPED = settings(FAST, max_examples=40)
"""Whole files with every key: fewer examples, so the three typed properties stay near 15 s in CI."""

ARTICLE_PAGE = PurePosixPath("articles/one/index.html")

# --- Strategies -----------------------------------------------------------------------------

TRICKY = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "</h1>",
    '"><script>alert(1)</script>', "'", '"', "<", ">", "&", "&amp;", "&#60;", "{{ 7*7 }}", "{%", "%}",
    "{% if true %}X{% endif %}", "{#", "---", "\n---\n", "\n", "\r\n", "\r", "\t", "\x85", "\u2028",
    "\ufeff", "\u200b", "javascript:alert(1)", "]]>", "<!--", "-->", "\\", "*", "&a", "*a", "Shusha",
    "Shushi", "Qarabağ", "Карабах", "Արցախ", "قره باغ", "🕊️", " ",
]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"]

printable = st.characters(exclude_categories=["Cs", "Cc"], include_characters="\t\n\r")
"""Characters an editor types. Control characters are refused (see test_bad_input); they come
only from ``any_texts``, so that most examples get through to the pages."""

clean_texts = st.one_of(
    st.text(printable),
    st.lists(st.one_of(st.sampled_from(TRICKY), st.text(printable, max_size=4)), max_size=6).map("".join),
)
"""Text without control characters, and text assembled from markup and template syntax."""

any_texts = st.one_of(
    st.text(),
    st.lists(st.one_of(st.sampled_from(TRICKY + CONTROLS), st.text(max_size=4)), max_size=6).map("".join),
)
"""Any text at all, control characters included."""


@st.composite
def edtf_points(draw) -> str:
    year = f"{draw(st.integers(1000, 2999)):04d}"
    month = draw(st.none() | st.integers(1, 12))
    day = draw(st.none() | st.integers(1, 31)) if month else None
    text = year + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return text + draw(st.sampled_from(["", "", "~", "?", "%"]))


edtf_dates = st.one_of(edtf_points(), st.tuples(edtf_points(), edtf_points()).map("/".join))
"""Dates in the EDTF subset the archive accepts, some impossible (31 February) or reversed."""

dates = st.one_of(
    edtf_dates,
    st.one_of(
        st.sampled_from(["2023-02-30", "2023-13-01", "yesterday", "1995/1990", "199X", "2021-21", "1990/..",
                         "../1990", "{1990,1991}", "1990-1991", "", " 1994", "1994 ", "-1994", "Y170000002"]),
        st.text(max_size=12),
        st.integers(-10, 10_000),
        st.floats(allow_nan=True),
        st.booleans(),
        st.lists(st.integers(1900, 2000), max_size=2),
    ),
)
"""What an editor might put under ``date``: good EDTF, near misses, garbage and other YAML types."""

@st.composite
def front_matters(draw) -> dict:
    """Front matter with every text key; mostly clean text, and filled where the key is required."""
    texts = draw(st.sampled_from([clean_texts, clean_texts, clean_texts, any_texts]))
    filled = st.one_of(texts.filter(str.strip), texts.filter(str.strip), texts)
    front = {"title": draw(filled), "source": {"name": draw(filled)}}
    optional = {
        "summary": texts, "tags": st.lists(filled, max_size=3), "speakers": st.lists(filled, max_size=3),
        "date_note": texts, "date": dates,
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            front[key] = draw(strategy)
    if draw(st.booleans()):
        front["source"]["via"] = draw(texts)
    return front


URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java&#x09;script:alert(1)", "&#106;avascript:alert(1)", "javascript&colon;alert(1)", "%6Aavascript:x",
    "data:text/html;base64,PHNjcmlwdD4=", "DATA:image/svg+xml,<svg onload=alert(1)>", "vbscript:msgbox(1)",
    "file:///etc/passwd", "https://example.org/", "http://example.org/a?b=<c>&d='e'", "mailto:a@example.org",
    "one.md", "one.md#top", "#top", "?q=1", "", "<javascript:alert(1)>", "<one.md>", "//example.org/",
    "\x00javascript:alert(1)", "\x01javascript:alert(1)", "ja\u200bvascript:alert(1)",
]
urls = st.one_of(st.sampled_from(URLS), st.text(printable, max_size=15))
words = st.one_of(st.sampled_from(["Shusha", "Shushi", "SHUSHA", "shusha's", "Şuşa", "text", "x"]),
                  st.text(printable, max_size=10))
RAW_HTML = [
    "<script>alert(1)</script>", "<script src=x></script>", "<iframe src=x></iframe>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<a href=javascript:alert(1)>x</a>", "<div onclick=alert(1)>", "</div>",
    "<object data=x>", "<embed src=x>", "<base href=javascript:x>", "<meta http-equiv=refresh content=0;url=x>",
    "<style>*{}</style>", "<!-- comment -->", "<![CDATA[x]]>", "<details open ontoggle=alert(1)>",
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>", "<form action=javascript:alert(1)><button>",
]

fragments = st.one_of(
    words,
    st.sampled_from(RAW_HTML),
    st.builds(lambda level, text: "#" * level + " " + text, st.integers(1, 7), words),
    st.builds(lambda text, url: f"[{text}]({url})", words, urls),
    st.builds(lambda text, url: f"![{text}]({url})", words, urls),
    st.builds(lambda url: f"<{url}>", urls),
    st.builds(lambda label, url: f"[{label}]: {url}\n\n[x][{label}]", st.sampled_from(["r", "R", "1"]), urls),
    st.builds(lambda a, b: f"| {a} | b |\n| --- | --- |\n| {b} | Shusha |", words, words),
    st.builds(lambda label, note: f"Text[^{label}]\n\n[^{label}]: {note}", st.sampled_from(["1", "a", "x y"]), words),
    st.builds(lambda text: f"`{text}` and\n\n```\n{text}\n```", words),
    st.builds(lambda text: f"> {text}\n- {text}\n1. {text}", words),
    st.sampled_from(["---", "***", "\n", "&amp;", "&#0;", "&#x09;", "\\", "*", "_", "{{ 7*7 }}", "{% raw %}"]),
)
separators = st.sampled_from(["", " ", "\n", "\n\n"])
markdown_bodies = st.one_of(
    any_texts,
    st.text(printable),
    st.lists(st.tuples(fragments, separators), max_size=12).map(lambda parts: "".join(a + b for a, b in parts)),
)


# --- Running a site -------------------------------------------------------------------------

@pytest.fixture
def site_root(make_site) -> Path:
    """One tiny site per test; each example rewrites its article."""
    return make_site()


def prepare(root: Path, article: str) -> BuildReport | None:
    """Write ``article`` as articles/one.md and run every stage but writing (see ``outcome``)."""
    (root / "articles" / "one.md").write_text(article, encoding="utf-8", newline="")
    return outcome(root, lines_required=False)


def outcome(root: Path, lines_required: bool = True) -> BuildReport | None:
    """Run every stage but writing: the report (exit 0), or None after content errors (exit 1).

    Every problem must name a file of the site and, with ``lines_required``, its line. Any
    other exception propagates: a traceback fails the test.
    """
    try:
        report = prepare_site(options_for(root, root.parent / "unused"))
    except BuildFailed as failed:
        event("content errors")
        assert failed.errors
        for error in failed.errors:
            assert Path(error.path).resolve().is_relative_to(root.resolve()), error
            assert (error.line is None and not lines_required) or (error.line or 0) >= 1, error
        return None
    event("built")
    return report


def html_like_a_browser(text: str) -> str:
    """Text as an HTML parser hands it back: CR and CRLF become LF, NUL becomes U+FFFD."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def unsafe_parts_of_pages(report: BuildReport) -> dict[str, list[str]]:
    found = {}
    for path, data in report.files.items():
        if path.suffix != ".html":
            continue
        page = lxml.html.fromstring(data)
        if str(path) == "search/index.html":
            parts = unsafe_parts(page, DATA_SCRIPT_TYPES, theme_files=True)
        else:
            parts = unsafe_parts(page)
        if parts:
            found[str(path)] = parts
    return found


def assert_xml_is_well_formed(report: BuildReport) -> None:
    """Feeds and the sitemap parse as XML: no value broke out of its element or added a bad character."""
    for path, data in report.files.items():
        if path.suffix == ".xml":
            lxml.etree.fromstring(data)


# --- Properties -----------------------------------------------------------------------------

@FAST
@given(front=front_matters())
@example(front={"title": "{{ 7*7 }}", "source": {"name": "{% if true %}X{% endif %}"}, "tags": ["{{ 7*7 }}"]})
@example(front={"title": "<script>alert(1)</script>", "source": {"name": "<img src=x onerror=alert(1)>"},
                "summary": '"><svg onload=alert(1)>', "date": "2023-02-30"})
@example(front={"title": " \t", "source": {"name": "---"}, "date": 1994})
@example(front={"title": "<script>alert(1)</script>\x85<script>alert(1)</script>", "source": {"name": "0"}})
def test_any_front_matter_builds_safely_or_is_a_content_error(site_root, front):
    dumped = yaml.safe_dump(front, allow_unicode=True)
    report = prepare(site_root, "---\n" + dumped + "---\nBody about Shusha.\n")
    if report is None:
        return
    [model] = [article for article in report.linked.site.articles if article.slug == "one"]
    # As YAML reads it back: a raw NEL (U+0085) or U+2028 inside a quoted scalar folds into a space.
    assert model.title == yaml.safe_load(dumped)["title"].strip()
    page = lxml.html.fromstring(report.files[ARTICLE_PAGE])
    assert page.findtext(".//h1") == html_like_a_browser(model.title)
    tag_links = page.xpath("//ul[@class='tags']//a[@data-pagefind-filter='tag']")
    assert [link.text for link in tag_links] == [html_like_a_browser(tag) for tag in model.tags]
    if model.summary:
        [label] = page.xpath("//p[@class='summary']/span[@class='label']")
        assert label.tail == " " + html_like_a_browser(model.summary)
    assert unsafe_parts(page) == []
    assert unsafe_parts_of_pages(report) == {}
    assert_xml_is_well_formed(report)


@FAST
@given(body=markdown_bodies)
@example(body="[x](javascript:alert(1)) <script>alert(1)</script> ![y](data:text/html,x) {{ 7*7 }}")
@example(body="## Shusha\n\nShushi and [Shusha](https://example.org/) `Shusha`\n\n| a |\n| - |\n| Shusha |\n\n"
              "x[^1]\n\n[^1]: Shusha")
def test_any_markdown_body_builds_safely_or_is_a_content_error(site_root, body):
    """Dated, so that the body also goes into the feeds."""
    report = prepare(site_root, "---\ntitle: One\ndate: '2020'\nsource: {name: X}\n---\n" + body)
    if report is None:
        return
    page = lxml.html.fromstring(report.files[ARTICLE_PAGE])
    assert unsafe_parts(page) == []
    assert unsafe_parts_of_pages(report) == {}
    assert_xml_is_well_formed(report)


@FAST
@given(body=st.lists(st.tuples(fragments, separators), min_size=1, max_size=8)
       .map(lambda parts: "".join(a + b for a, b in parts)))
def test_template_syntax_in_bodies_is_never_evaluated(site_root, body):
    """Jinja syntax in a body or a title reaches the page as written."""
    marker = "{{ 7*7 }}{% if true %}X{% endif %}"
    front = yaml.safe_dump({"title": marker, "source": {"name": "X"}})
    article = "---\n" + front + "---\n" + body + "\n\n" + marker + "\n"
    report = prepare(site_root, article)
    if report is None:
        return
    page = lxml.html.fromstring(report.files[ARTICLE_PAGE])
    assert page.findtext(".//h1") == marker
    [prose] = page.find_class("prose")
    assert marker in prose.text_content()


# --- Typed files: site.yaml, chronology.yaml, front matter (issue 11) -------------------------

wrong_scalars = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.sampled_from(["", " ", "\t", "\n"]),
)
"""Scalars no text field takes: numbers (.nan and .inf among them), true/false, blanks."""
wrong_values = st.one_of(
    wrong_scalars,
    st.lists(st.text(printable, max_size=3), max_size=2),
    st.dictionaries(st.sampled_from(["a", "name"]), st.text(printable, max_size=3), max_size=2),
)
FORMULAS = ["=1+2", '=HYPERLINK("https://evil.example/", "x")', "-3000", "+7", "@SUM(A1)", "\t=1", "\r=1"]
"""Text a spreadsheet would run as a formula, for the CSV property."""
good_texts = st.one_of(st.text(printable, min_size=1, max_size=20), st.sampled_from(TRICKY + FORMULAS)).filter(str.strip)


def typed(good: st.SearchStrategy) -> st.SearchStrategy:
    """A good value seven times in eight, else one of the wrong type.

    Why so rarely wrong: a file has many keys, and enough examples must build to test
    that a build never succeeds with a wrong value.
    """
    return st.sampled_from([True] * 7 + [False]).flatmap(lambda good_one: good if good_one else wrong_values)


def listed(item: st.SearchStrategy) -> st.SearchStrategy:
    """A list of good items; sometimes a list with a wrong item, a single item instead of a list, or anything."""
    return st.sampled_from(["list"] * 5 + ["wrong item", "single", "wrong"]).flatmap(lambda kind: {
        "list": st.lists(item, max_size=3),
        "wrong item": st.lists(st.one_of(item, wrong_scalars), min_size=1, max_size=3),
        "single": item,
        "wrong": wrong_values,
    }[kind])


def is_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def is_optional_text(value) -> bool:
    return value is None or is_text(value)


def is_text_list(value) -> bool:
    return value is None or (isinstance(value, list) and all(is_text(item) for item in value))


def is_area(value) -> bool:
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)
                             and math.isfinite(value) and 0 <= value <= MAX_AREA_KM2)


def is_date(value) -> bool:
    """An EDTF text, or an unquoted year, which YAML reads as a number."""
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def is_language(value) -> bool:
    return value is None or (is_text(value) and canonical_language_tag(value.strip()) is not None)


def has_types(types: dict, value) -> bool:
    """A mapping whose every key is known and whose every value passes its check."""
    return isinstance(value, dict) and all(key in types and types[key](item) for key, item in value.items())


def ill_typed(types: dict, mapping: dict) -> list[str]:
    """The keys of ``mapping`` whose values are of the wrong type: none may remain after a build succeeds."""
    return [key for key, value in mapping.items() if key not in types or not types[key](value)]


REPOSITORY_TYPES = {"url": is_text, "branch": is_optional_text}
SITE_TYPES = {
    "title": is_text, "base_url": is_text, "description": is_optional_text, "language": is_language,
    "repository": lambda value: value is None or (has_types(REPOSITORY_TYPES, value) and "url" in value),
}
ALIAS_TYPES = {"name": is_text, "lang": is_language}


def is_alias_list(value) -> bool:
    """Names, or {name, lang} mappings (#12)."""
    return value is None or (isinstance(value, list) and all(
        is_text(item) or (has_types(ALIAS_TYPES, item) and "name" in item) for item in value))


TERRITORY_TYPES = {"id": is_text, "name": is_text, "aliases": is_alias_list, "area_km2": is_area,
                   "note": is_optional_text}
EVENT_TYPES = {"id": is_text, "date": is_date, "title": is_text, "kind": is_optional_text,
               "territories": is_text_list, "sources": is_text_list, "note": is_optional_text}
SOURCE_TYPES = {"name": is_optional_text, "via": is_optional_text, "url": is_optional_text, "note": is_optional_text}
EDIT_TYPES = {"from": is_text, "why": is_text, "to": lambda value: value is None or isinstance(value, str)}
ARTICLE_TYPES = {
    "title": is_text, "date": is_date, "date_note": is_optional_text, "original": is_optional_text,
    "speakers": is_text_list, "tags": is_text_list, "territories": is_text_list, "summary": is_optional_text,
    "source": lambda value: has_types(SOURCE_TYPES, value),
    "edits": lambda value: value is None or (isinstance(value, list)
                                             and all(has_types(EDIT_TYPES, edit) for edit in value)),
}

BASE_URLS = ["https://example.org/mini/", "http://example.org", "https://example.org/a b/", "example.org",
             "javascript:alert(1)", "//example.org/", "https://", "ftp://example.org/"]
LANGUAGES = ["en", "az", "hy-AM", "EN-gb", "az-Latn-AZ", "sr-Latn-RS-u-ca-gregory", "de-CH-1996", "es-419",
             "../../../tmp/x/evil", "a" * 300, "en_US", "\u212aa", "en-", "x-foo", "../en", "en/../en", "strings/en"]
languages = st.one_of(st.sampled_from(LANGUAGES[:8]), st.sampled_from(LANGUAGES), st.text("abcdeghilnrstuxzAEGHLSTU0123456789-_/.\u212a", max_size=14))

site_configs = st.fixed_dictionaries(
    {"title": typed(good_texts), "base_url": typed(st.sampled_from(BASE_URLS[:2] * 3 + BASE_URLS))},
    optional={
        "description": typed(good_texts),
        "language": typed(languages),
        "repository": typed(st.fixed_dictionaries({"url": typed(st.sampled_from(BASE_URLS))},
                                                  optional={"branch": typed(good_texts)})),
    },
)

TERRITORY_IDS = ["shusha", "lachin", "kalbajar"]
EXTREME_DATES = ["0001-01-01", "9999-12-31", "0001/9999", "0001", "9999-12", "0001-01-01~", "9999-12-30/9999-12-31",
                 "2020-00", "2020-01-00", "\u0662\u0660\u0662\u0660", "\uff12\uff10\uff12\uff10"]
areas = st.one_of(
    st.none(), st.integers(-5, 10**10), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.sampled_from([0, 289, 3054.5, 5e-324, 1e-9, MAX_AREA_KM2, MAX_AREA_KM2 + 1, 1e308, "289", ""]),
)
alias_mappings = st.fixed_dictionaries({"name": typed(good_texts)}, optional={"lang": typed(languages)})
territories = st.fixed_dictionaries(
    {"id": typed(st.sampled_from(TERRITORY_IDS * 3 + ["Bad Id", "../x"])), "name": typed(good_texts)},
    optional={"aliases": listed(st.one_of(good_texts, alias_mappings)), "area_km2": areas, "note": typed(good_texts)},
)
events = st.fixed_dictionaries(
    {
        "id": typed(st.sampled_from(["e1", "e2", "e3", "e4"])),
        "date": st.one_of(edtf_dates, st.sampled_from(EXTREME_DATES), dates),
        "title": typed(good_texts),
        "sources": listed(st.sampled_from(["one"] * 5 + ["ghost"])),
    },
    optional={
        "kind": typed(st.sampled_from([*EVENT_KINDS, "occupation", "return", "invasion"])),
        "territories": listed(st.sampled_from(TERRITORY_IDS)),
        "note": typed(good_texts),
    },
)
chronologies = st.fixed_dictionaries({}, optional={
    "territories": typed(st.lists(territories, max_size=3, unique_by=lambda t: repr(t["id"]))),
    "events": typed(st.lists(events, max_size=4, unique_by=lambda e: repr(e["id"]))),
})

sources = st.fixed_dictionaries({"name": typed(good_texts)}, optional={
    "via": typed(good_texts), "note": typed(good_texts), "url": typed(st.sampled_from(BASE_URLS[:2] * 3 + BASE_URLS)),
})
edits = typed(st.lists(st.fixed_dictionaries({"from": typed(good_texts), "why": typed(good_texts)},
                                             optional={"to": st.one_of(st.just(""), typed(good_texts))}),
                       max_size=2))
typed_front_matters = st.fixed_dictionaries(
    {"title": typed(good_texts), "source": typed(sources)},
    optional={
        "date": st.one_of(edtf_dates, st.sampled_from(EXTREME_DATES), dates), "date_note": typed(good_texts),
        "original": typed(st.sampled_from(["one.txt", "two.txt"])), "speakers": listed(good_texts),
        "tags": listed(good_texts), "territories": listed(st.just("shusha")), "summary": typed(good_texts),
        "edits": edits,
    },
)

PLAIN_ARTICLE = "---\ntitle: One\ndate: '2025-07-19'\nsource: {name: X}\n---\nBody about Shusha.\n"
"""An article naming no territory in its front matter, so that any chronology can be valid."""


def written(root: Path, name: str, value: dict) -> dict:
    """Write ``value`` as YAML into ``root/name`` and return it as YAML reads it back."""
    dumped = yaml.safe_dump(value, allow_unicode=True)
    (root / name).write_text(dumped, encoding="utf-8", newline="")
    return yaml.safe_load(dumped)


@TYPED
@given(config=site_configs)
@example(config={"title": "Mini", "base_url": "https://example.org/mini/", "language": "../../../tmp/x/evil"})
@example(config={"title": "Mini", "base_url": "https://example.org/mini/", "language": "a" * 300})
@example(config={"title": " ", "base_url": ""})
@example(config={"title": float("nan"), "base_url": "https://example.org/mini/", "language": "EN-gb"})
def test_any_site_yaml_builds_with_the_right_types_or_is_a_content_error(site_root, config):
    loaded = written(site_root, "site.yaml", config)
    report = outcome(site_root)
    if report is None:
        return
    assert ill_typed(SITE_TYPES, loaded) == []
    site = report.linked.site.config
    assert site.title == loaded["title"].strip()
    assert site.language == canonical_language_tag((loaded.get("language") or "en").strip())
    home = lxml.html.fromstring(report.files[PurePosixPath("index.html")])
    assert home.get("lang") == site.language


@TYPED
@given(chronology=chronologies)
@example(chronology={"territories": [{"id": "shusha", "name": "Shusha"}],
                     "events": [{"id": "e1", "date": "1992", "title": "T", "kind": "occupation",
                                 "territories": ["shusha"], "sources": ["one"]}]})
@example(chronology={"territories": [{"id": "shusha", "name": "Shusha", "area_km2": 289}],
                     "events": [{"id": "e1", "date": "0001-01-01", "title": "=1+2", "kind": "occupation",
                                 "territories": ["shusha"], "sources": ["one"], "note": "-3000"},
                                {"id": "e2", "date": "9999-12-31", "title": "@SUM(A1)", "kind": "return",
                                 "territories": ["shusha"], "sources": ["one"]}]})
@example(chronology={"territories": [{"id": "shusha", "name": "Shusha", "area_km2": 5e-324}],
                     "events": [{"id": "e1", "date": "2020", "title": "T", "kind": "occupation",
                                 "territories": ["shusha"], "sources": ["one"]}]})
@example(chronology={"events": [{"id": "e1", "date": "2020-01-00", "title": float("nan"), "sources": "one"}]})
def test_any_chronology_builds_with_the_right_types_or_is_a_content_error(site_root, chronology):
    (site_root / "articles" / "one.md").write_text(PLAIN_ARTICLE, encoding="utf-8")
    loaded = written(site_root, "chronology.yaml", chronology)
    report = outcome(site_root)
    if report is None:
        return
    assert ill_typed({"territories": lambda value: isinstance(value, list) or value is None,
                      "events": lambda value: isinstance(value, list) or value is None}, loaded) == []
    for territory in loaded.get("territories") or []:
        assert ill_typed(TERRITORY_TYPES, territory) == []
    for item in loaded.get("events") or []:
        assert ill_typed(EVENT_TYPES, item) == []
    site = report.linked.site
    assert [t.area_km2 for t in site.territories] == [t.get("area_km2") for t in loaded.get("territories") or []]
    assert len(site.events) == len(loaded.get("events") or [])
    assert_csv_runs_no_formula(report)
    assert unsafe_parts_of_pages(report) == {}


def assert_csv_runs_no_formula(report: BuildReport) -> None:
    """No text cell of chronology.csv starts as a spreadsheet formula."""
    rows = list(csv.DictReader(report.files[CHRONOLOGY_CSV].decode("utf-8").splitlines(keepends=True)))
    for row in rows:
        for name, cell in row.items():
            assert name in CSV_NUMBER_FIELDS or not cell.startswith(FORMULA_STARTS), (name, cell)


@TYPED
@given(front=typed_front_matters)
@example(front={"title": "One", "source": {"name": "X"}, "tags": "war"})
@example(front={"title": 0, "source": 0, "original": []})
@example(front={"title": "One", "source": {"name": "X"}, "original": "", "speakers": [float("nan")]})
@example(front={"title": 1994, "source": {"name": True}, "date": "\u0662\u0660\u0662\u0660"})
@example(front={"title": "One", "source": {"name": "X"}, "date": "9999-12-31", "territories": ["shusha"]})
def test_any_front_matter_has_the_right_types_or_is_a_content_error(site_root, front):
    (site_root / "sources").mkdir(exist_ok=True)
    (site_root / "sources" / "one.txt").write_text("Body about Shusha.\n", encoding="utf-8")
    dumped = yaml.safe_dump(front, allow_unicode=True)
    report = prepare(site_root, "---\n" + dumped + "---\nBody about Shusha.\n")
    if report is None:
        return
    loaded = yaml.safe_load(dumped)
    assert ill_typed(ARTICLE_TYPES, loaded) == []
    [article] = [article for article in report.linked.site.articles if article.slug == "one"]
    assert article.title == loaded["title"].strip()
    assert article.tags == tuple(tag.strip() for tag in loaded.get("tags") or [])
    assert article.speakers == tuple(speaker.strip() for speaker in loaded.get("speakers") or [])
