"""The pipeline runs one way: each module imports only modules of its own stage or the stages below.

Declared as data, like import-linter's ``layers`` contract (STYLE.md): a new module must be
placed in a stage, and an import that points up the pipeline fails here, not in review (#13).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "karabakh_site"

LAYERS: list[tuple[str, set[str]]] = [
    ("commands", {"__main__", "cli", "build", "serve", "newdoc", "importer", "page_preview", "sitediff", "diffreport",
                  "datadiff", "pagetext"}),
    ("output", {"write", "output_folder", "search", "snapshot"}),
    ("render", {"render", "pages", "paging", "timeline", "charts", "chart_spans", "chart_labels", "cite", "metadata", "data",
                "strings", "theme", "reading", "maps", "local_names"}),
    ("link", {"link", "urls", "quotes", "originals", "facets", "related", "stats", "content_warnings"}),
    ("model", {"load", "model", "places", "voice", "wordcheck", "placeholders", "drafts", "schema", "contract", "geo"}),
    ("text", {"markdown", "fast_markdown", "fast_checks", "fast_tree", "fast_mentions", "fast_html", "mentions",
              "dates", "numerals", "languages", "slugs"}),
    ("base", {"__init__", "errors", "cache", "parallel", "progress"}),
]
"""Top to bottom: load and model a site, link it, render it, write it; commands sequence them."""

LEVEL = {module: level for level, (_, modules) in enumerate(LAYERS) for module in modules}


def imports_of(path: Path) -> set[str]:
    """The package's own modules that ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("karabakh_site"):
            rest = node.module.removeprefix("karabakh_site").lstrip(".")
            found |= {rest.split(".")[0]} if rest else {alias.name for alias in node.names if alias.name in LEVEL}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("karabakh_site.")}
    return found


def test_every_module_has_a_stage():
    modules = {path.stem for path in PACKAGE.glob("*.py")}
    assert modules - set(LEVEL) == set(), "place each new module in a stage of LAYERS"
    assert set(LEVEL) - modules == set(), "LAYERS names a module that no longer exists"


def test_no_module_imports_a_later_stage():
    upward = []
    for path in sorted(PACKAGE.glob("*.py")):
        for imported in imports_of(path):
            if imported in LEVEL and LEVEL[imported] < LEVEL[path.stem]:
                upward.append(f"{path.stem} ({LAYERS[LEVEL[path.stem]][0]}) imports {imported} "
                              f"({LAYERS[LEVEL[imported]][0]})")
    assert upward == []


def test_the_contract_sees_imports():
    assert {"cache", "errors", "markdown", "model"} <= imports_of(PACKAGE / "link.py")
    assert "output_folder" in imports_of(PACKAGE / "write.py")
