"""The theme's folders: templates found, static files read, no link leading out of them.

The default theme ships inside the package, so a build works from any folder with a
``content/`` (#14); a project's own ``templates/`` and ``static/`` are searched first, so
they override the packaged theme file by file, like MkDocs' ``custom_dir``.

A theme folder is read as a whole (static files are copied to the output, templates
and strings are loaded by name), so a symbolic link inside it that points elsewhere
would publish whatever it points at (``static/passwd.txt -> /etc/passwd``). Such links
are refused as content's are (#11).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import rcssmin

from karabakh_site.errors import Problems, UsageError
from karabakh_site.site.urls import STATIC_PREFIX


PROJECT_TEMPLATES = Path("templates")
"""A project's own templates, relative to the working folder, searched before the packaged ones."""
PROJECT_STATIC = Path("static")
"""A project's own static files, relative to the working folder; they replace packaged ones of the same name."""


def packaged_theme_folder(name: str) -> Path:
    """Return the packaged default theme's ``templates`` or ``static`` folder.

    An installed package holds the repository's top-level folders as package data
    (pyproject.toml maps them in, so git keeps one copy); a source checkout run from
    ``src/`` (an editable install, ``PYTHONPATH=src``) reads them where they are.
    """
    installed = Path(__file__).parents[1] / name
    return installed if installed.is_dir() else Path(__file__).resolve().parents[3] / name


def theme_template_dirs(theme: Path | None) -> list[Path]:
    """Return the theme's template folders in search order: ``--theme``, or templates/ over the packaged theme."""
    if theme is not None:
        return [theme]
    return _project_over_packaged(PROJECT_TEMPLATES, packaged_theme_folder("templates"))


def theme_static_dirs(static: Path | None) -> list[Path]:
    """Return the static folders, the last one winning: ``--static``, or the packaged theme's then static/."""
    if static is not None:
        return [static]
    return list(reversed(_project_over_packaged(PROJECT_STATIC, packaged_theme_folder("static"))))


def _project_over_packaged(project: Path, packaged: Path) -> list[Path]:
    if project.is_dir() and project.resolve() != packaged.resolve():
        return [project, packaged]
    return [packaged]  # in this repository the project's folder is the packaged one


def check_theme(template_dirs: list[Path], static_dirs: list[Path]) -> Problems:
    """Refuse to start without a template folder; report links that leave a theme folder."""
    for folder in template_dirs:
        if not folder.is_dir():
            raise UsageError(f"template folder {folder} not found; run from the project's folder or pass --theme DIR")
    problems = Problems()
    for folder in [*template_dirs, *(folder for folder in static_dirs if folder.is_dir())]:
        problems.extend(links_leaving(folder).items)
    return problems


def links_leaving(folder: Path) -> Problems:
    """A problem for each symbolic link under ``folder`` that leads outside it or nowhere."""
    problems = Problems()
    root = folder.resolve()
    for path in sorted(folder.rglob("*")):
        if not path.is_symlink():
            continue
        shown = path.as_posix()
        if not path.exists():
            problems.add(shown, None, "symbolic link leads nowhere; remove it")
        elif not path.resolve().is_relative_to(root):
            problems.add(shown, None, f"symbolic link leads outside {folder.as_posix()}/; refused",
                         "copy the file into the folder instead")
    return problems


def collect_static(static_dirs: list[Path]) -> dict[PurePosixPath, bytes]:
    """Read the theme's static files (CSS, images, scripts) to copy under static/.

    A file of a later folder replaces one of the same name from an earlier folder. Call
    after ``check_theme``: links leading out of the folders were refused there.
    """
    files = {}
    for static_dir in static_dirs:
        if not static_dir.is_dir():
            continue
        for path in sorted(static_dir.rglob("*")):
            relative = path.relative_to(static_dir)
            if path.is_file() and not any(part.startswith(".") for part in relative.parts):
                files[STATIC_PREFIX / PurePosixPath(relative.as_posix())] = _published(path)
    return dict(sorted(files.items()))


def _published(path: Path) -> bytes:
    """A static file as the site serves it: stylesheets without their comments and spaces.

    The theme's CSS explains itself in comments, which readers need not download: every page
    carries style.css within its weight budget (#15). rcssmin keeps the rules byte for byte
    otherwise, works on bytes (a file in any encoding passes through) and always gives the
    same output, so builds stay identical.
    """
    data = path.read_bytes()
    return rcssmin.cssmin(data) + b"\n" if path.suffix == ".css" else data


def check_language_strings(template_dirs: list[Path], config, site_path: str) -> Problems:
    """Each language site.yaml's ``languages`` lists has its interface strings in a template folder (#16).

    Why an error and not English: ``strings/<language>.yaml`` falls back to English key by key,
    so a missing file would publish an English interface under ``<html lang="hy">``, telling
    screen readers and search engines the words are Armenian. A site without ``languages``
    keeps its one language's fallback as before.
    """
    problems = Problems()
    if config.languages_line is None:
        return problems
    for tag in config.languages:
        names = dict.fromkeys([f"{tag}.yaml", f"{tag.split('-')[0]}.yaml"])
        if not any((folder / "strings" / name).is_file() for folder in template_dirs for name in names):
            problems.add(site_path, config.languages_line,
                         f"language {tag!r} has no interface strings: no strings/{tag}.yaml in the templates",
                         f"write templates/strings/{tag}.yaml (a translation of strings/en.yaml), or remove "
                         f"{tag!r} from 'languages'")
    return problems
