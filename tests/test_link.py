"""Cross-references: every reference is checked, relations are computed."""

from karabakh_site.site.link import link_site, sort_articles
from karabakh_site.content.load import load_content
from karabakh_site.content.model import build_model

from conftest import FIXTURE_SITE
from test_model import problems_of


def linked_fixture():
    site, _ = build_model(load_content(FIXTURE_SITE)[0])
    linked, problems = link_site(site)
    assert not problems
    return linked


def test_relations_of_the_sample_site():
    linked = linked_fixture()
    assert [a.slug for a in linked.articles_by_date] == ["kalbajar-speech", "forum-report", "figures"]
    assert [e.id for e in linked.events_by_territory["shusha"]] == ["occupation-shusha", "forum"]
    assert [e.id for e in linked.events_by_article["figures"]] == ["occupation-shusha", "occupation-kalbajar", "ceasefire"]
    assert [a.slug for a in linked.articles_by_territory["kalbajar"]] == ["kalbajar-speech", "figures"]
    neighbours = linked.neighbours["forum-report"]
    assert (neighbours.previous, neighbours.next.slug) == (None, "kalbajar-speech")
    assert "figures" not in linked.neighbours


def test_undated_articles_sort_last_by_title():
    linked = linked_fixture()
    assert sort_articles(linked.site.articles)[-1].slug == "figures"


def test_reference_errors(make_site):
    root = make_site({
        "chronology.yaml": """\
            territories:
              - id: shusha
                name: Shusha
                aliases: [Shushi]
              - id: lachin
                name: Lachin
                aliases: [shushi]
              - id: shusha
                name: Shusha again
            events:
              - id: e1
                date: "1992"
                title: E1
                territories: [shsha]
                sources: [{article: tow, quote: "In 1992."}]
              - id: e1
                date: "1993"
                title: E1 again
                sources: [{article: one, quote: "In 1993."}]
            """,
        "articles/one.md": "---\ntitle: One\nsource: {name: X}\nterritories: [lachn]\n---\nIn 1993.\n",
    })
    assert problems_of(root) == [
        "SITE/articles/one.md:4:15: unknown territory 'lachn' in territories (did you mean 'lachin'?)",
        "SITE/chronology.yaml:5:9: name or alias 'shushi' of territory 'lachin' is already used by territory 'shusha' (line 2)",
        "SITE/chronology.yaml:8:9: duplicate territory id 'shusha' (first defined on line 2)",
        "SITE/chronology.yaml:14:19: event 'e1' names unknown territory 'shsha' (did you mean 'shusha'?)",
        "SITE/chronology.yaml:15:25: event 'e1' cites unknown article 'tow' (articles are file names in content/articles/ without .md)",
        "SITE/chronology.yaml:16:9: duplicate event id 'e1' (first defined on line 11)",
    ]


def test_body_links_to_unknown_documents_and_folders(make_site):
    root = make_site({"pages/about.md": "---\ntitle: About\n---\nSee [one](../articles/onee.md).\n\n"
                                        "And [folder](../articles/one/) and [ok](../articles/one.md#top).\n"})
    assert problems_of(root) == [
        "SITE/pages/about.md:4:11: link to unknown document '../articles/onee.md' (did you mean 'articles/one.md'?)",
        "SITE/pages/about.md:6:14: link '../articles/one/' points at a folder (link to the Markdown file instead, "
        "e.g. '../pages/about.md', so it works from disk too)",
    ]


def test_body_anchors_are_checked(make_site):
    root = make_site({"pages/about.md": "---\ntitle: About\n---\n## Where\n\n[a](#where) [b](#nowhere) "
                                        "[c](../articles/one.md#mention-shusha-1) [d](../articles/one.md#nope)\n",
                      "articles/one.md": "---\ntitle: One\nsource: {name: X}\n---\nIn Shusha.\n"})
    assert problems_of(root) == [
        "SITE/pages/about.md:6:18: link '#nowhere': no anchor 'nowhere' in pages/about.md (did you mean 'where'?)",
        "SITE/pages/about.md:6:91: link '../articles/one.md#nope': no anchor 'nope' in articles/one.md",
    ]
