"""The saved document's own page at once, before the rebuild of everything around it (#13).

In ``serve`` a rebuild costs what a build costs: seconds at 10,000 documents, because a
document's words reach the pages of its territories, its indexes and its neighbours. What
an editor waits for after saving is the page of the document just saved. Like Hugo's
fast render mode, ``serve`` first renders that one page from the saved file and the site
as the last rebuild linked it, then rebuilds the whole site, which writes the exact page
and every page around it (or, if the site has errors, puts the last good page back).

The preview is made only when the saved document passes its own checks (front matter,
Markdown, links) and already had a page: a new, renamed or broken document waits for the
rebuild, which reports its errors with their lines.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path, PurePosixPath

import jinja2

from karabakh_site.site.link import BodyRenderer, LinkedSite
from karabakh_site.content.load import load_document
from karabakh_site.content.model import article_from
from karabakh_site.render.pages import article_page
from karabakh_site.render.renderer import render_one
from karabakh_site.render.timeline import plan_chronology


class DocumentPreview:
    """Renders saved articles' pages against the site of the last good rebuild."""

    def __init__(self, content: Path, linked: LinkedSite, env: jinja2.Environment):
        self.articles = (content / "articles").resolve()
        self.content, self.linked, self.env = content, linked, env
        self._renderer: BodyRenderer | None = None
        self._event_targets: dict | None = None

    def prepared(self) -> "DocumentPreview":
        """Make now what every preview shares (half a second at 10,000 documents), not at the first save."""
        if self._renderer is None:
            self._renderer = BodyRenderer(self.linked)
            self._event_targets = plan_chronology(self.linked).event_targets
            self._render_once()
        return self

    def _render_once(self) -> None:
        """Render one document page and throw it away: the first render in a process compiles
        the templates and loads the locale data dates and citations are written with. A build
        that renders no document page (all unchanged, #13) would leave that to the first save."""
        article = next(iter(self.linked.articles_by_date), None)
        if article is not None:
            render_one(self.linked, self.env, article_page(self.linked, article, self.env.globals["strings"],
                                                            self._event_targets))

    def page_of(self, saved: Path) -> tuple[PurePosixPath, bytes] | None:
        """The output path and bytes of the saved article's page; None when it must wait for the rebuild."""
        if saved.suffix != ".md" or not saved.is_file() or saved.resolve().parent != self.articles:
            return None
        raw, problems = load_document(self.content, saved)
        if raw is None or problems:
            return None
        article, problems = article_from(raw, self.linked.site.original_names)
        old = self.linked.article_by_slug.get(raw.slug)
        if article is None or problems or old is None or old.source_path != article.source_path:
            return None
        body, problems = self.prepared()._renderer.render(article)
        if problems:
            return None
        linked = dataclasses.replace(self.linked, bodies={**self.linked.bodies, article.source_path: body},
                                     article_by_slug={**self.linked.article_by_slug, article.slug: article})
        spec = article_page(linked, article, self.env.globals["strings"], self._event_targets)
        html, problems = render_one(linked, self.env, spec)
        if html is None or problems:
            return None
        return spec.output_path, html.encode("utf-8")
