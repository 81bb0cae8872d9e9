"""Cached, incremental and parallel builds give exactly the bytes of a clean sequential build."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

import pytest

from karabakh_site.commands.build import build, prepare_site
from karabakh_site.cache import BuildCache
from karabakh_site.parallel import map_in_processes

from conftest import FIXTURE_SITE, PROJECT, options_for
from test_build import digest_tree


def clean_build(content: Path, out: Path, theme: Path) -> dict[str, str]:
    build(options_for(content, out, theme_templates=theme))
    return digest_tree(out)


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(PROJECT / "content", content)
    shutil.copytree(PROJECT / "templates", theme)
    return content, theme


def test_cached_builds_stay_identical_to_clean_builds_through_edits(project, tmp_path):
    content, theme = project
    cache_dir, out = tmp_path / ".cache", tmp_path / "build"
    options = options_for(content, out, theme_templates=theme, cache_dir=cache_dir)
    edits = [
        lambda: None,  # warm cache, no change
        lambda: _replace(theme / "article.html", "<article class=\"document\">", "<article class=\"document doc\">"),
        lambda: _replace(content / "chronology.yaml", "name: Kalbajar", "name: Kalbajar (Kəlbəcər)"),
        lambda: _replace(content / "articles" / "occupation-in-figures.md", "summary: \"The table", "summary: \"This table"),
        lambda: _replace(content / "pages" / "about.md", "title: About this archive", "title: About"),
        # What a document page shows of other files: its events, its related documents and
        # index entries (by tag), the site's settings (#13: document pages are fingerprinted
        # by these inputs, their values made only when one changed).
        lambda: _replace(content / "chronology.yaml", "CSCE Ministerial Council meeting in Helsinki,",
                         "CSCE Ministerial Council in Helsinki,"),
        lambda: _replace(content / "articles" / "aliyev-shusha-media-forum-2023.md", '"Karabakh Armenians"',
                         '"Armenians of Karabakh"'),
        lambda: _replace(content / "site.yaml", "title: Karabakh Archive", "title: The Karabakh Archive"),
    ]
    build(options)
    for number, edit in enumerate(edits):
        edit()
        build(options)  # reads and updates .cache/
        assert (cache_dir / BuildCache.FILE).is_file()
        assert digest_tree(out) == clean_build(content, tmp_path / f"clean{number}", theme), number


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_damaged_cache_is_a_cold_start(tmp_path):
    cache_dir = tmp_path / ".cache"
    cache_dir.mkdir()
    (cache_dir / BuildCache.FILE).write_bytes(b"not a pickle")
    assert BuildCache.load(cache_dir).bodies == {}


def test_parallel_rendering_equals_sequential(tmp_path, monkeypatch):
    monkeypatch.setattr("karabakh_site.parallel.MIN_ITEMS", 1)  # fork even for the small sample site
    sequential = prepare_site(options_for(FIXTURE_SITE, tmp_path / "a", workers=1))
    parallel = prepare_site(options_for(FIXTURE_SITE, tmp_path / "b", workers=2))
    assert parallel.files == sequential.files


def test_map_in_processes_keeps_order(monkeypatch):
    monkeypatch.setattr("karabakh_site.parallel.MIN_ITEMS", 1)
    assert map_in_processes(lambda n: n * n, list(range(50)), 2) == [n * n for n in range(50)]


def test_unchanged_files_are_hard_linked_from_the_previous_output(tmp_path):
    cache_dir, out = tmp_path / ".cache", tmp_path / "build"
    options = options_for(FIXTURE_SITE, out, cache_dir=cache_dir)
    build(options)
    before = (out / "index.html").stat().st_ino
    build(options)
    assert (out / "index.html").stat().st_ino == before  # the same file, linked, not rewritten


def test_a_fingerprint_memo_never_gives_a_freed_objects_digest_to_a_new_one():
    """Ids are reused once an object is freed; the memo must not mistake the new object for the old."""
    from dataclasses import dataclass

    from karabakh_site.cache import fingerprint

    @dataclass(frozen=True)
    class Item:
        text: str

    memo: dict = {}
    for number in range(200):
        fingerprint(Item(f"a page's pager {number}"), memo)  # freed at once: CPython gives its id to the next Item
        assert fingerprint(Item(f"another page's pager {number}"), memo) == fingerprint(Item(f"another page's pager {number}"))


def test_a_memo_keeps_model_values_but_not_a_pages_own_values():
    """A page's own values are freed with it (#13): a territory page's mention sentences were
    kept alive by the memo until the end of the build. The digests are the same either way."""
    from karabakh_site.cache import Memo, fingerprint
    from karabakh_site.render.paging import Pager
    from karabakh_site.site.link import Neighbours

    pager = Pager(number=2, count=2, links=((1, "a/index.html"), (2, "a/page/2/index.html")),
                  previous="a/index.html", next=None)
    neighbours = Neighbours(previous=None, next=None)
    memo = Memo(transient_modules=("karabakh_site.render.",))
    value = (pager, neighbours, [pager, "text", 3, None])
    assert fingerprint(value, memo) == fingerprint(value) == fingerprint(value, {})
    kept = {type(entry[0]) for entry in memo.values()}
    assert Neighbours in kept and Pager not in kept
    # Different values still give different digests through the type dispatch (a list and a
    # tuple alike: a template cannot tell them apart).
    assert len({fingerprint(x) for x in ("1", 1, 1.0, True, None, b"1", (1,), {"1": 1}, ("1",))}) == 9
    assert fingerprint([1]) == fingerprint((1,))


def _fixture_copy(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_SITE, content)
    return content


def _append_paragraph(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edited_text_re_renders_the_pages_that_show_it_not_those_listing_it(tmp_path):
    """A new sentence in a text changes its page; the lists, indexes and related documents that
    show its title, date and summary are reused (#13: one edit re-rendered 3,900 of 14,000 pages)."""
    content = _fixture_copy(tmp_path)
    cache = BuildCache()
    options = options_for(content, tmp_path / "out")
    prepare_site(options, cache)
    _append_paragraph(content / "articles" / "forum-report.md", "A sentence added by an editor.")
    report = prepare_site(options, cache)
    rendered = {str(path) for path in cache.pages.rendered}
    assert "articles/forum-report/index.html" in rendered
    assert not rendered & {"index.html", "articles/index.html", "articles/kalbajar-speech/index.html"}
    assert all(path.startswith("articles/forum-report/") or path == "feed.xml" for path in rendered), rendered
    assert report.files == prepare_site(options_for(content, tmp_path / "clean")).files


def test_a_territory_page_follows_the_sentences_around_its_mentions(tmp_path):
    """A territory page is fingerprinted by the body digests of the documents whose mentions it
    lists, not by the mentions (#13): a changed sentence around a mention, and a document naming
    the territory for the first time, re-render it; a document listed there without a mention
    of it (forum-report names Shusha only inside "Shusha Global Media Forum") does not."""
    content = _fixture_copy(tmp_path)
    cache = BuildCache()
    options = options_for(content, tmp_path / "out")
    prepare_site(options, cache)
    for path, old, new, shown in [
        ("kalbajar-speech.md", "The occupation of Kalbajar on 2 April 1993", "The occupation of Kalbajar on 2 April 1993, he said,",
         "he said"),
        ("forum-report.md", None, "A sentence naming Kalbajar, added by an editor.", "added by an editor"),
    ]:
        page = "territories/kalbajar/index.html"
        if old is None:
            _append_paragraph(content / "articles" / path, new)
        else:
            _replace(content / "articles" / path, old, new)
        report = prepare_site(options, cache)
        rendered = {str(path) for path in cache.pages.rendered}
        assert page in rendered and "territories/shusha/index.html" not in rendered, rendered
        assert report.files == prepare_site(options_for(content, tmp_path / "clean")).files
        assert shown.encode() in report.files[PurePosixPath(page)]


def test_a_theme_that_shows_the_markdown_source_of_listed_texts_re_renders_the_lists(tmp_path):
    """The shortcut above holds only while no template reads an article's ``body``: a theme that
    does (here the documents list shows each text's length) has every field fingerprinted."""
    content, theme = _fixture_copy(tmp_path), tmp_path / "theme"
    shutil.copytree(PROJECT / "templates", theme)
    _replace(theme / "_macros.html", '<li class="doc-item">', '<li class="doc-item" data-length="{{ article.body|length }}">')
    cache = BuildCache()
    options = options_for(content, tmp_path / "out", theme_templates=theme)
    prepare_site(options, cache)
    _append_paragraph(content / "articles" / "forum-report.md", "A sentence added by an editor.")
    report = prepare_site(options, cache)
    assert "articles/index.html" in {str(path) for path in cache.pages.rendered}
    assert report.files == prepare_site(options_for(content, tmp_path / "clean", theme_templates=theme)).files


def test_untouched_files_of_the_last_output_are_linked_unread_and_touched_ones_are_checked(tmp_path):
    """The last build's record of its files' stat lets the next link them without hashing 360 MB
    (#13); a file changed by hand since (another time stamp) is hashed, found different and written anew."""
    cache_dir, out = tmp_path / ".cache", tmp_path / "build"
    content = _fixture_copy(tmp_path)
    options = options_for(content, out, cache_dir=cache_dir)
    build(options)
    page = out / "articles" / "kalbajar-speech" / "index.html"
    good = page.read_bytes()
    tampered = good.replace(b"<main", b"<mAin", 1)
    assert len(tampered) == len(good) and tampered != good
    page.write_bytes(tampered)  # same size, new modification time
    _append_paragraph(content / "articles" / "forum-report.md", "A sentence added by an editor.")
    build(options)
    assert page.read_bytes() == good
    assert digest_tree(out) == clean_build(content, tmp_path / "clean", PROJECT / "templates")


def test_a_renamed_territory_re_renders_only_the_bodies_that_may_name_it(project, tmp_path, monkeypatch):
    """Renaming a territory used to render every body again: the body cache was keyed by all
    the names. Now a body whose text holds none of the changed names comes from the cache
    (#13), and the output is still exactly a clean build's."""
    import karabakh_site.site.link as link

    content, theme = project
    options = options_for(content, tmp_path / "build", theme_templates=theme, cache_dir=tmp_path / ".cache")
    build(options)
    rendered: list[str] = []
    render_body = link._render_body
    monkeypatch.setattr(link, "_render_body", lambda *args: rendered.append(args[-1].slug) or render_body(*args))
    _replace(content / "chronology.yaml", "name: Fizuli", "name: Fizuli District")
    build(options)
    # Only one article's text has "Fizuli" (its alias "Füzuli" is not changed); pages have no mentions.
    assert rendered == ["occupation-in-figures"]
    assert digest_tree(tmp_path / "build") == clean_build(content, tmp_path / "clean", theme)
    # An alias that a text holds re-renders that text (not the others).
    rendered.clear()
    _replace(content / "chronology.yaml", 'aliases: [{name: "Fuzuli", lang: en}',
             'aliases: [{name: "Belarus", lang: en}, {name: "Fuzuli", lang: en}')
    build(options)
    assert "hajiyev-apa-statement" in rendered and "aliyev-shusha-media-forum-2025" not in rendered
    assert digest_tree(tmp_path / "build") == clean_build(content, tmp_path / "clean2", theme)


@pytest.mark.parametrize("text, holds", [
    ("in Pashgan today", True), ("in PASHGAN", True), ("in PASHGÁN", True), ("in Pəşğən", False), ("in P&#97;shgan", True),
    ("in Pash\\-gan", False), ("Upper\nPashgan", True), ("no such name", False), ("Pash gan", False),
])
def test_may_name_says_no_only_when_the_text_cannot_hold_the_name(text, holds):
    from karabakh_site.site.name_changes import Names, changed_words, may_name

    last = Names(frozenset({("territory", "Arsar", "arsar")}), ())
    now = Names(frozenset({("territory", "Arsar", "arsar"), ("territory", "Pashgan", "pashgan")}), ())
    assert may_name(text, changed_words(last, now)) is holds
    assert may_name(text, changed_words(now, last)) is holds  # a removed name too
    assert changed_words(last, Names(last.items, ("Shusha Global Media Forum",))) is None  # phrases: every body


def test_a_stored_body_with_other_fields_than_its_class_is_a_miss_not_an_object(tmp_path):
    """Decoding builds objects from the stored dict without calling ``__init__`` (#13), so the
    fields are checked first: a row naming a missing or an extra field is made again."""
    from karabakh_site.site.link import BODY_TYPES
    from karabakh_site.text.markdown import Heading, RenderedBody

    cache = BuildCache.load(tmp_path, BODY_TYPES)
    body = RenderedBody(b"<p>x</p>", (Heading(2, "a", "A", 3),), ())
    cache.bodies[b"k"] = body
    assert cache.bodies[b"k"] == body and cache.bodies[b"k"].headings[0].anchor == "a"
    for tampered in ('{"@":"Heading","level":2,"anchor":"a","text":"A"}',
                     '{"@":"Heading","level":2,"anchor":"a","text":"A","line":3,"__class__":1}'):
        cache.connection.execute("UPDATE bodies SET data = ? WHERE key = ?", (tampered, b"k"))
        assert cache.bodies.get(b"k") is None


def test_a_body_is_stored_with_its_html_apart_and_read_back_in_bulk(tmp_path):
    """The HTML is a column of its own (#13: never escaped into JSON); the rest must leave
    its place empty, and many bodies are read in a few queries, each damaged row a miss."""
    from karabakh_site.cache import body_digest, get_many
    from karabakh_site.site.link import BODY_TYPES
    from karabakh_site.text.markdown import Heading, Link, RenderedBody

    cache = BuildCache.load(tmp_path, BODY_TYPES)
    bodies = {b"k%d" % n: RenderedBody(f'<p id="p-1">"quoted" \\ {n} Кəлбəҹәр</p>\n'.encode(), (Heading(2, "a", "A", n),),
                                       (Link("x.md#a", 3),)) for n in range(1200)}
    digests = {key: cache.keep_body(key, body) for key, body in bodies.items()}
    assert digests[b"k7"] == body_digest(bodies[b"k7"]) != body_digest(bodies[b"k8"])
    data, html = cache.connection.execute("SELECT data, html FROM bodies WHERE key = ?", (b"k7",)).fetchone()
    assert html == bodies[b"k7"].html_utf8 and '"html_utf8":null' in data and "quoted" not in data
    found = get_many(cache.bodies, [*bodies, b"missing"])
    assert found == bodies and found[b"k5"].headings[0].line == 5
    assert found[b"k5"].html == '<p id="p-1">"quoted" \\ 5 Кəлбəҹәр</p>\n'  # kept as bytes, shown as text
    cache.connection.execute("UPDATE bodies SET data = ? WHERE key = ?", (data.replace('"html_utf8":null', '"html_utf8":"x"'), b"k7"))
    cache.connection.execute("UPDATE bodies SET data = ? WHERE key = ?",
                             ('{"@":"Heading","level":2,"anchor":"a","text":"A","line":3}', b"k8"))
    cache.connection.execute("UPDATE bodies SET html = ? WHERE key = ?", (b"<p>\xff</p>", b"k9"))  # not UTF-8
    assert set(get_many(cache.bodies, [b"k6", b"k7", b"k8", b"k9"])) == {b"k6"}
    assert get_many({b"a": 1}, [b"a", b"b"]) == {b"a": 1}


def test_the_cycle_collector_waits_during_a_build_and_runs_again_after(tmp_path, monkeypatch):
    """A build makes millions of long-lived objects; the collector's walks over them cost 9 s
    of a 48 s edit build at N = 10,000 (#13). It is off while the stages run, on again after,
    also when a build fails."""
    import gc

    from karabakh_site.collector import collector_paused
    from karabakh_site.errors import BuildFailed
    import karabakh_site.commands.build as build_module

    seen = []
    real_run_stages = build_module._run_stages

    def noting(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_run_stages(*args, **kwargs)

    monkeypatch.setattr(build_module, "_run_stages", noting)
    assert gc.isenabled()
    build(options_for(FIXTURE_SITE, tmp_path / "out"))
    content = _fixture_copy(tmp_path)
    _replace(content / "articles" / "forum-report.md", 'date: "2021-07~"', 'date: "not a date"')
    with pytest.raises(BuildFailed):
        build(options_for(content, tmp_path / "out2"))
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()


def test_a_body_and_its_parts_hold_no_dict_and_travel_from_a_worker_as_they_were():
    """A body's parts are made by the hundred thousand (#13): slots, no ``__dict__``; they pickle
    as a call of their class (a worker sends each body back) and come back equal, still frozen."""
    import dataclasses
    import pickle

    from karabakh_site.text.markdown import Heading, Link, Paragraph, RenderedBody
    from karabakh_site.text.mentions import Mention

    mention = Mention("kalbajar", "mention-kalbajar-1", "Kəlbəcər", 4, "In ", " today", True, place_id="x")
    body = RenderedBody("<p>Kəlbəcər</p>".encode(), (Heading(2, "a", "A", 3),), (Link("b.md", 5),), (mention,),
                        (Paragraph("p-1", 4, 6),), ("phrase",))
    for part in (body, mention, body.headings[0], body.links[0], body.paragraphs[0]):
        assert not hasattr(part, "__dict__")
        assert part.__reduce__()[0] is type(part)
    again = pickle.loads(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == body and again.mentions[0].place_id == "x" and again.html == "<p>Kəlbəcər</p>"
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.mentions[0].text = "changed"
