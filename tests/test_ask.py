"""The ask box: its data files (generator/ask.py) and its behaviour on pages, in real Chromium on
a built site: the real modifiers and CPT/HCPCS records, and the ICD-10-CM fixture cut from the
CDC's tabular list (E08-E13, S06, S72, T81, A00-A09). The regression set of questions is
tests/test_ask_questions.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from generator import ask
from generator.jobboard import BUILD_DATE_ENV
from generator.dataset import load_dataset

from .conftest import FIXTURES
from .projects import new_project

XML = FIXTURES / "icd10cm" / "tabular.xml"


def make_project(tmp: Path) -> Path:
    """The real content, modifiers, CPT/HCPCS records and jobs, with the ICD-10-CM fixture."""
    return new_project(tmp, "real", data=("codes.yaml", "modifiers-cpt.yaml",
                                          "modifiers-hcpcs.yaml", "jobs.yaml"),
                       fixture_data={"icd/data/codes.yaml": "icd-overlay.yaml"}, icd_xml=XML)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("ask"))


@pytest.fixture(scope="module")
def ask_site(project, site_builder) -> Path:
    out = project / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(BUILD_DATE_ENV, "2026-11-26")
        assert site_builder(project / "mkdocs.yml", out) == 0
    return out


@pytest.fixture(scope="module")
def files(project) -> dict[str, str]:
    dataset = load_dataset(project / "data", project)
    return ask.build_files(dataset.catalog, project / "content", project / "site")


def payload(text: str):
    name, _, rest = text.partition(",")
    assert text.startswith("__askShard(") and text.endswith(");\n")
    return json.loads(rest[:-3])


# --- the data files ------------------------------------------------------------------------

def test_codes_are_filed_by_their_first_three_characters(files):
    assert ask.shard_key("E11.65") == "E11" and ask.shard_key("99213") == "992"
    e11 = {e["c"]: e for e in payload(files["c/E11.js"])}
    assert e11["E11.65"]["p"] == "E11.6" and e11["E11.65"]["b"] == 1
    assert e11["E11"]["p"] == "E08-E13"
    assert all(e["c"].replace(".", "").startswith("E11") for e in e11.values())
    manifest = payload(files["manifest.js"])
    assert "E11" in manifest["codes"] and "992" in manifest["codes"]
    assert manifest["modifiers"]["59"][0] == "Distinct procedural service"


def test_codes_with_a_seventh_character_are_derived_not_listed(files):
    s72 = {e["c"]: e for e in payload(files["c/S72.js"])}
    assert "S72.001A" not in s72
    assert s72["S72.001"]["x"].startswith("ABCDEFGHJKMNPQRS"[:4])
    assert set(s72["S72"]["sd"]) >= {"A", "D", "S"}
    s06 = {e["c"]: e for e in payload(files["c/S06.js"])}
    assert s06["S06.0X0"]["x"] == "ADS"


def test_note_references_are_resolved_as_the_pages_read_them(files):
    e08 = payload(files["c/E08.js"])[0]
    notes = {n[0]: n[1] for n in e08["i"]["excludes1"]}
    assert notes["type 2 diabetes mellitus (E11.-)"] == [[26, 31, "E11", "c"]]
    code_first = {n[0]: n[1] for n in e08["i"]["code_first"]}
    # A range with no page of its own: each end as the pages link it, both covering the range.
    assert code_first["malignant neoplasm (C00-C96)"] == [[20, 23, "C00", "", "C00-C96"],
                                                           [24, 27, "C96", "", "C00-C96"]]


def test_no_members_only_text_in_any_file(files, project):
    secrets = []
    from generator.records import load_records

    records, _, _ = load_records(project / "data", project)
    for r in records:
        secrets += [m["body"].strip()[:60] for m in r.members]
    assert secrets, "the fixture has members-only sections"
    everything = "".join(files.values())
    leaked = [s for s in secrets if s in everything]
    assert leaked == []
    assert "FIXTURE-ICD-SECRET" not in everything


def test_release_history_is_carried_only_where_it_differs_from_the_defaults(project):
    """Each billable ICD-10-CM code's `h` (and `h7` per 7th character) says what code_facts
    says about the real data/icd-10-cm-history/, with the manifest's defaults left out."""
    from generator import history
    from generator.history.views import code_facts
    from .projects import ROOT
    dataset = load_dataset(project / "data", project)
    data = history.load((ROOT / "data").resolve())
    dataset.catalog.history = data
    files = ask.build_files(dataset.catalog, project / "content", project / "site")
    meta = payload(files["manifest.js"])["history"]
    assert meta["default"] == [["2015-10-01", "2027-03-31"]] and meta["through"] == "2027-03-31"
    assert meta["shown"] == "FY2026" and "Table" in meta["medicare"][1]
    checked = 0
    for name, text in files.items():
        if not name.startswith("c/"):
            continue
        for e in payload(text):
            if e["s"] != "icd-10-cm" or e.get("b") != 1 and "x" not in e:
                continue
            pairs = [(e["c"], e.get("h", {}))] if e.get("b") == 1 else []
            pairs += [(e["c"].replace(".", "").ljust(6, "X")[:3] + "." + e["c"].replace(".", "").ljust(6, "X")[3:] + ch,
                       e.get("h7", {}).get(ch, {})) for ch in e.get("x", "")]
            for code, h in pairs:
                facts = code_facts(data, code)
                assert h.get("l", "") == facts["level"], code
                assert h.get("e", []) == facts["mce"], code
                assert h.get("v", meta["default"]) == facts["valid"], code
                assert h.get("f", "before FY2024") == (facts["first_release"] or "before FY2024"), code
                checked += 1
    assert checked > 500
    e1165 = {e["c"]: e for e in payload(files["c/E11.js"])}["E11.65"]
    assert "h" not in e1165     # neither CC nor MCC, no edits, valid since FY2016's start: nothing


def test_data_is_sharded_so_no_question_loads_much(files):
    sizes = {name: len(text.encode()) for name, text in files.items()}
    assert len(files) > 100
    assert max(sizes.values()) < 200_000, max(sizes, key=sizes.get)
    assert sizes["manifest.js"] < 100_000


# --- questions, in Chromium ----------------------------------------------------------------

# The question set itself is tests/test_ask_questions.py; here the box's behaviour on pages.

def ask_all(page, questions):
    results = []
    for question, *_ in questions:
        before = int(page.get_attribute("#cc-ask", "data-answered") or 0)
        page.fill(".cc-ask__input", question)
        page.press(".cc-ask__input", "Enter")
        page.wait_for_function(
            f"Number(document.getElementById('cc-ask').getAttribute('data-answered') || 0) > {before}")
        results.append(page.eval_on_selector(".cc-ask__card", """card => ({
            kind: card.dataset.kind, verdict: card.dataset.verdict || null,
            text: card.innerText,
            links: Array.from(card.querySelectorAll('a')).map(a => ({text: a.textContent, href: a.href})),
            images: card.querySelectorAll('img').length})"""))
    return results


def test_every_unanswerable_question_offers_search_and_the_expert_form(ask_site, browser):
    page = browser.new_page()
    page.goto((ask_site / "ask" / "index.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    ask_all(page, [("How much does Medicare pay for 99999?",)])
    search = page.get_attribute(".cc-ask__card .cc-ask__search", "href")
    expert = page.get_attribute(".cc-ask__card .cc-ask__expert-link", "href")
    assert "search/index.html?q=How+much" in search or "search/index.html?q=How%20much" in search
    assert "ask-an-expert/index.html?" in expert and "q=How+much" in expert
    page.close()


def test_the_ask_box_is_on_the_home_page_and_code_pages_and_works_over_http(ask_site, browser, serve):
    base = serve(ask_site)
    page = browser.new_page()
    for path in ("", "icd-10-cm/E11.65/", "modifiers/59/", "cpt/99213/", "icd-10-cm/S72.001A/"):
        page.goto(base + path)
        page.wait_for_selector("#cc-ask:not([hidden])")
    # On a code page the expert link carries the code the reader came from.
    page.goto(base + "icd-10-cm/E11.65/")
    page.wait_for_selector("#cc-ask:not([hidden])")
    assert "code=E11.65" in page.get_attribute(".cc-ask__expert", "href")
    results = ask_all(page, [("Can E11.9 be coded with E10.9?",)])
    assert results[0]["verdict"] == "no"
    for link in results[0]["links"]:
        assert page.request.get(link["href"]).ok, link
    # Pages that are not code pages have no ask box.
    page.goto(base + "about/")
    assert page.query_selector("#cc-ask") is None
    page.close()


def test_ask_page_answers_the_question_in_its_address(ask_site, browser, serve):
    base = serve(ask_site)
    page = browser.new_page()
    page.goto(base + "ask/?q=52+vs+53")
    page.wait_for_selector(".cc-ask__card[data-kind='modifier-compare']")
    assert page.input_value(".cc-ask__input") == "52 vs 53"
    page.close()


def answered(page, count: int):
    page.wait_for_function(
        f"Number(document.getElementById('cc-ask').getAttribute('data-answered') || 0) >= {count}")


def test_ask_page_examples_are_clickable_and_answers_shareable(ask_site, browser, serve):
    base = serve(ask_site)
    page = browser.new_page()
    page.goto(base + "ask/")
    page.wait_for_selector("#cc-ask:not([hidden])")
    examples = page.query_selector_all("a[data-ask-example]")
    assert len(examples) >= 8
    page.click("a[data-ask-example='Can E11.9 be coded with E10.9?']")
    answered(page, 1)
    assert page.get_attribute(".cc-ask__card", "data-verdict") == "no"
    assert "q=Can%20E11.9%20be%20coded%20with%20E10.9%3F" in page.url
    page.fill(".cc-ask__input", "52 vs 53")
    page.press(".cc-ask__input", "Enter")
    answered(page, 2)
    assert page.url.endswith("?q=52%20vs%2053")
    # Back: the previous question and its answer come back.
    page.go_back()
    answered(page, 3)
    assert page.input_value(".cc-ask__input") == "Can E11.9 be coded with E10.9?"
    assert page.get_attribute(".cc-ask__card", "data-verdict") == "no"
    # The shared address answers on its own, in a new page.
    other = browser.new_page()
    other.goto(page.url)
    other.wait_for_selector(".cc-ask__card[data-verdict='no']")
    other.close()
    page.close()


def test_other_pages_link_the_answer_on_the_ask_page(ask_site, browser, serve):
    base = serve(ask_site)
    page = browser.new_page()
    page.goto(base + "icd-10-cm/E11.65/")
    page.wait_for_selector("#cc-ask:not([hidden])")
    ask_all(page, [("what is E11.9",)])
    share = page.get_attribute(".cc-ask__share a", "href")
    assert share.endswith("ask/?q=what%20is%20E11.9")
    page.goto(share)
    page.wait_for_selector(".cc-ask__card[data-kind='what']")
    page.close()


def test_the_box_comes_first_on_the_ask_page_on_a_phone(ask_site, browser, serve):
    base = serve(ask_site)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + "ask/")
    page.wait_for_selector("#cc-ask-slot #cc-ask:not([hidden])")
    box = page.locator(".cc-ask__input").bounding_box()
    assert box["y"] + box["height"] < 844, box
    examples = page.locator(".cc-ask-examples").bounding_box()
    assert box["y"] < examples["y"]
    context.close()


def test_the_ask_form_is_a_labelled_search_landmark(ask_site, browser):
    page = browser.new_page()
    page.goto((ask_site / "index.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    labels = page.eval_on_selector_all("[role=search]", "els => els.map(e => e.getAttribute('aria-label'))")
    assert "Ask the reference" in labels
    assert labels.count("Ask the reference") == 1
    page.close()


def _luminance(rgb) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


COLOURS = """links => links.map(a => {
    const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
    let bg = null, node = a;
    while (node && node.nodeType === 1) {
        const c = rgb(getComputedStyle(node).backgroundColor);
        if (c.length < 4 || c[3] > 0.99) { bg = c.slice(0, 3); break; }
        node = node.parentElement;
    }
    return {text: a.textContent, fg: rgb(getComputedStyle(a).color).slice(0, 3), bg: bg || [255, 255, 255],
            underline: getComputedStyle(a).textDecorationLine};
})"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_answer_links_meet_wcag_aa_contrast(ask_site, browser, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto((ask_site / "ask" / "index.html").as_uri() + "?q=Can+E11.9+be+coded+with+E10.9%3F")
    page.wait_for_selector(".cc-ask__card[data-verdict='no']")
    found = page.eval_on_selector_all(".cc-ask__card a, .cc-ask__note a, .cc-ask-examples a", COLOURS)
    assert len(found) > 10
    weak = [(f["text"], round(_contrast(f["fg"], f["bg"]), 2)) for f in found if _contrast(f["fg"], f["bg"]) < 4.5]
    assert weak == []
    assert all("underline" in f["underline"] for f in found)
    context.close()


def test_only_the_data_a_question_needs_is_loaded(ask_site, browser, serve):
    base = serve(ask_site)
    page = browser.new_page()
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + "ask/")
    page.wait_for_selector("#cc-ask:not([hidden])")
    ask_all(page, [("Can E11.9 be coded with E10.9?",)])
    data = sorted(re.sub(r".*/ask-data/", "", u) for u in requested if "/ask-data/" in u)
    assert data == ["c/E10.js", "c/E11.js", "manifest.js", "r/E00-E89.js", "r/E08-E13.js"]
    page.close()


def test_the_ask_box_works_in_the_offline_bundle_layout(project, tmp_path, browser, site_builder):
    """The offline bundle has no directory URLs (mkdocs.offline.yml) and opens from file://."""
    config = project / "mkdocs.flat.yml"
    config.write_text((project / "mkdocs.yml").read_text() + "use_directory_urls: false\n")
    out = tmp_path / "flat"
    assert site_builder(config, out) == 0
    page = browser.new_page()
    page.goto((out / "icd-10-cm" / "E11.65.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    questions = [("Can E11.9 be coded with E10.9?",), ("7th character for subsequent encounter S72.001",),
                 ("52 vs 53",), ("codes under A00-A09",), ("Guidelines for E/M services",),
                 ("what is the weather today",)]
    results = ask_all(page, questions)
    assert [r["kind"] for r in results] == ["together", "seventh", "modifier-compare", "children",
                                            "topic", "unknown"]
    for result in results:
        for link in result["links"]:
            target = Path(unquote(urlparse(link["href"]).path))
            assert target.is_file(), link
    page.close()
