"""The site checks used by the tests: Nu Html Checker, axe-core, internal links, page weight.

Each takes a built folder (or pages in a browser) and returns plain data, so a test can
assert on a real site and on a deliberately broken fixture with the same code.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import lxml.html

from support import tools

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def html_pages(root: Path) -> list[PurePosixPath]:
    """Every HTML page under ``root``, in sorted order."""
    return sorted(PurePosixPath(p.relative_to(root).as_posix()) for p in root.rglob("*.html"))


@dataclass(frozen=True)
class NuMessage:
    file: str
    line: int | None
    message: str


def run_nu_checker(files: list[Path]) -> list[NuMessage]:
    """Validate HTML (and CSS) files in one JVM; return the errors (warnings are not counted)."""
    command = [tools.java(), "-Xss4m", "-jar", str(tools.vnu_jar()), "--errors-only", "--also-check-css",
               "--format", "json", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    return [
        NuMessage(urlsplit(m.get("url", "")).path, m.get("lastLine"), m["message"])
        for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"
    ]


@dataclass(frozen=True)
class BrokenLink:
    page: str
    url: str
    reason: str


def _references(element) -> list[str]:
    values = [element.get(attr) for attr in ("href", "src", "poster") if element.get(attr)]
    srcset = element.get("srcset")
    if srcset:
        values += [candidate.strip().split()[0] for candidate in srcset.split(",") if candidate.strip()]
    return values


def check_internal_links(root: Path) -> tuple[int, list[BrokenLink]]:
    """Resolve every local href/src/srcset and #fragment like a browser opening the files."""
    ids_cache: dict[str, set[str]] = {}
    checked, broken = 0, []
    for page in html_pages(root):
        tree = lxml.html.fromstring((root / page).read_bytes())
        for element in tree.iter():
            for url in _references(element):
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    continue
                checked += 1
                problem = _resolve(root, page, parts, ids_cache)
                if problem:
                    broken.append(BrokenLink(str(page), url, problem))
    return checked, broken


def _resolve(root: Path, page: PurePosixPath, parts, ids_cache: dict[str, set[str]]) -> str | None:
    if parts.path.startswith("/"):
        return "root-relative URL: breaks under a subpath and from disk"
    target = posixpath.normpath(posixpath.join(str(page.parent), unquote(parts.path))) if parts.path else str(page)
    file = root / target
    if file.is_dir():
        return "folder URL: opens a directory listing from disk; link to its index.html"
    if target.startswith("..") or not file.is_file():
        return f"no such file: {target}"
    if parts.fragment and target.endswith(".html"):
        if target not in ids_cache:
            tree = lxml.html.fromstring(file.read_bytes())
            ids_cache[target] = set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))
        if unquote(parts.fragment) not in ids_cache[target] and parts.fragment != "top":
            return f"no id {parts.fragment!r} in {target}"
    return None


def page_weight(root: Path, page: PurePosixPath, compressed: bool = False) -> int:
    """Bytes of an HTML page plus the local stylesheets and scripts it loads; ``compressed``: as
    gzip (level 6, what static hosts send) would transfer them."""
    tree = lxml.html.fromstring((root / page).read_bytes())
    assets = tree.xpath('//link[@rel="stylesheet"]/@href | //script/@src')
    files = [root / page] + [root / posixpath.normpath(posixpath.join(str(page.parent), url))
                             for url in dict.fromkeys(assets) if not urlsplit(url).scheme]
    if compressed:
        return sum(len(gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)) for file in files)
    return sum(file.stat().st_size for file in files)


def run_axe(page, url: str) -> list[dict]:
    """Load ``url`` in a Playwright page, inject axe-core and return its WCAG violations."""
    page.goto(url)
    page.add_script_tag(path=str(tools.axe_script()))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {"rule": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
