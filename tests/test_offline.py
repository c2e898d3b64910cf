"""The offline bundle: built from a fixture project, unzipped, opened from file:// in Chromium
with the network cut off; links, styles and search work, and no member text is inside."""
from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import book, offline, pages
from generator.dataset import load_checked

from .conftest import ROOT
from .projects import every_kind_project
from .test_gating_leaks import gated_text, load

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return every_kind_project(tmp_path_factory.mktemp("offline"))


@pytest.fixture(scope="module")
def bundle(project) -> offline.Bundle:
    return offline.build_bundle(project / "mkdocs.offline.yml",
                                project.parent / "dist" / "fixture-offline.zip")


@pytest.fixture(scope="module")
def unzipped(bundle, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(bundle.path) as z:
        z.extractall(folder)
    return folder / "fixture-offline"


def test_the_bundle_holds_the_site_in_one_folder(bundle):
    with zipfile.ZipFile(bundle.path) as z:
        names = z.namelist()
    assert bundle.files == len(names)
    assert {n.split("/")[0] for n in names} == {"fixture-offline"}
    inside = {n.split("/", 1)[1] for n in names}
    for page in ["index.html", "about.html", "search.html", "modifiers/index.html",
                 "modifiers/53.html", "cpt/99213.html", "icd-10-cm/E11.65.html",
                 "icd-10-cm/A00-A09.html", "search-index/manifest.js",
                 "assets/javascripts/search/main.js"]:
        assert page in inside, page
    # Folder-style pages and files only a web server uses are not in it.
    assert not [n for n in inside if n.endswith("/index.html") and n.count("/") > 1]
    assert not {"404.html", "_redirects", "robots.txt", "sitemap.xml"} & inside
    assert not [n for n in inside if n.startswith((".netlify", "sitemaps/"))]
    # Nothing of the scratch build is left beside the zip.
    assert sorted(p.name for p in bundle.path.parent.iterdir()) == ["fixture-offline.zip"]
    assert 0 < bundle.zip_bytes < bundle.bytes


def test_no_member_text_in_the_bundle(bundle, project):
    sections = gated_text(project / "data")
    needles = sorted({n for found in sections.values() for n in found})
    assert len(sections) >= 3 and any("FIXTURE-ICD-SECRET" in n for n in needles)
    with zipfile.ZipFile(bundle.path) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace")
            hits = [n for n in needles if n in text]
            assert not hits, f"member text in {name}: {hits[:3]}"


@pytest.fixture(scope="module")
def catalog(project, bundle):
    return load_checked(project / "data", project, None, logging.getLogger("test"), False).catalog


REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def test_every_icd_page_of_the_site_has_its_text_in_the_bundle(unzipped, catalog):
    """Every ICD-10-CM page the hosted site has is in the bundle at the same URL: a page of its
    own (categories, chapters, blocks, curated codes) or a small page that forwards to the
    section of its category's page whose id is the code."""
    site = pages.Renderer(catalog, directory_urls=False)
    icd = [u for u, r in site.records.items() if r.system == "icd-10-cm"]
    places = book.locations(catalog)
    assert len(icd) > 4000 and len(places) > 0.9 * len(icd)
    assert "icd-10-cm/E11.65.md" not in places   # curated: keeps its page
    pages_read: dict[str, str] = {}
    for uri in icd:
        record = site.records[uri]
        path = unzipped / uri.replace(".md", ".html")
        text = path.read_text(encoding="utf-8")
        if uri not in places:
            assert "<h1" in text and record.code in text, uri
            continue
        assert len(path.read_bytes()) < 250 + len(record.title) and "<h1" not in text, uri
        target = REFRESH.search(text).group(1)
        assert f'<a href="{target}">' in text   # the same place without the refresh
        page, _, anchor = target.partition("#")
        assert anchor == record.code
        category = book.category_of(record, catalog)
        assert page == f"{category.code}.html" and category.code != record.code
        if page not in pages_read:
            pages_read[page] = (unzipped / "icd-10-cm" / page).read_text(encoding="utf-8")
        # A list item ends at the next item or the list's end (minified pages leave out the
        # optional </li>), a heading at its end tag.
        found = re.search(rf'id="{re.escape(anchor)}">(.*?)(?:</(?:li|h\d)>|<li[\s>]|</[uo]l>)',
                          pages_read[page])
        assert found, f"{uri}: no section {anchor} in {page}"
        # The section shows the code's title (a 7th-character line: the character's meaning).
        shown = found.group(1)
        words = record.title.split(", ")[-1] if record.seventh else record.title
        assert pages.escape_text(words) in shown, (uri, shown)


def test_book_pages_link_codes_at_their_sections(unzipped):
    e11 = (unzipped / "icd-10-cm" / "E11.html").read_text(encoding="utf-8")
    assert 'id="E11.9"' in e11 and 'id="E11.641"' in e11 and 'id="codes-under"' in e11
    assert 'href="#E11.9"' in e11 or 'href="#E11.8"' in e11   # the same page: no stub between
    assert 'href="E11.9.html"' not in e11
    assert re.search(r'href="E10\.html#E10\.\w+"', e11)   # another category: its section
    # A code's 7th characters: the table on this page (S06's own, or a section's).
    s06 = (unzipped / "icd-10-cm" / "S06.html").read_text(encoding="utf-8")
    assert 'id="seventh-characters"' in s06
    assert '(table at <a href="#seventh-characters">S06</a>)' in s06
    # Codes with curated text keep their page, and the book links to it.
    assert 'href="E11.65.html"' in e11
    # Its subcategories are in the table of contents (Material's sidebar).
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', e11, re.S).group(0)
    assert 'href="#E11.6"' in toc and 'href="#codes-under"' in toc and 'href="#E11.65"' not in toc


def test_the_bundle_config_has_the_sites_plugins():
    """mkdocs.offline.yml repeats the site's plugin list (INHERIT replaces lists): the same
    plugins with the same options, plus the book."""
    def plugins(name):
        class Loader(yaml.SafeLoader):   # !ENV and other tags of MkDocs: not compared here
            pass
        Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
        with open(ROOT / name, encoding="utf-8") as f:
            text = yaml.load(f, Loader=Loader)
        return [p if isinstance(p, dict) else {p: None} for p in text["plugins"]]
    site, bundle = plugins("mkdocs.yml"), plugins("mkdocs.offline.yml")
    assert bundle[0]["codes"].pop("book") is True
    assert bundle == site


def test_every_icd_code_of_the_real_data_has_a_place_in_the_book():
    """On the committed data: every ICD-10-CM code is a page of the bundle (category, chapter,
    block, curated code) or a section, with its code as id, of its category's book page."""
    catalog = load(ROOT / "data").catalog
    places = book.locations(catalog)
    renderer = book.BookRenderer(catalog)
    ids: set[str] = set()
    categories = [r for u, r in renderer.records.items() if book.is_category(r)]
    for category in categories:
        ctx = renderer.context(category.src_uri)
        ids.update(x["id"] for x in book.extensions_of(category, ctx)[1])
        for s in book.sections_of(category, ctx):
            ids.add(s["r"].code)
            ids.update(x["id"] for x in s["extensions"])
    icd = [u for u, r in renderer.records.items() if r.system == "icd-10-cm"]
    assert len(icd) > 98000 and len(categories) > 1900
    for uri in icd:
        record = renderer.records[uri]
        if uri in places:
            assert record.code in ids, uri
            assert places[uri] == (book.category_of(record, catalog).src_uri, record.code)
        else:
            assert record.kind == "range" or book.is_category(record) or book.keeps_page(record)
    assert len(places) > 96000


def test_a_config_with_folder_urls_is_refused(project, tmp_path):
    with pytest.raises(offline.OfflineError, match="use_directory_urls: false"):
        offline.build_bundle(project / "mkdocs.yml", tmp_path / "x.zip")
    assert not list(tmp_path.iterdir())


def test_names():
    assert offline.bundle_name("Open Code Reference") == "open-code-reference"
    assert offline.default_output(ROOT / "mkdocs.offline.yml") == \
        Path("dist/open-code-reference-offline.zip")
    assert not offline.included("404.html") and not offline.included("sitemaps/pages-1.xml")
    assert offline.included("icd-10-cm/A00.html") and offline.included("search.html")


# --- in Chromium, from file://, with no network ---------------------------------------------

@pytest.fixture
def offline_page(browser):
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    failed: list[str] = []
    errors: list[str] = []
    # Anything that is not a file of the bundle is refused and recorded.
    context.route(lambda url: not url.startswith("file:"),
                  lambda route: (requests.append(route.request.url), route.abort()))
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    # ERR_ABORTED: a request the browser dropped because the page moved on (a short link
    # opened by ?go= replaces the page while it loads), not a missing file (ERR_FILE_NOT_FOUND).
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert requests == [], "the bundle asked the network for something"
    assert failed == [], "a file the bundle links to is missing"
    assert errors == []


def ask(page, query: str, box: str = "#cc-search") -> list[str]:
    results = f"{box} .cc-search__results"
    page.locator(f"{box} input").fill(query)
    page.wait_for_function("([sel, q]) => document.querySelector(sel).dataset.query === q",
                           arg=[results, query])
    rows = page.locator(f"{results} .cc-result .cc-result__code")
    return [rows.nth(i).inner_text() for i in range(rows.count())]


@pytest.mark.browser
def test_links_styles_and_search_work_from_file(offline_page, unzipped):
    page = offline_page
    page.goto((unzipped / "index.html").as_uri())
    # Material's stylesheet is applied: the header has its primary colour, not none.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert page.locator("#cc-search").is_visible()
    # Log in and register need the hosted site's server: not shown offline.
    assert page.locator(".account-bar").count() == 1 and not page.locator(".account-bar").is_visible()

    # Links between pages lead to .html files.
    page.locator(".md-content a", has_text="E11.65").first.click()
    page.wait_for_url("**/icd-10-cm/E11.65.html")
    assert "E11.65" in page.locator("h1").inner_text()
    page.locator("nav.crumbs a").nth(1).click()
    page.wait_for_url("**/icd-10-cm/index.html")

    # The search box finds codes and opens the code's page.
    assert ask(page, "e1165")[0] == "E11.65"
    assert ask(page, "modifier 53")[0] == "53"
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/modifiers/53.html")
    assert page.locator(".member-teaser").count() >= 1

    # A hand-written page found by its words, and the results page.
    ask(page, "zeppelin")
    link = page.locator("#cc-search .cc-result", has_text="About").first.get_attribute("href")
    assert link == (unzipped / "about.html").as_uri()
    assert ask(page, "A00-A09")[0] == "A00-A09"
    page.goto((unzipped / "search.html").as_uri() + "?q=cholera")
    page.wait_for_function(
        "document.querySelector('#cc-search-page-results').dataset.query === 'cholera'")
    first = page.locator("#cc-search-page .cc-result").first
    assert first.get_attribute("href").endswith(".html")
    first.click()
    page.wait_for_load_state()
    assert "holera" in page.locator("h1").inner_text()


@pytest.mark.browser
def test_code_urls_lead_to_their_section_of_the_book(offline_page, unzipped):
    """A code's own URL forwards to its section of the category page, from file://, with the
    section in view; the search box and links between codes land there too."""
    page = offline_page
    height = 900

    def in_view(code: str) -> bool:
        return page.evaluate("([id, h]) => { const r = document.getElementById(id)"
                             ".getBoundingClientRect(); return r.top >= 0 && r.top < h; }",
                             [code, height])

    page.goto((unzipped / "icd-10-cm" / "E11.9.html").as_uri())
    page.wait_for_url("**/icd-10-cm/E11.html#E11.9")
    assert "E11" in page.locator("h1").inner_text()
    assert "Type 2 diabetes mellitus without complications" in page.locator(
        "[id='E11.9']").inner_text()
    assert in_view("E11.9")

    # A code with a 7th character: one line under its code, with the character's meaning.
    page.goto((unzipped / "icd-10-cm" / "S06.0X1A.html").as_uri())
    page.wait_for_url("**/icd-10-cm/S06.html#S06.0X1A")
    assert page.locator("[id='S06.0X1A']").inner_text().startswith("S06.0X1A initial encounter")
    assert page.locator("li[id='S06.0X1A']").count() == 1
    assert in_view("S06.0X1A")

    # The search box: the result's address is the code's URL, which forwards.
    page.goto((unzipped / "index.html").as_uri())
    assert ask(page, "e119")[0] == "E11.9"
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/icd-10-cm/E11.html#E11.9")
    assert in_view("E11.9")

    # Links between codes in the book go to the section at once.
    page.locator("[id='E11.9'] a, .book a[href='#E11.9']").first.wait_for(state="attached")
    link = page.locator("a[href='#E11.9']").first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url("**/icd-10-cm/E11.html#E11.9")

    # The ask box of a book page answers, and its links to codes land on their sections.
    from .test_ask import ask_all
    page.goto((unzipped / "icd-10-cm" / "E11.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    answer = ask_all(page, [("Can E11.9 be coded with E10.9?",)])[0]
    assert answer["kind"] == "together"
    link = next(a for a in answer["links"] if a["text"] == "E11.9")
    assert link["href"].endswith("icd-10-cm/E11.9.html")   # the code's URL: its stub
    page.goto(link["href"])
    page.wait_for_url("**/icd-10-cm/E11.html#E11.9")
    assert in_view("E11.9")

    # Typing a code with a 7th character in the search box, and a short link (?go=) opened
    # offline, land there as well.
    page.goto((unzipped / "index.html").as_uri())
    assert ask(page, "s060x1a")[0] == "S06.0X1A"
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/icd-10-cm/S06.html#S06.0X1A")
    assert in_view("S06.0X1A")
    page.goto((unzipped / "index.html").as_uri() + "?go=s0630a")
    page.wait_for_url("**/icd-10-cm/S06.html#S06.30A")
    assert in_view("S06.30A")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_book_pages_pass_axe_and_fit_a_phone(browser, unzipped, scheme):
    """The book pages (many sections, 7th-character lines) in both palettes: axe-core finds
    nothing critical or serious, and at 390 px nothing scrolls sideways."""
    from .test_browser import serious_violations
    problems, wide = {}, {}
    for width in (1280, 390):
        context = browser.new_context(offline=True, color_scheme=scheme,
                                      viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            for name in ("E11", "S06"):
                page.goto((unzipped / "icd-10-cm" / f"{name}.html").as_uri())
                if width == 1280:
                    problems[name] = serious_violations(page)
                sizes = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                if sizes[0] > sizes[1]:
                    wide[f"{name} at {width}px"] = sizes
        finally:
            context.close()
    assert problems == {"E11": [], "S06": []}
    assert wide == {}


def test_the_book_needs_file_urls():
    """Book pages and stubs are .html files side by side: with folder URLs the plugin stops
    with a clear message."""
    from mkdocs.exceptions import PluginError
    catalog = load(ROOT / "tests" / "fixtures" / "basic" / "data").catalog
    with pytest.raises(PluginError, match="use_directory_urls: false"):
        book.BookRenderer(catalog, directory_urls=True)
    assert book.BookRenderer(catalog).stubs == frozenset()   # no ICD-10-CM: nothing to forward


def test_mkdocs_builds_the_book_pages_and_only_knows_the_stubs(catalog):
    """The stubs are link targets for MkDocs (hand-written pages link codes), not pages it
    renders: the offline build renders ~2,300 pages, not ~98,700."""
    from generator import plan
    listed = dict(plan.make_plan(catalog, False, [], book=True).listed())
    stubs = book.locations(catalog)
    assert stubs and all(listed[u] is False for u in stubs)
    assert listed["icd-10-cm/E11.md"] and listed["icd-10-cm/E11.65.md"]
    assert listed["modifiers/53.md"]
    assert all(listed[u] for u in listed if u not in stubs)
    hosted = dict(plan.make_plan(catalog, True, []).listed())
    assert hosted.keys() == listed.keys() and all(hosted.values())


def test_a_stub_escapes_what_it_shows():
    html = book.stub_html("E11.65", 'Type 2 <b>"diabetes"</b> & more', "E11.html#E11.65")
    assert ('<a href="E11.html#E11.65">'
            'E11.65 Type 2 &lt;b&gt;&quot;diabetes&quot;&lt;/b&gt; &amp; more</a>') in html
    assert '<meta http-equiv="refresh" content="0; url=E11.html#E11.65">' in html
    assert "<b>" not in html


@pytest.mark.browser
def test_stubs_forward_without_javascript(browser, unzipped):
    """The forwarding is a meta refresh, not a script: it works with JavaScript off, and the
    book page shows the code's text as plain HTML."""
    context = browser.new_context(offline=True, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto((unzipped / "icd-10-cm" / "S06.0X1A.html").as_uri())
        page.wait_for_url("**/icd-10-cm/S06.html#S06.0X1A")
        assert page.locator("[id='S06.0X1A']").is_visible()
        assert "initial encounter" in page.locator("[id='S06.0X1A']").inner_text()
    finally:
        context.close()
