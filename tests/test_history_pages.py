"""Deleted-code pages and changes pages (generator/history/changepages.py, plugin.py): golden
files on the cut fixture, escaping, clashes, and a real MkDocs build of the fixture project with
the `history` plugin whose every internal link resolves."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from generator import history, icd10cm
from generator.history import changepages
from generator.dataset import load_dataset

from .conftest import FIXTURES, ROOT
from .test_site_links import internal_targets

GOLDEN = Path(__file__).parent / "golden"
CASES = ["icd-10-cm/T81.32XA.md", "icd-10-cm/changes/fy2025.md"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The ICD fixture project (cut XML and cut history) with the history plugin listed."""
    project = tmp_path_factory.mktemp("history-pages") / "icd"
    shutil.copytree(FIXTURES / "icd", project)
    # The theme's header links the account page (content/account.md): the real one.
    shutil.copy(ROOT / "content" / "account.md", project / "content" / "account.md")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("../../../overrides", str(ROOT / "overrides"))
    config.write_text(re.sub(r"(plugins:\n  - codes\n)", r"\1  - history\n", text))
    icd10cm.import_tabular(FIXTURES / "icd10cm" / "tabular.xml", project / "data")
    shutil.copytree(FIXTURES / "history" / "icd-10-cm-history",
                    project / "data" / "icd-10-cm-history")
    return project


@pytest.fixture(scope="module")
def catalog(project):
    dataset = load_dataset(project / "data", project)
    assert dataset.errors == []
    history.attach(dataset.catalog, project / "data", warn=False)
    return dataset.catalog


@pytest.mark.parametrize("uri", CASES)
def test_golden(catalog, uri, update_golden):
    page = changepages.build(catalog, catalog.history).pages[uri]
    golden = GOLDEN / ("history__" + uri.replace("/", "__"))
    if update_golden:
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_deleted_pages_and_counts_on_the_cut(catalog):
    pages = changepages.build(catalog, catalog.history)
    # The cut's deletions: T81.32X[ADS] in FY2025, none of them a code of FY2026.
    assert pages.deleted == ["T81.32XA", "T81.32XD", "T81.32XS"]
    assert pages.clashes == []
    rows = (FIXTURES / "history" / "icd-10-cm-history" / "changes.tsv").read_text().splitlines()
    for fy in ("FY2025", "FY2026"):
        for kind in changepages.KINDS:
            expected = sum(1 for r in rows if r.startswith(f"{fy}\t{kind}\t"))
            assert pages.counts[fy][kind] == expected
    assert set(pages.pages) == {"icd-10-cm/T81.32XA.md", "icd-10-cm/T81.32XD.md",
                                "icd-10-cm/T81.32XS.md", "icd-10-cm/changes/fy2025.md",
                                "icd-10-cm/changes/fy2026.md"}


def test_a_deleted_code_that_is_a_code_now_is_a_clash_not_a_page(catalog):
    h = history.History(catalog.history.shown, catalog.history.releases)
    row = ["FY2026", "deleted", "E11.65", "yes", "Old <b>title</b>", "", "E11.A"]
    h.by_release = {"FY2026": {"deleted": [row]}}
    pages = changepages.build(catalog, h)
    assert pages.clashes == ["E11.65"] and pages.deleted == []
    # The changes page links the deleted code to the page that is there, title escaped.
    page = pages.pages["icd-10-cm/changes/fy2026.md"]
    assert '<a href="../../E11.65/"><code>E11.65</code></a>' in page
    assert "Old &lt;b&gt;title&lt;/b&gt;" in page and "<b>" not in page


def test_successor_deleted_later_is_followed_and_parent_is_the_fallback(catalog):
    h = history.History(catalog.history.shown, catalog.history.releases)
    h.by_release = {
        "FY2025": {"deleted": [["FY2025", "deleted", "E11.9X", "yes", "A", "", "E11.9Y"],
                               ["FY2025", "deleted", "E11.6Z", "yes", "B", "", ""]]},
        "FY2026": {"deleted": [["FY2026", "deleted", "E11.9Y", "yes", "C", "", "E11.A"]]}}
    pages = changepages.build(catalog, h).pages
    first = pages["icd-10-cm/E11.9X.md"]
    assert 'this release offers:\n<a href="../E11.A/"><code>E11.A</code></a></p>' in first
    second = pages["icd-10-cm/E11.6Z.md"]
    assert '<a href="../E11.6/"><code>E11.6</code></a> (its parent)' in second


def test_fy2027_changes_page_lists_codes_without_titles(catalog, monkeypatch, update_golden):
    h = history.History(catalog.history.shown, catalog.history.releases)
    h.by_release = {"FY2027": {
        "added": [["FY2027", "added", "E11.B1", "yes", "", "", ""]],
        "deleted": [["FY2027", "deleted", "E11.65", "yes", "Type 2 <x>", "", "E11.651"]]}}
    page = changepages.build(catalog, h).pages["icd-10-cm/changes/fy2027.md"]
    assert "<li><code>E11.B1</code> <em>title not yet imported</em></li>" in page
    assert "These FY2026 codes are not valid for dates of service from 2026-10-01." in page
    # FY2026 code linked; its FY2027 successor has no page here, so it is plain text.
    assert ('<td><a href="../../E11.65/"><code>E11.65</code></a></td><td>Type 2 &lt;x&gt;</td>'
            '<td><code>E11.651</code></td>') in page
    golden = GOLDEN / "history__icd-10-cm__changes__fy2027.md"
    if update_golden:
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_mkdocs_build_with_the_history_plugin(project, site_builder, tmp_path, monkeypatch):
    monkeypatch.setenv(history.BUILD_DATE_ENV, "2026-11-29")
    site = tmp_path / "site"
    assert site_builder(project / "mkdocs.yml", site) == 0   # strict
    deleted = (site / "icd-10-cm" / "T81.32XA" / "index.html").read_text()
    assert "Deleted on 2024-10-01; this release offers:" in deleted
    assert "<title>T81.32XA: Disruption of internal operation" in deleted
    changes = (site / "icd-10-cm" / "changes" / "fy2026" / "index.html").read_text()
    assert "Added (" in changes and "E11.A" in changes
    index = (site / "icd-10-cm" / "index.html").read_text()
    assert '<a href="changes/fy2025/">FY2025</a> · <a href="changes/fy2026/">FY2026</a>' in index
    existing = set()
    for folder, _, names in os.walk(site):
        rel = os.path.relpath(folder, site).replace(os.sep, "/")
        rel = "" if rel == "." else rel
        existing.add(rel)
        existing.update(f"{rel}/{n}" if rel else n for n in names)
    broken = []
    for page in ["icd-10-cm/T81.32XA/index.html", "icd-10-cm/T81.32XS/index.html",
                 "icd-10-cm/changes/fy2025/index.html", "icd-10-cm/changes/fy2026/index.html",
                 "icd-10-cm/index.html"]:
        html = (site / page).read_bytes()
        broken += [(page, link) for link, target in internal_targets(page, html)
                   if target not in (".", "") and target not in existing and f"{target}/index.html" not in existing]
    assert broken == []


def test_mdc_names_from_drg_and_a_bad_file_is_named(tmp_path):
    from generator.history import importer, sources

    names = sources.mdc_names(sources.package_file("drg", importer.MDC_FILE))
    assert len(names) == 25 and names["05"] == "Diseases and Disorders of the Circulatory System"
    recorded = (ROOT / "data" / "icd-10-cm-history" / "releases.json").read_text()
    assert all(f'"{n}": "{t}"' in recorded for n, t in names.items())
    bad = tmp_path / "mdc.csv"
    bad.write_text('"01","Nervous System"\n"2","Eye"\n')
    with pytest.raises(sources.SourceError) as err:
        sources.mdc_names(bad)
    assert f"{bad}:2: expected" in str(err.value)


def test_code_page_names_its_mdc(catalog):
    from generator.pages import render_pages

    page = render_pages(catalog)["icd-10-cm/E11.65.md"]
    assert "MDC 10 (Diseases and Disorders of the Endocrine, Nutritional And Metabolic System)" \
        in page


def test_fy2027_successors_fill_placeholders_and_skip_emptied_parents():
    from generator.history import importer, sources

    t26 = sources.Tabular(billable={"T52.8X1A": "t", "S23.420A": "s", "S23.421A": "u"},
                          titles={"T52": "", "T52.8": "", "T52.8X1": "", "S23": "",
                                  "S23.4": "", "S23.42": "", "S23.420": "", "S23.421": ""},
                          parents={})
    fy27 = {"T52.811A", "T52.821A", "T52.891A", "T52.812A", "S23.421A"}
    assert importer.successors("T52.8X1A", "", t26, fy27) == ["T52.811A", "T52.821A",
                                                               "T52.891A"]
    # S23.420 has no code left in FY2027: its parent S23.42 does.
    assert importer.successors("S23.420A", "", t26, fy27) == ["S23.42"]
