"""Theme folders are read whole, so a link leading out of them is refused (#11)."""

from __future__ import annotations

import shutil

import pytest

from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed

from conftest import STATIC, THEME, options_for


@pytest.fixture
def theme(tmp_path):
    templates, static = tmp_path / "templates", tmp_path / "static"
    shutil.copytree(THEME, templates)
    shutil.copytree(STATIC, static)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    return templates, static, secret


def _refusal(make_site, tmp_path, templates, static) -> list[str]:
    out = tmp_path / "build"
    with pytest.raises(BuildFailed) as failure:
        build(options_for(make_site(), out, theme_templates=templates, static=static))
    assert not out.exists()
    return [str(error) for error in failure.value.errors]


def test_a_static_link_leading_outside_is_refused(make_site, tmp_path, theme):
    templates, static, secret = theme
    (static / "passwd.txt").symlink_to(secret)
    assert _refusal(make_site, tmp_path, templates, static) == [
        f"{static.as_posix()}/passwd.txt: symbolic link leads outside {static.as_posix()}/; refused "
        "(copy the file into the folder instead)"]


def test_a_template_link_leading_outside_is_refused(make_site, tmp_path, theme):
    templates, static, secret = theme
    (templates / "strings" / "evil.yaml").symlink_to(secret)
    (templates / "gone.html").symlink_to(tmp_path / "missing.html")
    errors = _refusal(make_site, tmp_path, templates, static)
    assert errors == [f"{templates.as_posix()}/gone.html: symbolic link leads nowhere; remove it",
                      f"{templates.as_posix()}/strings/evil.yaml: symbolic link leads outside "
                      f"{templates.as_posix()}/; refused (copy the file into the folder instead)"]


def test_a_link_inside_the_static_folder_is_published(make_site, tmp_path, theme):
    templates, static, _ = theme
    (static / "alias.css").symlink_to(static / "style.css")
    out = tmp_path / "build"
    build(options_for(make_site(), out, theme_templates=templates, static=static))
    assert (out / "static" / "alias.css").read_bytes() == (out / "static" / "style.css").read_bytes()
    assert b"{" in (out / "static" / "alias.css").read_bytes()


def test_stylesheets_are_published_without_comments_and_the_rest_unchanged(make_site, tmp_path, theme):
    templates, static, _ = theme
    (static / "extra.css").write_text("/* why this rule */\n.note  {\n  color : red ;\n}\n", encoding="utf-8")
    (static / "notes.txt").write_text("/* kept */  as  is\n", encoding="utf-8")
    out = tmp_path / "build"
    build(options_for(make_site(), out, theme_templates=templates, static=static))
    assert (out / "static" / "extra.css").read_text(encoding="utf-8") == ".note{color:red}\n"
    assert (out / "static" / "notes.txt").read_text(encoding="utf-8") == "/* kept */  as  is\n"
