"""The search index builder (generator/search.py): documents, directory files, word files."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lunr import get_default_builder

from generator import search, searchwords, sitefiles, systems
from generator.links import Catalog
from generator.records import Record, load_records

ROOT = Path(__file__).resolve().parent.parent


def record(code: str, title: str, system: str = "icd-10-cm", kind: str = "code", **extra) -> Record:
    fields = {k: v for k, v in extra.items() if k not in ("billable", "inclusion_terms")}
    r = Record(kind=kind, system=system, code=code, title=title, file="data/test.yaml", line=1,
               source={"name": "Test"}, **fields)
    # Set the ICD-10-CM fields as attributes, so the tests hold whether or not Record has them.
    r.billable = extra.get("billable")
    r.inclusion_terms = extra.get("inclusion_terms", [])
    return r


def catalog_of(records: list[Record]) -> Catalog:
    catalog = Catalog(records)
    catalog.by_code = {r.code: r for r in records}
    return catalog


def read_shard(text: str):
    match = re.fullmatch(r'__searchShard\(("[^"]*"),(.*)\);\n', text, re.S)
    assert match, text[:80]
    return json.loads(match.group(1)), json.loads(match.group(2))


@pytest.mark.parametrize("text, expected", [
    ("e11.65", "E1165"), ("E1165", "E1165"), ("s72.001a", "S72001A"), (" 99213 ", "99213"),
    ("a00 - a09", "A00-A09"), ("G0008", "G0008"),
])
def test_codes_are_compared_without_dots_case_or_spaces(text, expected):
    assert search.normalize_code(text) == expected


@pytest.mark.parametrize("term, shard", [
    ("diabet", "di"), ("e", "e"), ("99213", "99"), ("e11.65", "e1"), ("ménière", "m_e9_"),
    (";x", "_3b_x"),
])
def test_terms_are_filed_by_their_first_two_characters_with_safe_names(term, shard):
    assert systems.term_shard(term) == shard
    assert re.fullmatch(r"[a-z0-9_]+", systems.term_shard(term))


def test_a_record_document_has_public_text_and_never_members_text():
    r = record("E11.65", "Type 2 diabetes mellitus with hyperglycemia", billable=True,
               inclusion_terms=["Hyperglycaemia in type 2 diabetes"],
               description="Use for **high** blood sugar. See [E11.9](../E11.9/).",
               members=[{"title": "Coding tips", "body": "quokkasecret never public"}])
    doc = search.record_document(r)
    assert (doc.code, doc.title, doc.system, doc.kind, doc.billable) == (
        "E11.65", "Type 2 diabetes mellitus with hyperglycemia", "icd-10-cm", "code", True)
    assert doc.terms == ["Hyperglycaemia in type 2 diabetes"]
    assert doc.text == "Use for high blood sugar. See E11.9."
    assert "quokkasecret" not in json.dumps(doc.__dict__)


def test_billable_flag_is_only_for_icd_codes():
    assert search.record_document(record("99213", "Office visit", system="cpt",
                                         billable=True)).billable is None
    header = search.record_document(record("E11", "Type 2 diabetes mellitus", billable=False))
    assert header.billable is False and header.row()[4] == 2


def test_records_without_icd_fields_still_index():
    plain = Record(kind="code", system="hcpcs", code="G0008", title="Flu shot", file="f", line=1,
                   source={"name": "CMS"}, official_descriptor="Administration of influenza virus vaccine")
    doc = search.record_document(plain)
    assert doc.terms == [] and doc.billable is None
    assert doc.text == "Administration of influenza virus vaccine"


def test_hand_written_pages_are_indexed_by_title_and_text(tmp_path):
    (tmp_path / "about.md").write_text("---\ntitle: About the data\n---\n# About\n\nWhere the "
                                       "[codes](cpt/index.md) come from. <b>Bold</b>\n")
    (tmp_path / "guide").mkdir()
    (tmp_path / "guide" / "index.md").write_text("# Coding guide\n\nStart here.\n")
    (tmp_path / "index.md").write_text("# Home\n\nWelcome.\n")
    (tmp_path / "search.md").write_text("# Search\n")
    (tmp_path / "hidden.md").write_text("---\nsearch:\n  exclude: true\n---\n# Hidden\n")
    pages = sitefiles.content_pages(tmp_path, search.EXCLUDED_PAGES)
    docs = {d.url: d for d in (search.page_document(p) for p in pages) if d is not None}
    assert set(docs) == {"about/", "guide/", "./"}
    assert docs["about/"].title == "About the data"
    assert docs["about/"].text == "About Where the codes come from. Bold"
    assert docs["guide/"].title == "Coding guide"


def _big_catalog(n: int) -> Catalog:
    records = [record("S72", "Fracture of femur", billable=False)]
    records += [record(f"S72.{i // 10:02d}{i % 10}A", f"Fracture number {i} of femur, initial encounter",
                       billable=True) for i in range(n)]
    records += [record("E11", "Type 2 diabetes mellitus", billable=False),
                record("E11.65", "Type 2 diabetes mellitus with hyperglycemia", billable=True),
                record("A00-A09", "Intestinal infectious diseases", kind="range"),
                record("53", "Discontinued procedure", system="cpt", kind="modifier"),
                record("99213", "Office visit", system="cpt")]
    return catalog_of(records)


def test_directory_files_hold_contiguous_runs_and_split_when_large(monkeypatch):
    monkeypatch.setattr(search, "DIR_LIMIT", 40)
    docs = search.collect_documents(_big_catalog(300), None)
    root, files = search.number_documents(docs)
    # Categories are not in the root (the manifest): each is in the file named by its code.
    assert {d.code for d in root if d.kind != "page"} == {"A00-A09", "53"}
    keys = {d.code: key for key, group in files for d in group}
    assert keys["S72"] == "S72" and keys["E11"] == "E11"
    assert {d.title for d in root if d.kind == "page"} == {"Modifiers", "CPT codes",
                                                          "ICD-10-CM codes"}
    assert [d.number for d in root] == list(range(len(root)))
    expected = len(root)
    for key, group in files:
        assert [d.number for d in group] == list(range(expected, expected + len(group)))
        assert all(search.normalize_code(d.code).startswith(key) for d in group)
        assert len(group) <= 40 or all(len(search.normalize_code(d.code)) <= len(key) for d in group)
        expected += len(group)
    keys = [k for k, _ in files]
    assert "E11" in keys and "992" in keys
    # S72: 301 rows, split twice; the category alone keeps the file named "S72".
    assert {"S72", "S7200", "S7201"} <= set(keys) and [d.code for d in dict(files)["S72"]] == ["S72"]


def _weights(catalog):
    """{code: {stem: [(field, q, prior)]}} of every posting of the word files."""
    docs = search.collect_documents(catalog, None)
    search.mark_families(docs)
    search.number_documents(docs)
    by_number = {d.number: d.code for d in docs}
    out: dict[str, dict] = {}
    for entries in searchwords.encode(docs).values():
        for entry in entries:
            for j in range(1, len(entry), 3):
                number = 0
                for delta, weight in zip(entry[j + 1], entry[j + 2]):
                    number += delta
                    out.setdefault(by_number[number], {}).setdefault(entry[0], []).append(
                        (search.FIELDS[entry[j]], *divmod(weight, searchwords.PRIOR_SPAN)))
    return out


def test_a_title_matched_with_few_other_words_weighs_most():
    weights = _weights(catalog_of([
        record("I10", "Essential (primary) hypertension", billable=True,
               includes=["high blood pressure", "hypertension (arterial) (benign) (essential)"]),
        record("I1A.0", "Resistant hypertension", billable=True),
        record("I1A", "Other hypertension", billable=False),
        record("J18.9", "Pneumonia, unspecified organism", billable=True),
    ]))
    stem = "hypertens"
    # Words in parentheses are nonessential and do not lengthen a title; "Other" does.
    assert weights["I10"][stem][0][:2] == ("t", 50)
    assert weights["I1A.0"][stem][0][:2] == ("t", 50)
    assert weights["I1A"][stem][0][:2] == ("t", 50)
    # An "includes" line that is just the word is nearly as good as a title of the word alone.
    assert ("i", 85) in [w[:2] for w in weights["I10"][stem]]
    assert weights["J18.9"]["pneumonia"][0][:2] == ("t", 50)   # "unspecified" is filler


def test_the_prior_says_depth_kind_system_and_reportable():
    weights = _weights(catalog_of([
        record("E11", "Type 2 diabetes mellitus", billable=False),
        record("E11.9", "Type 2 diabetes mellitus without complications", billable=True),
        record("A00-A09", "Intestinal infectious diseases", kind="range"),
        record("53", "Discontinued procedure", system="cpt", kind="modifier"),
    ]))
    prior = {code: next(iter(stems.values()))[0][2] for code, stems in weights.items()}
    assert prior["E11"] == 32 * 2                           # category, header
    assert prior["E11.9"] == 1 + 4 + 32 * 2 + 128          # depth 1, a default, billable
    assert prior["A00-A09"] == 8 * 1 + 32 * 2
    assert prior["53"] == 8 * 2 + 128


def test_seventh_character_codes_are_one_family_in_the_word_index():
    meanings = [("A", "initial encounter for closed fracture"),
                ("D", "subsequent encounter for closed fracture with routine healing"),
                ("S", "sequela")]
    records = []
    for code, side in (("S72.001", "right"), ("S72.002", "left")):
        head = record(code, f"Fracture of unspecified part of neck of {side} femur", billable=False)
        records.append(head)
        records += [record(code + c, f"{head.title}, {m}", billable=True, seventh=c)
                    for c, m in meanings]
    catalog = catalog_of(records)
    docs = search.collect_documents(catalog, None)
    sevenths = search.mark_families(docs)
    assert sevenths == [[list(m) for m in meanings]]        # one set, shared by both heads
    rows = {d.code: d.row() for d in docs}
    assert rows["S72.001"][6:] == ["ADS", 0] and rows["S72.002"][6:] == ["ADS", 0]
    assert len(rows["S72.001A"]) == 5                        # members are plain rows
    assert set(_weights(catalog)) - {""} == {"S72.001", "S72.002"}   # members are not in it
    assert searchwords.encounter_stems(sevenths) >= {"initi", "subsequ", "sequela", "encount"}


def test_includes_lines_and_notes_are_searchable_but_not_members_text():
    r = record("I10", "Essential (primary) hypertension", billable=True,
               includes=["high blood pressure"], notes=["Assume a causal relationship."],
               members=[{"title": "Tips", "body": "quokkasecret"}])
    doc = search.record_document(r)
    assert doc.terms == ["high blood pressure"]
    assert "causal relationship" in doc.text and "quokkasecret" not in json.dumps(doc.__dict__)


def test_write_index_writes_loadable_scripts(tmp_path):
    stats = search.write_index(_big_catalog(20), None, tmp_path)
    folder = tmp_path / search.INDEX_DIR
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*.js")}
    assert stats.files == len(names)
    name, manifest = read_shard((folder / "manifest.js").read_text())
    assert name == "manifest" and manifest["format"] == search.FORMAT
    assert {f"d/{k}.js" for k, _ in manifest["directory"]} | {f"w/{k}.js" for k in manifest["words"]} \
        | {"manifest.js"} == names
    for path in folder.rglob("*.js"):
        shard, _ = read_shard(path.read_text())
        assert f"{shard}.js" == path.relative_to(folder).as_posix()
    # A second build replaces the first: no stale files.
    (folder / "w" / "stale.js").write_text("old")
    search.write_index(_big_catalog(20), None, tmp_path)
    assert not (folder / "w" / "stale.js").exists()


def test_titles_cannot_close_a_script_tag(tmp_path):
    catalog = catalog_of([record("E11.65", "</script><script>alert(1)</script>", billable=True)])
    search.write_index(catalog, None, tmp_path)
    for path in (tmp_path / search.INDEX_DIR).rglob("*.js"):
        assert "</script" not in path.read_text()
    _, data = read_shard((tmp_path / search.INDEX_DIR / "manifest.js").read_text())
    assert "alert" not in json.dumps(data)
    _, rows = read_shard((tmp_path / search.INDEX_DIR / "d" / "E11.js").read_text())
    assert rows[0][1] == "</script><script>alert(1)</script>"


def _stem_terms(texts) -> set[str]:
    """Index terms of `texts` as lunr.py makes them (split as its tokenizer does, each distinct
    word through its pipeline once, which keeps this quick over the whole code set)."""
    from lunr.tokenizer import Tokenizer
    builder = get_default_builder()
    words = {w for text in texts for w in re.split(r"[\s\-]+", text.lower()) if w}
    return {str(t) for w in words for t in builder.pipeline.run(Tokenizer(w))}


@pytest.mark.slow   # indexes the whole real data set
def test_members_only_text_is_in_no_index_file(tmp_path):
    """Every member body of the real data is absent from the index, word by word."""
    records, _, _ = load_records(ROOT / "data", ROOT)
    bodies = [s["body"] for r in records for s in r.members]
    assert bodies, "the real data has members-only sections to check"
    catalog = catalog_of(records + [record(
        "E11.65", "Type 2 diabetes mellitus with hyperglycemia", billable=True,
        members=[{"title": "Tips", "body": "Quokkasecret zebrafinch guidance for members"}])])
    catalog.by_code = {}
    for r in catalog.records:
        catalog.by_code.setdefault(r.code, r)
    search.write_index(catalog, ROOT / "content", tmp_path)
    folder = tmp_path / search.INDEX_DIR
    # Text is stored verbatim only in the manifest and directory files; word files hold terms.
    everything = "\n".join(p.read_text(encoding="utf-8") for p in folder.rglob("*.js")
                           if p.parent.name != "w")
    indexed = {e[0] for p in (folder / "w").glob("*.js") for e in read_shard(p.read_text())[1]}

    public = [r.title for r in records] + [t for r in records for t in
              [r.description or "", r.official_descriptor or "", *r.inclusion_terms, *r.includes,
               *r.notes]]
    # Hand-written pages are public as shown: their text without markup.
    pages = [search.page_document(p) for p in sitefiles.content_pages(ROOT / "content")]
    public += [f"{d.title} {d.text}" for d in pages if d is not None]
    public += [d.title for d in search.index_page_documents(catalog)]
    public_terms = _stem_terms(public)
    for body in bodies + ["Quokkasecret zebrafinch guidance for members"]:
        for sentence in re.split(r"(?<=[.!?])\s+", body):
            if len(sentence) >= 30:
                assert sentence not in everything
                assert json.dumps(sentence)[1:-1] not in everything
        secret = _stem_terms([body]) - public_terms
        assert not secret & indexed, f"members-only words in the index: {sorted(secret & indexed)}"
    assert {"quokkasecret", "zebrafinch"} <= _stem_terms(["Quokkasecret zebrafinch"])
    assert not {"quokkasecret", "zebrafinch"} & indexed


def test_codes_new_in_the_release_shown_carry_a_flag_in_row_and_prior():
    # data/icd-10-cm-history says E11.A was added in FY2026 (the release shown), E11.65 was not.
    docs = search.collect_documents(catalog_of([
        record("E11.A", "Type 2 diabetes mellitus without complications in remission", billable=True),
        record("E11.65", "Type 2 diabetes mellitus with hyperglycemia", billable=True)]), None)
    assert search.mark_new(docs, ROOT / "data") == 1
    by_code = {d.code: d for d in docs}
    assert by_code["E11.A"].row()[4] == 1 + 4 and by_code["E11.65"].row()[4] == 1
    assert searchwords.prior(by_code["E11.A"]) & 256 and not searchwords.prior(by_code["E11.65"]) & 256
    assert search.mark_new(docs, None) == 0
