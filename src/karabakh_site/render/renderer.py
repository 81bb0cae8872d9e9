"""Render the linked site through Jinja templates into {output path: HTML}.

Templates are the theme: the project's ``templates/`` folder, with any number of
user folders searched first, so a user overrides a template by writing one of the
same name. Every internal URL is made relative to the page that contains it, so the
output works from any subpath and from disk.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
import traceback
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath
from collections.abc import Mapping
from typing import Protocol

import jinja2
from markupsafe import Markup, escape

from karabakh_site.text import dates
from karabakh_site.cache import Memo, RenderCache, fingerprint, theme_fingerprint
from karabakh_site.errors import Problems
from karabakh_site.site.link import LinkedSite
from karabakh_site.render.local_names import shown_name, shown_name_html
from karabakh_site.site.urls import (
    NOT_FOUND_PATH, STATIC_PREFIX, absolute_url, canonical_url, feed_path_of, in_language, language_folder, relative_url,
    target_path,
)
from karabakh_site.render.pages import PageSpec, entry_name, plan_pages, site_values
from karabakh_site.parallel import imap_in_processes
from karabakh_site.progress import QUIET, Progress
from karabakh_site.content.load import display_path
from karabakh_site.render.strings import Strings, date_words, load_strings
from karabakh_site.text import numerals
from karabakh_site.text.languages import styled_by_cldr


def create_environment(template_dirs: list[Path], static_files: dict[PurePosixPath, bytes] | None = None,
                       strings: Strings | None = None) -> jinja2.Environment:
    """Build the Jinja environment: autoescape on, undefined names are errors."""
    strings = strings or load_strings(template_dirs, "en")[0]
    static_files = static_files or {}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = partial(dates.format_date, words=date_words(strings))
    env.filters["iso_date"] = exact_machine_date
    env.filters["approximate"] = dates.is_approximate
    env.filters["area"] = partial(numerals.format_area, locale=styled_by_cldr(strings.language),
                                  not_stated=strings["area_not_stated"])
    env.filters["timestamp"] = dates.timestamp
    env.filters["json_ld"] = json_ld
    env.filters["csp_hash"] = csp_hash
    env.globals["t"] = partial(_translate, strings)
    env.filters["paragraph_links"] = partial(paragraph_links, label=strings["paragraph_link"])
    env.globals["entry_label"] = partial(entry_name, strings)
    env.globals["strings"] = strings
    env.globals["theme_fingerprint"] = theme_fingerprint(template_dirs, static_files).hex()
    env.globals["url"] = _url
    env.globals["page_url"] = _page_url
    env.globals["local_name"] = _local_name
    env.globals["absolute_url"] = _absolute_url
    env.globals["feed_path"] = feed_path_of
    env.globals["stylesheet_text"] = partial(_stylesheet_text, static_files)
    return env


def _stylesheet_text(static_files: dict[PurePosixPath, bytes], name: str) -> Markup:
    """The text of a theme stylesheet, for pages that must inline it (the 404 page)."""
    data = static_files.get(STATIC_PREFIX / name)
    if data is None:
        raise jinja2.TemplateRuntimeError(f"no static file {name!r} to inline")
    return Markup(data.decode("utf-8").replace("</", "<\\/"))


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline style or script."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _translate(strings: Strings, key: str, **values: object) -> str:
    """Template helper ``t(key, ...)``: a missing string is a template error, not a crash."""
    try:
        return strings.format(key, **values)
    except KeyError as error:
        raise jinja2.TemplateRuntimeError(str(error.args[0])) from None


_NUMBERED_PARAGRAPH = re.compile(r'<(?:p|li) id="p-([0-9]+)">')
"""The opening tag markdown.number_paragraphs (and fast_markdown's twin) gives each paragraph of a text.

Only the renderer writes such a tag: the text's own HTML is escaped (``"`` becomes ``&quot;``)."""


def paragraph_links(html: str, label: str) -> Markup:
    """A body's HTML with a permalink at the start of each numbered paragraph (#15), for citing "paragraph 14".

    Why here and not in the Markdown renderers: the two (markdown-it-py and the fast path) must
    stay byte-identical and feeds and plain pages want no permalinks; this is the one place the
    article page adds them. The link is empty, named by ``aria-label`` (``label`` with {number});
    the stylesheet draws the ¶ and the number, so they are neither searched nor quoted as the text.
    It has no class: at 42 paragraphs a class was 0.7 KB of a page near its weight budget, and
    ``a[aria-label]`` finds it, as a body's own links (Markdown) never carry one.
    """
    def link(match: re.Match) -> str:
        number = match.group(1)
        return f'{match.group(0)}<a href="#p-{number}" aria-label="{escape(label.format(number=number))}"></a>'

    return Markup(_NUMBERED_PARAGRAPH.sub(link, str(html)))


def format_area(value: float | None, not_stated: str = "not stated") -> str:
    """Format an area as '4,400 km²', or 'not stated' when the sources give none."""
    if value is None:
        return not_stated
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{number} km²"


def json_ld(value: object) -> Markup:
    """Serialise structured data for a ``<script type="application/ld+json">`` block.

    ``<`` is escaped as \\u003c so no value can close the script element early.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c"))


@jinja2.pass_context
def _absolute_url(context: jinja2.runtime.Context, target: object) -> str:
    """The public address of an object: base_url plus its folder URL (for feeds, metadata)."""
    return absolute_url(context["site"].base_url, target)


@jinja2.pass_context
def _url(context: jinja2.runtime.Context, target: object, language: str | None = None) -> str:
    """Template helper: the URL of an object or output path, relative to the current page.

    A page links to pages of its own language's tree, or of ``language``'s (the language
    switch, #16); ``page_path`` is the page's path within its tree. The 404 page can be
    served at any depth, so its links are absolute from base_url.
    """
    page, site = context["page_path"], context["site"]
    here = language_folder(context["language"], site.language)
    path = in_language(here if language is None else language_folder(language, site.language), target_path(target))
    if page == NOT_FOUND_PATH:
        return site.base_url + path
    return relative_url(here + str(page), path)


@jinja2.pass_context
def _page_url(context: jinja2.runtime.Context, language: str) -> str:
    """The public address of the current page in ``language``'s tree: hreflang alternates (#16)."""
    site = context["site"]
    return canonical_url(site.base_url, PurePosixPath(in_language(language_folder(language, site.language),
                                                                  str(context["page_path"]))))


@jinja2.pass_context
def _local_name(context: jinja2.runtime.Context, subject: object, text: bool = False) -> str:
    """A territory's name in the page's language with the site's alongside (#16); ``text``: plain, for attributes."""
    if text:
        return shown_name(subject, context["language"])
    return shown_name_html(subject, context["language"], context["site"].language)


class PageSink(Protocol):
    """Where rendered pages go: kept in memory (``check``, ``serve``) or written away (``build``)."""

    needs_keys: bool
    """Whether ``reuse`` can use a page's fingerprint (computing one costs time)."""

    def reuse(self, output_path: PurePosixPath, key: bytes) -> bool:
        """Take the page from what an earlier build made of the same inputs; False if it cannot."""

    def put(self, output_path: PurePosixPath, key: bytes, html: str) -> None:
        """Accept a page just rendered from inputs with fingerprint ``key``."""


@dataclass
class MemorySink:
    """Pages kept in memory; with a RenderCache, unchanged pages come from the last build (#7)."""

    cache: RenderCache | None = None
    pages: dict[PurePosixPath, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.cache is not None:
            self.cache.rendered.clear()  # what this build renders, for serve's report

    @property
    def needs_keys(self) -> bool:
        return self.cache is not None

    def reuse(self, output_path: PurePosixPath, key: bytes) -> bool:
        html = self.cache.lookup(output_path, key) if self.cache is not None else None
        if html is not None:
            self.pages[output_path] = html
        return html is not None

    def put(self, output_path: PurePosixPath, key: bytes, html: str) -> None:
        self.pages[output_path] = html
        if self.cache is not None:
            self.cache.store(output_path, key, html)


def render_site(linked: LinkedSite, environments: Mapping[str, jinja2.Environment], sink: PageSink,
                progress: Progress = QUIET, workers: int = 1) -> Problems:
    """Render every planned page of every language into ``sink``; template errors name the template's line.

    ``environments`` holds each language's templates and strings, the default language's first
    (#16): each language's pages go into its folder. The bodies were rendered once, in link.py,
    and every language's page of a document shows the same HTML.

    A page whose inputs have the fingerprint of an earlier build's is taken from it (#7,
    #8); the others are rendered on all cores and handed to the sink as they come back,
    so the whole output is never held at once (#13).
    """
    problems = Problems()
    # Bodies come with the fingerprint of their content (kept in the cache across builds).
    memo = Memo(transient_modules=(f"{__package__}.",))  # the render stage's own values live for one page
    memo.update(_body_memo(linked))
    if sink.needs_keys and not templates_read(next(iter(environments.values())), UNSHOWN_ARTICLE_FIELDS):
        memo.update(_article_memo(linked))
    changed: list[tuple[str, PurePosixPath, PageSpec, dict | None, bytes]] = []
    commons: dict[str, dict] = {}
    for language, env in environments.items():
        strings = env.globals["strings"]
        common = commons[language] = site_values(linked, strings, language)
        common_key = fingerprint((env.globals["theme_fingerprint"], common), memo) if sink.needs_keys else b""
        folder = language_folder(language, linked.site.config.language)
        for spec in plan_pages(linked, strings, language):
            output_path = PurePosixPath(in_language(folder, str(spec.output_path)))
            values = None if spec.inputs is not None else _page_values(linked, spec, common)
            key = _page_key(common_key, spec, values, common, memo) if sink.needs_keys else b""
            if not (sink.needs_keys and sink.reuse(output_path, key)):
                changed.append((language, output_path, spec, values, key))
    results = imap_in_processes(partial(_render_changed, environments, linked, commons), changed, workers)
    for number, ((_, output_path, _, _, key), (html, errors)) in enumerate(zip(changed, results), 1):
        progress.advance(number, len(changed), "render")
        problems.extend(errors)
        if html is not None:
            sink.put(output_path, key, html)
    return problems


def _body_memo(linked: LinkedSite) -> dict:
    """Fingerprints known without hashing: each body's, kept in the cache with it (#13).

    Nothing else of a body is entered: a territory page is fingerprinted by its documents'
    body digests, not by the mentions it lists (``pages._mentions_token``), and no page's
    values hold a paragraph outside its body. (Entering the 500,000 mentions and paragraphs
    of N = 10,000 documents held 90 MB through the render stage.)"""
    memo: dict = {}
    for path, body in linked.bodies.items():
        digest = linked.body_digests.get(path)
        if digest is not None:
            memo[id(body)] = (body, digest)
    return memo


def _page_key(common_key: bytes, spec: PageSpec, values: dict | None, common: Mapping, memo: Memo) -> bytes:
    """The fingerprint of everything a page shows: of its values, or of what they are made
    from when the spec says (``PageSpec.inputs``, its path and title standing for the
    values ``_page_values`` derives from them)."""
    if values is None:
        return fingerprint((common_key, spec.template, "inputs", spec.output_path, spec.title, spec.inputs), memo)
    return fingerprint((common_key, spec.template, _own_values(values, common)), memo)


def _own_values(values: dict, common: Mapping) -> dict:
    """The values of a page that are not the shared ``common`` ones: with the digest of
    ``common`` (hashed once per language), they fix every value the page's template sees (#13)."""
    return {name: value for name, value in values.items() if name not in common or common[name] is not value}


UNSHOWN_ARTICLE_FIELDS = frozenset({"body", "body_line", "territories_line"})
"""Fields of an Article the default theme never shows: the Markdown source (a document's page
shows the rendered body, handed to it as ``body``) and line numbers for error messages. Lists,
related documents and feeds carry the Article whole; fingerprinting it without these lets an
edited text re-render the pages that show its text, not the 2,000 that list its title (#13)."""


def _article_memo(linked: LinkedSite) -> dict:
    """Each Article's digest over the fields pages can show, entered in the fingerprint memo."""
    memo: dict = {}
    for article in linked.site.articles:
        shown = tuple((item.name, getattr(article, item.name)) for item in dataclasses.fields(article)
                      if item.name not in UNSHOWN_ARTICLE_FIELDS)
        memo[id(article)] = (article, fingerprint(("Article", shown), memo))
    return memo


def templates_read(env: jinja2.Environment, names: frozenset[str]) -> bool:
    """Whether any template the environment can load reads an attribute or key in ``names``:
    ``x.body``, or the name as a constant (``x["body"]``, ``attr("body")``, ``map(attribute="body")``).
    A theme that does gets every field fingerprinted: leaving out what it shows would reuse a stale page."""
    for template_name in env.list_templates():
        source = env.loader.get_source(env, template_name)[0]
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError:
            return True  # reported when the page renders; fingerprint everything meanwhile
        for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Const)):
            if (node.attr if isinstance(node, jinja2.nodes.Getattr) else node.value) in names:
                return True
    return False


def render_one(linked: LinkedSite, env: jinja2.Environment, spec: PageSpec) -> tuple[str | None, Problems]:
    """One page alone, with the values every page shares (``serve``'s preview, #13)."""
    problems = Problems()
    values = _page_values(linked, spec, site_values(linked, env.globals["strings"], linked.site.config.language))
    return _render_page(env, spec, values, problems), problems


def _render_changed(environments: Mapping[str, jinja2.Environment], linked: LinkedSite, commons: Mapping[str, dict],
                    job: tuple[str, PurePosixPath, PageSpec, dict | None, bytes]) -> tuple[str | None, list]:
    """Render one page in a worker, with its language's templates; problems travel back as data.

    A page fingerprinted by its inputs gets its values here, in the worker that renders it:
    held for every page of a cold build until the workers took them, they were 100 MB of the
    build's peak at N = 10,000 (#13)."""
    language, _, spec, values, _ = job
    if values is None:
        values = _page_values(linked, spec, commons[language])
    problems = Problems()
    return _render_page(environments[language], spec, values, problems), problems.items


def _page_values(linked: LinkedSite, spec: PageSpec, common: dict) -> dict:
    """Everything the page's template sees: its only inputs besides the theme.

    ``page_path`` is the page's path within its language's tree, the same in every language;
    its address is in the language's folder (#16).
    """
    config = linked.site.config
    folder = language_folder(common["language"], config.language)
    return {
        **common,
        "page_path": spec.output_path,
        "page_title": spec.title,
        "canonical_url": canonical_url(config.base_url, PurePosixPath(in_language(folder, str(spec.output_path)))),
        "structured_data": None,
        "og_type": "website",
        "published": None,
        "feed": None,
        **spec.page_values(),
    }


def _render_page(env: jinja2.Environment, spec: PageSpec, values: dict, problems: Problems) -> str | None:
    try:
        return env.get_template(spec.template).render(values)
    except jinja2.TemplateSyntaxError as error:
        problems.add(_template_shown(error.filename, error.name), error.lineno, f"template syntax error: {error.message}")
    except jinja2.TemplateNotFound as error:
        problems.add(spec.template, None, f"template not found: {error.name}")
    except jinja2.TemplateError as error:
        filename, line = _template_frame(error)
        problems.add(_template_shown(filename, spec.template), line, f"template error: {error}")
    return None


def _template_shown(filename: str | None, name: str | None) -> str:
    return display_path(Path(filename)) if filename else (name or "template")


def _template_frame(error: Exception) -> tuple[str | None, int | None]:
    """Find the innermost template frame of a runtime error, as Jinja rewrites it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith((".html", ".xml", ".j2")):
            return frame.filename, frame.lineno
    return None, None


def exact_machine_date(date: dates.EdtfDate | None) -> str | None:
    """The ``<time datetime>`` value of an exact date; None for an approximate or uncertain one,
    which HTML cannot mark as such (``2021-07`` for '2021-07~' would state the month as fact)."""
    return dates.machine_date(date) if dates.is_exact(date) else None
