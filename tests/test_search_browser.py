"""The search box and results page, typed into in real Chromium, over HTTP and from file://.

The site is the real one (mkdocs.yml and data/ of this repository); its index is rebuilt with a
few ICD-10-CM records added, so that ICD queries have answers before and after the full code
set is imported (records the real data already has are kept as they are).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import search
from generator.links import Catalog
from generator.dataset import load_dataset

from .test_search import record

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent

ICD_SAMPLE = [
    ("A00-A09", "Intestinal infectious diseases", None, "range", []),
    ("A00", "Cholera", False, "code", []),
    ("A00.0", "Cholera due to Vibrio cholerae 01, biovar cholerae", True, "code", []),
    ("A00.9", "Cholera, unspecified", True, "code", []),
    ("A01", "Typhoid and paratyphoid fevers", False, "code", []),
    ("A09", "Infectious gastroenteritis and colitis, unspecified", True, "code", []),
    ("E10", "Type 1 diabetes mellitus", False, "code", []),
    ("E10.65", "Type 1 diabetes mellitus with hyperglycemia", True, "code", []),
    ("E11", "Type 2 diabetes mellitus", False, "code", []),
    ("E11.6", "Type 2 diabetes mellitus with other specified complications", False, "code", []),
    ("E11.64", "Type 2 diabetes mellitus with hypoglycemia", False, "code", []),
    ("E11.641", "Type 2 diabetes mellitus with hypoglycemia with coma", True, "code", []),
    ("E11.65", "Type 2 diabetes mellitus with hyperglycemia", True, "code", []),
    ("E11.9", "Type 2 diabetes mellitus without complications", True, "code", []),
    ("R50.9", "Fever, unspecified", True, "code",
     ["Fever with chills", "Fever with rigors", "Hyperpyrexia NOS", "Persistent fever",
      "Pyrexia NOS"]),
    ("R68.83", "Chills (without fever)", True, "code", ["Chills NOS"]),
    ("S72", "Fracture of femur", False, "code", []),
    ("S72.0", "Fracture of head and neck of femur", False, "code", []),
    ("S72.00", "Fracture of unspecified part of neck of femur", False, "code", []),
    ("S72.001", "Fracture of unspecified part of neck of right femur", False, "code", []),
    ("S72.001A", "Fracture of unspecified part of neck of right femur, initial encounter for "
                 "closed fracture", True, "code", []),
    ("S72.001B", "Fracture of unspecified part of neck of right femur, initial encounter for "
                 "open fracture type I or II", True, "code", []),
    ("S72.002A", "Fracture of unspecified part of neck of left femur, initial encounter for "
                 "closed fracture", True, "code", []),
    ("S72.1", "Pertrochanteric fracture", False, "code", []),
]


@pytest.fixture(scope="session")
def search_site(request, tmp_path_factory) -> Path:
    # The real site's files, linked rather than copied (the full site has ~100,000 pages),
    # beside an index of its own. OCR_SEARCH_SITE=/path/to/built/site reuses a build.
    given = os.environ.get("OCR_SEARCH_SITE")
    real_site = Path(given) if given else request.getfixturevalue("real_site")
    site = tmp_path_factory.mktemp("search") / "site"
    site.mkdir()
    for entry in real_site.iterdir():
        if entry.name != search.INDEX_DIR:
            (site / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    catalog = load_dataset(ROOT / "data", ROOT).catalog
    records = list(catalog.records)
    known = set(catalog.by_code)
    for code, title, billable, kind, terms in ICD_SAMPLE:
        if code not in known:
            records.append(record(code, title, kind=kind, billable=billable, inclusion_terms=terms))
    merged = Catalog(records)
    merged.by_code = {r.code: r for r in records}
    search.write_index(merged, ROOT / "content", site)
    return site


@pytest.fixture
def viewport() -> dict:
    return {"width": 1280, "height": 900}


def _shown(query: str) -> str:
    return " ".join(query[:200].split())


def ask(page, query: str, box: str = "#cc-search") -> list[str]:
    """Type `query` into a search box; return the codes of the rows shown, in order."""
    results = f"{box} .cc-search__results"
    page.locator(f"{box} input[type=search]").fill(query)
    page.wait_for_function("([sel, q]) => document.querySelector(sel).dataset.query === q",
                           arg=[results, _shown(query)])
    rows = page.locator(f"{results} .cc-result .cc-result__code")
    return [rows.nth(i).inner_text() for i in range(rows.count())]


@pytest.fixture
def on_site(page, search_site, serve):
    page.goto(serve(search_site) + "modifiers/53/")
    return page


@pytest.fixture
def on_results_page(page, search_site, serve):
    """The results page, which lists up to 100 results where the header box shows 10."""
    page.goto(serve(search_site) + "search/")
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === ''")
    return page


def ask_page(page, query: str) -> list[str]:
    return ask(page, query, box="#cc-search-page")


@pytest.mark.parametrize("query, first", [
    ("e1165", "E11.65"), ("E11.65", "E11.65"), ("s72001a", "S72.001A"), ("S72.001A", "S72.001A"),
    ("G0008", "G0008"), ("g0008", "G0008"), ("99213", "99213"),
])
def test_an_exact_code_comes_first(on_site, query, first):
    assert ask(on_site, query)[0] == first


def test_a_code_prefix_lists_the_codes_under_it_in_code_order(on_site):
    codes = ask(on_site, "S72.0")
    assert codes[:4] == ["S72.0", "S72.00", "S72.001", "S72.002"]   # a family is one row
    assert all(c.startswith("S72.0") for c in codes) and codes == sorted(codes)
    codes = ask(on_site, "e11")
    under = [c for c in codes if c.startswith("E11")]
    assert codes[0] == "E11" and codes[:len(under)] == under == sorted(under)
    assert "E10.65" not in codes


def test_the_results_page_lists_more_of_a_prefix(on_results_page):
    codes = ask_page(on_results_page, "E11.6")
    under = [c for c in codes if c.startswith("E11.6")]
    assert codes[0] == "E11.6" and codes[:len(under)] == under == sorted(under)
    assert {"E11.64", "E11.641", "E11.65"} <= set(under)
    codes = ask_page(on_results_page, "E11")
    status = on_results_page.locator("#cc-search-page .cc-search__status").inner_text()
    assert codes[0] == "E11" and (len(codes) < 50 or status.startswith("Showing 50 of "))


@pytest.mark.parametrize("query, first, then", [
    ("A00-A09", "A00-A09", ["A00", "A00.0"]),
    ("a00 - a09", "A00-A09", ["A00"]),
    ("99202-99215", "99202-99215", ["99202", "99203"]),
])
def test_a_range_puts_the_range_page_first(on_site, query, first, then):
    codes = ask(on_site, query)
    assert codes[0] == first
    assert codes[1:1 + len(then)] == then


@pytest.mark.parametrize("query, first", [
    ("53", "53"), ("mod 53", "53"), ("modifier 53", "53"), ("Modifier 59", "59"), ("-59", "59"),
    ("XU", "XU"), ("xu", "XU"), ("25", "25"),
])
def test_a_modifier_comes_first(on_site, query, first):
    codes = ask(on_site, query)
    assert codes[0] == first
    kind = on_site.locator("#cc-search .cc-result .cc-result__system").first.inner_text()
    assert kind.endswith("modifier")


def test_words_match_all_words_with_stemming(on_site):
    codes = ask(on_site, "type 2 diabetes hyperglycemia")
    assert codes[0] == "E11.65"
    assert "E10.65" not in codes           # every word must match: "2" rules out type 1
    assert ask(on_site, "Diabetic hyperglycemias")[0].endswith(".65")


def test_the_last_word_is_a_prefix_while_typing(on_site):
    assert ask(on_site, "type 2 diabetes hypergly")[0] == "E11.65"
    assert ask(on_site, "type 2 diabetes hyperglycemia w")[0] == "E11.65"   # "w" may become "with"
    assert ask(on_site, "type 2 diabetes with")[0].startswith("E11")
    assert ask(on_site, "type 2 diabetes with hyperglycemia")[0] == "E11.65"


def test_one_typo_is_forgiven_in_long_words(on_site):
    assert ask(on_site, "type 2 diabetes hyperglycemai")[0] == "E11.65"
    assert ask(on_site, "diabetis hyperglycemia")[0].endswith(".65")
    assert ask(on_site, "pnuemonia")[:5].count("J18.9") == 1     # two letters swapped
    assert ask(on_site, "migrane")[0].startswith("G43")          # "migrans" is rare: both count
    # A word found as typed keeps its matches first: "chills" before any "child".
    codes = ask(on_site, "chills")
    assert codes[:2] == ["R68.83", "R50.9"]


def test_title_matches_and_general_codes_rank_first(on_results_page):
    page = on_results_page
    codes = ask_page(page, "chills")
    assert codes.index("R68.83") < codes.index("R50.9")    # title before inclusion term
    assert "R50.9" in ask_page(page, "pyrexia")             # found by its inclusion term
    assert ask_page(page, "high blood pressure")[0] == "I10"   # an "includes" line
    codes = ask_page(page, "type 2 diabetes hypoglycemia")
    assert codes.index("E11.64") < codes.index("E11.641")  # the general code before its leaves
    flags = page.locator("#cc-search-page .cc-result .cc-result__flag")
    assert {flags.nth(i).inner_text() for i in range(flags.count())} == {"BILLABLE", "HEADER"}


def test_nothing_found_says_so_and_suggests(on_site):
    near = ask(on_site, "E11.99")           # no such code: the rows are the nearest codes
    hints = on_site.locator("#cc-search .cc-search__hint")
    assert hints.nth(0).inner_text() == "No results for \u201cE11.99\u201d."
    assert hints.nth(1).inner_text() == "Nearest codes:"
    assert near and all(code.startswith("E11.9") for code in near)
    ask(on_site, "diabetes zzqxv")
    broader = on_site.locator("#cc-search .cc-search__broader")
    assert broader.inner_text() == "diabetes"


@pytest.mark.parametrize("query", [
    "", "   ", "x" * 1000, "!!!", "?*+^$()[]{}|\\/.", "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned=1">', "modifier", "-", "..", "%00", "e11.65" * 200,
])
def test_bad_input_is_harmless(on_site, query):
    ask(on_site, "diabetes")                # so that the box has something to replace
    ask(on_site, query)
    assert on_site.evaluate("window.__pwned") is None
    children = on_site.evaluate("""Array.from(document.querySelectorAll('#cc-search-results > *'))
        .map(e => e.tagName + '.' + e.className)""")
    assert set(children) <= {"A.cc-result", "DIV.cc-search__hint", "A.cc-search__all",
                             "DIV.cc-search__hint cc-search__none"}
    if not _shown(query):
        assert on_site.locator("#cc-search-results").is_hidden() and children == []
    assert on_site.locator("#cc-search-results img, #cc-search-results script").count() == 0


def test_keyboard_slash_arrows_and_enter(on_site):
    on_site.locator("body").press("/")
    assert on_site.evaluate("document.activeElement.closest('#cc-search') !== null")
    on_site.keyboard.type("99213")
    on_site.wait_for_function("document.querySelector('#cc-search-results').dataset.query === '99213'")
    selected = on_site.locator("#cc-search .cc-result[aria-selected=true] .cc-result__code")
    assert selected.inner_text() == "99213"
    on_site.keyboard.press("ArrowDown")
    second = selected.inner_text()
    assert second != "99213"
    on_site.keyboard.press("ArrowUp")
    assert selected.inner_text() == "99213"
    on_site.keyboard.press("Enter")
    on_site.wait_for_url("**/cpt/99213/")
    assert on_site.locator(".code-badge").inner_text() == "99213"


def test_results_page_is_shareable(page, search_site, serve, artifacts):
    base = serve(search_site)
    page.goto(base + "search/?q=e1165")
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 'e1165'")
    first = page.locator("#cc-search-page .cc-result").first
    assert first.locator(".cc-result__code").inner_text() == "E11.65"
    assert first.locator(".cc-result__flag").inner_text() == "BILLABLE"
    assert page.locator("#cc-search-page .cc-search__status").inner_text() == "1 result"
    assert ask(page, "type 2 diabetes", box="#cc-search-page")[0].startswith("E11")
    assert page.url.endswith("/search/?q=type+2+diabetes")
    page.screenshot(path=str(artifacts / "search-results.png"), full_page=True)
    # The header box sends Enter without a highlighted row to the results page.
    page.goto(base + "about/")
    page.locator("#cc-search input").fill("zzqxv")
    page.wait_for_function("document.querySelector('#cc-search-results').dataset.query === 'zzqxv'")
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/search/?q=zzqxv")
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 'zzqxv'")
    assert page.locator("#cc-search-page .cc-search__status").inner_text() == "No results for \u201czzqxv\u201d."


def test_pages_are_found_too(on_site):
    ask(on_site, "about the data")
    titles = on_site.locator("#cc-search .cc-result .cc-result__title")
    assert "About the data" in [titles.nth(i).inner_text() for i in range(titles.count())]


def test_offline_from_file(page, search_site):
    page.goto((search_site / "modifiers" / "53" / "index.html").as_uri())
    assert ask(page, "e1165")[0] == "E11.65"
    assert ask(page, "modifier 59")[0] == "59"
    assert ask(page, "type 2 diabetes hyperglycemia")[0] == "E11.65"
    assert ask(page, "A00-A09")[0] == "A00-A09"
    link = page.locator("#cc-search .cc-result").first.get_attribute("href")
    assert link == (search_site / "icd-10-cm" / "A00-A09" / "index.html").as_uri()
    ask(page, "59")
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/modifiers/59/index.html")
    page.goto((search_site / "search" / "index.html").as_uri() + "?q=s72001a")
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 's72001a'")
    assert page.locator("#cc-search-page .cc-result__code").first.inner_text() == "S72.001A"


def test_no_index_file_loads_before_a_search(page, search_site, serve):
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(serve(search_site) + "cpt/99213/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requested if "search-index" in u or "lunr" in u]
    ask(page, "type 2 diabetes")
    loaded = {u.split("search-index/")[1] for u in requested if "search-index/" in u}
    assert "manifest.js" in loaded
    assert {n for n in loaded if n.startswith("w/")} == {"w/ty.js", "w/2.js", "w/di.js"}


def test_words_are_not_pre_selected_but_an_exact_code_is(page, search_site, serve):
    page.goto(serve(search_site) + "about/")
    ask(page, "fracture femur")
    assert page.locator("#cc-search .cc-result[aria-selected=true]").count() == 0
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/search/?q=fracture+femur")
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 'fracture femur'")
    ask(page, "E11.65")
    selected = page.locator("#cc-search .cc-result[aria-selected=true] .cc-result__code")
    assert selected.inner_text() == "E11.65"
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/icd-10-cm/E11.65/")


def test_a_family_of_encounter_codes_is_one_row(on_site):
    codes = ask(on_site, "S72.0")
    assert "S72.001" in codes and "S72.001A" not in codes
    row = on_site.locator("#cc-search .cc-result", has_text="S72.001").first
    assert row.locator(".cc-result__flag").inner_text().lower() == "16 encounter codes"
    assert row.get_attribute("href").endswith("/icd-10-cm/S72.001/")
    assert ask(on_site, "fracture of neck of right femur sequela")[:5].count("S72.001S") == 1


def test_a_code_the_reference_does_not_hold_says_so(on_site):
    codes = ask(on_site, "J3420")
    note = on_site.locator("#cc-search .cc-search__missing")
    assert note.inner_text().startswith("HCPCS Level II J3420 is not in this reference yet.")
    assert note.locator("a").get_attribute("href").endswith("/hcpcs/")
    # Nearest codes, if any, are HCPCS Level II codes: never J34.2 or another ICD look-alike.
    assert all(c.startswith("J") and "." not in c for c in codes), codes


def test_the_results_page_pages_filters_and_keeps_them_in_the_address(on_results_page):
    page = on_results_page
    codes = ask_page(page, "diabetes")
    status = page.locator("#cc-search-page .cc-search__status")
    total = int(status.inner_text().split(" of ")[1].split()[0])
    assert len(codes) == 50 and total > 100
    page.locator(".cc-search__more").click()
    page.wait_for_function("document.querySelectorAll('#cc-search-page-results .cc-result').length === 100")
    assert status.inner_text() == f"Showing 100 of {total} results"
    page.locator("[name=billable]").check()
    page.wait_for_function("/billable=1/.test(location.search)")
    billable_total = int(status.inner_text().split(" of ")[1].split()[0])
    assert billable_total < total
    flags = page.locator("#cc-search-page .cc-result__flag")
    assert "HEADER" not in {flags.nth(i).inner_text() for i in range(flags.count())}
    page.locator("[name=system]").select_option("modifier")
    page.wait_for_function("/system=modifier/.test(location.search)")
    ask_page(page, "procedure")
    kinds = page.locator("#cc-search-page .cc-result__system")
    assert kinds.count() and all(kinds.nth(i).inner_text().endswith("modifier") for i in range(kinds.count()))
    assert "q=procedure" in page.url and "system=modifier" in page.url and "billable=1" in page.url
    page.reload()
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 'procedure'")
    assert page.locator("[name=system]").input_value() == "modifier"
    assert page.locator("[name=billable]").is_checked()


def test_later_encounters_can_be_hidden(on_results_page):
    page = on_results_page
    page.locator("[name=initial]").check()
    codes = ask_page(page, "S72.001")
    assert [c for c in codes if c.startswith("S72.001") and len(c) == 8] == ["S72.001A", "S72.001B", "S72.001C"]


def test_results_can_be_limited_to_codes_new_in_this_release(on_results_page):
    # The release history (data/icd-10-cm-history) says E11.A was added in FY2026.
    page = on_results_page
    everything = ask_page(page, "type 2 diabetes")
    page.locator("[name=new]").check()
    fresh = ask_page(page, "diabetes type 2")
    assert "E11.A" in fresh and len(fresh) < len(everything)
    assert page.locator("#cc-search-page .cc-result__flag--new").count() == len(fresh)
    assert "new=1" in page.url
    page.reload()
    page.wait_for_function("document.querySelector('#cc-search-page-results').dataset.query === 'diabetes type 2'")
    assert page.locator("[name=new]").is_checked()
    rows = page.locator("#cc-search-page-results .cc-result .cc-result__code")
    assert [rows.nth(i).inner_text() for i in range(rows.count())] == fresh
