"""Property tests: whatever an editor writes, the build either succeeds safely or lists content errors.

Front matter values and Markdown bodies are generated (arbitrary text, markup and template
syntax, garbage dates, unsafe links), written into a tiny site and run through
``prepare_site`` (every stage but writing). A run may fail only with BuildFailed, whose
problems name files of the site; a run that succeeds shows every value as text and puts
nothing executable on any page.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import lxml.etree
import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from karabakh_site.build import BuildReport, prepare_site
from karabakh_site.errors import BuildFailed

from conftest import options_for
from test_bad_input import DATA_SCRIPT_TYPES, unsafe_parts

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

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
    """Write ``article`` as articles/one.md and run every stage but writing.

    Return the report, or None when the build stopped with content errors; then every
    problem must name a file of the site and a sensible line.
    """
    (root / "articles" / "one.md").write_text(article, encoding="utf-8", newline="")
    try:
        report = prepare_site(options_for(root, root.parent / "unused"))
    except BuildFailed as failed:
        event("content errors")
        assert failed.errors
        for error in failed.errors:
            assert Path(error.path).resolve().is_relative_to(root.resolve()), error
            assert error.line is None or error.line >= 1, error
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
    [model] = report.linked.site.articles
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
