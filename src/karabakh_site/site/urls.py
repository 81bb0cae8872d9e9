"""The site's one URL scheme: where every object's page is, and how pages link to each other.

Every stage after the model asks this module for paths and URLs, and nothing else builds
them (#13: the scheme used to live in link.py, written twice). Output paths are POSIX,
relative to build/, and name ``index.html``, so the site works from any subpath and from
disk; canonical URLs add ``base_url`` and drop ``index.html``.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from karabakh_site.site.facets import Facet, FacetEntry
from karabakh_site.content.model import Article, Event, Page, Territory

HOME_PATH = PurePosixPath("index.html")
ARTICLES_PATH = PurePosixPath("articles/index.html")
CHRONOLOGY_PATH = PurePosixPath("chronology/index.html")
TERRITORIES_PATH = PurePosixPath("territories/index.html")
NOT_FOUND_PATH = PurePosixPath("404.html")
SEARCH_PATH = PurePosixPath("search/index.html")
DATA_PAGE_PATH = PurePosixPath("data/index.html")
FEED_PATH = PurePosixPath("feed.xml")
SITEMAP_PATH = PurePosixPath("sitemap.xml")
ROBOTS_PATH = PurePosixPath("robots.txt")
STATIC_PREFIX = PurePosixPath("static")
"""Theme files (CSS, images, scripts) are copied under this folder."""


def target_path(target: object) -> str:
    """The output path (with #fragment) of any object a page can link to: one URL per object."""
    if isinstance(target, Article):
        return f"articles/{target.slug}/index.html"
    if isinstance(target, Territory):
        return f"territories/{target.id}/index.html"
    if isinstance(target, Page):
        return f"{target.slug}/index.html"
    if isinstance(target, Event):
        return f"{CHRONOLOGY_PATH}#{event_anchor(target)}"
    if isinstance(target, Facet):
        return f"{target.key}/index.html"
    if isinstance(target, FacetEntry):
        return f"{target.facet_key}/{target.slug}/index.html"
    if isinstance(target, (str, PurePosixPath)):
        return str(target)
    raise TypeError(f"no URL for {type(target).__name__}")


def language_folder(language: str, default: str) -> str:
    """The folder of a language's pages (#16): '' for the site's default language, at the root;
    'ru/' for Russian. Every language has the same pages, at the same paths under its folder."""
    return "" if language == default else f"{language}/"


def in_language(folder: str, target: str) -> str:
    """``target`` (an output path, maybe with #fragment) in the tree of the language whose folder is ``folder``.

    Pages (``.html``) have one copy per language; every other file (static files, feeds, the
    sitemap, data files, the originals as received, the search index) is one for all (#16).
    """
    if not folder or not target.partition("#")[0].endswith(".html"):
        return target
    return folder + target


def article_path(article: Article) -> PurePosixPath:
    """Output path of an article's page; its URL is the folder."""
    return PurePosixPath(target_path(article))


def territory_path(territory: Territory) -> PurePosixPath:
    return PurePosixPath(target_path(territory))


def page_path(page: Page) -> PurePosixPath:
    return PurePosixPath(target_path(page))


def canonical_url(base_url: str, output_path: PurePosixPath) -> str:
    """The public address of a page: base_url plus its folder, without index.html."""
    text = str(output_path)
    if text == "index.html":
        return base_url
    if text.endswith("/index.html"):
        text = text[: -len("index.html")]
    return base_url + text


def absolute_url(base_url: str, target: object) -> str:
    """The public address of any linkable object, with its #fragment (feeds, metadata, data)."""
    path, _, fragment = target_path(target).partition("#")
    url = canonical_url(base_url, PurePosixPath(path))
    return f"{url}#{fragment}" if fragment else url


def feed_path_of(target: object) -> PurePosixPath:
    """The Atom feed beside a tag's or a territory's page."""
    return PurePosixPath(target_path(target)).parent / "feed.xml"


def relative_url(from_page: PurePosixPath | str, target: str) -> str:
    """Make ``target`` (an output path, maybe with #fragment) relative to ``from_page``.

    Output paths are normalised POSIX paths without '.' or '..', so this is plain string
    work; posixpath.relpath was a third of the render time at 1,000 documents (#8).
    """
    path, _, fragment = target.partition("#")
    page = str(from_page)
    if path == page and fragment:
        return f"#{fragment}"
    page_dirs = page.split("/")[:-1]
    parts = path.split("/")
    common = 0
    while common < len(page_dirs) and common < len(parts) - 1 and page_dirs[common] == parts[common]:
        common += 1
    relative = "../" * (len(page_dirs) - common) + "/".join(parts[common:])
    return f"{relative}#{fragment}" if fragment else relative


def event_anchor(event: Event) -> str:
    """The fragment that identifies an event on the chronology page."""
    return f"event-{event.id}"
