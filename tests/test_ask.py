"""The ask box: its data files (generator/ask.py) and a set of questions with expected answers,
asked in real Chromium on a built site: the real modifiers and CPT/HCPCS records, and the
ICD-10-CM fixture cut from the CDC's tabular list (E08-E13, S06, S72, T81, A00-A09).

Each case names the kind of answer, its verdict where there is one, text the answer must
contain and the codes it must link; every link in every answer must lead to a page of the site.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from generator import ask, jobs
from generator.site import load_dataset

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
        mp.setenv(jobs.BUILD_DATE_ENV, "2026-11-26")
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


def test_note_references_are_resolved_and_missing_ranges_kept_whole(files):
    e08 = payload(files["c/E08.js"])[0]
    notes = {n[0]: n[1] for n in e08["i"]["excludes1"]}
    assert notes["type 2 diabetes mellitus (E11.-)"] == [[26, 31, "E11", "c"]]
    code_first = {n[0]: n[1] for n in e08["i"]["code_first"]}
    assert code_first["malignant neoplasm (C00-C96)"] == [[20, 27, "C00-C96", ""]]


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


def test_data_is_sharded_so_no_question_loads_much(files):
    sizes = {name: len(text.encode()) for name, text in files.items()}
    assert len(files) > 100
    assert max(sizes.values()) < 200_000, max(sizes, key=sizes.get)
    assert sizes["manifest.js"] < 100_000


# --- questions, in Chromium ----------------------------------------------------------------

# (question, kind, verdict or None, text the answer contains, codes it links)
QUESTIONS = [
    # what a code or modifier is
    ("What is E11.65?", "what", None, ["Type 2 diabetes mellitus with hyperglycemia", "billable"], ["E11.65"]),
    ("what is e11.9", "what", None, ["without complications"], ["E11.9"]),
    ("E1165", "what", None, ["with hyperglycemia"], ["E11.65"]),
    ("What is CPT code 99213?", "what", None, ["Established patient office visit"], ["99213"]),
    ("99214", "what", None, ["CPT code"], ["99214"]),
    ("define G0008", "what", None, ["influenza virus vaccine"], ["G0008"]),
    ("What does A00.0 mean?", "what", None, ["Cholera due to Vibrio cholerae 01"], ["A00.0"]),
    ("what is S72.001A", "what", None, ["initial encounter for closed fracture", "7th character A"], ["S72.001A", "S72.001"]),
    ("T81.40XA meaning", "what", None, ["Infection following a procedure"], ["T81.40XA"]),
    ("What is E11?", "what", None, ["Type 2 diabetes mellitus", "not billable"], ["E11"]),
    ("is E11.65 billable", "what", None, ["It is billable"], ["E11.65"]),
    ("Is E11.6 billable?", "what", None, ["header, not billable"], ["E11.6"]),
    ("what does modifier 53 mean", "what", None, ["Discontinued procedure"], ["53"]),
    ("modifier 25", "what", None, ["Significant, separate E/M service"], ["25"]),
    ("What is modifier LT?", "what", None, ["Left side"], ["LT"]),
    ("mod 59", "what", None, ["Distinct procedural service"], ["59"]),
    ("explain modifier XU", "what", None, ["XU"], ["XU"]),
    # when to use a modifier, and how two differ
    ("when to use modifier 25", "modifier-usage", None, ["Use it when", "Do not use it when"], ["25"]),
    ("When should I use modifier 59?", "modifier-usage", None, ["Do not use it when", "Often confused with"], ["59", "XU"]),
    ("how do I use modifier 76", "modifier-usage", None, ["Repeat procedure"], ["76"]),
    ("when is modifier 52 appended", "modifier-usage", None, ["Reduced services"], ["52"]),
    ("when do I use modifier 59 for bundled services", "modifier-usage", None, ["Distinct procedural service"], ["59"]),
    ("52 vs 53", "modifier-compare", None, ["often confused", "Use 52 when", "Use 53 when"], ["52", "53"]),
    ("difference between 59 and XU", "modifier-compare", None, ["Distinct procedural service"], ["59", "XU"]),
    ("modifier 73 or 74?", "modifier-compare", None, ["Discontinued before anesthesia"], ["73", "74"]),
    ("What's the difference between modifiers 26 and TC", "modifier-compare", None, ["Professional component", "Technical component"], ["26", "TC"]),
    ("compare modifier 59 and modifier 91", "modifier-compare", None, ["Repeat clinical laboratory test"], ["59", "91"]),
    ("LT versus RT", "modifier-compare", None, ["Left side"], ["LT", "RT"]),
    ("XS vs XU", "modifier-compare", None, ["Separate organ/structure"], ["XS", "XU"]),
    # may two ICD-10-CM codes be reported together (Excludes1 / Excludes2, inherited)
    ("Can E11.9 be coded with E10.9?", "together", "no", ["Excludes1", "type 1 diabetes mellitus (E10.-)"], ["E11", "E11.9", "E10.9"]),
    ("Can I report E10.9 and E11.65 together?", "together", "no", ["type 2 diabetes mellitus (E11.-)"], ["E10", "E11.65"]),
    ("E08.65 with E11.9", "together", "no", ["diabetes mellitus due to underlying condition (E08.-)"], ["E08.65", "E11.9"]),
    ("is E11.9 excluded with E08.9", "together", "no", ["Excludes1"], ["E11.9", "E08.9"]),
    ("Can A00.0 be coded with E11.9?", "together", "none", ["No Excludes1 or Excludes2 note"], ["A00.0", "E11.9"]),
    ("can T81.10XA and E11.9 be billed together", "together", "none", ["does not forbid"], ["T81.10XA", "E11.9"]),
    ("Can S72.401A be coded with S72.301A?", "together", "yes", ["Excludes2", "fracture of shaft of femur (S72.3-)"], ["S72.4", "S72.401A"]),
    ("may S06.300A and S06.1X0A be reported on the same claim", "together", "yes", ["focal cerebral edema (S06.1)"], ["S06.3"]),
    # what to code first, in addition, also
    ("what should I code first with E08.65", "sequence", None, ["Code first", "the underlying condition"], ["E08"]),
    ("use additional code for E11.9", "sequence", None, ["Use additional code", "insulin (Z79.4)"], ["E11"]),
    ("Code also for S06.0X0A", "sequence", None, ["Code also", "skull fracture (S02.-)"], ["S06"]),
    ("What do I sequence first for E08.9?", "sequence", None, ["congenital rubella (P35.0)"], ["E08"]),
    ("does E10.9 have a code first note", "sequence", "none", ["has a Code first note in the reference"], ["E10.9"]),
    # Excludes notes of one code
    ("What does E11 exclude?", "excludes", None, ["Excludes1", "type 1 diabetes mellitus (E10.-)"], ["E11", "E10.-"]),
    ("excludes notes for E10.9", "excludes", None, ["type 2 diabetes mellitus (E11.-)"], ["E10"]),
    # the 7th character
    ("7th character for subsequent encounter S72.001", "seventh", "D", ["subsequent encounter for closed fracture with routine healing", "S72.001D"], ["S72.001D", "S72"]),
    ("seventh character initial encounter S72.001", "seventh", "A", ["initial encounter for closed fracture"], ["S72.001A"]),
    ("S72.001 sequela 7th character", "seventh", "S", ["sequela"], ["S72.001S"]),
    ("what 7th character for initial encounter open fracture S72.001", "seventh", "B", ["open fracture type I or II"], ["S72.001B", "S72.001C"]),
    ("7th character for T81.40 initial encounter", "seventh", "A", ["T81.40XA", "placeholder X"], ["T81.40XA"]),
    ("subsequent encounter for S06.0X0", "seventh", "D", ["S06.0X0D"], ["S06.0X0D"]),
    ("7th character for E11.9", "seventh", "none", ["takes no 7th character"], ["E11.9"]),
    ("7th character for S72.0", "seventh", "header", ["not a complete code"], ["S72.00", "S72"]),
    ("What does the 7th character D mean on S72.001D?", "seventh", "D", ["subsequent encounter for closed fracture with routine healing"], ["S72.001D"]),
    # the codes under a category or range
    ("codes under E11", "children", None, ["directly under E11"], ["E11.0", "E11.9"]),
    ("what codes are in A00-A09", "children", None, ["Cholera"], ["A00", "A01"]),
    ("list the codes in E11.6", "children", None, ["E11.65"], ["E11.65", "E11.69"]),
    ("what is in S70-S79", "children", None, ["Fracture of femur"], ["S72"]),
    ("codes under 99202-99215", "children", None, ["99213"], ["99213"]),
    ("which codes fall under E08-E13", "children", None, ["Type 1 diabetes mellitus"], ["E08", "E10", "E11"]),
    ("subcategories of S72.0", "children", None, ["S72.00"], ["S72.00", "S72.09"]),
    ("what is in chapter 4", "children", None, ["E00-E89", "Diabetes mellitus"], ["E08-E13"]),
    ("difference between E11.9 and E11.65", "together", "none", ["E11.9 is \u201cType 2 diabetes mellitus without complications\u201d", "No Excludes1 or Excludes2 note"], ["E11.9", "E11.65"]),
    ("can T81.12XA be coded with E11.9", "together", "none", ["No Excludes1"], ["T81.12XA"]),
    ("What codes are covered under E10?", "children", None, ["directly under E10"], ["E10.9"]),
    # topics with pages
    ("Guidelines for E/M services", "topic", None, ["Evaluation and Management"], []),
    ("evaluation and management", "topic", None, ["99202-99499"], []),
    ("Where can I find jobs for coders?", "topic", None, ["Medical coding jobs"], []),
    ("How is the data licensed?", "topic", None, ["About the data"], []),
    ("diabetes mellitus", "topic", None, ["Diabetes mellitus (E08-E13)"], []),
    ("radiology codes", "topic", None, ["Radiology"], []),
    ("where are the infectious disease codes", "topic", None, ["Intestinal infectious diseases (A00-A09)"], []),
    ("fracture of skull and femur bones", "unknown", None, ["searching the reference"], []),
    # what it cannot answer
    ("what is the weather today", "unknown", None, ["I can't answer that from the reference.", "ask an expert"], []),
    ("How much does Medicare pay for 99999?", "unknown", None, ["99999 is not in the reference"], []),
    ("What is Z99.99?", "unknown", None, ["not in the reference"], []),
    ("modifier ZZ", "unknown", None, ["I can't answer that"], []),
    ("<img src=x onerror=alert(1)>", "unknown", None, ["I can't answer that"], []),
    ("Can 99213 be billed with 99214?", "unknown", None, ["NCCI edit pairs", "search"], ["99213", "99214"]),
    ("how much does medicare pay for 99213", "unknown", None, ["Payment amounts"], ["99213"]),
    ("Is modifier 59 needed to bypass the NCCI edit for 45380 and 45385?", "unknown", None, ["NCCI edit pairs"], ["59", "45380"]),
    ("Is E11.9 covered by Medicare?", "unknown", None, ["Coverage, medical necessity"], ["E11.9"]),
    ("can I report G0008 and 99213 together", "unknown", None, ["payer rules"], ["G0008", "99213"]),
]


def test_the_question_set_is_big_enough():
    assert len(QUESTIONS) >= 60
    assert len({q[0] for q in QUESTIONS}) == len(QUESTIONS)


def file_of(url: str, site: Path) -> Path:
    path = Path(unquote(urlparse(url).path))
    if url.endswith("/") or urlparse(url).path.endswith("/"):
        path = path / "index.html"
    return path


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


def test_questions_are_answered_in_chromium(ask_site, browser):
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((ask_site / "ask" / "index.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    results = ask_all(page, QUESTIONS)
    failures = []
    for (question, kind, verdict, texts, codes), got in zip(QUESTIONS, results):
        problems = []
        if got["kind"] != kind:
            problems.append(f"kind {got['kind']!r}, expected {kind!r}")
        if verdict is not None and got["verdict"] != verdict:
            problems.append(f"verdict {got['verdict']!r}, expected {verdict!r}")
        for text in texts:
            if text not in got["text"]:
                problems.append(f"no {text!r}")
        linked = {link["text"] for link in got["links"]}
        for code in codes:
            if code not in linked:
                problems.append(f"does not link {code}")
        for link in got["links"]:
            target = file_of(link["href"], ask_site)
            if not target.is_file():
                problems.append(f"link {link['text']!r} leads nowhere: {link['href']}")
        if kind not in ("unknown", "topic") and not got["links"]:
            problems.append("cites nothing")
        if got["images"]:
            problems.append("an image was injected")
        if problems:
            failures.append(f"{question!r}: " + "; ".join(problems) + "\n    " + got["text"][:300].replace("\n", " / "))
    assert errors == []
    assert failures == [], f"{len(failures)} of {len(QUESTIONS)} questions answered wrongly:\n" + "\n".join(failures)
    page.close()


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
    page.close()


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
