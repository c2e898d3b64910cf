"""Shared output helpers (generator/sitefiles.py): they do what search.py and ask.py do today,
so those modules can switch to them without changing a byte of output."""
from __future__ import annotations

from generator import search, sitefiles
from generator.records import Record


def test_shard_script_is_what_the_search_index_writes():
    data = {"t": "a </script> <!-- \u2028 title", "n": [1, 2]}
    assert sitefiles.shard_script("__searchShard", "d/E11", data) == search._script("d/E11", data)
    assert "</script>" not in sitefiles.shard_script("__askShard", "m/25", data)


def test_write_folder_replaces_everything(tmp_path):
    target = tmp_path / "search-index"
    (target / "old").mkdir(parents=True)
    (target / "old" / "x.js").write_text("stale")
    sizes = sitefiles.write_folder(target, {"manifest.js": "a", "d/E11.js": "éé"})
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == \
        ["d/E11.js", "manifest.js"]
    assert sorted(sizes) == [1, 4]
    sitefiles.clear_folder(target)
    assert not target.exists()
    sitefiles.clear_folder(target)     # nothing there: nothing to do


def test_content_page_front_matter_title_and_headings(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("---\ntitle: About us\nsearch:\n  exclude: true\n---\n# Heading *one*\n## Two {#two}\n")
    (docs / "b.md").write_text("# From the heading\ntext\n")
    (docs / "c.md").write_text("---\n: not yaml [\n---\nbody\n")
    a, b, c = sitefiles.content_pages(docs)
    assert (a.title, a.excluded_from_search, a.headings) == ("About us", True, [(1, "Heading one"), (2, "Two")])
    assert (b.title, b.meta, b.body) == ("From the heading", {}, "# From the heading\ntext\n")
    assert (c.title, c.meta) == ("c", {})
    assert [p.uri for p in sitefiles.content_pages(docs, exclude={"b.md"})] == ["a.md", "c.md"]
    assert sitefiles.content_pages(None) == [] and sitefiles.content_pages(tmp_path / "none") == []


def _record(kind, system, code):
    return Record(kind=kind, system=system, code=code, title=code, file="f.yaml", line=1)


def test_index_pages_follow_the_records():
    records = [_record("modifier", "cpt", "25"), _record("code", "icd-10-cm", "E11"),
               _record("modifier", "hcpcs", "LT")]
    pages = sitefiles.index_pages(records)
    assert [(p.uri, p.title, p.system) for p in pages] == [
        ("modifiers/index.md", "Modifiers", None), ("icd-10-cm/index.md", "ICD-10-CM codes", "icd-10-cm")]
    assert [p.url(False) for p in pages] == ["modifiers/index.html", "icd-10-cm/index.html"]
    assert sitefiles.index_pages([]) == []


def test_page_href_and_relative_url():
    assert sitefiles.page_href("cpt/99213.md", "icd-10-cm/E11.md") == "../../icd-10-cm/E11/"
    assert sitefiles.page_href("cpt/99213.md", "icd-10-cm/E11.md", False) == "../icd-10-cm/E11.html"
    assert sitefiles.relative_url("cpt/99213.md", "modifiers/25.md") == "../modifiers/25.md"
