"""The Markdown stage: safe HTML out, headings and links with their file lines."""

import lxml.html
import pytest

from karabakh_site.text.markdown import is_safe_url, render_markdown, slugify_heading


def parse(html: str):
    return lxml.html.fragment_fromstring(html, create_parent="div")


def test_raw_html_is_escaped():
    body = render_markdown('<script>alert(1)</script>\n\n<iframe src="x"></iframe> <b onclick="x()">b</b>\n', 1)
    tree = parse(body.html)
    assert tree.cssselect("script, iframe, b") == []
    assert tree.text_content().strip().startswith("<script>alert(1)</script>")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                                 "data:text/html,x", "data:image/png;base64,AAAA", "vbscript:x", "file:///etc/passwd"])
def test_unsafe_urls_do_not_become_links(url):
    assert not is_safe_url(url)
    tree = parse(render_markdown(f"[x]({url}) ![y]({url})\n", 1).html)
    assert tree.cssselect("a, img") == []


@pytest.mark.parametrize("url", ["https://example.org/", "mailto:a@example.org", "../x/", "#fn1", "page.html"])
def test_safe_urls_are_kept(url):
    assert is_safe_url(url)


def test_headings_get_anchors_and_lines():
    body = render_markdown("\nIntro\n\n## Şuşa and Kəlbəcər\n\n## Şuşa and Kəlbəcər\n\n[a](https://example.org)\n", 10)
    assert [(h.anchor, h.line) for h in body.headings] == [("susa-and-kelbecer", 13), ("susa-and-kelbecer-1", 15)]
    assert [(link.url, link.line) for link in body.links] == [("https://example.org", 17)]
    assert slugify_heading("“International law works selectively”") == "international-law-works-selectively"
    assert slugify_heading("Ղարաբաղ") == "gharabagh"
    assert slugify_heading("!!!") == "section"


def test_tables_scroll_and_footnotes_render():
    tree = parse(render_markdown("| a |\n|---|\n| 1 |\n\nText[^n]\n\n[^n]: Note.\n", 1).html)
    assert tree.cssselect("div.table-scroll > table td")[0].text == "1"
    assert tree.cssselect("section.footnotes li")[0].get("id") == "fn1"
