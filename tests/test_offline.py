"""The offline bundle: built from a fixture project, unzipped, opened from file:// in Chromium
with the network cut off; links, styles and search work, and no member text is inside."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator import offline

from .conftest import ROOT
from .projects import every_kind_project
from .test_gating_leaks import gated_text

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
                 "assets/javascripts/search.js"]:
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
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
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
