"""Release history and Medicare facts: pages (golden files on the cut fixture), the
out-of-date banner, and the importer's readers on bad input.

The tests on the real package files are in test_history_real.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import history
from generator.history import sources
from generator.history.views import code_facts
from generator.pages import render_pages
from generator.dataset import load_dataset

from .conftest import FIXTURES
from .projects import CUT_XML, new_project

GOLDEN = Path(__file__).parent / "golden"
CASES = ["icd-10-cm/E11.A.md", "icd-10-cm/E11.65.md", "icd-10-cm/T81.320A.md",
         "icd-10-cm/A02.1.md", "icd-10-cm/E08.00.md"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The ICD fixture project with the cut XML imported and the cut history beside it."""
    project = new_project(tmp_path_factory.mktemp("history"), "icd", icd_xml=CUT_XML)
    shutil.copytree(FIXTURES / "history" / "icd-10-cm-history",
                    project / "data" / "icd-10-cm-history")
    return project


def _pages(project: Path, monkeypatch, day: str) -> dict[str, str]:
    monkeypatch.setenv(history.BUILD_DATE_ENV, day)
    dataset = load_dataset(project / "data", project)
    assert dataset.errors == []
    history.attach(dataset.catalog, project / "data", warn=False)
    return render_pages(dataset.catalog)


@pytest.mark.parametrize("uri", CASES)
def test_golden_after_fy2026(project, monkeypatch, uri, update_golden):
    page = _pages(project, monkeypatch, "2026-11-29")[uri]
    golden = GOLDEN / ("history__" + uri.replace("/", "__"))
    if update_golden:
        golden.write_text(page, encoding="utf-8")
    assert page == golden.read_text(encoding="utf-8")


def test_release_line_and_no_banner_within_fy2026(project, monkeypatch):
    pages = _pages(project, monkeypatch, "2026-09-30")
    for uri in ("icd-10-cm/E11.65.md", "icd-10-cm/A00-A09.md", "icd-10-cm/E11.md"):
        assert "FY2026 · valid for dates of service 2025-10-01 to 2026-09-30" in pages[uri]
        assert "release-banner" not in pages[uri]
    assert "New in FY2026" in pages["icd-10-cm/E11.A.md"]
    assert "New in FY2026" not in pages["icd-10-cm/E11.65.md"]


def test_banner_on_every_icd_page_after_fy2026(project, monkeypatch):
    pages = _pages(project, monkeypatch, "2026-10-01")
    icd = [uri for uri in pages if uri.startswith("icd-10-cm/") and not uri.endswith("index.md")]
    assert icd and all('data-release-banner="FY2027"' in pages[u] for u in icd)
    assert "This code is valid for FY2027 dates of service" in pages["icd-10-cm/E11.65.md"]
    assert "release-banner" not in pages["cpt/index.md"] if "cpt/index.md" in pages else True


def test_build_warns_once_when_out_of_date(project, monkeypatch, capsys):
    monkeypatch.setenv(history.BUILD_DATE_ENV, "2026-11-29")
    dataset = load_dataset(project / "data", project)
    history.attach(dataset.catalog, project / "data")
    assert capsys.readouterr().err == (
        "warning: the ICD-10-CM pages show FY2026 (valid to 2026-09-30), but FY2027 is in effect "
        "on 2026-11-29: every ICD-10-CM page carries an out-of-date banner; import the FY2027 "
        "tabular list\n")
    monkeypatch.setenv(history.BUILD_DATE_ENV, "2026-09-30")
    history.attach(dataset.catalog, project / "data")
    assert capsys.readouterr().err == ""


def test_code_facts_for_search_and_ask(project):
    h = history.load((project / "data").resolve())
    facts = code_facts(h, "E11.A")
    assert facts["new"] and facts["first_release"] == "FY2026" and facts["fy2027"] is True
    assert code_facts(h, "E11.65")["first_release"] == "before FY2024"
    assert code_facts(h, "T81.320A")["first_release"] == "FY2025"
    assert code_facts(h, "A02.1")["level"] == "MCC"


def test_ask_data_carries_codes_deleted_and_added_after_the_shown_release(project):
    """ask-data/past.js: deleted codes with their last title, successors and validity (the
    successors the site has a page for are marked), from the fixture history's changes.tsv."""
    from generator import ask

    dataset = load_dataset(project / "data", project)
    h = history.attach(dataset.catalog, project / "data", warn=False)
    past = ask.past_codes(h, dataset.catalog, directory_urls=True)
    row = past["codes"]["T81.32XA"]
    assert row["d"] == "FY2025" and row["v"] == [["2015-10-01", "2024-09-30"]]
    assert row["t"].startswith("Disruption of internal operation (surgical) wound")
    assert [s[0] for s in row["s"]] == ["T81.320A", "T81.321A", "T81.328A", "T81.329A"]
    assert all(s[2] == (1 if s[0] in dataset.catalog.by_code else 0) for s in row["s"])
    assert past["changes"]["FY2025"] == "icd-10-cm/changes/fy2025/"
    files = ask.build_files(dataset.catalog, None, project / "site")
    assert '"past":true' in files["manifest.js"].replace(" ", "") and "past.js" in files


def test_bad_build_date_is_an_error(monkeypatch):
    monkeypatch.setenv(history.BUILD_DATE_ENV, "29.11.2026")
    with pytest.raises(ValueError, match="OCR_BUILD_DATE='29.11.2026' is not a date"):
        history.build_date()


def test_truncated_code_list_names_file_and_line(tmp_path):
    bad = tmp_path / "codes.txt"
    bad.write_text("A000    Cholera due to Vibrio cholerae 01, biovar cholerae\nA00\n")
    with pytest.raises(sources.SourceError) as exc:
        sources.code_list(bad, expect=74044)
    assert exc.value.problems == [
        f"{bad}:2: expected a code without its dot, spaces and a title (like 'A000    "
        "Cholera ...'), found 'A00\\n'"]
    good = tmp_path / "short.txt"
    good.write_text("A000    Cholera\n")
    with pytest.raises(sources.SourceError, match=r"short.txt:1: expected 74044 codes, found 1"):
        sources.code_list(good, expect=74044)


def test_unexpected_table_layout_is_reported(tmp_path):
    bad = tmp_path / "mcc_list.txt"
    bad.write_text("TABLE 6I - COMPLETE MCC LIST\nCode,Description\n")
    with pytest.raises(sources.SourceError, match=r"mcc_list.txt:1: expected 'TABLE 6I'"):
        sources.table_6ij(bad, "TABLE 6I")
    six_k = tmp_path / "cc_exclusions.txt"
    six_k.write_text("\n" * 10 + " I10 Dx  Lev PDX Exclusions   ICD-10-CM Description\n"
                     " A000    CC  0002:3 codes     Cholera\n\nPDX collection 0002\n  A000    x\n")
    with pytest.raises(sources.SourceError,
                       match="PDX collection 0002: part 1 says 3 codes, part 2 lists 1"):
        sources.table_6k(six_k)


def _lmdb_file(path: Path, records: dict[bytes, bytes]) -> Path:
    lmdb = pytest.importorskip("lmdb", reason="lmdb is pinned in the test extra")
    env = lmdb.open(str(path), subdir=False, map_size=1 << 20)
    with env.begin(write=True) as txn:
        for key, value in records.items():
            txn.put(key.ljust(16, b"\0"), value)
    env.close()
    return path


def test_grouper_tables_of_another_layout_are_refused(tmp_path):
    import struct

    from generator.history import grouper

    scheme = struct.pack("<I4sIII", 6, b"CC\0\0", 0, 0, 0)
    row = struct.pack("<8sIII", b"A000", 400, 440, 0)
    diagnosis = struct.pack("<4sIIII", b"GAID", 1, 2, 20, 40) + scheme + row   # says 2 rows
    path = _lmdb_file(tmp_path / "short.mdb", {b"diagnosis": diagnosis})
    with pytest.raises(sources.SourceError) as exc:
        grouper.grouper_tables(path, 430)
    assert exc.value.problems == [
        f"{path}: record diagnosis: expected 2 rows of 20 bytes from byte 40, found a 60-byte "
        "record; the file may be truncated"]
    bad = struct.pack("<4sIIII", b"GAID", 1, 1, 20, 40) + scheme + struct.pack(
        "<8sIII", b"A0-0", 400, 440, 0)
    ids = struct.pack("<4sII", b"DIXE", 1, 12) + struct.pack("<8siii", b"A000", 400, 440, 7)
    groups = struct.pack("<4sI", b"RDSM", 0)
    path = _lmdb_file(tmp_path / "bad.mdb", {b"diagnosis": bad, b"exclusion_ids": ids,
                                             b"exclusion_groups": groups})
    with pytest.raises(sources.SourceError) as exc:
        grouper.grouper_tables(path, 430)
    assert exc.value.problems == [
        f"{path}: record diagnosis: row 1: expected an ICD-10-CM code without its dot, found "
        "b'A0-0\\x00\\x00\\x00\\x00'",
        f"{path}: record exclusion_groups: expected the exclusion groups named in exclusion_ids, "
        "missing [7]"]


def test_missing_package_file_and_failed_import_write_nothing(tmp_path, monkeypatch):
    from generator.history import importer

    def missing(dist, relative):
        raise sources.SourceError([f"/x/{relative}: missing from {dist}"])

    monkeypatch.setattr(sources, "package_file", missing)
    data = tmp_path / "data"
    data.mkdir()
    assert importer.main(data, tmp_path / "cache") == 1
    assert list(data.iterdir()) == []


@pytest.mark.browser
@pytest.mark.slow
def test_banner_in_chromium(project, monkeypatch, tmp_path, serve, page):
    """Built by MkDocs after FY2026 ended, a code page shows the banner to a reader."""
    from generator.build import build_site

    monkeypatch.setenv(history.BUILD_DATE_ENV, "2026-11-29")
    site = tmp_path / "site"
    assert build_site(project / "mkdocs.yml", site) == 0
    page.goto(serve(site) + "icd-10-cm/E11.A/")
    banner = page.locator("[data-release-banner]")
    banner.wait_for()
    assert banner.is_visible()
    assert banner.inner_text().startswith("FY2027 is in effect")
    assert "This code is valid for FY2027 dates of service." in banner.inner_text()
    release = page.locator(".code-release")
    assert release.inner_text() == ("FY2026 · valid for dates of service 2025-10-01 to "
                                    "2026-09-30 New in FY2026")
