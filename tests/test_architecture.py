"""The pipeline runs one way, and the package's folders are its stages (#13).

Each stage but the base is a folder of ``src/karabakh_site/``, as MkDocs' ``commands/`` and
``structure/`` are; the base modules sit beside the package's ``__init__``. A module imports only
modules of its own stage or of the stages below it. Declared as data, like import-linter's
``layers`` contract (STYLE.md): a new module must be placed in a stage folder, and an import that
points up the pipeline fails here, not in review.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "karabakh_site"

LAYERS: list[str] = ["commands", "output", "render", "site", "content", "text", "base"]
"""Top to bottom: read and model the content, link it, render it, write it; commands sequence them.
Every stage but ``base`` is a folder of the package."""

TOP_LEVEL: dict[str, str] = {"__init__": "base", "errors": "base", "cache": "base", "parallel": "base", "collector": "base",
                             "progress": "base", "__main__": "commands"}
"""The modules beside the package's ``__init__``, by stage: the base modules, and ``__main__``, which
stays there so that ``python -m karabakh_site`` runs the cli."""

FOLDERS = LAYERS[:-1]
LEVEL = {stage: level for level, stage in enumerate(LAYERS)}


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name inside it: ``site.link``, ``render.__init__``, ``errors``."""
    return {".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
            for path in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in path.parts}


MODULES = module_files()


def stage_of(module: str) -> str:
    folder, _, rest = module.partition(".")
    return folder if rest else TOP_LEVEL[module]


def _named(dotted: str) -> set[str]:
    """The module that ``karabakh_site.<dotted>`` names: a module file, or a folder's ``__init__``."""
    for name in (dotted, f"{dotted}.__init__" if dotted else "__init__"):
        if name in MODULES:
            return {name}
    return set()


def imports_in(source: str, module: str) -> set[str]:
    """The package's own modules that ``source``, the text of ``module``, imports.

    Reads ``from karabakh_site.x.y import z``, ``from karabakh_site.x import y`` (y a module),
    ``import karabakh_site.x.y`` and relative imports.
    """
    package = module.split(".")[:-1]  # the folder ``module`` is in, inside the package
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package[:len(package) - node.level + 1] + (node.module.split(".") if node.module else [])
            elif node.module == "karabakh_site" or (node.module or "").startswith("karabakh_site."):
                parts = node.module.split(".")[1:]
            else:
                continue
            dotted = ".".join(parts)
            found |= _named(dotted)
            for alias in node.names:  # a module imported from its folder
                found |= _named(f"{dotted}.{alias.name}" if dotted else alias.name)
        elif isinstance(node, ast.Import):
            found |= {name for alias in node.names if alias.name.startswith("karabakh_site.")
                      for name in _named(alias.name.removeprefix("karabakh_site."))}
    return found


def imports_of(path: Path) -> set[str]:
    module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    return imports_in(path.read_text(encoding="utf-8"), module)


def test_every_module_lives_in_a_stage_folder():
    misplaced = [module for module in MODULES
                 if module.partition(".")[0] not in FOLDERS and module not in TOP_LEVEL]
    assert misplaced == [], "put each module in a stage folder of LAYERS (only the base modules sit at the top)"
    assert {folder for folder in FOLDERS if f"{folder}.__init__" not in MODULES} == set(), "a stage folder is missing"
    assert set(TOP_LEVEL) - set(MODULES) == set(), "TOP_LEVEL names a module that no longer exists"


def test_no_module_imports_a_later_stage():
    upward = []
    for module, path in MODULES.items():
        for imported in sorted(imports_of(path)):
            if LEVEL[stage_of(imported)] < LEVEL[stage_of(module)]:
                upward.append(f"{module} ({stage_of(module)}) imports {imported} ({stage_of(imported)})")
    assert upward == []


def test_the_contract_sees_imports():
    assert {"cache", "errors", "text.markdown", "content.model"} <= imports_of(PACKAGE / "site" / "link.py")
    assert "output.output_folder" in imports_of(PACKAGE / "output" / "write.py")
    assert {"render.__init__", "render.charts", "render.metadata"} <= imports_of(PACKAGE / "render" / "pages.py")
    assert "commands.cli" in imports_of(PACKAGE / "__main__.py")


def test_every_form_of_import_is_read():
    source = ("import karabakh_site.commands.cli\n"
              "from karabakh_site.output.write import write_site\n"
              "from karabakh_site.render import pages as plan, charts\n"
              "from karabakh_site import errors, __version__\n"
              "from .markdown import render_body\n"
              "from ..site.urls import target_path\n"
              "from . import dates\n"
              "import json\n")
    assert imports_in(source, "text.numerals") == {
        "commands.cli", "output.write", "render.__init__", "render.pages", "render.charts", "__init__", "errors",
        "text.markdown", "site.urls", "text.__init__", "text.dates"}
