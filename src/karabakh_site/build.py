"""The build pipeline: load -> model -> link -> render -> write, one call per stage.

Everything is read, validated and rendered before anything is written; the first
stage that finds content problems stops the build and they are reported together.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from karabakh_site.cache import BuildCache
from karabakh_site.data import export_data
from karabakh_site.link import LinkedSite, link_site
from karabakh_site.load import load_content
from karabakh_site.model import build_model, with_base_url
from karabakh_site.progress import QUIET, Progress
from karabakh_site.render import create_environment, render_site
from karabakh_site.search import index_search
from karabakh_site.strings import load_strings
from karabakh_site.wordcheck import check_articles
from karabakh_site.originals import original_files
from karabakh_site.output_folder import check_output_folder, folder_lock
from karabakh_site.theme import check_theme, collect_static
from karabakh_site.write import write_site

# Like content/ and build/, the theme is found relative to the working folder: the
# project's root, where `karabakh-site build` is run.
DEFAULT_TEMPLATES = Path("templates")
DEFAULT_STATIC = Path("static")


@dataclass(frozen=True)
class BuildOptions:
    """Where to read content and theme from, and where to write."""

    content: Path = Path("content")
    out: Path = Path("build")
    templates: tuple[Path, ...] = ()
    """User template folders, searched before the theme's own."""
    theme_templates: Path = DEFAULT_TEMPLATES
    static: Path | None = DEFAULT_STATIC
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


@dataclass
class BuildReport:
    """What a build produced, for the command line to print."""

    files: dict[PurePosixPath, bytes] = field(default_factory=dict)
    linked: LinkedSite | None = None

    @property
    def page_count(self) -> int:
        return sum(1 for path in self.files if path.suffix == ".html")


def prepare_site(options: BuildOptions, cache: BuildCache | None = None,
                 progress: Progress = QUIET) -> BuildReport:
    """Run every stage except writing; raise BuildFailed on content problems.

    ``cache`` (kept by ``serve`` between rebuilds) lets unchanged pages skip rendering.
    """
    template_dirs = [*options.templates, options.theme_templates]
    check_theme(template_dirs, options.static).raise_if_any()
    raw, problems = load_content(options.content)
    problems.raise_if_any()
    progress.stage("load", f"{len(raw.articles)} articles, {len(raw.pages)} pages read from {options.content}")
    site, problems = build_model(raw)
    problems.raise_if_any()
    check_articles(site.articles, raw.originals).raise_if_any()  # no silent change to a published text
    progress.stage("model", f"{len(site.territories)} territories, {len(site.events)} events checked")
    if options.base_url:
        site = with_base_url(site, options.base_url)
    linked, problems = link_site(site, cache, options.workers)
    problems.raise_if_any()
    progress.stage("link", f"{len(linked.bodies)} bodies rendered, references checked")
    static_files = collect_static(options.static)
    strings, problems = load_strings(template_dirs, linked.site.config.language)
    problems.raise_if_any()
    env = create_environment(template_dirs, static_files, strings)
    pages, problems = render_site(linked, env, cache.pages if cache else None, progress, options.workers)
    problems.raise_if_any()
    progress.stage("render", f"{len(pages)} pages and files rendered")
    pages.update(export_data(linked))
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    files.update(static_files)
    files.update(original_files(linked.site.originals))
    return BuildReport(files=files, linked=linked)


def build(options: BuildOptions, cache: BuildCache | None = None, progress: Progress = QUIET) -> BuildReport:
    """Build the site into ``options.out``, replacing the previous output only on success.

    The output folder is checked before anything runs (never the content, the theme,
    the cache or the project; never a folder we did not make), and builds into one
    output folder, or sharing one cache, take turns.
    """
    check_output_folder(options.out, protected_folders(options), Path.cwd(), options.force)
    out = options.out.resolve()  # a link to the output: replace the folder it names
    with folder_lock(out.parent, str(options.out)), _cache_lock(options.cache_dir):
        if cache is None and options.cache_dir is not None:
            cache = BuildCache.load(options.cache_dir)
        report = prepare_site(options, cache, progress)
        language = report.linked.site.config.language
        finish = partial(_index_search, language=language, progress=progress) if options.search else None
        write_site(report.files, out, finish)
        progress.stage("write", f"{len(report.files)} files written to {options.out}")
        if cache is not None:
            cache.save(options.cache_dir)
            progress.stage("cache", f"saved to {options.cache_dir}" if options.cache_dir else "kept in memory")
    return report


def protected_folders(options: BuildOptions) -> list[Path]:
    """The folders the build reads or keeps: an output folder may not overlap any of them."""
    folders = [options.content, options.theme_templates, *options.templates]
    folders += [folder for folder in (options.static, options.cache_dir) if folder is not None]
    return folders


def _cache_lock(cache_dir: Path | None):
    return folder_lock(cache_dir, str(cache_dir)) if cache_dir is not None else contextlib.nullcontext()


def _index_search(site_dir: Path, language: str, progress: Progress) -> None:
    pages = index_search(site_dir, language)
    progress.stage("search", f"index built from {pages} pages")

