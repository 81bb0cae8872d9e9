"""Time (or profile) rendering the article bodies of a generated corpus in one process, with and without mentions.

Why: the body stage is the one part of a cold build this measures on its own, without the
load, link and write stages around it; docs/performance.md quotes its figures (#13). It reads
the corpus, never writes to it.

    PYTHONPATH=src python3 benchmarks/bodies.py /tmp/karabakh-bench/content-10000 --docs 2000 [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

import yaml

from karabakh_site.text.markdown import render_markdown
from karabakh_site.text.mentions import NameMatcher


def read_body(path: Path) -> tuple[str, int]:
    """A content file's Markdown body and the file line it starts on."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 4) + 5 if text.startswith("---\n") else 0
    return text[end:], text[:end].count("\n") + 1


def read_matcher(chronology: Path) -> NameMatcher | None:
    """The territory and place names and ``not_mentions`` phrases, as link.py gathers them."""
    data = yaml.safe_load(chronology.read_text(encoding="utf-8"))
    name = lambda alias: alias if isinstance(alias, str) else alias["name"]  # noqa: E731
    territories = {name(alias): item["id"] for item in data.get("territories") or []
                   for alias in (item["name"], *item.get("aliases", []))}
    places = {name(alias): (item["id"], item["in"]) for item in data.get("places") or []
              for alias in (item["name"], *item.get("aliases", []))}
    phrases = tuple(entry["phrase"] for entry in data.get("not_mentions") or [])
    return NameMatcher.from_names(territories, places, phrases)


def render_all(bodies: list[tuple[str, int]], matcher: NameMatcher | None) -> int:
    """Render each body as link.py does for an article; return the mentions found (a checksum)."""
    href = lambda territory_id: f"../../territories/{territory_id}/"  # noqa: E731
    rewrite = lambda url: url.replace(".md", "/")  # noqa: E731
    return sum(len(render_markdown(body, line, rewrite, matcher, href).mentions) for body, line in bodies)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("content", type=Path, help="a content folder made by benchmarks/generate.py")
    arguments.add_argument("--docs", type=int, default=2000, help="the first N articles (default 2000)")
    arguments.add_argument("--runs", type=int, default=3, help="timed runs, each with and without mentions; "
                           "the best is printed (default 3)")
    arguments.add_argument("--profile", action="store_true", help="print a cProfile of one run instead")
    options = arguments.parse_args()
    paths = sorted((options.content / "articles").glob("*.md"))[:options.docs]
    bodies = [read_body(path) for path in paths]
    matcher = read_matcher(options.content / "chronology.yaml")
    render_all(bodies[:20], matcher)  # build the parsers and the matcher's caches outside the timing
    if options.profile:
        profile = cProfile.Profile()
        profile.runcall(render_all, bodies, matcher)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
        return
    with_names, without = [], []
    for _ in range(options.runs):  # interleaved, so both see the same load on a shared machine
        start = time.process_time()
        mentions = render_all(bodies, matcher)
        with_names.append(time.process_time() - start)
        start = time.process_time()
        render_all(bodies, None)
        without.append(time.process_time() - start)
    print(f"{len(bodies)} bodies, {mentions} mentions, best CPU time of {options.runs}: {min(with_names):.2f} s "
          f"({min(without):.2f} s without mentions, so the mention rule ~{min(with_names) - min(without):.2f} s)")

if __name__ == "__main__":
    main()
