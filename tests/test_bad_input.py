"""Bad input: each kind is refused with its file and line, or made harmless, and build/ stays as it was.

Every refused case builds into an output folder that already holds a good build and
checks that the folder is byte-for-byte unchanged afterwards. Cases that are not errors
(raw HTML, javascript: links, payloads in titles) must build, and the pages are parsed
to prove that nothing executable reaches them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import multiprocessing
import re
import shutil
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import lxml.html
import pytest
import yaml

from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed

from conftest import MINIMAL_SITE, options_for, write_site

ARTICLE = "---\ntitle: One\nsource: {name: X}\n"
"""The head of a valid article; a case adds keys (from line 4) and the closing fence."""

MINIMAL_CHRONOLOGY = textwrap.dedent(MINIMAL_SITE["chronology.yaml"])
"""The minimal site's chronology, which cases edit line by line."""

ANCHOR_MESSAGE = ("YAML anchors and aliases (&name, *name) are not allowed in content: write the value out "
                  "(aliases can expand a small file into a huge one)")


def article(extra: str = "", body: str = "Body.\n") -> str:
    """A valid article with ``extra`` front matter lines (starting at line 4) and ``body``."""
    return ARTICLE + extra + "---\n" + body


def chronology(old: str, new: str) -> str:
    """The minimal chronology with one line's text replaced."""
    assert old in MINIMAL_CHRONOLOGY
    return MINIMAL_CHRONOLOGY.replace(old, new, 1)


def site_yaml(extra: str) -> str:
    """The minimal site.yaml (title on line 1, base_url on line 2) with ``extra`` lines from line 3."""
    return "title: Mini\nbase_url: https://example.org/mini/\n" + extra


def shown(errors, root: Path) -> list[str]:
    """Problems as text, with the site folder shown as 'SITE'."""
    return [str(error).replace(str(root), "SITE").replace(root.name, "SITE") for error in errors]


# --- The previous output --------------------------------------------------------------------

def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, by POSIX path."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*")) if path.is_file()
    }


@dataclass
class PreviousBuild:
    """An output folder holding a good build, and the hashes to prove it unchanged."""

    out: Path
    hashes: dict[str, str]

    def assert_untouched(self) -> None:
        assert digest(self.out) == self.hashes
        # No staging or retired folder is left beside it either.
        assert [path.name for path in self.out.parent.iterdir()] == [self.out.name]


@pytest.fixture(scope="session")
def good_build(tmp_path_factory) -> Path:
    """The minimal site built once; each test gets a copy as its previous output."""
    root = write_site(tmp_path_factory.mktemp("good") / "content", {})
    out = root.parent / "build"
    build(options_for(root, out))
    return out


@pytest.fixture
def previous(tmp_path, good_build) -> PreviousBuild:
    out = tmp_path / "publish" / "build"
    shutil.copytree(good_build, out)
    hashes = digest(out)
    assert len(hashes) > 10 and "articles/one/index.html" in hashes
    return PreviousBuild(out, hashes)


def refused(root: Path, previous: PreviousBuild) -> list[str]:
    """Build ``root`` over the previous output; expect BuildFailed and an untouched output."""
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, previous.out))
    previous.assert_untouched()
    return shown(caught.value.errors, root)


def built_page(root: Path, out: Path, path: str = "articles/one/index.html"):
    """Build ``root`` into ``out`` and parse one of its pages."""
    build(options_for(root, out))
    return lxml.html.fromstring((out / path).read_bytes())


# --- What "nothing executable" means --------------------------------------------------------

URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "srcset",
    "cite", "longdesc", "ping", "manifest", "usemap",
})
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\x9f]+")


def _is_allowed_script(element, data_types: tuple[str, ...], theme_files: bool) -> bool:
    """A JSON data block whose text parses (so no value closed it early), or a theme file under static/."""
    src = element.get("src")
    if src is None:
        if element.get("type") not in data_types:
            return False
        try:
            json.loads(element.text or "")
        except ValueError:
            return False
        return True
    return theme_files and re.fullmatch(r"(\.\./)*static/[a-z0-9.-]+\.js", src) is not None \
        and not (element.text or "").strip()


def unsafe_parts(document, data_types: tuple[str, ...] = ("application/ld+json",),
                 theme_files: bool = False) -> list[str]:
    """Describe every executable thing in a parsed page: scripts, frames, on* handlers, unsafe URLs.

    Scripts are allowed only as JSON data blocks of the ``data_types`` and, with
    ``theme_files`` (the search page), the theme's own script files.
    """
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and not _is_allowed_script(element, data_types, theme_files):
            found.append(f"<script> {lxml.html.tostring(element)[:80]!r}")
        if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "base"):
            found.append(f"<{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag} {name}=...>")
            cleaned = _IGNORED_IN_SCHEME.sub("", value).lower()
            if name.lower() in URL_ATTRIBUTES and cleaned.startswith(UNSAFE_SCHEMES):
                found.append(f"<{tag} {name}={value!r}>")
    return found


def unsafe_parts_of_site(out: Path) -> dict[str, list[str]]:
    """unsafe_parts of every HTML page under ``out``, keeping only pages with findings."""
    found = {}
    for path in sorted(out.rglob("*.html")):
        if path.relative_to(out).as_posix() == "search/index.html":
            parts = unsafe_parts(lxml.html.fromstring(path.read_bytes()), DATA_SCRIPT_TYPES, theme_files=True)
        else:
            parts = unsafe_parts(lxml.html.fromstring(path.read_bytes()))
        if parts:
            found[path.relative_to(out).as_posix()] = parts
    return found


def text_nodes(element) -> set[str]:
    """Every text and tail under ``element``, stripped: what a reader sees, piece by piece."""
    nodes = set()
    for node in element.iter():
        for text in (node.text if isinstance(node.tag, str) else None, node.tail):
            if text and text.strip():
                nodes.add(text.strip())
    return nodes


def test_the_checker_sees_what_it_must():
    page = lxml.html.fromstring(
        '<html><head><script type="application/ld+json">{"a": 1}</script></head><body>'
        '<script>x()</script><img src=x onerror=alert(1)><a href=" JaVa\tScRiPt:alert(1)">x</a>'
        '<iframe src="https://x"></iframe><a href="data:text/html,x">d</a><script type="application/ld+json">'
        '{"broken": "</script><p>after</p></body></html>'
    )
    assert unsafe_parts(page) == [
        "<script> b'<script>x()</script>'",
        "<img onerror=...>",
        "<a href=' JaVa\\tScRiPt:alert(1)'>",
        "<iframe>",
        "<a href='data:text/html,x'>",
        """<script> b'<script type="application/ld+json">{"broken": "</script>'""",
    ]


# --- Refused files: file and line, nothing written ------------------------------------------

BILLION_LAUGHS = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)
"""Nine anchors, each a list of nine aliases of the previous one: 9**9 strings once expanded."""

REFUSED = {
    # The file itself.
    "malformed-yaml": (
        {"articles/one.md": "---\ntitle: [unclosed\nsource: {name: X}\n---\nBody\n"},
        ["SITE/articles/one.md:3:7: invalid YAML: did not find expected ',' or ']' "
         "(a list written in brackets must end with ']' on the line where it starts, items separated by commas)"],
    ),
    "unclosed-front-matter": (
        {"articles/one.md": ARTICLE + "Body without a closing fence\n"},
        ["SITE/articles/one.md:1:1: unclosed front matter: no closing '---' line "
         "(end the front matter with a line of three hyphens '---' before the text)"],
    ),
    # The usual YAML mistakes: file:line:column and a hint in an editor's words (#14).
    "tab-indentation": (
        {"articles/one.md": "---\ntitle: One\nsource:\n\tname: X\n---\n"},
        ["SITE/articles/one.md:4:1: invalid YAML: found character that cannot start any token "
         "(tabs are not allowed for indentation in YAML; use spaces)"],
    ),
    "tab-after-spaces": (
        {"articles/one.md": "---\ntitle: One\nsource:\n  name: X\n\t via: Y\n---\n"},
        ["SITE/articles/one.md:5:1: invalid YAML: found a tab character that violates indentation "
         "(tabs are not allowed for indentation in YAML; use spaces)"],
    ),
    "key-indented-between-two-mappings": (
        {"articles/one.md": "---\ntitle: One\nsource:\n    name: X\n  via: Y\n---\n"},
        ["SITE/articles/one.md:5:3: invalid YAML: did not find expected key (wrong indentation: the keys of one "
         "mapping must start in the same column, and the keys of a mapping inside another further right than "
         "its key; indent with spaces)"],
    ),
    "key-indented-under-a-text": (
        {"articles/one.md": "---\ntitle: One\n  source: {name: X}\n---\n"},
        ["SITE/articles/one.md:3:9: invalid YAML: mapping values are not allowed in this context (this line is "
         "indented more than the key above it; keys of one mapping start in the same column)"],
    ),
    "colon-in-unquoted-value": (
        {"articles/one.md": "---\ntitle: Shusha: the return\nsource: {name: X}\n---\n"},
        ["SITE/articles/one.md:2:14: invalid YAML: mapping values are not allowed in this context "
         "(a value that contains ': ' must be quoted, e.g. title: \"Shusha: the return\")"],
    ),
    "unclosed-quote-at-the-end": (
        {"chronology.yaml": "territories:\n  - id: shusha\n    name: 'Shusha\n"},
        ["SITE/chronology.yaml:3:11: invalid YAML: found unexpected end of stream "
         "(this quote is never closed: end the value with the same quote mark on this line)"],
    ),
    "unclosed-quote-closed-lines-later": (
        {"articles/one.md": article('summary: "An unclosed quote\ndate: "2020"\n')},
        ["SITE/articles/one.md:5:8: invalid YAML: did not find expected key "
         "(the quote opened on line 4 is not closed on that line; close it there)"],
    ),
    "unclosed-flow-mapping": (
        {"articles/one.md": "---\ntitle: One\nsource: {name: X\n---\n"},
        ["SITE/articles/one.md:4:1: invalid YAML: did not find expected ',' or '}' "
         "(a mapping written in braces must end with '}', entries separated by commas)"],
    ),
    "front-matter-is-a-list": (
        {"articles/one.md": "---\n- title\n- One\n---\nBody\n"},
        ["SITE/articles/one.md:1: expected a YAML mapping of keys to values, found a list"],
    ),
    "front-matter-is-a-scalar": (
        {"articles/one.md": "---\njust a sentence\n---\nBody\n"},
        ["SITE/articles/one.md:1: expected a YAML mapping of keys to values, found a str"],
    ),
    "front-matter-is-empty": (
        {"articles/one.md": "---\n---\nBody\n"},
        ["SITE/articles/one.md:1: expected a YAML mapping of keys to values, found empty"],
    ),
    "empty-file": (
        {"articles/one.md": b""},
        ["SITE/articles/one.md: empty file; expected front matter between '---' lines, then Markdown"],
    ),
    "whitespace-only-file": (
        {"pages/about.md": b" \n\t\n"},
        ["SITE/pages/about.md: empty file; expected front matter between '---' lines, then Markdown"],
    ),
    "not-utf8": (
        {"articles/one.md": b"---\ntitle: One\nsource: {name: X}\nsummary: caf\xe9\n---\n"},
        ["SITE/articles/one.md:4: not UTF-8 text: byte 0xe9 cannot be decoded; save the file as UTF-8"],
    ),
    "utf16-chronology": (
        {"chronology.yaml": MINIMAL_CHRONOLOGY.encode("utf-16")},
        ["SITE/chronology.yaml:1: not UTF-8 text: byte 0xff cannot be decoded; save the file as UTF-8"],
    ),
    "nul-byte": (
        {"articles/one.md": article(body="Body\nx\x00y\n").encode()},
        ["SITE/articles/one.md:6: NUL byte in text; the file is probably binary or corrupted"],
    ),
    "form-feed-in-body": (
        {"articles/one.md": article(body="Page one\x0cpage two\n")},
        ["SITE/articles/one.md:5: control character U+000C in text (e.g. a form feed pasted from a PDF); remove it"],
    ),
    "escape-sequence-in-yaml-title": (
        {"articles/one.md": '---\ntitle: "One \\x01"\nsource: {name: X}\ntags: ["a\\x1b", "b\\0"]\n---\n'},
        ["SITE/articles/one.md:2:8: 'title' contains the control character U+0001; remove it",
         "SITE/articles/one.md:4:7: 'tags' contains the control character U+0000; remove it",
         "SITE/articles/one.md:4:7: 'tags' contains the control character U+001B; remove it"],
    ),
    "escape-sequence-in-chronology": (
        {"chronology.yaml": chronology("    name: Shusha\n", '    name: "Shu\\asha"\n')},
        ["SITE/chronology.yaml:3:11: 'name' contains the control character U+0007; remove it"],
    ),
    "too-large": (
        {"articles/one.md": article(body="x" * (2 * 1024 * 1024 - len(article(body="")) + 1))},
        ["SITE/articles/one.md: file is 2,097,153 bytes; the limit is 2,097,152"],
    ),
    # YAML that would construct objects or expand.
    "python-object-apply-in-front-matter": (
        {"articles/one.md": article('summary: !!python/object/apply:os.system ["echo pwned"]\n')},
        ["SITE/articles/one.md:4:10: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/apply:os.system'"],
    ),
    "python-name-in-front-matter": (
        {"articles/one.md": article("summary: !!python/name:os.system\n")},
        ["SITE/articles/one.md:4:10: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/name:os.system'"],
    ),
    "python-object-apply-in-chronology": (
        {"chronology.yaml": chronology("    area_km2: 289\n",
                                       '    area_km2: !!python/object/apply:os.system ["echo pwned"]\n')},
        ["SITE/chronology.yaml:5:15: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/apply:os.system'"],
    ),
    "python-name-in-chronology": (
        {"chronology.yaml": chronology("    kind: occupation\n", "    kind: !!python/name:os.system\n")},
        ["SITE/chronology.yaml:10:11: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/name:os.system'"],
    ),
    "python-tag-in-site-yaml": (
        {"site.yaml": "title: !!python/object/new:os.system [echo]\nbase_url: https://example.org/\n"},
        ["SITE/site.yaml:1:8: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/new:os.system'"],
    ),
    "yaml-alias": (
        {"articles/one.md": article("tags: &t [Occupation]\nspeakers: *t\n")},
        [f"SITE/articles/one.md:4: {ANCHOR_MESSAGE}"],
    ),
    # Dates.
    "impossible-day": (
        {"articles/one.md": article("date: 2023-02-30\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF"],
    ),
    "impossible-month": (
        {"articles/one.md": article("date: '2023-13-01'\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '2023-13-01': not a real date or not EDTF"],
    ),
    "word-as-date": (
        {"articles/one.md": article("date: yesterday\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date 'yesterday': not a real date or not EDTF"],
    ),
    "reversed-range": (
        {"articles/one.md": article("date: 1995/1990\n")},
        ["SITE/articles/one.md:4:7: date range '1995/1990' ends before it starts"],
    ),
    "list-as-date": (
        {"articles/one.md": article("date: [1994, 1995]\n")},
        ["SITE/articles/one.md:4:7: date must be a quoted EDTF string such as '2025-07-19', not list [1994, 1995]"],
    ),
    "float-as-date": (
        {"articles/one.md": article("date: 1994.5\n")},
        ["SITE/articles/one.md:4:7: date must be a quoted EDTF string such as '2025-07-19', not float 1994.5"],
    ),
    "impossible-event-date": (
        {"chronology.yaml": chronology('    date: "1992-05-08"\n', '    date: "1992-02-30"\n')},
        ["SITE/chronology.yaml:8:11: invalid EDTF date '1992-02-30': not a real date or not EDTF"],
    ),
    # Issue 11: day 00 was shown as "0 January 2020", month 00 as "December 2020".
    "day-00": (
        {"articles/one.md": article("date: '2020-01-00'\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '2020-01-00': months and days start at 01; "
         "for a month or a year alone leave the rest out (2020-01, 2020)"],
    ),
    "month-00": (
        {"articles/one.md": article("date: '2020-00'\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '2020-00': months and days start at 01; "
         "for a month or a year alone leave the rest out (2020-01, 2020)"],
    ),
    "month-00-ending-a-range": (
        {"chronology.yaml": chronology('    date: "1992-05-08"\n', '    date: "1992/1993-00"\n')},
        ["SITE/chronology.yaml:8:11: invalid EDTF date '1992/1993-00': months and days start at 01; "
         "for a month or a year alone leave the rest out (2020-01, 2020)"],
    ),
    # Issue 11: \d matched these digits and int() read them as 2020.
    "arabic-indic-digits": (
        {"articles/one.md": article("date: '\u0662\u0660\u0662\u0660'\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '\u0662\u0660\u0662\u0660': write the digits as 0-9 "
         "(EDTF uses ASCII digits only)"],
    ),
    "full-width-digits": (
        {"articles/one.md": article("date: '\uff12\uff10\uff12\uff10-\uff10\uff11'\n")},
        ["SITE/articles/one.md:4:7: invalid EDTF date '\uff12\uff10\uff12\uff10-\uff10\uff11': write the digits "
         "as 0-9 (EDTF uses ASCII digits only)"],
    ),
    "line-break-after-date": (
        {"articles/one.md": article('date: "1994\\n"\n')},
        ["SITE/articles/one.md:4:7: invalid EDTF date '1994\\n': remove the spaces or line breaks around it"],
    ),
    # Areas.
    "negative-area": (
        {"chronology.yaml": chronology("area_km2: 289", "area_km2: -5")},
        ["SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not -5"],
    ),
    "word-as-area": (
        {"chronology.yaml": chronology("area_km2: 289", "area_km2: lots")},
        ["SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not 'lots'"],
    ),
    "quoted-number-as-area": (
        {"chronology.yaml": chronology("area_km2: 289", "area_km2: '289'")},
        ["SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not '289'"],
    ),
    "area-larger-than-the-earth": (
        {"chronology.yaml": chronology("area_km2: 289", "area_km2: 1.0e+308")},
        ["SITE/chronology.yaml:5:15: area_km2 1e+308 is larger than the Earth's surface (510,072,000 km²); "
         "check the number"],
    ),
    # Maps (#16): 'none' is the one value of a territory's shape.
    "shape-other-than-none": (
        {"chronology.yaml": chronology("    area_km2: 289\n", "    area_km2: 289\n    shape: hidden\n")},
        ["SITE/chronology.yaml:6:12: shape 'hidden' is not one of none (leave the key out when "
         "content/geo/territories.geojson has the territory's shape)"],
    ),
    # Issue 11: the territories page summed None (TypeError); the chart counted it as 0 km².
    "occupied-territory-without-area": (
        {"chronology.yaml": chronology("    area_km2: 289\n", "")},
        ["SITE/chronology.yaml:10:19: occupation event 'occupation-shusha' names territory 'shusha', whose area "
         "is not stated (give the territory the area_km2 its source states, or use kind 'other')"],
    ),
    "returned-territory-without-area": (
        {"chronology.yaml": chronology("    area_km2: 289\n", "").replace("kind: occupation", "kind: return")},
        ["SITE/chronology.yaml:10:19: return event 'occupation-shusha' names territory 'shusha', whose area "
         "is not stated (give the territory the area_km2 its source states, or use kind 'other')"],
    ),
    "negative-infinite-area": (
        {"chronology.yaml": chronology("area_km2: 289", "area_km2: -.inf")},
        ["SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not -inf"],
    ),
    # site.yaml's language names a strings file: a BCP 47 tag only (issue 11).
    "language-is-a-path": (
        {"site.yaml": site_yaml("language: ../../../tmp/x/evil\n")},
        ["SITE/site.yaml:3:11: language '../../../tmp/x/evil' is not a BCP 47 language tag "
         "(use a tag such as 'en', 'az', 'ru' or 'hy-AM')"],
    ),
    "language-of-300-characters": (  # once OSError 'File name too long'
        {"site.yaml": site_yaml(f"language: {'a' * 300}\n")},
        [f"SITE/site.yaml:3:11: language '{'a' * 60}…' is not a BCP 47 language tag "
         "(use a tag such as 'en', 'az', 'ru' or 'hy-AM')"],
    ),
    "language-with-underscore": (
        {"site.yaml": site_yaml("language: en_US\n")},
        ["SITE/site.yaml:3:11: language 'en_US' is not a BCP 47 language tag "
         "(use a tag such as 'en', 'az', 'ru' or 'hy-AM')"],
    ),
    "language-with-kelvin-sign": (  # [a-z] with IGNORECASE alone matches U+212A
        {"site.yaml": site_yaml("language: \u212aa\n")},
        ["SITE/site.yaml:3:11: language '\u212aa' is not a BCP 47 language tag "
         "(use a tag such as 'en', 'az', 'ru' or 'hy-AM')"],
    ),
    "language-is-a-number": (
        {"site.yaml": site_yaml("language: 1\n")},
        ["SITE/site.yaml:3:11: 'language' must be text, not the number 1 (put the value in quotes if it is meant as text)"],
    ),
    # site.yaml's languages: each a tag, once, the default among them, each with its strings (#16).
    "languages-without-the-default": (
        {"site.yaml": site_yaml("languages: [az, ru]\n")},
        ["SITE/site.yaml:3:12: the default language 'en' ('language') is not in 'languages' (add it: languages: [en, az, ru])"],
    ),
    "languages-listing-one-twice": (
        {"site.yaml": site_yaml("languages: [en, ru, ru]\n")},
        ["SITE/site.yaml:3:12: language 'ru' is listed twice in 'languages' (list each language once)"],
    ),
    "languages-with-a-path": (
        {"site.yaml": site_yaml("languages:\n  - en\n  - ../x\n")},
        ["SITE/site.yaml:5:5: language '../x' in 'languages' is not a BCP 47 language tag (use tags such as 'en', 'az', 'ru' or 'hy')"],
    ),
    "languages-empty": (
        {"site.yaml": site_yaml("languages: []\n")},
        ["SITE/site.yaml:3:12: 'languages' is empty (list at least the default language: languages: [en])"],
    ),
    "languages-without-strings": (
        {"site.yaml": site_yaml("languages: [en, de]\n")},
        ["SITE/site.yaml:3:17: language 'de' has no interface strings: no strings/de.yaml in the templates (write templates/strings/de.yaml (a translation of strings/en.yaml), or remove 'de' from 'languages')"],
    ),
    "page-in-a-language-folder": (
        {"site.yaml": site_yaml("languages: [en, en-GB]\n"), "pages/en-gb.md": "---\ntitle: GB\n---\nText.\n"},
        ["SITE/pages/en-gb.md: page slug 'en-gb' is the folder of the language 'en-GB' (site.yaml 'languages'); rename the page"],
    ),
    "article-language-not-a-tag": (
        {"articles/one.md": article("language: en_GB\n")},
        ["SITE/articles/one.md:4:11: language 'en_GB' is not a BCP 47 language tag (use a tag such as 'en', 'az', 'ru' or 'hy'; leave it out for the site's language)"],
    ),
    "territory-name-in-a-language-not-a-tag": (
        {"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [Shushi]\n    names: {ru_RU: Шуша}")},
        ["SITE/chronology.yaml:5:13: names: 'ru_RU' is not a BCP 47 language tag (write each name under its language's tag, e.g. ru: Кельбаджар)"],
    ),
    "territory-name-blank": (
        {"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [Shushi]\n    names: {ru: ''}")},
        ["SITE/chronology.yaml:5:17: 'ru' is blank in names (give its value, or leave the key out)"],
    ),
    "territory-names-as-a-list": (
        {"chronology.yaml": chronology("aliases: [Shushi]", "aliases: [Shushi]\n    names: [Шуша]")},
        ["SITE/chronology.yaml:5:12: 'names' must be a mapping of keys to values, not a list"],
    ),
    # Values of the wrong type: errors, never turned into text (issue 11).
    "tags-as-a-text": (
        {"articles/one.md": article("tags: war\n")},
        ["SITE/articles/one.md:4:7: 'tags' must be a list of texts, not a single text (write tags: [\"war\"])"],
    ),
    "speakers-as-a-text": (
        {"articles/one.md": article("speakers: Ilham Aliyev, Nikol Pashinyan\n")},
        ["SITE/articles/one.md:4:11: 'speakers' must be a list of texts, not a single text "
         "(write speakers: [\"Ilham Aliyev, Nikol Pashinyan\"])"],
    ),
    "territories-as-a-text": (
        {"articles/one.md": article("territories: shusha\n")},
        ["SITE/articles/one.md:4:14: 'territories' must be a list of texts, not a single text "
         "(write territories: [\"shusha\"])"],
    ),
    "event-sources-as-a-text": (
        {"chronology.yaml": chronology('sources: [{article: source-of-events, quote: "Dated May 8, 1992"}]', "sources: one")},
        ["SITE/chronology.yaml:12:14: 'sources' must be a list of mappings, not a single text (write sources: "
         "[{article: <slug>, quote: \"<the words of the article that state the event>\"}])"],
    ),
    "aliases-as-a-mapping": (
        {"chronology.yaml": chronology("aliases: [Shushi]", "aliases: {Shushi: 1}")},
        ["SITE/chronology.yaml:4:14: 'aliases' must be a list of texts, not a mapping"],
    ),
    "nan-as-title": (
        {"articles/one.md": "---\ntitle: .nan\nsource: {name: X}\n---\n"},
        ["SITE/articles/one.md:2:8: 'title' must be text, not the number nan (put the value in quotes if it is meant as text)"],
    ),
    "nan-as-tag": (
        {"articles/one.md": article("tags: [war, .NaN]\n")},
        ["SITE/articles/one.md:4:7: 'tags' must be a list of non-empty text values; item 2 is the number nan "
         "(put the value in quotes if it is meant as text)"],
    ),
    "inf-as-event-title": (
        {"chronology.yaml": chronology("title: \"Shusha: “occupation” date\"", "title: -.inf")},
        ["SITE/chronology.yaml:9:12: 'title' must be text, not the number -inf "
         "(put the value in quotes if it is meant as text)"],
    ),
    "number-as-title": (  # YAML reads 0.10 as 0.1: the page would not show what was written
        {"articles/one.md": "---\ntitle: 0.10\nsource: {name: X}\n---\n"},
        ["SITE/articles/one.md:2:8: 'title' must be text, not the number 0.1 (put the value in quotes if it is meant as text)"],
    ),
    "yes-as-source-name": (
        {"articles/one.md": "---\ntitle: One\nsource: {name: yes}\n---\n"},
        ["SITE/articles/one.md:3:9: source needs a 'name', a 'via' or a 'note' saying why the outlet is unknown",
         "SITE/articles/one.md:3:16: 'name' must be text, not the true/false value true "
         "(put the value in quotes if it is meant as text)"],
    ),
    "blank-base-url": (
        {"site.yaml": "title: Mini\nbase_url: ''\n"},
        ["SITE/site.yaml:2:11: 'base_url' is blank in site.yaml (give its value)"],
    ),
    "blank-site-title": (
        {"site.yaml": "title: '  '\nbase_url: https://example.org/mini/\n"},
        ["SITE/site.yaml:1:8: 'title' is blank in site.yaml (give its value)"],
    ),
    "blank-original": (
        {"articles/one.md": article('original: ""\n')},
        ["SITE/articles/one.md:4:11: 'original' is blank in article front matter (give its value, or leave the key out)"],
    ),
    "number-as-edit-replacement": (  # 0 was read as "" (a removal)
        {"articles/one.md": article("edits: [{from: x, to: 0, why: y}]\n")},
        ["SITE/articles/one.md:4:23: 'to' must be text (empty for a removal)"],
    ),
    # Names that would escape the output folder or clash. (The territory's references are checked
    # in the same run, #14: 'shusha' is no longer defined.)
    "territory-id-dot-dot-slash": (
        {"chronology.yaml": chronology("- id: shusha", "- id: ../evil")},
        ["SITE/articles/one.md:6:15: unknown territory 'shusha' in territories",
         "SITE/chronology.yaml:2:9: id '../evil' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
         "SITE/chronology.yaml:11:19: event 'occupation-shusha' names unknown territory 'shusha'"],
    ),
    "territory-id-with-slash": (
        {"chronology.yaml": chronology("- id: shusha", "- id: a/b")},
        ["SITE/articles/one.md:6:15: unknown territory 'shusha' in territories",
         "SITE/chronology.yaml:2:9: id 'a/b' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
         "SITE/chronology.yaml:11:19: event 'occupation-shusha' names unknown territory 'shusha'"],
    ),
    "territory-id-dot-dot": (
        {"chronology.yaml": chronology("- id: shusha", "- id: '..'")},
        ["SITE/articles/one.md:6:15: unknown territory 'shusha' in territories",
         "SITE/chronology.yaml:2:9: id '..' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
         "SITE/chronology.yaml:11:19: event 'occupation-shusha' names unknown territory 'shusha'"],
    ),
    "event-id-dot-dot-slash": (
        {"chronology.yaml": chronology("- id: occupation-shusha", "- id: ../evil")},
        ["SITE/chronology.yaml:7:9: id '../evil' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    "event-id-with-slash": (
        {"chronology.yaml": chronology("- id: occupation-shusha", "- id: a/b")},
        ["SITE/chronology.yaml:7:9: id 'a/b' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    "event-id-dot-dot": (
        {"chronology.yaml": chronology("- id: occupation-shusha", "- id: '..'")},
        ["SITE/chronology.yaml:7:9: id '..' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    "article-name-with-uppercase": (
        {"articles/Two.md": article()},
        ["SITE/articles/Two.md: file name 'Two' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    "article-name-with-spaces": (
        {"articles/two words.md": article()},
        ["SITE/articles/two words.md: file name 'two words' is not a valid slug; use lowercase a-z, 0-9 and hyphens"],
    ),
    # Front matter values that must be refused, not escaped.
    "javascript-source-url": (
        {"articles/one.md": "---\ntitle: One\nsource:\n  name: X\n  url: javascript:alert(1)\n---\n"},
        ["SITE/articles/one.md:5:8: source url 'javascript:alert(1)' must be an absolute http(s) URL"],
    ),
    "uppercase-javascript-source-url": (
        {"articles/one.md": "---\ntitle: One\nsource:\n  name: X\n  url: ' JAVASCRIPT:alert(1)'\n---\n"},
        ["SITE/articles/one.md:5:8: source url 'JAVASCRIPT:alert(1)' must be an absolute http(s) URL"],
    ),
    "data-source-url": (
        {"articles/one.md": "---\ntitle: One\nsource:\n  name: X\n  url: data:text/html;base64,PHNjcmlwdD4=\n---\n"},
        ["SITE/articles/one.md:5:8: source url 'data:text/html;base64,PHNjcmlwdD4=' must be an absolute http(s) URL"],
    ),
    "scheme-relative-source-url": (
        {"articles/one.md": "---\ntitle: One\nsource:\n  name: X\n  url: //evil.example/\n---\n"},
        ["SITE/articles/one.md:5:8: source url '//evil.example/' must be an absolute http(s) URL"],
    ),
}


@pytest.mark.parametrize("files, expected", REFUSED.values(), ids=REFUSED.keys())
def test_bad_input_is_refused_with_file_and_line(make_site, previous, files, expected):
    assert refused(make_site(files), previous) == expected


def test_article_names_differing_only_by_case_are_refused(make_site, previous):
    root = make_site({"articles/One.md": article()})
    if sorted(path.name for path in (root / "articles").iterdir()) != ["One.md", "one.md"]:
        pytest.skip("this file system does not keep names that differ only by case")
    assert refused(root, previous) == [
        "SITE/articles/one.md: file name differs only by case from SITE/articles/One.md",
    ]


def test_symlink_leading_outside_content_is_refused(make_site, previous, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article())
    root = make_site()
    (root / "articles" / "leak.md").symlink_to(Path("..", "..", "secret.md"))
    (root / "pages" / "passwd.md").parent.mkdir()
    (root / "pages" / "passwd.md").symlink_to("/etc/passwd")
    assert refused(root, previous) == [
        "SITE/articles/leak.md: symbolic link points outside the content folder; refused",
        "SITE/pages/passwd.md: symbolic link points outside the content folder; refused",
    ]


def test_symlink_to_a_file_inside_content_is_allowed(make_site, previous):
    """Decision: a link that stays inside content/ is content like any other file."""
    root = make_site({"drafts/two.md": "---\ntitle: Two\nsource: {name: X}\n---\nBody of two.\n"})
    (root / "articles" / "two.md").symlink_to(Path("..", "drafts", "two.md"))
    page = built_page(root, previous.out, "articles/two/index.html")
    assert page.findtext(".//h1") == "Two"


def test_dangling_symlink_is_reported(make_site, previous):
    root = make_site()
    (root / "articles" / "two.md").symlink_to(Path("..", "drafts", "two.md"))
    assert refused(root, previous) == ["SITE/articles/two.md: symbolic link points to a missing file"]


# --- Bugs these inputs once showed (each fixed; the test keeps it fixed) -----------------------

@pytest.mark.parametrize("value", [
    pytest.param("0x7CA", id="hex-read-as-1994"),
    pytest.param("02000", id="octal-read-as-1024"),
    pytest.param("33:14", id="sexagesimal-read-as-1994"),
])
def test_unquoted_date_in_another_base_is_refused(make_site, previous, value):
    assert refused(make_site({"articles/one.md": article(f"date: {value}\n")}), previous) == [
        f"SITE/articles/one.md:4:7: invalid EDTF date '{value}': not a real date or not EDTF",
    ]


@pytest.mark.parametrize("value, shown", [
    pytest.param(".nan", "nan", id="nan"),
    pytest.param(".inf", "inf", id="inf"),
    pytest.param("1.0e+400", "inf", id="overflowing"),
])
def test_area_that_is_not_a_finite_number_is_refused(make_site, previous, value, shown):
    root = make_site({"chronology.yaml": chronology("area_km2: 289", f"area_km2: {value}")})
    assert refused(root, previous) == [
        f"SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not {shown}",
    ]


def test_very_long_tag_gets_a_short_slug(make_site, previous):
    """A 300-character tag once gave a 300-byte folder name: OSError 'File name too long' at write."""
    root = make_site({"articles/one.md": article(f"tags: [{'a' * 300}, {'Ü' * 200}]\n")})
    page = built_page(root, previous.out)
    hrefs = [link.get("href") for link in page.xpath("//ul[@class='tags']//a[@data-pagefind-filter='tag']")]
    assert len(hrefs) == 2
    for href in hrefs:
        slug = PurePosixPath(href).parent.name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) and len(slug) <= 100, slug
        assert (previous.out / "tags" / slug / "index.html").is_file()


@pytest.mark.parametrize("heading", ["Main", "Archive edits", "Mention Shusha 1"])
def test_heading_anchors_never_repeat_an_id_of_the_page(make_site, tmp_path, heading):
    root = make_site({"articles/one.md": article(body=f"Shusha.\n\n## {heading}\n\nText.\n")})
    page = built_page(root, tmp_path / "build")
    ids = [element.get("id") for element in page.iter() if isinstance(element.tag, str) and element.get("id")]
    assert sorted(ids) == sorted(set(ids))


def test_territory_without_area_and_without_occupation_builds(make_site, previous):
    """An area is optional for a territory no occupation or return names; the total adds the stated ones.

    Issue 11: the territories page once summed None (TypeError).
    """
    root = make_site({"chronology.yaml": chronology("events:\n", "  - id: lachin\n    name: Lachin\nevents:\n")})
    page = built_page(root, previous.out, "territories/index.html")
    rows = [[cell.text_content().strip() for cell in row] for row in page.xpath("//table//tr")]
    assert rows[1:] == [["Shusha", "Shushi", "289 km²", "1", "1"],
                        ["Lachin", "", "not stated", "0", "0"],
                        ["Total", "", "289 km²", "", ""]]


EXTREME_CHRONOLOGY = chronology('    date: "1992-05-08"\n', '    date: "0001-01-01"\n').replace(
    '{article: source-of-events, quote: "Dated May 8, 1992"}', '{article: one, quote: "January 1, 0001"}') + textwrap.indent(
    textwrap.dedent("""\
        - id: return-shusha
          date: "9999-12-31"
          title: Return of Shusha
          kind: return
          territories: [shusha]
          sources: [{article: one, quote: "December 31, 9999"}]
    """), "  ")


def test_first_and_last_days_of_the_calendar_are_charted(make_site, previous):
    """Issue 11: an event on 0001-01-01 or 9999-12-31 once crashed the chart (OverflowError)."""
    root = make_site({"chronology.yaml": EXTREME_CHRONOLOGY,
                      "articles/one.md": article("date: '9999-12-31'\nterritories: [shusha]\n",
                                                 "From January 1, 0001 to December 31, 9999.\n")})
    page = built_page(root, previous.out, "chronology/index.html")
    [chart] = page.xpath("//*[local-name()='svg'][starts-with(@aria-labelledby, 'area-chart-title')]")
    names = [title.text for title in chart.xpath(".//*[local-name()='a']/*[local-name()='title']")]
    assert names == ["1 January 1: Shusha: “occupation” date, +289 km², archive’s sum 289 km²",
                     "31 December 9999: Return of Shusha, −289 km², archive’s sum 0 km²"]
    year_labels = chart.xpath(".//*[local-name()='text'][@class='chart-tick'][@text-anchor='middle']")
    assert [label.text for label in year_labels] == ["2000", "4000", "6000", "8000"]


def test_chronology_csv_cells_are_never_formulas(make_site, previous):
    """OWASP CSV injection: a text cell starting with = + - @ tab or CR gets a leading quote; numbers stay numbers."""
    formulas = {"=HYPERLINK(\"https://evil.example/\", \"x\")": "note", "-2+3": "title", "@SUM(A1)": "title",
                "+1": "title"}
    events = "".join(textwrap.dedent(f"""\
          - id: e{number}
            date: "1993"
            title: {json.dumps(text if field == "title" else "Plain")}
            kind: other
            sources: [{{article: one, quote: "Body of one.", date_basis: "A test event: no date is stated."}}]
            note: {json.dumps(text if field == "note" else "-")}
        """) for number, (text, field) in enumerate(formulas.items()))
    root = make_site({"chronology.yaml": MINIMAL_CHRONOLOGY + textwrap.indent(events, "  ")})
    build(options_for(root, previous.out))
    rows = list(csv.DictReader((previous.out / "data" / "chronology.csv").read_text(encoding="utf-8").splitlines()))
    cells = {row["id"]: (row["title"], row["note"], row["area_km2"]) for row in rows}
    assert cells == {
        "occupation-shusha": ("Shusha: “occupation” date", "", "289"),
        "e0": ("Plain", "'=HYPERLINK(\"https://evil.example/\", \"x\")", ""),
        "e1": ("'-2+3", "'-", ""),
        "e2": ("'@SUM(A1)", "'-", ""),
        "e3": ("'+1", "'-", ""),
    }
    written = json.loads((previous.out / "data" / "chronology.json").read_text(encoding="utf-8"))
    assert [event["title"] for event in written["events"]][1:] == ["Plain", "-2+3", "@SUM(A1)", "+1"]


def test_language_is_written_in_its_usual_case(make_site, previous):
    page = built_page(make_site({"site.yaml": site_yaml("language: EN-gb\n")}), previous.out)
    assert page.get("lang") == "en-GB"


def test_language_path_never_loads_a_file_outside_the_theme(make_site, previous, tmp_path):
    """Issue 11: language '../../../tmp/x/evil' loaded /tmp/x/evil.yaml as strings and published it."""
    evil = tmp_path / "x" / "evil.yaml"
    evil.parent.mkdir()
    evil.write_text("site_title: PUBLISHED FROM OUTSIDE\nnav_home: PUBLISHED FROM OUTSIDE\n", encoding="utf-8")
    relative = Path("..", "..", *Path(evil.with_suffix("").relative_to(evil.anchor)).parts)
    root = make_site({"site.yaml": site_yaml(f"language: {'../' * 12}{relative.as_posix()}\n")})
    [error] = refused(root, previous)
    assert error.startswith("SITE/site.yaml:3:11: language '../../") and "is not a BCP 47 language tag" in error


# --- Alias bombs: refused before they expand ------------------------------------------------

def _build_in_child(root: Path, out: Path, sender) -> None:
    try:
        build(options_for(root, out))
        sender.send(("built", []))
    except BuildFailed as failed:
        sender.send(("failed", [str(error) for error in failed.errors]))
    except BaseException as error:  # report anything to the parent, which fails the test
        sender.send(("crashed", [repr(error)]))


def build_with_time_limit(root: Path, out: Path, seconds: float) -> tuple[str, list[str], float]:
    """Build in a forked child and kill it after ``seconds``: an expanding bomb must not hang the suite."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_build_in_child, args=(root, out, sender))
    start = time.perf_counter()
    child.start()
    finished = receiver.poll(seconds)
    elapsed = time.perf_counter() - start
    if not finished:
        child.kill()
        child.join()
        return "timed out", [], elapsed
    outcome, messages = receiver.recv()
    child.join()
    return outcome, [message.replace(str(root), "SITE").replace(root.name, "SITE") for message in messages], elapsed


BOMBS = {
    "front-matter": (
        {"articles/one.md": article(BILLION_LAUGHS + "date: *i\n")},
        [f"SITE/articles/one.md:4: {ANCHOR_MESSAGE}"],
    ),
    "chronology": (
        {"chronology.yaml": "laughs:\n" + "".join(f"  {line}\n" for line in BILLION_LAUGHS.splitlines())
                            + chronology("area_km2: 289", "area_km2: *i")},
        [f"SITE/chronology.yaml:2: {ANCHOR_MESSAGE}"],
    ),
}


@pytest.mark.parametrize("files, expected", BOMBS.values(), ids=BOMBS.keys())
def test_alias_bomb_is_refused_quickly(make_site, previous, files, expected):
    root = make_site(files)
    outcome, messages, elapsed = build_with_time_limit(root, previous.out, seconds=2.0)
    assert (outcome, messages) == ("failed", expected)
    assert elapsed < 2.0
    previous.assert_untouched()


# --- Dates that are fine --------------------------------------------------------------------

def test_unquoted_year_is_a_year(make_site, previous):
    page = built_page(make_site({"articles/one.md": article("date: 1994\n")}), previous.out)
    [time_element] = page.xpath("//dl[@class='meta']/dd[1]/time")
    assert (time_element.get("datetime"), time_element.text) == ("1994", "1994")


# --- All problems of a run together ---------------------------------------------------------

def test_problems_of_several_files_come_back_in_one_run(make_site, previous):
    root = make_site({
        "site.yaml": "title: Mini\nbase_url: https://example.org/mini/\nlanguage: &l en\n",
        "chronology.yaml": chronology("area_km2: 289", "area_km2: !!python/name:os.system"),
        "articles/one.md": b"---\ntitle: caf\xe9\n---\n",
        "articles/two.md": "---\ntitle: Two\n",
        "articles/three.md": "",
        "articles/four.md": article(body="x\x00y\n"),
        "pages/about.md": "---\n- a\n---\n",
    })
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, previous.out))
    previous.assert_untouched()
    assert shown(caught.value.errors, root) == [
        "SITE/articles/four.md:5: NUL byte in text; the file is probably binary or corrupted",
        "SITE/articles/one.md:2: not UTF-8 text: byte 0xe9 cannot be decoded; save the file as UTF-8",
        "SITE/articles/three.md: empty file; expected front matter between '---' lines, then Markdown",
        "SITE/articles/two.md:1:1: unclosed front matter: no closing '---' line "
        "(end the front matter with a line of three hyphens '---' before the text)",
        "SITE/chronology.yaml:5:15: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
        "SITE/pages/about.md:1: expected a YAML mapping of keys to values, found a list",
        f"SITE/site.yaml:3: {ANCHOR_MESSAGE}",
    ]
    assert str(caught.value).splitlines()[-1] == "7 errors; nothing written, the output folder is unchanged."


def test_model_problems_of_several_files_come_back_in_one_run(make_site, previous):
    root = make_site({
        "site.yaml": "title: Mini\nbase_url: example.org\n",
        "chronology.yaml": chronology("area_km2: 289", "area_km2: -1").replace("- id: occupation-shusha",
                                                                               "- id: ../evil"),
        "articles/one.md": article("date: 2023-02-30\n"),
        "articles/Two.md": "---\ntitle: Two\nsource:\n  url: javascript:alert(1)\n---\n",
    })
    assert refused(root, previous) == [
        "SITE/articles/Two.md: file name 'Two' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
        "SITE/articles/Two.md:4:3: source needs a 'name', a 'via' or a 'note' saying why the outlet is unknown",
        "SITE/articles/Two.md:4:8: source url 'javascript:alert(1)' must be an absolute http(s) URL",
        "SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF",
        "SITE/chronology.yaml:5:15: area_km2 must be a non-negative number of square kilometres, not -1",
        "SITE/chronology.yaml:7:9: id '../evil' is not a valid slug; use lowercase a-z, 0-9 and hyphens",
        "SITE/site.yaml:2:11: base_url 'example.org' must be an absolute http(s) URL, e.g. 'https://example.org/archive/'",
    ]


def test_problems_of_load_model_and_link_come_back_in_one_run(make_site, previous):
    """A tab in one file, a bad date in another and references to nothing, all in one run (#14).

    The load stage (YAML), the model (the date, the unknown key) and the link stage (an unknown
    territory, an event citing a missing article, a link to a missing page) each find theirs.
    """
    root = make_site({
        "articles/one.md": article("date: 2023-02-30\nterritory: [shusha]\n", body="See [about](../pages/abot.md).\n"),
        "articles/two.md": "---\ntitle: Two\nsource:\n\tname: X\n---\n",
        "articles/three.md": article("territories: [shsha]\n"),
        "chronology.yaml": chronology("article: source-of-events", "article: source-of-event"),
        "pages/about.md": "---\ntitle: About\n---\nAbout.\n",
    })
    assert refused(root, previous) == [
        "SITE/articles/one.md:4:7: invalid EDTF date '2023-02-30': not a real date or not EDTF",
        "SITE/articles/one.md:5:1: unknown key 'territory' in article front matter (did you mean 'territories'?)",
        "SITE/articles/one.md:7:13: link to unknown document '../pages/abot.md' (did you mean 'pages/about.md'?)",
        "SITE/articles/three.md:4:15: unknown territory 'shsha' in territories (did you mean 'shusha'?)",
        "SITE/articles/two.md:4:1: invalid YAML: found character that cannot start any token "
        "(tabs are not allowed for indentation in YAML; use spaces)",
        "SITE/chronology.yaml:12:25: event 'occupation-shusha' cites unknown article 'source-of-event' "
        "(did you mean 'source-of-events'?)",
    ]


def test_what_depends_on_a_broken_file_is_not_reported_again(make_site, previous):
    """A document, a territory or site.yaml left out for its own error is not 'unknown' elsewhere (#14)."""
    root = make_site({
        "articles/source-of-events.md": "---\ntitle: [Source of events\n---\nDated May 8, 1992.\n",
        "articles/one.md": article("territories: [shusha]\n", body="From [the source](source-of-events.md#p-1).\n"),
        "chronology.yaml": chronology("    name: Shusha\n", ""),
        "site.yaml": "title: Mini\n",
    })
    assert refused(root, previous) == [
        "SITE/articles/source-of-events.md:3:1: invalid YAML: did not find expected ',' or ']' "
        "(a list written in brackets must end with ']' on the line where it starts, items separated by commas)",
        "SITE/chronology.yaml:2:5: missing required 'name' in territory",
        "SITE/site.yaml:1:1: missing required 'base_url' in site.yaml",
    ]


def test_an_article_left_out_does_not_make_its_original_look_cut(make_site, previous):
    """Articles made from one original are compared with it together; without one of them the
    others are not blamed for its part (#14)."""
    root = make_site({
        "sources/000.txt": "First part.\n\nSecond part.\n",
        "articles/one.md": article("original: 000.txt\n", body="First part.\n"),
        "articles/two.md": "---\ntitle: Two\nsource: {name: X\noriginal: 000.txt\n---\nSecond part.\n",
    })
    assert refused(root, previous) == [
        "SITE/articles/two.md:4:9: invalid YAML: did not find expected ',' or '}' "
        "(a mapping written in braces must end with '}', entries separated by commas)",
    ]


# --- Raw HTML and unsafe links in Markdown: built, never run ---------------------------------

BODY_PAYLOADS = {
    # id -> (Markdown, a piece of text the reader sees instead; None when a harmless link remains)
    "script": ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    "iframe": ('<iframe src="https://evil.example/"></iframe>', '<iframe src="https://evil.example/"></iframe>'),
    "img-onerror": ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    "html-javascript-link": ('<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)">x</a>'),
    "javascript-link": ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    "uppercase-javascript-link": ("[x](JAVASCRIPT:alert(1))", "[x](JAVASCRIPT:alert(1))"),
    "tab-entity-in-scheme": ("[x](java&#x09;script:alert(1))", None),  # a relative 'java%09script:...' link
    "data-image": ("![x](data:text/html;base64,PHNjcmlwdD4=)", "![x](data:text/html;base64,PHNjcmlwdD4=)"),
    "svg-onload": ("<svg onload=alert(1)>", "<svg onload=alert(1)>"),
    "autolink-javascript": ("<javascript:alert(1)>", "<javascript:alert(1)>"),
    "reference-javascript-link": ("[x][evil]\n\n[evil]: javascript:alert(1)", "[evil]: javascript:alert(1)"),
    "vbscript-link": ("[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))"),
    "file-link": ("[x](file:///etc/passwd)", "[x](file:///etc/passwd)"),
    "script-in-table": ("| a |\n| - |\n| <script>alert(1)</script> |", "<script>alert(1)</script>"),
    "onerror-in-footnote": ("Text[^1]\n\n[^1]: <img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
    "html-block": ("<div onclick=alert(1)>\n\n*x*\n\n</div>", "<div onclick=alert(1)>"),
}


@pytest.mark.parametrize("payload, shown_text", BODY_PAYLOADS.values(), ids=BODY_PAYLOADS.keys())
def test_raw_html_and_unsafe_links_in_markdown_are_harmless(make_site, previous, payload, shown_text):
    root = make_site({"articles/one.md": article(body=f"Before Shusha.\n\n{payload}\n\nAfter.\n")})
    page = built_page(root, previous.out)
    assert unsafe_parts(page) == []
    assert unsafe_parts_of_site(previous.out) == {}
    [prose] = page.find_class("prose")
    if shown_text is not None:
        assert shown_text in text_nodes(prose)


# --- The same payloads in front matter: shown as text ----------------------------------------

FRONT_MATTER_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)>",
    "iframe": "<iframe src=javascript:alert(1)></iframe>",
    "attribute-breakout": "\"'><script>alert(1)</script>",
    "javascript-text": "javascript:alert(1)",
    "jinja": "{{ 7*7 }}{% if true %}X{% endif %}{# c #}",
    "entity": "&lt;script&gt; &amp; &#60;",
}

FRONT_MATTER_FIELDS = {
    # field -> (front matter made from a payload P, how the article page shows P)
    "title": (lambda p: {"title": p}, "//h1"),
    "summary": (lambda p: {"summary": p}, "//p[@class='summary']"),
    "tags": (lambda p: {"tags": [p, "Other"]}, "//ul[@class='tags']//a"),
    "speakers": (lambda p: {"speakers": [p]}, "//dl[@class='meta']//a"),
    "date_note": (lambda p: {"date": "1994~", "date_note": p}, "//span[@class='note']"),
    "source-name": (lambda p: {"source": {"name": p}}, "//dl[@class='meta']//a"),
    "source-via": (lambda p: {"source": {"via": p}}, "//dl[@class='meta']//a"),
    "source-note": (lambda p: {"source": {"note": p}}, "//span[@class='note']"),
    "edit": (lambda p: {"edits": [{"from": p, "to": p, "why": p}]}, "//table[@class='edits']//td"),
}


@pytest.mark.parametrize("payload", FRONT_MATTER_PAYLOADS.values(), ids=FRONT_MATTER_PAYLOADS.keys())
@pytest.mark.parametrize("field", FRONT_MATTER_FIELDS.keys())
def test_payloads_in_front_matter_are_shown_as_text(make_site, tmp_path, field, payload):
    make_front, where = FRONT_MATTER_FIELDS[field]
    front = {"title": "One", "source": {"name": "X"}, **make_front(payload)}
    root = make_site({"articles/one.md": "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"})
    out = tmp_path / "build"
    page = built_page(root, out)
    assert payload in set().union(*(text_nodes(element) for element in page.xpath(where)))
    if field == "title":
        [heading] = page.xpath("//h1")
        assert (heading.text, len(heading)) == (payload, 0)  # the payload as text, no element inside
    assert unsafe_parts_of_site(out) == {}


def test_payload_in_page_front_matter_is_shown_as_text(make_site, tmp_path):
    payload = "<script>alert(1)</script>{{ 7*7 }}"
    front = yaml.safe_dump({"title": payload, "summary": payload})
    root = make_site({"pages/about.md": "---\n" + front + "---\nBody.\n"})
    out = tmp_path / "build"
    page = built_page(root, out, "about/index.html")
    assert page.findtext(".//h1") == payload
    assert unsafe_parts_of_site(out) == {}


def test_payload_in_source_url_query_stays_inside_the_attribute(make_site, tmp_path):
    url = "https://example.org/?q=\"><script>alert(1)</script>"
    front = {"title": "One", "source": {"name": "X", "url": url}}
    root = make_site({"articles/one.md": "---\n" + yaml.safe_dump(front) + "---\nBody.\n"})
    out = tmp_path / "build"
    page = built_page(root, out)
    links = page.xpath("//a[@rel='external noopener']")
    assert [link.get("href") for link in links if "example.org" in link.get("href")] == [url]
    assert unsafe_parts_of_site(out) == {}


# --- Any script: shown correctly, readable ASCII slugs ---------------------------------------

SCRIPTS = {
    "azerbaijani": ("Qarabağ və Şuşa", "qarabag-ve-susa"),
    "cyrillic": ("Карабах", "karabakh"),
    "armenian": ("Արցախ", "artsakh"),  # BGN/PCGN, its ’ dropped (#14)
    "arabic": ("قره باغ", "qrh-bgh"),
    "emoji": ("🕊️", "dove"),
}


@pytest.mark.parametrize("name, slug", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_titles_and_tags_in_any_script(make_site, tmp_path, name, slug):
    front = {"title": name, "tags": [name], "speakers": [name], "source": {"name": name}}
    root = make_site({"articles/one.md": "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"})
    out = tmp_path / "build"
    page = built_page(root, out)
    assert page.findtext(".//h1") == name
    [tag_link] = page.xpath("//ul[@class='tags']//a[@data-pagefind-filter='tag']")
    assert (tag_link.text, tag_link.get("href")) == (name, f"../../tags/{slug}/index.html")
    for facet in ("tags", "speakers", "sources"):
        entry = lxml.html.fromstring((out / facet / slug / "index.html").read_bytes())
        assert entry.findtext(".//h1") == name
    slugs = {path.parent.name for path in out.glob("*/*/index.html")}
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s) for s in slugs), slugs


def test_hundreds_of_broken_files_are_each_reported_and_the_terminal_list_is_capped(tmp_path, previous):
    """Bad input at scale (#13): every broken file is named, whichever stage finds it, the
    terminal shows the first PRINTED_ERRORS with a count of the rest, and nothing is written.
    The benchmark does the same with 1,000 of 10,000 documents (benchmarks/run.py)."""
    from karabakh_site.errors import PRINTED_ERRORS, format_errors

    breakages = [
        article('date: "2020-13-45"\n'),                      # the model: no such date
        article("territories: [no-such-territory]\n"),        # the link stage: unknown territory
        article("speakers: [[Unclosed\n"),                     # YAML
        ARTICLE + "Body, but the front matter is never closed.\n",  # loading
    ]
    files = {f"articles/good-{n:03}.md": article("territories: [shusha]\n", f"Text {n}.\n") for n in range(100)}
    broken = {f"articles/broken-{n:03}.md": breakages[n % 4] for n in range(240)}
    root = write_site(tmp_path / "site", {**files, **broken})
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, previous.out))
    previous.assert_untouched()
    named = {Path(error.path).name for error in caught.value.errors}
    assert {Path(name).name for name in broken} <= named
    assert not any(name.startswith("good-") for name in named)
    printed = format_errors(caught.value.errors)
    rest = len(caught.value.errors) - PRINTED_ERRORS
    assert rest > 0 and f"… and {rest} more errors, not printed here" in printed
    assert printed.endswith(f"{len(caught.value.errors)} errors; nothing written, the output folder is unchanged.")
