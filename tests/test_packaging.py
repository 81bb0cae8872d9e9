"""The default theme ships inside the package, so a build works from any folder with a content/ (#14).

The repository's top-level templates/ and static/ are the theme (one copy in git); pyproject.toml
maps them into the package as data. A project's own templates/ and static/ override the packaged
theme file by file, like MkDocs' ``custom_dir``; ``--theme``/``--static`` replace it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import rcssmin
import pytest

from karabakh_site.commands.build import BuildOptions, build
from karabakh_site.commands.cli import main
from karabakh_site.render.theme import packaged_theme_folder

from conftest import FIXTURE_SITE, PROJECT, STATIC, THEME, options_for


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def only_content(tmp_path, monkeypatch) -> Path:
    """A working folder holding nothing but a copy of the sample site's content/."""
    folder = tmp_path / "work"
    shutil.copytree(FIXTURE_SITE, folder / "content")
    monkeypatch.chdir(folder)
    return folder


def test_a_source_checkout_uses_the_repositorys_theme_as_the_packaged_one():
    assert packaged_theme_folder("templates").resolve() == THEME.resolve()
    assert packaged_theme_folder("static").resolve() == STATIC.resolve()


def test_a_folder_with_only_content_builds_with_the_packaged_theme(only_content, tmp_path):
    assert main(["build", "-q", "--no-search", "--no-cache"]) == 0
    build(options_for(Path("content"), tmp_path / "with-theme"))  # the theme named explicitly
    assert snapshot(only_content / "build") == snapshot(tmp_path / "with-theme")


def test_the_projects_templates_and_static_files_override_the_packaged_ones_one_by_one(only_content):
    (only_content / "templates").mkdir()
    (only_content / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1>Lost in the archive</h1>{% endblock %}\n')
    (only_content / "static").mkdir()
    (only_content / "static" / "style.css").write_text("body { color: black; }\n")
    (only_content / "static" / "extra.css").write_text("p { margin: 0; }\n")
    build(BuildOptions(search=False))
    out = only_content / "build"
    assert lxml.html.parse(str(out / "404.html")).getroot().cssselect("h1")[0].text_content() == "Lost in the archive"
    index = lxml.html.parse(str(out / "index.html")).getroot()  # other templates: the packaged ones
    assert index.cssselect("h1") and index.cssselect("nav")
    assert (out / "static" / "style.css").read_text() == "body{color:black}\n"  # published minified
    assert (out / "static" / "extra.css").read_text() == "p{margin:0}\n"
    packaged = (STATIC / "charts.css").read_text(encoding="utf-8")  # the packaged one, as published
    assert (out / "static" / "charts.css").read_text(encoding="utf-8") == rcssmin.cssmin(packaged) + "\n"


def test_an_explicit_theme_replaces_the_packaged_one(only_content, capsys):
    assert main(["build", "-q", "--no-search", "--theme", "nowhere"]) == 2
    assert capsys.readouterr().err == ("karabakh-site: error: template folder nowhere not found; "
                                       "run from the project's folder or pass --theme DIR\n")
    assert not (only_content / "build").exists()


def repository_copy(target: Path) -> Path:
    """Copy the files git knows (committed or not, never ignored ones) to ``target``.

    Building from a copy keeps setuptools' build/ and *.egg-info out of the project, where a
    setuptools build/ folder would block `karabakh-site build` (not an output folder of ours).
    """
    listed = subprocess.run(["git", "-C", str(PROJECT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], check=True, capture_output=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (PROJECT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The project built as a wheel, as `pip wheel --no-deps` builds it."""
    folder = tmp_path_factory.mktemp("wheel")
    source = repository_copy(folder / "source")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "-w", str(folder / "dist"), str(source)], check=True)
    return next((folder / "dist").glob("karabakh_site-*.whl"))


def test_the_wheel_holds_every_file_of_the_theme(wheel):
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name: archive.read(name) for name in archive.namelist()}
    for folder in ("templates", "static"):
        for path in (PROJECT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                name = f"karabakh_site/{folder}/{path.relative_to(PROJECT / folder).as_posix()}"
                assert shipped.get(name) == path.read_bytes(), f"{name} missing or different in {wheel.name}"


def test_the_installed_command_builds_from_a_folder_with_only_content(wheel, only_content, tmp_path):
    """Install the wheel alone (its dependencies are this environment's) and run its script."""
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}  # before site-packages, so before any editable install
    where = subprocess.run([sys.executable, "-c", "import karabakh_site; print(karabakh_site.__file__)"],
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(target)
    run = subprocess.run([str(target / "bin" / "karabakh-site"), "build", "-q", "--no-search", "--no-cache"],
                         env=env, capture_output=True, text=True)
    assert (run.returncode, run.stderr) == (0, "")
    build(options_for(Path("content"), tmp_path / "with-theme"))
    assert snapshot(only_content / "build") == snapshot(tmp_path / "with-theme")
