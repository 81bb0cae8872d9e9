"""Command line: parse arguments, run the pipeline, print the report, set the exit code.

Exit codes: 0 success, 1 content errors (all listed, build/ untouched), 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from karabakh_site import __version__
from karabakh_site.collector import collector_paused
from karabakh_site.commands.build import BuildOptions, build, prepare_site
from karabakh_site.commands.diffreport import human_report, json_report, markdown_report
from karabakh_site.errors import BUILD_OUTCOME, BuildFailed, ContentError, UsageError, count_warnings, format_error, format_errors
from karabakh_site.commands.importer import import_files
from karabakh_site.commands.newdoc import new_document
from karabakh_site.parallel import default_workers
from karabakh_site.progress import Progress
from karabakh_site.content.schema import DOCUMENTS, schema_text, write_schemas
from karabakh_site.commands.serve import port_number, serve
from karabakh_site.commands.sitediff import compare_builds


def _add_content_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="content folder to read (default: content)")
    parser.add_argument("--templates", type=Path, action="append", default=[], metavar="DIR",
                        help="folder of templates that override the theme's; may be repeated")
    parser.add_argument("--theme", type=Path, metavar="DIR",
                        help="the theme's template folder, replacing the packaged theme "
                             "(default: templates/ if present, over the packaged theme)")
    parser.add_argument("--static", type=Path, metavar="DIR",
                        help="static files copied to static/, replacing the packaged theme's "
                             "(default: the packaged theme's, with static/'s files if present)")
    parser.add_argument("--base-url", metavar="URL",
                        help="publish under this absolute URL instead of site.yaml's base_url")
    parser.add_argument("--cache", type=Path, default=Path(".cache"), metavar="DIR",
                        help="keep rendered pages here between builds (default: .cache; safe to delete)")
    parser.add_argument("--no-cache", dest="cache", action="store_const", const=None,
                        help="build from scratch, without reading or writing a cache")
    parser.add_argument("-j", "--jobs", type=int, default=default_workers(), metavar="N",
                        help=f"processes to render with (default: {default_workers()}, the cores available)")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    noise.add_argument("-v", "--verbose", action="store_true", help="print every stage with its timing")


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                        help="output folder to build into (default: build)")
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="skip the full-text search index (faster previews)")
    parser.add_argument("--force", action="store_true",
                        help="replace the output folder even if karabakh-site did not make it")


def _add_drafts_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--drafts", action="store_true",
                        help="include drafts (draft: true), each with a Draft banner; without it they are "
                             "left out of every output, and an event citing one is an error")


def _add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("human", "github"), default=None,
                        help="'github' also prints ::error and ::warning annotations that pull requests show "
                             "inline (the default where GITHUB_ACTIONS=true, i.e. in a GitHub Actions job)")


def report_format(chosen: str | None) -> str:
    """The --format given, else 'github' inside GitHub Actions (which sets GITHUB_ACTIONS=true), else 'human'.

    Why by itself: a workflow that forgets the flag would show a green tick without the inline
    annotations a reviewer needs (#17); a flag still overrides it both ways.
    """
    if chosen is not None:
        return chosen
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "human"


def make_parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    parser = argparse.ArgumentParser(
        prog="karabakh-site",
        description="Build the Karabakh documentary archive: Markdown and YAML in, static HTML out.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build_parser = commands.add_parser(
        "build", help="build the site into the output folder",
        description="Read the content, check it, render every page and replace the output folder "
                    "atomically. On any content error nothing is written and all errors are listed.",
    )
    _add_content_options(build_parser)
    _add_output_options(build_parser)
    _add_drafts_option(build_parser)
    _add_format_option(build_parser)
    serve_parser = commands.add_parser(
        "serve", help="build, serve on 127.0.0.1 and rebuild on every change",
        description="Build the site, serve it on 127.0.0.1, watch the content, templates and static "
                    "folders, rebuild only what changed on every save and reload open pages. A content "
                    "error is shown in the terminal and over the page; the last good pages stay online.",
    )
    _add_content_options(serve_parser)
    _add_output_options(serve_parser)
    serve_parser.add_argument("--no-drafts", dest="drafts", action="store_false",
                              help="leave out drafts (draft: true), as build does; serve shows them by default")
    serve_parser.add_argument("--port", type=port_number, default=8000, help="port on 127.0.0.1 (default: 8000; 0 = any free port)")
    new_parser = commands.add_parser(
        "new", help="write a new article or page with complete front matter",
        description="Write content/articles/<slug>.md (or pages/) with every front matter key, the slug "
                    "transliterated from the title (Azerbaijani, Cyrillic, Armenian letters become ASCII). "
                    "Never overwrites a file.",
    )
    new_parser.add_argument("kind", choices=("article", "page"))
    new_parser.add_argument("title")
    new_parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                            help="content folder (default: content)")
    import_parser = commands.add_parser(
        "import", help="turn raw texts into articles, flagging what needs an editor",
        description="Turn plain texts (an optional leading ' date YYYY-MM-DD' line, paragraphs separated "
                    "by blank lines) into articles with front matter; the words stay exactly as written. "
                    "Lists what each needs (source, date, title). Never overwrites a file.",
    )
    import_parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    import_parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                               help="content folder to write articles into (default: content)")
    check_parser = commands.add_parser(
        "check", help="check the content without writing anything",
        description="Run every stage of the build except writing, and list all content errors.",
    )
    _add_content_options(check_parser)
    _add_drafts_option(check_parser)
    _add_format_option(check_parser)
    diff_parser = commands.add_parser(
        "diff", help="list the pages and figures that differ between two built sites",
        description="Compare two output folders of `build` (e.g. a pull request's base and head): the pages "
                    "added, removed and changed, grouped by kind, with the visible words each change alters "
                    "(markup-only changes are counted, not shown), the recorded edits an article gains, and "
                    "every figure of the open data that differs (areas, totals, dates). pagefind/ is not compared.",
    )
    diff_parser.add_argument("old", type=Path, metavar="OLD_BUILD")
    diff_parser.add_argument("new", type=Path, metavar="NEW_BUILD")
    diff_parser.add_argument("--format", choices=("human", "markdown", "json"), default="human",
                             help="'markdown' for a GitHub job summary ($GITHUB_STEP_SUMMARY), 'json' for scripts")
    diff_parser.add_argument("--list-changed", action="store_true",
                             help="print only the changed and added pages of NEW_BUILD, one path a line "
                                  "(those whose visible words differ first), e.g. for screenshots")
    schema_parser = commands.add_parser(
        "schema", help="print the JSON Schema of a kind of content file, for editors",
        description="Print the JSON Schema of article or page front matter, chronology.yaml or site.yaml, "
                    "with a description and examples for every key; a YAML editor uses it to complete keys "
                    "and underline mistakes. `check` checks more than the schema can (see docs/content.md).",
    )
    schema_parser.add_argument("kind", nargs="?", choices=tuple(DOCUMENTS))
    schema_parser.add_argument("--write", type=Path, metavar="DIR",
                               help="write every schema into DIR as <kind>.json instead (e.g. --write schemas)")
    return parser


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(
        content=args.content,
        out=getattr(args, "out", Path("build")),
        templates=tuple(args.templates),
        theme_templates=args.theme,
        static=args.static,
        base_url=args.base_url,
        search=getattr(args, "search", False),
        cache_dir=args.cache,
        workers=max(1, args.jobs),
        force=getattr(args, "force", False),
        drafts=getattr(args, "drafts", args.command == "serve"),
    )


def github_annotation(error: ContentError, level: str = "error") -> str:
    """A GitHub Actions workflow command (``::error``, ``::warning``) that marks the problem on the file's line in a PR."""
    location = f"file={_escape_property(error.path)}"
    if error.line:
        location += f",line={error.line}"
        if error.column:
            location += f",col={error.column}"
    message = f"{error.message} ({error.hint})" if error.hint else error.message
    return f"::{level} {location}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _create(args: argparse.Namespace) -> int:
    """The `new` and `import` commands: write new content files, never overwrite."""
    try:
        if args.command == "new":
            print(f"created {new_document(args.content, args.kind, args.title)}")
            return 0
        for result in import_files(args.content, args.files):
            print(f"{result.path} (from {result.source})")
            for flag in result.flags:
                print(f"  - {flag}")
    except (FileExistsError, ValueError, OSError) as error:
        print(f"karabakh-site: error: {error}", file=sys.stderr)
        return 2
    return 0


def _schema(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The `schema` command: print one schema, or write them all."""
    if args.write is not None:
        for path in write_schemas(args.write):
            print(f"wrote {path}")
        return 0
    if args.kind is None:
        parser.error(f"schema: give a kind ({', '.join(DOCUMENTS)}) or --write DIR")
    sys.stdout.write(schema_text(args.kind))
    return 0


def _diff(args: argparse.Namespace) -> int:
    """The `diff` command: compare two output folders and print the report in the format asked."""
    try:
        diff = compare_builds(args.old, args.new)
    except NotADirectoryError as error:
        print(f"karabakh-site: error: {error}", file=sys.stderr)
        return 2
    if args.list_changed:
        text = "\n".join(diff.changed_pages())
    elif args.format == "markdown":
        text = markdown_report(diff)
    elif args.format == "json":
        text = json_report(diff)
    else:
        text = human_report(diff, str(args.old), str(args.new))
    if text:
        print(text.rstrip("\n"))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command in ("new", "import"):
        return _create(args)
    if args.command == "schema":
        return _schema(args, parser)
    if args.command == "diff":
        return _diff(args)
    options = _options(args)
    started = time.perf_counter()
    try:
        if args.command == "serve":
            return serve(options, args.port, args.quiet)
        progress = Progress(level=0 if args.quiet else 2 if args.verbose else 1)
        with collector_paused(then_freeze=True):  # the process ends after the command
            if args.command == "build":
                report = build(options, progress=progress)
            else:
                report = prepare_site(options, progress=progress)
    except BuildFailed as failure:
        warnings = [] if args.quiet else failure.warnings  # -q: errors only
        if report_format(args.format) == "github":
            print("\n".join([*(github_annotation(error) for error in failure.errors),
                             *(github_annotation(warning, "warning") for warning in warnings)]))
        # `check` writes nothing by design, so it does not say that the output folder is unchanged (#14).
        outcome = "" if args.command == "check" else BUILD_OUTCOME
        print(format_errors(failure.errors, outcome=outcome, warnings=warnings), file=sys.stderr)
        return 1
    except UsageError as error:
        print(f"karabakh-site: error: {error}", file=sys.stderr)
        return 2
    if not args.quiet:
        _print_warnings(report.warnings, report_format(args.format))
        seconds = time.perf_counter() - started
        verb = f"built {options.out}" if args.command == "build" else "checked content, no errors"
        if report.unchanged:
            verb = f"{options.out} is up to date (nothing changed since the last build)"
        counted = f", {count_warnings(report.warnings)}" if report.warnings else ""
        print(f"karabakh-site: {verb}: {report.page_count} pages, {len(report.paths)} files in {seconds:.2f} s{counted}")
    return 0


def _print_warnings(warnings: list[ContentError], chosen_format: str) -> None:
    """Warnings after a successful build or check: annotations for GitHub, and the terminal's form on stderr."""
    if not warnings:
        return
    if chosen_format == "github":
        print("\n".join(github_annotation(warning, "warning") for warning in warnings))
    print("\n\n".join(format_error(warning, "warning") for warning in warnings), file=sys.stderr)
