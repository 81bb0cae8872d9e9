"""Standard validators on every page of the built real site, and proof that they catch defects.

Nu Html Checker (one JVM for all files), axe-core (WCAG 2.2 A/AA) in Chromium in both colour
schemes, an internal link and anchor check, Lighthouse on three pages, and a page weight budget.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

from support import tools
from support.checks import check_internal_links, html_pages, page_weight, run_axe, run_nu_checker
from support.report import record
from support.server import SiteServer

BROKEN = Path(__file__).parent / "fixtures" / "broken-html"
WEIGHT_BUDGET = 72 * 1024
"""60 KB until #12; a document's page now also quotes, under the events it supports, the words
of it that state each (the Kalbajar speech: 63 KB)."""
COMPRESSED_BUDGET = 24 * 1024
"""What a reader downloads for any page of any language's tree (#16), gzip-compressed as static
hosts send it: the raw-byte budgets above hold for the English tree, but an Armenian or Russian
interface writes each letter in two UTF-8 bytes, which compression mostly takes back. The
Kalbajar speech in Armenian: 61.7 KB raw, 21.5 KB sent with its stylesheet."""
COMPRESSED_HEAVY_BUDGETS = {"chronology/index.html": 32 * 1024}
HEAVY_PAGE_BUDGETS = {"chronology/index.html": 96 * 1024}
"""The chronology shows every event with the words of each text that states it (#12): 36 events
with their quotes weigh about 80 KB. Splitting it by year and kind is issue 15's."""
LIGHTHOUSE_PAGES = {"home": "index.html", "article": "articles/aliyev-kalbajar-return-speech-2025/index.html",
                    "chronology": "chronology/index.html"}
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@pytest.fixture(scope="session")
def nu_errors(published_site) -> dict[str, list]:
    """Nu Html Checker errors of every built page, the stylesheet and the broken fixture, in one run."""
    files = [published_site.out / str(p) for p in html_pages(published_site.out)]
    files += sorted((published_site.out / "static").glob("*.css"))
    files.append(BROKEN / "index.html")
    by_file: dict[str, list] = {str(f): [] for f in files}
    for message in run_nu_checker(files):
        by_file.setdefault(message.file, []).append(message)
    return by_file


def test_nu_html_checker_finds_no_error_on_any_page(published_site, nu_errors):
    site_files = {k: v for k, v in nu_errors.items() if k.startswith(str(published_site.out))}
    errors = [f"{Path(k).relative_to(published_site.out)}:{m.line}: {m.message}" for k, v in site_files.items() for m in v]
    record("Pages validated (Nu Html Checker)", sum(k.endswith(".html") for k in site_files))
    record("Nu Html Checker errors", len(errors))
    assert errors == []
    stylesheets = {Path(k).name for k in site_files if k.endswith(".css")}
    assert stylesheets == {"style.css", "charts.css", "home.css", "search.css", "chronology.css", "map.css"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_violation_on_any_page(published_site, new_page, scheme):
    """Every page of every language's tree in the light scheme; in the dark one, every page of the
    English tree: the other trees are the same templates and stylesheets with other words, so
    their colours are the English tree's (#16; it keeps the suite's time within CI's budget)."""
    page = new_page(color_scheme=scheme)
    violations = {}
    pages = [path for path in html_pages(published_site.out)
             if scheme == "light" or str(path).split("/", 1)[0] not in LANGUAGE_FOLDERS]
    for path in pages:
        found = run_axe(page, published_site.http_url(path))
        if found:
            violations[str(path)] = found
    record(f"axe-core violations ({scheme}, {len(pages)} pages, WCAG 2.2 A+AA)", sum(len(v) for v in violations.values()))
    assert violations == {}


def test_every_internal_reference_and_fragment_resolves(published_site):
    checked, broken = check_internal_links(published_site.out)
    record("Internal references checked", f"{checked}, broken: {len(broken)}")
    assert broken == []
    assert checked > 300


def test_data_files_are_well_formed(published_site):
    for path in sorted(published_site.out.rglob("*")):
        if path.suffix == ".xml":
            lxml.etree.parse(str(path))
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def test_page_weight_budget_and_no_third_party_resources(published_site):
    heaviest = (0, "")
    heaviest_sent = (0, "")
    for path in html_pages(published_site.out):
        sent = page_weight(published_site.out, path, compressed=True)
        assert sent <= COMPRESSED_HEAVY_BUDGETS.get(_within_tree(path), COMPRESSED_BUDGET), (sent, str(path))
        heaviest_sent = max(heaviest_sent, (sent, str(path)))
        tree = lxml.html.fromstring((published_site.out / str(path)).read_bytes())
        loaded = tree.xpath("//link[@rel='stylesheet' or @rel='preload' or @rel='icon']/@href | //script/@src | //img/@src")
        third_party = [url for url in loaded if urlsplit(url).netloc and not url.startswith(published_site.base_url)]
        assert third_party == [], path
        if str(path).split("/", 1)[0] in LANGUAGE_FOLDERS:
            continue  # the other languages' trees: the compressed budget
        weight = page_weight(published_site.out, path)
        budget = HEAVY_PAGE_BUDGETS.get(_within_tree(path))
        if budget is not None:
            assert weight <= budget, (weight, str(path))
            record(f"Weight of {path}", f"{weight / 1024:.1f} KB of {budget // 1024} KB")
            continue
        heaviest = max(heaviest, (weight, str(path)))
    record("Heaviest page (HTML + CSS + JS)", f"{heaviest[1]}: {heaviest[0] / 1024:.1f} KB of {WEIGHT_BUDGET // 1024} KB")
    record("Heaviest page sent (gzip, every language)",
           f"{heaviest_sent[1]}: {heaviest_sent[0] / 1024:.1f} KB of {COMPRESSED_BUDGET // 1024} KB"
           f" (chronology {COMPRESSED_HEAVY_BUDGETS['chronology/index.html'] // 1024} KB)")
    assert heaviest[0] <= WEIGHT_BUDGET, heaviest


def _within_tree(path) -> str:
    """A page's path within its language's tree (#16): 'ru/chronology/index.html' is the chronology too."""
    first, _, rest = str(path).partition("/")
    return rest if first in LANGUAGE_FOLDERS else str(path)


LANGUAGE_FOLDERS = ("az", "ru", "hy")
"""The shipped content's languages besides English, each a tree of the same pages (#16)."""


def run_lighthouse(url: str) -> dict[str, float]:
    command = [str(tools.lighthouse()), url, "--quiet", "--output=json", "--output-path=stdout",
               f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
               "--chrome-flags=--headless=new " + " ".join(tools.CHROMIUM_ARGS)]
    env = {**os.environ, "CHROME_PATH": tools.chromium()}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    return {name: report["categories"][name]["score"] for name in LIGHTHOUSE_CATEGORIES}


PERFORMANCE_RUNS = 3
"""Runs whose median stands for a page's performance when its first run scores below 0.95.

The performance score is timed in a real browser, and on a shared CI machine one run can dip
(the chronology gave 93 once and 100 on the next run of the same commit). Lighthouse's own
guide to variability says to run several times and take the median; the other categories are
not timed and count from the first run.
"""


def lighthouse_scores(url: str) -> dict[str, float]:
    """Score ``url``; a performance score below 0.95 is run again and the median of three kept."""
    scores = run_lighthouse(url)
    if scores["performance"] < 0.95:
        runs = [scores["performance"]] + [run_lighthouse(url)["performance"] for _ in range(PERFORMANCE_RUNS - 1)]
        scores["performance"] = statistics.median(runs)
        record(f"Lighthouse performance runs for {url}", ", ".join(str(round(r * 100)) for r in runs))
    return scores


def test_lighthouse_mobile_scores_at_least_95(published_site):
    scores = {name: lighthouse_scores(published_site.http_url(path)) for name, path in LIGHTHOUSE_PAGES.items()}
    for name, values in scores.items():
        record(f"Lighthouse {name}", ", ".join(f"{k} {round(v * 100)}" for k, v in values.items()))
    low = {(name, category): value for name, values in scores.items() for category, value in values.items() if value < 0.95}
    assert low == {}


# --- The checks catch what they must: a deliberately broken page ---------------------------


def test_nu_checker_catches_missing_alt_and_invalid_nesting(nu_errors):
    messages = [m.message for m in nu_errors[str(BROKEN / "index.html")]]
    assert any("must have an “alt” attribute" in m for m in messages), messages
    assert any("Element “div” not allowed as child of element “span”" in m for m in messages), messages


def test_link_check_catches_broken_link_and_anchor():
    _, broken = check_internal_links(BROKEN)
    assert [(b.url, b.reason) for b in broken] == [
        ("missing-page.html", "no such file: missing-page.html"),
        ("index.html#no-such-anchor", "no id 'no-such-anchor' in index.html"),
    ]


def test_axe_catches_missing_alt(new_page):
    with SiteServer(BROKEN, "/") as server:
        violations = run_axe(new_page(), server.base_url + "index.html")
    assert "image-alt" in [v["rule"] for v in violations]


def test_a_missing_tool_fails_the_test_naming_the_install_command(tmp_path):
    with pytest.raises(pytest.fail.Exception) as caught:
        tools.require_file(tmp_path / "absent.jar", "the Nu Html Checker (npm vnu-jar)")
    assert str(caught.value) == (f"the Nu Html Checker (npm vnu-jar) not found at {tmp_path / 'absent.jar'}: "
                                 f"{tools.INSTALL_HINT}")
