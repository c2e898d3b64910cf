"""Code mentions in prose: what becomes a link, and what must stay text."""
from __future__ import annotations

import pytest

from generator.links import build_catalog, find_mentions, link_prose
from generator.records import Record


def rec(kind, system, code, title="t"):
    return Record(kind=kind, system=system, code=code, title=title, file="data/x.yaml", line=1,
                  source={"name": "Editors"})


@pytest.fixture(scope="module")
def catalog():
    records = [rec("modifier", "cpt", c) for c in ("25", "52", "53", "59", "73", "74")]
    records += [rec("modifier", "hcpcs", c) for c in ("XU", "LT", "RT", "PT")]
    records += [rec("code", "cpt", c) for c in ("99213", "99214", "45378")]
    records += [rec("code", "icd-10-cm", c) for c in ("A01", "A01.0", "E11", "E11.65", "E10")]
    records += [rec("range", "icd-10-cm", "O00-O9A"), rec("range", "icd-10-cm", "A00-A09")]
    records.append(rec("code", "hcpcs", "G0008"))
    catalog, problems = build_catalog(records)
    assert problems == []
    return catalog


LINKED = {
    "see modifiers 73 and 74": "see modifiers [73](73.md) and [74](74.md)",
    "modifiers 52, 73, or 74.": "modifiers [52](52.md), [73](73.md), or [74](74.md).",
    "report 99213 instead": "report [99213](../cpt/99213.md) instead",
    "typhoid fever (A01.-)": "typhoid fever ([A01.-](../icd-10-cm/A01.md))",
    "pregnancy (O00-O9A)": "pregnancy ([O00-O9A](../icd-10-cm/O00-O9A.md))",
    "see E11.65.": "see [E11.65](../icd-10-cm/E11.65.md).",
    "category E11 codes": "category [E11](../icd-10-cm/E11.md) codes",
    "99213-25 for the visit": "[99213](../cpt/99213.md)-[25](25.md) for the visit",
    "append -59 or XU": "append [-59](59.md) or [XU](XU.md)",
    "LT and RT": "[LT](LT.md) and [RT](RT.md)",
    "flu shot G0008": "flu shot [G0008](../hcpcs/G0008.md)",
    "visits 99213-99214": "visits [99213](../cpt/99213.md)-[99214](../cpt/99214.md)",
    "modifier PT": "modifier [PT](PT.md)",
}

PLAIN = [
    "Guest accounts are limited to 1 page view. Register to get 5 more views.",
    "In 2026 the dose was 500 mg, 25 mg/kg, twice daily.",
    "Give 10,000 units or 12345.6 mL or 99213.5 points.",
    "ABC99213 and 99213X and X99213 are not codes.",
    "already [modifier 53](53.md) linked",
    "## Modifier 53 in a heading",
    "`99213` in code",
    "<span title=\"99213\">x</span>",
    "PT, OT and speech therapy",
    "page 25 of the manual, 52 weeks, 5-25 days",
    "subscriber tiers: E11abc, e11.65",
]


@pytest.mark.parametrize("text", LINKED, ids=list(LINKED))
def test_links_mentions(catalog, text):
    assert link_prose(text, catalog, "modifiers/53.md") == LINKED[text].replace(
        "[53](53.md)", "53")


@pytest.mark.parametrize("text", PLAIN)
def test_leaves_non_codes_alone(catalog, text):
    assert link_prose(text, catalog, "modifiers/53.md") == text


def test_no_link_to_the_page_itself(catalog):
    assert link_prose("unlike modifier 53", catalog, "modifiers/53.md") == "unlike modifier 53"


def test_unknown_codes_stay_text_and_strong_ones_are_reported():
    records = [rec("modifier", "cpt", "53")]
    records[0].description = "Compare modifier 54, code 99999, E99.99 and vitamin B12."
    catalog, problems = build_catalog(records)
    assert link_prose(records[0].description, catalog, "x.md") == records[0].description
    assert [p.message for p in problems] == [
        f"mentions '{c}', which is no known modifier, code or range; it stays plain text"
        for c in ("54", "99999", "E99.99")]
    assert {p.severity for p in problems} == {"warning"}


def test_backlinks_from_relations_and_prose():
    a, b, c = rec("modifier", "cpt", "52"), rec("modifier", "cpt", "53"), rec("code", "cpt", "45378")
    b.relations = {"confused_with": ["52"]}
    c.description = "Stopped early: modifier 53."
    catalog, _ = build_catalog([a, b, c])
    assert [(x.source.code, x.how) for x in catalog.backlinks["52"]] == [("53", "often confused with")]
    assert [(x.source.code, x.how) for x in catalog.backlinks["53"]] == [("45378", "mentioned")]


def test_codes_are_placed_in_their_smallest_range():
    records = [rec("range", "cpt", "99202-99499"), rec("range", "cpt", "99202-99215"),
               rec("code", "cpt", "99213"), rec("code", "cpt", "99499"),
               rec("range", "icd-10-cm", "A00-B99"), rec("range", "icd-10-cm", "A00-A09"),
               rec("code", "icd-10-cm", "A09.9"), rec("code", "hcpcs", "A0428")]
    catalog, _ = build_catalog(records)
    parents = {code: r.code for code, r in catalog.parents.items()}
    assert parents == {"99202-99215": "99202-99499", "99213": "99202-99215",
                       "99499": "99202-99499", "A00-A09": "A00-B99", "A09.9": "A00-A09"}


def test_mentions_are_found_in_order_without_overlap():
    found = find_mentions("Use modifiers 73 and 74 (not 53), then 99213-25.")
    assert [m.text for m in found] == ["73", "74", "99213", "25"]


def test_cpt_categories_do_not_contain_each_other():
    records = [rec("range", "cpt", "0001F-9007F"), rec("range", "cpt", "0042T-0999T"),
               rec("code", "cpt", "0042T"), rec("code", "cpt", "1036F"), rec("code", "cpt", "10040")]
    catalog, _ = build_catalog(records)
    assert {code: r.code for code, r in catalog.parents.items()} == {
        "0042T": "0042T-0999T", "1036F": "0001F-9007F"}


@pytest.mark.parametrize("source,target,expected", [
    ("modifiers/53.md", "modifiers/52.md", "52.md"),
    ("modifiers/53.md", "cpt/99213.md", "../cpt/99213.md"),
    ("index.md", "cpt/99213.md", "cpt/99213.md"),
    ("cpt/index.md", "index.md", "../index.md"),
    ("a/b/c.md", "a/d.md", "../d.md"),
])
def test_relative_url(source, target, expected):
    import posixpath

    from generator.links import relative_url
    assert relative_url(source, target) == expected
    assert expected == posixpath.relpath(target, posixpath.dirname(source) or ".")


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("source,target", [
    ("modifiers/53.md", "modifiers/52.md"), ("modifiers/53.md", "cpt/99213.md"),
    ("index.md", "cpt/99213.md"), ("cpt/index.md", "index.md"), ("cpt/99213.md", "cpt/index.md"),
    ("icd-10-cm/E11.65.md", "icd-10-cm/E10.md"), ("modifiers/index.md", "modifiers/53.md"),
    ("icd-10-cm/A00-A09.md", "icd-10-cm/A00-A09.md"),
])
def test_page_href_matches_mkdocs(source, target, directory_urls):
    from mkdocs.utils import get_relative_url

    from generator.sitefiles import page_href, page_url
    expected = get_relative_url(page_url(target, directory_urls), page_url(source, directory_urls))
    assert page_href(source, target, directory_urls) == expected


# --- ICD-10-CM note references (generator/notes.py) ----------------------------------------

@pytest.mark.parametrize("text, refs", [
    ("hepatic fibrosis, stage F4 (K74.6-)", [("K74.6-", "K74.6")]),
    ("atherosclerosis of the extremities (I70.2--I70.7-)", [("I70.2--I70.7-", "I70.2-I70.7")]),
    ("dysarthria following cerebrovascular disease (I69. with final characters -22)",
     [("I69", "I69|$22")]),
    ("diabetes with hyperosmolarity (E08, E09, E11, E13 with final characters .00 or .01)",
     [("E08", "E08|.00|.01"), ("E09", "E09|.00|.01"), ("E11", "E11|.00|.01"),
      ("E13", "E13|.00|.01")]),
    ("code for adverse effect (T36-T50 with fifth or sixth character 5)",
     [("T36-T50", "T36-T50|@4=5|@5=5")]),
    ("diabetic (peripheral) angiopathy (E08-E13 with .51-.52)", [("E08-E13", "E08-E13|.51|.52")]),
    ("drug dependence (F10.- -F19.-)", [("F10.- -F19.-", "F10-F19")]),
    ("behavioral eating disorders (F98.2.-F98.3)", [("F98.2.-F98.3", "F98.2-F98.3")]),
    ("rheumatoid arthritis (M05.00 to M05.8A)", [("M05.00 to M05.8A", "M05.00-M05.8A")]),
    ("Conditions in S00-T88, except T74 and T76", [("S00-T88", "S00-T88"), ("T74", "T74"),
                                                  ("T76", "T76")]),
    ("use secondary code(s) from Chapter 20 to indicate cause of injury", [("Chapter 20", "20")]),
    ("(S42.- with 7th character B or C)", [("S42.-", "S42|@6=B|@6=C")]),
    ("diabetic acidosis - see categories E08-E10, E11, E13 with ketoacidosis",
     [("E08-E10", "E08-E10"), ("E11", "E11"), ("E13", "E13")]),
    ("C7-T1 disc disorder with myelopathy", []),
    ("type 1 diabetes mellitus (E10.-)", [("E10.-", "E10")]),
    ("vitamin D3 deficiency; ICD-10-CM; E. coli O157", []),
])
def test_note_references_follow_the_tabular_conventions(text, refs):
    from generator import notes
    found, _ = notes.references(text)
    assert [(r.text, r.ref) for r in found] == refs


@pytest.mark.parametrize("text, ignored", [
    ("megaloblastic anemia unresponsive to vitamin B12 or folate therapy", ["B12"]),
    ("Adult GM2 gangliosidosis", ["GM2"]),
])
def test_code_look_alikes_are_not_references_and_say_why(text, ignored):
    from generator import notes
    found, skipped = notes.references(text)
    assert found == [] and [i.text for i in skipped] == ignored and all(i.reason for i in skipped)


def test_unreadable_qualifier_is_reported_not_linked():
    from generator import notes
    [ref], _ = notes.references("poisoning (T51-T65 with fifth or sixth character to indicate intent)")
    assert ref.problem and "cannot be read exactly" in ref.problem
