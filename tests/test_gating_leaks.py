"""Member sections never reach a public file; they reach the deploy blobs, rendered safely.

The leak scan reads every file the full build published (pages, search index, sitemap and its
.gz, 404 page, any bundle) and looks for distinctive text from every member section body. The
same text is first found in the deploy blobs, so a scan that finds nothing has looked for text
that really is in the rendered sections.
"""
from __future__ import annotations

import dataclasses
import functools
import gzip
import html
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from generator import members
from generator.dataset import load_dataset

ROOT = Path(__file__).resolve().parent.parent
# Characters that survive HTML escaping, JSON encoding and Markdown rendering unchanged, so that
# a needle made of them is found however a leak would be encoded.
_SAFE_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,;:()%-]{27,}")
_TAG = re.compile(r"<[^>]*>")


def needles(section_html: str) -> list[str]:
    """Up to 40 characters of plain text from each text run of a rendered section.

    Runs are taken inside one text node and one line, so that links (code mentions), inline
    markup and line breaks, which differ between a page, a search index and a sitemap, never
    fall inside a needle.
    """
    found = []
    for node in _TAG.split(section_html):
        for line in html.unescape(node).splitlines():
            run = _SAFE_RUN.search(" ".join(line.split()))
            if run:
                found.append(run.group(0)[:40].strip())
    return found


@functools.cache
def load(data_dir: Path):
    """The checked data set, loaded once per test run (the ICD-10-CM import makes it slow)."""
    # Errors in the data fail the site build itself (the real_site fixture); here only the
    # records matter.
    return load_dataset(data_dir, ROOT)


def public_text(records) -> str:
    """Every string of every record except member bodies, whitespace collapsed."""
    out = []

    def walk(value):
        if isinstance(value, str):
            out.append(" ".join(value.split()))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)

    for r in records:   # records keep their fields in slots (no __dict__)
        for f in dataclasses.fields(r):
            value = getattr(r, f.name)
            walk([s["title"] for s in value] if f.name == "members" else value)
    return "\n".join(out)


def gated_text(data_dir: Path) -> dict[str, list[str]]:
    """'<page> #<n> <section title>' -> needles, for every member section in the data.

    Text that a section shares with public fields (an editor quoting an official descriptor,
    say) is public by design, so it is no needle.
    """
    dataset = load(data_dir)
    public = public_text(dataset.catalog.records)
    return {f"{r.src_uri} #{i} {s['title']}": [
                n for n in needles(members.render_body(s["body"], dataset.catalog, r.src_uri))
                if n not in public]
            for r in dataset.catalog.records for i, s in enumerate(r.members, start=1)}


def grep(needle_list: list[str], folder: Path, tmp_path: Path) -> set[str]:
    """Files under `folder` that contain any needle (GNU grep -F: one pass for all needles)."""
    patterns = tmp_path / "needles.txt"
    patterns.write_text("\n".join(needle_list) + "\n", encoding="utf-8")
    done = subprocess.run(["grep", "-rlaF", "-f", str(patterns), str(folder)],
                          capture_output=True, text=True)
    assert done.returncode in (0, 1), done.stderr
    return set(done.stdout.split())


def packed_texts(folder: Path):
    """(path, text) of every compressed file, decompressed (sitemap.xml.gz, zip bundles)."""
    for path in folder.rglob("*"):
        if path.suffix == ".gz":
            yield path, gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as bundle:
                for name in bundle.namelist():
                    yield path / name, bundle.read(name).decode("utf-8", "replace")


def blobs_of(site: Path) -> Path:
    return site.parent / members.BLOBS_DIR


@pytest.mark.slow
def test_full_build_publishes_no_member_text(real_site, tmp_path):
    sections = gated_text(ROOT / "data")
    assert len(sections) >= 8, "the real data should have member sections to scan for"
    empty = [name for name, found in sections.items() if not found]
    assert not empty, f"member sections too short to scan for: {empty}"
    all_needles = sorted({n for found in sections.values() for n in found})

    # The scan looks for text that is really there in the rendered sections.
    blob_files = grep(all_needles, blobs_of(real_site), tmp_path)
    blob_text = "\n".join(Path(f).read_text(encoding="utf-8") for f in blob_files)
    missing = [n for n in all_needles if n not in blob_text]
    assert not missing, f"needles not found in the deploy blobs: {missing[:5]}"

    assert not (real_site / ".netlify").exists()
    leaks = grep(all_needles, real_site, tmp_path)
    assert not leaks, f"member text published in: {sorted(leaks)[:10]}"
    for path, text in packed_texts(real_site):
        hit = [n for n in all_needles if n in text]
        assert not hit, f"member text in {path}: {hit[:3]}"
    files = sum(1 for p in real_site.rglob("*") if p.is_file())
    print(f"leak scan: {len(all_needles)} needles from {len(sections)} sections, {files} files")


def test_scan_finds_a_planted_leak(fixture_site, tmp_path):
    """The scan is able to fail: plant one section's text in a copy of the site and in a .gz."""
    body = "FIXTURE-SECRET-53-TIPS: keep the operative note that says why it stopped."
    found = needles(f"<p>{body}</p>")
    assert found == [body[:40]]
    copy = tmp_path / "site"
    shutil.copytree(fixture_site, copy)
    assert not grep(found, copy, tmp_path)
    (copy / "search").mkdir(exist_ok=True)
    (copy / "search" / "index.json").write_text(json.dumps({"docs": [{"text": body}]}))
    assert grep(found, copy, tmp_path) == {str(copy / "search" / "index.json")}
    (copy / "search" / "index.json").unlink()
    (copy / "bundle.txt.gz").write_bytes(gzip.compress(body.encode()))
    assert any(found[0] in text for _, text in packed_texts(copy))


def test_fixture_sections_are_in_blobs_not_in_the_site(fixture_site):
    blob = blobs_of(fixture_site) / "members" / "modifiers" / "53"
    value = json.loads(blob.read_text(encoding="utf-8"))
    assert value["v"] == 1
    assert [s.startswith("<p>FIXTURE-SECRET-53-") for s in value["sections"]] == [True, True]
    page = (fixture_site / "modifiers" / "53" / "index.html").read_text(encoding="utf-8")
    assert page.count('<p class="member-teaser">Register to view content</p>') == len(value["sections"])
    assert sorted(p.name for p in (blobs_of(fixture_site) / "members").rglob("*") if p.is_file()) == ["53"]


def test_section_bodies_are_rendered_safely(fixture_site):
    dataset = load_dataset(ROOT / "tests" / "fixtures" / "basic" / "data", ROOT)
    catalog = dataset.catalog
    html = members.render_body(
        "Raw <script>alert(1)</script> and <b>bold</b>; [click](javascript:alert(1)); "
        "[ok](https://example.org); **strong**; compare modifier 52 and 99213.",
        catalog, "modifiers/53.md")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.org">ok</a>' in html
    assert "<strong>strong</strong>" in html
    assert '<a href="../52/">52</a>' in html
    assert '<a href="../../cpt/99213/">99213</a>' in html


def test_rebuild_replaces_the_blob_set(tmp_path):
    dataset = load_dataset(ROOT / "tests" / "fixtures" / "basic" / "data", ROOT)
    site = tmp_path / "site"
    site.mkdir()
    root = members.write_member_blobs(dataset.catalog, site)
    stale = root / "members" / "modifiers" / "gone"
    stale.write_text("{}")
    members.write_member_blobs(dataset.catalog, site)
    assert not stale.exists()
    assert (root / "members" / "modifiers" / "53").exists()
    assert not (root / "members.new").exists()


def test_blobs_inside_the_site_are_refused(tmp_path, monkeypatch):
    dataset = load_dataset(ROOT / "tests" / "fixtures" / "basic" / "data", ROOT)
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv(members.ENV_DIR, str(site / "blobs"))
    with pytest.raises(ValueError, match="inside the site directory"):
        members.write_member_blobs(dataset.catalog, site)
    assert not (site / "blobs").exists()
