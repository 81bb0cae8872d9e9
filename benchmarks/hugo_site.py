"""Convert a content folder into a minimal Hugo site with the same pages, for comparison.

    python benchmarks/hugo_site.py --content DIR --out HUGODIR [--force] [--no-feeds]

One Hugo page per document (its Markdown body), Hugo taxonomies ``tags`` and
``territories`` (term pages list their documents), a chronology page whose layout loops
over ``data/chronology.yaml``, the plain pages and a home page; layouts of our own in
HUGODIR/layouts, no theme. Hugo's RSS feeds and sitemap are on by default and stay on
(the project also writes feeds and a sitemap); ``--no-feeds`` disables them.
Needs PyYAML (a dependency of the project).
"""

from __future__ import annotations

import argparse
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

LINK = re.compile(r"\]\(([^()\s]+?\.md)(#[^()\s]*)?\)")
EDTF_START = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
LAYOUTS_FOLDER = Path(__file__).with_name("hugo_layouts")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: the same results, several times faster."""


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and write the Hugo site."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--content", required=True, help="the project's content folder")
    parser.add_argument("--out", required=True, help="the Hugo site folder to write")
    parser.add_argument("--force", action="store_true", help="replace a Hugo site already in --out")
    parser.add_argument("--no-feeds", action="store_true", help="disable Hugo's RSS feeds and sitemap")
    args = parser.parse_args(argv)
    content, out = Path(args.content), Path(args.out)
    if out.exists() and any(out.iterdir()):
        if not args.force:
            print(f"error: {out} is not empty; pass --force to replace its Hugo site", file=sys.stderr)
            return 2
        for name in ("content", "data", "layouts"):
            shutil.rmtree(out / name, ignore_errors=True)
        (out / "config.toml").unlink(missing_ok=True)
    files = convert(content, no_feeds=args.no_feeds)
    for relative, text in sorted(files.items()):
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    print(f"{out}: {len(files)} files written for Hugo")
    return 0


def convert(content: Path, no_feeds: bool = False) -> dict[str, str]:
    """Return {path relative to the Hugo site: text} for the whole Hugo site."""
    site = yaml.safe_load(_read(content / "site.yaml"))
    chronology = yaml.safe_load(_read(content / "chronology.yaml"))
    territories = chronology.get("territories") or []
    matcher = _name_matcher(territories)
    files = {"config.toml": render_config(site, no_feeds), "data/chronology.yaml": _read(content / "chronology.yaml")}
    files.update(_static_content(site, territories))
    for path in sorted((content / "articles").glob("*.md")):
        files[f"content/articles/{path.name}"] = convert_article(path, matcher)
    for path in sorted((content / "pages").glob("*.md")):
        files[f"content/{path.name}"] = convert_page(path)
    files.update(_layouts())
    return files


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")


def _q(text: str) -> str:
    """Quote for YAML and TOML alike (JSON string syntax is valid in both)."""
    return json.dumps(str(text), ensure_ascii=False)


def _q_list(items: list) -> str:
    return "[" + ", ".join(_q(item) for item in items) + "]"


def render_config(site: dict, no_feeds: bool) -> str:
    lines = [
        "# Only the site's origin: with relativeURLs, a subpath in baseURL would end up inside",
        "# every relative link (../../subpath/tags/...). Links are relative, as in the project.",
        f"baseURL = {_q(_origin(site['base_url']))}",
        f"languageCode = {_q(site.get('language', 'en'))}",
        f"title = {_q(site['title'])}",
        "relativeURLs = true",
        "# The archive publishes every document, whatever its date.",
        "buildFuture = true",
        "# RSS (index.xml per section, tag and territory) and sitemap.xml are Hugo defaults;",
        "# they stay on unless hugo_site.py --no-feeds. robots.txt is off by default.",
        'disableKinds = ["RSS", "sitemap"]' if no_feeds else "disableKinds = []",
        "",
        "[taxonomies]",
        '  tag = "tags"',
        '  territory = "territories"',
        "",
        "[markup.goldmark.renderer]",
        "  # Raw HTML is shown as text in the project; Hugo's default (unsafe = false) omits it.",
        "  unsafe = false",
        "",
    ]
    return "\n".join(lines)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _static_content(site: dict, territories: list[dict]) -> dict[str, str]:
    """Section and taxonomy list pages, one _index.md per territory, the chronology page."""
    files = {
        "content/_index.md": _front({"title": site["title"], "description": site.get("description", "")}),
        "content/articles/_index.md": _front({"title": "Documents"}),
        "content/tags/_index.md": _front({"title": "Tags"}),
        "content/territories/_index.md": _front({"title": "Territories"}),
        "content/chronology.md": _front({"title": "Chronology", "layout": "chronology"}),
    }
    for territory in territories:
        fields = {"title": territory["name"], "aliases_names": territory.get("aliases") or []}
        if territory.get("area_km2") is not None:
            fields["area_km2"] = territory["area_km2"]
        files[f"content/territories/{territory['id']}/_index.md"] = _front(fields)
    return files


def _front(fields: dict, body: str = "") -> str:
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, list):
            lines.append(f"{key}: {_q_list(value)}")
        elif isinstance(value, (int, float)):
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {_q(value)}")
    return "\n".join(lines + ["---", ""]) + body


def _split(path: Path) -> tuple[dict, str]:
    text = _read(path)
    _, front, body = text.split("---\n", 2)
    return yaml.load(front, Loader=_LOADER) or {}, body


def _name_matcher(territories: list[dict]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """Find territory names and aliases as whole words, longest first, like the project."""
    owner = {name: t["id"] for t in territories for name in (t["name"], *(t.get("aliases") or []))}
    if not owner:
        return None
    alternation = "|".join(re.escape(name) for name in sorted(owner, key=lambda n: (-len(n), n)))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
    return pattern, {name.casefold(): territory_id for name, territory_id in owner.items()}


def _mentioned(body: str, matcher) -> list[str]:
    """Territory ids named in the body, so term pages list them as the project's pages do."""
    if matcher is None:
        return []
    pattern, owner = matcher
    return list(dict.fromkeys(owner[m.group(0).casefold()] for m in pattern.finditer(body)))


def edtf_start_day(edtf: str) -> str | None:
    """The first day an EDTF date can mean, e.g. '2021-05~' -> '2021-05-01'."""
    match = EDTF_START.match(edtf)
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def convert_article(path: Path, matcher) -> str:
    meta, body = _split(path)
    fields: dict = {"title": meta["title"]}
    if meta.get("date"):
        fields["date"] = edtf_start_day(str(meta["date"]))
        fields["edtf"] = str(meta["date"])
    listed = [str(t) for t in meta.get("territories") or []]
    fields["tags"] = list(meta.get("tags") or [])
    fields["territories"] = list(dict.fromkeys(listed + _mentioned(body, matcher)))
    fields["speakers"] = list(meta.get("speakers") or [])
    source = meta.get("source") or {}
    fields["source_name"] = source.get("name") or source.get("note") or ""
    if source.get("via"):
        fields["source_via"] = source["via"]
    if meta.get("summary"):
        fields["summary"] = meta["summary"]
    return _front(fields, rewrite_links(body, f"articles/{path.name}"))


def convert_page(path: Path) -> str:
    meta, body = _split(path)
    fields = {"title": meta["title"]}
    if meta.get("summary"):
        fields["summary"] = meta["summary"]
    return _front(fields, rewrite_links(body, f"pages/{path.name}"))


def hugo_folder(content_path: str) -> str:
    """The URL folder Hugo publishes a content file at: articles/x.md -> /articles/x/."""
    folder, name = posixpath.split(content_path)
    slug = name[: -len(".md")]
    return f"/articles/{slug}/" if folder == "articles" else f"/{slug}/"


def rewrite_links(body: str, content_path: str) -> str:
    """Turn links to other .md files into relative Hugo page URLs (``../other-slug/``)."""
    here = hugo_folder(content_path)

    def replace(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(content_path), match.group(1)))
        relative = posixpath.relpath(hugo_folder(target), here) + "/"
        return f"]({relative}{match.group(2) or ''})"

    return LINK.sub(replace, body)


def _layouts() -> dict[str, str]:
    """The layouts in benchmarks/hugo_layouts/, copied as they are."""
    return {
        f"layouts/{path.relative_to(LAYOUTS_FOLDER).as_posix()}": path.read_text(encoding="utf-8")
        for path in sorted(LAYOUTS_FOLDER.rglob("*.html"))
    }


if __name__ == "__main__":
    sys.exit(main())
