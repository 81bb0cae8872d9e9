"""The build pipeline: load -> model -> link -> render -> write, one call per stage.

Everything is read, validated and linked before anything is written; every stage runs on
what is valid, and the problems of them all are reported together (#14). Pages are
then written into a new folder as they are rendered (#13), and the folder replaces the
output only when every page rendered without a problem.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from karabakh_site.cache import BuildCache
from karabakh_site.collector import collector_paused
from karabakh_site.site.content_warnings import find_warnings
from karabakh_site.render.data import export_data
from karabakh_site.content.drafts import draft_paths, exclude_drafts, without_problems_of
from karabakh_site.errors import BuildFailed, ContentError, Problems, quote_source_lines
from karabakh_site.site.link import BODY_TYPES, LinkedSite, link_site
from karabakh_site.content.load import load_content
from karabakh_site.content.model import Site, build_model, with_base_url
from karabakh_site.site.originals import original_files
from karabakh_site.output.output_folder import check_output_folder, folder_lock
from karabakh_site.progress import QUIET, Progress
from karabakh_site.render.renderer import MemorySink, create_environment, render_site
from karabakh_site.output.search import index_search
from karabakh_site.output.snapshot import LastBuild, inputs_digest, output_state
from karabakh_site.render.strings import load_strings
from karabakh_site.render.theme import (
    check_language_strings, check_theme, collect_static, theme_static_dirs, theme_template_dirs,
)
from karabakh_site.content.wordcheck import check_articles
from karabakh_site.output.write import Staging



@dataclass(frozen=True)
class BuildOptions:
    """Where to read content and theme from, and where to write."""

    content: Path = Path("content")
    out: Path = Path("build")
    templates: tuple[Path, ...] = ()
    """User template folders, searched before the theme's own."""
    theme_templates: Path | None = None
    """The theme's templates; None: the working folder's templates/ over the packaged theme."""
    static: Path | None = None
    """The theme's static files; None: the packaged theme's, replaced by static/'s of the same name."""
    base_url: str | None = None
    """Overrides site.yaml's base_url, e.g. for a preview under another address."""
    search: bool = True
    """Build the Pagefind search index (the slowest step; tests of other parts skip it)."""
    cache_dir: Path | None = None
    """Where to keep rendered bodies and pages between builds (``.cache``); None = no cache."""
    workers: int = 1
    """Processes to render with; the command line uses every core."""
    force: bool = False
    """Replace an existing output folder even if this generator did not make it."""
    drafts: bool = False
    """Build the drafts (``draft: true``) too, with a banner: ``serve``, ``--drafts`` (#14)."""


@dataclass
class BuildReport:
    """What a build produced, for the command line to print."""

    paths: tuple[PurePosixPath, ...] = ()
    """Every file of the output (besides the manifest and the search index), sorted."""
    files: dict[PurePosixPath, bytes] = field(default_factory=dict)
    """Their bytes, when the build kept them in memory (``check``, ``serve``); empty after a
    streaming ``build``, which writes each page as it is rendered."""
    linked: LinkedSite | None = None
    environment: object = None
    """The templates the pages were rendered with (``serve`` renders a saved document's page with them)."""
    unchanged: bool = False
    """True when nothing had changed since the last build into the folder, which was kept as it was."""
    warnings: list[ContentError] = field(default_factory=list)
    """What is worth a reviewer's look but publishable (content_warnings.py, #17); none when unchanged."""

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.paths if path.suffix == ".html")


@dataclass
class _Stages:
    """What the stages before rendering produced: the linked site, the templates, the static files."""

    linked: LinkedSite
    environments: dict[str, object]
    """Each language's templates and strings, the default language's first (#16)."""
    static_files: dict[PurePosixPath, bytes]
    warnings: list[ContentError] = field(default_factory=list)

    @property
    def env(self) -> object:
        """The default language's templates (``serve``'s preview of a saved document)."""
        return next(iter(self.environments.values()))


def _run_stages(options: BuildOptions, cache: BuildCache | None, progress: Progress) -> _Stages:
    """Load, model, check, link, read the strings; raise BuildFailed with the problems of them all.

    Every stage runs even when an earlier one found problems (#14): each gets what is valid
    (the model leaves out what is broken and says so in ``site.withheld``), so a bad date does
    not hide a misspelt territory. The problems are quoted with their source lines.
    """
    template_dirs = [*options.templates, *theme_template_dirs(options.theme_templates)]
    static_dirs = theme_static_dirs(options.static)
    problems = check_theme(template_dirs, static_dirs)
    raw, found = load_content(options.content, cache.parsed_front_matter() if cache is not None else None)
    problems.extend(found.items)
    progress.stage("load", f"{len(raw.articles)} articles, {len(raw.pages)} pages read from {options.content}")
    site, found = build_model(raw)
    problems.extend(found.items)
    site, found = _published_part(site, raw.originals, options.drafts)
    problems.extend(found.items)
    progress.stage("model", f"{len(site.territories)} territories, {len(site.events)} events checked")
    if options.base_url:
        site = with_base_url(site, options.base_url)
    linked, found = link_site(site, cache, options.workers)
    problems.extend(found.items)
    progress.stage("link", "references checked" if linked is None else
                   f"{_count(linked.bodies_rendered, 'body', 'bodies')} rendered, "
                   f"{len(linked.bodies) - linked.bodies_rendered} from the cache; references checked")
    static_files = collect_static(static_dirs)
    problems.extend(check_language_strings(template_dirs, site.config, raw.site_path).items)
    environments = {}
    for language in site.config.languages or (site.config.language,):
        strings, found = load_strings(template_dirs, language)
        problems.extend(found.items)
        environments[language] = create_environment(template_dirs, static_files, strings)
    warnings = quote_source_lines(find_warnings(raw, site, linked), raw.text_finder())  # never fail (#17)
    if problems:
        raise BuildFailed(quote_source_lines(problems.sorted(), raw.text_finder()), warnings)
    return _Stages(linked, environments, static_files, warnings)


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def _published_part(site: Site, originals: dict[str, str], drafts: bool):
    """Check every article's words against its original, then leave the drafts out unless asked (#14).

    The word check sees the drafts too, so that an original shared with a draft is accounted
    for; only the drafts' own problems are dropped with them.
    """
    checkable = [article for article in site.articles if article.original not in site.withheld.originals]
    checked = check_articles(checkable, originals)  # no silent change to a published text
    if drafts:
        return site, checked
    published, problems = exclude_drafts(site)
    problems.extend(without_problems_of(checked, draft_paths(site)).items)
    return published, problems


def _other_files(stages: _Stages) -> dict[PurePosixPath, bytes]:
    """The files that are not rendered pages: open data, static files, the originals."""
    files = {path: text.encode("utf-8") for path, text in export_data(stages.linked).items()}
    files.update(stages.static_files)
    files.update(original_files(stages.linked.site.originals))
    return files


def prepare_site(options: BuildOptions, cache: BuildCache | None = None,
                 progress: Progress = QUIET) -> BuildReport:
    """Run every stage except writing, keeping the output in memory; raise BuildFailed on problems.

    ``cache`` (kept by ``serve`` between rebuilds) lets unchanged pages skip rendering.
    """
    with collector_paused():
        return _prepare_site(options, cache, progress)


def _prepare_site(options: BuildOptions, cache: BuildCache | None, progress: Progress) -> BuildReport:
    stages = _run_stages(options, cache, progress)
    sink = MemorySink(cache.pages if cache is not None else None)
    render_site(stages.linked, stages.environments, sink, progress, options.workers).raise_if_any()
    progress.stage("render", f"{len(sink.pages)} pages and files rendered")
    files = {path: text.encode("utf-8") for path, text in sink.pages.items()}
    files.update(_other_files(stages))
    files = dict(sorted(files.items()))
    return BuildReport(paths=tuple(files), files=files, linked=stages.linked, environment=stages.env,
                       warnings=stages.warnings)


class _StagingSink:
    """Rendered pages written straight into the staging folder; unchanged ones linked (#13)."""

    def __init__(self, staging: Staging, page_digests):
        self.staging, self.page_digests, self.paths = staging, page_digests, []
        self.rendered = 0
        self.needs_keys = page_digests is not None  # without a cache, a fingerprint serves nothing

    def reuse(self, output_path: PurePosixPath, key: bytes) -> bool:
        entry = self.page_digests.get(str(output_path))
        if entry is None or entry[0] != key or not self.staging.reuse(output_path, entry[1]):
            return False
        self.paths.append(output_path)
        return True

    def put(self, output_path: PurePosixPath, key: bytes, html: str) -> None:
        self.rendered += 1
        digest = self.staging.put(output_path, html.encode("utf-8"))
        if self.page_digests is not None:
            self.page_digests[str(output_path)] = (key, digest)
        self.paths.append(output_path)


def build(options: BuildOptions, cache: BuildCache | None = None, progress: Progress = QUIET,
          keep_files: bool = False) -> BuildReport:
    """Build the site into ``options.out``, replacing the previous output only on success.

    The output folder is checked before anything runs (never the content, the theme,
    the cache or the project; never a folder we did not make), and builds into one
    output folder, or sharing one cache, take turns. Pages are written into the new
    folder as they are rendered; ``keep_files`` (``serve``) keeps them in memory too.
    """
    check_output_folder(options.out, protected_folders(options), Path.cwd(), options.force)
    out = options.out.resolve()  # a link to the output: replace the folder it names
    with folder_lock(out.parent, str(options.out)), _cache_lock(options.cache_dir), collector_paused():
        opened = cache is None and options.cache_dir is not None
        if opened:
            cache = BuildCache.load(options.cache_dir, BODY_TYPES)
        try:
            recorded = cache is not None and cache.connection is not None and not keep_files
            inputs = _inputs_digest(options) if recorded else None
            last = LastBuild.from_json(cache.last_builds.get(str(out), "")) if recorded else None
            if inputs is not None and last is not None and last.is_current(inputs, out):
                progress.stage("write", f"nothing changed since the last build; {options.out} kept as it is")
                return BuildReport(paths=last.report_paths, unchanged=True)
            report = _build_into(out, options, cache, progress, keep_files, last.outputs if last is not None else None)
            if recorded:  # inputs too fresh to trust by stat ("") never match: the next build runs
                cache.last_builds[str(out)] = LastBuild(inputs or "", output_state(out),
                                                        tuple(map(str, report.paths))).to_json()
            if cache is not None:
                cache.save()
                progress.stage("cache", f"saved to {options.cache_dir}" if options.cache_dir else "kept in memory")
        finally:
            if opened:
                cache.close()
    return report


def _inputs_digest(options: BuildOptions) -> str | None:
    """The stat digest of everything a build of ``options`` reads, and of the options themselves (#13)."""
    folders = [options.content, *options.templates, *theme_template_dirs(options.theme_templates),
               *theme_static_dirs(options.static)]
    settings = {"folders": [str(folder.resolve()) for folder in folders], "base_url": options.base_url,
                "search": options.search, "drafts": options.drafts}
    return inputs_digest(folders, settings)


def _build_into(out: Path, options: BuildOptions, cache: BuildCache | None, progress: Progress,
                keep_files: bool, left_as: dict[str, list[int]] | None = None) -> BuildReport:
    """Build into a staging folder and swap it in; ``left_as`` is the stat of every file the last
    build left in ``out`` (from the cache's record), so its untouched files are reused unread."""
    if keep_files:
        report = prepare_site(options, cache, progress)
        with Staging(out) as staging:
            for path in report.paths:
                staging.put(path, report.files[path])
            staging.commit(_search_step(options, report.linked, progress))
    else:
        stages = _run_stages(options, cache, progress)
        with Staging(out, left_as) as staging:
            sink = _StagingSink(staging, cache.page_digests if cache is not None else None)
            render_site(stages.linked, stages.environments, sink, progress, options.workers).raise_if_any()
            progress.stage("render", f"{_count(sink.rendered, 'page', 'pages')} rendered, "
                                     f"{len(sink.paths) - sink.rendered} unchanged (inputs as in the last build)")
            others = _other_files(stages)
            for path in sorted(others):
                staging.put(path, others[path])
            staging.commit(_search_step(options, stages.linked, progress))
        report = BuildReport(paths=tuple(sorted([*sink.paths, *others])), linked=stages.linked,
                             warnings=stages.warnings)
        if cache is not None:
            _forget_old_pages(cache.page_digests, set(map(str, sink.paths)))
    progress.stage("write", f"{len(report.paths)} files written to {options.out}")
    return report


def _search_step(options: BuildOptions, linked: LinkedSite, progress: Progress):
    if not options.search:
        return None
    return partial(_index_search, language=search_language(linked.site.config), progress=progress)


def _forget_old_pages(page_digests, current: set[str]) -> None:
    """Drop the cache's entries of pages this build no longer has (a deleted document)."""
    for path in [path for path in page_digests if path not in current]:
        del page_digests[path]


def protected_folders(options: BuildOptions) -> list[Path]:
    """The folders the build reads or keeps: an output folder may not overlap any of them."""
    folders = [options.content, *theme_template_dirs(options.theme_templates), *options.templates]
    folders += [*theme_static_dirs(options.static), *([options.cache_dir] if options.cache_dir is not None else [])]
    return folders


def _cache_lock(cache_dir: Path | None):
    return folder_lock(cache_dir, str(cache_dir)) if cache_dir is not None else contextlib.nullcontext()


def search_language(config) -> str | None:
    """The one language Pagefind indexes every page in; None for a site in several languages,
    whose pages Pagefind indexes by their ``<html lang>``, an index for each (#16)."""
    return config.language if len(config.languages) <= 1 else None


def _index_search(site_dir: Path, language: str | None, progress: Progress) -> None:
    pages = index_search(site_dir, language)
    progress.stage("search", f"index built from {pages} pages")

