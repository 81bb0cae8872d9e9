"""Issue 12 §4: dates and figures say exactly what the texts say, end to end.

A small site with a document dated only by a lower bound ('2021-07-20/..'), one dated
approximately, a range-dated change and returns: feeds, BibTeX, JSON-LD, the area chart
and its table, data/chronology.csv and the sources index are read back as a reader would.
"""

from __future__ import annotations

import csv
import io
import json

import feedparser
import lxml.etree
import lxml.html
import pytest

from karabakh_site.commands.build import build
from karabakh_site.errors import BuildFailed

from conftest import options_for

SVG = {"svg": "http://www.w3.org/2000/svg"}

CHRONOLOGY = """\
territories:
  - id: nk
    name: Upland
    area_km2: 4400
  - id: shusha
    name: Shusha
    area_km2: 289
  - id: kalbajar
    name: Kalbajar
    area_km2: 3054
events:
  - id: change-nk
    date: "1988/1992"
    title: "Upland: period given by the figures"
    kind: occupation
    territories: [nk]
    sources: [{article: figures, quote: "Upland: 1988-1992."}]
  - id: change-shusha
    date: "1992-05-08"
    title: "Shusha: date given by the figures"
    kind: occupation
    territories: [shusha]
    sources: [{article: figures, quote: "Shusha: 8 May 1992."}]
  - id: change-kalbajar
    date: "1993-04-02"
    title: "Kalbajar: date given by the figures"
    kind: occupation
    territories: [kalbajar]
    sources: [{article: figures, quote: "Kalbajar: 2 April 1993."}]
  - id: return-kalbajar
    date: "2020-11-25"
    title: "Kalbajar: return date given by the speech"
    kind: return
    territories: [kalbajar]
    sources: [{article: speech, quote: "Kalbajar came back on 25 November 2020."}]
  - id: statement-kalbajar
    date: "2025-08-21"
    title: "Speech in Kalbajar"
    kind: statement
    territories: [kalbajar]
    sources: [{article: speech, quote: "Today, 21 August 2025, we speak in Kalbajar."}]
"""

ARTICLES = {
    "figures": ('title: "Figures"\nsource:\n  note: "No outlet named."', "Upland: 1988-1992.\n\nShusha: 8 May 1992.\n\n"
                "Kalbajar: 2 April 1993.\n"),
    "speech": ('title: "Speech"\ndate: "2025-08-21"\nsource:\n  name: "News"\n  via: "Agency"',
               "Kalbajar came back on 25 November 2020.\n\nToday, 21 August 2025, we speak in Kalbajar.\n"),
    "interview": ('title: "Interview"\ndate: "2021-07-20/.."\ndate_note: "A lower bound only."\n'
                  'source:\n  via: "TV"', "On July 20 he was in Moscow.\n"),
    "approximate": ('title: "Approximate"\ndate: "2021-07~"\nsource:\n  note: "No outlet named."', "Some text.\n"),
}


def write(root, chronology=CHRONOLOGY, articles=ARTICLES):
    files = {"site.yaml": "title: Mini\nbase_url: https://example.org/mini/\n", "chronology.yaml": chronology}
    files |= {f"articles/{slug}.md": f"---\n{front}\n---\n{body}" for slug, (front, body) in articles.items()}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = write(tmp_path_factory.mktemp("dates") / "content")
    out = root.parent / "build"
    report = build(options_for(root, out))
    return out, report


def page(out, path):
    return lxml.html.fromstring((out / path / "index.html").read_bytes())


def test_open_end_is_said_in_words_and_sorted_by_its_first_day(site):
    out, _ = site
    interview = page(out, "articles/interview")
    assert "20 July 2021 or later" in interview.cssselect(".doc-meta, main")[0].text_content()
    assert not interview.cssselect("main time")  # no machine date: it is not one day
    titles = [a.text_content() for a in page(out, "articles").cssselect("li.doc-item a")[:4]]
    assert titles.index("Speech") < titles.index("Interview") < titles.index("Approximate")


def test_an_approximate_date_gets_no_machine_date(site):
    out, _ = site
    approximate = page(out, "articles/approximate")
    assert "July 2021" in approximate.cssselect("dl.meta dd")[0].text_content()
    assert not approximate.cssselect("dl.meta time")  # datetime="2021-07" would state the month as fact


def test_feeds_hold_only_exact_days_and_count_the_rest(site):
    out, _ = site
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Speech"]
    assert feed.entries[0].published == "2025-08-21T00:00:00Z"
    assert "Documents not dated to one exact day (2:" in feed.feed.subtitle
    assert "Undated documents (1)" in feed.feed.subtitle
    stamps = lxml.etree.parse(str(out / "feed.xml")).xpath("//a:updated/text() | //a:published/text()",
                                                            namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert "2021-07-01T00:00:00Z" not in stamps and "2021-07-20T00:00:00Z" not in stamps


def bibtex_of(out, slug):
    return page(out, f"articles/{slug}").cssselect("pre.bibtex code")[0].text_content()


def test_bibtex_gives_the_edtf_date_unescaped_and_no_year_for_inexact_dates(site):
    out, _ = site
    interview, approximate, speech = (bibtex_of(out, s) for s in ("interview", "approximate", "speech"))
    assert "  date = {2021-07-20/..}," in interview and "year =" not in interview and "month =" not in interview
    assert "  date = {2021-07~}," in approximate and "\\~" not in approximate and "year =" not in approximate
    assert "  date = {2025-08-21},\n  year = {2025},\n  month = aug," in speech


def test_plain_citation_says_the_date_in_words(site):
    out, _ = site
    citation = page(out, "articles/interview").cssselect("p.citation, .citation")[0].text_content()
    assert "20 July 2021 or later" in citation


def json_ld(out, path):
    return [json.loads(b.text) for b in page(out, path).cssselect('script[type="application/ld+json"]')]


def test_json_ld_states_a_date_only_when_exact(site):
    out, _ = site
    [interview] = json_ld(out, "articles/interview")
    [approximate] = json_ld(out, "articles/approximate")
    [speech] = json_ld(out, "articles/speech")
    assert "datePublished" not in interview and "datePublished" not in approximate
    assert speech["datePublished"] == "2025-08-21"
    [events] = json_ld(out, "chronology")
    nk = next(e for e in events["@graph"] if e["url"].endswith("#event-change-nk"))
    assert (nk["startDate"], nk["endDate"]) == ("1988-01-01", "1992-12-31")


def test_a_range_is_drawn_as_a_band_over_the_range_not_a_point(site):
    out, _ = site
    svg = page(out, "chronology").xpath("//*[local-name()='svg' and contains(@class, 'chart-step')]")[0]
    links = svg.xpath(".//*[local-name()='a']")
    nk = next(a for a in links if a.get("href").endswith("#event-change-nk"))
    assert not nk.xpath(".//*[local-name()='circle']")
    bands = nk.xpath(".//*[local-name()='rect'][@class='chart-span']")
    assert len(bands) == 2  # cut where Shusha (8 May 1992) enters the sum inside the span
    left = min(float(r.get("x")) for r in bands)
    right = max(float(r.get("x")) + float(r.get("width")) for r in bands)
    shusha = next(a for a in links if a.get("href").endswith("#event-change-shusha"))
    shusha_x = float(shusha.xpath(".//*[local-name()='circle']")[0].get("cx"))
    assert left < shusha_x < right  # the band spans 1988 to the end of 1992, Shusha's day lies inside
    name = nk.xpath("./*[local-name()='title']")[0].text
    assert name == ("1988–1992: Upland: period given by the figures, +4,400 km² at a date somewhere in this span, "
                    "archive’s sum 4,689 km²")
    legend = [t.text for t in svg.xpath(".//*[local-name()='text'][@class='chart-legend']")]
    assert legend[0].startswith("Line: the archive’s running sum") and legend[1].startswith("Band:")


def test_returns_are_subtracted_and_the_axis_covers_the_whole_chronology(site):
    out, _ = site
    svg = page(out, "chronology").xpath("//*[local-name()='svg' and contains(@class, 'chart-step')]")[0]
    names = [t.text for t in svg.xpath(".//*[local-name()='a']/*[local-name()='title']")]
    assert names[-1] == "25 November 2020: Kalbajar: return date given by the speech, −3,054 km², archive’s sum 4,689 km²"
    assert names[-2].endswith("+3,054 km², archive’s sum 7,743 km²")
    ticks = [(int(t.text), float(t.get("x"))) for t in svg.xpath(".//*[local-name()='text'][@class='chart-tick']")
             if len(t.text) == 4 and t.text.isdigit()]
    right = max(float(line.get("x2")) for line in svg.xpath(".//*[local-name()='line'][@class='chart-grid']"))
    # The 2025 statement widens the axis: past the last year label (2020, one every ten years on a
    # 440-unit chart, #15) by more than half a step, where the last change (in 2020) would end it.
    (first_year, _), (previous, previous_x), (last, last_x) = ticks[0], ticks[-2], ticks[-1]
    assert first_year <= 1990 and last >= 2020
    assert right - last_x > (last_x - previous_x) / 2
    table = page(out, "chronology").cssselect("table.data")[0]
    head = [th.text_content() for th in table.cssselect("thead th")]
    assert head[-1] == "Archive’s running sum"
    rows = [[td.text_content().strip() for td in tr.cssselect("td")] for tr in table.cssselect("tbody tr")]
    assert [r[3] for r in rows] == ["289 km²", "4,689 km²", "7,743 km²", "4,689 km²"]
    assert rows[1][0] == "1988–1992 (a span: in the sum from its end)"
    assert rows[3][2] == "−3,054 km²"


def test_csv_gives_an_area_only_where_the_event_changes_it(site):
    out, _ = site
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "data" / "chronology.csv").read_text()))}
    assert rows["statement-kalbajar"]["area_km2"] == ""
    assert rows["return-kalbajar"]["area_km2"] == "3054" and rows["change-nk"]["area_km2"] == "4400"
    articles = {a["slug"]: a for a in json.loads((out / "data" / "articles.json").read_text())["articles"]}
    assert (articles["interview"]["start"], articles["interview"]["end"]) == ("2021-07-20", None)


def test_sources_index_counts_every_document_whose_outlet_is_unnamed(site):
    out, _ = site
    entries = {li.cssselect("a")[0].text_content(): int(li.cssselect(".count")[0].text)
               for li in page(out, "sources").cssselect("ul.facet-list li")}
    # figures, interview (cites TV, names no outlet), approximate
    assert entries == {"Agency": 1, "News": 1, "TV": 1, "Outlet not named in the text": 3}


def test_years_index_does_not_put_an_open_end_in_one_year(site):
    out, _ = site
    years = [a.text_content() for a in page(out, "years").cssselect("ul.facet-list a")]
    assert years == ["2021", "2021 or later", "2025", "Undated"]


def test_an_area_change_with_an_open_end_is_refused(tmp_path):
    broken = CHRONOLOGY.replace('date: "1988/1992"', 'date: "1988/.."')
    root = write(tmp_path / "content", chronology=broken)
    out = tmp_path / "build"
    with pytest.raises(BuildFailed) as caught:
        build(options_for(root, out))
    text = str(caught.value)
    assert "chronology.yaml:12:9: occupation event 'change-nk' has a date with an open end ('1988/..')" in text
    assert not out.exists()
