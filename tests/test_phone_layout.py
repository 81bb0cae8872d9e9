"""Charts, tables and the chronology on a phone (#15), in a real browser at 390 and 1280 px.

Why a browser and not the HTML alone: whether a column is cut off, how large SVG text
shows and where a year link lands are decided by the layout engine, with the stylesheet.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import lxml.html
import pytest
import yaml

from support.checks import html_pages

from conftest import PROJECT

CHRONOLOGY = PurePosixPath("chronology/index.html")
TERRITORIES = PurePosixPath("territories/index.html")
WIDTHS = [390, 1280]

# Elements that stick out of the viewport or of the nearest box that clips them. An element
# inside a scroll container is allowed only if that container is marked (a keyboard-reachable,
# named region, or the list of links of a named nav) and signals that it scrolls (edge shadows: a background image). Elements a
# reader cannot see (closed <details>, .visually-hidden's 1 px clip) are left out.
OVERFLOWING = """() => {
  const viewport = document.documentElement.clientWidth;
  const clipping = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return box;
    }
    return null;
  };
  // A named region a keyboard can scroll, or a named nav's list (its links take the focus).
  const named = (box) => (box.getAttribute('tabindex') === '0' && box.getAttribute('role') === 'region'
      && box.hasAttribute('aria-label')) || (box.parentElement.matches('nav[aria-label]') && box.querySelector('a'));
  const marked = (box) => named(box) && getComputedStyle(box).backgroundImage.includes('gradient');
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const box = clipping(element);
    if (box && (box.clientWidth <= 1 || getComputedStyle(box).clip !== 'auto')) continue;
    const edge = box ? box.getBoundingClientRect() : {left: 0, right: viewport};
    const scrolls = box && ['auto', 'scroll'].includes(getComputedStyle(box).overflowX);
    if (scrolls && marked(box)) continue;
    if (rect.right > edge.right + 0.5 || rect.left < edge.left - 0.5) {
      found.push(`${element.tagName.toLowerCase()}.${element.getAttribute('class')} `
                 + `"${element.textContent.trim().slice(0, 40)}" ${Math.round(rect.left)}-${Math.round(rect.right)}`
                 + ` outside ${box ? box.tagName.toLowerCase() + '.' + box.className : 'viewport'}`
                 + ` ${Math.round(edge.left)}-${Math.round(edge.right)}`);
    }
  }
  // A chart's text shows outside the chart (overflow: visible) but must stay within its drawing.
  for (const svg of document.querySelectorAll('svg.chart')) {
    const frame = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text')) {
      const rect = text.getBoundingClientRect();
      if (rect.right > frame.right + 0.5 || rect.left < frame.left - 0.5) {
        found.push(`chart text "${text.textContent}" ${Math.round(rect.left)}-${Math.round(rect.right)}`
                   + ` outside its chart ${Math.round(frame.left)}-${Math.round(frame.right)}`);
      }
    }
  }
  return found;
}"""

# Each chart text's size on screen: its computed font size times the chart's scale.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(text => ({
    text: text.textContent, size: parseFloat(getComputedStyle(text).fontSize) * scale,
    height: text.getBoundingClientRect().height,
  }));
})"""


def chart_pages(site) -> list[PurePosixPath]:
    """The pages that draw a chart, found in the built HTML (the home page may get one too)."""
    return [path for path in html_pages(site.out)
            if site.page(str(path)).xpath("//*[local-name()='svg'][contains(@class, 'chart')]")]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_element_overflows_its_container_on_any_page(published_site, new_page, width):
    page = new_page(width=width)
    problems = {}
    for path in html_pages(published_site.out):
        page.goto(published_site.http_url(path))
        found = page.evaluate(OVERFLOWING)
        if found:
            problems[str(path)] = found[:5]
    assert problems == {}


def test_the_tables_keep_every_column_at_390(published_site, new_page):
    """The territories table's last column ("Documents") was cut off at the screen's edge."""
    page = new_page(width=390)
    page.goto(published_site.http_url(TERRITORIES))
    cells = page.evaluate("""() => [...document.querySelectorAll('table.data tbody tr')].map(row => {
      const cell = row.querySelector('td:last-child'), box = row.closest('.table-scroll');
      return {label: getComputedStyle(cell, '::before').content, text: cell.textContent,
              right: cell.getBoundingClientRect().right, edge: box.getBoundingClientRect().right,
              scroll: box.scrollWidth - box.clientWidth};
    })""")
    assert len(cells) == len(published_site.page("territories/").cssselect("table.data tbody tr")) > 0
    for cell in cells:
        assert cell["right"] <= cell["edge"] + 0.5 and cell["scroll"] == 0, cell
        assert cell["label"].startswith('"Documents"'), cell  # each stacked cell says its column


@pytest.mark.parametrize("path", [TERRITORIES, CHRONOLOGY])
def test_a_number_and_its_unit_stay_on_one_line(published_site, new_page, path):
    page = new_page(width=390)
    page.goto(published_site.http_url(path))
    lines = page.evaluate("""() => [...document.querySelectorAll('table.data .num')].filter(cell => cell.closest('tbody, tfoot'))
      .map(cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        return {text: cell.textContent.trim(), lines: tops.size};
      })""")
    with_unit = [line for line in lines if line["text"].endswith("km²")]
    assert with_unit and all(line["lines"] == 1 for line in with_unit), with_unit


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_at_least_12_px(published_site, new_page, width):
    paths = chart_pages(published_site)
    assert {CHRONOLOGY, TERRITORIES} <= set(paths)
    page = new_page(width=width)
    for path in paths:
        page.goto(published_site.http_url(path))
        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert len(sizes) > 10
        small = [size for size in sizes if size["size"] < 12 or size["height"] < 12]
        assert small == [], (str(path), small)


def test_the_area_chart_numbers_its_steps_as_the_table_numbers_its_rows(published_site):
    page = published_site.page("chronology/")
    svg = page.xpath("//*[local-name()='svg'][contains(@class, 'chart-step')]")[0]
    links = svg.xpath(".//*[local-name()='a']")
    numbered = {}
    for link in links:
        [number] = link.xpath(".//*[local-name()='text'][@class='chart-step-number']")
        numbered[int(number.text)] = link.get("href")
    rows = page.cssselect("table.data tbody tr")
    by_row = {int(row.cssselect("th[scope=row]")[0].text_content()): row.cssselect("td a")[0].get("href") for row in rows}
    assert numbered == by_row and sorted(numbered) == list(range(1, len(links) + 1))
    # A change dated only to a range is a band over the range, with its range written above it.
    spans = [link for link in links if link.xpath(".//*[local-name()='rect'][@class='chart-span']")]
    assert spans and all(not link.xpath(".//*[local-name()='circle']") for link in spans)
    assert "1988–1992" in [text.text for text in svg.xpath(".//*[local-name()='text'][@class='chart-span-label']")]


@pytest.mark.parametrize("path", [CHRONOLOGY, PurePosixPath("chronology/kind/occupation/index.html")])
def test_year_links_lead_to_visible_year_sections(published_site, new_page, path):
    page = new_page(width=390)
    page.goto(published_site.http_url(path))
    links = page.evaluate("[...document.querySelectorAll('nav.year-jump a')].map(a => [a.textContent, a.href])")
    assert len(links) >= 2
    for year, href in links:
        page.goto(href)
        target = page.evaluate("""() => {
          const element = document.getElementById(decodeURIComponent(location.hash.slice(1)));
          if (!element) return null;
          const rect = element.getBoundingClientRect();
          return {text: element.textContent.trim(), visible: element.checkVisibility({visibilityProperty: true}),
                  top: rect.top, bottom: rect.bottom, height: innerHeight,
                  section: element.closest('section.year') !== null};
        }""")
        assert target is not None, href
        assert target["text"] == year and target["visible"] and target["section"], (href, target)
        assert 0 < target["top"] < target["bottom"] <= target["height"], (href, target)  # not cut by the top edge


def timeline_entries(page) -> list[tuple[str, str]]:
    """(class, id) of each entry of the timeline the page shows."""
    return page.evaluate("[...document.querySelectorAll('ol.timeline > li')].map(li => [li.className, li.id])")


@pytest.mark.parametrize("mode", ["http-subpath", "file"])
def test_the_kind_filter_works_without_javascript(published_site, browser, mode):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        address = published_site.http_url if mode == "http-subpath" else published_site.file_url
        page.goto(address(CHRONOLOGY))
        everything = timeline_entries(page)
        kinds = page.evaluate("[...document.querySelectorAll('nav.kind-filter a')].map(a => a.textContent.trim())")
        assert kinds[0] == "All kinds" and "“Occupation” (the texts’ word)" in kinds
        page.get_by_role("link", name="“Occupation” (the texts’ word)").click()
        page.wait_for_load_state()
        assert page.evaluate("location.pathname").endswith("/chronology/kind/occupation/index.html")
        shown = timeline_entries(page)
        assert shown == [entry for entry in everything if entry[0] == "event kind-occupation"]
        assert len(shown) >= 9
        current = page.locator("nav.kind-filter a[aria-current]")
        assert current.count() == 1 and current.text_content().strip() == "“Occupation” (the texts’ word)"
        assert page.locator("h1").text_content() == "Chronology: “Occupation” (the texts’ word)"
        page.get_by_role("link", name="All kinds").click()
        page.wait_for_load_state()
        assert timeline_entries(page) == everything
    finally:
        context.close()


def test_every_entry_is_on_exactly_one_kind_page(published_site):
    whole = [li.get("id") for li in published_site.page("chronology/").cssselect("ol.timeline > li")]
    kind_pages = sorted((published_site.out / "chronology" / "kind").glob("*/index.html"))
    by_kind = [li.get("id") for file in kind_pages
               for li in lxml.html.fromstring(file.read_bytes()).cssselect("ol.timeline > li")]
    assert sorted(by_kind) == sorted(whole) and len(set(whole)) == len(whole)
    sitemap = (published_site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"chronology/kind/{file.parent.name}/" in sitemap for file in kind_pages)


def test_event_headings_hold_the_event_title_alone(published_site):
    events = yaml.safe_load((PROJECT / "content" / "chronology.yaml").read_text(encoding="utf-8"))["events"]
    by_id = {event["id"]: event for event in events}
    page = published_site.page("chronology/")
    entries = page.cssselect("ol.timeline > li.event")
    checked = 0
    for entry in entries:
        heading = entry[0]
        assert heading.tag == "h4", lxml.html.tostring(entry)[:200]
        if not entry.get("id", "").startswith("event-"):
            continue
        event = by_id[entry.get("id").removeprefix("event-")]
        assert heading.text_content() == event["title"] and len(heading) == 0
        if event.get("note"):
            notes = [p for p in entry.cssselect("p.note") if p.text_content() == event["note"]]
            assert notes and not heading.xpath(".//p")
        checked += 1
    assert checked == len(events)
