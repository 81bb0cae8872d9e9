"""The theme's folders: templates found, static files read, no link leading out of them.

A theme folder is read as a whole (static files are copied to the output, templates
and strings are loaded by name), so a symbolic link inside it that points elsewhere
would publish whatever it points at (``static/passwd.txt -> /etc/passwd``). Such links
are refused as content's are (#11).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from karabakh_site.errors import Problems, UsageError
from karabakh_site.urls import STATIC_PREFIX


def check_theme(template_dirs: list[Path], static_dir: Path | None) -> Problems:
    """Refuse to start without a template folder; report links that leave a theme folder."""
    for folder in template_dirs:
        if not folder.is_dir():
            raise UsageError(f"template folder {folder} not found; run from the project's folder or pass --theme DIR")
    problems = Problems()
    for folder in [*template_dirs, *([static_dir] if static_dir is not None and static_dir.is_dir() else [])]:
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


def collect_static(static_dir: Path | None) -> dict[PurePosixPath, bytes]:
    """Read the theme's static files (CSS, images, scripts) to copy under static/.

    Call after ``check_theme``: links leading out of the folder were refused there.
    """
    if static_dir is None or not static_dir.is_dir():
        return {}
    files = {}
    for path in sorted(static_dir.rglob("*")):
        relative = path.relative_to(static_dir)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            files[STATIC_PREFIX / PurePosixPath(relative.as_posix())] = path.read_bytes()
    return files
