"""What a reader sees, checked in real Chromium (Debian's package, driven by Playwright).

The reader pages (issue 13) are checked on a small build of this repository's own content,
data and mkdocs.yml, with ICD-10-CM imported from the cut tabular XML: axe-core (pinned in
package.json) in light and dark, sideways scrolling at 320, 390 and 1366 px, and where the
code's title lands on a phone. Screenshots go to tests/artifacts/ for review.
"""
from __future__ import annotations

import functools
import http.server
import io
import shutil
import threading
from pathlib import Path

import pytest

from generator import icd10cm
from generator.build import build_site

from .conftest import FIXTURES, ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# name -> path under the site; "ask" gets a question typed in (see open_page).
PAGES = {
    "home": "",
    "modifier-cpt": "modifiers/53/",
    "modifier-hcpcs": "modifiers/XU/",
    "modifiers": "modifiers/",
    "cpt-code": "cpt/99213/",
    "cpt-range": "cpt/99202-99499/",
    "hcpcs-code": "hcpcs/G0008/",
    "icd-code": "icd-10-cm/E11.65/",
    "icd-category": "icd-10-cm/E11/",
    "icd-block": "icd-10-cm/E08-E13/",
    "icd-chapter": "icd-10-cm/E00-E89/",
    "icd-index": "icd-10-cm/",
    "icd-seventh-header": "icd-10-cm/S72.001/",
    "icd-seventh-code": "icd-10-cm/S72.001A/",
    "icd-placeholder-code": "icd-10-cm/S06.0X0A/",
    "search-59": "search/?q=59",
    "search-words": "search/?q=diabetes",
    "ask-answer": "ask/",
    "jobs": "jobs/",
    "job": "jobs/coding-auditor-remote-example/",
    "ask-an-expert": "ask-an-expert/",
    "about": "about/",
    "account": "account/",
    "not-found": "404.html",
}
QUESTION = "Can modifier 59 be used with 25?"


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory) -> Path:
    """This repository's content, data and mkdocs.yml, with the cut ICD-10-CM XML."""
    folder = tmp_path_factory.mktemp("reader")
    project = folder / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copytree(ROOT / "data", project / "data", ignore=shutil.ignore_patterns("icd-10-cm"))
    config = project / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}"), encoding="utf-8")
    icd10cm.import_tabular(FIXTURES / "icd10cm" / "tabular.xml", project / "data")
    site = folder / "site"
    assert build_site(config, site) == 0
    return site


def open_page(page, base: str, name: str) -> None:
    page.goto(base + PAGES[name])
    page.wait_for_load_state("load")
    if name == "ask-answer":
        page.locator(".cc-ask__input").fill(QUESTION)
        page.locator(".cc-ask__input").press("Enter")
        page.locator(".cc-ask__card").first.wait_for()
    elif name.startswith("search-"):
        page.locator(".cc-result, .cc-search__hint").first.wait_for()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "critical" || v.impact === "serious")
            .map(v => `${v.impact} ${v.id}: ${v.nodes.length} node(s), e.g. ${v.nodes[0].target} `
                      + `${(v.nodes[0].failureSummary || "").split("\\n").slice(0, 3).join(" ")}`);
    }""")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious(reader_site, serve, browser, artifacts, scheme):
    """axe-core on every kind of page, in both palettes: 0 critical, 0 serious."""
    base = serve(reader_site)
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    problems = {}
    try:
        for name in PAGES:
            open_page(page, base, name)
            found = serious_violations(page)
            if found:
                problems[name] = found
            page.screenshot(path=str(artifacts / f"{name}-{scheme}.png"), full_page=True)
    finally:
        context.close()
    assert problems == {}


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_no_sideways_scrolling_and_the_title_on_the_first_screen(reader_site, serve, browser,
                                                                   artifacts, width):
    base = serve(reader_site)
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 1000 else 900})
    page = context.new_page()
    wide, low = {}, {}
    try:
        for name in PAGES:
            open_page(page, base, name)
            sizes = page.evaluate("""() => [document.documentElement.scrollWidth,
                document.body.scrollWidth, window.innerWidth]""")
            if max(sizes[:2]) > sizes[2]:
                wide[name] = sizes
            if width == 390 and page.locator("h1").count():
                top = page.locator("h1").first.bounding_box()["y"]
                if top > 300:
                    low[name] = top
            if width < 1000:
                page.screenshot(path=str(artifacts / f"{name}-{width}px.png"))
    finally:
        context.close()
    assert wide == {}
    assert low == {}


def test_modifier_53_page(page, reader_site, serve):
    base = serve(reader_site)
    page.goto(base + "modifiers/53/")
    assert page.title().startswith("53 · CPT modifier · ")
    assert page.locator(".code-badge").inner_text() == "53"
    confused = page.locator("h2#often-confused-with + ul a")
    assert {confused.nth(i).inner_text() for i in range(confused.count())} >= {"52", "73", "74"}
    # Members' sections lead somewhere: a button that names the section.
    first = page.locator(".member-section").first
    title = first.locator("h3").inner_text().rstrip("¶").strip()
    button = first.locator(".member-register")
    assert button.is_visible() and button.inner_text() == f"Register free to read {title}"
    assert not first.locator(".member-teaser").is_visible()
    button.click()   # the account page's Register form, ready to type in, coming back here
    page.wait_for_url("**/account/?next=%2Fmodifiers%2F53%2F#register")
    email = page.locator("#register-form input[type=email]")
    assert email.is_visible()
    assert email.evaluate("e => e === document.activeElement")
    assert page.locator("#register-form input[name=next]").input_value() == "/modifiers/53/"
    # Links go where they say: following 74 lands on modifier 74's page.
    page.go_back()
    page.locator("h2#often-confused-with + ul a", has_text="74").click()
    page.wait_for_url("**/modifiers/74/")
    assert page.locator(".code-badge").inner_text() == "74"


def test_code_pages_say_what_to_report(page, reader_site, serve):
    base = serve(reader_site)
    page.goto(base + "icd-10-cm/E11.65/")
    assert page.title().startswith("E11.65 · ICD-10-CM · Type 2 diabetes mellitus with hyperglycemia")
    assert page.locator(".code-billable").inner_text() == "Billable"
    assert page.locator(".code-status").count() == 0          # "Active" says nothing
    page.goto(base + "icd-10-cm/S72.001/")
    assert page.locator(".code-billable").inner_text() == "Not billable: needs a 7th character"
    page.locator(".seventh a", has_text="S72.001D").click()
    page.wait_for_url("**/S72.001D/")
    page.goto(base + "icd-10-cm/E11/")
    assert page.locator(".code-billable").inner_text() == \
        "Not billable: choose a more specific code"
    # The whole subtree, collapsible, with billable flags: E11.65 two levels down.
    tree = page.locator(".code-tree")
    assert tree.locator("a", has_text="E11.65").is_visible()
    tree.locator("xpath=//a[text()='E11.6']/following-sibling::details/summary").click()
    assert not tree.locator("a", has_text="E11.65").is_visible()
    # An imported code's edit link explains overlays instead of opening the imported YAML.
    page.goto(base + "icd-10-cm/A00.0/")
    edit = page.locator(".md-content__button")
    assert edit.get_attribute("href").endswith("about/#add-notes-to-an-icd-10-cm-code")


def test_breadcrumb_is_one_line_on_a_phone_and_expands(browser, reader_site, serve):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(serve(reader_site) + "icd-10-cm/S72.001A/")
    crumbs = page.locator("nav.crumbs")
    assert crumbs.bounding_box()["height"] < 40
    assert not crumbs.locator("li", has_text="Home").is_visible()
    crumbs.locator(".crumbs__more").click()
    assert crumbs.locator("li", has_text="Home").is_visible()
    assert crumbs.bounding_box()["height"] > 60
    # The account buttons sit inside the header bar.
    header = page.locator(".md-header").bounding_box()
    login = page.locator(".account-bar a", has_text="Log in").bounding_box()
    assert header["y"] <= login["y"] and login["y"] + login["height"] <= header["y"] + header["height"]
    context.close()


def test_dark_palette(browser, reader_site, serve, artifacts):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(serve(reader_site) + "modifiers/53/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    context.close()


def test_the_palette_toggle_is_made_by_script_and_switches(page, reader_site, serve):
    """Pages carry an empty palette form; palette.js makes Material's inputs and labels in it."""
    page.goto(serve(reader_site) + "icd-10-cm/E11.65/")
    form = page.locator("form[data-md-component=palette]")
    assert form.locator("input.md-option").count() == 2
    assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
    form.locator("label[title='Switch to dark mode']").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert form.locator("label[title='Switch to light mode']").is_visible()
    page.reload()   # Material keeps the choice
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_the_header_shows_log_out_to_a_reader_with_an_account(browser, reader_site, serve):
    base = serve(reader_site)
    context = browser.new_context()
    host = base.split("//")[1].split(":")[0]
    context.add_cookies([{"name": "ocr_account", "value": "registered", "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(base + "icd-10-cm/E11.65/")
    bar = page.locator(".account-bar")
    assert bar.locator("a", has_text="Log out").is_visible()
    assert not bar.locator("a", has_text="Log in").is_visible()
    assert not bar.locator("a", has_text="Register").is_visible()
    bar.locator("a", has_text="Log out").click()
    page.wait_for_url("**/account/?next=%2Ficd-10-cm%2FE11.65%2F#log-out")
    assert page.locator("#log-out form").get_attribute("action") == "/api/auth/logout"
    assert page.locator("#log-out input[name=next]").input_value() == "/icd-10-cm/E11.65/"
    assert not page.locator("#log-in").is_visible()
    context.close()


def test_pages_and_the_account_page_work_without_javascript(browser, reader_site, serve):
    """Without JavaScript a code page shows everything it says, links to the account page, and
    leaves out only what needs a script (search box, ask box, palette toggle); the account
    page's forms post as they are."""
    base = serve(reader_site)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "icd-10-cm/S72.001A/")
    assert page.locator("h1").inner_text().startswith("S72.001A")
    assert page.locator(".inherited").first.is_visible()
    assert page.locator("#inherited-notes").is_visible()
    assert page.locator("#cc-search").count() == 0
    assert page.locator("#cc-ask").inner_text() == ""
    assert page.locator("form[data-md-component=palette] input").count() == 0
    login = page.locator(".account-bar a", has_text="Log in")
    assert login.is_visible() and not page.locator(".account-bar a", has_text="Log out").is_visible()
    login.click()
    page.wait_for_url("**/account/#log-in")
    for section, action in (("log-in", "login"), ("register", "register"), ("log-out", "logout")):
        form = page.locator(f"#{section} form")
        assert form.is_visible()
        assert form.get_attribute("method") == "post"
        assert form.get_attribute("action") == f"/api/auth/{action}"
        assert form.locator("input[name=next]").input_value() == "/"
    assert page.locator("#register input[type=password]").get_attribute("minlength") == "8"
    context.close()


def test_breadcrumbs_lead_back_to_the_index(page, reader_site, serve):
    page.goto(serve(reader_site) + "cpt/99213/")
    crumbs = page.locator("nav.crumbs li")
    assert [crumbs.nth(i).inner_text() for i in range(crumbs.count())][:3] == [
        "Home", "CPT", "99202-99499 Evaluation and Management"]
    page.locator("nav.crumbs a", has_text="CPT").click()
    page.wait_for_url("**/cpt/")
    assert page.locator("h1").inner_text().startswith("CPT codes")


def test_home_lists_every_code_set_with_its_size(page, reader_site, serve):
    page.goto(serve(reader_site))
    table = page.locator("table").first.inner_text()
    for label in ("Modifiers", "CPT", "HCPCS Level II", "ICD-10-CM"):
        assert label in table
    assert "the whole tabular list" in table
    # Search and ask come before the code sets.
    search = page.locator("form.home-search").bounding_box()["y"]
    assert search < page.locator("h2#code-sets").bounding_box()["y"]
    assert page.locator("#cc-ask").bounding_box()["y"] < page.locator("h2#code-sets").bounding_box()["y"]


def test_the_404_page_carries_the_mistyped_code(browser, reader_site):
    """Served for a missing path, as Netlify serves it, the page puts what was typed in its
    search box."""
    handler = functools.partial(_NotFoundHandler, directory=str(reader_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/icd-10-cm/E11.6x5/")
        assert page.locator("h1").inner_text() == "Page not found"
        assert page.locator("#not-found-q").input_value() == "E11.6x5"
        page.locator("#not-found-q").press("Enter")
        page.wait_for_url("**/search/?q=E11.6x5")
    finally:
        context.close()
        server.shutdown()


class _NotFoundHandler(http.server.SimpleHTTPRequestHandler):
    """Serves 404.html for a path with no file, with status 404."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.exists():
            return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)
