"""markdown-it-pyrs renders bodies byte-identically to markdown-it-py, the reference (#13).

Every body is rendered twice, ``fast=True`` (pyrs' tree, where fast_markdown accepts it) and
``fast=False`` (markdown-it-py only), with and without territory mentions, and the whole
RenderedBody is compared: HTML bytes, headings, links, mentions with lines and sentences,
paragraphs and the ``not_mentions`` phrases seen. Bodies: the shipped content, the fixture
site, tricky inputs, a generated 300-document corpus and seeded random documents.
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from karabakh_site.text.fast_checks import may_parse
from karabakh_site.text.fast_markdown import render_tree
from karabakh_site.text.markdown import _tree_settings, create_fast_parser, render_markdown
from karabakh_site.text.mentions import MentionSettings, NameMatcher

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
GENERATED_DOCS = 300


def split_body(path: Path) -> tuple[str, int]:
    """The Markdown body of a content file and the line it starts on."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5 if text.startswith("---\n") else 0
    return text[end:], text[:end].count("\n") + 1


def matcher_of(chronology: Path) -> NameMatcher | None:
    """Territory and place names and ``not_mentions`` phrases, read from a chronology as link.py reads them."""
    data = yaml.safe_load(chronology.read_text(encoding="utf-8"))
    name = lambda alias: alias if isinstance(alias, str) else alias["name"]  # noqa: E731
    territories = {name(alias): item["id"] for item in data.get("territories") or []
                   for alias in (item["name"], *item.get("aliases", []))}
    places = {name(alias): (item["id"], item["in"]) for item in data.get("places") or []
              for alias in (item["name"], *item.get("aliases", []))}
    phrases = tuple(entry["phrase"] for entry in data.get("not_mentions") or [])
    return NameMatcher.from_names(territories, places, phrases)


def rewrite(url: str) -> str:
    return url.replace(".md", "/index.html")


def href(territory_id: str) -> str:
    return f"../../territories/{territory_id}/index.html"


def is_fast(body: str, first_line: int = 1, matcher: NameMatcher | None = None) -> bool:
    """Whether the body goes through markdown-it-pyrs (else the equality is the reference's own)."""
    mentions = MentionSettings(matcher, href, first_line) if matcher else None
    return render_tree(create_fast_parser(), _tree_settings(), body, first_line, rewrite, mentions) is not None


def assert_identical(body: str, first_line: int, matcher: NameMatcher | None) -> None:
    for names in (matcher, None):
        fast = render_markdown(body, first_line, rewrite, names, href, fast=True)
        reference = render_markdown(body, first_line, rewrite, names, href, fast=False)
        assert fast.html == reference.html
        assert fast == reference


def content_bodies(root: Path) -> list[tuple[str, str, int]]:
    return [(str(path.relative_to(root)), *split_body(path))
            for folder in ("articles", "pages") for path in sorted((root / folder).glob("*.md"))]


SHIPPED = PROJECT / "content"
FIXTURE = TESTS / "fixtures" / "site"


@pytest.mark.parametrize("root", [SHIPPED, FIXTURE], ids=["shipped", "fixture"])
def test_shipped_and_fixture_bodies_render_identically_and_all_fast(root):
    bodies = content_bodies(root)
    matcher = matcher_of(root / "chronology.yaml")
    assert len(bodies) >= 4
    for name, body, first_line in bodies:
        assert is_fast(body, first_line, matcher), name
        assert_identical(body, first_line, matcher)


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """The benchmark corpus: ``benchmarks/generate.py --docs 300`` (its bodies are all that is used)."""
    out = tmp_path_factory.mktemp("eq-corpus") / "site"
    result = subprocess.run([sys.executable, str(PROJECT / "benchmarks" / "generate.py"), "--docs",
                             str(GENERATED_DOCS), "--out", str(out), "--force"], capture_output=True, text=True)
    assert len(list((out / "articles").glob("*.md"))) == GENERATED_DOCS, result.stderr
    return out


def test_generated_corpus_renders_identically_and_all_fast(generated):
    bodies = content_bodies(generated)
    matcher = matcher_of(generated / "chronology.yaml")
    assert len(bodies) > GENERATED_DOCS
    for name, body, first_line in bodies:
        assert is_fast(body, first_line, matcher), name
        assert_identical(body, first_line, matcher)


MATCHER = NameMatcher.from_names(
    {"Kalbajar": "kalbajar", "Kəlbəcər": "kalbajar", "Shusha": "shusha", "Şuşa": "shusha", "Fuzuli": "fizuli",
     "Nagorno-Karabakh": "nagorno-karabakh", "Nagorno Karabakh": "nagorno-karabakh", "a": "a", "a b": "a-b"},
    {"Khankendi": ("khankendi", "nagorno-karabakh"), "Stepanakert": ("khankendi", "nagorno-karabakh")},
    ("Shusha Global Media Forum",))

# (id, body, goes through pyrs): what each covers is in its id.
TRICKY = [
    ("raw-html-escaped", '<script>alert(1)</script>\n\n<div>\nKalbajar\n</div>\n\n<b onclick="x()">Shusha</b> <!-- c -->\n', True),
    ("unsafe-links-stay-text", "[x](javascript:alert(1)) ![y](data:image/png;base64,AA) [z](ftp://h/) Shusha\n", False),
    ("unsafe-reference", "[x][r] in Kalbajar\n\n[r]: vbscript:x\n", True),  # both read the definition as text
    ("reference-to-other-scheme", "[x][r] in Kalbajar\n\n[r]: ftp://example.org/\n", False),
    ("unsafe-autolink", "<javascript:alert(1)> and <file:///etc/passwd> near Fuzuli\n", True),
    ("safe-links", "[a](https://example.org/a_b?c=d&e=f \"T\") <https://example.org/x> <mail@example.org> "
                   "[m](mailto:a@b.org) [r](../pages/about.md#top) ![i](img.png 'alt')\n", True),
    ("punycode-host", "[a](http://ÿ.com/ä) in Shusha\n", False),
    ("link-open-at-the-end", "[r]: /x\n\nShusha [r](\n", False),
    ("failed-link-then-label", "[r]: /x\n\n[a](#]\n][r] Shusha\n", False),
    ("nested-reference-label", "[r]: /x\n\n[a][b [c] Shusha\n", False),
    ("nested-emphasis", "***Kalbajar*** **Shusha *Fuzuli* x** *a **b** c* **a*b*c** x*Kalbajar*y Kal*ba*jar\n", True),
    ("underscores-in-words", "**snake_case** and Kal_ba_jar with *stars*, 5 * 3\n\n_Shusha_ in __another__ block\n", True),
    ("mixed-emphasis-marks", "*a**a_.a**a*_Shusha_\n", False),
    ("mentions-in-links-headings-code", "## Kalbajar and Shusha\n\n[Kalbajar](x.md) `Shusha` **Khankendi**\n"
                                        "Kalbajar, then Shusha.\n\n### Fuzuli\n\nFuzuli, Fuzuli.\n", True),
    ("not-mentions-across-emphasis", "The *Shusha Global*\nMedia Forum met in Stepanakert, then Shusha.\n", True),
    ("multiword-names", "Nagorno Karabakh,\nNagorno\nKarabakh and Nagorno-Karabakh; a b, a  b, ab, a.\n", True),
    ("entities-and-escapes", "Kalbajar&amp;Shusha &copy; &#123; &#x1F600; &foo; \\*Fuzuli\\* \\q a\\\nb\n", True),
    ("footnotes", "Text[^1] about Kalbajar[^note] and again[^1].\n\n[^1]: A note on Shusha.\n\n"
                  "[^note]: Second, with [a link](https://example.org) and Fuzuli.\n\n    More of it.\n\n"
                  "After the notes, Kalbajar.\n", True),
    ("footnote-heading-order", "## One\n\nShusha[^a].\n\n[^a]: Note on Shusha.\n\n## Two\n\nShusha.\n", True),
    ("unused-footnote", "Text.\n\n[^x]: Never used, Shusha.\n", False),
    ("inline-footnote", "Text^[inline note on Shusha].\n", False),
    ("tables", "Intro.\n\n| Territory | km² |\n|:--|--:|\n| Kalbajar | 3,054 |\n| **Shusha** [x](a.md) | `289` |\n"
               "| only one |\n\nAfter.\n", True),
    ("table-escaped-pipe", "| a \\| b | c |\n|---|---|\n| Shusha | x |\n", False),
    ("table-after-paragraph", "Text\n| a |\n|---|\n| b |\n", False),
    ("lists", "- Kalbajar\n- Shusha\n  continued\n  - nested Fuzuli\n- ***\n\n1. loose\n\n2. list\n\n"
              "3) other\n\n- [ ] task\n-\n  late\n", True),
    ("quotes-and-code", "> Quote on Shusha\n> > nested\n\n```py\ncode `Kalbajar`\n```\n\n    indented Fuzuli\n\n"
                        "~~~\nunclosed fence at the end\n", True),
    ("lazy-list-in-quote", "> a quote\n2) lazy\n", False),
    ("headings", "# Title\n\n## Shusha ##\n\nSetext Kalbajar\n---\n\n## Shusha ##\n\n#### `code` & *em*\n\n"
                 "##### five\n\n## main\n\n## p-1\n", True),
    ("unclosed-backtick-in-label", "[`x and Shusha\n", False),
    ("carriage-returns", "Shusha\r\nKalbajar\r\n", False),
    ("hard-breaks-and-images", "Shusha  \nKalbajar\\\n![Fuzuli *x* `y`](f.png) ![](e.png)\n", True),
]


@pytest.mark.parametrize("body, goes_fast", [(body, fast) for _, body, fast in TRICKY], ids=[n for n, _, _ in TRICKY])
def test_tricky_bodies_render_identically(body, goes_fast):
    assert is_fast(body, 5, MATCHER) is goes_fast
    assert_identical(body, 5, MATCHER)


FRAGMENTS = ["Kalbajar", "Şuşa", "Shusha", "word", " ", "  ", "*", "**", "_", "__", "[", "]", "(", ")", "<", ">", "&",
             "&amp;", "&copy;", "&#123;", "&foo;", "\\", "\\*", "!", "|", "a b", "[link](https://example.org)",
             "[l](<a b> \"t\")", "![img *a*](p.png)", "<https://a.org/x?y=1&z>", "<a@b.co>", "[^1]", "[^n]",
             "[^missing]", "<b>raw</b>", "`code`", "[ref]", "[text][ref]", "*em*", "**strong**", "***both***",
             "ü", "\t", "Nagorno-Karabakh", "Shusha Global Media Forum", "x:y", "[](e)", "-", "#", "=", "\n"]


def random_body(rng: random.Random, depth: int = 0) -> str:
    """A document of random blocks made of Markdown-active fragments (the fuzzing that found the refusals)."""
    def inline(count: int) -> str:
        return "".join(rng.choice(FRAGMENTS) for _ in range(count))

    def block(level: int) -> str:
        kind = rng.choice(["para", "para", "atx", "setext", "list", "quote", "code", "fence", "hr", "table", "note", "ref"]
                          if level < 2 else ["para", "atx", "setext"])
        if kind == "para":
            return inline(rng.randint(1, 8))
        if kind == "atx":
            return "#" * rng.randint(1, 6) + " " + inline(3) + rng.choice(["", " ##"])
        if kind == "setext":
            return inline(3) + "\n" + rng.choice(["===", "---"])
        if kind == "list":
            marker = rng.choice(["-", "*", "1.", "2)"])
            items = [marker + " " + block(level + 1).replace("\n", "\n" + " " * (len(marker) + 1)) for _ in range(3)]
            return rng.choice(["\n", "\n\n"]).join(items)
        if kind == "quote":
            return "\n".join("> " + line for line in block(level + 1).split("\n"))
        if kind == "code":
            return "    " + inline(3)
        if kind == "fence":
            return "```" + rng.choice(["", "py"]) + "\n" + inline(3) + "\n```"
        if kind == "hr":
            return rng.choice(["---", "***"])
        if kind == "table":
            cells = lambda: "| " + " | ".join(inline(2).replace("\n", " ") for _ in range(2)) + " |"  # noqa: E731
            return "\n".join([cells(), rng.choice(["|---|---|", "|:--|--:|"]), cells(), cells()])
        if kind == "note":
            return f"[^{rng.choice(['1', 'n'])}]: " + inline(4)
        return f"[ref]: {rng.choice(['https://r.org', '/local', 'javascript:x'])}"

    return "\n\n".join(block(depth) for _ in range(rng.randint(1, 6))) + "\n"


def test_random_documents_render_identically():
    fast = 0
    for seed in range(400):
        body = random_body(random.Random(seed))
        fast += is_fast(body, 3, MATCHER)
        assert_identical(body, 3, MATCHER)
    assert fast >= 100  # enough of them go through pyrs for the comparison to mean something


def test_refusals_are_cheap_text_checks():
    assert not may_parse("Text^[inline note].")
    assert not may_parse("[`x")
    assert not may_parse("a `b\nc` d")  # a code span over two lines: kept from pyrs
    assert not may_parse("a\r\nb")
    assert not may_parse("*a_ and _b*")
    assert not may_parse("[a](\n")
    assert may_parse("`one` and ``two ` two`` and [`code`](x)")
    assert may_parse("```\nunclosed ` in code\n```\n\n*stars* then\n\n_underscores_ apart")


class PanicException(BaseException):
    """Stands for pyo3's PanicException, which derives from BaseException only."""


class PanickingParser:
    def __init__(self, error: BaseException) -> None:
        self.error = error

    def tree(self, text: str):
        raise self.error


def test_a_rust_panic_falls_back_and_other_interrupts_propagate():
    assert render_tree(PanickingParser(PanicException("index out of bounds")), _tree_settings(), "x", 1, None, None) is None
    with pytest.raises(KeyboardInterrupt):
        render_tree(PanickingParser(KeyboardInterrupt()), _tree_settings(), "x", 1, None, None)


def test_pyrs_is_faster_on_the_generated_corpus(generated, capsys):
    """Time both paths on the generated bodies, interleaved, best of three; print ms per body."""
    bodies = content_bodies(generated)[:GENERATED_DOCS]
    matcher = matcher_of(generated / "chronology.yaml")
    best = {True: float("inf"), False: float("inf")}
    for _round in range(3):
        for fast in (False, True):
            start = time.perf_counter()
            for _name, body, first_line in bodies:
                render_markdown(body, first_line, rewrite, matcher, href, fast=fast)
            best[fast] = min(best[fast], time.perf_counter() - start)
    reference, pyrs = (best[fast] * 1000 / len(bodies) for fast in (False, True))
    with capsys.disabled():
        print(f"\nMarkdown, {len(bodies)} generated bodies: markdown-it-py {reference:.2f} ms/body, "
              f"markdown-it-pyrs {pyrs:.2f} ms/body, {reference / pyrs:.1f}x")
    assert pyrs < reference
