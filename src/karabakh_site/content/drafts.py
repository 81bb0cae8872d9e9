"""Leave drafts out of a published site, once, before anything links to them (#14).

A draft (``draft: true``) is built by ``serve`` and by ``build --drafts`` / ``check --drafts``,
with a "Draft" banner. Otherwise it is removed from the model here, before linking, so
no page, list, feed, sitemap entry, search record, data file, related-documents list,
territory mention or chronology event can reach it. An event that cites a draft is an
error: the chronology would otherwise date something no published text states.
"""

from __future__ import annotations

from dataclasses import replace

from karabakh_site.errors import Problems
from karabakh_site.content.model import Site


def exclude_drafts(site: Site) -> tuple[Site, Problems]:
    """Return the site without its draft articles and pages; an event citing a draft is a problem."""
    problems = Problems()
    drafts = {article.slug: article for article in site.articles if article.draft}
    for event in site.events:
        for source in event.sources:
            draft = drafts.get(source.article)
            if draft is not None:
                problems.add(site.chronology_path, source.line,
                             f"event {event.id!r} cites article {source.article!r}, which is a draft "
                             f"('draft: true' in {draft.source_path})",
                             "publish the article first (delete 'draft: true'), or cite a published one; "
                             "`build --drafts` previews drafts")
    published = replace(site, articles=tuple(a for a in site.articles if not a.draft),
                        pages=tuple(p for p in site.pages if not p.draft),
                        withheld=replace(site.withheld, drafts=frozenset(drafts)))
    return published, problems


def draft_paths(site: Site) -> frozenset[str]:
    """The source paths of the site's draft articles and pages."""
    return frozenset(d.source_path for d in (*site.articles, *site.pages) if d.draft)


def without_problems_of(problems: Problems, paths: frozenset[str]) -> Problems:
    """The problems that are not about the files in ``paths`` (drafts left out of the build)."""
    return Problems([error for error in problems.items if error.path not in paths])


