"""The ICD-10-CM importer and pages, on a fixture cut from the real tabular XML (see
tests/fixtures/icd10cm/cut.py), and the counts of the real FY2026 release."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator import icd10cm
from generator.links import prose_fields
from generator.pages import render_pages
from generator.dataset import load_dataset

from .conftest import FIXTURES
from .projects import new_project

XML = FIXTURES / "icd10cm" / "tabular.xml"
GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A copy of the ICD fixture project with the fixture XML imported into its data/."""
    return new_project(tmp_path_factory.mktemp("icd"), "icd", icd_xml=XML)


@pytest.fixture(scope="module")
def dataset(imported):
    return load_dataset(imported / "data", imported)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_one_file_per_block_and_one_for_chapters(imported):
    files = sorted(p.relative_to(imported / "data" / "icd-10-cm").as_posix()
                   for p in (imported / "data" / "icd-10-cm").rglob("*.yaml"))
    assert files == ["01/A00-A09.yaml", "04/E08-E13.yaml", "19/S00-S09.yaml",
                     "19/S70-S79.yaml", "19/T80-T88.yaml", "chapters.yaml"]


def test_block_file_matches_golden(imported, update_golden):
    text = (imported / "data" / "icd-10-cm" / "01" / "A00-A09.yaml").read_text()
    golden = GOLDEN / "icd-10-cm__01__A00-A09.yaml"
    if update_golden:
        golden.write_text(text)
    assert text == golden.read_text()


def test_every_note_type_is_kept(imported):
    records = {r["code"]: r for r in load_yaml(imported / "data/icd-10-cm/04/E08-E13.yaml")["records"]}
    e08 = records["E08"]["instructions"]
    assert e08["code_first"][:2] == ["the underlying condition, such as:",
                                     "congenital rubella (P35.0)"]
    assert "type 2 diabetes mellitus (E11.-)" in e08["excludes1"]
    assert "insulin (Z79.4)" in e08["use_additional"]
    chapters = {r["code"]: r for r in load_yaml(imported / "data/icd-10-cm/chapters.yaml")["records"]}
    assert chapters["A00-B99"]["chapter"] == "1"
    assert chapters["A00-B99"]["includes"] == ["diseases generally recognized as communicable or transmissible"]
    assert "influenza and other acute respiratory infections (J00-J22)" in \
        chapters["A00-B99"]["instructions"]["excludes2"]
    a = {r["code"]: r for r in load_yaml(imported / "data/icd-10-cm/01/A00-A09.yaml")["records"]}
    assert a["A00.0"]["inclusion_terms"] == ["Classical cholera"]
    assert a["A02"]["includes"][0].startswith("infection or foodborne intoxication")
    s = {r["code"]: r for r in load_yaml(imported / "data/icd-10-cm/19/S00-S09.yaml")["records"]}
    assert s["S06"]["seven_chr_def"] == {"A": "initial encounter", "D": "subsequent encounter",
                                         "S": "sequela"}
    assert s["S06"]["seven_chr_limits"] == {"D": ["7", "8"], "S": ["7", "8"]}
    assert "code_also" in s["S06"]["instructions"]
    f = {r["code"]: r for r in load_yaml(imported / "data/icd-10-cm/19/S70-S79.yaml")["records"]}
    assert f["S72"]["seven_chr_includes"] == {"B": ["initial encounter for open fracture NOS"]}


def test_reimport_changes_nothing(imported, tmp_path):
    before = {p: p.read_bytes() for p in (imported / "data" / "icd-10-cm").rglob("*.yaml")}
    shutil.copytree(imported / "data", tmp_path / "data")
    icd10cm.import_tabular(XML, tmp_path / "data")
    after = {p: p.read_bytes() for p in (tmp_path / "data" / "icd-10-cm").rglob("*.yaml")}
    assert {p.relative_to(imported / "data"): b for p, b in before.items()} == \
        {p.relative_to(tmp_path / "data"): b for p, b in after.items()}


def test_seventh_characters_placeholders_and_exceptions(dataset):
    codes = dataset.catalog.by_code
    assert codes["S72.001A"].title == ("Fracture of unspecified part of neck of right femur, "
                                       "initial encounter for closed fracture")
    assert codes["S72.001A"].billable and not codes["S72.001"].billable
    assert "T81.9XXA" in codes and codes["T81.9XXA"].billable     # placeholder X
    assert not codes["T81.9"].billable
    assert "S06.1X7A" in codes                                     # 6th character 7: A only
    assert "S06.1X7D" not in codes and "S06.1X7S" not in codes
    assert "S06.0X1D" in codes
    assert codes["A00.0"].billable and not codes["A00"].billable


def test_hierarchy_and_neighbours(dataset):
    c = dataset.catalog
    assert [a.code for a in c.ancestors(c.by_code["E11.65"])] == ["E11.6", "E11", "E08-E13",
                                                                 "E00-E89"]
    assert c.parents["S72.001A"].code == "S72.001"
    assert c.preceding["E11.65"].code == "E11.649"
    assert c.following["E11.65"].code == "E11.69"


def test_overlay_adds_editorial_content_without_touching_the_import(dataset, imported):
    record = dataset.catalog.by_code["E11.65"]
    assert record.title == "Type 2 diabetes mellitus with hyperglycemia"
    assert record.description.startswith("Editorial note added by an overlay")
    assert [m["title"] for m in record.members] == ["Coding tips"]
    assert record.overlay_from.file == "data/codes.yaml"
    assert "overlay:" not in (imported / "data/icd-10-cm/04/E08-E13.yaml").read_text()


def count_references(dataset) -> tuple[int, int]:
    """(references in imported notes that link, strong references that lead nowhere)."""
    linked = unresolved = 0
    for r in dataset.catalog.records:
        if not r.imported or r.seventh:
            continue
        for _, _, text in prose_fields(r):
            for mention, found, covers in dataset.catalog.references(text):
                if found:
                    linked += 1
                elif mention.strong:
                    unresolved += 1
    return linked, unresolved


def test_every_reference_links_or_is_reported(dataset):
    linked, unresolved = count_references(dataset)
    assert linked > 50
    assert unresolved == len(dataset.reports) > 0
    assert dataset.errors == [] and dataset.warnings == []
    assert all(p.file.startswith("data/icd-10-cm/") for p in dataset.reports)


def test_rendered_code_page(dataset, update_golden):
    pages = render_pages(dataset.catalog)
    page = pages["icd-10-cm/E11.65.md"]
    golden = GOLDEN / "icd-10-cm__E11.65.md"
    if update_golden:
        golden.write_text(page)
    assert page == golden.read_text()
    seventh = pages["icd-10-cm/S72.001A.md"]
    # One table whose rows lead to the full codes, on the code's page; "Codes under" does not
    # repeat them. An extension's page links its siblings.
    assert 'S72.001 with <a href="../S72.001B/">B</a>' in seventh   # its siblings, by letter
    assert '<a href="../S72.001A/">' not in seventh
    header = pages["icd-10-cm/S72.001.md"]
    assert "Not billable: needs a 7th character" in header
    assert '<td><a href="../S72.001A/">S72.001A</a></td>' in header
    assert 'id="codes-under"' not in header
    assert 'This is <a href="../S72.001/">S72.001</a>' in seventh
    assert "FIXTURE-ICD-SECRET" not in "".join(pages.values())


def test_site_builds_with_icd_pages(imported, tmp_path, site_builder):
    site = tmp_path / "site"
    assert site_builder(imported / "mkdocs.yml", site) == 0
    html = (site / "icd-10-cm" / "E11.65" / "index.html").read_text()
    assert '<span class="code-billable code-billable--yes"' in html
    assert '<a href="../E10/">E10.-</a>' in html                  # inherited Excludes1
    assert 'href="https://example.org/repo/blob/main/data/codes.yaml#L2"' in html  # overlay
    block = (site / "icd-10-cm" / "A00-A09" / "index.html").read_text()
    assert '<a href="../A01/">A01</a> — Typhoid and paratyphoid fevers' in block
    chapter_nav = (site / "index.html").read_text()
    assert "1. Certain infectious and parasitic diseases" in chapter_nav


def test_truncated_xml_is_reported_and_nothing_is_written(tmp_path):
    bad = tmp_path / "bad.xml"
    text = XML.read_text()
    bad.write_text(text[: len(text) // 2])
    (tmp_path / "data" / "icd-10-cm").mkdir(parents=True)
    keep = tmp_path / "data" / "icd-10-cm" / "chapters.yaml"
    keep.write_text("records: []\n")
    with pytest.raises(icd10cm.ImportError_) as info:
        icd10cm.import_tabular(bad, tmp_path / "data")
    [problem] = info.value.problems
    assert problem.startswith(f"{bad}:") and "the XML is malformed at column" in problem
    assert "no element found" in problem or "unclosed token" in problem
    assert keep.read_text() == "records: []\n"
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["icd-10-cm"]


def test_unknown_element_is_reported_with_its_place(tmp_path):
    bad = tmp_path / "odd.xml"
    bad.write_text(XML.read_text().replace("<name>A00.0</name>",
                                           "<name>A00.0</name>\n<footnote>x</footnote>", 1))
    with pytest.raises(icd10cm.ImportError_) as info:
        icd10cm.import_tabular(bad, tmp_path)
    [problem] = info.value.problems
    assert problem.endswith("unknown element <footnote> inside <diag> in diag A00.0; the "
                            "importer does not know how to keep it (teach generator/icd10cm.py "
                            "about it)")
    assert not (tmp_path / "icd-10-cm").exists()


@pytest.mark.slow
def test_real_release_counts(real_import, real):
    """The FY2026 tabular list, imported whole: counts per level."""
    files = list((real_import / "icd-10-cm").rglob("*.yaml"))
    dataset = real
    records = dataset.catalog.records
    chapters = [r for r in records if r.kind == "range" and r.chapter]
    blocks = [r for r in records if r.kind == "range" and not r.chapter]
    codes = [r for r in records if r.kind == "code"]
    assert len(files) == 298
    assert (len(chapters), len(blocks)) == (22, 297)
    assert sum(len(r.code) == 3 for r in codes) == 1918
    assert len(codes) == 98186
    # The carrier package's own list of valid codes (its data file, not its API) agrees.
    listed = icd10cm.default_xml().with_name("code-list-April-2026.txt").read_text().split()
    assert {c.code.replace(".", "") for c in codes} == {x for x in listed
                                                         if not x.isdigit() and "-" not in x}
    assert sum(1 for r in codes if r.billable) == 74719
    assert dataset.errors == [] and dataset.warnings == []
    linked, unresolved = count_references(dataset)
    assert unresolved == len(dataset.reports) == 9
    assert linked > 12_000


# --- the real FY2026 release: hierarchy, note references, inherited instructions ----------

@pytest.fixture(scope="module")
def real_import(tmp_path_factory) -> Path:
    """The CDC's XML imported whole, as `make import-icd10cm` does."""
    data = tmp_path_factory.mktemp("real") / "data"
    data.mkdir()
    icd10cm.import_tabular(icd10cm.default_xml(), data)
    return data


@pytest.fixture(scope="module")
def real(real_import):
    """The whole release loaded and cross-linked (about a minute)."""
    return load_dataset(real_import, real_import.parent)


def xml_ancestors() -> dict[str, list[str]]:
    """Every code, block and header section of the XML -> its ancestors, nearest first, read
    from the XML alone: nesting of <diag>, the <section> holding a category, the header sections
    (sections without codes, such as C00-C96) that group the sections after them up to their
    last category, and the chapter."""
    root = icd10cm.parse_xml(icd10cm.default_xml())
    out: dict[str, list[str]] = {}

    def walk(element, above):
        for diag in element.all("diag"):
            code = diag.find("name").text
            out[code] = above
            walk(diag, [code] + above)

    for chapter in root.all("chapter"):
        _, chapter_span = icd10cm._split_title(chapter.find("desc").text, "xml", chapter.line)
        headers: list[tuple[str, str]] = []          # open header sections: (span, last category)
        for section in chapter.all("section"):
            first, _, last = section.attrs["id"].partition("-")
            span = f"{first}-{last or first}"
            above = [h for h, _ in reversed(headers)] + [chapter_span]
            out[span] = above
            if not section.all("diag"):
                headers.append((span, last or first))
                continue
            walk(section, [span] + above)
            while headers and headers[-1][1] == (last or first):
                headers.pop()
    return out


@pytest.mark.slow
def test_every_ancestor_chain_is_the_xml_s(real):
    expected = xml_ancestors()
    catalog = real.catalog
    assert len(expected) > 47_000
    wrong = {code: [a.code for a in catalog.ancestors(catalog.by_code[code])]
             for code in expected
             if [a.code for a in catalog.ancestors(catalog.by_code[code])] != expected[code]}
    assert wrong == {}
    derived = [r for r in catalog.records if r.seventh]
    assert len(derived) > 50_000
    for r in derived:
        base = catalog.parents[r.code]
        assert r.code.replace(".", "")[:6].rstrip("X") == base.code.replace(".", "")
        assert [a.code for a in catalog.ancestors(r)] == [base.code] + expected[base.code]


@pytest.mark.slow
@pytest.mark.parametrize("code, crumbs", [
    ("D3A.010", ["Chapter 2", "D3A-D3A", "D3A", "D3A.0", "D3A.01"]),
    ("C7A.00", ["Chapter 2", "C00-C96", "C7A-C7A", "C7A", "C7A.0"]),
    ("C4A.0", ["Chapter 2", "C00-C96", "C00-C75", "C43-C44", "C4A"]),
    ("M1A.00X0", ["Chapter 13", "M00-M25", "M05-M14", "M1A", "M1A.0", "M1A.00"]),
    ("Z3A.01", ["Chapter 21", "Z30-Z39", "Z3A", "Z3A.0"]),
])
def test_breadcrumbs_of_codes_with_letters_in_the_category(real, code, crumbs):
    """The chapter is named by its number, the levels below by code; the parent keeps its title."""
    from generator.pages import breadcrumbs
    found = breadcrumbs(real.catalog.by_code[code], real.catalog)
    assert found[0]["title"] == "ICD-10-CM"
    assert [c["title"] if c["title"].startswith("Chapter ") else c["title"].split(" ")[0]
            for c in found[1:]] == crumbs
    parent = real.catalog.parents[code]
    assert found[-1]["title"] == f"{parent.code} {parent.title}"


def _refs(catalog, code, field_name):
    record = catalog.by_code[code]
    texts = (record.instructions.get(field_name.split(".")[1], []) if "." in field_name
             else getattr(record, field_name))
    return [(text, catalog.references(text)) for text in texts]


@pytest.mark.slow
def test_stage_f4_is_not_a_code(real):
    from generator import systems
    [(text, refs)] = [(t, r) for t, r in _refs(real.catalog, "K74.02", "instructions.excludes1")
                      if "stage F4" in t]
    assert [(m.text, found.code, covers) for m, found, covers in refs] == [("K74.6-", "K74.6", "K74.6")]
    covers = [c for _, _, c in refs]
    assert not any(systems.covers(c, "F40.10") for c in covers)
    assert any(systems.covers(c, "K74.60") for c in covers)


@pytest.mark.slow
def test_double_dash_range_makes_i73_9_and_i70_311_excludes1(real):
    from generator import systems
    [(text, refs)] = [(t, r) for t, r in _refs(real.catalog, "I73.9", "instructions.excludes1")
                      if "I70.2--I70.7-" in t]
    assert {covers for _, _, covers in refs} == {"I70.2-I70.7"}
    assert systems.covers("I70.2-I70.7", "I70.311")
    assert not systems.covers("I70.2-I70.7", "I73.9")
    # Linked: the range has no page of its own, so each end links to its own page.
    assert [(m.text, found.code) for m, found, _ in refs] == [("I70.2", "I70.2"), ("I70.7", "I70.7")]


@pytest.mark.slow
def test_final_characters_narrow_a_category(real):
    from generator import systems
    [(text, refs)] = [(t, r) for t, r in _refs(real.catalog, "R47.1", "instructions.excludes1")
                      if "final characters -22" in t]
    [(mention, found, covers)] = refs
    assert (mention.text, found.code, covers) == ("I69", "I69", "I69|$22")
    assert systems.covers(covers, "I69.322") and systems.covers(covers, "I69.922")
    assert not systems.covers(covers, "I69.320") and not systems.covers(covers, "I69.31")


@pytest.mark.slow
def test_every_note_reference_links_what_it_names_or_is_reported(real):
    """Each reference in each note of the release links exactly the code, category, range or
    chapter it names (a range without a page: its two ends), or is in the report with its
    reason; every code look-alike that is not a reference has a reason too."""
    import re

    from generator import notes
    from generator.links import tabular_fields

    catalog = real.catalog
    reported = {(p.record, p.field, p.message) for p in real.reports}
    assert all(p.file.startswith("data/icd-10-cm/") for p in real.reports)
    look_alike = re.compile(r"(?<![A-Za-z0-9])[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?(?![A-Za-z0-9])")
    linked = unresolved = 0
    for r in catalog.records:
        if r.seventh or catalog.by_code.get(r.code) is not r:
            continue
        for name, _, text in tabular_fields(r):
            refs, ignored = notes.references(text)
            spans = [(x.start, x.end) for x in refs] + [(x.start, x.end) for x in ignored]
            loose = [m.group(0) for m in look_alike.finditer(text)
                     if not any(a <= m.start() < b for a, b in spans)]
            assert loose == [], (r.code, text)
            assert all(i.reason for i in ignored)
            for ref in refs:
                targets = {m.ref: found for m, found, _ in catalog.references(text)
                           if ref.start <= m.start < ref.end}
                if ref.problem:
                    assert targets == {ref.base: None}
                elif ref.kind == "chapter":
                    assert targets[ref.base].chapter == ref.first
                elif ref.kind == "range" and ref.base not in targets:   # ends link on their own
                    assert set(targets) == {ref.first, ref.last}
                    assert all(t is None or t.code == code for code, t in targets.items())
                else:
                    assert set(targets) == {ref.base}
                    assert targets[ref.base] is None or targets[ref.base].code == ref.base
                for m, found, _ in catalog.references(text):
                    if ref.start <= m.start < ref.end:
                        if found is None:
                            unresolved += 1
                            assert any(p[0] == r.label and p[1] == name and ref.text in p[2]
                                       for p in reported), (r.code, ref)
                        else:
                            linked += 1
    assert unresolved == len(real.reports) == 9
    assert linked == 12_876


@pytest.mark.slow
def test_s72_001a_shows_every_instruction_from_above(real):
    from generator.pages import make_environment, render_record
    from generator.tabular import inherited_instructions

    catalog = real.catalog
    record = catalog.by_code["S72.001A"]
    blocks = {b.origin.code: b for b in inherited_instructions(record, catalog)}
    order = list(blocks)
    assert order.index("S72") < order.index("S00-T88")          # nearest level first
    assert blocks["S72"].level == "category" and blocks["S00-T88"].level == "chapter 19"
    s72 = {g["key"]: g["texts"] for g in blocks["S72"].groups}
    assert "A fracture not indicated as displaced or nondisplaced should be coded to displaced" \
        in s72["notes"]
    assert "A fracture not indicated as open or closed should be coded to closed" in s72["notes"]
    assert "excludes1" in s72 and "excludes2" in s72
    chapter = {g["key"]: g["texts"] for g in blocks["S00-T88"].groups}
    assert any(t.startswith("Use secondary code(s) from Chapter 20") for t in chapter["notes"])
    html = render_record(make_environment(), record, catalog)
    assert "From the category <a href=\"../S72/\">S72</a>" in html
    assert "From chapter 19 <a href=\"../S00-T88/\">S00-T88</a>" in html
    assert "should be coded to closed" in html
    # "Chapter 20" in the chapter's note links the chapter's own page.
    assert '<a href="../V00-Y99/">Chapter 20</a>' in html
